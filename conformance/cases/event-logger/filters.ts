/**
 * Ignore and alarm filters, and acknowledging alarms. Each filter matches only the Source key
 * AreaToken of an Area the run creates, so it can silence or elevate nothing but the run's own
 * events; filters are removed after the check, and only alarms of the run's Areas are removed.
 * The Area is created before a filter is set and replaced after, so its creation event is
 * logged normally and its removal (in cleanup, after the filter is gone) too.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { excerptJson } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, lastExchange } from "../generic/support.js";
import { unknownTokenCheck } from "../generic/unknown-token.js";
import {
  AREA_KEY,
  DOC,
  FETCH_ALARMS,
  FETCH_EVENTS,
  REMOVE_LOGGED_ALARM,
  SERVICE,
  areaEvents,
  areaFilter,
  awaitRows,
  describeRows,
  filterOps,
  filterPairs,
  listFilters,
  opRef,
  ownArea,
  removeOwnAlarmsAfter,
  rowIdOf,
  section,
  setOwnFilter,
  touchArea,
  valueOf,
  type FilterKind,
  type Row,
} from "./support.js";

const base = { service: SERVICE, transports: BOTH };

/** Rows not in `before` (by row id). */
function newRows(rows: readonly Row[], before: readonly Row[]): Row[] {
  const seen = new Set(before.map(rowIdOf));
  return rows.filter((r) => !seen.has(rowIdOf(r)));
}

/** One of the run's Areas with its creation event logged; returns the token and that event. */
async function loggedArea(ctx: CheckContext, n: number): Promise<{ token: string; before: Row[] }> {
  requireOps(ctx, FETCH_EVENTS);
  const token = await ownArea(ctx, n);
  const before = await areaEvents(ctx, token, 1);
  if (before.length !== 1) ctx.fail(`after creating Area "${token}", FetchEvents with Filters ${AREA_KEY}=${token} returned ${describeRows(before)}; expected its tns1:Configuration/Area/Changed event`, lastExchange(ctx));
  return { token, before };
}

const ignoreApplied: CheckDefinition = {
  ...base,
  id: "axloc.set-ignore-filter.ignores-matching",
  title: "Events matching an ignore filter are not logged, until the filter is removed",
  rule: "An event with a key-value pair matching an ignore filter (for all door controllers: no UUIDs) is not stored in the event log; other events are, and after RemoveIgnoreFilter matching events are logged again.",
  specRefs: [section("ignore-filter"), section("eventloggerconfig-service"), opRef("axloc:SetIgnoreFilter"), opRef("axloc:RemoveIgnoreFilter")],
  quirk: "eventlog-ignore-filter-unapplied",
  notes: "The filter matches AreaToken of an Area the run creates; another run Area's event shows the log still works.",
  run: async (ctx) => {
    const { token, before } = await loggedArea(ctx, 80);
    const filter = await setOwnFilter(ctx, "ignore", areaFilter(token), token);
    await touchArea(ctx, token, 81);
    // An event after the ignored one: once it is logged, the ignored one would have been too.
    const control = await ownArea(ctx, 82);
    const seen = await areaEvents(ctx, control, 1);
    if (seen.length !== 1) ctx.fail(`with an ignore filter on ${AREA_KEY}=${token} only, creating Area "${control}" logged ${describeRows(seen)}; expected its Changed event (the filter must not ignore other events)`, lastExchange(ctx));
    const ignored = newRows(await areaEvents(ctx, token, before.length), before);
    if (ignored.length > 0) ctx.fail(`with ignore filter "${filter}" on ${AREA_KEY}=${token}, replacing that Area was still logged: ${describeRows(ignored)}`, lastExchange(ctx));
    await ctx.call(filterOps("ignore").remove, { Token: [filter] });
    await touchArea(ctx, token, 83);
    const after = newRows(await areaEvents(ctx, token, before.length + 1), before);
    if (after.length !== 1) ctx.fail(`after RemoveIgnoreFilter "${filter}", replacing Area "${token}" logged ${describeRows(after)}; expected its Changed event (the filter is gone)`, lastExchange(ctx));
  },
};

function listedCheck(kind: FilterKind): CheckDefinition {
  const ops = filterOps(kind);
  const name = kind === "ignore" ? "IgnoreFilter" : "AlarmFilter";
  return {
    ...base,
    id: `axloc.get-${kind}-filter-list.lists-filter`,
    title: `Get${name}List lists a filter from Set${name} until Remove${name}`,
    rule: `A filter created with Set${name} is listed by Get${name}List under the token the Set answered, with its key-values; after Remove${name} it is no longer listed.`,
    specRefs: [section(kind === "ignore" ? "ignore-filter" : "alarm-filter"), opRef(ops.set), opRef(ops.list), opRef(ops.remove)],
    quirk: "eventlog-filter-not-listed",
    notes: "The filter matches a run token that no event carries.",
    run: async (ctx) => {
      requireOps(ctx, ops.list);
      const value = ctx.newToken(`${kind}-filter`);
      const pairs = areaFilter(value);
      const token = await setOwnFilter(ctx, kind, pairs, value);
      const listed = (await listFilters((op, input) => ctx.call(op, input), kind)).filter((f) => f["token"] === token);
      if (listed.length !== 1) ctx.fail(`Get${name}List does not list filter "${token}" that Set${name} just created (${listed.length} entries with that token)`, lastExchange(ctx));
      const got = filterPairs(listed[0]!);
      if (JSON.stringify(got) !== JSON.stringify(pairs)) ctx.fail(`Get${name}List lists filter "${token}" with KeyValues ${excerptJson(got)}; it was set with ${excerptJson(pairs)}`, lastExchange(ctx));
      await ctx.call(ops.remove, { Token: [token] });
      const still = (await listFilters((op, input) => ctx.call(op, input), kind)).filter((f) => f["token"] === token);
      if (still.length > 0) ctx.fail(`after Remove${name} "${token}", Get${name}List still lists it`, lastExchange(ctx));
    },
  };
}

/** The shared unknown-token check (Token is a list here), with the section of the guide that covers the item. */
function unknownTokenRemoved(op: string, what: string, ref: string): CheckDefinition {
  const check = unknownTokenCheck(op, { service: SERVICE, docPage: DOC, noun: what, input: (token) => ({ Token: [token] }), quirk: "eventlog-remove-unknown-ok" });
  return { ...check, specRefs: [...check.specRefs, section(ref)] };
}

/** The alarms of one of the run's areas, once at least `atLeast` are stored. */
function areaAlarms(ctx: CheckContext, token: string, atLeast: number): Promise<Row[]> {
  return awaitRows(ctx, FETCH_ALARMS, areaFilter(token), atLeast);
}

const alarmBase = { ...base, quirk: "eventlog-alarm-filter-unapplied" };

const alarmElevates: CheckDefinition = {
  ...alarmBase,
  id: "axloc.set-alarm-filter.elevates-matching",
  title: "An event matching an alarm filter is an alarm and stays in the event log",
  rule: "An event matching an alarm filter is marked as an alarm: FetchAlarms returns it, and it is also kept in the event log with the other events.",
  specRefs: [section("alarm-filter"), section("fetching-alarms"), opRef("axloc:SetAlarmFilter"), opRef(FETCH_ALARMS)],
  notes: "The filter matches AreaToken of an Area the run creates; the Area's alarms are removed after the check.",
  run: async (ctx) => {
    requireOps(ctx, FETCH_ALARMS, REMOVE_LOGGED_ALARM);
    const { token, before } = await loggedArea(ctx, 84);
    removeOwnAlarmsAfter(ctx, token);
    const filter = await setOwnFilter(ctx, "alarm", areaFilter(token), token);
    await touchArea(ctx, token, 85);
    const alarms = await areaAlarms(ctx, token, 1);
    if (alarms.length !== 1) ctx.fail(`with alarm filter "${filter}" on ${AREA_KEY}=${token}, replacing that Area gave ${alarms.length} alarm(s) (${describeRows(alarms)}); expected one alarm with that key`, lastExchange(ctx));
    const events = newRows(await areaEvents(ctx, token, before.length + 1), before);
    if (events.length !== 1) ctx.fail(`the event that became an alarm must also be in the event log: FetchEvents for ${AREA_KEY}=${token} shows ${describeRows(events)} after the creation event`, lastExchange(ctx));
  },
};

const alarmOverridesIgnore: CheckDefinition = {
  ...alarmBase,
  id: "axloc.set-alarm-filter.overrides-ignore",
  title: "An event matching both an ignore and an alarm filter is logged as an alarm",
  rule: "If an event matches both an ignore filter and an alarm filter, the ignore filter is overridden: the event is marked as an alarm and stored in the event log.",
  specRefs: [section("alarm-filter"), section("eventloggerconfig-service"), opRef("axloc:SetAlarmFilter"), opRef("axloc:SetIgnoreFilter")],
  notes: "Both filters match AreaToken of an Area the run creates; both and the Area's alarms are removed after the check.",
  run: async (ctx) => {
    requireOps(ctx, FETCH_ALARMS, REMOVE_LOGGED_ALARM);
    const { token, before } = await loggedArea(ctx, 86);
    removeOwnAlarmsAfter(ctx, token);
    await setOwnFilter(ctx, "ignore", areaFilter(token), token);
    await setOwnFilter(ctx, "alarm", areaFilter(token), token);
    await touchArea(ctx, token, 87);
    const alarms = await areaAlarms(ctx, token, 1);
    if (alarms.length !== 1) ctx.fail(`with an ignore and an alarm filter both on ${AREA_KEY}=${token}, replacing that Area gave ${alarms.length} alarm(s) (${describeRows(alarms)}); expected one alarm (the alarm filter overrides the ignore filter)`, lastExchange(ctx));
    const events = newRows(await areaEvents(ctx, token, before.length + 1), before);
    if (events.length !== 1) ctx.fail(`with an ignore and an alarm filter both on ${AREA_KEY}=${token}, replacing that Area raised an alarm but the event log shows ${describeRows(events)} after the creation event; the alarm is also stored as an event`, lastExchange(ctx));
  },
};

const alarmRemoved: CheckDefinition = {
  ...base,
  id: "axlog.remove-logged-alarm.acknowledges",
  title: "RemoveLoggedAlarm removes the alarm from the alarm list, not the event from the log",
  rule: "An alarm is acknowledged with RemoveLoggedAlarm: FetchAlarms no longer returns it, and the event stays in the event log.",
  specRefs: [section("acknowledging-alarms"), section("alarm-filter"), opRef(REMOVE_LOGGED_ALARM), opRef(FETCH_ALARMS)],
  quirk: "eventlog-alarm-not-removed",
  notes: "Only the alarm the run raised (on an Area of its own) is removed.",
  run: async (ctx) => {
    requireOps(ctx, FETCH_ALARMS, REMOVE_LOGGED_ALARM);
    const { token, before } = await loggedArea(ctx, 88);
    removeOwnAlarmsAfter(ctx, token);
    await setOwnFilter(ctx, "alarm", areaFilter(token), token);
    await touchArea(ctx, token, 89);
    const alarms = (await areaAlarms(ctx, token, 1)).filter((a) => valueOf(a, AREA_KEY) === token);
    if (alarms.length !== 1) ctx.skip(`the alarm filter on ${AREA_KEY}=${token} raised ${alarms.length} alarm(s), not one; axloc.set-alarm-filter.elevates-matching judges that`);
    const alarm = String(alarms[0]!["token"] ?? "");
    if (alarm === "") ctx.fail(`FetchAlarms returned the alarm without a token (${describeRows(alarms)}); RemoveLoggedAlarm needs it`, lastExchange(ctx));
    const logged = newRows(await areaEvents(ctx, token, before.length + 1), before);
    await ctx.call(REMOVE_LOGGED_ALARM, { Token: [alarm] });
    const left = (await ctx.call<Record<string, unknown>>(FETCH_ALARMS, { Filters: areaFilter(token) }))["Alarm"];
    const still = (Array.isArray(left) ? left : left === undefined ? [] : [left]) as Row[];
    if (still.some((a) => a["token"] === alarm)) ctx.fail(`after RemoveLoggedAlarm "${alarm}", FetchAlarms still returns it`, lastExchange(ctx));
    const kept = newRows(await areaEvents(ctx, token, before.length + logged.length), before);
    if (kept.length < logged.length || logged.length === 0) ctx.fail(`after RemoveLoggedAlarm "${alarm}", the event log holds ${describeRows(kept)} for the Area's replacement (before: ${describeRows(logged)}); acknowledging keeps the event`, lastExchange(ctx));
  },
};

export function filterChecks(): CheckDefinition[] {
  return [
    ignoreApplied,
    listedCheck("ignore"),
    listedCheck("alarm"),
    unknownTokenRemoved("axloc:RemoveIgnoreFilter", "ignore filter", "ignore-filter"),
    unknownTokenRemoved("axloc:RemoveAlarmFilter", "alarm filter", "alarm-filter"),
    alarmElevates,
    alarmOverridesIgnore,
    alarmRemoved,
    unknownTokenRemoved(REMOVE_LOGGED_ALARM, "logged alarm", "acknowledging-alarms"),
  ];
}
