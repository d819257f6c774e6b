/**
 * The status of a door's wireless Aperio devices (lock, door monitor): battery alarm, jammed
 * lock, radio disturbance (event-logger-service.md "Notification topics",
 * tns1:Door/tnsaxis:Status/*). The simulated world reports them with the DoorDeviceStatus
 * stimulus; each is a property per door, announced when it changes.
 *
 * The table names only the "ID" field (the Aperio device's hardware address). Its on/off value is
 * carried as "State" (xs:boolean, true = the condition holds), named like the value of the
 * tns1:Door/State/* topics. The device does not check that the door really has Aperio hardware.
 */
import { createHash } from "node:crypto";
import type { DeviceState } from "../state.js";
import type { PropertyInstance, TopicDecl } from "../topics.js";
import { StimulusError, boolArg, stringArg, type StimulusKind } from "../world.js";
import { doorExists } from "./door-state.js";
import type { NameValue } from "./hardware.js";

export const DOOR_STATUSES = ["BatteryAlarm", "LockJammed", "RadioDisturbance"] as const;
export type DoorStatus = (typeof DOOR_STATUSES)[number];

const DOC: Record<DoorStatus, string> = {
  BatteryAlarm: "The battery of a door's wireless Aperio lock or door monitor needs replacing (State true) or is fine again (false).",
  LockJammed: "A door's wireless Aperio lock is physically blocked (State true) or free again (false).",
  RadioDisturbance: "The radio link to a door's wireless Aperio lock or door monitor is disturbed (State true) or clear again (false).",
};

export function doorStatusTopic(status: DoorStatus): string {
  return `tns1:Door/tnsaxis:Status/${status}`;
}

/** Conditions that hold, per door token. */
function active(state: DeviceState): Map<string, Set<DoorStatus>> {
  return state.runtime("door-control/device-status", () => new Map<string, Set<DoorStatus>>());
}

/**
 * The Aperio hardware address of a door: its Lock.Hardware.Address (a six-digit hex number) when
 * configured, else one made up from the door token, the same on every run.
 */
export function aperioAddress(state: DeviceState, door: string): string {
  const config = state.store("DoorConfiguration").read(door, "full")?.["Configuration"] as NameValue[] | undefined;
  const configured = config?.find((c) => c.Name === "Lock.Hardware.Address")?.Value ?? "";
  if (configured !== "") return configured;
  return createHash("sha256").update(door).digest("hex").slice(0, 6).toUpperCase();
}

function message(state: DeviceState, door: string, status: DoorStatus): PropertyInstance {
  return { source: { DoorToken: door }, data: { ID: aperioAddress(state, door), State: active(state).get(door)?.has(status) === true } };
}

export const DOOR_STATUS_TOPICS: readonly TopicDecl[] = DOOR_STATUSES.map((status) => ({
  topic: doorStatusTopic(status),
  doc: DOC[status],
  property: true,
  source: [{ name: "DoorToken", type: "pt:ReferenceToken" }],
  data: [
    { name: "ID", type: "xs:string" },
    { name: "State", type: "xs:boolean" },
  ],
  current: (state: DeviceState) =>
    state
      .store("Door")
      .tokens()
      .map((door) => message(state, door, status)),
}));

/** Sets one condition of a door; announces it when it changed. */
export function setDoorStatus(state: DeviceState, door: string, status: DoorStatus, on: boolean): boolean {
  const all = active(state);
  const set = all.get(door) ?? new Set<DoorStatus>();
  if (set.has(status) === on) return false;
  if (on) set.add(status);
  else set.delete(status);
  if (set.size === 0) all.delete(door);
  else all.set(door, set);
  const m = message(state, door, status);
  state.publish({ topic: doorStatusTopic(status), source: { ...m.source }, data: { ...m.data } });
  return true;
}

/** Forgets the conditions of a removed door. */
export function forgetDoorStatus(state: DeviceState, door: string): void {
  active(state).delete(door);
}

export const DOOR_STATUS_STIMULUS: StimulusKind = {
  name: "DoorDeviceStatus",
  doc: "A door's wireless Aperio lock or door monitor reports a low battery, a jammed lock or radio disturbance (Active false: the condition has ended).",
  args: { Door: "token of a Door", Status: `one of ${DOOR_STATUSES.join(", ")}`, Active: "true, or false when it ends; default true (optional)" },
  apply(args, state) {
    const door = stringArg(args, "Door");
    if (!doorExists(state, door)) throw new StimulusError(`no door "${door}"; known doors: ${state.store("Door").tokens().slice(0, 10).join(", ") || "none"} (axtdc:GetDoorList lists them)`);
    const status = stringArg(args, "Status");
    if (!(DOOR_STATUSES as readonly string[]).includes(status)) throw new StimulusError(`"Status" must be one of ${DOOR_STATUSES.join(", ")}; got "${status}"`);
    const on = boolArg(args, "Active", true);
    const changed = setDoorStatus(state, door, status as DoorStatus, on);
    return { Door: door, Status: status, Active: on, ID: aperioAddress(state, door), Changed: changed };
  },
};
