/**
 * Door schedules (guide "Door open within specific time period", "Door priorities and door
 * schedules"): a door's DoorConfiguration names a DoorScheduleConfiguration; in each of its
 * DoorSchedule items the first ScheduledState with an active schedule is the state the door is in,
 * and ENTERING a state applies its EnterAction at the DoorSchedule's PriorityLevel (Reason
 * "Schedule"). There is no exit action. Setting the configuration (or restarting) enters the
 * current states; afterwards only a change of state acts, at the schedule boundary, found with the
 * Schedule service's contract (schedule/evaluate.ts) and timed on state.clock.
 */
import type { Item } from "../entity.js";
import { isScheduleActive, nextScheduleChange } from "../schedule/evaluate.js";
import type { DeviceState } from "../state.js";
import { applyScheduledAction, doorRuntimes, settle, type DoorRuntime } from "./door-state.js";
import type { DoorAction } from "./shapes.js";

interface ScheduledState {
  ScheduleToken: string[];
  EnterAction: DoorAction;
}
interface DoorSchedule {
  PriorityLevel?: string;
  ScheduledState: ScheduledState[];
}

/** The door's DoorScheduleConfiguration item, if its configuration names one that exists. */
function scheduleConfigurationOf(state: DeviceState, token: string): Readonly<Item> | undefined {
  const ref = state.store("DoorConfiguration").read(token, "full")?.["DoorScheduleConfiguration"];
  return typeof ref === "string" && ref !== "" ? state.store("DoorScheduleConfiguration").read(ref, "full") : undefined;
}

/** What the door's schedule depends on; a different key means the schedule must be entered anew. */
export function scheduleKey(state: DeviceState, token: string): { key: string; configuration: string | undefined } {
  const dsc = scheduleConfigurationOf(state, token);
  return { key: dsc === undefined ? "" : JSON.stringify(dsc), configuration: dsc?.["token"] as string | undefined };
}

function firstActive(state: DeviceState, states: readonly ScheduledState[], at: number): number | undefined {
  const i = states.findIndex((s) => s.ScheduleToken.some((t) => isScheduleActive(state, t, at) === true));
  return i < 0 ? undefined : i;
}

/**
 * Evaluates the door's schedule now. `enter`: apply the EnterAction of every current state (the
 * configuration was just set, or the device started); otherwise only of states that changed.
 * Then arms one clock timer at the next schedule change.
 */
export function evaluateDoorSchedule(state: DeviceState, rt: DoorRuntime, enter: boolean): void {
  state.clock.cancel(rt.schedule.timer);
  rt.schedule.timer = undefined;
  const dsc = scheduleConfigurationOf(state, rt.token);
  if (dsc === undefined || state.quirks.has("door-schedule-ignored")) {
    rt.schedule.entered = [];
    return;
  }
  const now = state.now();
  const schedules = dsc["DoorSchedule"] as DoorSchedule[];
  const entered = schedules.map((_, j) => (enter ? undefined : rt.schedule.entered[j]));
  schedules.forEach((ds, j) => {
    const current = firstActive(state, ds.ScheduledState, now);
    if (!enter && current === entered[j]) return;
    if (current === undefined) {
      entered[j] = undefined;
      return;
    }
    // A state that cannot act now (e.g. the door is LockedDown) stays "not entered" and is tried again.
    entered[j] = applyScheduledAction(state, rt, ds.PriorityLevel ?? "", ds.ScheduledState[current]!.EnterAction) ? current : undefined;
  });
  rt.schedule.entered = entered;
  settle(state, rt);

  let next: number | undefined;
  for (const ds of schedules) {
    for (const s of ds.ScheduledState) {
      for (const t of s.ScheduleToken) {
        const at = nextScheduleChange(state, t, now);
        if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
      }
    }
  }
  if (next !== undefined) rt.schedule.timer = state.clock.at(next, `door ${rt.token}: schedule change`, () => evaluateDoorSchedule(state, rt, false));
}

/** Schedules changed (Schedule service events): every scheduled door looks again, entering only changed states. */
export function reevaluateSchedules(state: DeviceState): void {
  for (const rt of doorRuntimes(state).values()) if (rt.schedule.key !== "") evaluateDoorSchedule(state, rt, false);
}
