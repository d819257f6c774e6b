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
import { deviceStatusFamily } from "../device-status.js";
import type { DeviceState } from "../state.js";
import type { TopicDecl } from "../topics.js";
import { StimulusError, stringArg, type StimulusKind } from "../world.js";
import { doorExists } from "./door-state.js";
import type { NameValue } from "./hardware.js";

export const DOOR_STATUSES = ["BatteryAlarm", "LockJammed", "RadioDisturbance"] as const;
export type DoorStatus = (typeof DOOR_STATUSES)[number];

const DOC: Record<DoorStatus, string> = {
  BatteryAlarm: "The battery of a door's wireless Aperio lock or door monitor needs replacing (State true) or is fine again (false).",
  LockJammed: "A door's wireless Aperio lock is physically blocked (State true) or free again (false).",
  RadioDisturbance: "The radio link to a door's wireless Aperio lock or door monitor is disturbed (State true) or clear again (false).",
};

const FAMILY = deviceStatusFamily<DoorStatus>({
  topicPrefix: "tns1:Door/tnsaxis:Status/",
  runtimeKey: "door-control/device-status",
  sourceItem: "DoorToken",
  statuses: DOOR_STATUSES,
  doc: DOC,
  initial: { BatteryAlarm: false, LockJammed: false, RadioDisturbance: false },
  /** Lock.Hardware.Address (a six-digit hex number) when configured. */
  configuredAddress: (state, door) => {
    const config = state.store("DoorConfiguration").read(door, "full")?.["Configuration"] as NameValue[] | undefined;
    return config?.find((c) => c.Name === "Lock.Hardware.Address")?.Value ?? "";
  },
  tokens: (state) => state.store("Door").tokens(),
  stimulus: {
    name: "DoorDeviceStatus",
    doc: "A door's wireless Aperio lock or door monitor reports a low battery, a jammed lock or radio disturbance (Active false: the condition has ended).",
    args: { Door: "token of a Door", Status: `one of ${DOOR_STATUSES.join(", ")}`, Active: "true, or false when it ends; default true (optional)" },
    tokenArg: "Door",
    resolve: (args, state) => {
      const door = stringArg(args, "Door");
      if (!doorExists(state, door)) throw new StimulusError(`no door "${door}"; known doors: ${state.store("Door").tokens().slice(0, 10).join(", ") || "none"} (axtdc:GetDoorList lists them)`);
      return door;
    },
  },
});

export function doorStatusTopic(status: DoorStatus): string {
  return FAMILY.topic(status);
}

/**
 * The Aperio hardware address of a door: its Lock.Hardware.Address (a six-digit hex number) when
 * configured, else one made up from the door token, the same on every run.
 */
export function aperioAddress(state: DeviceState, door: string): string {
  return FAMILY.address(state, door);
}

export const DOOR_STATUS_TOPICS: readonly TopicDecl[] = FAMILY.topics;

/** Sets one condition of a door; announces it when it changed. */
export function setDoorStatus(state: DeviceState, door: string, status: DoorStatus, on: boolean): boolean {
  return FAMILY.set(state, door, status, on);
}

/** Forgets the conditions of a removed door. */
export function forgetDoorStatus(state: DeviceState, door: string): void {
  FAMILY.forget(state, door);
}

export const DOOR_STATUS_STIMULUS: StimulusKind = FAMILY.stimulus;
