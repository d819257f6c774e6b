/**
 * HTTP authentication as a transport wrapper: RFC 7616 Digest (client side) and RFC 7617 Basic.
 *
 * Digest: MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256 (SHA-256 preferred when offered),
 * qop=auth (auth-int when it is the only one offered; RFC 2069 style when no qop). Once a nonce
 * is known every request is signed preemptively with a rising nonce count, so there is no 401
 * round per call. A 401 with stale=true, or one answering a preemptively signed request,
 * triggers one retry with the new nonce; a 401 to a fresh response → AuthError naming the realm.
 */
import { createHash, randomBytes } from "node:crypto";
import type { HttpRequest, HttpResponse, HttpTransport } from "../runtime/binding.js";
import { AuthError } from "../runtime/errors.js";

/** Credentials and scheme choice for withDigestAuth. */
export interface AuthOptions {
  readonly user: string;
  readonly password: string;
  /**
   * "auto" (default): first request without credentials, then what the challenge asks (Digest
   * preferred over Basic). "digest": Digest only. "basic": preemptive Basic on every request.
   */
  readonly mode?: "auto" | "digest" | "basic";
}

/** One parsed challenge from WWW-Authenticate. Param names are lower-case. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

function isTokenChar(c: number): boolean {
  // RFC 9110 tchar
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e ||
    c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e
  );
}

/**
 * Parses a WWW-Authenticate value with any number of challenges (RFC 9110 §11.6.1):
 * quoted strings may contain commas and escaped quotes. Malformed tails are ignored.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: { scheme: string; params: Record<string, string>; token68?: string }[] = [];
  const n = header.length;
  let i = 0;
  const skipWs = (): void => {
    while (i < n && (header.charCodeAt(i) === 0x20 || header.charCodeAt(i) === 0x09)) i++;
  };
  const readToken = (): string => {
    const s = i;
    while (i < n && isTokenChar(header.charCodeAt(i))) i++;
    return header.slice(s, i);
  };
  let current: (typeof out)[number] | undefined;
  while (i < n) {
    skipWs();
    if (header.charCodeAt(i) === 0x2c) { i++; continue; }
    const tokStart = i;
    const tok = readToken();
    if (tok === "") { i++; continue; }
    skipWs();
    if (header.charCodeAt(i) === 0x3d && current !== undefined && header.charCodeAt(i + 1) !== 0x3d) {
      // auth-param of the current challenge
      i++;
      skipWs();
      let value: string;
      if (header.charCodeAt(i) === 0x22) {
        i++;
        value = "";
        while (i < n && header.charCodeAt(i) !== 0x22) {
          if (header.charCodeAt(i) === 0x5c && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        value = readToken();
      }
      current.params[tok.toLowerCase()] = value;
      continue;
    }
    // A new challenge: scheme, then either a token68 or auth-params.
    i = tokStart + tok.length;
    current = { scheme: tok, params: {} };
    out.push(current);
    skipWs();
    const t68 = /^[A-Za-z0-9\-._~+/]+=*/.exec(header.slice(i, i + 4096));
    if (t68 !== null) {
      const after = i + t68[0].length;
      let j = after;
      while (j < n && (header.charCodeAt(j) === 0x20 || header.charCodeAt(j) === 0x09)) j++;
      // A token followed by '=' and a value is an auth-param, not a token68.
      const isParam = t68[0].indexOf("=") === -1 ? header.charCodeAt(j) === 0x3d : false;
      if (!isParam && (j >= n || header.charCodeAt(j) === 0x2c)) {
        current.token68 = t68[0];
        i = after;
      }
    }
  }
  return out;
}

const ALGORITHMS: Readonly<Record<string, { hash: string; sess: boolean; rank: number }>> = {
  "SHA-512-256": { hash: "sha512-256", sess: false, rank: 6 },
  "SHA-512-256-SESS": { hash: "sha512-256", sess: true, rank: 5 },
  "SHA-256": { hash: "sha256", sess: false, rank: 4 },
  "SHA-256-SESS": { hash: "sha256", sess: true, rank: 3 },
  MD5: { hash: "md5", sess: false, rank: 2 },
  "MD5-SESS": { hash: "md5", sess: true, rank: 1 },
};

interface DigestState {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly algorithm: string;
  readonly hash: string;
  readonly sess: boolean;
  readonly qop: "auth" | "auth-int" | undefined;
  readonly userhash: boolean;
  nc: number;
  /** H(user:realm:password), cached per state. */
  readonly ha1base: string;
}

function h(hash: string, s: string): string {
  return createHash(hash).update(s, "utf8").digest("hex");
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

/** Chooses the strongest usable Digest challenge. */
function pickDigest(challenges: readonly AuthChallenge[]): { c: AuthChallenge; algo: string } | undefined {
  let best: { c: AuthChallenge; algo: string; rank: number } | undefined;
  for (const c of challenges) {
    if (c.scheme.toLowerCase() !== "digest" || c.params.nonce === undefined) continue;
    const algo = (c.params.algorithm ?? "MD5").toUpperCase();
    const a = ALGORITHMS[algo];
    if (a === undefined) continue;
    if (best === undefined || a.rank > best.rank) best = { c, algo, rank: a.rank };
  }
  return best;
}

/** Wraps a transport with Digest/Basic authentication. */
export function withDigestAuth(inner: HttpTransport, options: AuthOptions): HttpTransport {
  const mode = options.mode ?? "auto";
  const { user, password } = options;
  const basicValue = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  let digest: DigestState | undefined;
  let useBasic = mode === "basic";

  function makeState(c: AuthChallenge, algo: string): DigestState {
    const a = ALGORITHMS[algo];
    const realm = c.params.realm ?? "";
    const qops = (c.params.qop ?? "").split(",").map((q) => q.trim().toLowerCase()).filter((q) => q !== "");
    const qop = qops.includes("auth") ? "auth" : qops.includes("auth-int") ? "auth-int" : undefined;
    return {
      realm,
      nonce: c.params.nonce ?? "",
      opaque: c.params.opaque,
      algorithm: c.params.algorithm ?? "MD5",
      hash: a.hash,
      sess: a.sess,
      qop,
      userhash: (c.params.userhash ?? "").toLowerCase() === "true",
      nc: 0,
      ha1base: h(a.hash, `${user}:${realm}:${password}`),
    };
  }

  function authorize(req: HttpRequest, s: DigestState): string {
    const nc = (++s.nc).toString(16).padStart(8, "0");
    const cnonce = randomBytes(12).toString("hex");
    const ha1 = s.sess ? h(s.hash, `${s.ha1base}:${s.nonce}:${cnonce}`) : s.ha1base;
    const ha2 = s.qop === "auth-int" ? h(s.hash, `${req.method}:${req.path}:${h(s.hash, req.body)}`) : h(s.hash, `${req.method}:${req.path}`);
    const response = s.qop === undefined ? h(s.hash, `${ha1}:${s.nonce}:${ha2}`) : h(s.hash, `${ha1}:${s.nonce}:${nc}:${cnonce}:${s.qop}:${ha2}`);
    const username = s.userhash ? h(s.hash, `${user}:${s.realm}`) : user;
    let v = `Digest username=${quote(username)}, realm=${quote(s.realm)}, nonce=${quote(s.nonce)}, uri=${quote(req.path)}, algorithm=${s.algorithm}, response="${response}"`;
    if (s.qop !== undefined) v += `, qop=${s.qop}, nc=${nc}, cnonce="${cnonce}"`;
    if (s.opaque !== undefined) v += `, opaque=${quote(s.opaque)}`;
    if (s.userhash) v += ", userhash=true";
    return v;
  }

  // Basic headers are the same for every call with the same base headers: build them once.
  const basicHeaders = new WeakMap<object, Readonly<Record<string, string>>>();

  function withAuth(req: HttpRequest, value: string): HttpRequest {
    let headers: Readonly<Record<string, string>> | undefined;
    if (value === basicValue) {
      headers = basicHeaders.get(req.headers);
      if (headers === undefined) {
        headers = { ...req.headers, authorization: value };
        basicHeaders.set(req.headers, headers);
      }
    } else {
      headers = { ...req.headers, authorization: value };
    }
    return { ...req, headers };
  }

  function where(req: HttpRequest): string {
    return `${req.method} ${req.path}`;
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    let preemptive: "digest" | "basic" | "none" = "none";
    let attempt = req;
    if (useBasic) {
      attempt = withAuth(req, basicValue);
      preemptive = "basic";
    } else if (digest !== undefined) {
      attempt = withAuth(req, authorize(req, digest));
      preemptive = "digest";
    }
    let res = await inner.send(attempt);
    // One retry after the first 401 (unauthenticated, or signed with a cached nonce / Basic);
    // a second only when the device says the nonce was stale.
    let retries = 0;
    for (;;) {
      if (res.status !== 401) return res;
      const challenges = parseChallenges(res.headers["www-authenticate"] ?? "");
      const picked = mode === "basic" ? undefined : pickDigest(challenges);
      const basicOffered = challenges.some((c) => c.scheme.toLowerCase() === "basic");
      const realm = (picked?.c ?? challenges.find((c) => c.params.realm !== undefined))?.params.realm;
      const realmText = realm === undefined ? "no realm given" : `realm "${realm}"`;
      if (mode === "basic" || (picked === undefined && basicOffered && mode === "auto")) {
        if (preemptive === "basic" || retries > 0) throw new AuthError(where(req), `Basic credentials rejected, ${realmText}`);
        useBasic = true;
        preemptive = "basic";
        retries++;
        res = await inner.send(withAuth(req, basicValue));
        continue;
      }
      if (picked === undefined) {
        const offered = challenges.map((c) => c.scheme).join(", ") || "no WWW-Authenticate challenge";
        throw new AuthError(
          where(req),
          mode === "digest" && basicOffered ? `device offers only ${offered} but auth is "digest"` : `no usable Digest challenge (${offered}), ${realmText}`,
        );
      }
      const stale = (picked.c.params.stale ?? "").toLowerCase() === "true";
      if (retries >= 2 || (retries === 1 && !stale)) throw new AuthError(where(req), `Digest ${picked.algo} credentials rejected, ${realmText}`);
      retries++;
      digest = makeState(picked.c, picked.algo);
      preemptive = "digest";
      res = await inner.send(withAuth(req, authorize(req, digest)));
    }
  }

  return {
    send,
    ...(inner.close !== undefined ? { close: () => inner.close!() } : {}),
  };
}
