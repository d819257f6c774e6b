/**
 * DoorControl factory defaults and deterministic test data. A factory-new door controller has the
 * built-in Standard priority configuration and its two door interfaces set up as doors
 * (system-integration-examples.md "Doors": "Each device supports up to two doors"), each with a
 * standard lock and a door monitor the way AXIS Entry Manager configures a door (same page,
 * "Create a Door with a 12V lock"); readers and REX inputs are the IdPoint service's.
 */
import type { Item } from "../entity.js";
import { installItems } from "../generic-ops.js";
import type { PopulateOptions } from "../service.js";
import type { DeviceState } from "../state.js";
import { DoorConfigurationDecl, DoorDecl, PriorityConfigurationDecl, STANDARD_PRIORITY_CONFIGURATION } from "./declarations.js";
import { reconcileDoors } from "./reconcile.js";

/** Door interfaces of the simulated door controller. */
const DOOR_INTERFACES = 2;

/** Timings of the integration examples' Front door. */
function door(token: string, name: string, description: string): Item {
  return {
    token,
    Name: name,
    Description: description,
    AccessTime: "PT7S",
    OpenTooLongTime: "PT30S",
    PreAlarmTime: "PT10S",
    ExtendedAccessTime: "PT30S",
    ExtendedOpenTooLongTime: "PT60S",
    HeartbeatInterval: "PT600S",
    PriorityConfiguration: STANDARD_PRIORITY_CONFIGURATION["token"],
    DefaultPriority: "",
  };
}

/** A 12 V standard lock and a door monitor (open = input open, closed = input grounded); no double lock, no lock monitor. */
function doorConfiguration(token: string): Item {
  return {
    token,
    DeviceUUID: "",
    Configuration: [
      { Name: "Lock.Type", Value: "Standard" },
      { Name: "Lock.ValueWhenLocked", Value: "Gnd" },
      { Name: "Lock.ValueWhenUnlocked", Value: "12V" },
      { Name: "DoorMonitor.Type", Value: "Standard" },
      { Name: "DoorMonitor.ValueWhenOpen", Value: "Input Open" },
      { Name: "DoorMonitor.ValueWhenClosed", Value: "Input Ground" },
      { Name: "DoubleLock.Type", Value: "None" },
    ],
  };
}

export function installDefaults(state: DeviceState): void {
  installItems(PriorityConfigurationDecl, [structuredClone(STANDARD_PRIORITY_CONFIGURATION) as Item], state);
  const doors = state.store("Door");
  const tokens = Array.from({ length: DOOR_INTERFACES }, () => {
    const token = state.allocateToken(doors);
    // Reserve it, so the next allocation differs even on a frozen virtual clock.
    installItems(DoorDecl, [door(token, `Door ${doors.size + 1}`, "")], state);
    return token;
  });
  installItems(DoorConfigurationDecl, tokens.map(doorConfiguration), state);
  reconcileDoors(state);
}

/** `options.doors` deterministic extra doors `door-0001`, … (same hardware as the factory doors). */
export function populate(state: DeviceState, options: PopulateOptions): void {
  const n = Math.max(0, Math.floor(options.doors ?? 0));
  if (n === 0) return;
  const tokens = Array.from({ length: n }, (_, i) => `door-${String(i + 1).padStart(4, "0")}`);
  installItems(DoorDecl, tokens.map((t, i) => door(t, `Door ${t}`, `Populated door ${i + 1}`)), state);
  installItems(DoorConfigurationDecl, tokens.map(doorConfiguration), state);
  reconcileDoors(state);
}
