/**
 * DoorControl entity declarations (door-control-service.md). Samples follow the API reference's
 * field lists and the guide's requests. They are safe on a live site: a Door and a
 * DoorConfiguration of our own drive no hardware until I/Os are assigned to them (I/O assignment
 * service), and every item is removed after its check.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import { renamed } from "../../harness/entity.js";

export const DOC = "door-control-service.md";
export const SERVICE = "DoorControl";

/** The guide's "Door data structure" example timings; Standard is the documented default priority configuration. */
export const door: EntityDeclaration = {
  key: "door",
  typeName: "Door",
  service: SERVICE,
  prefix: "axtdc",
  docPage: DOC,
  full: {
    get: "axtdc:GetDoor",
    list: "axtdc:GetDoorList",
    itemField: "Door",
    onvif: {
      get: "DOORCONTROL-8-1-1",
      "list-limit": "DOORCONTROL-8-1-2",
      "list-start-reference": "DOORCONTROL-8-1-3",
      "list-no-limit": "DOORCONTROL-8-1-4",
      modify: "DOORCONTROL-8-1-16",
      delete: "DOORCONTROL-8-1-8",
      "get-invalid-token": "DOORCONTROL-8-1-9",
      "too-many-items": "DOORCONTROL-8-1-10",
      "create-client-token": "DOORCONTROL-8-1-14",
      "delete-invalid-token": "DOORCONTROL-8-1-13",
      "create-empty-token": "DOORCONTROL-8-1-17",
    },
  },
  info: {
    get: "tdc:GetDoorInfo",
    list: "tdc:GetDoorInfoList",
    itemField: "DoorInfo",
    onvif: {
      get: "DOORCONTROL-2-1-3",
      "get-invalid-token": "DOORCONTROL-2-1-4",
      "list-limit": "DOORCONTROL-2-1-6",
      "list-start-reference": "DOORCONTROL-2-1-7",
      "list-no-limit": "DOORCONTROL-2-1-8",
      "too-many-items": "DOORCONTROL-2-1-10",
      state: "DOORCONTROL-2-1-1",
      "state-invalid-token": "DOORCONTROL-2-1-2",
    },
  },
  set: "axtdc:SetDoor",
  setField: "Door",
  remove: "axtdc:RemoveDoor",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    AccessTime: "PT10S",
    OpenTooLongTime: "PT10S",
    PreAlarmTime: "PT5S",
    ExtendedAccessTime: "PT30S",
    ExtendedOpenTooLongTime: "PT30S",
    HeartbeatInterval: "PT600S",
    PriorityConfiguration: a.refs?.["priority-configuration"] ?? "Standard",
    DefaultPriority: "",
  }),
  modify: (item, label) => ({ ...renamed(item, label), AccessTime: "PT15S", ExtendedAccessTime: "PT45S" }),
  references: [
    {
      id: "priority-configuration",
      path: "Door.PriorityConfiguration",
      target: "priority-configuration",
      read: (item) => (typeof item["PriorityConfiguration"] === "string" && item["PriorityConfiguration"] !== "" ? [item["PriorityConfiguration"]] : []),
    },
  ],
  // Each door's DoorMode and physical states must be as the run found them.
  state: { op: "tdc:GetDoorState", field: "DoorState" },
};

/** A lock and a door monitor as AXIS Entry Manager sets them (system-integration-examples.md). */
export const doorConfiguration: EntityDeclaration = {
  key: "door-configuration",
  typeName: "DoorConfiguration",
  service: SERVICE,
  prefix: "axtdc",
  docPage: DOC,
  full: { get: "axtdc:GetDoorConfiguration", list: "axtdc:GetDoorConfigurationList", itemField: "DoorConfiguration" },
  set: "axtdc:SetDoorConfiguration",
  setField: "DoorConfiguration",
  remove: "axtdc:RemoveDoorConfiguration",
  tokenField: "token",
  // DeviceUUID: an empty one is filled in; Configuration: every get adds the defaults of the
  // settings not sent (guide "Door configuration"), judged by axtdc.door-configuration.settings-stored.
  deviceFilled: ["DeviceUUID", "Configuration"],
  sample: (a) => {
    const dsc = a.refs?.["door-schedule-configuration"];
    return {
      token: a.token,
      DeviceUUID: "",
      Configuration: [
        { Name: "Lock.Type", Value: "Standard" },
        { Name: "DoorMonitor.ValueWhenOpen", Value: "Input Open" },
        { Name: "DoorMonitor.ValueWhenClosed", Value: "Input Ground" },
      ],
      ...(dsc !== undefined ? { DoorScheduleConfiguration: dsc } : {}),
    };
  },
  // The schedule reference is the one field the device keeps exactly as sent (the door it configures needs not exist).
  modify: (item, label) => ({ ...item, Configuration: [{ Name: "Lock.Type", Value: "Relay" }], DoorScheduleConfiguration: `${label}-dsc` }),
  references: [
    {
      id: "door-schedule-configuration",
      path: "DoorConfiguration.DoorScheduleConfiguration",
      target: "door-schedule-configuration",
      read: (item) => (typeof item["DoorScheduleConfiguration"] === "string" && item["DoorScheduleConfiguration"] !== "" ? [item["DoorScheduleConfiguration"]] : []),
    },
  ],
};

/** Two levels as in the guide's "Door priorities and door schedules": High (released) over Normal (locked). */
export const priorityConfiguration: EntityDeclaration = {
  key: "priority-configuration",
  typeName: "PriorityConfiguration",
  service: SERVICE,
  prefix: "axtdc",
  docPage: DOC,
  full: { get: "axtdc:GetPriorityConfiguration", list: "axtdc:GetPriorityConfigurationList", itemField: "PriorityConfiguration" },
  set: "axtdc:SetPriorityConfiguration",
  setField: "PriorityConfiguration",
  remove: "axtdc:RemovePriorityConfiguration",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    DefaultPriority: "Normal",
    DoorPriorityAction: [
      { PriorityLevel: "High", DoorAction: "Release" },
      { PriorityLevel: "Normal", DoorAction: "Lock" },
    ],
  }),
  modify: (item, label) => ({
    ...item,
    Name: `${label} v2`,
    DoorPriorityAction: [
      { PriorityLevel: "High", DoorAction: "Release" },
      { PriorityLevel: "Normal", DoorAction: "Release" },
      { PriorityLevel: "Low", DoorAction: "Lock" },
    ],
  }),
};

/** The guide's "Setting schedule configuration" example: Lock while standard_always is active. */
export const doorScheduleConfiguration: EntityDeclaration = {
  key: "door-schedule-configuration",
  typeName: "DoorScheduleConfiguration",
  service: SERVICE,
  prefix: "axtdc",
  docPage: DOC,
  full: { get: "axtdc:GetDoorScheduleConfiguration", list: "axtdc:GetDoorScheduleConfigurationList", itemField: "DoorScheduleConfiguration" },
  set: "axtdc:SetDoorScheduleConfiguration",
  setField: "DoorScheduleConfiguration",
  remove: "axtdc:RemoveDoorScheduleConfiguration",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    DoorSchedule: [{ PriorityLevel: "", ScheduledState: [{ ScheduleToken: [a.refs?.["schedule"] ?? "standard_always"], EnterAction: "Lock" }] }],
  }),
  modify: (item, label) => ({
    ...renamed(item, label),
    DoorSchedule: [{ PriorityLevel: "", ScheduledState: [{ ScheduleToken: ["standard_always"], EnterAction: "Unlock" }] }],
  }),
  references: [
    {
      id: "schedule",
      path: "DoorScheduleConfiguration.DoorSchedule[].ScheduledState[].ScheduleToken[]",
      read: (item) =>
        (Array.isArray(item["DoorSchedule"]) ? item["DoorSchedule"] : [])
          .flatMap((d: unknown) => (d !== null && typeof d === "object" && Array.isArray((d as Record<string, unknown>)["ScheduledState"]) ? ((d as Record<string, unknown>)["ScheduledState"] as unknown[]) : []))
          .flatMap((s: unknown) => (s !== null && typeof s === "object" && Array.isArray((s as Record<string, unknown>)["ScheduleToken"]) ? ((s as Record<string, unknown>)["ScheduleToken"] as unknown[]) : []))
          .filter((x): x is string => typeof x === "string" && x !== ""),
    },
  ],
};

export const doorControlEntities: readonly EntityDeclaration[] = [door, doorConfiguration, priorityConfiguration, doorScheduleConfiguration];
