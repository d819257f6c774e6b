/**
 * The Schedule service's evaluation: the stored definitions compiled once per text, their state
 * at a moment (ScheduleActive, ScheduleStatusReport, the contract in evaluate.ts), when that next
 * changes and when the next pulse comes (the Interval and Pulse events).
 */
import type { DeviceState } from "../state.js";
import { EMPTY_CALENDAR, ICalendarError, parseSchedule, type ScheduleCalendar } from "./icalendar.js";
import { HORIZON_MS, WALL_CLOCK, activeAt, nextChange, nextPulse, timelineOf, zoneMapping, type Mapping, type Timeline } from "./recurrence.js";
import { DAY_MS, deviceZone, zoneGeneration, type Wall } from "./timezone.js";

/** ScheduleStatus: Active is the definition minus the exceptions; Exception says an exception applies. */
export interface ScheduleStatus {
  readonly Active: boolean;
  readonly Exception: boolean;
}

/** The two definitions' states at one moment, before they are combined. */
export interface ScheduleParts {
  readonly definition: boolean;
  readonly exception: boolean;
}

/** A local wall-clock time (ScheduleActive's LocalTime) or an instant read in the device time zone. */
export type Moment = { readonly kind: "wall"; readonly wall: Wall } | { readonly kind: "instant"; readonly at: number };

interface Memo {
  readonly generation: number;
  readonly from: number;
  readonly until: number;
  readonly next: number | undefined;
}

interface Compiled {
  readonly definitionText: string;
  readonly exceptionText: string;
  readonly definition: Timeline;
  readonly exception: Timeline;
  /** Last nextStatusChange answers: the state holds from `from` until `next`, so they serve every `after` in between. */
  memo: Partial<Record<"active" | "status", Memo>>;
  /** The last instant asked about: one access decision asks about the same schedules at the same `now` many times. */
  lastInstant?: { readonly at: number; readonly generation: number; readonly parts: ScheduleParts };
}

/** Texts parsed recently: SetSchedule's check and the evaluation that follows it read each text once. */
const MAX_PARSED = 1024;

/** Parses a definition as this device reads it (documented subset; quirks may widen it). Throws ICalendarError. */
export function readDefinition(state: DeviceState, text: string): ScheduleCalendar {
  const parsed = state.runtime("schedule.parsed", () => new Map<string, ScheduleCalendar | ICalendarError>());
  let result = parsed.get(text);
  if (result === undefined) {
    try {
      result = parseSchedule(text, { allowUnsupported: state.quirks.has("schedule-unsupported-accepted") });
    } catch (err) {
      if (!(err instanceof ICalendarError)) throw err;
      result = err;
    }
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(text, result);
  }
  if (result instanceof ICalendarError) throw result;
  return result;
}

function timeline(state: DeviceState, text: string): Timeline {
  let calendar: ScheduleCalendar;
  try {
    calendar = readDefinition(state, text);
  } catch (err) {
    // Stored although it does not parse: only the `schedule-invalid-accepted` quirk gets here. Never active.
    if (!(err instanceof ICalendarError)) throw err;
    calendar = EMPTY_CALENDAR;
  }
  const q = state.quirks;
  return timelineOf(calendar, { recurrence: !q.has("schedule-recurrence-ignored"), dateAllDay: !q.has("schedule-date-not-all-day") });
}

function compiled(state: DeviceState, token: string): Compiled | undefined {
  const cache = state.runtime("schedule.compiled", () => new Map<string, Compiled>());
  const item = state.store("Schedule").read(token, "full");
  if (item === undefined) {
    cache.delete(token);
    return undefined;
  }
  const definitionText = String(item["ScheduleDefinition"] ?? "");
  const exceptionText = String(item["ExceptionScheduleDefinition"] ?? "");
  const hit = cache.get(token);
  if (hit !== undefined && hit.definitionText === definitionText && hit.exceptionText === exceptionText) return hit;
  const fresh: Compiled = {
    definitionText,
    exceptionText,
    definition: timeline(state, definitionText),
    exception: state.quirks.has("schedule-exception-ignored") ? [] : timeline(state, exceptionText),
    memo: {},
  };
  cache.set(token, fresh);
  return fresh;
}

function mappingOf(state: DeviceState, moment: Moment): { map: Mapping; value: number } {
  return moment.kind === "wall" ? { map: WALL_CLOCK, value: moment.wall } : { map: zoneMapping(deviceZone(state)), value: moment.at };
}

function partsOf(state: DeviceState, c: Compiled, moment: Moment): ScheduleParts {
  const { map, value } = mappingOf(state, moment);
  const inclusive = state.quirks.has("schedule-end-inclusive");
  return { definition: activeAt(c.definition, value, map, inclusive), exception: activeAt(c.exception, value, map, inclusive) };
}

/** Definition and exception state of schedule `token` at `moment`; undefined when there is no such schedule. */
export function scheduleParts(state: DeviceState, token: string, moment: Moment): ScheduleParts | undefined {
  const c = compiled(state, token);
  if (c === undefined) return undefined;
  if (moment.kind === "wall") return partsOf(state, c, moment);
  const generation = zoneGeneration(state);
  const last = c.lastInstant;
  if (last !== undefined && last.at === moment.at && last.generation === generation) return last.parts;
  const parts = partsOf(state, c, moment);
  c.lastInstant = { at: moment.at, generation, parts };
  return parts;
}

/** schedule-service.md "Exception schedules": exceptions override the schedule. */
function statusOf(parts: ScheduleParts): ScheduleStatus {
  return { Active: parts.definition && !parts.exception, Exception: parts.exception };
}

/** Status of schedule `token` at instant `at`; undefined when there is no such schedule. */
export function scheduleStatus(state: DeviceState, token: string, at: number): ScheduleStatus | undefined {
  const parts = scheduleParts(state, token, { kind: "instant", at });
  return parts === undefined ? undefined : statusOf(parts);
}

/** Steps (each at least one boundary of either definition) before giving up on finding a change. */
const MAX_STEPS = 5000;

/**
 * The first instant after `after` at which the schedule's status changes: "active" watches Active
 * only (the contract), "status" both flags (the Interval event).
 */
export function nextStatusChange(state: DeviceState, token: string, after: number, which: "active" | "status"): number | undefined {
  const c = compiled(state, token);
  if (c === undefined) return undefined;
  const generation = zoneGeneration(state);
  const memo = c.memo[which];
  if (memo !== undefined && memo.generation === generation && memo.from <= after && after < memo.until) return memo.next;

  const map = zoneMapping(deviceZone(state));
  const key = (at: number): string => {
    const s = statusOf(partsOf(state, c, { kind: "instant", at }));
    return which === "active" ? String(s.Active) : `${s.Active}/${s.Exception}`;
  };
  const start = key(after);
  let next: number | undefined;
  let t = after;
  for (let step = 0; step < MAX_STEPS && t <= after + HORIZON_MS; step++) {
    // While an exception holds, the definition's own boundaries change nothing: skip to its end.
    const n = activeAt(c.exception, t, map) ? nextChange(c.exception, t, map) : earliest(nextChange(c.definition, t, map), nextChange(c.exception, t, map));
    if (n === undefined) break;
    if (key(n) !== start) {
      next = n;
      break;
    }
    t = n;
  }
  c.memo[which] = { generation, from: after, until: next ?? after + DAY_MS, next };
  return next;
}

/** The sooner of two instants, either of which may be missing. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The next pulse of the definition after `after` (pulses during an exception are the caller's to drop). */
export function nextSchedulePulse(state: DeviceState, token: string, after: number): number | undefined {
  const c = compiled(state, token);
  return c === undefined ? undefined : nextPulse(c.definition, after, zoneMapping(deviceZone(state)));
}
