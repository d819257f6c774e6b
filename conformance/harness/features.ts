/**
 * The feature list's model work: the view checks read, what a check requires, declared
 * (--features) against discovered states, the per-service verdicts of the summary, and the
 * features.json document. Discovery itself (the calls) is in discovery.ts.
 */
import { SERVICE_CATALOG, findService, gateOfOperation, serviceOfPrefix } from "../../src/runtime/service-catalog.js";
import type { CheckDefinition, CheckResult, Exchange, Feature, FeatureDifference, FeatureList, FeatureState, FeatureView, ServiceVerdict } from "./types.js";
import { FEATURE_STATES } from "./types.js";
import { UsageError } from "./verdict.js";

export const FEATURES_FILE = "features.json";

/** Id of a service feature: "service:tac". */
export const serviceFeature = (prefix: string): string => `service:${prefix}`;
/** Id of a capability feature: "capability:tac.SetAccessPoint". */
export const capabilityFeature = (prefix: string, name: string): string => `capability:${prefix}.${name}`;
/** Id of an operation feature: "operation:pacsaxis:SetAccessPoint". */
export const operationFeature = (op: string): string => `operation:${op}`;
/** Id of an event topic feature: "topic:tns1:Device/Trigger/Relay". */
export const topicFeature = (topic: string): string => `topic:${topic}`;

export function featureView(list: FeatureList, exchanges: ReadonlyMap<string, Exchange> = new Map()): FeatureView {
  const byId = new Map(list.features.map((f) => [f.id, f]));
  return {
    list,
    get: (id) => byId.get(id),
    state: (id) => byId.get(id)?.state ?? "undefined",
    exchange: (id) => exchanges.get(id),
  };
}

/** A check's requirements: its own, else the service of its id's first segment when that is a service prefix. */
export function requirementsOf(check: CheckDefinition): readonly string[] {
  if (check.requires !== undefined) return check.requires;
  const dot = check.id.indexOf(".");
  if (dot < 0) return [];
  const prefix = check.id.slice(0, dot);
  return serviceOfPrefix(prefix) === undefined ? [] : [serviceFeature(prefix)];
}

/** Why a feature is missing, in one line that names it and the evidence. */
export function describeMissing(feature: Feature | undefined, id: string, what?: string): string {
  const declared = feature?.discovered !== undefined ? " (declared with --features)" : "";
  return `${what === undefined ? "" : `${what}: `}${id} is not supported${declared}: ${feature?.evidence ?? "no evidence"}`;
}

/**
 * Whether the device serves an operation (`"pacsaxis:SetAccessPoint"`), as the feature list says:
 * its service must not be not-supported, and the operation (probed), else the capability flag that
 * speaks for it, must not be not-supported. Returns the feature that rules it out, if one does.
 */
export function missingFeatureOf(view: FeatureView, op: string): string | undefined {
  const colon = op.indexOf(":");
  if (colon < 0) return undefined;
  const prefix = op.slice(0, colon);
  if (view.state(serviceFeature(prefix)) === "not-supported") return serviceFeature(prefix);
  const probed = view.get(operationFeature(op));
  if (probed !== undefined && probed.state !== "undefined") return probed.state === "not-supported" ? probed.id : undefined;
  const gate = gateOfOperation(op);
  if (gate !== undefined && view.state(capabilityFeature(gate.prefix, gate.capability)) === "not-supported") return capabilityFeature(gate.prefix, gate.capability);
  return undefined;
}

/** Applies a declaration: declared states win; where discovery disagrees the feature keeps both and a difference is listed. */
export function applyDeclaration(discovered: FeatureList, file: string, declared: ReadonlyMap<string, FeatureState>): FeatureList {
  const differences: FeatureDifference[] = [];
  const known = new Map(discovered.features.map((f) => [f.id, f]));
  const features: Feature[] = discovered.features.map((f) => {
    const d = declared.get(f.id);
    if (d === undefined || d === f.state) return f;
    differences.push({ id: f.id, declared: d, discovered: f.state, evidence: f.evidence });
    return { ...f, state: d, discovered: f.state };
  });
  for (const [id, state] of declared) {
    if (known.has(id)) continue;
    const kind = id.slice(0, id.indexOf(":")) as Feature["kind"];
    features.push({ id, kind, state, evidence: `declared in ${file}; discovery did not look at it`, ...(state === "undefined" ? {} : { discovered: "undefined" as const }) });
    if (state !== "undefined") differences.push({ id, declared: state, discovered: "undefined", evidence: "discovery did not look at it" });
  }
  features.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...discovered, features, declaredFrom: file, differences };
}

/**
 * Reads a --features declaration: a features.json of an earlier run, or a hand-written
 * `{"features": [{"id": "service:axtpc", "state": "not-supported"}, …]}`. Throws UsageError naming
 * the entry that is wrong.
 */
export function parseFeatureDeclaration(file: string, text: string): Map<string, FeatureState> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--features ${file} is not JSON (${(err as Error).message}); give a features.json of an earlier run or {"features": [{"id": "service:axtpc", "state": "not-supported"}]}`);
  }
  const list = (doc as { features?: unknown } | null)?.features;
  if (!Array.isArray(list)) throw new UsageError(`--features ${file} has no "features" list; expected {"features": [{"id": "service:axtpc", "state": "not-supported"}]}`);
  const out = new Map<string, FeatureState>();
  list.forEach((entry, i) => {
    const e = (entry ?? {}) as { id?: unknown; state?: unknown };
    if (typeof e.id !== "string" || !/^(service|capability|operation|topic|api|door):.+/.test(e.id)) {
      throw new UsageError(`--features ${file}: features[${i}].id must be a feature id such as "service:axtpc" or "capability:tac.SetAccessPoint", got ${JSON.stringify(e.id)}`);
    }
    if (typeof e.state !== "string" || !(FEATURE_STATES as readonly string[]).includes(e.state)) {
      throw new UsageError(`--features ${file}: features[${i}] (${e.id}) state must be one of ${FEATURE_STATES.join(", ")}, got ${JSON.stringify(e.state)}`);
    }
    if (out.has(e.id)) throw new UsageError(`--features ${file}: features[${i}] declares ${e.id} a second time; keep one entry per feature`);
    out.set(e.id, e.state as FeatureState);
  });
  return out;
}

/** A service's support from its namespaces' states: all agree, or "partial". */
function supportOf(list: FeatureList, prefixes: readonly string[]): ServiceVerdict["support"] {
  // Unknown namespaces do not change what the known ones say; served and unserved ones make "partial".
  const states = new Set(prefixes.map((p) => list.features.find((f) => f.id === serviceFeature(p))?.state ?? "undefined"));
  if (states.has("supported")) return states.has("not-supported") ? "partial" : "supported";
  return states.has("not-supported") ? "not-supported" : "undefined";
}

/** One line per service the run had checks of (the harness's own excluded), in catalogue order. */
export function serviceVerdicts(results: readonly CheckResult[], list: FeatureList | undefined): ServiceVerdict[] {
  const names = [...new Set(results.map((r) => r.service))].filter((s) => s !== "Harness");
  const order = (name: string): number => {
    const i = SERVICE_CATALOG.findIndex((s) => s.name === name);
    return i < 0 ? SERVICE_CATALOG.length : i;
  };
  names.sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1));
  return names.map((service) => {
    const mine = results.filter((r) => r.service === service);
    const count = (...statuses: string[]): number => mine.filter((r) => statuses.includes(r.status)).length;
    const passed = count("passed", "warned", "expected-fail");
    const failed = count("failed");
    const skipped = count("skipped");
    const other = mine.length - passed - failed - skipped;
    const entry = findService(service);
    const support = list === undefined || entry === undefined ? "undefined" : supportOf(list, entry.prefixes);
    const verdict: ServiceVerdict["verdict"] =
      failed > 0 || count("errored", "unexpectedly-passed") > 0 ? "deviations" : support === "not-supported" ? "not-supported" : passed + count("flaky") > 0 ? "conformant" : "not-run";
    return { service, support, passed, failed, skipped, other, verdict };
  });
}

/** The features.json document (validated by schemas/features.schema.json). */
export function featuresDocument(list: FeatureList, meta: { tool: { name: string; version: string }; deviceUrl: string; discoveredAt: string }): Record<string, unknown> {
  const counts = Object.fromEntries(FEATURE_STATES.map((s) => [s, list.features.filter((f) => f.state === s).length]));
  return {
    tool: meta.tool,
    device: { url: meta.deviceUrl },
    discoveredAt: meta.discoveredAt,
    ...(list.declaredFrom === undefined ? {} : { declaredFrom: list.declaredFrom }),
    counts,
    features: list.features,
    differences: list.differences,
    problems: list.problems,
  };
}
