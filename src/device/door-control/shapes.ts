/**
 * DoorControl data shapes: the device's own model of every structure a request can carry (field
 * order = schema order, wsdl/axis/doorcontrol.xsd and wsdl/pacs/doorcontrol.xsd).
 */
import { DESCRIPTION, NAME, TOKEN, anything, bool, dflt, enumOf, list, obj, opt, req, str, type ObjectShape } from "../shape.js";

/** axtdc:DoorActionType: what a priority level does to the door (also a schedule's EnterAction). */
export const DOOR_ACTIONS = ["NoAction", "Release", "LockDownRelease", "LockOpenRelease", "Lock", "Unlock", "Access", "Block", "LockDown", "LockOpen", "DoubleLock"] as const;
export type DoorAction = (typeof DOOR_ACTIONS)[number];

// A missing token means "empty": the device allocates one (intro.md, Common data fields).
const tokenField = dflt("token", TOKEN, "");

export const ConfigurationShape = obj("Configuration", [req("Name", str()), dflt("Value", str(), "")]);

/**
 * Door. The reference lists every timing as required, yet the guide's first Door and the
 * integration examples omit HeartbeatInterval, PriorityConfiguration or DefaultPriority: an
 * omitted field gets the value of the guide's "Door data structure" example.
 */
export const DoorShape = obj("Door", [
  tokenField,
  req("Name", NAME),
  opt("Description", DESCRIPTION),
  dflt("AccessTime", str(), "PT10S"),
  dflt("OpenTooLongTime", str(), "PT10S"),
  dflt("PreAlarmTime", str(), "PT5S"),
  dflt("ExtendedAccessTime", str(), "PT30S"),
  dflt("ExtendedOpenTooLongTime", str(), "PT30S"),
  dflt("HeartbeatInterval", str(), "PT600S"),
  dflt("PriorityConfiguration", TOKEN, "Standard"),
  dflt("DefaultPriority", str(), ""),
]);

export const DoorConfigurationShape = obj("DoorConfiguration", [
  tokenField,
  // Guide: DeviceUUID may be omitted (or left empty) when set on the intended controller.
  dflt("DeviceUUID", str(), ""),
  list("Configuration", ConfigurationShape),
  opt("DoorScheduleConfiguration", TOKEN),
]);

export const DoorPriorityActionShape = obj("DoorPriorityAction", [req("PriorityLevel", str()), opt("Reason", str()), req("DoorAction", enumOf(...DOOR_ACTIONS))]);

export const PriorityConfigurationShape = obj("PriorityConfiguration", [
  tokenField,
  req("Name", NAME),
  dflt("DefaultPriority", str(), ""),
  list("DoorPriorityAction", DoorPriorityActionShape),
]);

export const ScheduledStateShape = obj("ScheduledState", [list("ScheduleToken", TOKEN), req("EnterAction", enumOf(...DOOR_ACTIONS))]);

export const DoorScheduleShape = obj("DoorSchedule", [opt("PriorityLevel", str()), list("ScheduledState", ScheduledStateShape)]);

export const DoorScheduleConfigurationShape = obj("DoorScheduleConfiguration", [
  tokenField,
  opt("Name", NAME),
  opt("Description", DESCRIPTION),
  list("DoorSchedule", DoorScheduleShape),
]);

// ---- requests of the door commands (the API reference tables' order)

/** LockDoor, UnlockDoor, BlockDoor, LockDownDoor, …, ReleaseDoor: Token, PriorityLevel, Extension. */
export const commandRequest = (name: string): ObjectShape => obj(name, [req("Token", TOKEN), opt("PriorityLevel", str()), opt("Extension", anything)]);

/** AccessDoor and AccessDoorWithoutUnlock: Token, UseExtendedTime, AccessTime, OpenTooLongTime, PreAlarmTime, Extension. */
export const accessRequest = (name: string): ObjectShape =>
  obj(name, [
    req("Token", TOKEN),
    opt("UseExtendedTime", bool),
    opt("AccessTime", str()),
    opt("OpenTooLongTime", str()),
    opt("PreAlarmTime", str()),
    opt("Extension", anything),
  ]);

