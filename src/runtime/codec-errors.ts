/**
 * Errors of the codec that errors.ts (the shared contract) has no class for yet. Check by `code`.
 */

/**
 * Decoding failed: the XML element or JSON body does not fit the descriptor (missing required
 * field, bad number/boolean, wrong shape, children out of schema order in strict mode).
 * Transports wrap it in MalformedResponseError; the device turns it into a Sender fault.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
  readonly code = "DECODE_FAILED";
  constructor(readonly path: string, readonly detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
  }
}
