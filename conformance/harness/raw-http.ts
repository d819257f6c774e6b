/**
 * Raw HTTP for hand-built bodies (malformed input, requests the typed encoder refuses), with
 * HTTP Digest (RFC 7616: MD5 / SHA-256, qop=auth) or Basic, via undici. Kept small and separate
 * from the typed bindings on purpose: it must send what the encoder never would.
 */
import { createHash } from "node:crypto";
import { request } from "undici";
import type { CallOptions, Exchange, HttpResponse } from "./types.js";

export interface RawHttpOptions {
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  readonly timeoutMs: number;
}

interface Challenge {
  readonly scheme: "digest" | "basic";
  readonly params: Record<string, string>;
}

function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  const digest = values.find((v) => /^digest\s/i.test(v));
  if (digest !== undefined) {
    const params: Record<string, string> = {};
    for (const m of digest.slice(7).matchAll(/([a-zA-Z]+)=(?:"([^"]*)"|([^,\s]*))/g)) params[(m[1] as string).toLowerCase()] = m[2] ?? m[3] ?? "";
    return { scheme: "digest", params };
  }
  if (values.some((v) => /^basic/i.test(v))) return { scheme: "basic", params: {} };
  return undefined;
}

function digestHeader(c: Challenge, method: string, uri: string, user: string, password: string, nc: number): string {
  const algorithm = (c.params["algorithm"] ?? "MD5").toUpperCase();
  const hashName = algorithm.startsWith("SHA-256") ? "sha256" : "md5";
  const h = (s: string) => createHash(hashName).update(s).digest("hex");
  const realm = c.params["realm"] ?? "";
  const nonce = c.params["nonce"] ?? "";
  const cnonce = createHash("md5").update(`${Date.now()}:${Math.random()}`).digest("hex").slice(0, 16);
  let ha1 = h(`${user}:${realm}:${password}`);
  if (algorithm.endsWith("-SESS")) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const qop = (c.params["qop"] ?? "").split(",").map((s) => s.trim()).includes("auth") ? "auth" : undefined;
  const ncText = nc.toString(16).padStart(8, "0");
  const response = qop !== undefined ? h(`${ha1}:${nonce}:${ncText}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `algorithm=${algorithm}`, `response="${response}"`];
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${ncText}`, `cnonce="${cnonce}"`);
  if (c.params["opaque"] !== undefined) parts.push(`opaque="${c.params["opaque"]}"`);
  return `Digest ${parts.join(", ")}`;
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export function createRawHttp(options: RawHttpOptions) {
  let challenge: Challenge | undefined;
  let nc = 0;
  const base = new URL(options.baseUrl);

  async function once(path: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined, timeoutMs: number) {
    const url = new URL(path, base);
    const auth: Record<string, string> = {};
    if (challenge?.scheme === "digest") auth["authorization"] = digestHeader(challenge, "POST", url.pathname + url.search, options.user, options.password, ++nc);
    else if (challenge?.scheme === "basic") auth["authorization"] = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`;
    const res = await request(url, {
      method: "POST",
      headers: { ...headers, ...auth },
      body,
      ...(signal !== undefined ? { signal } : {}),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers as Record<string, string | string[] | undefined>, body: text, url: url.href };
  }

  return {
    async send(path: string, contentType: string, body: string, operation: string | undefined, call: CallOptions = {}): Promise<HttpResponse> {
      const timeoutMs = call.timeoutMs ?? options.timeoutMs;
      const headers = { "content-type": contentType };
      const started = Date.now();
      let res = await once(path, headers, body, call.signal, timeoutMs);
      if (res.status === 401) {
        const c = parseChallenge(res.headers["www-authenticate"]);
        if (c !== undefined) {
          challenge = c;
          nc = 0;
          res = await once(path, headers, body, call.signal, timeoutMs);
        }
      }
      const response: HttpResponse = { status: res.status, headers: flatHeaders(res.headers), body: res.body };
      const ex: Exchange = {
        ...(operation !== undefined ? { operation } : {}),
        request: { method: "POST", url: res.url, headers, body },
        response,
        durationMs: Date.now() - started,
      };
      call.onExchange?.(ex);
      return response;
    },
  };
}
