/**
 * The I/O users (GetIoUserInfoList): what the doors and IdPoints need I/Os for, derived from
 * their hardware configuration each time it is asked, so the list always follows the
 * DoorControl and IdPoint services. Those services own the "Door"/"DoorConfiguration" and
 * "IdPoint"/"IdPointConfiguration" stores; while a service is absent, it has no I/O users.
 *
 * Usages and modes as the documentation shows them (io-assignment-service.md, peripherals.md,
 * the AXIS Entry Manager I/O table in system-integration-examples.md): Lock_Standard
 * inout:12V/gnd, Lock_Relay open/closed, DoorOpenMonitor/DoorClosedMonitor and REX on inputs,
 * Tampering/LedSingle/Beeper/Wiegand of a Wiegand reader, RS-485HD for OSDP readers and Aperio,
 * Lock_Remote/TCPIP over Ethernet. MultiIo is false except for REX: "It is possible to connect an
 * unlimited amount of REX devices to the same IdPoint" (idpoint-service.md).
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import type { EntityStore } from "../store.js";

export type IoUserType = "doorcontrol" | "idpoint";

export interface IoUser {
  readonly Type: IoUserType;
  readonly token: string;
  readonly Usage: string;
  readonly MultiIo: boolean;
}

export interface IoUserInfo {
  /** The door's or IdPoint's Name. */
  readonly Name: string;
  readonly IoMode: readonly string[];
  readonly IoUser: IoUser;
}

/** The services an IoUser Type names, with the stores their entities and configurations live in. */
const IO_USER_SERVICES: Readonly<Record<IoUserType, { readonly entity: string; readonly configuration: string }>> = {
  doorcontrol: { entity: "Door", configuration: "DoorConfiguration" },
  idpoint: { entity: "IdPoint", configuration: "IdPointConfiguration" },
};

export function isIoUserType(type: string): type is IoUserType {
  return Object.prototype.hasOwnProperty.call(IO_USER_SERVICES, type);
}

/** The stores of an IoUser Type's service; undefined members while that service is not composed. */
export function ioUserStores(state: DeviceState, type: IoUserType): { entities?: EntityStore; configurations?: EntityStore } {
  const names = IO_USER_SERVICES[type];
  const entities = state.findStore(names.entity);
  const configurations = state.findStore(names.configuration);
  return { ...(entities === undefined ? {} : { entities }), ...(configurations === undefined ? {} : { configurations }) };
}

/** Identity of an IoUser in requests and assignments: Type, token and Usage (MultiIo is a property). */
export function ioUserKey(u: { readonly Type: string; readonly token: string; readonly Usage: string }): string {
  return `${u.Type}\u0000${u.token}\u0000${u.Usage}`;
}

const INPUT = ["in:pu/gnd", "inout:pu/gnd", "supervised"];
const OUTPUT = ["out:float/gnd", "out:pu/gnd", "inout:float/gnd", "inout:pu/gnd"];

type Need = readonly [usage: string, modes: readonly string[], multiIo?: boolean];

/** Configuration Name → Value, with the documented default for names not stored. */
function settings(config: Readonly<Item> | undefined): (name: string, fallback?: string) => string {
  const values = new Map<string, string>();
  const list = config?.["Configuration"];
  if (Array.isArray(list)) {
    for (const c of list as { Name?: unknown; Value?: unknown }[]) if (typeof c?.Name === "string") values.set(c.Name, typeof c.Value === "string" ? c.Value : "");
  }
  return (name, fallback = "None") => values.get(name) ?? fallback;
}

/** door-control-service.md, "Door configuration": locks, double lock, door monitor. */
function doorNeeds(config: Readonly<Item> | undefined): Need[] {
  const get = settings(config);
  const needs: Need[] = [];
  const lock: Record<string, Need> = {
    Standard: ["Lock_Standard", ["inout:12V/gnd"]],
    Relay: ["Lock_Relay", ["open/closed"]],
    RS485HD: ["RS-485HD", ["rs485hd"]],
    RemoteIO: ["Lock_Remote", ["ethernet"]],
    TCPIP: ["TCPIP", ["ethernet"]],
  };
  const primary = lock[get("Lock.Type")];
  if (primary !== undefined) needs.push(primary);
  const double: Record<string, Need> = { Standard: ["DoubleLock_Standard", ["inout:12V/gnd"]], Relay: ["DoubleLock_Relay", ["open/closed"]] };
  const secondary = double[get("DoubleLock.Type")];
  if (secondary !== undefined) needs.push(secondary);
  const monitor = get("DoorMonitor.Type");
  if (monitor === "RS485HD") needs.push(["DoorMonitorRS-485HD", ["rs485hd"]]);
  else if (monitor === "TCPIP") needs.push(["DoorMonitorSmartIntegoTCPIP", ["ethernet"]]);
  // The guide's DoorConfiguration example sets only the monitor's values: a wired monitor.
  else if (monitor === "Standard" || get("DoorMonitor.ValueWhenOpen") !== "None" || get("DoorMonitor.ValueWhenClosed") !== "None") {
    needs.push(["DoorOpenMonitor", INPUT], ["DoorClosedMonitor", INPUT]);
  }
  return needs;
}

/** idpoint-service.md, "Configuration structure": the reader and what is wired next to it. */
function idPointNeeds(config: Readonly<Item> | undefined): Need[] {
  const get = settings(config);
  const needs: Need[] = [];
  const reader = get("IdPoint.Reader.Type");
  const bus: Record<string, Need> = {
    Wiegand: ["Wiegand", ["wiegand"]],
    "RS-485FD": ["RS-485FD", ["rs485fd"]],
    "RS-485HD": ["RS-485HD", ["rs485hd"]],
    TCPIP: ["TCPIP", ["ethernet"]],
  };
  const data = bus[reader];
  if (data !== undefined) needs.push(data);
  // LED, beeper and tamper wires belong to readers on plain I/O; OSDP and TCP/IP readers carry them over their bus.
  if (reader === "Wiegand" || reader === "None") {
    const led = get("IdPoint.LED.Type");
    if (led === "SingleLED") needs.push(["LedSingle", OUTPUT]);
    else if (led === "DualLED") needs.push(["LedGreen", OUTPUT], ["LedRed", OUTPUT]);
    if (get("IdPoint.Beeper.Type") !== "None") needs.push(["Beeper", OUTPUT]);
    if (get("IdPoint.Tampering.Type") !== "None") needs.push(["Tampering", INPUT]);
  }
  const rex = get("IdPoint.REX.Type");
  if (rex === "RS-485HD") {
    if (reader !== "RS-485HD") needs.push(["RS-485HD", ["rs485hd"]]);
  } else if (rex !== "None") {
    needs.push(["REX", INPUT, true]);
  }
  return needs;
}

/** Every IoUserInfo the device has now: doors first, then IdPoints, each in token order. */
export function ioUserInfos(state: DeviceState): IoUserInfo[] {
  const out: IoUserInfo[] = [];
  for (const type of Object.keys(IO_USER_SERVICES) as IoUserType[]) {
    const { entities, configurations: configs } = ioUserStores(state, type);
    if (entities === undefined) continue;
    for (const token of entities.tokens()) {
      const entity = entities.read(token, "full");
      const name = typeof entity?.["Name"] === "string" && entity["Name"] !== "" ? entity["Name"] : token;
      const config = configs?.read(token, "full");
      // Another controller's door or IdPoint (a network shares them all) uses that controller's I/O.
      if (!state.owns(config?.["DeviceUUID"])) continue;
      for (const [Usage, IoMode, multi] of type === "doorcontrol" ? doorNeeds(config) : idPointNeeds(config)) {
        out.push({ Name: name, IoMode, IoUser: { Type: type, token, Usage, MultiIo: multi === true } });
      }
    }
  }
  return out;
}
