import { describe, expect, it } from "@jest/globals";
import { ChunkedText, PIECE_BYTES, WHOLE_BELOW_BYTES, splitPieces } from "../../src/runtime/text-pieces.js";

/** Cuts `bytes` into chunks of the given sizes (cycled), as a socket might deliver them. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

function xmlDocument(items: number): string {
  let s = `<?xml version="1.0"?><r:List xmlns:r="urn:x">`;
  for (let i = 0; i < items; i++) s += `<r:Item token="t-${i}"><r:Name>Zoë ✓ ${i} 𝄞</r:Name></r:Item>`;
  return `${s}</r:List>`;
}

describe("splitPieces", () => {
  it("joins back to exactly the decoded text, each piece but the last ending with the boundary", () => {
    const text = xmlDocument(5000);
    const bytes = Buffer.from(text, "utf8");
    for (const sizes of [[65536], [16384, 7, 65536], [1000, 3]]) {
      const pieces = splitPieces(chunked(bytes, sizes), 0x3e);
      expect(pieces.join("")).toBe(text);
      expect(pieces.length).toBeGreaterThan(1);
      for (const p of pieces.slice(0, -1)) {
        expect(p.endsWith(">")).toBe(true);
        // Near the target size (bytes ≥ chars here, and chars ≤ bytes).
        expect(Buffer.byteLength(p)).toBeGreaterThanOrEqual(PIECE_BYTES);
        expect(Buffer.byteLength(p)).toBeLessThan(PIECE_BYTES + 70_000);
      }
    }
  });

  it("never splits a multi-byte character, even when a chunk does", () => {
    const text = "é𝄞✓,".repeat(40_000);
    const bytes = Buffer.from(text, "utf8");
    // Chunk sizes chosen to cut inside 2-, 3- and 4-byte sequences.
    const pieces = splitPieces(chunked(bytes, [65537, 65535, 3, 65538]), 0x2c);
    expect(pieces.join("")).toBe(text);
    expect(pieces.every((p) => !p.includes("\uFFFD"))).toBe(true);
  });

  it("decodes invalid UTF-8 exactly as decoding the whole would", () => {
    const bytes = Buffer.concat([Buffer.from("a>".repeat(30_000)), Buffer.from([0xe2, 0x3e, 0xff, 0x3e]), Buffer.from("b>".repeat(30_000))]);
    const pieces = splitPieces(chunked(bytes, [60001]), 0x3e);
    expect(pieces.join("")).toBe(bytes.toString("utf8"));
  });

  it("gives one piece when the boundary byte never occurs", () => {
    const bytes = Buffer.from("x".repeat(200_000));
    expect(splitPieces(chunked(bytes, [65536]), 0x3e)).toEqual([bytes.toString()]);
    expect(splitPieces([], 0x3e)).toEqual([""]);
  });
});

describe("ChunkedText", () => {
  it("keeps a small body whole and cuts a large one", () => {
    const small = Buffer.from(xmlDocument(10));
    expect(small.length).toBeLessThan(WHOLE_BELOW_BYTES);
    expect(new ChunkedText([small], small.length).pieces(0x3e)).toEqual([small.toString()]);
    const large = Buffer.from(xmlDocument(5000));
    const body = new ChunkedText(chunked(large, [65536]), large.length);
    expect(body.pieces(0x3e).length).toBeGreaterThan(1);
    expect(body.text).toBe(large.toString());
    // Once the text exists, pieces would only add work.
    expect(body.pieces(0x3e)).toEqual([large.toString()]);
  });
});
