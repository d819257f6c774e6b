/**
 * Typed errors of the runtime and transports. Check them by `code`, not `instanceof`.
 * Every message says where (operation / path) and what next.
 */

/** A device fault, from a SOAP 1.2 Fault or a VAPIX JSON {"Fault":…} body. */
export interface DeviceFault {
  /** Top-level code with canonical prefix, e.g. "env:Sender" / "env:Receiver". */
  readonly code: string;
  /** Subcode chain, outermost first, canonical prefixes, e.g. ["ter:InvalidArgVal", "ter:NotFound"]. */
  readonly subcodes: readonly string[];
  /** Human-readable reason (SOAP Reason/Text or JSON FaultReason). */
  readonly reason: string;
  /** Extra detail text (SOAP Detail text or JSON FaultMsg), if any. */
  readonly detail?: string;
  /** Where it came from. */
  readonly protocol: "soap" | "json";
  /** HTTP status of the response that carried the fault. */
  readonly httpStatus: number;
}

export class DeviceFaultError extends Error {
  override readonly name = "DeviceFaultError";
  readonly code = "DEVICE_FAULT";
  constructor(readonly operation: string, readonly fault: DeviceFault, options?: ErrorOptions) {
    super(`${operation}: device returned ${[fault.code, ...fault.subcodes].join("/")}: ${fault.reason}`, options);
  }
}

/** Non-2xx without a recognisable fault body. */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  readonly code = "HTTP_STATUS";
  constructor(readonly where: string, readonly status: number, readonly bodyExcerpt: string, options?: ErrorOptions) {
    super(`${where}: HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ""}`, options);
  }
}

/** 401 after the auth retry. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code = "AUTH_FAILED";
  constructor(readonly where: string, detail: string, options?: ErrorOptions) {
    super(`${where}: 401 after authentication retry (${detail}); check --user/--password`, options);
  }
}

export type TimeoutPhase = "connect" | "headers" | "body" | "total";

export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "TIMEOUT";
  constructor(readonly where: string, readonly phase: TimeoutPhase, readonly ms: number, options?: ErrorOptions) {
    super(`${where}: ${phase} timeout after ${ms} ms; raise --timeout or check the device`, options);
  }
}

export class AbortedError extends Error {
  override readonly name = "AbortedError";
  readonly code = "ABORTED";
  constructor(readonly where: string, options?: ErrorOptions) {
    super(`${where}: aborted by caller`, options);
  }
}

/** Why TLS refused the device's certificate: Node's code (e.g. DEPTH_ZERO_SELF_SIGNED_CERT) and the problem in words. */
export interface CertificateProblem {
  readonly code: string;
  readonly problem: "not trusted" | "expired" | "not yet valid" | "issued for another host" | "rejected";
}

export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  readonly code = "CONNECTION_FAILED";
  /** Set when the TLS handshake refused the device's certificate. */
  readonly certificate?: CertificateProblem;
  constructor(readonly where: string, detail: string, options?: ErrorOptions & { readonly certificate?: CertificateProblem }) {
    const next = options?.certificate === undefined ? "check the device URL and that it is reachable" : "trust its issuer with the ca option, or skip verification with insecure";
    super(`${where}: cannot connect (${detail}); ${next}`, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.certificate !== undefined) this.certificate = options.certificate;
  }
}

export class ResponseTooLargeError extends Error {
  override readonly name = "ResponseTooLargeError";
  readonly code = "RESPONSE_TOO_LARGE";
  constructor(readonly where: string, readonly limitBytes: number, options?: ErrorOptions) {
    super(`${where}: response exceeds the ${limitBytes}-byte limit; raise maxResponseBytes if this is expected`, options);
  }
}

/** Malformed XML/JSON, a forbidden DTD, or a body that does not match the expected message. */
export class MalformedResponseError extends Error {
  override readonly name = "MalformedResponseError";
  readonly code = "MALFORMED_RESPONSE";
  constructor(readonly where: string, detail: string, readonly bodyExcerpt = "", options?: ErrorOptions) {
    super(`${where}: malformed response: ${detail}`, options);
  }
}

/** XML parse failure (position-aware). Used by the parser; transports wrap it in MalformedResponseError. */
export class XmlParseError extends Error {
  override readonly name = "XmlParseError";
  constructor(readonly code: "XML_MALFORMED" | "XML_DTD_FORBIDDEN" | "XML_TOO_DEEP", detail: string, readonly line: number, readonly column: number, options?: ErrorOptions) {
    super(`XML ${line}:${column}: ${detail}`, options);
  }
}

/** Encoding a request failed: the input does not fit the descriptor (missing required field, wrong type). */
export class EncodeError extends Error {
  override readonly name = "EncodeError";
  readonly code = "ENCODE_FAILED";
  constructor(readonly path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
  }
}
