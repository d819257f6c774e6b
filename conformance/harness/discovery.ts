/**
 * Feature discovery, before any check runs (as the ONVIF Device Test Tool starts every run): each
 * service's GetServiceCapabilities or another read that needs no input, GetServices (with
 * capabilities), the operations behind capability flags (probed with an empty request, which
 * changes nothing), GetEventProperties' topics, apidiscovery.cgi's APIs and the doors'
 * capabilities. Each becomes a Feature: supported, not-supported or undefined, with the evidence.
 *
 * What decides a state: what the device does over what it says. A service is supported when its
 * read answers (a fault about the input counts: the operation is known), not-supported when it
 * answers UnknownAction, ActionNotSupported or HTTP 404/405; only when its answer says neither
 * does GetServices' listing decide. An operation behind a flag is judged by its probe; the flag
 * itself is a capability feature with the value the device reported. Differences between the two
 * are the consistency checks' business (cases/discovery), not discovery's.
 *
 * Only the first call can stop the run (no connection, rejected credentials, no answer in time):
 * any later problem, including an answer that is not schema-valid, leaves a feature undefined or
 * is read leniently and recorded in `problems`.
 */
import type { OperationDescriptor, TypeDescriptor } from "../../src/runtime/model.js";
import { SERVICE_CATALOG, CAPABILITY_GATES, serviceOfPrefix } from "../../src/runtime/service-catalog.js";
import { parseXml } from "../../src/runtime/xml.js";
import { generatedByPrefix } from "./generated.js";
import { operationDescriptor } from "./operations.js";
import { excerptExchange } from "./evidence.js";
import { faultChain, faultOf } from "./faults.js";
import { capabilityFeature, operationFeature, serviceFeature, topicFeature } from "./features.js";
import { rawRequestFor, readFault, SOAP_ENV } from "./raw-messages.js";
import { PreflightError, errorCode, errorMessage } from "./verdict.js";
import type { DeviceConnection, Exchange, Feature, FeatureList, FeatureState, HttpResponse, Protocol, RawRequest } from "./types.js";

/** The generated operations of every namespace the suite knows, by prefix, and the prefix of each namespace URI. */
const OPERATIONS: ReadonlyMap<string, Readonly<Record<string, OperationDescriptor>>> = new Map(
  [...generatedByPrefix<Readonly<Record<string, OperationDescriptor>>>("Descriptors", "operations")].filter(([, ops]) => Object.keys(ops).length > 0),
);
const PREFIX_OF_NAMESPACE: ReadonlyMap<string, string> = new Map([...OPERATIONS].map(([prefix, ops]) => [Object.values(ops)[0]!.ns, prefix]));

/** Every namespace URI the generated code has operations of. */
export function knownNamespaces(): string[] {
  return [...PREFIX_OF_NAMESPACE.keys()];
}

/** The namespace URI of a prefix the suite has operations of. */
export function namespaceOfPrefix(prefix: string): string | undefined {
  const ops = OPERATIONS.get(prefix);
  return ops === undefined ? undefined : Object.values(ops)[0]?.ns;
}

/** The prefix of a namespace URI the suite knows. */
export function prefixOfNamespace(ns: string): string | undefined {
  return PREFIX_OF_NAMESPACE.get(ns);
}

function needsNothing(type: TypeDescriptor): boolean {
  return type.fields.every((f) => (f.node === "element" ? f.min === 0 : f.node === "attribute" ? !f.required : true));
}

/**
 * A read the suite can send to a namespace without changing anything: its GetServiceCapabilities,
 * else its first Get…/Fetch… operation whose request needs no field. Undefined when it has none
 * (e.g. service discovery, whose only read starts a scan).
 */
export function harmlessRead(namespace: string): OperationDescriptor | undefined {
  const prefix = PREFIX_OF_NAMESPACE.get(namespace);
  const ops = prefix === undefined ? undefined : OPERATIONS.get(prefix);
  if (ops === undefined) return undefined;
  return ops["GetServiceCapabilities"] ?? Object.values(ops).find((op) => /^(Get|Fetch)/.test(op.name) && needsNothing(op.input.type()));
}

/** How an answer speaks to "is this served": yes, no, or it cannot tell. */
export type Outcome = { readonly state: FeatureState; readonly how: string };

const UNSERVED = /UnknownAction|ActionNotSupported/;

/** Judges a typed call's error: unknown-action faults and 404/405 say no; other faults say yes (the operation is known). */
export function outcomeOfError(op: string, err: unknown): Outcome {
  const fault = faultOf(err);
  if (fault !== undefined) {
    const chain = faultChain(fault);
    return fault.subcodes.some((s) => UNSERVED.test(s)) || UNSERVED.test(fault.code) ? { state: "not-supported", how: `${op} answered ${chain}` } : { state: "supported", how: `${op} answered ${chain} (the operation is known)` };
  }
  const code = errorCode(err);
  const status = (err as { status?: number }).status;
  if (code === "HTTP_STATUS" && (status === 404 || status === 405)) return { state: "not-supported", how: `${op} answered HTTP ${status}` };
  if (code === "DECODE_FAILED" || code === "MALFORMED_RESPONSE") return { state: "supported", how: `${op} answered, but not schema-valid: ${errorMessage(err)}` };
  return { state: "undefined", how: `${op} could not be judged: ${errorMessage(err)}` };
}

/** What discovery hands the runner: the feature list, the exchanges behind it and the AccessControl capabilities (for DeviceFacts). */
export interface Discovery {
  readonly list: FeatureList;
  readonly exchanges: ReadonlyMap<string, Exchange>;
  /** tac:GetServiceCapabilities' Capabilities, leniently read; {} when the device gave none. */
  readonly accessControlCapabilities: Readonly<Record<string, unknown>>;
}

export interface DiscoveryOptions {
  /** The run's first connection. */
  readonly primary: DeviceConnection;
  /** A SOAP connection (the device service, events and the probes speak SOAP); the primary when it is one. */
  readonly soap: DeviceConnection | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Turns a first-call failure into the line the user reads (runner.describePreflightError). */
  readonly describeFailure: (err: unknown) => string;
}

/** Errors that mean the device cannot be talked to at all: only these, on the first call, stop the run. */
const FATAL = new Set(["CONNECTION_FAILED", "AUTH_FAILED", "TIMEOUT"]);

/** xs:boolean, and the spellings devices send instead (read leniently, with a problem noted). */
function readBoolean(text: string): { value: boolean; valid: boolean } | undefined {
  const t = text.trim();
  if (t === "true" || t === "1") return { value: true, valid: true };
  if (t === "false" || t === "0") return { value: false, valid: true };
  if (/^true$/i.test(t)) return { value: true, valid: false };
  if (/^false$/i.test(t)) return { value: false, valid: false };
  return undefined;
}

/** The attributes of the Capabilities element of a raw GetServiceCapabilities answer, as text. */
export function rawCapabilities(protocol: Protocol, body: string): Record<string, unknown> | undefined {
  try {
    if (protocol === "json") {
      const o = JSON.parse(body) as Record<string, unknown>;
      const resp = Object.values(o).find((v) => v !== null && typeof v === "object") as Record<string, unknown> | undefined;
      const caps = (o["Capabilities"] ?? resp?.["Capabilities"]) as Record<string, unknown> | undefined;
      return caps !== null && typeof caps === "object" ? caps : undefined;
    }
    const root = parseXml(body);
    const resp = root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")?.children[0];
    const caps = resp?.children.find((c) => c.local === "Capabilities");
    if (caps === undefined) return undefined;
    return Object.fromEntries(caps.attrs.map((a) => [a.local, a.value]));
  } catch {
    return undefined;
  }
}

/** The attributes of the Capabilities element GetServices carries for a service (any-content, as the codec hands it out). */
function listedCapabilities(value: unknown): Record<string, string> {
  const any = (value as { any?: unknown } | undefined)?.any;
  const el = (Array.isArray(any) ? any[0] : undefined) as { attrs?: readonly { ns: string; local: string; value: string }[] } | undefined;
  return Object.fromEntries((el?.attrs ?? []).filter((a) => a.ns === "").map((a) => [a.local, a.value]));
}

/**
 * What is wrong with a capabilities object read from a VAPIX JSON answer, where the decoder is
 * lenient: a boolean sent as text other than "true"/"false"/"1"/"0" ("True"). The SOAP decoder
 * refuses those outright.
 */
export function capabilityTextProblems(prefix: string, caps: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(caps)) if (typeof raw === "string") capabilityState(prefix, name, raw, problems);
  return problems;
}

/** A capability value as a feature: booleans by value, numbers and lists as supported with the value. */
function capabilityState(prefix: string, name: string, raw: unknown, problems: string[]): { state: FeatureState; value?: string | number | boolean; note: string } {
  if (typeof raw === "boolean") return { state: raw ? "supported" : "not-supported", value: raw, note: `${name}="${raw}"` };
  if (typeof raw === "number") return { state: raw > 0 ? "supported" : "not-supported", value: raw, note: `${name}=${raw}` };
  if (Array.isArray(raw)) return { state: raw.length > 0 ? "supported" : "not-supported", value: raw.join(" "), note: `${name}="${raw.join(" ")}"` };
  if (typeof raw === "string") {
    const b = readBoolean(raw);
    if (b !== undefined) {
      if (!b.valid) problems.push(`${prefix}:GetServiceCapabilities ${name}="${raw}" is not an xs:boolean (true, false, 1, 0); read as ${b.value}`);
      return { state: b.value ? "supported" : "not-supported", value: b.value, note: `${name}="${raw}"` };
    }
    if (/^\d+$/.test(raw.trim())) {
      const n = Number(raw);
      return { state: n > 0 ? "supported" : "not-supported", value: n, note: `${name}=${n}` };
    }
    return { state: raw.trim() === "" ? "undefined" : "supported", value: raw, note: `${name}="${raw}"` };
  }
  return { state: "undefined", note: `${name} is ${JSON.stringify(raw)}` };
}

/** The documentation's prefixes of the topic namespaces: topic features are named with these, whatever prefixes the device chose. */
export const TOPIC_NAMESPACES = {
  tns1: "http://www.onvif.org/ver10/topics",
  tnsaxis: "http://www.axis.com/2009/event/topics",
} as const;

const TOPIC_PREFIX_OF: ReadonlyMap<string, string> = new Map(Object.entries(TOPIC_NAMESPACES).map(([prefix, ns]) => [ns, prefix]));

/**
 * Topic paths of a TopicSet, as the codec hands out its any-content, in the documentation's
 * notation: "tns1:AccessControl/AccessGranted/Card", "tns1:Device/tnsaxis:Casing/Open" (a segment
 * in another namespace than its parent carries that namespace's prefix; the others inherit it).
 * A topic is an element marked wstop:topic="true" or one carrying a MessageDescription, as the
 * event checks read a TopicSet (cases/events/message.ts); `marked` says which.
 */
function topicPaths(topicSet: unknown): { path: string; marked: boolean }[] {
  const out: { path: string; marked: boolean }[] = [];
  interface Node {
    readonly ns: string;
    readonly local: string;
    readonly prefix: string;
    readonly attrs: readonly { readonly local: string; readonly value: string }[];
    readonly children: readonly Node[];
  }
  const qualified = (n: Node): string => {
    const prefix = TOPIC_PREFIX_OF.get(n.ns) ?? n.prefix;
    return prefix === "" ? n.local : `${prefix}:${n.local}`;
  };
  const walk = (n: Node, path: string, parentNs: string | undefined): void => {
    if (n.ns === "http://www.onvif.org/ver10/schema" && n.local === "MessageDescription") return;
    const segment = parentNs === undefined || (n.ns !== parentNs && n.ns !== "") ? qualified(n) : n.local;
    const here = path === "" ? segment : `${path}/${segment}`;
    const marked = n.attrs.some((a) => a.local === "topic" && (a.value === "true" || a.value === "1"));
    if (marked || n.children.some((c) => c.ns === "http://www.onvif.org/ver10/schema" && c.local === "MessageDescription")) out.push({ path: here, marked });
    for (const c of n.children) walk(c, here, n.ns === "" ? parentNs : n.ns);
  };
  const any = (topicSet as { any?: unknown } | undefined)?.any;
  if (Array.isArray(any)) for (const n of any as Node[]) walk(n, "", undefined);
  return out;
}

/**
 * The topics checks require (`topic:` ids) that the device does not advertise, added as
 * not-supported features: GetEventProperties answers a device's whole TopicSet, so a topic outside
 * it is not supported. Only when discovery read topics at all; otherwise they stay undefined.
 */
export function withUnadvertisedTopics(list: FeatureList, wanted: Iterable<string>): FeatureList {
  const have = new Set(list.features.map((f) => f.id));
  const advertised = list.features.filter((f) => f.kind === "topic").length;
  if (advertised === 0) return list;
  const added: Feature[] = [...new Set(wanted)]
    .filter((id) => id.startsWith("topic:") && !have.has(id))
    .map((id) => ({ id, kind: "topic", state: "not-supported", evidence: `GetEventProperties does not advertise it (its TopicSet has ${advertised} topic${advertised === 1 ? "" : "s"})` }));
  if (added.length === 0) return list;
  return { ...list, features: [...list.features, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/** Runs discovery. Throws PreflightError only when the first call shows the device cannot be talked to, or nothing at all answered. */
export async function discoverFeatures(options: DiscoveryOptions): Promise<Discovery> {
  const features = new Map<string, Feature>();
  const exchanges = new Map<string, Exchange>();
  const problems: string[] = [];
  let first = true;
  let anything = false;

  const add = (f: Feature, exchange?: Exchange): void => {
    features.set(f.id, exchange === undefined ? f : { ...f, exchange: excerptExchange(exchange) });
    if (exchange !== undefined) exchanges.set(f.id, exchange);
  };
  // Operations without a VAPIX JSON flavour (the device service, events) go over SOAP.
  const connFor = (op: string): DeviceConnection => (options.primary.protocol === "soap" || (options.primary.hasOperation(op) && operationDescriptor(op)?.jsonPath !== undefined) ? options.primary : (options.soap ?? options.primary));

  /** One typed call: its answer, or the error; the first call's fatal errors stop the run. */
  const call = async (op: string, input: unknown): Promise<{ ok: true; value: Record<string, unknown>; exchange: Exchange | undefined } | { ok: false; error: unknown; exchange: Exchange | undefined }> => {
    let exchange: Exchange | undefined;
    const conn = connFor(op);
    try {
      const value = (await conn.call(op, input, { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}), onExchange: (ex) => (exchange = ex) })) as Record<string, unknown>;
      anything = true;
      return { ok: true, value: value ?? {}, exchange };
    } catch (err) {
      if (options.signal?.aborted === true) throw new PreflightError(`interrupted during feature discovery at ${conn.baseUrl}`, { cause: err });
      if (first && FATAL.has(errorCode(err) ?? "")) throw new PreflightError(options.describeFailure(err), { cause: err });
      if (faultOf(err) !== undefined || errorCode(err) === "DECODE_FAILED" || errorCode(err) === "MALFORMED_RESPONSE" || errorCode(err) === "HTTP_STATUS") anything = true;
      return { ok: false, error: err, exchange };
    } finally {
      first = false;
    }
  };

  // 1. Each known namespace: its capabilities, else a read that needs no input.
  let accessControlCapabilities: Record<string, unknown> = {};
  const probed = new Map<string, Outcome>();
  const prefixes = [...OPERATIONS.keys()].filter((p) => serviceOfPrefix(p) !== undefined);
  // AccessControl first: its answer is the run's preflight (reachability, credentials) and its MaxLimit.
  prefixes.sort((a, b) => (a === "tac" ? -1 : b === "tac" ? 1 : 0));
  for (const prefix of prefixes) {
    const read = harmlessRead(namespaceOfPrefix(prefix) ?? "");
    if (read === undefined) continue;
    const op = `${prefix}:${read.name}`;
    const r = await call(op, {});
    const outcome: Outcome = r.ok ? { state: "supported", how: `${op} answered` } : outcomeOfError(op, r.error);
    probed.set(prefix, outcome);
    add({ id: serviceFeature(prefix), kind: "service", state: outcome.state, evidence: outcome.how }, r.exchange);
    if (read.name !== "GetServiceCapabilities" || outcome.state !== "supported") continue;
    let caps: Record<string, unknown> | undefined;
    if (r.ok) {
      const c = r.value["Capabilities"];
      caps = c !== null && typeof c === "object" ? (c as Record<string, unknown>) : undefined;
    } else if (r.exchange?.response !== undefined) {
      problems.push(`${op}: ${errorMessage(r.error)}`);
      caps = rawCapabilities(connFor(op).protocol, r.exchange.response.body);
    }
    if (caps === undefined) continue;
    if (prefix === "tac") accessControlCapabilities = caps;
    for (const [name, raw] of Object.entries(caps)) {
      if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) continue;
      const c = capabilityState(prefix, name, raw, problems);
      add({ id: capabilityFeature(prefix, name), kind: "capability", state: c.state, ...(c.value === undefined ? {} : { value: c.value }), evidence: `${op}: ${c.note}` }, r.exchange);
    }
  }
  if (!anything) {
    const tac = probed.get("tac");
    throw new PreflightError(`${options.primary.baseUrl} answered no service's GetServiceCapabilities (${tac?.how ?? "no answer"}); check --device (is this a VAPIX access control device?)`);
  }

  // 2. GetServices: what the device says it serves, and the capabilities of services without GetServiceCapabilities (IdPoint).
  const listing = await call("tds:GetServices", { IncludeCapability: true });
  const listed = new Set<string>();
  if (listing.ok) {
    const services = listing.value["Service"];
    for (const s of (Array.isArray(services) ? services : services === undefined ? [] : [services]) as Record<string, unknown>[]) {
      const p = prefixOfNamespace(String(s["Namespace"] ?? "").trim());
      if (p === undefined) continue;
      listed.add(p);
      if ([...features.keys()].some((id) => id.startsWith(`capability:${p}.`))) continue;
      const caps = listedCapabilities(s["Capabilities"]);
      for (const [name, raw] of Object.entries(caps)) {
        const c = capabilityState(p, name, raw, problems);
        add({ id: capabilityFeature(p, name), kind: "capability", state: c.state, ...(c.value === undefined ? {} : { value: c.value }), evidence: `tds:GetServices (IncludeCapability) for ${p}: ${c.note}` }, listing.exchange);
      }
    }
  }
  for (const prefix of [...OPERATIONS.keys()].filter((p) => serviceOfPrefix(p) !== undefined)) {
    const id = serviceFeature(prefix);
    const said = !listing.ok ? "" : listed.has(prefix) ? "; GetServices lists it" : "; GetServices does not list it";
    const have = features.get(id);
    const advertised: Partial<Feature> = listing.ok ? { advertised: listed.has(prefix) ? "supported" : "not-supported" } : {};
    if (have !== undefined && have.state !== "undefined") {
      features.set(id, { ...have, ...advertised, evidence: have.evidence + said });
      continue;
    }
    // No answer that decides: what GetServices says, if it answered.
    const state: FeatureState = !listing.ok ? "undefined" : listed.has(prefix) ? "supported" : "not-supported";
    const why = have?.evidence ?? `${prefix} has no read the suite can send without input`;
    add({ id, kind: "service", state, ...advertised, evidence: listing.ok ? `${why}${said}` : `${why}; GetServices did not answer (${errorMessage((listing as { error: unknown }).error)})` }, listing.exchange);
  }
  if (!listing.ok && faultOf(listing.error) === undefined && errorCode(listing.error) !== "HTTP_STATUS") problems.push(`tds:GetServices: ${errorMessage(listing.error)}`);

  // 3. The operations behind capability flags, each probed with an empty request (changes nothing).
  for (const gate of CAPABILITY_GATES) {
    for (const op of gate.operations) {
      const prefix = op.slice(0, op.indexOf(":"));
      if (features.get(serviceFeature(prefix))?.state === "not-supported") continue;
      const conn = options.soap ?? options.primary;
      let exchange: Exchange | undefined;
      const outcome = await probeOperation(conn.protocol, (req) => conn.sendRaw(req, { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}), onExchange: (ex) => (exchange = ex) }), op);
      const flag = features.get(capabilityFeature(gate.prefix, gate.capability))?.state;
      add({ id: operationFeature(op), kind: "operation", state: outcome.state, ...(flag === undefined || flag === "undefined" ? {} : { advertised: flag }), evidence: `${outcome.how}; ${gate.prefix}:GetServiceCapabilities ${gate.capability} is ${String(features.get(capabilityFeature(gate.prefix, gate.capability))?.value ?? "not reported")}` }, exchange);
    }
  }

  // 4. Event topics the device advertises.
  if (features.get(serviceFeature("tev"))?.state !== "not-supported") {
    const props = await call("tev:GetEventProperties", {});
    if (props.ok) {
      for (const { path, marked } of topicPaths(props.value["TopicSet"])) {
        add({ id: topicFeature(path), kind: "topic", state: "supported", evidence: marked ? "GetEventProperties advertises it" : 'GetEventProperties describes it (a MessageDescription) without marking it wstop:topic="true"' });
      }
    }
  }

  // 5. apidiscovery.cgi's APIs.
  await discoverApis(options, add);

  // 6. Capabilities some door has.
  if (features.get(serviceFeature("tdc"))?.state === "supported") {
    const doors = await call("tdc:GetDoorInfoList", {});
    if (doors.ok) {
      const list = doors.value["DoorInfo"];
      const infos = (Array.isArray(list) ? list : list === undefined ? [] : [list]) as Record<string, unknown>[];
      const names = new Set(infos.flatMap((d) => Object.keys((d["Capabilities"] ?? {}) as Record<string, unknown>)));
      for (const name of [...names].sort()) {
        const having = infos.filter((d) => ((d["Capabilities"] ?? {}) as Record<string, unknown>)[name] === true).length;
        if (typeof ((infos[0]?.["Capabilities"] ?? {}) as Record<string, unknown>)[name] !== "boolean") continue;
        add({ id: `door:${name}`, kind: "door", state: having > 0 ? "supported" : "not-supported", evidence: `tdc:GetDoorInfoList: ${having} of ${infos.length} door(s) have ${name}` });
      }
    }
  }

  const sorted = [...features.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { list: { features: sorted, differences: [], problems }, exchanges, accessControlCapabilities };
}

/**
 * Sends `op` with an empty request by hand (the typed encoder refuses one without its required
 * fields) and judges the answer. An empty Set/Remove names no item: it changes nothing on any device.
 */
export async function probeOperation(protocol: Protocol, send: (request: RawRequest) => Promise<HttpResponse>, op: string): Promise<Outcome> {
  try {
    const res = await send(rawRequestFor(protocol, op, undefined));
    const fault = readFault(protocol, res);
    if (fault !== undefined) return outcomeOfError(op, { code: "DEVICE_FAULT", fault, message: faultChain(fault) });
    if (res.status === 404 || res.status === 405) return { state: "not-supported", how: `${op} answered HTTP ${res.status}` };
    if (res.status >= 200 && res.status < 300) return { state: "supported", how: `${op} (empty request) answered HTTP ${res.status}` };
    return { state: "undefined", how: `${op} answered HTTP ${res.status} without a fault` };
  } catch (err) {
    return { state: "undefined", how: `${op} could not be probed: ${errorMessage(err)}` };
  }
}

/** apidiscovery.cgi getApiList: each listed API supported; the service APIs of the catalogue not listed, not-supported. */
async function discoverApis(options: DiscoveryOptions, add: (f: Feature, exchange?: Exchange) => void): Promise<void> {
  const conn = options.soap ?? options.primary;
  if (conn.protocol !== "soap") return;
  let exchange: Exchange | undefined;
  let ids: string[];
  try {
    const res = await conn.sendRaw(
      { path: API_DISCOVERY_CGI, contentType: "application/json", body: JSON.stringify({ apiVersion: "1.0", context: "discovery", method: "getApiList" }), operation: "apidiscovery.cgi getApiList" },
      { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}), onExchange: (ex) => (exchange = ex) },
    );
    if (res.status !== 200) return;
    const list = ((JSON.parse(res.body) as { data?: { apiList?: unknown } }).data?.apiList ?? []) as unknown[];
    if (!Array.isArray(list)) return;
    ids = list.map((a) => String((a as Record<string, unknown> | null)?.["id"] ?? "").trim()).filter((id) => id !== "");
  } catch {
    return;
  }
  for (const id of [...new Set(ids)].sort()) add({ id: `api:${id}`, kind: "api", state: "supported", evidence: "apidiscovery.cgi getApiList lists it" }, exchange);
  for (const s of SERVICE_CATALOG) {
    if (s.apiId === undefined || ids.includes(s.apiId)) continue;
    add({ id: `api:${s.apiId}`, kind: "api", state: "not-supported", evidence: `apidiscovery.cgi getApiList does not list ${s.apiId}` }, exchange);
  }
}

export const API_DISCOVERY_CGI = "/axis-cgi/apidiscovery.cgi";
