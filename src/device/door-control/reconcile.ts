/**
 * Keeps every door's runtime in step with the stores after a change of Door, DoorConfiguration,
 * PriorityConfiguration or DoorScheduleConfiguration (the generic Set/Remove operations know
 * nothing of doors): runtimes of new doors are created and publish their initial state, removed
 * ones stop their timers, priority levels follow their configuration, DoorInfo.Capabilities follow
 * the hardware, and a new or changed door schedule is entered.
 */
import type { DeviceState } from "../state.js";
import { doorCapabilities } from "./hardware.js";
import { disposeRuntime, doorRuntimes, hardware, runtimeOf, settle, syncPriority } from "./door-state.js";
import { evaluateDoorSchedule, scheduleKey } from "./schedules.js";

/** DoorInfo.Capabilities from the door's configuration; Name/Description of the stored Info stay as they are. */
function refreshCapabilities(state: DeviceState, token: string, levels: number): void {
  const store = state.store("Door");
  const full = store.read(token, "full");
  const info = store.read(token, "info");
  if (full === undefined || info === undefined) return;
  const caps = state.quirks.has("door-capabilities-static")
    ? doorCapabilities({ doorMonitor: true, lockMonitor: true, doubleLock: true, doubleLockMonitor: true }, levels)
    : doorCapabilities(hardware(state, token), levels);
  if (JSON.stringify(info["Capabilities"]) !== JSON.stringify(caps)) store.put(token, full, { ...info, Capabilities: caps });
}

/**
 * Brings every door up to date. `entered`: DoorScheduleConfiguration tokens just set, whose doors
 * enter their current scheduled states even if nothing else changed (guide: "when setting the
 * DoorScheduleConfiguration, the enter action is generated").
 */
export function reconcileDoors(state: DeviceState, entered: ReadonlySet<string> = new Set()): void {
  const doors = state.store("Door");
  const runtimes = doorRuntimes(state);
  const ours = (token: string): boolean => state.owns(state.findStore("DoorConfiguration")?.read(token, "full")?.["DeviceUUID"]);
  // A door whose configuration names another controller of the network is that controller's to drive.
  for (const rt of [...runtimes.values()]) if (!doors.has(rt.token) || !ours(rt.token)) disposeRuntime(state, rt);
  for (const token of doors.tokens()) {
    if (!ours(token)) continue;
    const rt = runtimeOf(state, token);
    syncPriority(state, rt);
    refreshCapabilities(state, token, rt.levels.length);
    const { key, configuration } = scheduleKey(state, token);
    if (key !== rt.schedule.key || (configuration !== undefined && entered.has(configuration))) {
      rt.schedule.key = key;
      evaluateDoorSchedule(state, rt, true);
    }
    settle(state, rt);
  }
}
