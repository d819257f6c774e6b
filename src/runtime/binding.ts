import type { OperationDescriptor, XmlElement } from "./model.js";
import type { ChunkedText } from "./text-pieces.js";

/** One HTTP request as the runtime sends it. */
export interface HttpRequest {
  readonly method: "POST" | "GET";
  /** Path on the device, e.g. "/vapix/services". */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal?: AbortSignal;
  /** Total time budget for this exchange (connect + send + read). */
  readonly timeoutMs?: number;
}

/** One HTTP response; `body` is the full decoded UTF-8 text (already size-limited). */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole text; a received response builds it on first read (see `received`). */
  readonly body: string;
  /**
   * The body as received, when it came over the network: decoders read a large one in pieces
   * instead of building `body` (see text-pieces.ts). Absent for responses made in memory.
   */
  readonly received?: ChunkedText;
}

/** The HTTP layer. Digest/Basic auth wraps one of these (withDigestAuth). */
export interface HttpTransport {
  send(req: HttpRequest): Promise<HttpResponse>;
  close?(): Promise<void>;
}

/** What a trace hook sees: one request and its response (or error), credentials redacted. */
export interface Exchange {
  readonly operation?: string;
  readonly protocol?: "soap" | "json";
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string };
  readonly response?: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string };
  readonly error?: Error;
  readonly durationMs: number;
}

/** Per-call options. Each field overrides the binding's default. */
export interface CallOptions {
  /** Total timeout in ms for this call (default: the binding's, 30000). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Sees every HTTP exchange of this call (including the 401 round of Digest), redacted. */
  readonly onExchange?: (exchange: Exchange) => void;
  /**
   * SOAP only: send the call as a WS-Addressing message: wsa:Action and wsa:To marked
   * mustUnderstand, a wsa:MessageID, and the endpoint's reference parameters as header blocks.
   * `to` is an endpoint address the device handed out (e.g. a pull-point subscription); the
   * request goes to its path on the binding's origin (a device behind NAT may name another host).
   */
  readonly wsAddressing?: WsAddressing;
  /**
   * SOAP only: extra prefix → namespace declarations on the Envelope, for QName values in the
   * body, e.g. the `tns1:` of a topic expression ("tns1:Door/State/DoorMode").
   */
  readonly namespaces?: Readonly<Record<string, string>>;
}

/** The endpoint a WS-Addressing call is sent to (CallOptions.wsAddressing). */
export interface WsAddressing {
  /** Absolute address (default: the binding's SOAP endpoint). */
  readonly to?: string;
  /** The endpoint reference's ReferenceParameters children, echoed as header blocks. */
  readonly referenceParameters?: readonly XmlElement[];
}

/**
 * A protocol binding: carries one operation over SOAP 1.2 or VAPIX JSON. Generated clients
 * take one of these; src/transport builds them (createSoapBinding / createJsonBinding).
 */
export interface Binding {
  readonly protocol: "soap" | "json";
  call(op: OperationDescriptor, input: unknown, options?: CallOptions): Promise<unknown>;
}

/** The one function generated client methods call. */
export function invoke<I, O>(binding: Binding, op: OperationDescriptor, input: I, options?: CallOptions): Promise<O> {
  return binding.call(op, input, options) as Promise<O>;
}
