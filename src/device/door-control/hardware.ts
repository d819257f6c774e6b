/**
 * A door's hardware configuration (DoorConfiguration.Configuration): the documented settings with
 * their defaults and valid values (guide "Door configuration", table "Available parameters in the
 * Configuration data structure"), and what hardware a configuration gives a door.
 */
import type { Item } from "../entity.js";

interface Setting {
  readonly name: string;
  readonly value: string;
  /** Valid values; a value outside them is refused. Absent: free text (addresses, ids, ...). */
  readonly enums?: readonly string[];
  /** Only non-negative integers (milliseconds, millivolts). */
  readonly integer?: boolean;
  readonly dependOn?: readonly [string, string];
  readonly description: string;
}

const LEVELS = ["Gnd", "Float", "12V"];
const LOCK_MONITOR = ["None", "Input Open", "Input 12V", "Input Ground"];
const DOOR_MONITOR = ["None", "Input Open", "Input Ground", "Supervised Open", "Supervised Ground"];
const BOOL = ["true", "false"];

/** Every documented setting in the table's order, with its default. */
export const SETTINGS: readonly Setting[] = [
  { name: "Lock.Type", value: "None", enums: ["None", "Standard", "Relay", "RS485HD", "RemoteIO", "TCPIP"], description: "The type of lock; None is a virtual lock for testing." },
  { name: "Lock.LockWhenDoorOpens", value: "false", enums: BOOL, description: "Lock when the door opens (true) or keep it unlocked (false)." },
  { name: "Lock.ValueWhenLocked", value: "Gnd", enums: LEVELS, dependOn: ["Lock.Type", "Standard"], description: "Output value when the door is locked." },
  { name: "Lock.ValueWhenUnlocked", value: "12V", enums: LEVELS, dependOn: ["Lock.Type", "Standard"], description: "Output value when the door is unlocked." },
  { name: "Lock.RelayStateWhenLocked", value: "Open", enums: ["Open", "Closed"], dependOn: ["Lock.Type", "Relay"], description: "Relay state when the lock is locked." },
  { name: "Lock.BoltOutTime", value: "700", integer: true, description: "Longest time (ms) allowed for the lock to open." },
  { name: "Lock.BoltInTime", value: "700", integer: true, description: "Longest time (ms) allowed for the lock to close." },
  { name: "Lock.LockMonitor.ValueWhenLocked", value: "None", enums: LOCK_MONITOR, description: "Lock monitor value when the lock is locked." },
  { name: "Lock.LockMonitor.ValueWhenUnlocked", value: "None", enums: LOCK_MONITOR, description: "Lock monitor value when the lock is unlocked." },
  { name: "Lock.Hardware.Address", value: "", description: "The lock's hardware address." },
  { name: "Lock.Hardware.Id", value: "", dependOn: ["Lock.Type", "TCPIP"], description: "The phi string of a Smart Intego lock." },
  { name: "Lock.Hub.Hardware.Address", value: "", dependOn: ["Lock.Type", "TCPIP"], description: "Device address of the Smart Intego gateway." },
  { name: "Lock.Protocol", value: "", description: "Protocol to the lock: AADP (Aperio) or SmartIntego." },
  { name: "Lock.TCPIP.Address", value: "", dependOn: ["Lock.Type", "TCPIP"], description: "Dotted-decimal address of a TCPIP lock or gateway." },
  { name: "Lock.TCPIP.Port", value: "", dependOn: ["Lock.Type", "TCPIP"], description: "Port of a TCPIP lock or gateway." },
  { name: "DoubleLock.Type", value: "None", enums: ["None", "Standard", "Relay"], description: "The type of the secondary lock (None: no double lock)." },
  { name: "DoubleLock.ValueWhenLocked", value: "Gnd", enums: LEVELS, dependOn: ["DoubleLock.Type", "Standard"], description: "Secondary lock output value when locked." },
  { name: "DoubleLock.ValueWhenUnlocked", value: "12V", enums: LEVELS, dependOn: ["DoubleLock.Type", "Standard"], description: "Secondary lock output value when unlocked." },
  { name: "DoubleLock.RelayStateWhenLocked", value: "Open", enums: ["Open", "Closed"], dependOn: ["DoubleLock.Type", "Relay"], description: "Secondary lock relay state when locked." },
  { name: "DoubleLock.BoltOutTime", value: "700", integer: true, description: "Longest time (ms) allowed for the secondary lock to open." },
  { name: "DoubleLock.BoltInTime", value: "700", integer: true, description: "Longest time (ms) allowed for the secondary lock to close." },
  { name: "DoubleLock.LockMonitor.ValueWhenLocked", value: "None", enums: LOCK_MONITOR, description: "Secondary lock monitor value when locked." },
  { name: "DoubleLock.LockMonitor.ValueWhenUnlocked", value: "None", enums: LOCK_MONITOR, description: "Secondary lock monitor value when unlocked." },
  { name: "Door.Type", value: "Regular", enums: ["ElevatorFloor", "Regular"], description: "The type of door." },
  { name: "DoorMonitor.Hardware.Address", value: "", description: "Hardware address of an Aperio door monitor." },
  { name: "DoorMonitor.Protocol", value: "None", enums: ["None", "AADP", "SmartIntego"], description: "Protocol to the door monitor." },
  { name: "DoorMonitor.Type", value: "None", enums: ["None", "Standard", "RS485HD", "TCPIP"], description: "The type of door monitor." },
  { name: "DoorMonitor.ValueWhenOpen", value: "None", enums: DOOR_MONITOR, description: "Door monitor value when the door is open." },
  { name: "DoorMonitor.ValueWhenClosed", value: "None", enums: DOOR_MONITOR, description: "Door monitor value when the door is closed." },
  { name: "DoorMonitor.SupervisedCut", value: "", integer: true, description: "Target voltage (mV) of the cut state of a supervised door monitor." },
  { name: "DoorMonitor.SupervisedShort", value: "", integer: true, description: "Target voltage (mV) of the short-circuit state of a supervised door monitor." },
  { name: "DoorMonitor.SupervisedHigh", value: "", integer: true, description: "Target voltage (mV) of the high state of a supervised door monitor." },
  { name: "DoorMonitor.SupervisedLow", value: "", integer: true, description: "Target voltage (mV) of the low state of a supervised door monitor." },
];

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

export interface NameValue {
  Name: string;
  Value: string;
}

/** A problem with one setting, phrased for a fault reason; undefined when the list is valid. */
export function settingProblem(settings: readonly NameValue[]): string | undefined {
  const seen = new Set<string>();
  for (const { Name, Value } of settings) {
    if (seen.has(Name)) return `setting "${Name}" is given twice`;
    seen.add(Name);
    const s = BY_NAME.get(Name);
    if (s === undefined) continue; // vendor settings (DebounceTime, UserData, ...) are kept as sent
    if (s.enums !== undefined && !s.enums.includes(Value)) return `${Name} "${Value}" is not one of ${s.enums.join(", ")}`;
    if (s.integer === true && Value !== "" && !/^\d+$/.test(Value)) return `${Name} "${Value}" is not a whole number`;
  }
  return undefined;
}

/**
 * The full configuration: every documented setting in table order (the value sent, else the
 * default), then the settings the table does not name, as sent. Guide: "the unspecified options
 * will be set to their default values", and every get returns them.
 */
export function withDefaults(settings: readonly NameValue[]): NameValue[] {
  const sent = new Map(settings.map((s) => [s.Name, s.Value]));
  const out = SETTINGS.map((s) => ({ Name: s.name, Value: sent.get(s.name) ?? s.value }));
  for (const s of settings) if (!BY_NAME.has(s.Name)) out.push({ Name: s.Name, Value: s.Value });
  return out;
}

/** GetDoorConfigurationInfo items: value plus the documented type, valid values and dependency. */
export function configurationInfo(settings: readonly NameValue[]): Item[] {
  return withDefaults(settings).map(({ Name, Value }) => {
    const s = BY_NAME.get(Name);
    if (s === undefined) return { Name, Value };
    return {
      Name,
      Value,
      Type: s.enums === BOOL ? "xs:boolean" : s.integer === true ? "xs:int" : "xs:string",
      Enums: [...(s.enums ?? [])],
      ...(s.dependOn === undefined ? {} : { DependOnName: s.dependOn[0], DependOnValue: s.dependOn[1] }),
      Description: s.description,
    };
  });
}

/** What a door's configuration gives it. */
export interface Hardware {
  readonly doorMonitor: boolean;
  readonly lockMonitor: boolean;
  readonly doubleLock: boolean;
  readonly doubleLockMonitor: boolean;
}

/**
 * The hardware behind a configuration. A door monitor is wired when it has a type or monitor
 * values (AXIS Entry Manager sets only DoorMonitor.ValueWhenOpen/ValueWhenClosed); a double lock
 * exists unless DoubleLock.Type is None; monitors exist when their values are not None.
 */
function readHardware(settings: readonly NameValue[] | undefined): Hardware {
  const set = (name: string): boolean => {
    const value = settings?.find((s) => s.Name === name)?.Value ?? BY_NAME.get(name)?.value ?? "";
    return value !== "None" && value !== "";
  };
  const doubleLock = set("DoubleLock.Type");
  return {
    doorMonitor: set("DoorMonitor.Type") || set("DoorMonitor.ValueWhenOpen") || set("DoorMonitor.ValueWhenClosed"),
    lockMonitor: set("Lock.LockMonitor.ValueWhenLocked") || set("Lock.LockMonitor.ValueWhenUnlocked"),
    doubleLock,
    doubleLockMonitor: doubleLock && (set("DoubleLock.LockMonitor.ValueWhenLocked") || set("DoubleLock.LockMonitor.ValueWhenUnlocked")),
  };
}

/** The hardware of a door without a DoorConfiguration: every setting at its default. */
export const DEFAULT_HARDWARE: Hardware = readHardware(undefined);

/**
 * Read once per stored Configuration list: every door state change asks for its door's hardware,
 * and a store replaces its items on change, never mutating them.
 */
const HARDWARE = new WeakMap<readonly NameValue[], Hardware>();

export function hardwareOf(settings: readonly NameValue[] | undefined): Hardware {
  if (settings === undefined) return DEFAULT_HARDWARE;
  let hw = HARDWARE.get(settings);
  if (hw === undefined) {
    hw = readHardware(settings);
    HARDWARE.set(settings, hw);
  }
  return hw;
}

/**
 * DoorInfo.Capabilities of a door with this hardware and `priorityLevels` levels: every command
 * works on every door except DoubleLockDoor, which needs a secondary lock; alarms, warnings and
 * tamper detection need a door monitor; faults are always reported.
 */
export function doorCapabilities(hw: Hardware, priorityLevels: number): Item {
  return {
    Access: true,
    AccessTimingOverride: true,
    Lock: true,
    Unlock: true,
    Block: true,
    DoubleLock: hw.doubleLock,
    LockDown: true,
    LockOpen: true,
    DoorMonitor: hw.doorMonitor,
    LockMonitor: hw.lockMonitor,
    DoubleLockMonitor: hw.doubleLockMonitor,
    Alarm: hw.doorMonitor,
    Tamper: hw.doorMonitor,
    Fault: true,
    Warning: hw.doorMonitor,
    Configurable: true,
    PriorityLevels: priorityLevels,
  };
}
