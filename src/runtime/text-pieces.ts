/**
 * A response body as the byte chunks it arrived in, turned into text on demand, either whole or
 * as pieces that each end right after a chosen ASCII boundary byte (`>` for XML, `,` for JSON).
 *
 * Why pieces: V8 puts every string above ~128 KiB in its large-object space, where each one is
 * a fresh mapping that is touched page by page; on the machines we measured, building one 350 KiB
 * string costs more than decoding it. Pieces of at most PIECE_BYTES stay in the regular heap.
 *
 * Cutting after an ASCII byte is always on a character boundary in UTF-8 (bytes below 0x80 never
 * occur inside a multi-byte sequence), so decoding the pieces one by one gives exactly the text
 * that decoding the whole would, invalid sequences included.
 */

/** Target size of a piece; the largest piece is below ~2× this unless no boundary byte occurs. */
export const PIECE_BYTES = 48 * 1024;

/** Bodies at most this long are read whole: pieces would only add work. */
export const WHOLE_BELOW_BYTES = 96 * 1024;

/** Bytes received, in order. `text` joins and decodes them once (UTF-8) and keeps the result. */
export class ChunkedText {
  private whole: string | undefined;

  constructor(
    readonly chunks: readonly Uint8Array[],
    readonly size: number,
  ) {}

  /** The whole body as one string (cached). */
  get text(): string {
    if (this.whole === undefined) {
      const { chunks } = this;
      this.whole = chunks.length === 0 ? "" : chunks.length === 1 ? toBuffer(chunks[0]).toString("utf8") : Buffer.concat(chunks, this.size).toString("utf8");
    }
    return this.whole;
  }

  /**
   * The body as consecutive pieces of about PIECE_BYTES, each but the last ending right after the
   * byte `boundary`; a body below WHOLE_BELOW_BYTES (or one already joined) is one piece.
   */
  pieces(boundary: number): string[] {
    if (this.whole !== undefined || this.size < WHOLE_BELOW_BYTES) return [this.text];
    return splitPieces(this.chunks, boundary);
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** See ChunkedText.pieces. */
export function splitPieces(chunks: readonly Uint8Array[], boundary: number): string[] {
  const out: string[] = [];
  // Bytes not yet emitted: whole chunks, the first of which may start at `from`.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const emit = (parts: Buffer[], bytes: number): void => {
    out.push(parts.length === 1 ? parts[0].toString("utf8") : Buffer.concat(parts, bytes).toString("utf8"));
  };
  for (const raw of chunks) {
    let chunk = toBuffer(raw);
    // Cut as many times as this chunk allows, each piece reaching at least PIECE_BYTES.
    for (;;) {
      if (pendingBytes + chunk.length < PIECE_BYTES) break;
      const want = Math.max(0, PIECE_BYTES - pendingBytes);
      // The first boundary at or after `want` bytes into this chunk, so pieces stay near the target.
      const cut = chunk.indexOf(boundary, Math.min(want, chunk.length));
      if (cut === -1) break;
      const head = chunk.subarray(0, cut + 1);
      pending.push(head);
      emit(pending, pendingBytes + head.length);
      pending = [];
      pendingBytes = 0;
      chunk = chunk.subarray(cut + 1);
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0 || out.length === 0) emit(pending, pendingBytes);
  return out;
}
