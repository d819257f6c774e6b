/**
 * The keystore's own rules (keystore-service.md, "Keystore service guide"): two key values are
 * refused, the device stamps every key it stores with the time of the SetEncryptionKey, and a
 * key value never leaves the device in plain text.
 */
import type { Item } from "../entity.js";
import { invalidArgs } from "../faults.js";
import type { DeviceState } from "../state.js";

/** What GetEncryptionKey shows instead of a key value (the guide: shown as "*****"). */
export const HIDDEN_KEY = "*****";

/**
 * The OSDP secure channel's well-known default base key SCBK-D (bytes 0x30 … 0x3F), as hexadecimal
 * text like the guide's example key.
 */
export const SCBK_D = "303132333435363738393a3b3c3d3e3f";
/** "the value 0x00 0x00 .. 0x00 (16 byte)". */
export const ZERO_KEY = "0".repeat(32);

/** A key value as compared with the refused ones: hexadecimal digits, case and white space ignored. */
function canonicalKey(key: string): string {
  return key.replace(/\s+/g, "").toLowerCase();
}

/**
 * SetEncryptionKey refuses SCBK-D and the all-zero 16-byte key ("it will generate an API fault";
 * fault table: env:Sender/ter:InvalidArgs, "Invalid key value"). The whole batch is refused.
 */
export function checkKeyValue(item: Readonly<Item>, state: DeviceState, _batch: readonly Readonly<Item>[], index: number): void {
  const key = canonicalKey(String(item["Key"] ?? ""));
  const where = `SetEncryptionKey.EncryptionKey[${index}]`;
  if (key === SCBK_D && !state.quirks.has("keystore-scbk-d-accepted")) {
    throw invalidArgs(`${where}: the Key is the well-known OSDP default key SCBK-D, which the keystore refuses; use a key of your own`);
  }
  if (key === ZERO_KEY && !state.quirks.has("keystore-zero-key-accepted")) {
    throw invalidArgs(`${where}: the Key is sixteen zero bytes, which the keystore refuses; use a key of your own`);
  }
}

/** xs:dateTime in UTC to the second, as the examples write it ("2016-02-02T10:54:10Z"). */
function utcSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "The modification time cannot be set using SetEncryptionKey, but will instead be automatically updated to the current time". */
export function stampModificationTime(item: Item, state: DeviceState): void {
  const sent = item["ModificationTime"];
  if (state.quirks.has("keystore-modification-time-from-client") && typeof sent === "string" && sent !== "") return;
  item["ModificationTime"] = utcSeconds(state.now());
}

/**
 * A stored key as a Get hands it out (a copy): GetEncryptionKey shows the value as "*****" (guide
 * and "The value of the key itself will not be returned"), GetEncryptionKeyList leaves it empty
 * ("No key values are returned, these will be empty"). Key stays present: the schema requires it.
 */
export function withHiddenKey(state: DeviceState, item: Readonly<Item>, via: "get" | "list"): Item {
  const copy: Item = { ...item };
  if (state.quirks.has("schema-invalid-response")) {
    delete copy["Key"];
    return copy;
  }
  const revealed = state.quirks.has(via === "get" ? "keystore-get-reveals-key" : "keystore-list-reveals-key");
  if (!revealed) copy["Key"] = via === "get" ? HIDDEN_KEY : "";
  return copy;
}
