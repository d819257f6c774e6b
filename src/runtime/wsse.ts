/**
 * WS-Security UsernameToken (OASIS Username Token Profile 1.0) as ONVIF Core uses it: the namespaces
 * and URIs of the wsse:Security header and the PasswordDigest formula, shared by the client that
 * builds a token (transport/soap12.ts) and the device that checks one (device/ws-security.ts).
 */
import { createHash } from "node:crypto";

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
