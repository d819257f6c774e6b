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
import type { Item } from "./entity.js";
import { OperationFault, invalidArgs, unknownAction, wellFormed, type FaultSpec } from "./faults.js";
import { JSON_PATHS, NAMESPACES, isServicePrefix, opKey, type OperationDef, type ServicePrefix } from "./operation.js";
import { ShapeError, normalize } from "./shape.js";
import type { DeviceState } from "./state.js";

export const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const TER_NS = "http://www.onvif.org/ver10/error";

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

  constructor(
    readonly state: DeviceState,
    operations: readonly OperationDef[],
    private readonly descriptors: DescriptorTable,
  ) {
    for (const op of operations) this.byKey.set(opKey(NAMESPACES[op.prefix], op.name), op);
  }

  operationCount(): number {
    return this.byKey.size;
  }

  private descriptor(op: OperationDef): OperationDescriptor | undefined {
    return this.descriptors[op.prefix]?.[op.name];
  }

  /** Validates the decoded request fully, then runs the operation. */
  private run(op: OperationDef, raw: unknown): Item {
    let input: Item;
    try {
      input = normalize(raw ?? {}, op.input, op.name) as Item;
    } catch (err) {
      if (err instanceof ShapeError) throw new MalformedInput(invalidArgs(`${op.name}: invalid request: ${err.message}`));
      throw err;
    }
    return op.handle(input, this.state);
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
    return spec.code === "env:Receiver" ? 500 : 400;
  }

  /** A fault raised outside any operation (e.g. body too large), in the protocol of the path. */
  protocolFault(protocol: "soap" | "json", status: number, fault: FaultSpec): ProtocolResponse {
    const spec = this.faultSpec(new OperationFault(fault));
    if (protocol === "soap") return { status, contentType: "application/soap+xml; charset=utf-8", body: soapFault(spec) };
    return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(buildJsonFault(spec)) };
  }

  // ---- VAPIX JSON

  /** A VAPIX JSON request POSTed to `path` (one of JSON_PATHS). */
  handleJson(body: string, path: string): ProtocolResponse {
    const reply = (status: number, value: unknown): ProtocolResponse => ({ status, contentType: "application/json; charset=utf-8", body: JSON.stringify(value) });
    try {
      const { op, raw } = this.readJson(body, path);
      const output = this.run(op, raw);
      return reply(200, this.renderJson(op, output));
    } catch (err) {
      if (err instanceof MalformedInput && this.state.quirks.has("malformed-input-accepted")) return reply(200, {});
      const spec = this.faultSpec(err instanceof MalformedInput ? err.fault : err);
      return reply(Dispatcher.statusOf(spec), buildJsonFault(spec));
    }
  }

  /** The operation a JSON key names ("axtdc:GetDoorList"), if this device serves it at all. */
  private jsonOp(key: string): OperationDef | undefined {
    const colon = key.indexOf(":");
    const prefix = key.slice(0, colon);
    return colon > 0 && isServicePrefix(prefix) ? this.byKey.get(opKey(NAMESPACES[prefix], key.slice(colon + 1))) : undefined;
  }

  private readJson(body: string, path: string): { op: OperationDef; raw: unknown } {
    // A plain request is decoded straight from the text; anything else takes the exact path below.
    let fastOp: OperationDef | undefined;
    const fast = decodeJsonRequestFast(body, (key) => {
      fastOp = this.jsonOp(key);
      return fastOp === undefined || JSON_PATHS[fastOp.prefix] !== path ? undefined : this.descriptor(fastOp)?.input.type();
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
    const op = this.jsonOp(key);
    if (op === undefined) throw unknownAction(`"${key}"`);
    // Each VAPIX JSON endpoint serves its own services only.
    if (JSON_PATHS[op.prefix] !== path) throw unknownAction(`"${key}" at ${path}; ${op.prefix} operations are served at POST ${JSON_PATHS[op.prefix]}`);
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

  handleSoap(body: string): ProtocolResponse {
    const reply = (status: number, bodyXml: string): ProtocolResponse => ({ status, contentType: "application/soap+xml; charset=utf-8", body: envelope(bodyXml) });
    try {
      const { op, desc, raw } = this.decodeSoap(body);
      const output = this.run(op, raw);
      const relax = this.state.quirks.has("schema-invalid-response") || this.state.quirks.has("set-returns-no-tokens");
      const outType = desc.output.type();
      const spec = { name: desc.output.name, ns: desc.output.ns, type: relax ? relaxed(outType) : outType };
      return reply(200, encodeElement(spec, project(output, outType), { prefixes: PREFIXES }));
    } catch (err) {
      if (err instanceof MalformedInput && this.state.quirks.has("malformed-input-accepted")) return reply(200, "");
      const spec = this.faultSpec(err instanceof MalformedInput ? err.fault : err);
      return { status: Dispatcher.statusOf(spec), contentType: "application/soap+xml; charset=utf-8", body: soapFault(spec) };
    }
  }

  /** The operation and its decoded input: streamed when the request is plain, else via the tree (exact faults). */
  private decodeSoap(body: string): { op: OperationDef; desc: OperationDescriptor; raw: unknown } {
    let op: OperationDef | undefined;
    let desc: OperationDescriptor | undefined;
    const fast = decodeRequestFast(
      body,
      (ns, local) => {
        op = this.byKey.get(opKey(ns, local));
        desc = op === undefined ? undefined : this.descriptor(op);
        return desc === undefined ? undefined : { type: desc.input.type(), path: op!.name };
      },
      { lenient: true },
    );
    if (fast !== undefined) return { op: op!, desc: desc!, raw: fast.value };
    const read = this.readSoap(body);
    const d = this.descriptor(read.op);
    if (d === undefined) {
      throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:ActionNotSupported"], reason: `${read.op.name}: SOAP is not available for this operation (no generated descriptor); use VAPIX JSON` });
    }
    try {
      return { op: read.op, desc: d, raw: decodeElement(read.el, d.input.type(), { lenient: true, path: read.op.name }) };
    } catch (err) {
      throw new MalformedInput(invalidArgs(`${read.op.name}: invalid request: ${(err as Error).message}`));
    }
  }

  private readSoap(body: string): { op: OperationDef; el: XmlElement } {
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
    if (op === undefined) throw unknownAction(`{${el.ns}}${el.local}`);
    return { op, el };
  }
}

const PREFIXES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(NAMESPACES).map(([prefix, uri]) => [uri, prefix])),
  "http://www.onvif.org/ver10/pacs": "pt",
  [SOAP12_NS]: "env",
  [TER_NS]: "ter",
};

/**
 * QName values (AccessPoint EntityType "tdc:Door" / "axtdc:Door", as the guide writes them) need
 * their prefix in scope; the Envelope declares the door-control namespaces for them.
 */
const ENVELOPE_NAMESPACES = {
  ter: TER_NS,
  tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
  axtdc: "http://www.axis.com/vapix/ws/DoorControl",
};

function envelope(bodyXml: string): string {
  return buildEnvelope(bodyXml, { namespaces: ENVELOPE_NAMESPACES });
}

/** A complete SOAP 1.2 fault envelope (runtime), codes with the canonical env/ter prefixes. */
function soapFault(spec: FaultSpec): string {
  return buildSoapFault(spec);
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
