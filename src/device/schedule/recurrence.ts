/**
 * The occurrences of a schedule: each VEVENT's recurrence set (DTSTART or the RRULE's expansion by
 * ical.js, plus RDATEs, minus EXDATEs) as intervals in wall-clock time, swept in start order, and
 * the questions asked of them: is the schedule active at a moment, when does that next change,
 * when is its next pulse. A moment is either a local wall-clock time (ScheduleActive's LocalTime)
 * or an instant read through the device time zone (`Mapping`).
 */
import type { CalendarEvent, RecurrenceDate, RecurrenceRule, ScheduleCalendar } from "./icalendar.js";
import { timeOf } from "./icalendar.js";
import { DAY_MS, MAX_OFFSET_MS, toInstant, toWall, type Wall } from "./timezone.js";

/**
 * The RRULE's starts from one expansion point, kept: the device clock asks about nearby moments
 * again and again, and ical.js takes microseconds per occurrence. Consumers each keep their own
 * position, so interleaved sweeps share it safely.
 */
interface Expansion {
  readonly from: Wall;
  readonly starts: Wall[];
  next: (() => Wall | undefined) | undefined;
}

/** One VEVENT as evaluated: its occurrences' length is fixed here (0 = a pulse). */
export interface TimelineEvent {
  readonly source: CalendarEvent;
  readonly length: number;
  readonly rrule?: RecurrenceRule;
  readonly rdates: readonly RecurrenceDate[];
  readonly expansion: { current?: Expansion };
}

export type Timeline = readonly TimelineEvent[];

export interface TimelineOptions {
  /** RRULE and RDATE count (false: only the DTSTART occurrence, the `schedule-recurrence-ignored` quirk). */
  readonly recurrence: boolean;
  /** A DATE DTSTART without DTEND lasts the whole day (false: it is a pulse, the `schedule-date-not-all-day` quirk). */
  readonly dateAllDay: boolean;
}

export function timelineOf(calendar: ScheduleCalendar, options: TimelineOptions): Timeline {
  return calendar.events.map((ev) => {
    // schedule-service.md: "DTSTART;VALUE=DATE is converted to a 24h interval event"; without DTEND a
    // DATE-TIME start is a pulse ("Pulse schedules only have a start time").
    const length = ev.length ?? (ev.startIsDate && options.dateAllDay ? DAY_MS : 0);
    if (!options.recurrence) return { source: ev, length, rdates: [], expansion: {} };
    return { source: ev, length, ...(ev.rrule !== undefined ? { rrule: ev.rrule } : {}), rdates: ev.rdates, expansion: {} };
  });
}

export interface Interval {
  readonly start: Wall;
  readonly end: Wall;
}

/** How a moment reads as wall-clock time, and back. */
export interface Mapping {
  toWall(moment: number): Wall;
  fromWall(wall: Wall): number;
  /** How far a wall time may be from its moment (0 when moments are wall times). */
  readonly margin: number;
}

/** Moments are wall-clock times already (ScheduleActive with LocalTime). */
export const WALL_CLOCK: Mapping = { toWall: (w) => w, fromWall: (w) => w, margin: 0 };

/** Moments are instants (ms since the epoch) on a device in `zone`. */
export function zoneMapping(zone: string): Mapping {
  return { toWall: (at) => toWall(zone, at), fromWall: (w) => toInstant(zone, w), margin: zone === "UTC" ? 0 : MAX_OFFSET_MS };
}

/** How far ahead a change is looked for: four years and a bit, so a Feb 29 schedule is seen. */
export const HORIZON_MS = 1463 * DAY_MS;

function wallOf(t: { year: number; month: number; day: number; hour: number; minute: number; second: number; isDate: boolean }): Wall {
  return t.isDate ? Date.UTC(t.year, t.month - 1, t.day) : Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

const PERIOD_MS: Readonly<Record<string, number>> = { SECONDLY: 1000, MINUTELY: 60_000, HOURLY: 3_600_000, DAILY: DAY_MS, WEEKLY: 7 * DAY_MS };

/**
 * Where to start expanding so the first occurrences are those that can still cover `target`.
 * A rule without COUNT whose frequency has a fixed length (SECONDLY … WEEKLY; the documented
 * subset gives them no BY part but WEEKLY's BYDAY) repeats exactly every INTERVAL periods, so
 * DTSTART moved forward by whole periods yields the same occurrences from there on: expanding a
 * 1970 weekly schedule in 2026 then takes a few steps, not three thousand weeks.
 */
function expansionStart(ev: TimelineEvent, rule: RecurrenceRule, target: Wall): Wall {
  const start = ev.source.startWall;
  const unit = PERIOD_MS[rule.freq];
  if (unit === undefined || rule.counted) return start;
  const period = unit * rule.interval;
  if (target - start < period) return start;
  // An occurrence before this point ends before `target` + length, so it cannot cover the moment asked about.
  return start + Math.floor((target - start) / period) * period;
}

/** Occurrences in a row on another day of the month after which a YEARLY rule counts as exhausted. */
const MAX_SKIPPED = 200;

/** Kept starts per expansion; past this a sweep (four years of a daily rule) reads on without keeping. */
const MAX_KEPT = 4096;

/** ical.js's iterator from `from`, filtered and counted as RecurrenceRule says; undefined once exhausted. */
function expand(ev: TimelineEvent, rule: RecurrenceRule, from: Wall): () => Wall | undefined {
  const it = rule.recur.iterator(from === ev.source.startWall ? ev.source.start : timeOf(from, ev.source.startIsDate));
  let n = 0;
  let done = false;
  return () => {
    if (done) return undefined;
    let skipped = 0;
    for (let t = it.next(); t !== null && t !== undefined; t = it.next()) {
      if (rule.dayOfMonth !== undefined && t.day !== rule.dayOfMonth) {
        // A day that never exists in the months asked for (Feb 30): no occurrence will come.
        if (++skipped > MAX_SKIPPED) break;
        continue;
      }
      n += 1;
      if (rule.count !== undefined && n >= rule.count) done = true;
      return wallOf(t);
    }
    done = true;
    return undefined;
  };
}

/** Occurrence starts of the DTSTART/RRULE part, ascending, from about `target` on. */
function* ruleStarts(ev: TimelineEvent, target: Wall): Generator<Wall> {
  const rule = ev.rrule;
  if (rule === undefined) {
    yield ev.source.startWall;
    return;
  }
  const from = expansionStart(ev, rule, target);
  let x = ev.expansion.current;
  if (x === undefined || x.from !== from) {
    x = { from, starts: [], next: expand(ev, rule, from) };
    ev.expansion.current = x;
  }
  for (let i = 0; ; i++) {
    if (i < x.starts.length) {
      yield x.starts[i]!;
      continue;
    }
    if (x.starts.length >= MAX_KEPT) {
      // Too many to keep: this sweep reads on from a private expansion.
      const own = expand(ev, rule, from);
      for (let k = 0; k < i; k++) own();
      for (let v = own(); v !== undefined; v = own()) yield v;
      return;
    }
    const w = x.next?.();
    if (w === undefined) {
      x.next = undefined;
      return;
    }
    x.starts.push(w);
    yield w;
  }
}

const NO_STARTS: Generator<Wall> = (function* () {})();

/** One event's occurrences (intervals or pulses), ascending by start, from about `from` on. */
function* occurrencesOf(ev: TimelineEvent, from: Wall, pulses: boolean): Generator<Interval> {
  const src = ev.source;
  const wanted = (length: number): boolean => (length === 0) === pulses;
  // Only the kind asked for is expanded: an endless pulse rule must not stall a sweep of intervals.
  const starts = wanted(ev.length) ? ruleStarts(ev, from - ev.length) : NO_STARTS;
  const rdates = ev.rdates.filter((d) => wanted(d.length ?? ev.length));
  let next = starts.next();
  let r = 0;
  let last = Number.NaN;
  for (;;) {
    const rdate = rdates[r];
    let start: Wall;
    let length = ev.length;
    if (!next.done && (rdate === undefined || next.value <= rdate.start)) {
      start = next.value;
      next = starts.next();
    } else if (rdate !== undefined) {
      start = rdate.start;
      length = rdate.length ?? ev.length;
      r += 1;
    } else {
      return;
    }
    // schedule-service.md: overlapping RDATE/RRULE instances are undefined; one is kept.
    if (start === last) continue;
    last = start;
    if (src.exdates.has(start) || src.exdays.has(Math.floor(start / DAY_MS) * DAY_MS)) continue;
    yield { start, end: start + length };
  }
}

/** Every event's occurrences merged in start order. */
function* sweep(timeline: Timeline, from: Wall, pulses: boolean): Generator<Interval> {
  const sources = timeline.map((ev) => occurrencesOf(ev, from, pulses));
  const heads = sources.map((s) => s.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (best < 0 || h.value.start < (heads[best]!.value as Interval).start)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as Interval;
    heads[best] = sources[best]!.next();
  }
}

/**
 * Whether an interval covers `moment`: from its start up to, not including, its end (an interval
 * that ends at 17:00 is over at 17:00). `inclusiveEnd` is the `schedule-end-inclusive` quirk.
 */
export function activeAt(timeline: Timeline, moment: number, map: Mapping, inclusiveEnd = false): boolean {
  const w = map.toWall(moment);
  for (const iv of sweep(timeline, w - map.margin, false)) {
    if (iv.start > w + map.margin) return false;
    const s = map.fromWall(iv.start);
    const e = map.fromWall(iv.end);
    if (s <= moment && (moment < e || (inclusiveEnd && moment === e))) return true;
  }
  return false;
}

/** The first moment after `after` at which activeAt changes; undefined when it does not within HORIZON_MS. */
export function nextChange(timeline: Timeline, after: number, map: Mapping): number | undefined {
  const active = activeAt(timeline, after, map);
  const limit = map.toWall(after) + HORIZON_MS;
  let covered = after;
  for (const iv of sweep(timeline, map.toWall(after) - map.margin, false)) {
    if (iv.start > limit) return undefined;
    const s = map.fromWall(iv.start);
    const e = map.fromWall(iv.end);
    if (e <= after || e <= s) continue;
    if (!active) {
      if (s > after) return s;
      continue;
    }
    // Active: the change is the end of the run of overlapping or touching intervals around `after`.
    if (s > covered) return covered;
    if (e > covered) covered = e;
  }
  return active ? covered : undefined;
}

/** The first pulse after `after` (within HORIZON_MS). */
export function nextPulse(timeline: Timeline, after: number, map: Mapping): number | undefined {
  const limit = map.toWall(after) + HORIZON_MS;
  for (const iv of sweep(timeline, map.toWall(after) - map.margin, true)) {
    if (iv.start > limit) return undefined;
    const s = map.fromWall(iv.start);
    if (s > after) return s;
  }
  return undefined;
}
