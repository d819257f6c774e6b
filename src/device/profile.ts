/**
 * The product the device plays: which documented services it serves (`services`, --services) and
 * which capability flags it reports otherwise (`capabilities`, --capability), as an older or smaller
 * product's firmware would. Decided once at start (resolveProfile, installProfile). The services
 * stay whole inside (their stores, defaults and hardware refer to each other); what changes is what
 * the device answers: the operations it dispatches (deviceOperations), GetServices and
 * apidiscovery.cgi (identity/served.ts), the event topics it advertises, delivers and logs, and
 * GetServiceCapabilities (reportedCapabilities, applied to every prefix's operation in one wrapper).
 */
import * as generated from "../../generated/index.js";
import type { AttributeField, OperationDescriptor, TypeDescriptor } from "../runtime/model.js";
import { SERVICE_CATALOG, findService, gateOfOperation, type CapabilityGate } from "../runtime/service-catalog.js";
import { topicSourceItem, type Item } from "./entity.js";
import { OperationFault, type FaultSpec } from "./faults.js";
import { NAMESPACES, isServicePrefix, type OperationDef, type ServicePrefix } from "./operation.js";
import type { DeviceService } from "./service.js";
import type { DeviceState } from "./state.js";
import { configurationTopics } from "./topics.js";

/** A `capabilities` value: a boolean or MaxLimit's number, or either as text ("false", "10"), as --capability gives them. */
export type CapabilityValue = boolean | number | string;

/** What the device serves and reports, resolved from `services` and `capabilities`. */
export interface DeviceProfile {
  /** The prefixes the device answers; always holds tds. */
  readonly served: ReadonlySet<ServicePrefix>;
  /** Boolean capabilities reported otherwise, per prefix whose capabilities carry them. */
  readonly flags: ReadonlyMap<ServicePrefix, Readonly<Record<string, boolean>>>;
  /** `MaxLimit=N`: the one MaxLimit every service shares (state.maxLimit). */
  readonly maxLimit?: number;
}

/** A bad `services` or `capabilities` entry; server.ts and command.ts name the option or flag. */
export class ProfileError extends Error {
  override readonly name = "ProfileError";
  readonly code = "DEVICE_PROFILE";
}

const ALL_PREFIXES = Object.keys(NAMESPACES) as ServicePrefix[];

/** The device service answers whatever the product: clients find everything else through it. */
const ALWAYS_SERVED: ServicePrefix = "tds";

/**
 * Capabilities of services this device has no GetServiceCapabilities for: the IdPoint page
 * documents GetServiceCapabilities (SetIdPoint) but our idpoint.wsdl leaves the operation out
 * (wsdl/notes/idpoint.md), so GetServices is the only place they are reported.
 */
export const CAPABILITIES_WITHOUT_OPERATION: Readonly<Partial<Record<ServicePrefix, Item>>> = {
  axtid: { SetIdPoint: true },
};

/** prefix → its generated operations (generated/index.ts `<prefix>Descriptors`). */
function descriptorsOf(prefix: ServicePrefix): Readonly<Record<string, OperationDescriptor>> | undefined {
  const mod = (generated as Record<string, unknown>)[`${prefix}Descriptors`] as { operations?: Readonly<Record<string, OperationDescriptor>> } | undefined;
  return mod?.operations;
}

/** The Capabilities element of a prefix's GetServiceCapabilities response: its namespace and type, when the prefix has the operation. */
export function capabilitiesElementType(prefix: ServicePrefix): { readonly name: string; readonly ns: string; readonly type: TypeDescriptor } | undefined {
  const desc = descriptorsOf(prefix)?.["GetServiceCapabilities"];
  const field = desc?.output.type().fields.find((f) => f.name === "Capabilities");
  if (field === undefined || field.node !== "element" || field.type.kind !== "complex") return undefined;
  return { name: field.name, ns: field.ns, type: field.type.type() };
}

type CapabilityKind = "boolean" | "number" | "text";

const attributeCache = new Map<ServicePrefix, ReadonlyMap<string, CapabilityKind>>();

/** The capability attributes a prefix reports (its Capabilities type's attributes), each with its kind. */
export function capabilityAttributes(prefix: ServicePrefix): ReadonlyMap<string, CapabilityKind> {
  let out = attributeCache.get(prefix);
  if (out === undefined) {
    const m = new Map<string, CapabilityKind>();
    const type = capabilitiesElementType(prefix)?.type;
    if (type !== undefined) {
      for (const f of type.fields.filter((x): x is AttributeField => x.node === "attribute")) {
        m.set(f.name, f.type.kind === "scalar" && f.type.js === "boolean" ? "boolean" : f.type.kind === "scalar" && f.type.js === "number" ? "number" : "text");
      }
    }
    for (const [name, v] of Object.entries(CAPABILITIES_WITHOUT_OPERATION[prefix] ?? {})) m.set(name, typeof v === "boolean" ? "boolean" : typeof v === "number" ? "number" : "text");
    out = m;
    attributeCache.set(prefix, out);
  }
  return out;
}

/** "AccessControl (tac, pacsaxis), DoorControl (tdc, axtdc), …": what `services` accepts. */
function validServiceNames(): string {
  return `${SERVICE_CATALOG.map((s) => `${s.name} (${s.prefixes.join(", ")})`).join(", ")}; or their apidiscovery ids (${SERVICE_CATALOG.map((s) => s.aliases[0]).join(", ")})`;
}

/**
 * The prefixes `names` serve (default: all). A service's name or alias serves all its prefixes, a
 * prefix only itself; the device service (tds) is served in any case. Throws ProfileError.
 */
export function resolveServices(names: readonly string[] | undefined): ReadonlySet<ServicePrefix> {
  if (names === undefined) return new Set(ALL_PREFIXES);
  const served = new Set<ServicePrefix>([ALWAYS_SERVED]);
  if (names.length === 0) throw new ProfileError(`names no service; give names such as AccessControl,DoorControl,Events (valid: ${validServiceNames()})`);
  for (const raw of names) {
    const name = raw.trim();
    if (name === "") throw new ProfileError(`holds an empty name; give comma-separated names such as AccessControl,DoorControl,Events`);
    const entry = findService(name);
    if (entry === undefined) throw new ProfileError(`unknown service "${name}"; valid names: ${validServiceNames()}`);
    const prefix = name.toLowerCase();
    for (const p of entry.prefixes.includes(prefix) ? [prefix] : entry.prefixes) if (isServicePrefix(p)) served.add(p);
  }
  return served;
}

/** What a device answering `prefixes` serves, as unknownAction says it ("AccessControl (tac, pacsaxis), …"); undefined when it serves every prefix. */
export function describeServed(prefixes: ReadonlySet<ServicePrefix>): string | undefined {
  if (ALL_PREFIXES.every((p) => prefixes.has(p))) return undefined;
  const parts = SERVICE_CATALOG.map((s) => ({ name: s.name, mine: s.prefixes.filter((p) => isServicePrefix(p) && prefixes.has(p)) }))
    .filter((s) => s.mine.length > 0)
    .map((s) => `${s.name} (${s.mine.join(", ")})`);
  return parts.length === 0 ? "no service" : `only ${parts.join(", ")}`;
}

/** "DisableCredential (tac), …, MaxLimit": the capability names `capabilities` may set on the served prefixes. */
function validCapabilityNames(served: ReadonlySet<ServicePrefix>): string {
  const owners = new Map<string, ServicePrefix[]>();
  for (const p of ALL_PREFIXES.filter((x) => served.has(x))) {
    for (const [name, kind] of capabilityAttributes(p)) if (kind === "boolean") owners.set(name, [...(owners.get(name) ?? []), p]);
  }
  return [...[...owners].map(([name, ps]) => `${name} (${ps.join(", ")})`), "MaxLimit"].join(", ");
}

function parseBoolean(name: string, value: CapabilityValue): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new ProfileError(`${name} is an xs:boolean: give true or false, not ${JSON.stringify(value)}`);
}

function parseMaxLimit(value: CapabilityValue): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ProfileError(`MaxLimit must be a positive integer, for example MaxLimit=10; not ${JSON.stringify(value)}`);
  return n;
}

/**
 * The capabilities `capabilities` reports otherwise on a device serving `served`: "Name" applies to
 * every served prefix whose capabilities have it, "prefix:Name" to that prefix (and wins over
 * "Name"). Only boolean flags and the shared MaxLimit can be set. Throws ProfileError.
 */
export function resolveCapabilities(capabilities: Readonly<Record<string, CapabilityValue>> | undefined, served: ReadonlySet<ServicePrefix>): Pick<DeviceProfile, "flags" | "maxLimit"> {
  const flags = new Map<ServicePrefix, Record<string, boolean>>();
  let maxLimit: number | undefined;
  const entries = Object.entries(capabilities ?? {});
  // Un-prefixed names first, so that "prefix:Name" wins whatever the order given.
  entries.sort(([a], [b]) => Number(a.includes(":")) - Number(b.includes(":")));
  for (const [key, value] of entries) {
    const colon = key.indexOf(":");
    const prefix = colon < 0 ? undefined : key.slice(0, colon).trim();
    const name = key.slice(colon + 1).trim();
    if (name === "") throw new ProfileError(`"${key}" names no capability; give NAME=VALUE, for example SetAccessPoint=false or tac:SetAccessPoint=false`);
    if (name === "MaxLimit") {
      if (prefix !== undefined) throw new ProfileError(`${key}: every service of this device pages with one MaxLimit, so it cannot differ per service; give MaxLimit=${String(value)} without a prefix (the same as --max-limit)`);
      maxLimit = parseMaxLimit(value);
      continue;
    }
    if (prefix !== undefined && !isServicePrefix(prefix)) throw new ProfileError(`${key}: unknown prefix "${prefix}"; valid prefixes: ${ALL_PREFIXES.join(", ")}`);
    if (prefix !== undefined && !served.has(prefix)) throw new ProfileError(`${key}: ${prefix} is not served (see --services)`);
    const targets = (prefix === undefined ? ALL_PREFIXES.filter((p) => served.has(p)) : [prefix]).filter((p) => capabilityAttributes(p).has(name));
    if (targets.length === 0) {
      const where = prefix === undefined ? "no served service reports" : `${prefix} does not report`;
      throw new ProfileError(`${where} a capability "${name}"; valid names: ${validCapabilityNames(served)}`);
    }
    const notFlag = targets.find((p) => capabilityAttributes(p).get(name) !== "boolean");
    if (notFlag !== undefined) throw new ProfileError(`${notFlag}:${name} is not a boolean flag; only boolean capabilities and MaxLimit can be set (valid names: ${validCapabilityNames(served)})`);
    const flag = parseBoolean(name, value);
    for (const p of targets) flags.set(p, { ...flags.get(p), [name]: flag });
  }
  return maxLimit === undefined ? { flags } : { flags, maxLimit };
}

/** Both options at once (`services` first: capabilities are checked against what is served). Throws ProfileError naming the option. */
export function resolveProfile(options: { readonly services?: readonly string[]; readonly capabilities?: Readonly<Record<string, CapabilityValue>> }): DeviceProfile {
  let served: ReadonlySet<ServicePrefix>;
  try {
    served = resolveServices(options.services);
  } catch (err) {
    if (err instanceof ProfileError) throw new ProfileError(`services: ${err.message}`, { cause: err });
    throw err;
  }
  try {
    return { served, ...resolveCapabilities(options.capabilities, served) };
  } catch (err) {
    if (err instanceof ProfileError) throw new ProfileError(`capabilities: ${err.message}`, { cause: err });
    throw err;
  }
}

const PROFILE = "device.profile";

interface InstalledProfile {
  profile: DeviceProfile;
  /** Topics of the services left out: not advertised, delivered or logged. */
  hidden: ReadonlySet<string>;
}

const FULL: DeviceProfile = { served: new Set(ALL_PREFIXES), flags: new Map() };

function installed(state: DeviceState): InstalledProfile {
  return state.runtime<InstalledProfile>(PROFILE, () => ({ profile: FULL, hidden: new Set() }));
}

/** Records the device's profile (server.ts, before the services attach). */
export function installProfile(state: DeviceState, profile: DeviceProfile): void {
  installed(state).profile = profile;
}

/** The device's profile; a state nobody installed one on serves everything as documented. */
export function deviceProfile(state: DeviceState): DeviceProfile {
  return installed(state).profile;
}

/** Whether the device answers a prefix at all. */
export function serves(state: DeviceState, prefix: ServicePrefix): boolean {
  return installed(state).profile.served.has(prefix);
}

/**
 * Hides the event topics of every service none of whose prefixes is served: its entities'
 * Changed/Removed topics and those its attach registered (state.topics.registering). A service
 * without prefixes (System) and a partly served one keep theirs. After the services attached.
 */
export function hideTopicsOfUnservedServices(state: DeviceState, services: readonly DeviceService[]): void {
  const { served } = deviceProfile(state);
  const hidden = new Set<string>();
  for (const s of services) {
    if (s.prefixes.length === 0 || s.prefixes.some((p) => served.has(p))) continue;
    for (const decl of s.entities) if (decl.topic !== undefined) for (const t of configurationTopics(decl.topic, topicSourceItem(decl), decl.what)) hidden.add(t.topic);
    for (const t of state.topics.all()) if (state.topics.ownerOf(t.topic) === s.name) hidden.add(t.topic);
  }
  installed(state).hidden = hidden;
}

/** Whether a topic is the device's to advertise, deliver and log (false for a left-out service's). */
export function topicServed(state: DeviceState, topic: string): boolean {
  const hidden = installed(state).hidden;
  return hidden.size === 0 || !hidden.has(topic);
}

/** The fault an operation firmware lacks answers with: env:Receiver/ter:ActionNotSupported (ONVIF Core, "Optional Action Not Implemented"). */
function notSupported(reason: string): FaultSpec {
  return { code: "env:Receiver", subcodes: ["ter:ActionNotSupported"], reason };
}

/** The gate of `op` when the profile sets its flag false. */
function closedGate(state: DeviceState, op: string): CapabilityGate | undefined {
  const gate = gateOfOperation(op);
  return gate !== undefined && deviceProfile(state).flags.get(gate.prefix as ServicePrefix)?.[gate.capability] === false ? gate : undefined;
}

/** The fault an operation answers before its input is read, when the device plays firmware without it; undefined when it runs. */
export function refusalOf(state: DeviceState, op: Pick<OperationDef, "prefix" | "name">): FaultSpec | undefined {
  const qname = `${op.prefix}:${op.name}`;
  if (op.prefix === "axtpc" && state.quirks.has("discovery-advertises-unserved-service")) {
    return notSupported(`${qname} is not supported: this firmware has no third-party credential service`);
  }
  const gate = closedGate(state, qname);
  if (gate !== undefined) return notSupported(`${qname} is not supported: ${gate.capability} is false in this device's capabilities (${gate.prefix}:Capabilities)`);
  return undefined;
}

/**
 * A prefix's capabilities as the device reports them (GetServiceCapabilities and GetServices
 * alike): the `capabilities` flags over the service's own, then the discovery quirks.
 */
export function reportedCapabilities(state: DeviceState, prefix: ServicePrefix, caps: Item): Item {
  const flags = deviceProfile(state).flags.get(prefix);
  const out: Item = flags === undefined ? { ...caps } : { ...caps, ...flags };
  if (prefix === "axtid" && state.quirks.has("discovery-capability-flag-lies")) out["SetIdPoint"] = false;
  // Text where the schema says xs:boolean: the encoders send it as it is (protocols.ts withTextValues).
  if (prefix === "tac" && state.quirks.has("capabilities-invalid-boolean") && typeof out["DisableCredential"] === "boolean") out["DisableCredential"] = out["DisableCredential"] ? "True" : "False";
  return out;
}

function withReported(state: DeviceState, prefix: ServicePrefix, answer: Item): Item {
  const caps = answer["Capabilities"];
  if (caps === null || typeof caps !== "object" || Array.isArray(caps)) return answer;
  return { ...answer, Capabilities: reportedCapabilities(state, prefix, caps as Item) };
}

/**
 * An operation as this device answers it: refused up front (OperationDef.refusal) when the device
 * plays firmware without it, GetServiceCapabilities reporting the profile's capabilities, any other
 * operation as it is.
 */
export function profiledOperation(state: DeviceState, op: OperationDef): OperationDef {
  const refusal = refusalOf(state, op);
  if (refusal !== undefined) {
    return {
      ...op,
      refusal,
      handle: () => {
        throw new OperationFault(refusal);
      },
    };
  }
  if (op.name !== "GetServiceCapabilities") return op;
  return {
    ...op,
    handle: (input, s, ctx) => {
      const answer = op.handle(input, s, ctx);
      return answer instanceof Promise ? answer.then((a) => withReported(s, op.prefix, a)) : withReported(s, op.prefix, answer);
    },
  };
}

/** The operations the device dispatches: those of served prefixes, profiled. */
export function deviceOperations(state: DeviceState, operations: readonly OperationDef[]): OperationDef[] {
  const { served } = deviceProfile(state);
  return operations.filter((op) => served.has(op.prefix)).map((op) => profiledOperation(state, op));
}
