/**
 * The Schedule service (axsch) as raw requests and responses: the documented defaults, set/get,
 * the iCalendar flavour and its faults, ScheduleActive at boundaries of the guide's example
 * schedules, exceptions, the device time zone and daylight saving, the state events on the
 * virtual clock, and the evaluation contract other services use.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axschSchemas } from "../../generated/axsch/schemas.js";
import { VirtualClock } from "../../src/device/clock.js";
import { isScheduleActive, nextScheduleChange } from "../../src/device/schedule/evaluate.js";
import { SCHEDULE_QUIRKS } from "../../src/device/schedule/quirks.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import type { DeviceState } from "../../src/device/state.js";
import { children, composedState, json, jsonFaultCodes, ok, post, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXSCH = "http://www.axis.com/vapix/ws/schedule";

/** A VCALENDAR of VEVENT bodies, LF line ends. */
function ics(...events: string[][]): string {
  return ["BEGIN:VCALENDAR", "VERSION:2.0", ...events.flatMap((e) => ["BEGIN:VEVENT", ...e, "END:VEVENT"]), "END:VCALENDAR", ""].join("\n");
}

function schedule(token: string, definition: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { token, Name: `Schedule ${token}`, Description: "", ScheduleDefinition: definition, Attribute: [], ...extra };
}

/** The guide's example schedules ("Example schedules", "Setting a schedule") and the Entry Manager's, with their line breaks. */
const EXAMPLES: Record<string, string> = {
  setExample: ics(["DTSTART:20120312T080000", "DTEND:20120312T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
  office: ics(["SUMMARY:Office Hours", "DTSTART:19700101T090000", "DTEND:19700101T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
  weekends: ics(["DTSTART:19700104T000000", "DTEND:19700105T000000", "RRULE:FREQ=WEEKLY;BYDAY=SA,SU"], ["DTSTART:19700102T170000", "DTEND:19700103T000000", "RRULE:FREQ=WEEKLY;BYDAY=FR"]),
  oneshot: ics(["DTSTART:20120213T100000", "DTEND:20120213T130000"]),
  pulse: ics(["DTSTART:20120213T110000"]),
  birthdays: ics(["SUMMARY:Some birthdays during 2012", "DTEND:20120508T160000", "RDATE;VALUE=DATE:20120508,20120604,20120608,20120810,20121130", "DTSTART:20120508T140000"]),
  christmas: ics(["SUMMARY:December 24", "DTSTART:20001224T000000", "DTEND:20001225T000000", "RRULE:FREQ=YEARLY"]),
  october: ics(["SUMMARY:October 2012", "DTSTART:20121001T120000", "DTEND:20121001T140000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;UNTIL=20121031T225959"]),
  allDay: ics(["DTSTART;VALUE=DATE:20260403"]),
  period: ics(["DTSTART:20260105T090000", "DTEND:20260105T100000", "RDATE;VALUE=PERIOD:20260106T130000/20260106T150000,20260107T080000/PT30M"]),
  exdate: ics(["DTSTART:20260105T090000", "DTEND:20260105T100000", "RRULE:FREQ=DAILY", "EXDATE:20260107T090000", "EXDATE;VALUE=DATE:20260109"]),
  count: ics(["DTSTART:20260105T090000", "DTEND:20260105T100000", "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3"]),
  leapDay: ics(["DTSTART:20240229T000000", "DTEND:20240301T000000", "RRULE:FREQ=YEARLY"]),
  leapDayCounted: ics(["DTSTART:20240229T080000", "DTEND:20240229T090000", "RRULE:FREQ=YEARLY;COUNT=2"]),
  halfYear31: ics(["DTSTART:20260131T080000", "DTEND:20260131T090000", "RRULE:FREQ=YEARLY;BYMONTH=1,6"]),
  monthly31: ics(["DTSTART:20260131T080000", "DTEND:20260131T090000", "RRULE:FREQ=MONTHLY;BYMONTHDAY=31"]),
  fortnight: ics(["DTSTART:20260105T090000", "DTEND:20260105T100000", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"]),
  minutely: ics(["DTSTART:19700101T000000", "DTEND:19700101T000030", "RRULE:FREQ=MINUTELY;INTERVAL=5"]),
  overnight: ics(["DTSTART:20260105T230000", "DTEND:20260106T070000", "RRULE:FREQ=WEEKLY;BYDAY=MO"]),
};

/** [example, local time, active]: just before, at and just after the boundaries. */
const AT_LOCAL_TIME: [string, string, boolean][] = [
  ["setExample", "2012-03-12T07:59:59", false],
  ["setExample", "2012-03-12T08:00:00", true],
  ["setExample", "2012-03-16T16:59:59", true],
  ["setExample", "2012-03-16T17:00:00", false],
  ["setExample", "2012-03-17T12:00:00", false],
  ["office", "2026-01-05T08:59:59", false],
  ["office", "2026-01-05T09:00:00", true],
  ["office", "2026-01-09T16:59:59", true],
  ["office", "2026-01-09T17:00:00", false],
  ["office", "2026-01-10T10:00:00", false],
  ["weekends", "2026-01-09T16:59:59", false],
  ["weekends", "2026-01-09T17:00:00", true],
  ["weekends", "2026-01-10T00:00:00", true],
  ["weekends", "2026-01-11T23:59:59", true],
  ["weekends", "2026-01-12T00:00:00", false],
  ["oneshot", "2012-02-13T09:59:59", false],
  ["oneshot", "2012-02-13T10:00:00", true],
  ["oneshot", "2012-02-13T13:00:00", false],
  ["pulse", "2012-02-13T11:00:00", false],
  ["birthdays", "2012-05-08T14:00:00", true],
  ["birthdays", "2012-06-04T15:59:59", true],
  ["birthdays", "2012-06-04T16:00:00", false],
  ["birthdays", "2012-06-05T14:00:00", false],
  ["birthdays", "2012-11-30T15:00:00", true],
  ["christmas", "2026-12-24T00:00:00", true],
  ["christmas", "2026-12-24T23:59:59", true],
  ["christmas", "2026-12-25T00:00:00", false],
  ["october", "2012-10-31T13:00:00", true],
  ["october", "2012-11-01T13:00:00", false],
  ["allDay", "2026-04-02T23:59:59", false],
  ["allDay", "2026-04-03T00:00:00", true],
  ["allDay", "2026-04-03T23:59:59", true],
  ["allDay", "2026-04-04T00:00:00", false],
  ["period", "2026-01-06T14:59:59", true],
  ["period", "2026-01-06T15:00:00", false],
  ["period", "2026-01-07T08:29:59", true],
  ["period", "2026-01-07T08:30:00", false],
  ["exdate", "2026-01-06T09:30:00", true],
  ["exdate", "2026-01-07T09:30:00", false],
  ["exdate", "2026-01-08T09:30:00", true],
  ["exdate", "2026-01-09T09:30:00", false],
  ["count", "2026-01-09T09:30:00", true],
  ["count", "2026-01-11T09:30:00", false],
  ["leapDay", "2025-02-28T12:00:00", false],
  ["leapDay", "2025-03-01T12:00:00", false],
  ["leapDay", "2028-02-29T12:00:00", true],
  ["leapDayCounted", "2028-02-29T08:30:00", true],
  ["leapDayCounted", "2025-03-01T08:30:00", false],
  ["halfYear31", "2026-07-01T08:30:00", false],
  ["halfYear31", "2027-01-31T08:30:00", true],
  ["monthly31", "2026-02-28T08:30:00", false],
  ["monthly31", "2026-03-31T08:30:00", true],
  ["fortnight", "2026-01-12T09:30:00", false],
  ["fortnight", "2026-01-22T09:30:00", true],
  ["minutely", "2026-01-05T10:05:29", true],
  ["minutely", "2026-01-05T10:05:30", false],
  ["overnight", "2026-01-06T06:59:59", true],
  ["overnight", "2026-01-06T07:00:00", false],
];

const START = "virtual=2026-01-05T08:00:00Z";

describe("Schedule service over VAPIX JSON", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ clock: START, backdoor: true, onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("serves the standard schedules of the guide and its capabilities", async () => {
    const infos = (await ok(device, "axsch:GetScheduleInfoList")).ScheduleInfo as Record<string, unknown>[];
    expect(infos).toEqual([
      { token: "standard_always", Name: "Always", Description: "" },
      { token: "standard_office_hours", Name: "Office hours", Description: "" },
      { token: "standard_weekends", Name: "Weekends", Description: "" },
    ]);
    // 2026-01-05 is a Monday; 08:00 UTC is 08:00 local on a device fresh from the factory (UTC).
    expect(await ok(device, "axsch:ScheduleStatusReport", {})).toEqual({
      Status: [
        { Token: "standard_always", Active: true, Exception: false },
        { Token: "standard_office_hours", Active: false, Exception: false },
        { Token: "standard_weekends", Active: false, Exception: false },
      ],
    });
    expect(await ok(device, "axsch:ScheduleActive", { Token: ["standard_office_hours", "standard_weekends"], LocalTime: "2013-11-01T10:17:17Z", UtcTime: "2013-11-01T10:17:17Z" })).toEqual({ Active: true, Exception: false });
    expect((await ok(device, "axsch:GetServiceCapabilities")).Capabilities).toEqual({
      Component: ["VEVENT"],
      SetSchedule: true,
      GetSchedule: true,
      RemoveSchedule: true,
      ScheduleActive: true,
      EventSupport: true,
      MaxLimit: 100,
    });
  });

  it("stores the iCalendar text as sent, derives ScheduleInfo, and announces changes and removals", async () => {
    const body = { Name: "Name1", Description: "Desc1", ScheduleDefinition: EXAMPLES["setExample"], Attribute: [{ type: "string", Name: "Site", Value: "HQ" }], ExceptionScheduleDefinition: "" };
    const { Token } = await ok(device, "axsch:SetSchedule", { Schedule: [{ token: "", ...body }] });
    const [token] = Token as string[];
    expect(token).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
    expect((await ok(device, "axsch:GetSchedule", { Token: [token] })).Schedule).toEqual([{ token, ...body }]);
    expect((await ok(device, "axsch:GetScheduleInfo", { Token: [token, "unknown"] })).ScheduleInfo).toEqual([{ token, Name: "Name1", Description: "Desc1" }]);
    await ok(device, "axsch:RemoveSchedule", { Token: [token] });
    expect((await ok(device, "axsch:GetSchedule", { Token: [token] })).Schedule).toEqual([]);
    const topics = events.filter((e) => e.source["ScheduleToken"] === token && e.topic.startsWith("tns1:Configuration/")).map((e) => e.topic);
    expect(topics).toEqual(["tns1:Configuration/Schedule/Changed", "tns1:Configuration/Schedule/Removed"]);
  });

  it("takes the guide's JSON SetSchedule example as written (null exceptions, keys in its order)", async () => {
    const raw = `{"axsch:SetSchedule": {"Schedule": [{"ExceptionScheduleDefinition": null, "Attribute": [], "ScheduleDefinition": "BEGIN:VCALENDAR\\nBEGIN:VEVENT\\nDTSTART:20120312T080000\\nDTEND:20120312T170000\\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\\nEND:VEVENT\\nEND:VCALENDAR\\n", "token": "", "Description": "Desc1", "Name": "Name1"}]}}`;
    const r = await post(device, "/vapix/schedule", raw);
    expect(r.status).toBe(200);
    const [token] = (JSON.parse(r.text) as { Token: string[] }).Token;
    const stored = ((await ok(device, "axsch:GetSchedule", { Token: [token] })).Schedule as Record<string, unknown>[])[0]!;
    expect(stored).toEqual({ token, Name: "Name1", Description: "Desc1", ScheduleDefinition: EXAMPLES["setExample"]!.replace("VERSION:2.0\n", ""), Attribute: [] });
    await ok(device, "axsch:RemoveSchedule", { Token: [token] });
  });

  it("lets the standard schedules be replaced and removed like any other", async () => {
    const original = ((await ok(device, "axsch:GetSchedule", { Token: ["standard_weekends"] })).Schedule as Record<string, unknown>[])[0]!;
    await ok(device, "axsch:RemoveSchedule", { Token: ["standard_weekends"] });
    expect((await ok(device, "axsch:GetScheduleInfo", { Token: ["standard_weekends"] })).ScheduleInfo).toEqual([]);
    await ok(device, "axsch:SetSchedule", { Schedule: [original] });
    expect((await ok(device, "axsch:GetSchedule", { Token: ["standard_weekends"] })).Schedule).toEqual([original]);
  });

  it.each(AT_LOCAL_TIME)("%s at local time %s is active=%s", async (name, local, active) => {
    const token = `eval-${name}`;
    await ok(device, "axsch:SetSchedule", { Schedule: [schedule(token, EXAMPLES[name]!)] });
    expect(await ok(device, "axsch:ScheduleActive", { Token: [token], LocalTime: local })).toEqual({ Active: active, Exception: false });
  });

  it("subtracts exceptions, within one schedule and across the schedules asked for", async () => {
    const holiday = ics(["SUMMARY:Good Friday", "DTSTART;VALUE=DATE:20260403"]);
    await ok(device, "axsch:SetSchedule", {
      Schedule: [schedule("exc-office", EXAMPLES["office"]!, { ExceptionScheduleDefinition: holiday }), schedule("exc-holidays", ics(), { ExceptionScheduleDefinition: holiday }), schedule("exc-plain", EXAMPLES["office"]!)],
    });
    const at = async (tokens: string[], LocalTime: string): Promise<Record<string, unknown>> => ok(device, "axsch:ScheduleActive", { Token: tokens, LocalTime });
    expect(await at(["exc-office"], "2026-04-02T10:00:00")).toEqual({ Active: true, Exception: false });
    expect(await at(["exc-office"], "2026-04-03T10:00:00")).toEqual({ Active: false, Exception: true });
    // An exception applies whether or not the schedule itself would be active.
    expect(await at(["exc-office"], "2026-04-03T20:00:00")).toEqual({ Active: false, Exception: true });
    // Guide: IF (any schedule is active) AND NOT (any exception schedule is active).
    expect(await at(["exc-plain", "exc-holidays"], "2026-04-02T10:00:00")).toEqual({ Active: true, Exception: false });
    expect(await at(["exc-plain", "exc-holidays"], "2026-04-03T10:00:00")).toEqual({ Active: false, Exception: true });
    expect(await ok(device, "axsch:ScheduleStatusReport", { Token: ["exc-holidays", "exc-plain", "nope"] })).toEqual({
      Status: [
        { Token: "exc-holidays", Active: false, Exception: false },
        { Token: "exc-plain", Active: false, Exception: false },
      ],
    });
  });

  it("refuses iCalendar that does not parse, naming the line, and stores nothing of the batch", async () => {
    const broken = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260105T090000\nDTEND:2026010\nEND:VEVENT\nEND:VCALENDAR\n";
    const r = await json(device, "axsch:SetSchedule", { Schedule: [schedule("batch-ok", EXAMPLES["office"]!), schedule("batch-bad", broken)] });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidScheduleFault"]);
    expect(String(r.body["FaultReason"])).toContain('Schedule "batch-bad" ScheduleDefinition line 4: DTEND "2026010" is not a DATE-TIME value');
    expect((await ok(device, "axsch:GetSchedule", { Token: ["batch-ok", "batch-bad"] })).Schedule).toEqual([]);
  });

  it.each([
    ["no VCALENDAR", "BEGIN:VEVENT\nDTSTART:20260105T090000\nEND:VEVENT\n", "line 1: expected BEGIN:VCALENDAR"],
    ["unclosed", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260105T090000\nEND:VCALENDAR\n", "line 4: \"END:VCALENDAR\" cannot close VEVENT, opened on line 2"],
    ["no colon", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART 20260105T090000\nEND:VEVENT\nEND:VCALENDAR\n", "line 3: cannot read \"DTSTART 20260105T090000\" (an iCalendar line is NAME[;PARAM=VALUE]:VALUE)"],
    ["no DTSTART", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", "line 2: the VEVENT that starts here has no DTSTART"],
    ["bad day", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260230T090000\nEND:VEVENT\nEND:VCALENDAR\n", "line 3: DTSTART \"20260230T090000\": 2026-02 has no day 30"],
    ["end before start", ics(["DTSTART:20260105T100000", "DTEND:20260105T090000"]), "line 5: DTEND 20260105T090000 is not after DTSTART"],
    ["bad rule", ics(["DTSTART:20260105T100000", "RRULE:FREQ=FORTNIGHTLY"]), "line 5: cannot read \"RRULE:FREQ=FORTNIGHTLY\" (an iCalendar line is NAME[;PARAM=VALUE]:VALUE): invalid frequency"],
    ["COUNT and UNTIL", ics(["DTSTART:20260105T100000", "RRULE:FREQ=DAILY;COUNT=2;UNTIL=20260110T000000"]), "RRULE has both COUNT and UNTIL"],
  ])("refuses %s with InvalidScheduleFault naming the line", async (_what, definition, reason) => {
    const r = await json(device, "axsch:SetSchedule", { Schedule: [schedule("bad", definition)] });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidScheduleFault"]);
    expect(String(r.body["FaultReason"])).toContain(reason);
  });

  it.each([
    ["UTC time", ics(["DTSTART:20260105T090000Z"]), "UTC time is not supported"],
    ["TZID", ics(["DTSTART;TZID=Europe/Stockholm:20260105T090000"]), "time zones (VTIMEZONE, TZID) are not supported"],
    ["VTIMEZONE", "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\nEND:VTIMEZONE\nEND:VCALENDAR\n", "line 2: VTIMEZONE is not supported"],
    ["VALARM", ics(["DTSTART:20260105T090000", "BEGIN:VALARM", "TRIGGER:-PT5M", "END:VALARM"]), "line 5: VALARM is not supported"],
    ["VTODO", "BEGIN:VCALENDAR\nBEGIN:VTODO\nEND:VTODO\nEND:VCALENDAR\n", "VTODO is not supported"],
    ["MONTHLY;BYDAY", ics(["DTSTART:20260105T090000", "RRULE:FREQ=MONTHLY;BYDAY=1MO"]), "RRULE BYDAY with FREQ=MONTHLY is not supported"],
    ["DAILY;BYHOUR", ics(["DTSTART:20260105T090000", "RRULE:FREQ=DAILY;BYHOUR=9,10"]), "RRULE BYHOUR with FREQ=DAILY is not supported"],
    ["WEEKLY;BYDAY=1MO", ics(["DTSTART:20260105T090000", "RRULE:FREQ=WEEKLY;BYDAY=1MO"]), "an n-th weekday is not supported"],
  ])("refuses %s, which the documented subset excludes", async (_what, definition, reason) => {
    const r = await json(device, "axsch:SetSchedule", { Schedule: [schedule("unsupported", definition)] });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidScheduleFault"]);
    expect(String(r.body["FaultReason"])).toContain(reason);
  });

  it("accepts the Entry Manager's empty VCALENDAR, CRLF line ends, folded lines and an empty definition", async () => {
    const never = "BEGIN:VCALENDAR\r\nPRODID:\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    const folded = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260105T0\n 90000\nDTEND:20260105T170000\nEND:VEVENT\nEND:VCALENDAR\n        ";
    await ok(device, "axsch:SetSchedule", { Schedule: [schedule("never", never), schedule("folded", folded), schedule("empty", "")] });
    const active = async (token: string): Promise<unknown> => (await ok(device, "axsch:ScheduleActive", { Token: [token], LocalTime: "2026-01-05T12:00:00" })).Active;
    expect([await active("never"), await active("folded"), await active("empty")]).toEqual([false, true, false]);
  });

  it("gives NotFound for an unknown schedule in ScheduleActive and RemoveSchedule, TooManyItems above MaxLimit", async () => {
    for (const op of ["axsch:ScheduleActive", "axsch:RemoveSchedule"]) {
      const r = await json(device, op, { Token: ["standard_always", "no-such-schedule"] });
      expect([r.status, jsonFaultCodes(r.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    }
    expect((await ok(device, "axsch:GetScheduleInfo", { Token: ["standard_always"] })).ScheduleInfo).toHaveLength(1);
    const many = Array.from({ length: 101 }, (_, i) => `t${i}`);
    for (const op of ["axsch:ScheduleStatusReport", "axsch:GetSchedule", "axsch:GetScheduleInfo"]) {
      const r = await json(device, op, { Token: many });
      expect([op, r.status, jsonFaultCodes(r.body)]).toEqual([op, 400, ["env:Sender", "ter:InvalidArgs", "ter:TooManyItems"]]);
    }
    const bad = await json(device, "axsch:ScheduleActive", { Token: ["standard_always"], LocalTime: "tomorrow" });
    expect([bad.status, jsonFaultCodes(bad.body)[0]]).toEqual([400, "env:Sender"]);
  });

  it("answers every operation with JSON that validates against the generated schema", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const calls: [string, unknown][] = [
      ["axsch:GetServiceCapabilities", {}],
      ["axsch:GetScheduleInfoList", { Limit: 1 }],
      ["axsch:GetScheduleInfo", { Token: ["standard_always"] }],
      ["axsch:GetScheduleList", {}],
      ["axsch:GetSchedule", { Token: ["standard_always"] }],
      ["axsch:SetSchedule", { Schedule: [schedule("schema-check", EXAMPLES["office"]!)] }],
      ["axsch:ScheduleActive", { Token: ["schema-check"] }],
      ["axsch:ScheduleStatusReport", { Token: ["schema-check"] }],
      ["axsch:RemoveSchedule", { Token: ["schema-check"] }],
    ];
    const failures: string[] = [];
    for (const [op, input] of calls) {
      const r = await json(device, op, input);
      const validate = ajv.compile((axschSchemas as Readonly<Record<string, object>>)[`${op.slice("axsch:".length)}Response`]!);
      if (r.status !== 200 || !validate(r.body)) failures.push(`${op}: ${r.status} ${JSON.stringify(validate.errors ?? r.body)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("Schedule service over SOAP", () => {
  it("takes the guide's SetSchedule and ScheduleActive examples", async () => {
    await withDevice({}, async (device) => {
      const set = await soap(
        device,
        `<axsch:SetSchedule xmlns:axsch="${AXSCH}"><axsch:Schedule token=""><axsch:Attribute type="" Name="" Value=""></axsch:Attribute><axsch:Description>Desc1</axsch:Description><axsch:ExceptionScheduleDefinition></axsch:ExceptionScheduleDefinition><axsch:Name>Name1</axsch:Name><axsch:ScheduleDefinition>BEGIN:VCALENDAR
BEGIN:VEVENT
DTSTART:20120312T080000
DTEND:20120312T170000
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
END:VEVENT
END:VCALENDAR
        </axsch:ScheduleDefinition></axsch:Schedule></axsch:SetSchedule>`,
      );
      expect(set.status).toBe(200);
      const token = children(set.el, "Token")[0]!.text;
      const active = await soap(
        device,
        `<axsch:ScheduleActive xmlns:axsch="${AXSCH}"><axsch:LocalTime>2013-11-01T10:17:17Z</axsch:LocalTime><axsch:Token>${token}</axsch:Token><axsch:Token>standard_weekends</axsch:Token><axsch:UtcTime>2013-11-01T10:17:17Z</axsch:UtcTime></axsch:ScheduleActive>`,
      );
      expect([active.status, children(active.el, "Active")[0]!.text, children(active.el, "Exception")[0]!.text]).toEqual([200, "true", "false"]);
      const fault = await soap(device, `<axsch:ScheduleActive xmlns:axsch="${AXSCH}"><axsch:Token>missing</axsch:Token></axsch:ScheduleActive>`);
      expect([fault.status, soapFaultCodes(fault.el)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    });
  });
});

describe("Schedules in the device time zone", () => {
  const office = (device: RunningDevice): Promise<unknown> => ok(device, "axsch:SetSchedule", { Schedule: [schedule("office", EXAMPLES["office"]!)] });

  it("reads UtcTime through the device time zone, daylight saving included", async () => {
    await withDevice({ clock: START, backdoor: true }, async (device) => {
      await office(device);
      const at = async (UtcTime: string): Promise<unknown> => (await ok(device, "axsch:ScheduleActive", { Token: ["office"], UtcTime })).Active;
      // Factory default UTC: local = UTC.
      expect(await at("2026-03-27T08:30:00Z")).toBe(false);
      expect(device.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" })).toEqual({ TimeZone: "Europe/Stockholm" });
      // Friday before the change (CET, UTC+1) and Monday after it (CEST, UTC+2).
      expect(await at("2026-03-27T07:59:59Z")).toBe(false);
      expect(await at("2026-03-27T08:00:00Z")).toBe(true);
      expect(await at("2026-03-30T06:59:59Z")).toBe(false);
      expect(await at("2026-03-30T07:00:00Z")).toBe(true);
      expect(await at("2026-03-30T14:59:59Z")).toBe(true);
      expect(await at("2026-03-30T15:00:00Z")).toBe(false);
      // LocalTime is the wall clock itself, whatever the zone.
      expect((await ok(device, "axsch:ScheduleActive", { Token: ["office"], LocalTime: "2026-03-30T09:00:00", UtcTime: "2026-03-30T07:00:00Z" })).Active).toBe(true);
      expect(() => device.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Mars/Olympus" })).toThrow(/not an IANA time zone/);
      expect(device.snapshot().runtime["Schedule"]).toEqual({ TimeZone: "Europe/Stockholm" });
    });
  });

  it("follows the device clock: ScheduleStatusReport and the Interval events at each boundary, across a DST change", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ clock: "virtual=2026-03-27T06:00:00Z", backdoor: true, onEvent: (e) => events.push(e) }, async (device) => {
      device.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" });
      await office(device);
      const interval = (): string[] => events.filter((e) => e.topic === "tns1:Schedule/tnsaxis:Interval" && e.source["ScheduleToken"] === "office").map((e) => `${e.utcTime} ${String(e.data["Active"])}`);
      const status = async (): Promise<unknown> => ((await ok(device, "axsch:ScheduleStatusReport", { Token: ["office"] })).Status as Record<string, unknown>[])[0]!["Active"];
      expect(await status()).toBe(false);
      device.advanceClock(2 * 3600_000); // Friday 09:00 CET
      expect(await status()).toBe(true);
      device.advanceClock(4 * 86_400_000); // Tuesday after the change
      expect(interval()).toEqual([
        "2026-03-27T08:00:00.000Z true",
        "2026-03-27T16:00:00.000Z false",
        "2026-03-30T07:00:00.000Z true",
        "2026-03-30T15:00:00.000Z false",
        "2026-03-31T07:00:00.000Z true",
      ]);
      // Removing an active schedule announces it inactive (API reference, RemoveSchedule).
      await ok(device, "axsch:RemoveSchedule", { Token: ["office"] });
      expect(interval().at(-1)).toBe("2026-03-31T08:00:00.000Z false");
    });
  });

  it("announces pulses, except during an exception", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ clock: "virtual=2026-01-05T00:00:00Z", backdoor: true, onEvent: (e) => events.push(e) }, async (device) => {
      const pulses = ics(["DTSTART:20260105T060000", "RRULE:FREQ=DAILY;COUNT=4"]);
      await ok(device, "axsch:SetSchedule", { Schedule: [schedule("wake", pulses, { ExceptionScheduleDefinition: ics(["DTSTART;VALUE=DATE:20260106"]) })] });
      device.advanceClock(5 * 86_400_000);
      const seen = events.filter((e) => e.topic === "tns1:Schedule/tnsaxis:Pulse").map((e) => e.utcTime);
      expect(seen).toEqual(["2026-01-05T06:00:00.000Z", "2026-01-07T06:00:00.000Z", "2026-01-08T06:00:00.000Z"]);
      // A pulse takes no time: the schedule is never active.
      expect((await ok(device, "axsch:ScheduleActive", { Token: ["wake"], LocalTime: "2026-01-05T06:00:00" })).Active).toBe(false);
    });
  });
  it("pulses at the guide's mixed RDATE/RRULE example, its RDATE written with a space after the colon", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ clock: "virtual=2012-01-30T00:00:00Z", onEvent: (e) => events.push(e) }, async (device) => {
      const mixed = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20120201T000000\nRRULE:FREQ=WEEKLY;BYDAY=WE,TH,FR\nRDATE;VALUE=DATE-TIME: 20120131T153000,20120201T000000,20120203T153000\nEND:VEVENT\nEND:VCALENDAR\n";
      await ok(device, "axsch:SetSchedule", { Schedule: [schedule("mixed", mixed)] });
      device.advanceClock(9 * 86_400_000);
      expect(events.filter((e) => e.topic === "tns1:Schedule/tnsaxis:Pulse").map((e) => e.utcTime.slice(0, 16))).toEqual([
        "2012-01-31T15:30",
        "2012-02-01T00:00",
        "2012-02-02T00:00",
        "2012-02-03T00:00",
        "2012-02-03T15:30",
        "2012-02-08T00:00",
      ]);
    });
  });
});

describe("the evaluation contract (isScheduleActive, nextScheduleChange)", () => {
  function deviceState(start: string): { state: DeviceState; clock: VirtualClock } {
    const clock = new VirtualClock(Date.parse(start));
    return { state: composedState({ clock }), clock };
  }
  const t = (iso: string): number => Date.parse(iso);
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

  it("answers for the standard schedules and undefined for unknown ones", () => {
    const { state } = deviceState("2026-01-05T08:00:00Z");
    expect(isScheduleActive(state, "standard_always", t("2026-01-05T08:00:00Z"))).toBe(true);
    expect(nextScheduleChange(state, "standard_always", t("2026-01-05T08:00:00Z"))).toBeUndefined();
    expect(isScheduleActive(state, "standard_office_hours", t("2026-01-05T08:59:59Z"))).toBe(false);
    expect(iso(nextScheduleChange(state, "standard_office_hours", t("2026-01-05T08:00:00Z")))).toBe("2026-01-05T09:00:00.000Z");
    expect(iso(nextScheduleChange(state, "standard_office_hours", t("2026-01-05T09:00:00Z")))).toBe("2026-01-05T17:00:00.000Z");
    expect(iso(nextScheduleChange(state, "standard_office_hours", t("2026-01-09T17:00:00Z")))).toBe("2026-01-12T09:00:00.000Z");
    // Friday 17:00 to Monday 00:00 is one run of touching intervals.
    expect(iso(nextScheduleChange(state, "standard_weekends", t("2026-01-09T18:00:00Z")))).toBe("2026-01-12T00:00:00.000Z");
    expect(isScheduleActive(state, "no-such-schedule", 0)).toBeUndefined();
    expect(nextScheduleChange(state, "no-such-schedule", 0)).toBeUndefined();
  });

  it("skips the definition's boundaries while an exception holds, and follows the time zone", () => {
    const { state } = deviceState("2026-01-05T08:00:00Z");
    const office = state.store("Schedule").read("standard_office_hours", "full")!;
    state.store("Schedule").put("holiday-office", { ...office, token: "holiday-office", ExceptionScheduleDefinition: ics(["DTSTART;VALUE=DATE:20260105", "DTEND;VALUE=DATE:20260108"]) });
    expect(iso(nextScheduleChange(state, "holiday-office", t("2026-01-05T08:00:00Z")))).toBe("2026-01-08T09:00:00.000Z");
    state.world.apply({ Stimulus: "SetTimeZone", TimeZone: "America/New_York" }, state);
    expect(iso(nextScheduleChange(state, "holiday-office", t("2026-01-05T08:00:00Z")))).toBe("2026-01-08T14:00:00.000Z");
    expect(isScheduleActive(state, "standard_office_hours", t("2026-01-05T14:00:00Z"))).toBe(true);
  });

  it("evaluates a 1970 weekly schedule in 2026 in well under a millisecond", () => {
    const { state } = deviceState("2026-01-05T08:00:00Z");
    const at = t("2026-01-07T12:00:00Z");
    for (let i = 0; i < 50; i++) isScheduleActive(state, "standard_office_hours", at + i);
    const n = 2000;
    const start = performance.now();
    for (let i = 0; i < n; i++) isScheduleActive(state, "standard_office_hours", at + i * 1000);
    expect((performance.now() - start) / n).toBeLessThan(1);
  });
});

describe("populate", () => {
  it("adds deterministic schedules after the standard ones", async () => {
    await withDevice({ populate: { schedules: 3 } }, async (device) => {
      const infos = ((await ok(device, "axsch:GetScheduleInfoList")).ScheduleInfo as { token: string }[]).map((i) => i.token);
      expect(infos).toEqual(["schedule-0001", "schedule-0002", "schedule-0003", "standard_always", "standard_office_hours", "standard_weekends"]);
      expect(await ok(device, "axsch:ScheduleActive", { Token: ["schedule-0001"], LocalTime: "2026-01-05T07:00:00" })).toEqual({ Active: true, Exception: false });
    });
  });
});

/**
 * One focused test per Schedule quirk: the device breaks exactly the rule the quirk names
 * (test/device/quirks.test.ts holds those of the shared layers).
 */
const QUIRK_CASES: Record<string, (d: RunningDevice) => Promise<void>> = {
  "schedule-end-inclusive": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["oneshot"]!)] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2012-02-13T13:00:00" })).Active).toBe(true);
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2012-02-13T13:00:01" })).Active).toBe(false);
  },
  "schedule-recurrence-ignored": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["birthdays"]!)] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2012-05-08T15:00:00" })).Active).toBe(true);
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2012-06-04T15:00:00" })).Active).toBe(false);
  },
  "schedule-exception-ignored": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["office"]!, { ExceptionScheduleDefinition: EXAMPLES["allDay"] })] });
    expect(await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-04-03T10:00:00" })).toEqual({ Active: true, Exception: false });
  },
  "schedule-aggregate-any-active": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["office"]!), schedule("h", ics(), { ExceptionScheduleDefinition: EXAMPLES["allDay"] })] });
    expect(await ok(d, "axsch:ScheduleActive", { Token: ["q", "h"], LocalTime: "2026-04-03T10:00:00" })).toEqual({ Active: true, Exception: true });
    expect(await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-04-03T10:00:00" })).toEqual({ Active: true, Exception: false });
  },
  "schedule-local-time-ignored": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["office"]!)] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-03-30T09:30:00", UtcTime: "2026-03-30T07:30:00Z" })).Active).toBe(false);
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-03-30T09:30:00" })).Active).toBe(true);
  },
  "schedule-date-not-all-day": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", EXAMPLES["allDay"]!)] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-04-03T10:00:00" })).Active).toBe(false);
  },
  "schedule-unsupported-accepted": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", ics(["DTSTART:20260105T090000Z", "DTEND:20260105T170000Z"]))] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-01-05T10:00:00" })).Active).toBe(true);
    const r = await json(d, "axsch:SetSchedule", { Schedule: [schedule("bad", ics(["DTSTART:20260105T100000", "DTEND:20260105T090000"]))] });
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidScheduleFault"]);
  },
  "schedule-invalid-accepted": async (d) => {
    await ok(d, "axsch:SetSchedule", { Schedule: [schedule("q", ics(["DTSTART:20260105T100000", "DTEND:20260105T090000"]))] });
    expect((await ok(d, "axsch:ScheduleActive", { Token: ["q"], LocalTime: "2026-01-05T09:30:00" })).Active).toBe(false);
    const r = await json(d, "axsch:SetSchedule", { Schedule: [schedule("utc", ics(["DTSTART:20260105T090000Z"]))] });
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidScheduleFault"]);
  },
  "schedule-status-report-constant": async (d) => {
    expect(((await ok(d, "axsch:ScheduleStatusReport", { Token: ["standard_weekends"] })).Status as unknown[])[0]).toEqual({ Token: "standard_weekends", Active: true, Exception: false });
  },
};

describe("Schedule quirks", () => {
  it("has one focused test per Schedule quirk", () => {
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(SCHEDULE_QUIRKS.map((q) => q.name).sort());
  });

  it.each(Object.keys(QUIRK_CASES))("%s", async (name) => {
    await withDevice({ quirks: [name], clock: START }, async (d) => {
      await QUIRK_CASES[name]!(d);
    });
  });
});
