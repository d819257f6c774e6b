/**
 * The device time zone. Schedules are written in local ("floating") time (schedule-service.md,
 * "Only local time is used"), so evaluating one against the device clock means turning a UTC
 * instant into the local wall-clock time and back. The zone is an IANA name ("UTC" by default,
 * like a device fresh from the factory); the device has no Device service, so the back door's
 * SetTimeZone stimulus stands in for tds:SetSystemDateAndTime. Offsets come from Intl (the
 * runtime's tz database), daylight saving included.
 */
import type { DeviceState } from "../state.js";

/** Wall-clock time as milliseconds: Date.UTC of the local date and time fields (no zone). */
export type Wall = number;

export const DAY_MS = 86_400_000;

/** Largest distance between a wall time and its instant in any zone (UTC-12 … UTC+14), plus a DST hour. */
export const MAX_OFFSET_MS = 15 * 3_600_000;

export class TimeZoneError extends Error {
  override readonly name = "TimeZoneError";
  readonly code = "TIME_ZONE";
}

interface ZoneState {
  zone: string;
  /** Bumped on every change so cached evaluations know they are stale. */
  generation: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(zone, f);
  }
  return f;
}

/** The IANA name as Intl spells it, or a TimeZoneError naming what to send instead. */
function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new TimeZoneError(`"${zone}" is not an IANA time zone; use a name such as "UTC" or "Europe/Stockholm"`);
  }
}

/** Offsets only change on quarter hours in every zone in use, so one lookup serves 15 minutes. */
const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

/** The zone's UTC offset (ms, east positive) at instant `at`. */
function offsetAt(zone: string, at: number): number {
  if (zone === "UTC") return 0;
  const bucket = Math.floor(at / BUCKET_MS);
  const key = `${zone} ${bucket}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const probe = bucket * BUCKET_MS;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(probe))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!, parts["second"]!);
  const offset = wall - probe;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The local wall-clock time at instant `at`. */
export function toWall(zone: string, at: number): Wall {
  return at + offsetAt(zone, at);
}

/**
 * The instant of a local wall-clock time (RFC 5545 3.3.5): a time that occurs twice (the hour
 * repeated when daylight saving ends) is the first of the two; a time that does not occur (the hour
 * skipped when it starts) is read with the offset in force before the gap.
 */
export function toInstant(zone: string, wall: Wall): number {
  if (zone === "UTC") return wall;
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((u) => toWall(zone, u) === wall);
  if (candidates.length === 0) return wall - before;
  return Math.min(...candidates);
}

/** The zone's standard (winter) offset: the smaller of its January and July offsets. */
export function standardOffset(zone: string, at: number): number {
  const year = new Date(at).getUTCFullYear();
  return Math.min(offsetAt(zone, Date.UTC(year, 0, 1)), offsetAt(zone, Date.UTC(year, 6, 1)));
}

function zoneState(state: DeviceState): ZoneState {
  return state.runtime<ZoneState>("schedule.timezone", () => ({ zone: "UTC", generation: 0 }));
}

export function deviceZone(state: DeviceState): string {
  return zoneState(state).zone;
}

/** Changes of the zone invalidate every cached evaluation that compares this number. */
export function zoneGeneration(state: DeviceState): number {
  return zoneState(state).generation;
}

export function setDeviceZone(state: DeviceState, zone: string): string {
  const z = zoneState(state);
  z.zone = canonicalZone(zone);
  z.generation += 1;
  return z.zone;
}
