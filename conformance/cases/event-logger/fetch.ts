/**
 * FetchEvents rules: what the run caused is logged with its key-values, Limit/RowID paging and
 * More, Descending, the Start/Stop window, Filters (AND) and FetchEvents2 FilterSets (OR), and the
 * fault for an invalid Start. All judged on events of the run's own Areas only.
 */
import type { CheckContext, CheckDefinition, Exchange } from "../../harness/types.js";
import { excerptJson, expectFault, type ExpectedFault } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, lastExchange } from "../generic/support.js";
import {
  AREA_KEY,
  FETCH_EVENTS,
  FETCH_EVENTS2,
  SERVICE,
  areaEvents,
  areaFilter,
  describeRow,
  describeRows,
  fetchPage,
  formatUtc,
  matchesAll,
  opRef,
  ownArea,
  removeArea,
  rowIdOf,
  rowIds,
  section,
  tagsOf,
  timeOf,
  touchArea,
  valueOf,
  type FilterKeyValue,
  type Row,
} from "./support.js";

const base = { service: SERVICE, transports: BOTH };

/** A logged UtcTime must name its zone (the log is in UTC); the examples show "…Z". */
const UTC_TEXT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]00:00)$/;

const logged: CheckDefinition = {
  ...base,
  id: "axlog.fetch-events.logs-caused-event",
  title: "An event the run causes is logged with its topic, Source and identity",
  rule: "Every event is stored in the event log with its topic levels as keys topic0, topic1, … (without namespace prefixes), each Source and Data item as a key-value (Source items tagged onvif-source), the producing device's UUID, its UtcTime and a row id that grows with each event.",
  specRefs: [section("fetchevents-response"), section("filters"), section("fetch-events"), section("notification-topics"), opRef(FETCH_EVENTS)],
  quirk: "eventlog-missing-source-keys",
  notes: "The event is tns1:Configuration/Area/Changed of an Area the run creates and then replaces. A missing wstype:pt:ReferenceToken tag on the token is a warning.",
  run: async (ctx) => {
    requireOps(ctx, FETCH_EVENTS);
    const localBefore = Date.now();
    const token = await ownArea(ctx, 60);
    await touchArea(ctx, token, 61);
    const rows = await areaEvents(ctx, token, 2);
    const localAfter = Date.now();
    if (rows.length !== 2) {
      ctx.fail(`after creating and replacing Area "${token}", FetchEvents with Filters ${AREA_KEY}=${token} returned ${rows.length} event(s) (${describeRows(rows)}); expected its two tns1:Configuration/Area/Changed events with the Source key ${AREA_KEY}`, lastExchange(ctx));
    }
    const problems: string[] = [];
    for (const row of rows) {
      const what = describeRow(row);
      const topics = [0, 1, 2, 3].map((i) => valueOf(row, `topic${i}`));
      if (topics[0] !== "Configuration" || topics[1] !== "Area" || topics[2] !== "Changed" || topics[3] !== undefined) {
        problems.push(`${what}: topic keys ${excerptJson(topics.slice(0, 3))}${topics[3] !== undefined ? ` and topic3 ${excerptJson(topics[3])}` : ""}; expected topic0 Configuration, topic1 Area, topic2 Changed (no namespace prefixes)`);
      }
      const tags = tagsOf(row, AREA_KEY);
      if (!tags.includes("onvif-source")) problems.push(`${what}: ${AREA_KEY} has Tags ${excerptJson(tags)}; a Source item is tagged onvif-source`);
      else if (!tags.includes("wstype:pt:ReferenceToken")) ctx.warn(`${what}: ${AREA_KEY} has Tags ${excerptJson(tags)}; the documented example also tags a token with its type, wstype:pt:ReferenceToken`, lastExchange(ctx));
      if (typeof row["UUID"] !== "string" || row["UUID"] === "") problems.push(`${what}: UUID ${excerptJson(row["UUID"])}; expected the producing device's UUID`);
      if (typeof row["token"] !== "string" || row["token"] === "") problems.push(`${what}: token ${excerptJson(row["token"])}; expected the event's token`);
      if (!Number.isSafeInteger(rowIdOf(row))) problems.push(`${what}: rowid ${excerptJson(row["rowid"])} is not an integer`);
      const text = String(row["UtcTime"] ?? "");
      if (!UTC_TEXT.test(text) || Number.isNaN(Date.parse(text))) problems.push(`${what}: UtcTime ${excerptJson(row["UtcTime"])} is not a UTC xs:dateTime`);
      else if (ctx.physical.clock === "system" && (timeOf(row) < localBefore - 300_000 || timeOf(row) > localAfter + 300_000)) {
        problems.push(`${what}: UtcTime ${text} is outside the time the run caused it (${formatUtc(localBefore)} – ${formatUtc(localAfter)}, device on the system clock)`);
      }
    }
    const [first, second] = rows as [Row, Row];
    if (rowIdOf(first) === rowIdOf(second)) problems.push(`both events have rowid ${String(first["rowid"])}`);
    const [older, newer] = rowIdOf(first) < rowIdOf(second) ? [first, second] : [second, first];
    if (timeOf(newer) < timeOf(older)) problems.push(`the later event (${describeRow(newer)}) has an earlier UtcTime than the first (${describeRow(older)})`);
    if (older["token"] === newer["token"]) problems.push(`both events have token ${excerptJson(older["token"])}`);
    if (problems.length > 0) ctx.fail(problems.join("; "), lastExchange(ctx));
  },
};

/** The shared data set of the paging, order and window checks: five events of one Area, 2 s of device time apart. */
interface OwnEvents {
  readonly token: string;
  /** Ascending by row id. */
  readonly rows: readonly Row[];
}

const OWN_EVENTS = "eventlog-own-events";
const EVENT_COUNT = 5;
const SPACING_MS = 2000;

function ownEvents(ctx: CheckContext): Promise<OwnEvents> {
  return ctx.fixture(OWN_EVENTS, async (fx) => {
    requireOps(fx, FETCH_EVENTS);
    const token = await ownArea(fx, 62);
    for (let i = 1; i < EVENT_COUNT; i++) {
      // Device time (virtual clock advanced at once, else a real wait): distinct whole-second UtcTimes.
      await fx.physical.elapse(SPACING_MS);
      await touchArea(fx, token, 62 + i);
    }
    const rows = await areaEvents(fx, token, EVENT_COUNT);
    if (rows.length !== EVENT_COUNT) {
      fx.fail(`after ${EVENT_COUNT} changes of Area "${token}", FetchEvents with Filters ${AREA_KEY}=${token} returned ${rows.length} event(s) (${describeRows(rows)}); expected ${EVENT_COUNT}`, lastExchange(fx));
    }
    return { token, rows: [...rows].sort((a, b) => rowIdOf(a) - rowIdOf(b)) };
  });
}

const pagingBase = { ...base, uses: [OWN_EVENTS] };
const PAGING_REFS = [section("limit-and-rowid"), opRef(FETCH_EVENTS)];

const limit: CheckDefinition = {
  ...pagingBase,
  id: "axlog.fetch-events.limit",
  title: "FetchEvents returns at most Limit events",
  rule: "Limit reduces the number of events one FetchEvents returns: with Limit 2 and five matching events, two are returned, the oldest first.",
  specRefs: PAGING_REFS,
  quirk: "eventlog-limit-ignored",
  notes: `Five tns1:Configuration/Area/Changed events of an Area the run creates, shared with the other paging, order and window checks.`,
  run: async (ctx) => {
    const own = await ownEvents(ctx);
    const page = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token), Limit: 2 });
    const want = rowIds(own.rows.slice(0, 2));
    if (page.rows.length !== 2 || JSON.stringify(rowIds(page.rows)) !== JSON.stringify(want)) {
      ctx.fail(`FetchEvents with Limit 2 (${EVENT_COUNT} events match) returned ${page.rows.length} event(s), rowids ${excerptJson(rowIds(page.rows))}; expected the first two, ${excerptJson(want)}`, lastExchange(ctx));
    }
  },
};

interface Page {
  readonly input: Record<string, unknown>;
  readonly rows: Row[];
  readonly evidence: Exchange | undefined;
}

/** Pages through the own events with Limit 2 and RowID = the last row id of the previous page. */
async function pageThrough(ctx: CheckContext, token: string): Promise<Page[]> {
  const pages: Page[] = [];
  let rowId: number | undefined;
  // Five events at two a page: three pages; a sixth call only if the device keeps answering.
  for (let i = 0; i < 6; i++) {
    const input = { Filters: areaFilter(token), Limit: 2, ...(rowId !== undefined ? { RowID: rowId } : {}) };
    const page = await fetchPage(ctx, FETCH_EVENTS, input);
    pages.push({ input, rows: page.rows, evidence: lastExchange(ctx) });
    // Judged by RowID alone: a short page ends the walk, whatever More says.
    if (page.rows.length < 2) break;
    rowId = rowIdOf(page.rows[page.rows.length - 1]!);
    if (!Number.isSafeInteger(rowId)) ctx.fail(`FetchEvents returned an event without an integer rowid (${describeRow(page.rows[page.rows.length - 1]!)}); RowID paging needs it`, lastExchange(ctx));
  }
  return pages;
}

const rowIdContinues: CheckDefinition = {
  ...pagingBase,
  id: "axlog.fetch-events.row-id-continues",
  title: "FetchEvents with RowID continues after that event: no repeats, no gaps",
  rule: "RowID set to the row id of the last event of a response fetches the events after it: paging with Limit 2 returns every matching event exactly once, in ascending order.",
  specRefs: PAGING_REFS,
  quirk: "eventlog-rowid-repeats",
  run: async (ctx) => {
    const own = await ownEvents(ctx);
    const pages = await pageThrough(ctx, own.token);
    const want = rowIds(own.rows);
    const got = pages.flatMap((p) => rowIds(p.rows));
    for (let i = 1; i < pages.length; i++) {
      const from = pages[i]!.input["RowID"] as number;
      const again = rowIds(pages[i]!.rows).filter((r) => r <= from);
      if (again.length > 0) ctx.fail(`FetchEvents with RowID ${from} returned rowids ${excerptJson(rowIds(pages[i]!.rows))}, including ${excerptJson(again)} again; RowID continues after that event`, pages[i]!.evidence);
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      ctx.fail(`paging with Limit 2 and RowID returned rowids ${excerptJson(got)} in ${pages.length} call(s); expected each of ${excerptJson(want)} once, in order`, lastExchange(ctx));
    }
  },
};

const more: CheckDefinition = {
  ...pagingBase,
  id: "axlog.fetch-events.more",
  title: "More tells whether more events match than a FetchEvents returned",
  rule: "More is true when more events match the request than the Limit let through, false on the response that returns the last of them.",
  specRefs: PAGING_REFS,
  quirk: "eventlog-more-wrong",
  run: async (ctx) => {
    const own = await ownEvents(ctx);
    const all = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token) });
    if (all.more !== false) ctx.fail(`FetchEvents without Limit returned ${all.rows.length} event(s) with More ${excerptJson(all.raw["More"])}; all ${EVENT_COUNT} matching events fit, More must be false`, lastExchange(ctx));
    const wrong: string[] = [];
    let rowId: number | undefined;
    let left = own.rows.length;
    for (let i = 0; i < 3 && left > 0; i++) {
      const page = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token), Limit: 2, ...(rowId !== undefined ? { RowID: rowId } : {}) });
      const expected = left > 2;
      if (page.more !== expected) wrong.push(`call ${i + 1}${rowId !== undefined ? ` (RowID ${rowId})` : ""}: More ${excerptJson(page.raw["More"])} with ${left} matching event(s) left at Limit 2; expected ${expected}`);
      // Continue from our own data set, so this judges More only.
      rowId = rowIdOf(own.rows[Math.min(own.rows.length, (i + 1) * 2) - 1]!);
      left -= 2;
    }
    if (wrong.length > 0) ctx.fail(wrong.join("; "), lastExchange(ctx));
  },
};

const descending: CheckDefinition = {
  ...pagingBase,
  id: "axlog.fetch-events.descending",
  title: "FetchEvents with Descending true returns the newest events first",
  rule: "Descending true sorts the events in descending order (ascending is the default): the newest matching event comes first, and Limit then keeps the newest.",
  specRefs: [section("descending"), opRef(FETCH_EVENTS)],
  quirk: "eventlog-descending-ignored",
  run: async (ctx) => {
    const own = await ownEvents(ctx);
    const want = rowIds(own.rows).reverse();
    const all = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token), Descending: true });
    if (JSON.stringify(rowIds(all.rows)) !== JSON.stringify(want)) {
      ctx.fail(`FetchEvents with Descending true returned rowids ${excerptJson(rowIds(all.rows))}; expected ${excerptJson(want)} (newest first)`, lastExchange(ctx));
    }
    const newest = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token), Descending: true, Limit: 2 });
    if (JSON.stringify(rowIds(newest.rows)) !== JSON.stringify(want.slice(0, 2))) {
      ctx.fail(`FetchEvents with Descending true and Limit 2 returned rowids ${excerptJson(rowIds(newest.rows))}; expected the two newest, ${excerptJson(want.slice(0, 2))}`, lastExchange(ctx));
    }
  },
};

const window: CheckDefinition = {
  ...pagingBase,
  id: "axlog.fetch-events.start-stop-window",
  title: "FetchEvents returns only events between Start and Stop",
  rule: "Start and Stop bound the time interval: only events with a timestamp within it are fetched.",
  specRefs: [section("start-and-stop-time"), opRef(FETCH_EVENTS)],
  quirk: "eventlog-stop-ignored",
  notes: "Start and Stop are derived from the logged UtcTimes (whole seconds, between events 2 s of device time apart), never from the local clock, so a virtual or skewed device clock does not matter.",
  run: async (ctx) => {
    const own = await ownEvents(ctx);
    const times = own.rows.map(timeOf);
    for (let i = 1; i < times.length; i++) {
      if (!(Math.floor(times[i]! / 1000) - Math.floor(times[i - 1]! / 1000) >= 1)) {
        ctx.fail(`events caused ${SPACING_MS / 1000} s of device time apart were logged with UtcTimes ${excerptJson(own.rows.map((r) => r["UtcTime"]))}; each event's UtcTime must be the time it happened`, lastExchange(ctx));
      }
    }
    // A whole second after event 0 and after event 2: only events 1 and 2 lie in between,
    // whether the log keeps fractions of seconds or not.
    const start = formatUtc(Math.floor(times[0]! / 1000) * 1000 + 1000);
    const stop = formatUtc(Math.floor(times[2]! / 1000) * 1000 + 1000);
    const want = rowIds(own.rows.slice(1, 3));
    const page = await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(own.token), Start: start, Stop: stop });
    const got = rowIds(page.rows);
    if (JSON.stringify([...got].sort((a, b) => a - b)) !== JSON.stringify(want)) {
      const early = own.rows.filter((r, i) => i < 1 && got.includes(rowIdOf(r)));
      const late = own.rows.filter((r, i) => i > 2 && got.includes(rowIdOf(r)));
      const why = [...(early.length > 0 ? [`before Start: ${describeRows(early)}`] : []), ...(late.length > 0 ? [`after Stop: ${describeRows(late)}`] : [])];
      ctx.fail(`FetchEvents with Start ${start} and Stop ${stop} returned rowids ${excerptJson(got)}; expected ${excerptJson(want)} (the events logged at ${excerptJson(own.rows.slice(1, 3).map((r) => r["UtcTime"]))})${why.length > 0 ? `; ${why.join("; ")}` : ""}`, lastExchange(ctx));
    }
  },
};

const filtersAnd: CheckDefinition = {
  ...base,
  id: "axlog.fetch-events.filters-and",
  title: "FetchEvents Filters are combined with AND",
  rule: "FetchEvents returns the events that match the key-value pairs in Filters, all of them: AreaToken = A and topic2 = Changed selects A's Changed event, not its Removed event nor other Changed events.",
  specRefs: [section("filters"), opRef(FETCH_EVENTS)],
  quirk: "eventlog-filters-or",
  run: async (ctx) => {
    requireOps(ctx, FETCH_EVENTS);
    const token = await ownArea(ctx, 70);
    await removeArea(ctx, token);
    const both = await areaEvents(ctx, token, 2);
    if (both.length !== 2) ctx.fail(`after creating and removing Area "${token}", FetchEvents with Filters ${AREA_KEY}=${token} returned ${describeRows(both)}; expected its Changed and Removed events`, lastExchange(ctx));
    const filters: FilterKeyValue[] = [...areaFilter(token), { Key: "topic2", Value: "Changed" }];
    // Limit keeps the answer short if the pairs are ORed (every Changed event of the device).
    const page = await fetchPage(ctx, FETCH_EVENTS, { Filters: filters, Limit: 10 });
    const stray = page.rows.filter((r) => !matchesAll(r, filters));
    if (stray.length > 0 || page.rows.length !== 1) {
      ctx.fail(`FetchEvents with Filters ${AREA_KEY}=${token} and topic2=Changed returned ${page.rows.length} event(s)${stray.length > 0 ? `, ${stray.length} of them not matching both pairs (${describeRows(stray.slice(0, 3))}: ${AREA_KEY} ${excerptJson(stray.slice(0, 3).map((r) => valueOf(r, AREA_KEY)))})` : ""}; expected exactly the Area's Changed event`, lastExchange(ctx));
    }
  },
};

const filterSetsOr: CheckDefinition = {
  ...base,
  id: "axlog.fetch-events2.filter-sets-or",
  title: "FetchEvents2 combines FilterSets with OR",
  rule: "FetchEvents2's FilterSets hold several Filters combined with logical OR: an event matching any one set is returned, and only such events.",
  specRefs: [section("filterssets"), section("fetch-events")],
  quirk: "eventlog-filtersets-first-only",
  run: async (ctx) => {
    requireOps(ctx, FETCH_EVENTS, FETCH_EVENTS2);
    const a = await ownArea(ctx, 71);
    const b = await ownArea(ctx, 72);
    const seenA = await areaEvents(ctx, a, 1);
    const seenB = await areaEvents(ctx, b, 1);
    if (seenA.length !== 1 || seenB.length !== 1) ctx.fail(`after creating Areas "${a}" and "${b}", FetchEvents found ${seenA.length} and ${seenB.length} event(s) for them; expected one each`, lastExchange(ctx));
    const sets = [{ Filters: areaFilter(a) }, { Filters: [...areaFilter(b), { Key: "topic2", Value: "Changed" }] }];
    const page = await fetchPage(ctx, FETCH_EVENTS2, { FilterSets: sets });
    const got = rowIds(page.rows).sort((x, y) => x - y);
    const want = [...rowIds(seenA), ...rowIds(seenB)].sort((x, y) => x - y);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const missing = [...seenA, ...seenB].filter((r) => !got.includes(rowIdOf(r)));
      ctx.fail(`FetchEvents2 with FilterSets (${AREA_KEY}=${a}) OR (${AREA_KEY}=${b} AND topic2=Changed) returned rowids ${excerptJson(got)}; expected ${excerptJson(want)}${missing.length > 0 ? `; missing ${describeRows(missing)} (${AREA_KEY} ${excerptJson(missing.map((r) => valueOf(r, AREA_KEY)))})` : ""}`, lastExchange(ctx));
    }
  },
};

const INVALID_START_TIME: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidStartTime"] };

const invalidStart: CheckDefinition = {
  ...base,
  id: "axlog.fetch-events.invalid-start-time",
  title: "FetchEvents with a Start that is no time gives InvalidStartTime",
  rule: "A Start that is not an ISO 8601 time is refused with env:Sender/ter:InvalidArgVal/ter:InvalidStartTime.",
  specRefs: [opRef(FETCH_EVENTS), section("start-and-stop-time")],
  quirk: "wrong-fault-subcode",
  notes: "Another fault than InvalidStartTime is a warning.",
  run: async (ctx) => {
    requireOps(ctx, FETCH_EVENTS);
    await expectFault(ctx, FETCH_EVENTS, { Start: "not-a-time", Limit: 1 }, INVALID_START_TIME, `FetchEvents with Start "not-a-time"`);
  },
};

export function fetchChecks(): CheckDefinition[] {
  return [logged, limit, rowIdContinues, more, descending, window, filtersAnd, filterSetsOr, invalidStart];
}
