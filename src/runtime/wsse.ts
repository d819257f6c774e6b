/**
 * WS-Security UsernameToken (OASIS Username Token Profile 1.0) as ONVIF Core uses it: the namespaces
 * and URIs of the wsse:Security header and the PasswordDigest formula, shared by the client that
 * builds a token (transport/soap12.ts) and the device that checks one (device/ws-security.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import type { XmlElement } from "./model.js";
import { SOAP12_ENV_NS } from "./soap.js";
import { findChild, parseXml } from "./xml.js";
import { escapeXmlText } from "./xml-writer.js";

const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";
const TT_NS = "http://www.onvif.org/ver10/schema";

export const WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
export const WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/** wsse:Password/@Type of a digested password. */
export const PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
/** wsse:Nonce/@EncodingType of a Base64 nonce. */
export const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/** PasswordDigest = SHA-1(nonce + created + password), the raw bytes (Base64 them for the wsse:Password text). */
export function passwordDigest(nonce: Buffer, created: string, password: string): Buffer {
  return createHash("sha1").update(Buffer.concat([nonce, Buffer.from(created, "utf8"), Buffer.from(password, "utf8")])).digest();
}

/**
 * The wsse:Security header block of one request (OASIS Username Token Profile 1.0, as ONVIF Core
 * asks: PasswordDigest = Base64(SHA-1(nonce + created + password)), with a fresh Nonce and Created).
 */
export function usernameTokenHeader(user: string, password: string, created: Date): string {
  const nonce = randomBytes(16);
  const createdText = created.toISOString().replace(/\.\d{3}Z$/, "Z");
  const digest = passwordDigest(nonce, createdText, password).toString("base64");
  return (
    `<wsse:Security env:mustUnderstand="1" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXmlText(user)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString("base64")}</wsse:Nonce>` +
    `<wsu:Created>${createdText}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}

/** The UTC instant of a tds:GetSystemDateAndTimeResponse (tt:UTCDateTime), or undefined when the answer holds none. */
export function deviceUtcOf(xml: string): number | undefined {
  let el: XmlElement | undefined;
  try {
    el = parseXml(xml);
  } catch {
    return undefined;
  }
  for (const [ns, local] of [[SOAP12_ENV_NS, "Body"], [TDS_NS, "GetSystemDateAndTimeResponse"], [TDS_NS, "SystemDateAndTime"], [TT_NS, "UTCDateTime"]] as const) {
    el = el === undefined ? undefined : findChild(el, ns, local);
  }
  if (el === undefined) return undefined;
  const date = findChild(el, TT_NS, "Date");
  const time = findChild(el, TT_NS, "Time");
  const n = (parent: XmlElement | undefined, local: string): number => Number(parent === undefined ? NaN : (findChild(parent, TT_NS, local)?.text.trim() ?? NaN));
  const at = Date.UTC(n(date, "Year"), n(date, "Month") - 1, n(date, "Day"), n(time, "Hour"), n(time, "Minute"), n(time, "Second"));
  return Number.isNaN(at) ? undefined : at;
}
