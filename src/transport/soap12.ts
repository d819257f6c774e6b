/**
 * The SOAP 1.2 binding: encodes the operation's input element into an envelope, POSTs it to the
 * device's SOAP endpoint and decodes the response by namespace (never by prefix).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Binding, CallOptions, WsAddressing } from "../runtime/binding.js";
import { encodeElement } from "../runtime/codec.js";
import { AuthError, DeviceFaultError } from "../runtime/errors.js";
import type { OperationDescriptor, XmlElement } from "../runtime/model.js";
import { SOAP12_ENV_NS, buildEnvelope, decodeEnvelope, toDeviceFault } from "../runtime/soap.js";
import { BASE64_BINARY, PASSWORD_DIGEST, WSSE_NS, WSU_NS, passwordDigest } from "../runtime/wsse.js";
import { findChild, parseXml } from "../runtime/xml.js";
import { escapeXmlText, serializeXmlElement } from "../runtime/xml-writer.js";
import { buildStack, makeRequest, statusError, unauthorized, wrapBodyError, type BindingOptions } from "./binding-common.js";

export const DEFAULT_SOAP_PATH = "/vapix/services";

const WSA_NS = "http://www.w3.org/2005/08/addressing";

const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";
const TT_NS = "http://www.onvif.org/ver10/schema";

/** The unauthenticated clock read of auth "ws-username-token" (ONVIF Core: PRE_AUTH). */
const GET_SYSTEM_DATE_AND_TIME = { prefix: "tds", name: "GetSystemDateAndTime" } as const;
const GET_SYSTEM_DATE_AND_TIME_HEADERS: Readonly<Record<string, string>> = {
  "content-type": `application/soap+xml; charset=utf-8; action="${TDS_NS}/GetSystemDateAndTime"`,
  accept: "application/soap+xml, text/xml",
};

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

/** XML pieces end right after a `>`. */
const GT = 0x3e;

interface OpCache {
  readonly headers: Readonly<Record<string, string>>;
  readonly prefixes: Readonly<Record<string, string>>;
  readonly where: string;
}

/** Creates the SOAP 1.2 binding (POST soapPath, default /vapix/services). */
export function createSoapBinding(options: BindingOptions): Binding & { close(): Promise<void> } {
  const stack = buildStack(options);
  const path = options.soapPath ?? DEFAULT_SOAP_PATH;
  const wsToken = options.auth === "ws-username-token" ? { user: options.user ?? "", password: options.password ?? "" } : undefined;
  /** Device clock minus local clock (ms), learnt once (auth "ws-username-token"); a failed attempt is retried by the next call. */
  let offset: Promise<number> | undefined;
  const clockOffset = (callOptions: CallOptions | undefined): Promise<number> => {
    offset ??= learnClockOffset(callOptions).catch((err: unknown) => {
      offset = undefined;
      throw err;
    });
    return offset;
  };

  /**
   * Asks the device its clock with an unauthenticated tds:GetSystemDateAndTime (ONVIF Core: PRE_AUTH).
   * A device that answers without a readable UTCDateTime leaves the local clock uncorrected (offset 0).
   */
  async function learnClockOffset(callOptions: CallOptions | undefined): Promise<number> {
    const req = makeRequest(stack, GET_SYSTEM_DATE_AND_TIME, "soap", path, GET_SYSTEM_DATE_AND_TIME_HEADERS, buildEnvelope(`<tds:GetSystemDateAndTime xmlns:tds="${TDS_NS}"/>`), callOptions);
    const before = Date.now();
    const res = await stack.transport.send(req);
    const device = res.status >= 200 && res.status < 300 ? deviceUtcOf(res.body) : undefined;
    return device === undefined ? 0 : device - (before + Date.now()) / 2;
  }
  // Per-operation constants, computed once.
  const cache = new WeakMap<OperationDescriptor, OpCache>();
  const opInfo = (op: OperationDescriptor): OpCache => {
    let c = cache.get(op);
    if (c === undefined) {
      c = {
        headers: {
          "content-type": `application/soap+xml; charset=utf-8; action="${op.soapAction}"`,
          accept: "application/soap+xml, text/xml",
        },
        prefixes: { [op.ns]: op.prefix },
        where: `${op.prefix}:${op.name} (POST ${path})`,
      };
      cache.set(op, c);
    }
    return c;
  };

  /** The request path and header blocks of a WS-Addressing call (CallOptions.wsAddressing). */
  const addressed = (op: OperationDescriptor, wsa: WsAddressing): { path: string; headerXml: string } => {
    const to = wsa.to ?? `${stack.origin}${path}`;
    let target: URL;
    try {
      target = new URL(to, stack.origin);
    } catch {
      throw new TypeError(`${op.prefix}:${op.name}: wsAddressing.to "${to}" is not a URL`);
    }
    const scope = { env: SOAP12_ENV_NS, wsa: WSA_NS };
    let headerXml =
      `<wsa:Action env:mustUnderstand="1">${escapeXmlText(op.soapAction)}</wsa:Action>` +
      `<wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>` +
      `<wsa:To env:mustUnderstand="1">${escapeXmlText(to)}</wsa:To>`;
    for (const p of wsa.referenceParameters ?? []) {
      const marked = { ...p, attrs: [...p.attrs.filter((a) => !(a.ns === WSA_NS && a.local === "IsReferenceParameter")), { ns: WSA_NS, local: "IsReferenceParameter", prefix: "wsa", value: "true" }] };
      headerXml += serializeXmlElement(marked, scope);
    }
    return { path: `${target.pathname}${target.search}`, headerXml };
  };

  async function call(op: OperationDescriptor, input: unknown, callOptions?: CallOptions): Promise<unknown> {
    const info = opInfo(op);
    const bodyXml = encodeElement(op.input, input ?? {}, { prefixes: info.prefixes, path: op.input.name });
    const wsa = callOptions?.wsAddressing === undefined ? undefined : addressed(op, callOptions.wsAddressing);
    const extra = callOptions?.namespaces;
    const security = wsToken === undefined ? "" : usernameTokenHeader(wsToken.user, wsToken.password, new Date(Date.now() + (await clockOffset(callOptions))));
    const headerXml = (wsa?.headerXml ?? "") + security;
    const namespaces = wsa === undefined ? extra : { ...extra, wsa: WSA_NS };
    const body = buildEnvelope(bodyXml, { ...(headerXml === "" ? {} : { headerXml }), ...(namespaces === undefined ? {} : { namespaces }) });
    const res = await stack.transport.send(makeRequest(stack, op, "soap", wsa?.path ?? path, info.headers, body, callOptions));
    if (res.status === 401) {
      throw wsToken === undefined ? unauthorized(info.where, res) : new AuthError(info.where, "the device wants HTTP authentication: it does not take a WS-Security UsernameToken for this request");
    }
    let decoded;
    try {
      // A large response is decoded in pieces, never built into one string (text-pieces.ts).
      decoded = decodeEnvelope(res.received?.pieces(GT) ?? res.body, op.output, { path: op.output.name });
    } catch (err) {
      // A non-2xx without a readable envelope is an HTTP error, not a malformed SOAP message.
      if (res.status < 200 || res.status >= 300) throw statusError(info.where, res);
      throw wrapBodyError(info.where, err, res);
    }
    if (decoded.kind === "fault") throw new DeviceFaultError(`${op.prefix}:${op.name}`, toDeviceFault(decoded.fault, "soap", res.status));
    if (res.status < 200 || res.status >= 300) throw statusError(info.where, res);
    return decoded.value;
  }

  return { protocol: "soap", call, close: () => stack.close() };
}
