/**
 * The third-party credential checks. No entity declaration: every axtpc request names its
 * provider and Get/Remove take one token (or an e-mail), so the generic set/get/paging checks
 * do not apply; a third-party credential's AccessControl credential is in the AccessControl
 * snapshot, and the checks remove what they create themselves. Its event topics are caused by
 * the event suite (causes.ts, events/catalogue.ts).
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";
import { thirdPartyCredentialSpecificChecks } from "./specific.js";

export const thirdPartyCredentialEntities: readonly EntityDeclaration[] = [];

export const thirdPartyCredentialChecks: readonly CheckDefinition[] = thirdPartyCredentialSpecificChecks();
