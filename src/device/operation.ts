/** What the protocol layer dispatches to: one operation of one namespace. */
import type { Item } from "./entity.js";
import type { ObjectShape } from "./shape.js";
import type { DeviceState } from "./state.js";

/** Every namespace the device serves, by its conventional prefix (mirrors wsdl/services.json). */
export const NAMESPACES = {
  tac: "http://www.onvif.org/ver10/accesscontrol/wsdl",
  pacsaxis: "http://www.axis.com/vapix/ws/pacs",
  tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
  axtdc: "http://www.axis.com/vapix/ws/DoorControl",
  axtid: "http://www.axis.com/vapix/ws/IdPoint",
  axisio: "http://www.axis.com/vapix/ws/AxisIo",
  axsch: "http://www.axis.com/vapix/ws/schedule",
  axudb: "http://www.axis.com/vapix/ws/user",
} as const;

export type ServicePrefix = keyof typeof NAMESPACES;

/** The VAPIX JSON endpoint of each prefix (operations.tsv); a path serves only its own prefixes. */
export const JSON_PATHS: Readonly<Record<ServicePrefix, string>> = {
  tac: "/vapix/pacs",
  pacsaxis: "/vapix/pacs",
  tdc: "/vapix/doorcontrol",
  axtdc: "/vapix/doorcontrol",
  axtid: "/vapix/idpoint",
  axisio: "/vapix/pin",
  axsch: "/vapix/schedule",
  axudb: "/vapix/pacs",
};

export function isServicePrefix(prefix: string): prefix is ServicePrefix {
  return Object.prototype.hasOwnProperty.call(NAMESPACES, prefix);
}

export interface OperationDef {
  readonly prefix: ServicePrefix;
  readonly name: string;
  /** The request's shape: the device validates the whole request against it before acting. */
  readonly input: ObjectShape;
  /** Runs the operation; throws OperationFault. Returns the response content (typed shape). */
  readonly handle: (input: Item, state: DeviceState) => Item;
}

export function opKey(ns: string, name: string): string {
  return `{${ns}}${name}`;
}

/** "pacsaxis:GetAccessPoint" → prefix + name. */
export function splitOp(qname: string): { prefix: ServicePrefix; name: string } {
  const i = qname.indexOf(":");
  const prefix = qname.slice(0, i);
  if (i < 0 || !isServicePrefix(prefix)) throw new Error(`device: operation "${qname}" needs a known prefix (${Object.keys(NAMESPACES).join(", ")})`);
  return { prefix, name: qname.slice(i + 1) };
}
