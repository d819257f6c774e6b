/** What the protocol layer dispatches to: one operation of one namespace. */
import type { XmlElement } from "../runtime/model.js";
import type { Item } from "./entity.js";
import type { FaultSpec } from "./faults.js";
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
  axlog: "http://www.axis.com/vapix/ws/EventLogger",
  axloc: "http://www.axis.com/vapix/ws/EventLoggerConfig",
  tev: "http://www.onvif.org/ver10/events/wsdl",
  axkey: "http://www.axis.com/vapix/ws/KeyStore",
  axtpc: "http://www.axis.com/vapix/ws/thirdpartycredential",
  axissd: "http://www.axis.com/vapix/ws/AxisServiceDiscovery",
  axrio: "http://www.axis.com/vapix/ws/axrio",
  tds: "http://www.onvif.org/ver10/device/wsdl",
  aconn: "http://www.axis.com/vapix/ws/connection",
} as const;

export type ServicePrefix = keyof typeof NAMESPACES;

/** The VAPIX JSON endpoint of each prefix (operations.tsv); a path serves only its own prefixes. */
export const JSON_PATHS: Readonly<Partial<Record<ServicePrefix, string>>> = {
  tac: "/vapix/pacs",
  pacsaxis: "/vapix/pacs",
  tdc: "/vapix/doorcontrol",
  axtdc: "/vapix/doorcontrol",
  axtid: "/vapix/idpoint",
  axisio: "/vapix/pin",
  axsch: "/vapix/schedule",
  axudb: "/vapix/pacs",
  axlog: "/vapix/eventlogger",
  axloc: "/vapix/eventlogger",
  axkey: "/vapix/axkey",
  axtpc: "/vapix/axtpc",
  axissd: "/vapix/axissd",
  axrio: "/vapix/axrio",
  aconn: "/vapix/aconn",
};

export function isServicePrefix(prefix: string): prefix is ServicePrefix {
  return Object.prototype.hasOwnProperty.call(NAMESPACES, prefix);
}

/** Where a request came from, for the operations that care (the event service's subscriptions). */
export interface RequestContext {
  readonly protocol: "soap" | "json";
  /** The request path, e.g. "/vapix/services" or a subscription address "/vapix/services/pullpoint/3". */
  readonly path: string;
  /** The Host header as sent (addresses handed out are built on it); "127.0.0.1" when absent. */
  readonly host: string;
  /** "https" when the request came over TLS (addresses handed out use it); absent: plain HTTP. */
  readonly scheme?: "https";
  /** The SOAP env:Header, when the request has one. */
  readonly header?: XmlElement;
  /** Aborted when the client goes away (a long-polling operation stops waiting). */
  readonly signal: AbortSignal;
}

export interface OperationDef {
  readonly prefix: ServicePrefix;
  readonly name: string;
  /** The request's shape: the device validates the whole request against it before acting. */
  readonly input: ObjectShape;
  /** Runs the operation; throws OperationFault. Returns the response content (typed shape), or a promise of it (long polls). */
  readonly handle: (input: Item, state: DeviceState, ctx: RequestContext) => Item | Promise<Item>;
  /**
   * The fault the operation answers before its request is read, when the device plays firmware
   * without it (a capability flag reported false, a quirk; profile.ts): as firmware would, whatever
   * the input. Absent: the operation runs.
   */
  readonly refusal?: FaultSpec;
}

/** An operation that answers at once (every entity operation): wrappers may call it and use the answer. */
export interface SyncOperationDef extends OperationDef {
  readonly handle: (input: Item, state: DeviceState, ctx?: RequestContext) => Item;
}

/** Services whose configuration a door controller network shares (connection-service.md), and the ONVIF users (AUD). */
const SHARED_CONFIGURATION: ReadonlySet<ServicePrefix> = new Set(["tac", "pacsaxis", "tdc", "axtdc", "axtid", "axsch", "axudb"]);
const CHANGES = /^(Set|Remove|Enable|Disable|Add|Create|Delete|Modify)/;

/**
 * Whether an operation changes configuration that a door controller network shares, so that the
 * majority rule applies to it (connection-service.md: "A configuration update will only be
 * applied if a majority of the door controllers in the network are connected").
 */
export function changesSharedConfiguration(op: Pick<OperationDef, "prefix" | "name">): boolean {
  if (op.prefix === "tds") return op.name === "CreateUsers" || op.name === "SetUser" || op.name === "DeleteUsers";
  return SHARED_CONFIGURATION.has(op.prefix) && CHANGES.test(op.name);
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
