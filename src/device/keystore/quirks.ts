/** Quirks of the keystore's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const KEYSTORE_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "keystore-get-reveals-key",
    rule: "GetEncryptionKey never returns a key value in plain text (it shows \"*****\")",
    behaviour: "GetEncryptionKey returns each key's value as it was set",
  },
  {
    name: "keystore-list-reveals-key",
    rule: "GetEncryptionKeyList returns no key values (they are empty)",
    behaviour: "GetEncryptionKeyList returns each key's value as it was set",
  },
  {
    name: "keystore-scbk-d-accepted",
    rule: "SetEncryptionKey refuses the well-known key SCBK-D with env:Sender/ter:InvalidArgs",
    behaviour: "it stores SCBK-D like any other key",
  },
  {
    name: "keystore-zero-key-accepted",
    rule: "SetEncryptionKey refuses the all-zero 16-byte key with env:Sender/ter:InvalidArgs",
    behaviour: "it stores the all-zero key like any other key",
  },
  {
    name: "keystore-modification-time-from-client",
    rule: "ModificationTime is set by the device to the time of the SetEncryptionKey; a value the client sends is not used",
    behaviour: "a ModificationTime sent with SetEncryptionKey is stored and returned as sent",
  },
];
