/**
 * The third-party records as an entity store keyed by the credential's token, so they are part of
 * the device's data (and its snapshot) and GetThirdPartyCredentialList pages them with the shared
 * paging engine. No generic operations: every axtpc operation names a provider and has its own
 * rules (credentials.ts). No `topic`: the service announces its own topics (topics.ts).
 */
import type { EntityDecl } from "../entity.js";
import { ThirdPartyRecordShape } from "./shapes.js";

export const ThirdPartyCredentialDecl: EntityDecl = {
  name: "ThirdPartyCredential",
  sharing: "local",
  what: "ThirdPartyCredential",
  tokenField: "token",
  shape: ThirdPartyRecordShape,
  ops: [],
  allocateTokens: false,
  setResponse: "empty",
  // The token is the AccessControl credential's: the same item seen by another service.
  sharesTokenSpace: false,
  linkedWith: ["Credential"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidArgument"],
};

export const THIRD_PARTY_CREDENTIAL_ENTITIES: readonly EntityDecl[] = [ThirdPartyCredentialDecl];
