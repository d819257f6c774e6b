/**
 * What the composed device serves, for GetServices and apidiscovery.cgi: every namespace prefix
 * some service answers operations of, and each service's own GetServiceCapabilities. The list of
 * services comes from the device's state (server.ts records it before the services attach).
 */
import { NAMESPACES, type OperationDef, type RequestContext, type ServicePrefix } from "../operation.js";
import type { DeviceService } from "../service.js";
import type { DeviceState } from "../state.js";
import type { Item } from "../entity.js";

const servedCache = new WeakMap<readonly DeviceService[], readonly ServicePrefix[]>();

/** Prefixes with at least one operation, in NAMESPACES order. */
export function servedPrefixes(services: readonly DeviceService[]): ServicePrefix[] {
  let prefixes = servedCache.get(services);
  if (prefixes === undefined) {
    // The composition never changes: build every service's operations once, not per request.
    const withOps = new Set(services.flatMap((s) => s.operations().map((o) => o.prefix)));
    prefixes = (Object.keys(NAMESPACES) as ServicePrefix[]).filter((p) => withOps.has(p));
    servedCache.set(services, prefixes);
  }
  return [...prefixes];
}


/** A prefix's GetServiceCapabilities operation, when it has one. */
export function capabilitiesOperation(services: readonly DeviceService[], prefix: ServicePrefix): OperationDef | undefined {
  for (const s of services) {
    if (!s.prefixes.includes(prefix)) continue;
    const op = s.operations().find((o) => o.prefix === prefix && o.name === "GetServiceCapabilities");
    if (op !== undefined) return op;
  }
  return undefined;
}

/** The Capabilities content a prefix's GetServiceCapabilities answers (the operation itself runs: quirks apply as they would over the wire). */
export async function serviceCapabilities(services: readonly DeviceService[], prefix: ServicePrefix, state: DeviceState, ctx: RequestContext): Promise<Item | undefined> {
  const op = capabilitiesOperation(services, prefix);
  if (op === undefined) return undefined;
  const answer = await op.handle({}, state, ctx);
  const caps = answer["Capabilities"];
  return caps !== null && typeof caps === "object" && !Array.isArray(caps) ? (caps as Item) : undefined;
}
