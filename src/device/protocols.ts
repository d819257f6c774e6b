/**
 * SOAP 1.2 (POST /vapix/services) and VAPIX JSON (POST /vapix/pacs) front ends over one set of
 * operations and one state. Requests are decoded with the runtime codec (lenient: any prefixes,
 * unqualified children, any child order), then normalised and validated against the device's own
 * request shapes before anything changes; responses are encoded with the generated descriptors.
 */
import { decodeElement, encodeElement, normalizeJson } from "../runtime/codec.js";
import { decodeJsonRequestFast } from "../runtime/json-reader.js";
import type { ElementField, FieldDescriptor, OperationDescriptor, TypeDescriptor, XmlElement } from "../runtime/model.js";
import { buildEnvelope, buildJsonFault, buildSoapFault, decodeRequestFast } from "../runtime/soap.js";
import { parseXml } from "../runtime/xml.js";
import { escapeXmlText } from "../runtime/xml-writer.js";
import type { Item } from "./entity.js";
import { OperationFault, invalidArgs, unknownAction, wellFormed, type FaultSpec } from "./faults.js";
import { JSON_PATHS, NAMESPACES, changesSharedConfiguration, isServicePrefix, opKey, type OperationDef, type RequestContext, type ServicePrefix } from "./operation.js";
import { describeServed } from "./profile.js";
import { ShapeError, normalize } from "./shape.js";
import { mustUnderstandFault } from "./soap-headers.js";
import { TOPIC_NAMESPACES } from "./topics.js";
import type { DeviceState } from "./state.js";

export const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const TER_NS = "http://www.onvif.org/ver10/error";
/** Where a request arrived and how to notice the client leaving (http.ts builds it). */
export interface RequestMeta {
  readonly path: string;
  readonly host: string;
  /** "https" when the request came over TLS; absent: plain HTTP. */
  readonly scheme?: "https";
  readonly signal: AbortSignal;
}

export interface ProtocolResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Generated operation descriptors per service prefix (generated/<prefix>/descriptors.ts `operations`). */
export type DescriptorTable = Partial<Record<ServicePrefix, Readonly<Record<string, OperationDescriptor>>>>;

/** Thrown for input the device cannot read at all (the `malformed-input-accepted` quirk answers 200 instead). */
class MalformedInput extends Error {
  constructor(readonly fault: OperationFault) {
    super(fault.message);
  }
}

export class Dispatcher {
  private readonly byKey = new Map<string, OperationDef>();

  /** JSON names without their prefix ("FetchEvents3"), per path: the operation when only one at that path has the name. */
  private readonly unprefixed = new Map<string, OperationDef | null>();

  /** What unknownAction says the device serves: undefined for every service, else the prefixes of `operations` (--services). */
  private readonly serving: string | undefined;

  constructor(
    readonly state: DeviceState,
    operations: readonly OperationDef[],
    private readonly descriptors: DescriptorTable,
  ) {
    for (const op of operations) {
      this.byKey.set(opKey(NAMESPACES[op.prefix], op.name), op);
      // Operations whose body element lives in another namespace (the event service's wsnt:Renew) dispatch on it.
      const input = this.descriptor(op)?.input;
      if (input !== undefined) this.byKey.set(opKey(input.ns, input.name), op);
      const path = JSON_PATHS[op.prefix];
      if (path !== undefined) {
        const k = `${path} ${op.name}`;
        this.unprefixed.set(k, this.unprefixed.has(k) ? null : op);
      }
    }
    this.serving = describeServed(new Set(operations.map((op) => op.prefix)));
  }

  /** ter:UnknownAction for `what`; an operation of a prefix the device does not serve gets the same. */
  private unknown(what: string): OperationFault {
    return this.serving === undefined ? unknownAction(what) : unknownAction(what, this.serving);
  }

  operationCount(): number {
    return this.byKey.size;
  }

  private descriptor(op: OperationDef): OperationDescriptor | undefined {
    return this.descriptors[op.prefix]?.[op.name];
  }

  /** Validates the decoded request fully, then runs the operation (answers at once unless the operation waits). */
  private run(op: OperationDef, raw: unknown, ctx: RequestContext): Item | Promise<Item> {
    let input: Item;
    try {
      input = normalize(raw ?? {}, op.input, op.name) as Item;
    } catch (err) {
      if (err instanceof ShapeError) throw new MalformedInput(invalidArgs(`${op.name}: invalid request: ${err.message}`));
      throw err;
    }
    // A lone device (the common case, and the benchmarked one) runs the operation directly.
    if (this.state.gate?.engaged !== true) return op.handle(input, this.state, ctx);
    return this.state.change(`${op.prefix}:${op.name}`, changesSharedConfiguration(op), () => op.handle(input, this.state, ctx));
  }

  private faultSpec(err: unknown): FaultSpec {
    const spec: FaultSpec =
      err instanceof OperationFault
        ? err.fault
        : { code: "env:Receiver", subcodes: ["ter:Action"], reason: `internal error: ${err instanceof Error ? err.message : String(err)}` };
    if (this.state.quirks.has("wrong-fault-subcode")) return { ...spec, subcodes: ["ter:InvalidArgs"] };
    return spec;
  }

  private static statusOf(spec: FaultSpec): number {
    // SOAP 1.2 part 2, 7.5.1.2: Sender faults are 400; Receiver and MustUnderstand faults 500.
    return spec.code === "env:Receiver" || spec.code === "env:MustUnderstand" ? 500 : 400;
  }

  /** A fault raised outside any operation (e.g. body too large), in the protocol of the path. */
  protocolFault(protocol: "soap" | "json", status: number, fault: FaultSpec): ProtocolResponse {
    const spec = this.faultSpec(new OperationFault(fault));
    if (protocol === "soap") return { status, contentType: "application/soap+xml; charset=utf-8", body: soapFault(spec) };
    return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(buildJsonFault(spec)) };
  }

  // ---- VAPIX JSON

  /** A VAPIX JSON request POSTed to `meta.path` (one of JSON_PATHS). */
  handleJson(body: string, meta: RequestMeta): ProtocolResponse | Promise<ProtocolResponse> {
    const reply = (status: number, value: unknown): ProtocolResponse => ({ status, contentType: "application/json; charset=utf-8", body: JSON.stringify(value) });
    const failed = (err: unknown): ProtocolResponse => {
      if (err instanceof MalformedInput && this.state.quirks.has("malformed-input-accepted")) return reply(200, {});
      const spec = this.faultSpec(err instanceof MalformedInput ? err.fault : err);
      return reply(Dispatcher.statusOf(spec), buildJsonFault(spec));
    };
    try {
      const { op, raw } = this.readJson(body, meta.path);
      const output = this.run(op, raw, { protocol: "json", ...meta });
      if (output instanceof Promise) return output.then((o) => reply(200, this.renderJson(op, o))).catch(failed);
      return reply(200, this.renderJson(op, output));
    } catch (err) {
      return failed(err);
    }
  }

  /**
   * The operation a JSON key names ("axtdc:GetDoorList"), if this device serves it at all. Clients
   * of the event logger also send the bare name ({"FetchEvents3": …}): accepted where the path
   * makes the service unambiguous.
   */
  private jsonOp(key: string, path: string): OperationDef | undefined {
    const colon = key.indexOf(":");
    if (colon === -1) return this.unprefixed.get(`${path} ${key}`) ?? undefined;
    const prefix = key.slice(0, colon);
    return colon > 0 && isServicePrefix(prefix) ? this.byKey.get(opKey(NAMESPACES[prefix], key.slice(colon + 1))) : undefined;
  }

  private readJson(body: string, path: string): { op: OperationDef; raw: unknown } {
    // A plain request is decoded straight from the text; anything else takes the exact path below.
    let fastOp: OperationDef | undefined;
    const fast = decodeJsonRequestFast(body, (key) => {
      fastOp = this.jsonOp(key, path);
      return fastOp === undefined || JSON_PATHS[fastOp.prefix] !== path || fastOp.refusal !== undefined ? undefined : this.descriptor(fastOp)?.input.type();
    });
    if (fast !== undefined) return { op: fastOp!, raw: fast.value };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw new MalformedInput(wellFormed(`request body is not JSON (${(err as Error).message}); send {"pacsaxis:<Operation>": {…}}`));
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new MalformedInput(wellFormed('request body must be a JSON object like {"pacsaxis:GetAccessPointList": {}}'));
    }
    const keys = Object.keys(parsed);
    if (keys.length !== 1) throw new MalformedInput(wellFormed(`request body must hold exactly one "<prefix>:<Operation>" key, found ${keys.length}`));
    const key = keys[0]!;
    const op = this.jsonOp(key, path);
    if (op === undefined) throw this.unknown(`"${key}"`);
    // Each VAPIX JSON endpoint serves its own services only.
    if (JSON_PATHS[op.prefix] !== path) {
      const home = JSON_PATHS[op.prefix];
      throw this.unknown(`"${key}" at ${path}; ${op.prefix} operations are served ${home === undefined ? "over SOAP only (POST /vapix/services)" : `at POST ${home}`}`);
    }
    // Firmware without the operation answers so whatever the request holds.
    if (op.refusal !== undefined) throw new OperationFault(op.refusal);
    let raw = (parsed as Record<string, unknown>)[key];
    if (raw !== null && raw !== undefined && (typeof raw !== "object" || Array.isArray(raw))) {
      throw new MalformedInput(invalidArgs(`${op.name}: the value of "${key}" must be an object`));
    }
    const desc = this.descriptor(op);
    if (desc !== undefined) {
      try {
        raw = normalizeJson(raw ?? {}, desc.input.type(), { lenient: true, path: op.name });
      } catch (err) {
        throw new MalformedInput(invalidArgs(`${op.name}: invalid request: ${(err as Error).message}`));
      }
    }
    return { op, raw };
  }

  private renderJson(op: OperationDef, output: Item): Item {
    const desc = this.descriptor(op);
    const value = desc === undefined ? output : (project(output, desc.output.type()) as Item);
    if (!this.state.quirks.has("json-diverges")) return value;
    // The quirk: JSON shows different names than SOAP for the same state.
    const mark = (item: unknown): void => {
      if (typeof item !== "object" || item === null) return;
      const rec = item as Record<string, unknown>;
      for (const k of ["Name", "Description"]) if (typeof rec[k] === "string") rec[k] = `${rec[k] as string} (json)`;
    };
    for (const v of Object.values(value)) {
      if (Array.isArray(v)) v.forEach(mark);
      else mark(v);
    }
    return value;
  }

  // ---- SOAP 1.2

  handleSoap(body: string, meta: RequestMeta): ProtocolResponse | Promise<ProtocolResponse> {
    // Set once the request's header is read: the request spoke WS-Addressing, so the answer does too.
    let addressing: Addressing | undefined;
    const reply = (status: number, bodyXml: string, action?: string): ProtocolResponse => ({
      status,
      contentType: "application/soap+xml; charset=utf-8",
      body: envelope(bodyXml, addressing === undefined || action === undefined ? undefined : responseHeader(action, addressing)),
    });
    const failed = (err: unknown): ProtocolResponse => {
      if (err instanceof MalformedInput && this.state.quirks.has("malformed-input-accepted")) return reply(200, "");
      const spec = this.faultSpec(err instanceof MalformedInput ? err.fault : err);
      const headerXml = addressing === undefined ? undefined : responseHeader(WSA_FAULT_ACTION, addressing);
      return { status: Dispatcher.statusOf(spec), contentType: "application/soap+xml; charset=utf-8", body: soapFault(headerXml === undefined ? spec : { ...spec, headerXml }) };
    };
    try {
      const { op, desc, raw, header } = this.decodeSoap(body);
      if (!this.state.quirks.has("wsa-response-action-missing")) addressing = addressingOf(header);
      const notUnderstood = mustUnderstandFault(this.state, header);
      if (notUnderstood !== undefined) throw notUnderstood;
      const render = (output: Item): ProtocolResponse => {
        const relax = this.state.quirks.has("schema-invalid-response") || this.state.quirks.has("set-returns-no-tokens");
        const outType = desc.output.type();
        const base = relax ? relaxed(outType) : outType;
        // Capabilities a quirk sends as text where the schema says xs:boolean ("True") go out as that text.
        const spec = { name: desc.output.name, ns: desc.output.ns, type: op.name === "GetServiceCapabilities" ? withTextValues(base, output) : base };
        return reply(200, encodeElement(spec, project(output, outType), { prefixes: PREFIXES }), responseAction(desc.soapAction));
      };
      const output = this.run(op, raw, header === undefined ? { protocol: "soap", ...meta } : { protocol: "soap", ...meta, header });
      if (output instanceof Promise) return output.then(render).catch(failed);
      return render(output);
    } catch (err) {
      return failed(err);
    }
  }

  /** The operation and its decoded input: streamed when the request is plain, else via the tree (exact faults). */
  private decodeSoap(body: string): { op: OperationDef; desc: OperationDescriptor; raw: unknown; header?: XmlElement } {
    let op: OperationDef | undefined;
    let desc: OperationDescriptor | undefined;
    const fast = decodeRequestFast(
      body,
      (ns, local) => {
        op = this.byKey.get(opKey(ns, local));
        desc = op === undefined || op.refusal !== undefined ? undefined : this.descriptor(op);
        return desc === undefined ? undefined : { type: desc.input.type(), path: op!.name };
      },
      { lenient: true },
    );
    if (fast !== undefined) return fast.header === undefined ? { op: op!, desc: desc!, raw: fast.value } : { op: op!, desc: desc!, raw: fast.value, header: fast.header };
    const read = this.readSoap(body);
    if (read.op.refusal !== undefined) throw new OperationFault(read.op.refusal);
    const d = this.descriptor(read.op);
    if (d === undefined) {
      throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:ActionNotSupported"], reason: `${read.op.name}: SOAP is not available for this operation (no generated descriptor); use VAPIX JSON` });
    }
    try {
      const raw = decodeElement(read.el, d.input.type(), { lenient: true, path: read.op.name });
      return read.header === undefined ? { op: read.op, desc: d, raw } : { op: read.op, desc: d, raw, header: read.header };
    } catch (err) {
      throw new MalformedInput(invalidArgs(`${read.op.name}: invalid request: ${(err as Error).message}`));
    }
  }

  private readSoap(body: string): { op: OperationDef; el: XmlElement; header?: XmlElement } {
    let root: XmlElement;
    try {
      root = parseXml(body);
    } catch (err) {
      throw new MalformedInput(wellFormed(`request is not well-formed XML: ${(err as Error).message}`));
    }
    if (root.local !== "Envelope" || root.ns !== SOAP12_NS) {
      if (root.local === "Envelope" && root.ns === SOAP11_NS) {
        throw new MalformedInput(new OperationFault({ code: "env:VersionMismatch", subcodes: [], reason: `SOAP 1.1 envelope; this device speaks SOAP 1.2 (${SOAP12_NS})` }));
      }
      throw new MalformedInput(wellFormed(`root element {${root.ns}}${root.local} is not a SOAP 1.2 Envelope (${SOAP12_NS})`));
    }
    const bodies = root.children.filter((c) => c.ns === SOAP12_NS && c.local === "Body");
    if (bodies.length !== 1) throw new MalformedInput(wellFormed(`the Envelope must hold exactly one Body, found ${bodies.length}`));
    const payload = bodies[0]!.children;
    if (payload.length !== 1) throw new MalformedInput(wellFormed(`the Body must hold exactly one operation element, found ${payload.length}`));
    const el = payload[0]!;
    const op = this.byKey.get(opKey(el.ns, el.local));
    if (op === undefined) throw this.unknown(`{${el.ns}}${el.local}`);
    const header = root.children.find((c) => c.ns === SOAP12_NS && c.local === "Header");
    return header === undefined ? { op, el } : { op, el, header };
  }
}

const PREFIXES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(NAMESPACES).map(([prefix, uri]) => [uri, prefix])),
  "http://www.onvif.org/ver10/pacs": "pt",
  [SOAP12_NS]: "env",
  [TER_NS]: "ter",
  // The event service's message parts, with the prefixes ONVIF's documents use.
  "http://docs.oasis-open.org/wsn/b-2": "wsnt",
  "http://docs.oasis-open.org/wsn/t-1": "wstop",
  "http://www.w3.org/2005/08/addressing": "wsa",
  "http://www.onvif.org/ver10/schema": "tt",
};

/**
 * QName values (AccessPoint EntityType "tdc:Door" / "axtdc:Door", as the guide writes them) need
 * their prefix in scope; the Envelope declares the door-control namespaces for them.
 */
const ENVELOPE_NAMESPACES = {
  ter: TER_NS,
  tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
  axtdc: "http://www.axis.com/vapix/ws/DoorControl",
  // Topic expressions (wsnt:Topic "tns1:Door/State/DoorMode") and the topic set's elements.
  ...TOPIC_NAMESPACES,
};

function envelope(bodyXml: string, headerXml?: string): string {
  return buildEnvelope(bodyXml, headerXml === undefined ? { namespaces: ENVELOPE_NAMESPACES } : { namespaces: ENVELOPE_NAMESPACES, headerXml });
}

/** A complete SOAP 1.2 fault envelope (runtime), codes with the canonical env/ter prefixes. */
function soapFault(spec: FaultSpec & { readonly headerXml?: string }): string {
  return buildSoapFault(spec);
}

const WSA_NS = "http://www.w3.org/2005/08/addressing";
/** WS-Addressing 1.0 SOAP binding: the action of every SOAP fault (ONVIF event test spec, Annex A.3). */
const WSA_FAULT_ACTION = "http://www.w3.org/2005/08/addressing/soap/fault";

/** What a WS-Addressing request says about the reply: the MessageID it relates to. */
interface Addressing {
  readonly messageId: string | undefined;
}

/** The request's addressing, when its header carries a wsa:Action (the client speaks WS-Addressing). */
function addressingOf(header: XmlElement | undefined): Addressing | undefined {
  const blocks = header?.children.filter((c) => c.ns === WSA_NS) ?? [];
  if (!blocks.some((b) => b.local === "Action")) return undefined;
  return { messageId: blocks.find((b) => b.local === "MessageID")?.text.trim() };
}

/** The response action of an operation: its request action with "Request" replaced (ONVIF's action URIs). */
function responseAction(requestAction: string): string {
  return requestAction.endsWith("Request") ? `${requestAction.slice(0, -"Request".length)}Response` : `${requestAction}Response`;
}

function responseHeader(action: string, addressing: Addressing): string {
  const relates = addressing.messageId === undefined || addressing.messageId === "" ? "" : `<wsa:RelatesTo xmlns:wsa="${WSA_NS}">${escapeXmlText(addressing.messageId)}</wsa:RelatesTo>`;
  return `<wsa:Action xmlns:wsa="${WSA_NS}">${escapeXmlText(action)}</wsa:Action>${relates}`;
}

/** Keep only what the descriptor declares (the device's model may know fields the schema does not). */
export function project(value: unknown, type: TypeDescriptor): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const v = src[f.name];
    if (v === undefined) continue;
    if (f.node === "element" && f.type.kind === "complex") {
      const t = f.type.type();
      out[f.name] = Array.isArray(v) ? v.map((x) => project(x, t)) : project(v, t);
    } else {
      out[f.name] = v;
    }
  }
  return out;
}

const relaxCache = new WeakMap<TypeDescriptor, TypeDescriptor>();

/** The same type with every element and attribute optional: for quirks that deliberately send schema-invalid responses. */
function relaxed(type: TypeDescriptor): TypeDescriptor {
  const hit = relaxCache.get(type);
  if (hit !== undefined) return hit;
  const fields: FieldDescriptor[] = [];
  const out: TypeDescriptor = { ...type, fields };
  relaxCache.set(type, out);
  for (const f of type.fields) {
    if (f.node === "element") {
      const e: ElementField = f.type.kind === "complex" ? { ...f, min: 0, type: { kind: "complex", type: ((t) => () => relaxed(t()))(f.type.type) } } : { ...f, min: 0 };
      fields.push(e);
    } else if (f.node === "attribute") {
      fields.push({ ...f, required: false });
    } else {
      fields.push(f);
    }
  }
  return out;
}

const textCache = new WeakMap<TypeDescriptor, Map<string, TypeDescriptor>>();

/** withTextValues' work: the changed type and a key naming what changed (nested types are cached the same way). */
function textValues(type: TypeDescriptor, value: unknown): { readonly type: TypeDescriptor; readonly key: string } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const src = value as Record<string, unknown>;
  const changed = new Map<string, FieldDescriptor>();
  const parts: string[] = [];
  for (const f of type.fields) {
    const v = src[f.name];
    if (f.node === "attribute" && f.type.kind === "scalar" && f.type.js !== "string" && typeof v === "string") {
      changed.set(f.name, { ...f, type: { kind: "scalar", js: "string", xsd: "xs:string" } });
      parts.push(f.name);
    } else if (f.node === "element" && f.type.kind === "complex") {
      const inner = textValues(f.type.type(), v);
      if (inner === undefined) continue;
      changed.set(f.name, { ...f, type: { kind: "complex", type: () => inner.type } });
      parts.push(`${f.name}(${inner.key})`);
    }
  }
  if (parts.length === 0) return undefined;
  const key = parts.join(" ");
  let byKey = textCache.get(type);
  if (byKey === undefined) textCache.set(type, (byKey = new Map()));
  let out = byKey.get(key);
  if (out === undefined) {
    out = { ...type, fields: type.fields.map((f) => changed.get(f.name) ?? f) };
    byKey.set(key, out);
  }
  return { type: out, key };
}

/**
 * The type with every attribute whose value in `value` is text where the schema says xs:boolean
 * or a number typed as text (in nested single elements too), so the encoder sends that text as it
 * is: for quirks that send invalid values on purpose (`DisableCredential="True"`). The same type
 * when the value has none.
 */
export function withTextValues(type: TypeDescriptor, value: unknown): TypeDescriptor {
  return textValues(type, value)?.type ?? type;
}
