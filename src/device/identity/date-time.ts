/**
 * GetSystemDateAndTime: the device clock (state.now()) in UTC and in the device time zone, the
 * zone as a POSIX TZ string (ONVIF Core: "as it is defined in POSIX 1003.1 section 8.3") and how
 * the clock is set. The zone is the schedule service's (schedule/timezone.ts, an IANA name, "UTC"
 * from the factory); this device has no SetSystemDateAndTime, so the back door's SetTimeZone is
 * the only way to change it. A real-time clock is reported as NTP-synchronised (it follows the
 * host's clock); a virtual clock as Manual (it moves only when told).
 */
import type { Item } from "../entity.js";
import { DAY_MS, deviceZone, standardOffset, toWall } from "../schedule/timezone.js";
import type { DeviceState } from "../state.js";

const HOUR_MS = 3_600_000;
/** Offsets change on quarter hours in every zone in use (schedule/timezone.ts caches on that). */
const QUARTER_MS = 15 * 60_000;

function offsetAt(zone: string, at: number): number {
  return toWall(zone, at) - at;
}

/** tt:DateTime of a wall-clock time given as Date.UTC-style milliseconds. */
export function dateTimeOf(wall: number): Item {
  const d = new Date(wall);
  return {
    Time: { Hour: d.getUTCHours(), Minute: d.getUTCMinutes(), Second: d.getUTCSeconds() },
    Date: { Year: d.getUTCFullYear(), Month: d.getUTCMonth() + 1, Day: d.getUTCDate() },
  };
}

/** A POSIX offset: hours (and minutes) WEST of UTC, so UTC+1 is "-1" and UTC-3:30 is "3:30". */
function posixOffset(eastMs: number): string {
  const west = -eastMs;
  const abs = Math.abs(west);
  const h = Math.floor(abs / HOUR_MS);
  const m = Math.round((abs % HOUR_MS) / 60_000);
  return `${west < 0 ? "-" : ""}${h}${m === 0 ? "" : `:${String(m).padStart(2, "0")}`}`;
}

/** A zone abbreviation in POSIX's quoted form, e.g. <+01> or <-0330> (IANA names carry no letters we could trust). */
function posixName(eastMs: number): string {
  const abs = Math.abs(eastMs);
  const h = String(Math.floor(abs / HOUR_MS)).padStart(2, "0");
  const m = Math.round((abs % HOUR_MS) / 60_000);
  return `<${eastMs < 0 ? "-" : "+"}${h}${m === 0 ? "" : String(m).padStart(2, "0")}>`;
}

/** The instant in (from, to] at which the offset stops being `before` (binary search to the quarter hour). */
function transitionIn(zone: string, from: number, to: number, before: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > QUARTER_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / QUARTER_MS) * QUARTER_MS;
    if (offsetAt(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** POSIX rule "Mm.w.d/time" of a transition: local (pre-transition) month, week (5 = last), weekday, time. */
function posixRule(instant: number, offsetBefore: number): string {
  const wall = new Date(instant + offsetBefore);
  const day = wall.getUTCDate();
  const daysInMonth = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 0)).getUTCDate();
  const week = day + 7 > daysInMonth ? 5 : Math.ceil(day / 7);
  const h = wall.getUTCHours();
  const m = wall.getUTCMinutes();
  return `M${wall.getUTCMonth() + 1}.${week}.${wall.getUTCDay()}/${h}${m === 0 ? "" : `:${String(m).padStart(2, "0")}`}`;
}

/** The zone's rule this year as a POSIX TZ string: "UTC0", "<+01>-1<+02>-2,M3.5.0/2,M10.5.0/3", … */
export function posixTimeZone(zone: string, at: number): { tz: string; daylightSavings: boolean } {
  if (zone === "UTC") return { tz: "UTC0", daylightSavings: false };
  const std = standardOffset(zone, at);
  const year = new Date(at).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: { at: number; before: number; after: number }[] = [];
  let previous = offsetAt(zone, start);
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const now = offsetAt(zone, t);
    if (now !== previous) {
      transitions.push({ at: transitionIn(zone, t - DAY_MS, t, previous), before: previous, after: now });
      previous = now;
    }
  }
  const toDst = transitions.find((x) => x.before === std && x.after > std);
  const toStd = transitions.find((x) => x.after === std && x.before > std);
  if (toDst === undefined || toStd === undefined) return { tz: `${posixName(std)}${posixOffset(std)}`, daylightSavings: false };
  const dst = toDst.after;
  return {
    tz: `${posixName(std)}${posixOffset(std)}${posixName(dst)}${posixOffset(dst)},${posixRule(toDst.at, toDst.before)},${posixRule(toStd.at, toStd.before)}`,
    daylightSavings: true,
  };
}

/** The GetSystemDateAndTime response content. */
export function systemDateAndTime(state: DeviceState): Item {
  const now = state.now();
  const zone = deviceZone(state);
  const { tz, daylightSavings } = posixTimeZone(zone, now);
  const utc = state.quirks.has("identity-utc-time-wrong") ? now + HOUR_MS : now;
  return {
    SystemDateAndTime: {
      DateTimeType: state.clock.kind === "virtual" ? "Manual" : "NTP",
      DaylightSavings: daylightSavings,
      TimeZone: { TZ: tz },
      UTCDateTime: dateTimeOf(utc),
      LocalDateTime: dateTimeOf(toWall(zone, now)),
    },
  };
}
