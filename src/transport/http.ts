/**
 * The HTTP layer on undici 7: one keep-alive Pool per device origin, connect/headers/body
 * timeouts, a total timeout and the caller's AbortSignal, and a streamed size limit.
 */
import { Pool } from "undici";
import type { HttpRequest, HttpResponse, HttpTransport } from "../runtime/binding.js";
import type { Exchange } from "../runtime/binding.js";
import { AbortedError, ConnectionError, ResponseTooLargeError, TimeoutError } from "../runtime/errors.js";

/** Options of createHttpTransport. */
export interface HttpTransportOptions {
  /** Device origin, e.g. "http://192.168.0.90" (a path part is not allowed). */
  readonly baseUrl: string;
  /** TCP connect timeout (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Total time budget per exchange (default 30000 ms); a request's own timeoutMs wins. */
  readonly timeoutMs?: number;
  /** Largest response body accepted (default 16 MiB); larger → ResponseTooLargeError. */
  readonly maxResponseBytes?: number;
  /** Reuse connections (default true). */
  readonly keepAlive?: boolean;
  /** Parallel connections to the device (default 4). */
  readonly connections?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_TIMEOUT_MS = 30000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** An HttpTransport bound to one origin. */
export interface OriginTransport extends HttpTransport {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Trace hook carried on a request through wrappers (withDigestAuth spreads requests, so it
 * survives): the traced transport calls it once per HTTP exchange, with credentials redacted.
 */
export interface TracedRequest extends HttpRequest {
  readonly trace?: (exchange: Exchange) => void;
  readonly operation?: string;
  readonly protocol?: "soap" | "json";
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EPIPE", "ETIMEDOUT",
  "UND_ERR_SOCKET", "UND_ERR_CLOSED", "UND_ERR_DESTROYED",
]);

function errorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e !== undefined && e !== null && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

function parseOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (err) {
    throw new ConnectionError(`baseUrl ${JSON.stringify(baseUrl)}`, "not a valid URL; expected e.g. http://192.168.0.90", { cause: err });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConnectionError(`baseUrl ${baseUrl}`, `unsupported scheme ${url.protocol}; use http:// or https://`);
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    throw new ConnectionError(`baseUrl ${baseUrl}`, `a path (${url.pathname}) is not allowed; give the origin only, paths come from the operation`);
  }
  return url.origin;
}

/** Creates the undici-backed transport. Close it to release sockets. */
export function createHttpTransport(options: HttpTransportOptions): OriginTransport {
  const origin = parseOrigin(options.baseUrl);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const keepAlive = options.keepAlive !== false;
  const pool = new Pool(origin, {
    connections: options.connections ?? 4,
    connect: { timeout: connectTimeoutMs },
    keepAliveTimeout: 4000,
    pipelining: 1,
  });
  let closed = false;

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const where = `${req.method} ${origin}${req.path}`;
    if (closed) throw new ConnectionError(where, "transport is closed");
    const callerSignal = req.signal;
    if (callerSignal?.aborted === true) throw new AbortedError(where, { cause: callerSignal.reason });
    const timeoutMs = req.timeoutMs ?? defaultTimeout;

    // One controller per exchange: fired by the total timer or by the caller's signal.
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => ac.abort();
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });

    let phase: "headers" | "body" = "headers";
    try {
      const res = await pool.request({
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.method === "GET" ? null : req.body,
        signal: ac.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        reset: !keepAlive,
      });
      phase = "body";
      const declared = Number(res.headers["content-length"]);
      if (declared > maxBytes) {
        res.body.destroy();
        throw new ResponseTooLargeError(where, maxBytes);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > maxBytes) {
          res.body.destroy();
          throw new ResponseTooLargeError(where, maxBytes);
        }
        chunks.push(buf);
      }
      const body = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks, size).toString("utf8");
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body };
    } catch (err) {
      if (err instanceof ResponseTooLargeError) throw err;
      if (isAborted(callerSignal)) throw new AbortedError(where, { cause: err });
      if (timedOut) throw new TimeoutError(where, "total", timeoutMs, { cause: err });
      const code = errorCode(err);
      if (code === "UND_ERR_CONNECT_TIMEOUT") throw new TimeoutError(where, "connect", connectTimeoutMs, { cause: err });
      if (code === "UND_ERR_HEADERS_TIMEOUT") throw new TimeoutError(where, "headers", timeoutMs, { cause: err });
      if (code === "UND_ERR_BODY_TIMEOUT") throw new TimeoutError(where, "body", timeoutMs, { cause: err });
      if (code !== undefined && CONNECTION_CODES.has(code)) {
        const detail = phase === "headers" ? code : `${code} while reading the response body`;
        throw new ConnectionError(where, detail, { cause: err });
      }
      if (code === "UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE") throw new ResponseTooLargeError(where, maxBytes, { cause: err });
      throw new ConnectionError(where, err instanceof Error ? err.message : String(err), { cause: err });
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  }

  return {
    origin,
    send,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal !== undefined && signal.aborted;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    // Repeated headers joined as RFC 9110 §5.3 allows; WWW-Authenticate challenges stay parseable.
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tracing

const REDACTED = "<redacted>";

/** Redacts credentials in Authorization / Authentication-Info style header values. */
export function redactAuthValue(value: string): string {
  const trimmed = value.trimStart();
  const space = trimmed.indexOf(" ");
  const scheme = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  if (scheme === "basic" || scheme === "bearer") return `${trimmed.slice(0, space === -1 ? trimmed.length : space)} ${REDACTED}`;
  // Digest params: hide the proof values, keep username/realm/nonce/nc for debugging reuse.
  return value.replace(/\b(response|rspauth)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)/gi, (_m, name: string) => `${name}="${REDACTED}"`);
}

const SENSITIVE_HEADERS = new Set(["authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "authentication-info"]);

/** Copy of headers with credential parts redacted. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(headers)) {
    const v = headers[k];
    out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? redactAuthValue(v) : v;
  }
  return out;
}

/**
 * Wraps a transport so each exchange is reported to the request's `trace` hook (see
 * TracedRequest). Requests without a hook cost one property check.
 */
export function withTracing(inner: HttpTransport, origin: string): HttpTransport {
  return {
    async send(req: HttpRequest): Promise<HttpResponse> {
      const trace = (req as TracedRequest).trace;
      if (trace === undefined) return inner.send(req);
      const started = performance.now();
      const t = req as TracedRequest;
      const base = {
        ...(t.operation !== undefined ? { operation: t.operation } : {}),
        ...(t.protocol !== undefined ? { protocol: t.protocol } : {}),
        request: { method: req.method, url: `${origin}${req.path}`, headers: redactHeaders(req.headers), body: req.body },
      };
      try {
        const res = await inner.send(req);
        safeTrace(trace, { ...base, response: { status: res.status, headers: redactHeaders(res.headers), body: res.body }, durationMs: performance.now() - started });
        return res;
      } catch (err) {
        safeTrace(trace, { ...base, error: err instanceof Error ? err : new Error(String(err)), durationMs: performance.now() - started });
        throw err;
      }
    },
    ...(inner.close !== undefined ? { close: () => inner.close!() } : {}),
  };
}

function safeTrace(trace: (e: Exchange) => void, e: Exchange): void {
  try {
    trace(e);
  } catch {
    // A broken trace hook must not turn a successful call into a failure.
  }
}
