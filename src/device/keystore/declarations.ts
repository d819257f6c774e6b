/** Keystore entity declaration: the store of encryption keys and its generic Set/GetList/Remove. */
import type { EntityDecl } from "../entity.js";
import { checkKeyValue, stampModificationTime } from "./keys.js";
import { EncryptionKeyShape } from "./shapes.js";

/**
 * keystore-service.md: an EncryptionKey is a DataEntity (token rules of intro.md: an empty token
 * makes the device allocate one, a known token replaces). GetEncryptionKey is the service's own
 * (operations.ts): it faults on unknown tokens and hides the key. The page documents no events,
 * so there is no `topic`.
 */
export const EncryptionKeyDecl: EntityDecl = {
  name: "EncryptionKey",
  sharing: "local",
  what: "EncryptionKey",
  tokenField: "token",
  shape: EncryptionKeyShape,
  ops: [
    { kind: "list", form: "full", op: "axkey:GetEncryptionKeyList" },
    { kind: "set", op: "axkey:SetEncryptionKey" },
    { kind: "remove", op: "axkey:RemoveEncryptionKey" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // SetEncryptionKey fault table: env:Sender/ter:InvalidArgs, "Invalid key value".
  setFault: ["ter:InvalidArgs"],
  prepare: (item, state) => stampModificationTime(item, state),
  check: (item, state, batch, index) => checkKeyValue(item, state, batch, index),
};

export const KEYSTORE_ENTITIES: readonly EntityDecl[] = [EncryptionKeyDecl];
