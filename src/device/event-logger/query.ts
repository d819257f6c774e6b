/**
 * FetchEvents/FetchEvents2 and FetchAlarms/FetchAlarms2 (event-logger-service.md "Fetch events"):
 * a time window [Start, Stop], AND-ed Filters, OR-ed FilterSets, RowID continuation, Descending,
 * Limit (default and maximum 1000) and More.
 */
import { invalidArgVal } from "../faults.js";
import type { QuirkSet } from "../quirks.js";
import type { RowLog } from "./log.js";
import { conditionHolds, type KeyValueCondition, type LoggedEvent, type LoggedKeyValue } from "./record.js";

/** "only 1000 of these events can be fetched in one call"; also the default Limit. */
export const MAX_FETCH = 1000;

/** A fetch request after normalisation against the request shape. */
export interface FetchInput {
  readonly Start?: string;
  readonly Stop?: string;
  readonly Filters: readonly KeyValueCondition[];
  readonly FilterSets?: readonly { readonly Filters: readonly KeyValueCondition[] }[];
  readonly Limit?: number;
  readonly RowID?: number;
  readonly Descending?: boolean;
}

export interface FetchResult {
  readonly events: LoggedEvent[];
  readonly more: boolean;
}

// ISO 8601 date-time; the guide's examples leave out the zone ("2012-11-27T00:00:00"), read as UTC.
const ISO_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of an ISO 8601 time, or undefined when it is not one. */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (m === null) return undefined;
  const [, year, month, day, hour, minute, second = "00", fraction = "", zone = "Z"] = m;
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (h > 24 || mi > 59 || s > 60) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(Number(year), mo - 1, d);
  // Day 31 of a 30-day month rolls over: not a date.
  if (at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return undefined;
  at.setUTCHours(h, mi, s, fraction === "" ? 0 : Math.floor(Number(`0${fraction}`) * 1000));
  let offset = 0;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return at.getTime() - offset;
}

function bound(text: string | undefined, fallback: number, subcode: string, name: string): number {
  if (text === undefined || text.trim() === "") return fallback;
  const ms = parseIsoTime(text);
  if (ms === undefined) throw invalidArgVal([subcode], `${name} "${text}" is not an ISO 8601 time such as 2012-11-27T14:00:00Z`);
  return ms;
}

function allHold(kvs: readonly LoggedKeyValue[], conds: readonly KeyValueCondition[]): boolean {
  for (const c of conds) if (!conditionHolds(kvs, c)) return false;
  return true;
}

function anyHolds(kvs: readonly LoggedKeyValue[], conds: readonly KeyValueCondition[]): boolean {
  if (conds.length === 0) return true;
  for (const c of conds) if (conditionHolds(kvs, c)) return true;
  return false;
}

/** The predicate of Filters (AND) and FilterSets (OR of AND-ed sets); both must hold when both are given. */
function matcher(input: FetchInput, quirks: QuirkSet): (kvs: readonly LoggedKeyValue[]) => boolean {
  const combine = quirks.has("eventlog-filters-or") ? anyHolds : allHold;
  const filters = input.Filters;
  let sets = input.FilterSets ?? [];
  if (quirks.has("eventlog-filtersets-first-only")) sets = sets.slice(0, 1);
  return (kvs) => {
    if (filters.length > 0 && !combine(kvs, filters)) return false;
    if (sets.length === 0) return true;
    for (const set of sets) if (combine(kvs, set.Filters)) return true;
    return false;
  };
}

/** Runs one fetch against `log`. Throws InvalidStartTime/InvalidStopTime for unreadable times. */
export function fetchFrom(log: RowLog, input: FetchInput, quirks: QuirkSet): FetchResult {
  const start = bound(input.Start, -Infinity, "ter:InvalidStartTime", "Start");
  let stop = bound(input.Stop, Infinity, "ter:InvalidStopTime", "Stop");
  if (quirks.has("eventlog-stop-ignored")) stop = Infinity;
  // SQL LIMIT semantics: 0 returns nothing, a negative Limit means no limit (capped at 1000).
  let limit = input.Limit === undefined || input.Limit < 0 ? MAX_FETCH : Math.min(input.Limit, MAX_FETCH);
  if (quirks.has("eventlog-limit-ignored")) limit = MAX_FETCH;
  const descending = input.Descending === true && !quirks.has("eventlog-descending-ignored");
  const matches = matcher(input, quirks);
  const events: LoggedEvent[] = [];
  let more = false;
  log.scan({ descending, inclusive: quirks.has("eventlog-rowid-repeats"), ...(input.RowID === undefined ? {} : { rowId: input.RowID }) }, (entry) => {
    if (entry.ms < start || entry.ms > stop || !matches(entry.event.KeyValues)) return true;
    if (events.length >= limit) {
      more = true;
      return false;
    }
    events.push(entry.event);
    return true;
  });
  return { events, more: more && !quirks.has("eventlog-more-wrong") };
}
