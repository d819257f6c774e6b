/**
 * Errors of the WSDL/XSD compiler. Check them by `code`, not `instanceof`. Every message names
 * the file (and line) at fault and what to do next.
 */
export type CodegenErrorCode =
  /** The XML of a WSDL/XSD file is not well-formed. */
  | "XML_MALFORMED"
  /** An input, import or include names a local file that does not exist or cannot be read. */
  | "FILE_NOT_FOUND"
  /** A remote (http/https) schemaLocation/location that the catalog does not map. */
  | "IMPORT_UNRESOLVED"
  /** The catalog or services config file is unreadable or has the wrong shape. */
  | "CONFIG_INVALID"
  /** A QName reference (type, element, group, message, portType…) that no loaded schema defines. */
  | "UNKNOWN_REFERENCE"
  /** Two different definitions of the same component. */
  | "DUPLICATE_DEFINITION"
  /** A construct the compiler does not support (e.g. rpc-style `type=` message parts). */
  | "UNSUPPORTED"
  /** Bad command-line usage. */
  | "USAGE";

export class CodegenError extends Error {
  override readonly name = "CodegenError";
  constructor(
    readonly code: CodegenErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
