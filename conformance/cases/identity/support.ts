/**
 * What the identity checks share: the VAPIX identity CGIs read over the connection's raw HTTP
 * (param.cgi as a form-encoded POST, which VAPIX accepts like a GET: the check context has no raw
 * GET), harmless probes of a namespace's operations, and the API ids the reference device lists
 * in apidiscovery.cgi.
 */
import type { OperationDescriptor } from "../../../src/runtime/model.js";
import { serviceOfPrefix } from "../../../src/runtime/service-catalog.js";
import { knownNamespaces, prefixOfNamespace } from "../../harness/discovery.js";
import { excerptJson, faultChain } from "../../harness/faults.js";
import type { CheckContext, Exchange, HttpResponse } from "../../harness/types.js";
import { lastExchange } from "../generic/support.js";
import { readSoapFault, soapEnvelope } from "../generic/raw.js";

export const SERVICE = "Device";
export const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";
export const SOAP_PATH = "/vapix/services";
export const PARAM_CGI = "/axis-cgi/param.cgi";
export const BASIC_DEVICE_INFO_CGI = "/axis-cgi/basicdeviceinfo.cgi";
export { API_DISCOVERY_CGI } from "../../harness/discovery.js";

/** Spec references of the CGIs (VAPIX pages outside the PACS documentation, named rather than linked). */
export const VAPIX_REF = {
  param: "VAPIX Parameter management (param.cgi action=list)",
  basicDeviceInfo: "VAPIX Basic device information (basicdeviceinfo.cgi getAllProperties)",
  apiDiscovery: "VAPIX API discovery (apidiscovery.cgi getApiList)",
} as const;

/** The answer of one raw exchange, with the exchange as evidence. */
export interface RawAnswer {
  readonly response: HttpResponse;
  readonly exchange: Exchange | undefined;
}

async function sendRaw(ctx: CheckContext, path: string, contentType: string, body: string, operation: string): Promise<RawAnswer> {
  const response = await ctx.sendRaw({ path, contentType, body, operation }, "soap");
  return { response, exchange: lastExchange(ctx) };
}

export interface ParamList {
  /** "root.Brand.ProdNbr" → value. */
  readonly values: ReadonlyMap<string, string>;
  /** The `# Error: …` lines. */
  readonly errors: readonly string[];
  readonly exchange: Exchange | undefined;
}

/** param.cgi action=list for the groups; fails the check on an HTTP error. */
export async function paramList(ctx: CheckContext, groups: readonly string[]): Promise<ParamList> {
  const body = new URLSearchParams({ action: "list", group: groups.join(",") }).toString();
  const { response, exchange } = await sendRaw(ctx, PARAM_CGI, "application/x-www-form-urlencoded", body, "param.cgi list");
  if (response.status !== 200) ctx.fail(`POST ${PARAM_CGI} (${body}) answered HTTP ${response.status}: ${excerptJson(response.body)}`, exchange);
  const values = new Map<string, string>();
  const errors: string[] = [];
  for (const line of response.body.split(/\r?\n/)) {
    if (line.startsWith("#")) errors.push(line);
    const eq = line.indexOf("=");
    if (line.startsWith("root.") && eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return { values, errors, exchange };
}

export type JsonApiAnswer = { readonly ok: true; readonly data: Record<string, unknown>; readonly exchange: Exchange | undefined } | { readonly ok: false; readonly why: string; readonly exchange: Exchange | undefined };

/** One VAPIX JSON API call (`{"apiVersion": "1.0", "method": …}`); `ok` false on an HTTP error, a non-JSON body or an `error` object. */
export async function jsonApi(ctx: CheckContext, path: string, method: string, params?: Record<string, unknown>): Promise<JsonApiAnswer> {
  const request = { apiVersion: "1.0", context: ctx.checkId, method, ...(params === undefined ? {} : { params }) };
  const { response, exchange } = await sendRaw(ctx, path, "application/json", JSON.stringify(request), `${path.slice(path.lastIndexOf("/") + 1)} ${method}`);
  if (response.status !== 200) return { ok: false, why: `HTTP ${response.status}`, exchange };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return { ok: false, why: `a body that is not JSON: ${excerptJson(response.body)}`, exchange };
  }
  const o = (parsed ?? {}) as Record<string, unknown>;
  if (o["error"] !== undefined) return { ok: false, why: `error ${excerptJson(o["error"])}`, exchange };
  const data = o["data"];
  if (data === null || typeof data !== "object" || Array.isArray(data)) return { ok: false, why: `no "data" object: ${excerptJson(o)}`, exchange };
  return { ok: true, data: data as Record<string, unknown>, exchange };
}

/** Like jsonApi, but fails the check when the API does not answer with data. */
export async function requireJsonApi(ctx: CheckContext, path: string, method: string, params?: Record<string, unknown>): Promise<{ data: Record<string, unknown>; exchange: Exchange | undefined }> {
  const r = await jsonApi(ctx, path, method, params);
  if (!r.ok) return ctx.fail(`POST ${path} {"method": "${method}"} answered ${r.why}`, r.exchange);
  return r;
}

export { harmlessRead, knownNamespaces } from "../../harness/discovery.js";

export type ProbeOutcome = { readonly answers: true; readonly how: string; readonly exchange: Exchange | undefined } | { readonly answers: false; readonly how: string; readonly exchange: Exchange | undefined };

/**
 * Sends `op` (empty request) as SOAP to `path`: the namespace is answered unless the device says it
 * does not know the operation (ter:UnknownAction, ter:ActionNotSupported) or the path is not there.
 * Any other fault (e.g. InvalidArgs) still shows the operation is served.
 */
export async function probe(ctx: CheckContext, op: OperationDescriptor, path: string): Promise<ProbeOutcome> {
  const body = soapEnvelope(`<p:${op.name} xmlns:p="${op.ns}"/>`);
  const { response, exchange } = await sendRaw(ctx, path, `application/soap+xml; charset=utf-8; action="${op.soapAction}"`, body, `${op.prefix}:${op.name}`);
  if (response.status === 404 || response.status === 405) return { answers: false, how: `HTTP ${response.status} at ${path}`, exchange };
  const fault = readSoapFault(response.body, response.status);
  if (fault === undefined) {
    return response.status === 200 ? { answers: true, how: `${op.name} answered at ${path}`, exchange } : { answers: false, how: `HTTP ${response.status} without a SOAP fault at ${path}`, exchange };
  }
  const chain = faultChain(fault);
  if (fault.subcodes.includes("ter:UnknownAction") || fault.subcodes.includes("ter:ActionNotSupported")) return { answers: false, how: `${op.name} at ${path} answered ${chain}`, exchange };
  return { answers: true, how: `${op.name} at ${path} answered fault ${chain} (the operation is known)`, exchange };
}

/** The apidiscovery.cgi ids of the VAPIX services, by namespace (the catalogue's `apiId`: the reference device's naming, so a missing one only warns). */
export const SERVICE_API_IDS: Readonly<Record<string, string>> = Object.fromEntries(
  knownNamespaces().flatMap((ns) => {
    const apiId = serviceOfPrefix(prefixOfNamespace(ns) ?? "")?.apiId;
    return apiId === undefined ? [] : [[ns, apiId]];
  }),
);

/** GetServices' services: namespace and address of each (Capabilities are not asked for). */
export async function listedServices(ctx: CheckContext): Promise<{ namespace: string; xaddr: string }[]> {
  const r = await ctx.call<Record<string, unknown>>("tds:GetServices", { IncludeCapability: false }, "soap");
  const services = (Array.isArray(r["Service"]) ? r["Service"] : r["Service"] === undefined ? [] : [r["Service"]]) as Record<string, unknown>[];
  return services.map((s) => ({ namespace: String(s["Namespace"] ?? "").trim(), xaddr: String(s["XAddr"] ?? "").trim() }));
}
