/**
 * GetServices (ONVIF Core "Capability exchange"): one Service per namespace the device answers,
 * with the address it answers at (scheme and host as the request used them), the version of the
 * specification it implements and, when asked, its capabilities element. Capabilities come from
 * each service's own GetServiceCapabilities operation, encoded with that namespace's generated
 * descriptor into the raw element GetServices carries (e.g. tac:Capabilities MaxLimit="…").
 */
import { encodeElement } from "../../runtime/codec.js";
import type { XmlElement } from "../../runtime/model.js";
import { parseXml } from "../../runtime/xml.js";
import type { Item } from "../entity.js";
import { ONVIF_DEVICE_PATH, SOAP_PATH } from "../http.js";
import { NAMESPACES, type RequestContext, type ServicePrefix } from "../operation.js";
import { capabilitiesElementType } from "../profile.js";
import { project, withTextValues } from "../protocols.js";
import type { DeviceState } from "../state.js";
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

/** The service the `discovery-hides-served-service` quirk leaves out although it answers. */
const HIDDEN_BY_QUIRK: ServicePrefix = "axsch";

/** The service whose GetServices capabilities the `discovery-capabilities-disagree` quirk reports otherwise than its GetServiceCapabilities. */
const DISAGREEING_BY_QUIRK: ServicePrefix = "tac";

/**
 * The service's capabilities element (`<p>:Capabilities …/>`) as GetServiceCapabilities encodes it;
 * for a service without the operation (CAPABILITIES_WITHOUT_OPERATION), its flat attributes.
 */
function capabilitiesElement(prefix: ServicePrefix, caps: Item): XmlElement | undefined {
  const element = capabilitiesElementType(prefix);
  if (element === undefined) {
    const attrs = Object.entries(caps).filter(([, v]) => typeof v === "boolean" || typeof v === "number" || typeof v === "string");
    return { ns: NAMESPACES[prefix], local: "Capabilities", prefix, attrs: attrs.map(([local, v]) => ({ ns: "", local, prefix: "", value: String(v) })), children: [], text: "" };
  }
  const type = withTextValues(element.type, caps);
  return parseXml(encodeElement({ ...element, type }, project(caps, element.type), { prefixes: { [NAMESPACES[prefix]]: prefix } }));
}

/** The address a service answers at: the device service at ONVIF's usual path, every service at the SOAP path. */
export function serviceAddress(prefix: ServicePrefix, host: string, scheme: "http" | "https" = "http"): string {
  return `${scheme}://${host}${prefix === "tds" ? ONVIF_DEVICE_PATH : SOAP_PATH}`;
}

export async function getServices(state: DeviceState, input: Item, ctx: RequestContext): Promise<Item> {
  let prefixes = servedPrefixes(state);
  if (state.quirks.has("identity-services-incomplete")) prefixes = prefixes.filter((p) => p !== OMITTED_BY_QUIRK);
  if (state.quirks.has("discovery-hides-served-service")) prefixes = prefixes.filter((p) => p !== HIDDEN_BY_QUIRK);
  // ONVIF lists the device service first.
  prefixes = [...prefixes.filter((p) => p === "tds"), ...prefixes.filter((p) => p !== "tds")];
  const out: Item[] = [];
  for (const prefix of prefixes) {
    const [major, minor] = VERSIONS[prefix] ?? AXIS_VERSION;
    const service: Item = { Namespace: NAMESPACES[prefix], XAddr: serviceAddress(prefix, ctx.host, ctx.scheme) };
    if (input["IncludeCapability"] === true) {
      let caps = await serviceCapabilities(state, prefix, ctx);
      if (caps !== undefined && prefix === DISAGREEING_BY_QUIRK && state.quirks.has("discovery-capabilities-disagree")) caps = { ...caps, MaxLimit: Number(caps["MaxLimit"] ?? 0) * 2 };
      const el = caps === undefined ? undefined : capabilitiesElement(prefix, caps);
      // A service without GetServiceCapabilities (pacsaxis, axtdc, …) has no capabilities element to give.
      if (el !== undefined) service["Capabilities"] = { any: [el] };
    }
    service["Version"] = { Major: major, Minor: minor };
    out.push(service);
  }
  return { Service: out };
}
