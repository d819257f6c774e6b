/**
 * What the SOAP and JSON bindings share: options, the transport stack
 * (auth → tracing → HTTP), per-call options and error wrapping.
 */
import type { CallOptions, Exchange, HttpResponse, HttpTransport } from "../runtime/binding.js";
import { DecodeError } from "../runtime/codec-errors.js";
import { AuthError, HttpStatusError, MalformedResponseError, XmlParseError } from "../runtime/errors.js";
import type { OperationDescriptor } from "../runtime/model.js";
import { withDigestAuth } from "./digest-auth.js";
import { createHttpTransport, withTracing, type TracedRequest } from "./http.js";

/** Options of createSoapBinding / createJsonBinding. Undefined values mean "default". */
export interface BindingOptions {
  /** Device origin, e.g. "http://192.168.0.90" or "https://192.168.0.90". */
  readonly baseUrl: string;
  /** https:// only: the PEM certificate(s) to trust, e.g. the device's own self-signed one (default: the system CAs). */
  readonly ca?: string | Buffer | undefined;
  /** https:// only: skip certificate verification (default false). */
  readonly insecure?: boolean | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /**
   * Authentication scheme (default "auto" when a user is given; none otherwise). "ws-username-token"
   * (SOAP binding only): no HTTP authentication; every request carries a WS-Security UsernameToken
   * (PasswordDigest, a fresh Nonce, Created on the device clock, learnt once from an
   * unauthenticated tds:GetSystemDateAndTime).
   */
  readonly auth?: "digest" | "basic" | "auto" | "ws-username-token" | undefined;
  /** Total timeout per HTTP exchange (default 30000 ms). */
  readonly timeoutMs?: number | undefined;
  /** TCP connect timeout (default 5000 ms). */
  readonly connectTimeoutMs?: number | undefined;
  /** Largest response accepted (default 16 MiB). */
  readonly maxResponseBytes?: number | undefined;
  /** Sees every HTTP exchange (401 rounds included), credentials redacted. */
  readonly onExchange?: ((exchange: Exchange) => void) | undefined;
  /** SOAP endpoint path (default "/vapix/services"; ignored by the JSON binding). */
  readonly soapPath?: string | undefined;
  /** Inject an HTTP transport (tests, custom stacks); auth and tracing still wrap it. */
  readonly http?: HttpTransport | undefined;
}

export interface TransportStack {
  readonly transport: HttpTransport;
  readonly origin: string;
  readonly defaultTimeoutMs: number | undefined;
  readonly onExchange: ((exchange: Exchange) => void) | undefined;
  close(): Promise<void>;
}

export function buildStack(options: BindingOptions): TransportStack {
  const origin = options.baseUrl.replace(/\/+$/, "");
  const owned = options.http === undefined;
  const http =
    options.http ??
    createHttpTransport({
      baseUrl: options.baseUrl,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.insecure !== undefined ? { insecure: options.insecure } : {}),
    });
  let transport = withTracing(http, origin);
  const auth = options.auth ?? "auto";
  if (auth === "ws-username-token" && options.user === undefined) throw new TypeError('BindingOptions.auth "ws-username-token" needs a user (and password) to put in the UsernameToken');
  if (options.user !== undefined && auth !== "ws-username-token") {
    transport = withDigestAuth(transport, { user: options.user, password: options.password ?? "", mode: auth });
  }
  return {
    transport,
    origin,
    defaultTimeoutMs: options.timeoutMs,
    onExchange: options.onExchange,
    close: async () => {
      if (owned) await http.close?.();
    },
  };
}

/** Combines the binding-level and per-call exchange hooks (undefined when neither is set). */
export function traceHook(stack: TransportStack, call: CallOptions | undefined): ((e: Exchange) => void) | undefined {
  const a = stack.onExchange;
  const b = call?.onExchange;
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (e) => {
    a(e);
    b(e);
  };
}

/** Builds the request object, setting optional fields only when present. `op` names the operation for tracing. */
export function makeRequest(
  stack: TransportStack,
  op: Pick<OperationDescriptor, "prefix" | "name">,
  protocol: "soap" | "json",
  path: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  call: CallOptions | undefined,
): TracedRequest {
  const req: { -readonly [K in keyof TracedRequest]: TracedRequest[K] } = { method: "POST", path, headers, body };
  const trace = traceHook(stack, call);
  if (trace !== undefined) {
    req.trace = trace;
    req.operation = `${op.prefix}:${op.name}`;
    req.protocol = protocol;
  }
  if (call?.signal !== undefined) req.signal = call.signal;
  const timeout = call?.timeoutMs ?? stack.defaultTimeoutMs;
  if (timeout !== undefined) req.timeoutMs = timeout;
  return req;
}

const EXCERPT_CHARS = 200;

export function excerptOf(body: string): string {
  const flat = body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
  return flat.replace(/\s+/g, " ").trim();
}

/** Maps parse/decode failures of a response body to MalformedResponseError. */
export function wrapBodyError(where: string, err: unknown, res: HttpResponse): Error {
  if (err instanceof XmlParseError) {
    const what = err.code === "XML_DTD_FORBIDDEN" ? "refused: DTD in response" : err.code === "XML_TOO_DEEP" ? "XML nested too deeply" : "invalid XML";
    return new MalformedResponseError(where, `${what} (HTTP ${res.status}): ${err.message}`, excerptOf(res.body), { cause: err });
  }
  if (err instanceof DecodeError) {
    return new MalformedResponseError(where, `does not match the expected message (HTTP ${res.status}): ${err.message}`, excerptOf(res.body), { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** A 401 that reached the binding: no credentials were configured. */
export function unauthorized(where: string, res: HttpResponse): AuthError {
  const realm = /realm="([^"]*)"/.exec((res.headers["www-authenticate"] ?? "").slice(0, 2000))?.[1];
  return new AuthError(where, `device requires authentication${realm !== undefined ? ` (realm "${realm}")` : ""} but no user was configured`);
}

export function statusError(where: string, res: HttpResponse): HttpStatusError {
  return new HttpStatusError(where, res.status, excerptOf(res.body));
}
