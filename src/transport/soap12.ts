/**
 * The SOAP 1.2 binding: encodes the operation's input element into an envelope, POSTs it to the
 * device's SOAP endpoint and decodes the response by namespace (never by prefix).
 */
import { randomUUID } from "node:crypto";
import type { Binding, CallOptions, WsAddressing } from "../runtime/binding.js";
import { encodeElement } from "../runtime/codec.js";
import { AuthError, DeviceFaultError } from "../runtime/errors.js";
import type { OperationDescriptor } from "../runtime/model.js";
import { SOAP12_ENV_NS, buildEnvelope, decodeEnvelope, toDeviceFault } from "../runtime/soap.js";
import { deviceUtcOf, usernameTokenHeader } from "../runtime/wsse.js";

export { deviceUtcOf, usernameTokenHeader };
import { escapeXmlText, serializeXmlElement } from "../runtime/xml-writer.js";
import { buildStack, makeRequest, statusError, unauthorized, wrapBodyError, type BindingOptions } from "./binding-common.js";

export const DEFAULT_SOAP_PATH = "/vapix/services";

const WSA_NS = "http://www.w3.org/2005/08/addressing";

const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";

/** The unauthenticated clock read of auth "ws-username-token" (ONVIF Core: PRE_AUTH). */
const GET_SYSTEM_DATE_AND_TIME = { prefix: "tds", name: "GetSystemDateAndTime" } as const;
const GET_SYSTEM_DATE_AND_TIME_HEADERS: Readonly<Record<string, string>> = {
  "content-type": `application/soap+xml; charset=utf-8; action="${TDS_NS}/GetSystemDateAndTime"`,
  accept: "application/soap+xml, text/xml",
};

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
