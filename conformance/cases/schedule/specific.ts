/**
 * Schedule rules beyond set/get/paging: ScheduleActive at chosen instants around the boundaries
 * of the guide's example schedules (the instant is an argument, LocalTime, so no clock has to
 * move), recurrence, all-day dates, exceptions and how several schedules combine, daylight saving,
 * ScheduleStatusReport, the iCalendar the device must refuse, and schema conformance.
 */
import type { CheckContext, CheckDefinition, Exchange } from "../../harness/types.js";
import { docRef, itemsOf, tokenOf } from "../../harness/entity.js";
import { expectFault, excerptJson, type ExpectedFault } from "../../harness/faults.js";
import { createOne, registerCreated, requireOps, sampleFor } from "../../harness/items.js";
import { BOTH, expectSchemaConformance, lastExchange, xsBoolean, type SchemaCall } from "../generic/support.js";
import { unknownTokenCheck } from "../generic/unknown-token.js";
import { DOC, OFFICE_HOURS, SERVICE, schedule, vcalendar } from "./entities.js";

const ACTIVE = "axsch:ScheduleActive";
const REPORT = "axsch:ScheduleStatusReport";
const FLAVOR = `${DOC}#the-rfc5545-syntax-flavor`;
const INVALID_SCHEDULE: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidScheduleFault"] };

/** Creates one of this run's schedules with the given definitions; returns its token. */
async function ownSchedule(ctx: CheckContext, label: string, definition: string, exception = ""): Promise<string> {
  const token = ctx.newToken(label);
  const item = { ...sampleFor(ctx, schedule, token, 50), ScheduleDefinition: definition, ExceptionScheduleDefinition: exception };
  return createOne(ctx, schedule, item);
}

interface Probe {
  /** What the instant is, for messages: "Monday 07:59:59, a second before the start". */
  readonly what: string;
  readonly tokens: readonly string[];
  readonly LocalTime: string;
  readonly UtcTime?: string;
  readonly Active: boolean;
  readonly Exception?: boolean;
}

/** Asks ScheduleActive at every probe and fails once, listing every wrong answer. */
async function expectActive(ctx: CheckContext, probes: readonly Probe[]): Promise<void> {
  const wrong: string[] = [];
  let evidence: Exchange | undefined;
  for (const p of probes) {
    const r = await ctx.call(ACTIVE, { Token: p.tokens, LocalTime: p.LocalTime, ...(p.UtcTime !== undefined ? { UtcTime: p.UtcTime } : {}) });
    const active = xsBoolean(r["Active"]);
    const exception = xsBoolean(r["Exception"]);
    const want = p.Exception ?? false;
    if (active !== p.Active || exception !== want) {
      const at = p.UtcTime === undefined ? p.LocalTime : `${p.LocalTime} (UTC ${p.UtcTime})`;
      wrong.push(`${p.what} [${at}]: Active=${String(active)}, Exception=${String(exception)}; expected Active=${p.Active}, Exception=${want}`);
      evidence ??= lastExchange(ctx);
    }
  }
  if (wrong.length > 0) ctx.fail(wrong.join("; "), evidence);
}

const activeBase = { service: SERVICE, transports: BOTH };

const boundaries: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.interval-boundaries",
  title: "ScheduleActive is true from DTSTART up to, not including, DTEND",
  rule: "An interval schedule is active from the start of each occurrence (DTSTART) until its end (DTEND), the end itself excluded: inactive a second before the start, active at the start and a second before the end, inactive at the end.",
  specRefs: [`${DOC}#setting-a-schedule`, `${DOC}#pulse-and-interval-schedules`, docRef(schedule, ACTIVE)],
  quirk: "schedule-end-inclusive",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    // The guide's SetSchedule example: 08:00–17:00 on weekdays from Monday 2012-03-12.
    const t = await ownSchedule(ctx, "bnd", vcalendar(ctx.tokenPrefix, ["DTSTART:20120312T080000", "DTEND:20120312T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]));
    await expectActive(ctx, [
      { what: "Monday, a second before the first start", tokens: [t], LocalTime: "2012-03-12T07:59:59", Active: false },
      { what: "Monday at the first start", tokens: [t], LocalTime: "2012-03-12T08:00:00", Active: true },
      { what: "Friday, a second before the end", tokens: [t], LocalTime: "2012-03-16T16:59:59", Active: true },
      { what: "Friday at the end", tokens: [t], LocalTime: "2012-03-16T17:00:00", Active: false },
      { what: "Saturday noon", tokens: [t], LocalTime: "2012-03-17T12:00:00", Active: false },
    ]);
  },
};

const recurrence: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.recurrence",
  title: "ScheduleActive follows RRULE and RDATE recurrences, up to UNTIL",
  rule: "A schedule is active during every occurrence of its recurrence set (DTSTART, each RRULE recurrence up to UNTIL, each RDATE), and only then.",
  specRefs: [`${DOC}#example-schedules`, FLAVOR, docRef(schedule, ACTIVE), "system-integration-examples.md#schedules"],
  quirk: "schedule-recurrence-ignored",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    const p = ctx.tokenPrefix;
    const office = await ownSchedule(ctx, "rec", vcalendar(p, OFFICE_HOURS));
    // The guide's "RDATE;VALUE=DATE" example: 14:00–16:00 on five dates of 2012.
    const birthdays = await ownSchedule(ctx, "rec", vcalendar(p, ["DTEND:20120508T160000", "RDATE;VALUE=DATE:20120508,20120604,20120608,20120810,20121130", "DTSTART:20120508T140000"]));
    // The Entry Manager's "Create Schedule with End Date" example: 12:00–14:00 daily in October 2012.
    const october = await ownSchedule(ctx, "rec", vcalendar(p, ["DTSTART:20121001T120000", "DTEND:20121001T140000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;UNTIL=20121031T225959"]));
    await expectActive(ctx, [
      { what: "office hours (weekly since 1970) on Wednesday 2026-01-07 at noon", tokens: [office], LocalTime: "2026-01-07T12:00:00", Active: true },
      { what: "office hours on Saturday 2026-01-10 at noon", tokens: [office], LocalTime: "2026-01-10T12:00:00", Active: false },
      { what: "the RDATE 2012-06-04 at 15:00", tokens: [birthdays], LocalTime: "2012-06-04T15:00:00", Active: true },
      { what: "the day after the RDATE 2012-06-04, at 15:00", tokens: [birthdays], LocalTime: "2012-06-05T15:00:00", Active: false },
      { what: "October 2012's last day at 13:00, before UNTIL", tokens: [october], LocalTime: "2012-10-31T13:00:00", Active: true },
      { what: "1 November 2012 at 13:00, after UNTIL", tokens: [october], LocalTime: "2012-11-01T13:00:00", Active: false },
    ]);
  },
};

const allDay: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.all-day-date",
  title: "A DTSTART;VALUE=DATE event lasts the whole day",
  rule: "DTSTART;VALUE=DATE is converted to a 24 h interval event: active from midnight to midnight of that date.",
  specRefs: [FLAVOR, docRef(schedule, ACTIVE)],
  quirk: "schedule-date-not-all-day",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    const t = await ownSchedule(ctx, "day", vcalendar(ctx.tokenPrefix, ["SUMMARY:Good Friday", "DTSTART;VALUE=DATE:20260403"]));
    await expectActive(ctx, [
      { what: "a second before the date", tokens: [t], LocalTime: "2026-04-02T23:59:59", Active: false },
      { what: "the date's first second", tokens: [t], LocalTime: "2026-04-03T00:00:00", Active: true },
      { what: "the date's last second", tokens: [t], LocalTime: "2026-04-03T23:59:59", Active: true },
      { what: "midnight after the date", tokens: [t], LocalTime: "2026-04-04T00:00:00", Active: false },
    ]);
  },
};

const HOLIDAY = ["SUMMARY:Holiday", "DTSTART:20260403T000000", "DTEND:20260404T000000"] as const;

const exceptions: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.exception",
  title: "An active ExceptionScheduleDefinition makes the schedule inactive",
  rule: "Exceptions are subtracted from the ScheduleDefinition: while the exception is active the schedule reports Active=false and Exception=true, whether or not the definition is active.",
  specRefs: [`${DOC}#exception-schedules`, docRef(schedule, ACTIVE), `${DOC}#schedule-data-structure`],
  quirk: "schedule-exception-ignored",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    const t = await ownSchedule(ctx, "exc", vcalendar(ctx.tokenPrefix, OFFICE_HOURS), vcalendar(`${ctx.tokenPrefix}x`, HOLIDAY));
    await expectActive(ctx, [
      { what: "Thursday 10:00, office hours without exception", tokens: [t], LocalTime: "2026-04-02T10:00:00", Active: true },
      { what: "Friday 10:00, office hours during the exception", tokens: [t], LocalTime: "2026-04-03T10:00:00", Active: false, Exception: true },
      { what: "Friday 20:00, after office hours, during the exception", tokens: [t], LocalTime: "2026-04-03T20:00:00", Active: false, Exception: true },
      { what: "Saturday 10:00, after the exception", tokens: [t], LocalTime: "2026-04-04T10:00:00", Active: false },
    ]);
  },
};

const aggregate: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.several-schedules",
  title: "ScheduleActive over several schedules: any active, unless any exception applies",
  rule: "For several tokens ScheduleActive answers IF (any schedule is active) AND NOT (any exception schedule is active): one schedule's exception (e.g. a holiday-only schedule) overrides another schedule that is active.",
  specRefs: [`${DOC}#checking-schedule-status`, `${DOC}#exception-schedules`, docRef(schedule, ACTIVE), "system-integration-examples.md#combining-schedules"],
  quirk: "schedule-aggregate-any-active",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    const p = ctx.tokenPrefix;
    const office = await ownSchedule(ctx, "agg", vcalendar(p, OFFICE_HOURS));
    // The guide: "a single schedule with only exceptions, such as a holiday schedule".
    const holidays = await ownSchedule(ctx, "agg", vcalendar(p), vcalendar(`${p}x`, HOLIDAY));
    const weekend = await ownSchedule(ctx, "agg", vcalendar(p, ["DTSTART:19700103T000000", "DTEND:19700105T000000", "RRULE:FREQ=WEEKLY"]));
    await expectActive(ctx, [
      { what: "office hours or weekend, on Thursday 10:00", tokens: [weekend, office], LocalTime: "2026-04-02T10:00:00", Active: true },
      { what: "office hours or weekend, on Saturday 10:00", tokens: [office, weekend], LocalTime: "2026-04-04T10:00:00", Active: true },
      { what: "office hours with the holiday schedule, on a normal Thursday 10:00", tokens: [office, holidays], LocalTime: "2026-04-02T10:00:00", Active: true },
      { what: "office hours with the holiday schedule, on the holiday at 10:00", tokens: [office, holidays], LocalTime: "2026-04-03T10:00:00", Active: false, Exception: true },
    ]);
  },
};

const daylightSaving: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-active.daylight-saving",
  title: "ScheduleActive judges local-time schedules by LocalTime across a daylight-saving change",
  rule: "Schedules are in local time: given LocalTime and UtcTime, ScheduleActive judges them by LocalTime, so the same UTC time of day gives different answers before and after a daylight-saving change (here Central European Time, UTC+1 then UTC+2 from 2026-03-29).",
  specRefs: [docRef(schedule, ACTIVE), FLAVOR],
  quirk: "schedule-local-time-ignored",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, ACTIVE);
    const t = await ownSchedule(ctx, "dst", vcalendar(ctx.tokenPrefix, OFFICE_HOURS));
    await expectActive(ctx, [
      { what: "Friday before the change, 08:30 CET", tokens: [t], LocalTime: "2026-03-27T08:30:00", UtcTime: "2026-03-27T07:30:00Z", Active: false },
      { what: "Friday before the change, 09:30 CET", tokens: [t], LocalTime: "2026-03-27T09:30:00", UtcTime: "2026-03-27T08:30:00Z", Active: true },
      { what: "Monday after the change, 08:30 CEST", tokens: [t], LocalTime: "2026-03-30T08:30:00", UtcTime: "2026-03-30T06:30:00Z", Active: false },
      { what: "Monday after the change, 09:30 CEST (07:30 UTC, inactive on Friday)", tokens: [t], LocalTime: "2026-03-30T09:30:00", UtcTime: "2026-03-30T07:30:00Z", Active: true },
      { what: "Monday after the change, 16:30 CEST", tokens: [t], LocalTime: "2026-03-30T16:30:00", UtcTime: "2026-03-30T14:30:00Z", Active: true },
    ]);
  },
};

const unknownToken = unknownTokenCheck(ACTIVE, { service: SERVICE, docPage: DOC, input: (t) => ({ Token: [t] }) });

const statusReport: CheckDefinition = {
  ...activeBase,
  id: "axsch.schedule-status-report.current-state",
  title: "ScheduleStatusReport reports each schedule's current Active and Exception",
  rule: "ScheduleStatusReport returns, for each schedule asked for, its current status: Active while the definition is active and no exception is, Exception while an exception is active.",
  specRefs: [docRef(schedule, REPORT), `${DOC}#checking-schedule-status`, `${DOC}#schedulestatus-data-structure`, "SCHEDULE-6-1-1"],
  quirk: "schedule-status-report-constant",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, REPORT);
    const p = ctx.tokenPrefix;
    // One interval from 1970 to 2100 is active at any plausible device time; one in 2000 never is.
    const always = vcalendar(p, ["DTSTART:19700101T000000", "DTEND:21000101T000000"]);
    const expected = new Map<string, [boolean, boolean]>([
      [await ownSchedule(ctx, "rep", always), [true, false]],
      [await ownSchedule(ctx, "rep", vcalendar(p, ["DTSTART:20000101T100000", "DTEND:20000101T110000"])), [false, false]],
      [await ownSchedule(ctx, "rep", always, always), [false, true]],
    ]);
    const response = await ctx.call(REPORT, { Token: [...expected.keys()] });
    const evidence = lastExchange(ctx);
    const rows = itemsOf(response, "Status");
    const wrong: string[] = [];
    for (const [token, [active, exception]] of expected) {
      const row = rows.filter((r) => r["Token"] === token);
      if (row.length !== 1) {
        wrong.push(`"${token}" is reported ${row.length} times; expected once`);
        continue;
      }
      const got = [xsBoolean(row[0]!["Active"]), xsBoolean(row[0]!["Exception"])];
      if (got[0] !== active || got[1] !== exception) wrong.push(`"${token}": Active=${String(got[0])}, Exception=${String(got[1])}; expected Active=${active}, Exception=${exception}`);
    }
    if (wrong.length > 0) ctx.fail(`ScheduleStatusReport: ${wrong.join("; ")}`, evidence);
  },
};

/** SetSchedule with each definition must fail with InvalidScheduleFault and store nothing. */
async function expectRefused(ctx: CheckContext, cases: readonly (readonly [string, string])[]): Promise<void> {
  for (const [what, definition] of cases) {
    const token = ctx.newToken("ref");
    registerCreated(ctx, schedule, [token]);
    const item = { ...sampleFor(ctx, schedule, token, 60), ScheduleDefinition: definition };
    await expectFault(ctx, schedule.set!, { Schedule: [item] }, INVALID_SCHEDULE, `SetSchedule with ${what}`);
    const stored = itemsOf(await ctx.call(schedule.full!.get!, { Token: [token] }), "Schedule").filter((i) => tokenOf(schedule, i) === token);
    if (stored.length > 0) ctx.fail(`SetSchedule with ${what} was refused, but GetSchedule returns schedule "${token}" afterwards: ${excerptJson(stored[0])}`, lastExchange(ctx));
  }
}

const invalidICalendar: CheckDefinition = {
  ...activeBase,
  id: "axsch.set-schedule.invalid-icalendar",
  title: "SetSchedule refuses a ScheduleDefinition that is not valid iCalendar",
  rule: "A ScheduleDefinition that is not valid iCalendar (a malformed date-time, an interval that ends before it starts, a VEVENT never closed) is refused with env:Sender/ter:InvalidArgVal/ter:InvalidScheduleFault, and nothing is stored.",
  specRefs: [docRef(schedule, schedule.set!), `${DOC}#schedule-data-structure`, FLAVOR, "SCHEDULE-3-1-12"],
  quirk: "schedule-invalid-accepted",
  notes: "Another fault than the documented one is a warning.",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, schedule.full?.get);
    const p = ctx.tokenPrefix;
    await expectRefused(ctx, [
      ["a DTEND before its DTSTART", vcalendar(p, ["DTSTART:20260105T100000", "DTEND:20260105T090000"])],
      ["a DTSTART that is not a DATE-TIME", vcalendar(p, ["DTSTART:2026-01-05 09:00", "DTEND:20260105T170000"])],
      ["a VEVENT that is never closed", "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART:20260105T090000\nEND:VCALENDAR\n"],
    ]);
  },
};

const unsupportedICalendar: CheckDefinition = {
  ...activeBase,
  id: "axsch.set-schedule.unsupported-icalendar",
  title: "SetSchedule refuses iCalendar outside the documented subset",
  rule: "Only the documented subset of RFC 5545 is supported: UTC times, VTIMEZONE with TZID, VALARM and RRULE forms outside the list (e.g. MONTHLY;BYDAY) are refused with env:Sender/ter:InvalidArgVal/ter:InvalidScheduleFault, and nothing is stored.",
  specRefs: [FLAVOR, docRef(schedule, schedule.set!), `${DOC}#schedule-service-api-specification`],
  quirk: "schedule-unsupported-accepted",
  notes: "Another fault than the documented one is a warning.",
  run: async (ctx) => {
    requireOps(ctx, schedule.set, schedule.full?.get);
    const p = ctx.tokenPrefix;
    const tz = ["BEGIN:VTIMEZONE", "TZID:Europe/Stockholm", "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"];
    await expectRefused(ctx, [
      ["UTC times", vcalendar(p, ["DTSTART:20260105T080000Z", "DTEND:20260105T160000Z"])],
      ["a VTIMEZONE and TZID", vcalendar(p, ["DTSTART;TZID=Europe/Stockholm:20260105T090000", "DTEND;TZID=Europe/Stockholm:20260105T170000"]).replace("BEGIN:VEVENT", [...tz, "BEGIN:VEVENT"].join("\n"))],
      ["a VALARM", vcalendar(p, ["DTSTART:20260105T090000", "DTEND:20260105T170000", "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT5M", "END:VALARM"])],
      ["RRULE FREQ=MONTHLY;BYDAY=1MO", vcalendar(p, ["DTSTART:20260105T090000", "DTEND:20260105T170000", "RRULE:FREQ=MONTHLY;BYDAY=1MO"])],
    ]);
  },
};

const SCHEMA_OPS = [
  "axsch:GetServiceCapabilities",
  "axsch:SetSchedule",
  "axsch:GetScheduleInfo",
  "axsch:GetScheduleInfoList",
  "axsch:GetSchedule",
  "axsch:GetScheduleList",
  ACTIVE,
  REPORT,
  "axsch:RemoveSchedule",
] as const;

const schema: CheckDefinition = {
  ...activeBase,
  id: "axsch.schema.responses",
  title: "Every Schedule response conforms to the schema",
  rule: `Responses of ${SCHEMA_OPS.map((o) => o.slice("axsch:".length)).join(", ")} conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, types and facets respected.`,
  specRefs: [...SCHEMA_OPS.map((o) => docRef(schedule, o)), `${DOC}#scheduleinfo-data-structure`, `${DOC}#schedule-data-structure`, "SCHEDULE-1-1-1"],
  quirk: "schema-invalid-response",
  run: async (ctx) => {
    requireOps(ctx, ...SCHEMA_OPS);
    const from = ctx.exchanges.length;
    const token = await ownSchedule(ctx, "sch", vcalendar(ctx.tokenPrefix, OFFICE_HOURS));
    const calls: SchemaCall[] = [
      ["axsch:GetServiceCapabilities", {}],
      ["axsch:GetScheduleInfo", { Token: [token] }],
      ["axsch:GetScheduleInfoList", { Limit: 2 }],
      ["axsch:GetSchedule", { Token: [token] }],
      ["axsch:GetScheduleList", { Limit: 2 }],
      [ACTIVE, { Token: [token] }],
      [REPORT, { Token: [token] }],
      ["axsch:RemoveSchedule", { Token: [token] }],
    ];
    await expectSchemaConformance(ctx, calls, ctx.exchanges.slice(from).map((ex) => [schedule.set!, ex] as const));
  },
};

export function scheduleSpecificChecks(): CheckDefinition[] {
  return [boundaries, recurrence, allDay, exceptions, aggregate, daylightSaving, unknownToken, statusReport, invalidICalendar, unsupportedICalendar, schema];
}
