/**
 * What the composed device serves, for GetServices and apidiscovery.cgi: every namespace prefix
 * some service answers operations of and the device's profile serves (--services, profile.ts),
 * and each service's own GetServiceCapabilities as the device reports it. The list of services
 * comes from the device's state (server.ts records it before the services attach).
 */
import { NAMESPACES, type OperationDef, type RequestContext, type ServicePrefix } from "../operation.js";
import { CAPABILITIES_WITHOUT_OPERATION, deviceProfile, profiledOperation, reportedCapabilities } from "../profile.js";
import { composedServices, type DeviceService } from "../service.js";
import type { DeviceState } from "../state.js";
import type { Item } from "../entity.js";

const withOpsCache = new WeakMap<readonly DeviceService[], readonly ServicePrefix[]>();

/** Prefixes with at least one operation that the device serves, in NAMESPACES order. */
export function servedPrefixes(state: DeviceState): ServicePrefix[] {
  const services = composedServices(state);
  let prefixes = withOpsCache.get(services);
  if (prefixes === undefined) {
    // The composition never changes: build every service's operations once, not per request.
    const withOps = new Set(services.flatMap((s) => s.operations().map((o) => o.prefix)));
    prefixes = (Object.keys(NAMESPACES) as ServicePrefix[]).filter((p) => withOps.has(p));
    withOpsCache.set(services, prefixes);
  }
  const { served } = deviceProfile(state);
  return prefixes.filter((p) => served.has(p));
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

/**
 * The Capabilities content a prefix's GetServiceCapabilities answers (the operation itself runs, as
 * the dispatcher runs it: quirks and the profile's capabilities apply as they would over the wire);
 * for a prefix without the operation, its documented capabilities (CAPABILITIES_WITHOUT_OPERATION)
 * as the device reports them.
 */
export async function serviceCapabilities(state: DeviceState, prefix: ServicePrefix, ctx: RequestContext): Promise<Item | undefined> {
  const op = capabilitiesOperation(composedServices(state), prefix);
  if (op === undefined) {
    const documented = CAPABILITIES_WITHOUT_OPERATION[prefix];
    return documented === undefined ? undefined : reportedCapabilities(state, prefix, documented);
  }
  const answer = await profiledOperation(state, op).handle({}, state, ctx);
  const caps = answer["Capabilities"];
  return caps !== null && typeof caps === "object" && !Array.isArray(caps) ? (caps as Item) : undefined;
}
