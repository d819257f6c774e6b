/**
 * Card formats (idpoint-service.md "Setting up access card formats" and the IdDataFieldMap /
 * IdDataEncoding data structures): parsing an IdDataFieldMap, decoding the bits a reader received
 * into IdData, and the formats a factory-new device provides.
 *
 * Bit order follows the guide's H10301 example: bit 1 is the first bit received, and the "LE"
 * encodings read a field with its first bit most significant (bits 10-25 of
 * 1 0000 0000 0010 0111 1110 0101 1 give CardNr 10213 and CardNrHex 27e5). The doc says no more
 * about the other encodings; here "BE" reads the field's bits in reverse, "IBO" reverses its bytes.
 */
import type { Item } from "../entity.js";

export interface IdData {
  readonly Name: string;
  readonly Value: string;
}

/** One chunk of a map: received bits first..last (1-based, inclusive) or constant bits. */
type Chunk = { readonly bits: readonly [number, number] } | { readonly constant: string };

const INT_ENCODINGS = new Set(["BinLE2Int", "BinBE2Int", "BinLEIBO2Int", "BinBEIBO2Int"]);

/** Parses an IdDataFieldMap Map ("10-25", "b0110, 1-8", "xF7D", "s,"), checking it against the input length. */
function parseMap(map: string, inputBits: number): Chunk[] | string {
  const chunks: Chunk[] = [];
  for (const raw of map.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)$/.exec(part)) !== null) {
      chunks.push({ bits: [Number(m[1]), Number(m[1])] });
    } else if ((m = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part)) !== null) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (a > b) return `"${part}" runs backwards; write the lower bit first`;
      chunks.push({ bits: [a, b] });
    } else if ((m = /^(?:0b|b)([01]+)$/.exec(part)) !== null) {
      chunks.push({ constant: m[1]! });
    } else if ((m = /^(?:0x|x)([0-9a-fA-F]+)$/.exec(part)) !== null) {
      chunks.push({ constant: [...m[1]!].map((h) => parseInt(h, 16).toString(2).padStart(4, "0")).join("") });
    } else if (part.startsWith("s") && part.length > 1) {
      chunks.push({ constant: [...part.slice(1)].map((c) => (c.charCodeAt(0) & 0xff).toString(2).padStart(8, "0")).join("") });
    } else {
      return `"${part}" is not a bit (7), a bit range (10-25) or a constant (b0110, xF7D, sABC)`;
    }
    const last = chunks[chunks.length - 1]!;
    if ("bits" in last && (last.bits[0] < 1 || last.bits[1] > inputBits)) return `"${part}" is outside the ${inputBits} input bits (first bit is 1)`;
  }
  if (chunks.length === 0) return "the map selects no bits";
  return chunks;
}

function mapLength(chunks: readonly Chunk[]): number {
  return chunks.reduce((n, c) => n + ("bits" in c ? c.bits[1] - c.bits[0] + 1 : c.constant.length), 0);
}

/** Why a field map cannot be used with `inputBits` bits, or undefined. */
export function fieldMapProblem(field: { Name: string; Map: string; Encoding: string }, inputBits: number): string | undefined {
  const chunks = parseMap(field.Map, inputBits);
  if (typeof chunks === "string") return `IdDataFieldMap "${field.Name}": Map ${chunks}`;
  if (INT_ENCODINGS.has(field.Encoding) && mapLength(chunks) > 64) return `IdDataFieldMap "${field.Name}": ${field.Encoding} encodes at most 64 bits, the map selects ${mapLength(chunks)}`;
  return undefined;
}

function toBytes(bits: string): number[] {
  const padded = bits.padStart(Math.ceil(bits.length / 8) * 8, "0");
  const out: number[] = [];
  for (let i = 0; i < padded.length; i += 8) out.push(parseInt(padded.slice(i, i + 8), 2));
  return out;
}

const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
const reversed = (s: string): string => [...s].reverse().join("");
const bigint = (bytes: readonly number[]): string => (bytes.length === 0 ? "0" : BigInt(`0x${hex(bytes)}`).toString(10));

function encode(bits: string, encoding: string): string {
  const be = encoding.startsWith("BinBE") ? reversed(bits) : bits;
  const bytes = toBytes(be);
  const ibo = encoding.includes("IBO") ? [...bytes].reverse() : bytes;
  switch (encoding) {
    case "BinLE2Int":
    case "BinBE2Int":
    case "BinLEIBO2Int":
    case "BinBEIBO2Int":
      return bigint(ibo);
    case "Bin2Base64":
    case "BinIBO2Base64":
      return Buffer.from(ibo).toString("base64");
    case "Bin2String":
    case "BinIBO2String":
      return encodeURIComponent(String.fromCharCode(...ibo));
    case "BinLEBCD2String":
    case "BinBEBCD2String": {
      const nibbles = be.padStart(Math.ceil(be.length / 4) * 4, "0");
      let out = "";
      for (let i = 0; i < nibbles.length; i += 4) out += parseInt(nibbles.slice(i, i + 4), 2).toString(16);
      return out;
    }
    default:
      return hex(ibo);
  }
}

/** The raw bits of a card given as a lower-case hex string, or undefined when it needs more than `bitCount` bits. */
function cardBits(card: string, bitCount: number): string | undefined {
  const all = BigInt(`0x${card}`).toString(2);
  if (all.length > bitCount && /[^0]/.test(all.slice(0, all.length - bitCount))) return undefined;
  return all.padStart(bitCount, "0").slice(-bitCount);
}

/**
 * The bit count of a presented card: the length of the first of the IdPoint's formats whose
 * hex form (whole bytes) has as many digits and that holds the value; else 4 bits per digit.
 */
export function bitCountOf(card: string, formats: readonly Readonly<Item>[]): number {
  for (const f of formats) {
    const n = f["InputBitlength"] as number;
    if (Math.ceil(n / 8) * 2 === card.length && cardBits(card, n) !== undefined) return n;
  }
  return card.length * 4;
}

/**
 * IdData of a card (guide "Getting card data from a reader"): the fields of the first format
 * whose InputBitlength matches, then Card (the raw data as lower-case hex) and BitCount, which
 * are always included.
 */
export function decodeCard(card: string, bitCount: number, formats: readonly Readonly<Item>[], decodeFields: boolean): IdData[] {
  const bits = cardBits(card, bitCount) ?? "";
  const out: IdData[] = [];
  const format = decodeFields ? formats.find((f) => f["InputBitlength"] === bitCount) : undefined;
  for (const field of (format?.["IdDataFieldMap"] as { Name: string; Map: string; Encoding: string }[] | undefined) ?? []) {
    const chunks = parseMap(field.Map, bitCount);
    if (typeof chunks === "string") continue;
    const selected = chunks.map((c) => ("bits" in c ? bits.slice(c.bits[0] - 1, c.bits[1]) : c.constant)).join("");
    out.push({ Name: field.Name, Value: encode(selected, field.Encoding) });
  }
  out.push({ Name: "Card", Value: hex(toBytes(bits)) }, { Name: "BitCount", Value: String(bitCount) });
  return out;
}

const wiegand = (token: string, name: string, description: string, bits: number, fields: [string, string][]): Item => ({
  token,
  Name: name,
  Description: description,
  InputBitlength: bits,
  IdDataFieldMap: fields.map(([Name, Map]) => ({ Name, Map, Encoding: "BinLE2Int" })),
});

/**
 * The card formats of a factory-new device, with the tokens system-integration-examples.md lists
 * (guide: "Some access card formats are provided by default, for example the Wiegand 26-bit
 * format (H10301)"). The field layouts are the published Wiegand layouts (parity bits left out).
 */
export function factoryCardFormats(): Item[] {
  return [
    wiegand("iddataconf_wiegand_26bit_h10301", "Wiegand 26 bit H10301", "Standard 26-bit: 8-bit facility code, 16-bit card number", 26, [
      ["FacilityCode", "2-9"],
      ["CardNr", "10-25"],
    ]),
    wiegand("iddataconf_wiegand_34bit", "Wiegand 34 bit", "34-bit: 16-bit facility code, 16-bit card number", 34, [
      ["FacilityCode", "2-17"],
      ["CardNr", "18-33"],
    ]),
    wiegand("iddataconf_wiegand_37bit_h10302", "Wiegand 37 bit H10302", "37-bit: 35-bit card number, no facility code", 37, [["CardNr", "2-36"]]),
    wiegand("iddataconf_wiegand_37bit_h10304", "Wiegand 37 bit H10304", "37-bit: 16-bit facility code, 19-bit card number", 37, [
      ["FacilityCode", "2-17"],
      ["CardNr", "18-36"],
    ]),
    wiegand("iddataconf_wiegand_35bit_corporate1000", "Wiegand 35 bit Corporate 1000", "35-bit Corporate 1000: 12-bit company id, 20-bit card number", 35, [
      ["CompanyId", "3-14"],
      ["CardNr", "15-34"],
    ]),
  ];
}
