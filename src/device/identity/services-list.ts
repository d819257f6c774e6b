/**
 * GetServices (ONVIF Core "Capability exchange"): one Service per namespace the device answers,
 * with the address it answers at (scheme and host as the request used them), the version of the
 * specification it implements and, when asked, its capabilities element. Capabilities come from
 * each service's own GetServiceCapabilities operation, encoded with that namespace's generated
 * descriptor into the raw element GetServices carries (e.g. tac:Capabilities MaxLimit="…").
 */
import * as generated from "../../../generated/index.js";
import { encodeElement } from "../../runtime/codec.js";
import type { OperationDescriptor, XmlElement } from "../../runtime/model.js";
import { parseXml } from "../../runtime/xml.js";
import type { Item } from "../entity.js";
import { ONVIF_DEVICE_PATH, SOAP_PATH } from "../http.js";
import { NAMESPACES, type RequestContext, type ServicePrefix } from "../operation.js";
import { project } from "../protocols.js";
import type { DeviceState } from "../state.js";
import { composedServices } from "../service.js";
import { servedPrefixes, serviceCapabilities } from "./served.js";

/**
 * The specification version each namespace implements: the ONVIF services their document's
 * release (reference/onvif/doc: Core 26.06 for the device and event services, AccessControl
 * 21.06, DoorControl 19.12), the Axis services 1.0.
 */
const VERSIONS: Readonly<Partial<Record<ServicePrefix, readonly [number, number]>>> = {
  tds: [26, 6],
  tev: [26, 6],
  tac: [21, 6],
  tdc: [19, 12],
};
const AXIS_VERSION = [1, 0] as const;

/** The service the `identity-services-incomplete` quirk leaves out. */
const OMITTED_BY_QUIRK: ServicePrefix = "tdc";

/** prefix → its generated operations (generated/index.ts `<prefix>Descriptors`). */
function descriptorsOf(prefix: ServicePrefix): Readonly<Record<string, OperationDescriptor>> | undefined {
  const mod = (generated as Record<string, unknown>)[`${prefix}Descriptors`] as { operations?: Readonly<Record<string, OperationDescriptor>> } | undefined;
  return mod?.operations;
}

/** The service's capabilities element (`<p>:Capabilities …/>`) as GetServiceCapabilities encodes it. */
function capabilitiesElement(prefix: ServicePrefix, caps: Item): XmlElement | undefined {
  const desc = descriptorsOf(prefix)?.["GetServiceCapabilities"];
  const field = desc?.output.type().fields.find((f) => f.name === "Capabilities");
  if (field === undefined || field.node !== "element" || field.type.kind !== "complex") return undefined;
  const type = field.type.type();
  return parseXml(encodeElement({ name: field.name, ns: field.ns, type }, project(caps, type), { prefixes: { [NAMESPACES[prefix]]: prefix } }));
}

/** The address a service answers at: the device service at ONVIF's usual path, every service at the SOAP path. */
export function serviceAddress(prefix: ServicePrefix, host: string, scheme: "http" | "https" = "http"): string {
  return `${scheme}://${host}${prefix === "tds" ? ONVIF_DEVICE_PATH : SOAP_PATH}`;
}

export async function getServices(state: DeviceState, input: Item, ctx: RequestContext): Promise<Item> {
  const services = composedServices(state);
  let prefixes = servedPrefixes(services);
  if (state.quirks.has("identity-services-incomplete")) prefixes = prefixes.filter((p) => p !== OMITTED_BY_QUIRK);
  // ONVIF lists the device service first.
  prefixes = [...prefixes.filter((p) => p === "tds"), ...prefixes.filter((p) => p !== "tds")];
  const out: Item[] = [];
  for (const prefix of prefixes) {
    const [major, minor] = VERSIONS[prefix] ?? AXIS_VERSION;
    const service: Item = { Namespace: NAMESPACES[prefix], XAddr: serviceAddress(prefix, ctx.host, ctx.scheme) };
    if (input["IncludeCapability"] === true) {
      const caps = await serviceCapabilities(services, prefix, state, ctx);
      const el = caps === undefined ? undefined : capabilitiesElement(prefix, caps);
      // A service without GetServiceCapabilities (pacsaxis, axtdc, …) has no capabilities element to give.
      if (el !== undefined) service["Capabilities"] = { any: [el] };
    }
    service["Version"] = { Major: major, Minor: minor };
    out.push(service);
  }
  return { Service: out };
}
