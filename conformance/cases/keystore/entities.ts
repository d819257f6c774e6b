/**
 * The keystore's EncryptionKey declaration (keystore-service.md). Samples carry a 16-byte key
 * written as 32 hexadecimal digits, as the guide's example does, never one of the refused
 * values; the run's label is the Name, so leftovers can be recognised.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import { docSections, renamed } from "../../harness/entity.js";

export const KEYSTORE_DOC = "keystore-service.md";
export const keystoreSection = docSections(KEYSTORE_DOC);

/** A 16-byte key as hex text: one repeated byte 0x01 … 0xff (never all zero, never SCBK-D). */
export function sampleKey(n: number): string {
  return ((n % 255) + 1).toString(16).padStart(2, "0").repeat(16);
}

export const encryptionKey: EntityDeclaration = {
  key: "encryption-key",
  typeName: "EncryptionKey",
  service: "Keystore",
  prefix: "axkey",
  docPage: KEYSTORE_DOC,
  full: { get: "axkey:GetEncryptionKey", list: "axkey:GetEncryptionKeyList", itemField: "EncryptionKey" },
  set: "axkey:SetEncryptionKey",
  setField: "EncryptionKey",
  remove: "axkey:RemoveEncryptionKey",
  tokenField: "token",
  markerField: "Name",
  // The key value is never shown ("*****" or empty) and the device sets ModificationTime.
  deviceFilled: ["Key", "ModificationTime"],
  sample: (a) => ({ token: a.token, Key: sampleKey(a.n), Name: a.label, Description: `${a.label} description` }),
  // A new value too (never a sample's: those repeat one byte), though no Get can show it.
  modify: (item, label) => ({ ...renamed(item, label), Key: `${"5a".repeat(8)}${"a5".repeat(8)}` }),
};

export const keystoreEntities: readonly EntityDeclaration[] = [encryptionKey];
