/**
 * Server side of HTTP Digest (RFC 7616: MD5 and SHA-256, qop=auth) and Basic. The device challenges
 * MD5 alone by default, as ONVIF Core recommends and deployed door controllers do (clients that
 * read only the first challenge, such as Python's urllib, then log in); `algorithms` offers
 * SHA-256 too, in preference order. Nonces are reusable
 * with a rising nonce count; a repeated nc is a replay and is refused; an expired or unknown
 * nonce with an otherwise correct response gets stale=true so clients retry without prompting.
 * Credentials are read from an AccountLookup at every request (identity/accounts.ts: the device's
 * accounts), so an account created, changed or removed counts from the next request on; a fixed
 * user/password pair is the one-account case.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** An account's level: VAPIX's security groups (ONVIF Administrator, Operator and User). */
export type AccountLevel = "admin" | "operator" | "viewer";

/** Where the authenticator reads logins from; undefined means no such account. */
export interface AccountLookup {
  password(user: string): string | undefined;
  /** The level the account is authorised with. */
  level(user: string): AccountLevel | undefined;
}

/** The accounts: a lookup, or one administrator given by name and password. */
export type DigestAccounts = { readonly accounts: AccountLookup } | { readonly user: string; readonly password: string };

export type DigestConfig = DigestAccounts & {
  readonly realm: string;
  /** How long an issued nonce stays valid (default 5 minutes). */
  readonly nonceTtlMs?: number;
  /** The Digest algorithms challenged, in preference order (default ["MD5"]). */
  readonly algorithms?: readonly DigestAlgorithm[];
  readonly now?: () => number;
};

export type AuthResult = { readonly ok: true; readonly user: string; readonly level: AccountLevel } | { readonly ok: false; readonly stale: boolean; readonly why: string };

/** The one-account lookup: `user` with `password`, an administrator. */
export function singleAccount(user: string, password: string): AccountLookup {
  return { password: (u) => (u === user ? password : undefined), level: (u) => (u === user ? "admin" : undefined) };
}

interface NonceState {
  readonly issued: number;
  /** Highest nc seen and the nc values seen within the window below it (concurrent requests arrive out of order). */
  maxNc: number;
  readonly seen: Set<number>;
}

export const DIGEST_ALGORITHMS = ["MD5", "SHA-256"] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

const ALGORITHMS: Readonly<Record<string, "md5" | "sha256">> = { MD5: "md5", "MD5-SESS": "md5", "SHA-256": "sha256", "SHA-256-SESS": "sha256" };
const MAX_NONCES = 5000;
const NC_WINDOW = 1024;

/** Parses `key=value, key="quoted, value"` auth-params. */
export function parseAuthParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === " " || s[i] === "," || s[i] === "\t")) i++;
    const eq = s.indexOf("=", i);
    if (eq < 0) break;
    const key = s.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = "";
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
      i++;
    } else {
      const end = s.indexOf(",", i);
      value = (end < 0 ? s.slice(i) : s.slice(i, end)).trim();
      i = end < 0 ? s.length : end;
    }
    out[key] = value;
  }
  return out;
}

const hash = (alg: "md5" | "sha256", s: string): string => createHash(alg).update(s, "utf8").digest("hex");

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class DigestAuthenticator {
  private readonly nonces = new Map<string, NonceState>();
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly accounts: AccountLookup;

  constructor(private readonly config: DigestConfig) {
    this.accounts = "accounts" in config ? config.accounts : singleAccount(config.user, config.password);
    this.ttl = config.nonceTtlMs ?? 5 * 60_000;
    this.now = config.now ?? Date.now;
    this.algorithms = config.algorithms ?? ["MD5"];
    if (this.algorithms.length === 0) throw new Error("device: at least one Digest algorithm must be offered");
  }

  /** WWW-Authenticate values: one Digest challenge per offered algorithm, in preference order. */
  challenges(stale = false): string[] {
    const nonce = this.issueNonce();
    const opaque = hash("md5", this.config.realm);
    const tail = `qop="auth", nonce="${nonce}", opaque="${opaque}"${stale ? ", stale=true" : ""}`;
    return this.algorithms.map((a) => `Digest realm="${this.config.realm}", algorithm=${a}, ${tail}`);
  }

  verify(method: string, header: string | undefined): AuthResult {
    if (header === undefined || header === "") return { ok: false, stale: false, why: "no credentials" };
    const space = header.indexOf(" ");
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const rest = space < 0 ? "" : header.slice(space + 1);
    if (scheme === "basic") return this.verifyBasic(rest.trim());
    if (scheme === "digest") return this.verifyDigest(method, parseAuthParams(rest));
    return { ok: false, stale: false, why: `unsupported scheme ${scheme}` };
  }

  private verifyBasic(b64: string): AuthResult {
    const decoded = Buffer.from(b64, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return { ok: false, stale: false, why: "malformed Basic credentials" };
    const user = decoded.slice(0, colon);
    const password = this.accounts.password(user);
    const ok = password !== undefined && sameText(decoded.slice(colon + 1), password);
    return ok ? this.granted(user) : { ok: false, stale: false, why: "wrong user or password" };
  }

  /** A verified login: the account's level, read now (an account removed meanwhile is refused). */
  private granted(user: string): AuthResult {
    const level = this.accounts.level(user);
    return level === undefined ? { ok: false, stale: false, why: "unknown user" } : { ok: true, user, level };
  }

  private verifyDigest(method: string, p: Record<string, string>): AuthResult {
    const fail = (why: string): AuthResult => ({ ok: false, stale: false, why });
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (username === undefined || nonce === undefined || uri === undefined || response === undefined) return fail("incomplete Digest credentials");
    if (realm !== this.config.realm) return fail("wrong realm");
    const algName = (p["algorithm"] ?? "MD5").toUpperCase();
    const alg = ALGORITHMS[algName];
    if (alg === undefined) return fail(`unsupported algorithm ${algName}`);
    if (!this.algorithms.includes(algName.replace(/-SESS$/, "") as DigestAlgorithm)) return fail(`algorithm ${algName} is not offered (offered: ${this.algorithms.join(", ")})`);
    if (qop !== "auth" || nc === undefined || cnonce === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) return fail("qop=auth with nc and cnonce is required");
    const password = this.accounts.password(username);
    if (password === undefined) return fail("unknown user");
    let ha1 = hash(alg, `${username}:${realm}:${password}`);
    if (algName.endsWith("-SESS")) ha1 = hash(alg, `${ha1}:${nonce}:${cnonce}`);
    const ha2 = hash(alg, `${method}:${uri}`);
    const expected = hash(alg, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    if (!sameText(expected, response.toLowerCase())) return fail("wrong user or password");
    const state = this.nonces.get(nonce);
    // Correct credentials over an expired or unknown nonce: ask for a retry with a fresh nonce.
    if (state === undefined || this.now() - state.issued > this.ttl) return { ok: false, stale: true, why: "stale nonce" };
    const count = parseInt(nc, 16);
    if (state.seen.has(count) || count <= state.maxNc - NC_WINDOW) return fail(`nonce count ${nc} was already used (replay)`);
    state.seen.add(count);
    if (count > state.maxNc) {
      state.maxNc = count;
      for (const old of state.seen) if (old <= count - NC_WINDOW) state.seen.delete(old);
    }
    return this.granted(username);
  }

  private issueNonce(): string {
    if (this.nonces.size >= MAX_NONCES) {
      const oldest = this.nonces.keys().next().value;
      if (oldest !== undefined) this.nonces.delete(oldest);
    }
    const nonce = randomBytes(16).toString("hex");
    this.nonces.set(nonce, { issued: this.now(), maxNc: 0, seen: new Set() });
    return nonce;
  }
}
