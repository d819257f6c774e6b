/** What the protocol layer dispatches to: one AccessControl operation of one namespace. */
import type { Item } from "./entity.js";
import type { ObjectShape } from "./shape.js";
import type { DeviceState } from "./state.js";

export const NAMESPACES = {
  tac: "http://www.onvif.org/ver10/accesscontrol/wsdl",
  pacsaxis: "http://www.axis.com/vapix/ws/pacs",
} as const;

export type ServicePrefix = keyof typeof NAMESPACES;

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
  if (i < 0 || !(prefix in NAMESPACES)) throw new Error(`device: operation "${qname}" needs a tac: or pacsaxis: prefix`);
  return { prefix: prefix as ServicePrefix, name: qname.slice(i + 1) };
}
