/** The registry: every check and entity declaration the suite knows, in run order. */
import type { CheckDefinition } from "../harness/types.js";
import type { EntityDeclaration } from "../harness/entity.js";
import { dataPreservedCheck } from "../harness/runner.js";
import { accessControlChecks, accessControlEntities } from "./access-control/index.js";
import { accessDecisionChecks, accessDecisionEntities } from "./access-decision/index.js";
import { accountChecks } from "./accounts/index.js";
import { connectionChecks } from "./connection/index.js";
import { discoveryChecks } from "./discovery/index.js";
import { doorControlChecks, doorControlEntities } from "./door-control/index.js";
import { identityChecks } from "./identity/index.js";
import { idpointChecks, idpointEntities } from "./idpoint/index.js";
import { ioAssignmentChecks, ioAssignmentEntities } from "./io-assignment/index.js";
import { keystoreChecks, keystoreEntities } from "./keystore/index.js";
import { peripheralsChecks } from "./peripherals/index.js";
import { scheduleChecks, scheduleEntities } from "./schedule/index.js";
import { thirdPartyCredentialChecks, thirdPartyCredentialEntities } from "./third-party-credential/index.js";
import { userChecks, userEntities } from "./user/index.js";
import { eventLoggerChecks } from "./event-logger/index.js";
import { eventChecks } from "./events/index.js";

export const allEntities: readonly EntityDeclaration[] = [
  ...accessControlEntities,
  ...scheduleEntities,
  ...userEntities,
  ...ioAssignmentEntities,
  ...doorControlEntities,
  ...idpointEntities,
  ...accessDecisionEntities,
  ...keystoreEntities,
  ...thirdPartyCredentialEntities,
];

/** Every check; `harness.data-preserved` last (the runner judges it after all others). */
export const allChecks: readonly CheckDefinition[] = [
  ...accessControlChecks,
  ...scheduleChecks,
  ...userChecks,
  ...ioAssignmentChecks,
  ...doorControlChecks,
  ...idpointChecks,
  ...accessDecisionChecks,
  ...eventLoggerChecks,
  ...eventChecks,
  ...keystoreChecks,
  ...thirdPartyCredentialChecks,
  ...identityChecks,
  ...discoveryChecks,
  ...accountChecks,
  ...peripheralsChecks,
  ...connectionChecks,
  dataPreservedCheck,
];
