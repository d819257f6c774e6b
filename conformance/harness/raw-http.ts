/**
 * Raw HTTP for hand-built bodies (malformed input, requests the typed encoder refuses). It uses
 * the same transport stack as the typed bindings (undici, limits, timeouts, Digest/Basic,
 * redacted tracing); only the body is ours, so it can send what the encoder never would.
 */
import { createDeviceTransport, type TracedRequest } from "../../src/transport/index.js";
import type { CallOptions, HttpResponse } from "./types.js";

export interface RawHttpOptions {
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  readonly timeoutMs: number;
  /** https:// only: the PEM to trust (--ca). */
  readonly ca?: string | undefined;
  /** https:// only: skip certificate verification (--insecure). */
  readonly insecure?: boolean | undefined;
}

export function createRawHttp(options: RawHttpOptions) {
  const stack = createDeviceTransport({ baseUrl: options.baseUrl, user: options.user, password: options.password, timeoutMs: options.timeoutMs, ca: options.ca, insecure: options.insecure });
  return {
    send(path: string, contentType: string, body: string, operation: string | undefined, call: CallOptions = {}): Promise<HttpResponse> {
      const req: { -readonly [K in keyof TracedRequest]: TracedRequest[K] } = {
        method: "POST",
        path,
        headers: { "content-type": contentType },
        body,
        timeoutMs: call.timeoutMs ?? options.timeoutMs,
      };
      if (call.signal !== undefined) req.signal = call.signal;
      if (call.onExchange !== undefined) {
        req.trace = call.onExchange;
        if (operation !== undefined) req.operation = operation;
      }
      return stack.transport.send(req);
    },
    /** A GET (the back door's discovery and state), same stack; no trace. */
    get(path: string, call: CallOptions = {}): Promise<HttpResponse> {
      const req: { -readonly [K in keyof TracedRequest]: TracedRequest[K] } = { method: "GET", path, headers: {}, body: "", timeoutMs: call.timeoutMs ?? options.timeoutMs };
      if (call.signal !== undefined) req.signal = call.signal;
      return stack.transport.send(req);
    },
    close: () => stack.close(),
  };
}
