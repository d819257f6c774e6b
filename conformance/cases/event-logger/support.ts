/**
 * What the event logger checks share. Every event a check looks for is one the run caused itself:
 * a Set or Remove of an Area of the run's own (tns1:Configuration/Area/Changed|Removed, Source
 * AreaToken), so fetches filter on `AreaToken = <run token>` and never depend on (or touch) the
 * rest of a live site's log. Filters the checks set match only such run tokens and are removed
 * after the check; alarms are removed only when they carry a run token.
 */
import type { CheckContext, CleanupCaller } from "../../harness/types.js";
import { docRef, docSections, itemsOf } from "../../harness/entity.js";
import { excerptJson } from "../../harness/faults.js";
import { createOne, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { isTrue, lastExchange } from "../generic/support.js";
import { sleep } from "../../harness/physical.js";
import { area } from "../access-control/entities.js";

export const DOC = "event-logger-service.md";
export const SERVICE = "EventLogger";

/** Doc anchor of a section of the event logger page. */
export const section = docSections(DOC);

/** Doc anchor of an operation's reference section (`event-logger-service.md#fetchevents-command`). */
export function opRef(op: string): string {
  return docRef({ docPage: DOC }, op);
}

export const FETCH_EVENTS = "axlog:FetchEvents";
export const FETCH_EVENTS2 = "axlog:FetchEvents2";
export const FETCH_ALARMS = "axlog:FetchAlarms";
export const REMOVE_LOGGED_ALARM = "axlog:RemoveLoggedAlarm";
export const SET_IGNORE = "axloc:SetIgnoreFilter";
export const REMOVE_IGNORE = "axloc:RemoveIgnoreFilter";
export const LIST_IGNORE = "axloc:GetIgnoreFilterList";
export const SET_ALARM = "axloc:SetAlarmFilter";
export const REMOVE_ALARM = "axloc:RemoveAlarmFilter";
export const LIST_ALARM = "axloc:GetAlarmFilterList";

/** The Source key of the Area configuration events (ONVIF names it `<Type>Token`). */
export const AREA_KEY = "AreaToken";

/** One key-value pair of a fetch filter; a missing Value matches any value of the key. */
export interface FilterKeyValue {
  readonly Key: string;
  readonly Value?: string;
}

/** A FetchedEvent (or alarm) as decoded: rowid, token, UUID, UtcTime, KeyValues, Tags. */
export type Row = Record<string, unknown>;

/** The filter that selects the events of one of the run's areas. */
export function areaFilter(token: string): FilterKeyValue[] {
  return [{ Key: AREA_KEY, Value: token }];
}

/** The row id (xs:long) of a fetched event; NaN when missing or malformed. */
export function rowIdOf(row: Row): number {
  const v = row["rowid"];
  return typeof v === "number" ? v : typeof v === "string" && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
}

/** A list that may arrive as one value or an array. */
function listOf(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** The KeyValues entries of a row with key `key`. */
export function entriesOf(row: Row, key: string): Row[] {
  return listOf(row["KeyValues"]).filter((kv): kv is Row => kv !== null && typeof kv === "object" && (kv as Row)["Key"] === key);
}

/** The value of key `key` in a row (the first entry's), undefined when the row has no such key. */
export function valueOf(row: Row, key: string): string | undefined {
  const e = entriesOf(row, key)[0];
  if (e === undefined) return undefined;
  const v = e["Value"];
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

/** The Tags of the first entry of key `key`. */
export function tagsOf(row: Row, key: string): string[] {
  return listOf(entriesOf(row, key)[0]?.["Tags"]).filter((t): t is string => typeof t === "string");
}

/** True when every filter pair matches one of the row's key-values. */
export function matchesAll(row: Row, filters: readonly FilterKeyValue[]): boolean {
  return filters.every((f) => entriesOf(row, f.Key).some((e) => f.Value === undefined || (e["Value"] ?? "") === f.Value));
}

/** "rowid 12 (Changed)": a row for messages. */
export function describeRow(row: Row): string {
  const topic = [0, 1, 2, 3].map((i) => valueOf(row, `topic${i}`)).filter((t) => t !== undefined).join("/");
  return `rowid ${String(row["rowid"])} ${topic !== "" ? topic : "(no topic keys)"} at ${String(row["UtcTime"])}`;
}

export function describeRows(rows: readonly Row[]): string {
  return rows.length === 0 ? "none" : rows.map(describeRow).join(", ");
}

/** The row ids of rows, in response order. */
export function rowIds(rows: readonly Row[]): number[] {
  return rows.map(rowIdOf);
}

export interface FetchPage {
  readonly rows: Row[];
  readonly more: boolean | undefined;
  readonly raw: Record<string, unknown>;
}

/** One FetchEvents/FetchEvents2 (rows in `Event`) or FetchAlarms (rows in `Alarm`) call. */
export async function fetchPage(ctx: CheckContext, op: string, input: Record<string, unknown>): Promise<FetchPage> {
  const raw = await ctx.call<Record<string, unknown>>(op, input);
  const field = op === FETCH_ALARMS ? "Alarm" : "Event";
  const more = raw["More"];
  return { rows: itemsOf(raw, field), more: more === undefined ? undefined : isTrue(more), raw };
}

/**
 * A real event logger may store events a moment after the request that caused them: polls
 * (FetchEvents or FetchAlarms with `filters`) until at least `atLeast` rows match, for at most
 * about 3 s of real time, and returns the last answer (the caller judges it).
 */
export async function awaitRows(ctx: CheckContext, op: string, filters: readonly FilterKeyValue[], atLeast: number): Promise<Row[]> {
  let rows: Row[] = [];
  for (let attempt = 0, waited = 0; ; attempt++) {
    rows = (await fetchPage(ctx, op, { Filters: filters })).rows;
    if (rows.length >= atLeast || waited >= 3000) return rows;
    const pause = Math.min(100 * 2 ** attempt, 800);
    await sleep(pause, ctx.signal);
    waited += pause;
  }
}

/** The events of one of the run's areas, once at least `atLeast` are logged. */
export function areaEvents(ctx: CheckContext, token: string, atLeast: number): Promise<Row[]> {
  return awaitRows(ctx, FETCH_EVENTS, areaFilter(token), atLeast);
}

/** Creates an Area of the run (removed after the check): one tns1:Configuration/Area/Changed event. */
export async function ownArea(ctx: CheckContext, n: number): Promise<string> {
  requireOps(ctx, area.set, area.remove);
  return createOne(ctx, area, sampleFor(ctx, area, ctx.newToken("log-area"), n));
}

/** Replaces one of the run's Areas (a new Name each time): one more Changed event. */
export async function touchArea(ctx: CheckContext, token: string, round: number): Promise<void> {
  const item = area.modify(sampleFor(ctx, area, token, round), `${ctx.tokenPrefix}log-area-${round}`);
  await setItems(ctx, area, [item]);
}

/** Removes one of the run's Areas now: a tns1:Configuration/Area/Removed event. */
export async function removeArea(ctx: CheckContext, token: string): Promise<void> {
  await ctx.call(area.remove!, { Token: [token] });
}

export type FilterKind = "ignore" | "alarm";

const FILTER_OPS: Readonly<Record<FilterKind, { set: string; remove: string; list: string }>> = {
  ignore: { set: SET_IGNORE, remove: REMOVE_IGNORE, list: LIST_IGNORE },
  alarm: { set: SET_ALARM, remove: REMOVE_ALARM, list: LIST_ALARM },
};

export function filterOps(kind: FilterKind): { set: string; remove: string; list: string } {
  return FILTER_OPS[kind];
}

/** The filters a Get…FilterList answers. */
export async function listFilters(call: (op: string, input: unknown) => Promise<unknown>, kind: FilterKind): Promise<Row[]> {
  return itemsOf(await call(FILTER_OPS[kind].list, {}), "Filter");
}

/** The KeyValues of a filter item as plain pairs. */
export function filterPairs(filter: Row): FilterKeyValue[] {
  return listOf(filter["KeyValues"])
    .filter((kv): kv is Row => kv !== null && typeof kv === "object")
    .map((kv) => ({ Key: String(kv["Key"] ?? ""), ...(kv["Value"] !== undefined && kv["Value"] !== null && kv["Value"] !== "" ? { Value: String(kv["Value"]) } : {}) }));
}

/** True when a filter names `value` (a run token) in one of its key-values: it is the run's. */
function namesValue(filter: Row, value: string): boolean {
  return filterPairs(filter).some((p) => p.Value === value);
}

/**
 * Removes the run's filter after the check: by the token the Set answered and, in case that
 * answer was lost, every filter whose key-values name `value` (a run token, nobody else's).
 */
async function removeOwnFilters(call: CleanupCaller, kind: FilterKind, tokens: readonly string[], value: string): Promise<void> {
  const ops = FILTER_OPS[kind];
  const found = await listFilters(call, kind).catch(() => [] as Row[]);
  const all = new Set([...tokens, ...found.filter((f) => namesValue(f, value)).map((f) => String(f["token"] ?? ""))]);
  for (const t of all) {
    if (t === "") continue;
    await call(ops.remove, { Token: [t] }).catch(() => undefined);
  }
}

/**
 * Sets an ignore or alarm filter matching `pairs` (which name the run token `value`) for all
 * door controllers and returns its token; it is removed after the check.
 */
export async function setOwnFilter(ctx: CheckContext, kind: FilterKind, pairs: readonly FilterKeyValue[], value: string): Promise<string> {
  const ops = FILTER_OPS[kind];
  requireOps(ctx, ops.set, ops.remove);
  const tokens: string[] = [];
  ctx.onCleanup(`remove ${kind} filter for ${value}`, (call) => removeOwnFilters(call, kind, tokens, value));
  const r = await ctx.call<Record<string, unknown>>(ops.set, { Filter: [{ KeyValues: pairs.map((p) => ({ Key: p.Key, Value: p.Value ?? "" })) }] });
  tokens.push(...listOf(r["Token"]).filter((t): t is string => typeof t === "string" && t !== ""));
  if (tokens.length !== 1) ctx.fail(`${ops.set} with one filter answered ${tokens.length} token(s) ${excerptJson(r["Token"])}; expected the new filter's token`, lastExchange(ctx));
  return tokens[0]!;
}

/**
 * Removes, after the check, the alarms the run's events raised: FetchAlarms filtered on the
 * run's area, and only alarms that carry that token (acknowledging other alarms would hide them
 * from a live site's operators).
 */
export function removeOwnAlarmsAfter(ctx: CheckContext, token: string): void {
  ctx.onCleanup(`remove alarms of ${token}`, async (call) => {
    const r = await call(FETCH_ALARMS, { Filters: areaFilter(token) });
    const own = itemsOf(r, "Alarm").filter((a) => valueOf(a, AREA_KEY) === token);
    const tokens = own.map((a) => String(a["token"] ?? "")).filter((t) => t !== "");
    if (tokens.length > 0) await call(REMOVE_LOGGED_ALARM, { Token: tokens });
  });
}

/** A logged UtcTime in ms; zone-less texts are read as UTC (the logger's time is UTC). */
export function timeOf(row: Row): number {
  const t = String(row["UtcTime"] ?? "");
  return Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(t) ? t : `${t}Z`);
}

/** xs:dateTime in UTC, whole seconds: "2026-01-05T08:00:03Z". */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
