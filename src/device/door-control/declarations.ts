/** DoorControl entity declarations: stores, generic operations, validation and cascades. */
import type { EntityDecl, Item } from "../entity.js";
import { parseNonNegativeDuration } from "../duration.js";
import { setFault } from "../generic-ops.js";
import { DEFAULT_HARDWARE, doorCapabilities, settingProblem, withDefaults, type NameValue } from "./hardware.js";
import { DoorConfigurationShape, DoorScheduleConfigurationShape, DoorShape, PriorityConfigurationShape } from "./shapes.js";

/** The built-in single-level priority configuration every door uses unless told otherwise (guide "Manage doors with priority levels"). */
export const STANDARD_PRIORITY = "Standard";

/**
 * Its content. The guide names it and says it has one level; the level's name is ours ("Normal",
 * as in the guide's two-level example), its initial action Lock: a released door is locked.
 */
export const STANDARD_PRIORITY_CONFIGURATION: Readonly<Item> = {
  token: STANDARD_PRIORITY,
  Name: STANDARD_PRIORITY,
  DefaultPriority: "Normal",
  DoorPriorityAction: [{ PriorityLevel: "Normal", DoorAction: "Lock" }],
};

const DOOR_TIMES = ["AccessTime", "OpenTooLongTime", "PreAlarmTime", "ExtendedAccessTime", "ExtendedOpenTooLongTime"] as const;

export const DoorDecl: EntityDecl = {
  name: "Door",
  sharing: "hardware",
  what: "Door",
  tokenField: "token",
  shape: DoorShape,
  info: {
    name: "DoorInfo",
    fields: ["token", "Name", "Description"],
    // Placeholder until the door's configuration is read: reconcile.ts replaces it after every change.
    derive: () => ({ Capabilities: doorCapabilities(DEFAULT_HARDWARE, 1) }),
    schemaQuirkOmits: "Name",
  },
  ops: [
    { kind: "get", form: "full", op: "axtdc:GetDoor" },
    { kind: "list", form: "full", op: "axtdc:GetDoorList" },
    { kind: "set", op: "axtdc:SetDoor" },
    { kind: "remove", op: "axtdc:RemoveDoor" },
    { kind: "get", form: "info", op: "tdc:GetDoorInfo" },
    { kind: "list", form: "info", op: "tdc:GetDoorInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // Guide: Door and DoorConfiguration (and, in AXIS Entry Manager, the door's schedule configuration) share one token.
  linkedWith: ["DoorConfiguration", "DoorScheduleConfiguration"],
  references: ["PriorityConfiguration"],
  setFault: ["ter:InvalidArgs"],
  check(item) {
    const token = item["token"] as string;
    for (const field of DOOR_TIMES) {
      const v = item[field] as string;
      if (parseNonNegativeDuration(v) === undefined) throw setFault(DoorDecl, `Door "${token}": ${field} "${v}" is not a non-negative xs:duration such as PT10S`);
    }
    const heartbeat = item["HeartbeatInterval"] as string;
    if (heartbeat !== "" && parseNonNegativeDuration(heartbeat) === undefined) throw setFault(DoorDecl, `Door "${token}": HeartbeatInterval "${heartbeat}" is not an xs:duration such as PT600S (or empty)`);
  },
  onRemoved(token, state) {
    // Guide: removing the door removes its configuration; integration examples: and a schedule configuration with its token.
    state.store("DoorConfiguration").delete(token);
    state.store("DoorScheduleConfiguration").delete(token);
  },
  topic: "tns1:Configuration/Door",
};

export const DoorConfigurationDecl: EntityDecl = {
  name: "DoorConfiguration",
  sharing: "hardware",
  what: "DoorConfiguration",
  tokenField: "token",
  shape: DoorConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "axtdc:GetDoorConfiguration" },
    { kind: "list", form: "full", op: "axtdc:GetDoorConfigurationList" },
    { kind: "set", op: "axtdc:SetDoorConfiguration" },
    { kind: "remove", op: "axtdc:RemoveDoorConfiguration" },
  ],
  // The integration examples set the configuration first with an empty token, then the Door under the returned one.
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  linkedWith: ["Door", "DoorScheduleConfiguration"],
  references: ["DoorScheduleConfiguration"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidDoorConfigurationFault"],
  prepare(item, state) {
    // intro.md UUID: left empty, the UUID of the door controller receiving the request is inserted.
    item["DeviceUUID"] = state.deviceUuidFor(item["DeviceUUID"]);
    const settings = item["Configuration"] as NameValue[];
    const problem = settingProblem(settings);
    if (problem !== undefined) throw setFault(DoorConfigurationDecl, `DoorConfiguration "${String(item["token"])}": ${problem}`);
    item["Configuration"] = withDefaults(state.quirks.has("door-configuration-not-stored") ? [] : settings);
  },
};

export const PriorityConfigurationDecl: EntityDecl = {
  name: "PriorityConfiguration",
  sharing: "hardware",
  what: "PriorityConfiguration",
  tokenField: "token",
  shape: PriorityConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "axtdc:GetPriorityConfiguration" },
    { kind: "list", form: "full", op: "axtdc:GetPriorityConfigurationList" },
    { kind: "set", op: "axtdc:SetPriorityConfiguration" },
    { kind: "remove", op: "axtdc:RemovePriorityConfiguration" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  setFault: ["ter:InvalidArgs"],
  check(item) {
    const token = item["token"] as string;
    const levels = (item["DoorPriorityAction"] as Item[]).map((a) => a["PriorityLevel"] as string);
    if (levels.length === 0) throw setFault(PriorityConfigurationDecl, `PriorityConfiguration "${token}" has no DoorPriorityAction; give at least one priority level`);
    const seen = new Set<string>();
    for (const level of levels) {
      if (level === "" || seen.has(level)) throw setFault(PriorityConfigurationDecl, `PriorityConfiguration "${token}": priority level names must be non-empty and unique, got ${JSON.stringify(levels)}`);
      seen.add(level);
    }
    const dflt = item["DefaultPriority"] as string;
    if (dflt !== "" && !seen.has(dflt)) throw setFault(PriorityConfigurationDecl, `PriorityConfiguration "${token}": DefaultPriority "${dflt}" is not one of its levels ${levels.join(", ")}`);
  },
};

export const DoorScheduleConfigurationDecl: EntityDecl = {
  name: "DoorScheduleConfiguration",
  what: "DoorScheduleConfiguration",
  tokenField: "token",
  shape: DoorScheduleConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "axtdc:GetDoorScheduleConfiguration" },
    { kind: "list", form: "full", op: "axtdc:GetDoorScheduleConfigurationList" },
    { kind: "set", op: "axtdc:SetDoorScheduleConfiguration" },
    { kind: "remove", op: "axtdc:RemoveDoorScheduleConfiguration" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  linkedWith: ["Door", "DoorConfiguration"],
  references: ["DoorSchedule[].ScheduledState[].ScheduleToken"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidDoorScheduleFault"],
  check(item) {
    const schedules = item["DoorSchedule"] as Item[];
    // Guide: "PriorityLevel can be left empty if unused, but, if so, the DoorSchedule array is required to contain only one element."
    if (schedules.length > 1 && schedules.some((s) => ((s["PriorityLevel"] as string | undefined) ?? "") === "")) {
      throw setFault(DoorScheduleConfigurationDecl, `DoorScheduleConfiguration "${String(item["token"])}" has ${schedules.length} DoorSchedule items; each needs a PriorityLevel (only a single DoorSchedule may leave it empty)`);
    }
  },
};

export const DOOR_CONTROL_ENTITIES: readonly EntityDecl[] = [DoorDecl, DoorConfigurationDecl, PriorityConfigurationDecl, DoorScheduleConfigurationDecl];
