/**
 * SOAP-level authentication: a WS-Security UsernameToken (OASIS Username Token Profile 1.0) in the
 * request's wsse:Security header, as ONVIF Core "Security" allows beside HTTP Digest. The password
 * travels as PasswordDigest = Base64(SHA-1(nonce + created + password)); ONVIF Core "Username token
 * profile" requires both the Nonce and the Created timestamp, so a token without either is refused.
 *
 * ONVIF Core names no clock-skew tolerance; the device accepts a Created within 5 minutes of its
 * own clock (state.now(), so a virtual clock counts) either way, and remembers every accepted nonce
 * for as long as its Created stays inside that window: the same nonce again is a replay and is
 * refused (quirk `wsse-nonce-replay-accepted`: it is not). Accounts are the device's own
 * (identity/accounts.ts), read at every request, as HTTP Digest reads them.
 *
 * Also here: the PRE_AUTH access class (ONVIF Core "Access classes"): the device service's
 * GetSystemDateAndTime, GetServices, GetServiceCapabilities and GetCapabilities are answered
 * without authentication (ONVIF Core gives each "access class PRE_AUTH"), so a client can learn
 * the device clock before it builds a token, and what the device serves before it logs in.
 */
import { timingSafeEqual } from "node:crypto";
import type { XmlElement } from "../runtime/model.js";
import { BASE64_BINARY, PASSWORD_DIGEST, WSSE_NS, WSU_NS, passwordDigest } from "../runtime/wsse.js";
import { findChild, getAttr, parseXml } from "../runtime/xml.js";
import type { AccountLevel, AccountLookup } from "./digest.js";
import { deviceAccounts } from "./identity/accounts.js";
import type { DeviceState } from "./state.js";

const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";

/** How far Created may be from the device clock, either way (ONVIF Core gives no figure). */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Most nonces remembered at once; beyond it the oldest is forgotten. */
const MAX_NONCES = 10_000;

/** Operations of the PRE_AUTH access class the device serves: {namespace}local of the body element. */
const PRE_AUTH: ReadonlySet<string> = new Set(["GetSystemDateAndTime", "GetServices", "GetServiceCapabilities", "GetCapabilities"].map((op) => `{${TDS_NS}}${op}`));

export type TokenResult = { readonly ok: true; readonly user: string; readonly level: AccountLevel } | { readonly ok: false; readonly why: string };

function text(el: XmlElement, ns: string, local: string): string | undefined {
  const c = findChild(el, ns, local);
  return c === undefined ? undefined : c.text.trim();
}

const XSD_DATETIME_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class UsernameTokenVerifier {
  /** Accepted nonce (Base64 as decoded bytes, hex) → when it may be forgotten (device clock). */
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly accounts: AccountLookup,
    private readonly now: () => number,
    private readonly acceptReplay: boolean,
  ) {}

  /** Verifies a wsse:UsernameToken element; an accepted token's nonce is remembered. */
  verify(token: XmlElement): TokenResult {
    const fail = (why: string): TokenResult => ({ ok: false, why });
    const user = text(token, WSSE_NS, "Username");
    const passwordEl = findChild(token, WSSE_NS, "Password");
    const nonceEl = findChild(token, WSSE_NS, "Nonce");
    const created = text(token, WSU_NS, "Created");
    if (user === undefined || passwordEl === undefined) return fail("the UsernameToken needs a Username and a Password");
    if (nonceEl === undefined || created === undefined) return fail("the UsernameToken needs both a Nonce and a wsu:Created (ONVIF Core, Username token profile)");
    const type = getAttr(passwordEl, "Type") ?? "";
    if (type !== PASSWORD_DIGEST) return fail(`the Password Type must be PasswordDigest (${PASSWORD_DIGEST}), got "${type}"`);
    const encoding = getAttr(nonceEl, "EncodingType");
    if (encoding !== undefined && encoding !== BASE64_BINARY) return fail(`the Nonce EncodingType must be Base64Binary, got "${encoding}"`);
    const nonce = Buffer.from(nonceEl.text.trim(), "base64");
    if (nonce.length === 0) return fail("the Nonce is empty");
    const password = this.accounts.password(user);
    const level = this.accounts.level(user);
    if (password === undefined || level === undefined) return fail("wrong user or password");
    const expected = passwordDigest(nonce, created, password);
    const given = Buffer.from(passwordEl.text.trim(), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail("wrong user or password");
    const at = XSD_DATETIME_UTC.test(created) ? Date.parse(created) : NaN;
    if (Number.isNaN(at)) return fail(`wsu:Created "${created}" is not an xsd:dateTime with a time zone`);
    const now = this.now();
    if (Math.abs(now - at) > CLOCK_SKEW_MS) {
      return fail(`wsu:Created ${created} is more than ${CLOCK_SKEW_MS / 60_000} minutes from the device clock (${new Date(now).toISOString()}); read it with GetSystemDateAndTime`);
    }
    const key = nonce.toString("hex");
    // A remembered nonce whose token could no longer be accepted anyway has expired.
    const until = this.nonces.get(key);
    if (until !== undefined && until >= now && !this.acceptReplay) return fail("the Nonce was already used (replay)");
    if (this.nonces.size >= MAX_NONCES) {
      this.forgetExpired(now);
      const oldest = this.nonces.keys().next().value;
      if (this.nonces.size >= MAX_NONCES && oldest !== undefined) this.nonces.delete(oldest);
    }
    this.nonces.set(key, Math.max(this.nonces.get(key) ?? 0, at + CLOCK_SKEW_MS));
    return { ok: true, user, level };
  }

  /** Forgets nonces whose token could no longer be accepted anyway (its Created left the window). */
  private forgetExpired(now: number): void {
    for (const [key, until] of this.nonces) if (until < now) this.nonces.delete(key);
  }
}

/** The device's verifier: its accounts, its clock, one nonce memory. */
export function usernameTokenVerifier(state: DeviceState): UsernameTokenVerifier {
  return state.runtime("ws-security", () => new UsernameTokenVerifier(deviceAccounts(state), () => state.now(), state.quirks.has("wsse-nonce-replay-accepted")));
}

/** What the HTTP front needs to know about a SOAP request before authorising it. */
export interface SoapCredentials {
  /** The wsse:Security/wsse:UsernameToken of the header, if any. */
  readonly token: XmlElement | undefined;
  /** The body's operation is of the PRE_AUTH access class. */
  readonly preAuth: boolean;
}

/**
 * Looks into a SOAP request for a UsernameToken and a PRE_AUTH operation. Cheap when neither can be
 * there (no parse); an envelope that does not parse has neither (the dispatcher reports it later).
 */
export function soapCredentials(body: string): SoapCredentials {
  const none: SoapCredentials = { token: undefined, preAuth: false };
  if (!body.includes("UsernameToken") && ![...PRE_AUTH].some((q) => body.includes(q.slice(q.indexOf("}") + 1)))) return none;
  let env: XmlElement;
  try {
    env = parseXml(body);
  } catch {
    return none;
  }
  if (env.ns !== SOAP12_NS || env.local !== "Envelope") return none;
  const header = findChild(env, SOAP12_NS, "Header");
  const security = header === undefined ? undefined : findChild(header, WSSE_NS, "Security");
  const token = security === undefined ? undefined : findChild(security, WSSE_NS, "UsernameToken");
  const op = findChild(env, SOAP12_NS, "Body")?.children[0];
  return { token, preAuth: op !== undefined && PRE_AUTH.has(`{${op.ns}}${op.local}`) };
}
