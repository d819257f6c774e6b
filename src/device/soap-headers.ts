/**
 * SOAP 1.2 mustUnderstand (Part 1 §5.2.3, ONVIF Core generic fault env:MustUnderstand): a header
 * block addressed to this node (no role, "next" or "ultimateReceiver") and marked
 * mustUnderstand="1"/"true" must be one the device processes, else the request fails before any
 * operation runs. The device understands WS-Addressing (every event client sends wsa:Action and
 * wsa:To so marked, ONVIF Core "Event handling": "Both device and client shall support
 * [WS-Addressing]"), the SubscriptionId reference parameter it hands out, and wsse:Security.
 */
import type { XmlElement } from "../runtime/model.js";
import { OperationFault } from "./faults.js";
import type { DeviceState } from "./state.js";

const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
const WSA_NS = "http://www.w3.org/2005/08/addressing";
/** The namespace of the SubscriptionId reference parameter the event service hands out. */
const AXIS_EVENT_NS = "http://www.axis.com/2009/event";
const WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const OUR_ROLES: ReadonlySet<string> = new Set(["", `${SOAP12_NS}/role/next`, `${SOAP12_NS}/role/ultimateReceiver`]);

function envAttr(el: XmlElement, local: string): string | undefined {
  return el.attrs.find((a) => a.ns === SOAP12_NS && a.local === local)?.value.trim();
}

function understood(state: DeviceState, block: XmlElement): boolean {
  if (block.ns === WSA_NS) return !(state.quirks.has("event-mustunderstand-rejected") && (block.local === "Action" || block.local === "To"));
  if (block.ns === AXIS_EVENT_NS) return block.local === "SubscriptionId";
  return block.ns === WSSE_NS && block.local === "Security";
}

/**
 * The env:MustUnderstand fault for a request whose env:Header (if any) holds a mandatory block
 * this device does not process, or undefined. The protocol layer calls it for every SOAP request.
 */
export function mustUnderstandFault(state: DeviceState, header: XmlElement | undefined): OperationFault | undefined {
  if (header === undefined) return undefined;
  const refused: string[] = [];
  for (const block of header.children) {
    const mu = envAttr(block, "mustUnderstand");
    if (mu !== "1" && mu !== "true") continue;
    if (!OUR_ROLES.has(envAttr(block, "role") ?? "")) continue;
    if (!understood(state, block)) refused.push(`{${block.ns}}${block.local}`);
  }
  if (refused.length === 0) return undefined;
  return new OperationFault({ code: "env:MustUnderstand", subcodes: [], reason: `SOAP header block(s) not understood: ${refused.join(", ")}` });
}
