/**
 * Schedules in time: the state events at each boundary, on timers of the device clock.
 * "Interval schedules … Events are generated when the schedule state changes between active and
 * inactive"; "Pulse schedules … Events are generated when the schedule becomes active"
 * (schedule-service.md); the topics are declared in topics.ts. Also the back door's lever on the
 * device time zone and its view of every schedule's state.
 */
import type { Timer } from "../clock.js";
import type { DeviceState } from "../state.js";
import { StimulusError, stringArg } from "../world.js";
import { SCHEDULE_TOPIC } from "./declarations.js";
import { earliest, nextSchedulePulse, nextStatusChange, scheduleParts, scheduleStatus, type ScheduleStatus } from "./status.js";
import { TimeZoneError, deviceZone, setDeviceZone, toWall } from "./timezone.js";
import { INTERVAL_TOPIC, PULSE_TOPIC } from "./topics.js";

interface Watch {
  status: ScheduleStatus;
  /** Pulses up to this instant have been announced. */
  checked: number;
  timer?: Timer;
}

const INACTIVE: ScheduleStatus = { Active: false, Exception: false };

/** A runaway rule (a pulse every second for a month of virtual time) must not flood one tick. */
const MAX_PULSES_PER_TICK = 1000;

function watches(state: DeviceState): Map<string, Watch> {
  return state.runtime("schedule.watch", () => new Map<string, Watch>());
}

function announce(state: DeviceState, token: string, status: ScheduleStatus): void {
  state.publish({ topic: INTERVAL_TOPIC, source: { ScheduleToken: token }, data: { Active: status.Active, Exception: status.Exception } });
}

function arm(state: DeviceState, token: string, watch: Watch): void {
  const now = state.clock.now();
  const at = earliest(nextStatusChange(state, token, now, "status"), nextSchedulePulse(state, token, now));
  if (at !== undefined) watch.timer = state.clock.at(at, `Schedule ${token}: next state change or pulse`, () => tick(state, token));
}

/** Re-reads a schedule (new, replaced, or at a boundary): announces a changed state, re-arms the timer. */
function refresh(state: DeviceState, token: string): void {
  const all = watches(state);
  const now = state.clock.now();
  const status = scheduleStatus(state, token, now);
  const old = all.get(token);
  state.clock.cancel(old?.timer);
  if (status === undefined) {
    all.delete(token);
    return;
  }
  const before = old?.status ?? INACTIVE;
  const watch: Watch = { status, checked: now };
  all.set(token, watch);
  if (before.Active !== status.Active || before.Exception !== status.Exception) announce(state, token, status);
  arm(state, token, watch);
}

function tick(state: DeviceState, token: string): void {
  const watch = watches(state).get(token);
  if (watch === undefined) return;
  const now = state.clock.now();
  // Every pulse since the last look (a system clock may fire late), unless an exception holds then.
  let t = watch.checked;
  for (let i = 0; i < MAX_PULSES_PER_TICK; i++) {
    const p = nextSchedulePulse(state, token, t);
    if (p === undefined || p > now) break;
    if (scheduleParts(state, token, { kind: "instant", at: p })?.exception !== true) state.publish({ topic: PULSE_TOPIC, source: { ScheduleToken: token } });
    t = p;
  }
  refresh(state, token);
}

/** API reference, RemoveSchedule: a removed active schedule is announced Active=false, Exception=false. */
function forget(state: DeviceState, token: string): void {
  const all = watches(state);
  const watch = all.get(token);
  if (watch === undefined) return;
  state.clock.cancel(watch.timer);
  all.delete(token);
  if (watch.status.Active || watch.status.Exception) announce(state, token, INACTIVE);
}

/**
 * The service's resync: watches the schedules stored without a Changed event (a device restored
 * from its --state, persistence.ts), forgets the ones gone. Watched ones are left as they are.
 */
export function watchStoredSchedules(state: DeviceState): void {
  const all = watches(state);
  const store = state.store("Schedule");
  for (const token of [...all.keys()]) if (!store.has(token)) forget(state, token);
  for (const token of store.tokens()) if (!all.has(token)) refresh(state, token);
}

function refreshAll(state: DeviceState): void {
  for (const token of state.store("Schedule").tokens()) refresh(state, token);
}

export function attachMonitor(state: DeviceState): void {
  state.subscribe((event) => {
    const token = event.source["ScheduleToken"];
    if (token === undefined) return;
    if (event.topic === `${SCHEDULE_TOPIC}/Changed`) refresh(state, token);
    else if (event.topic === `${SCHEDULE_TOPIC}/Removed`) forget(state, token);
  });
  state.world.register({
    name: "SetTimeZone",
    doc: "The installer sets the device's time zone, as the Device service's SetSystemDateAndTime would (this device serves no Device service); schedules are re-evaluated in the new local time.",
    args: { TimeZone: 'IANA time zone name, e.g. "Europe/Stockholm" or "UTC" (the factory default)' },
    apply(args, s) {
      let zone: string;
      try {
        zone = setDeviceZone(s, stringArg(args, "TimeZone"));
      } catch (err) {
        if (err instanceof TimeZoneError) throw new StimulusError(err.message);
        throw err;
      }
      refreshAll(s);
      return { TimeZone: zone };
    },
  });
  state.world.registerView("Schedules", (s) => {
    const zone = deviceZone(s);
    const now = s.clock.now();
    return {
      TimeZone: zone,
      LocalTime: new Date(toWall(zone, now)).toISOString().slice(0, 19),
      Status: s
        .store("Schedule")
        .tokens()
        .map((token) => ({ Token: token, ...scheduleStatus(s, token, now) })),
    };
  });
}
