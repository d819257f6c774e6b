/**
 * The event logger (axlog) and its configuration (axloc): unit-level through the device state
 * (logging, filters, paging, capacity, every quirk), then end to end over VAPIX JSON and SOAP.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axlocSchemas } from "../../generated/axloc/schemas.js";
import { schemas as axlogSchemas } from "../../generated/axlog/schemas.js";
import { VirtualClock } from "../../src/device/clock.js";
import type { Item } from "../../src/device/entity.js";
import { ALARM_TOPIC, DROPPED_ALARMS_TOPIC, DROPPED_EVENTS_TOPIC, eventLoggerService } from "../../src/device/event-logger/index.js";
import { OperationFault } from "../../src/device/faults.js";
import type { RequestContext } from "../../src/device/operation.js";
import { QuirkSet } from "../../src/device/quirks.js";
import { normalize } from "../../src/device/shape.js";
import { DeviceState, type DeviceEvent } from "../../src/device/state.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { area, attr, children, json, jsonFaultCodes, ok, post, soap, soapFaultCodes, withDevice } from "./helpers.js";

const UUID = "5581ad80-95b0-11e0-b883-00408c184bdb";
const AXLOG = "http://www.axis.com/vapix/ws/EventLogger";
const AXLOC = "http://www.axis.com/vapix/ws/EventLoggerConfig";
const T0 = Date.parse("2026-01-05T08:00:00Z");
const CTX: RequestContext = { protocol: "json", path: "/vapix/eventlogger", host: "127.0.0.1", signal: new AbortController().signal };
const OPS = eventLoggerService.operations();

interface KV {
  Key: string;
  Value: string;
  Tags: string[];
}
interface Logged {
  token: string;
  rowid: number;
  UUID: string;
  UtcTime: string;
  KeyValues: KV[];
  Tags: string[];
}

/** A device state with only the event logger attached, on a virtual clock at T0, and a door topic declared. */
function makeState(quirks: readonly string[] = []): { state: DeviceState; clock: VirtualClock; published: DeviceEvent[] } {
  const clock = new VirtualClock(T0);
  const published: DeviceEvent[] = [];
  const state = new DeviceState({
    identity: { mac: "00408C184BDB", uuid: UUID },
    maxLimit: 100,
    startReferenceTtlMs: 60_000,
    quirks: new QuirkSet(quirks),
    decls: [],
    clock,
    onEvent: (e) => published.push(e),
  });
  state.topics.register({
    topic: "tns1:Door/State/DoorMode",
    doc: "door mode",
    property: true,
    source: [{ name: "DoorToken", type: "pt:ReferenceToken" }],
    data: [{ name: "State", type: "tdc:DoorMode" }],
  });
  eventLoggerService.attach!(state);
  return { state, clock, published };
}

/** Runs an operation as the dispatcher would: normalise against its request shape, then handle. */
function call(state: DeviceState, name: string, input: Record<string, unknown> = {}): Record<string, any> {
  const op = OPS.find((o) => o.name === name);
  if (op === undefined) throw new Error(`no operation ${name}`);
  return op.handle(normalize(input, op.input, name) as Item, state, CTX) as Record<string, any>;
}

function faultOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof OperationFault) return [err.fault.code, ...err.fault.subcodes];
    throw err;
  }
  throw new Error("expected a fault");
}

function doorMode(state: DeviceState, door: string, mode: string): void {
  state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: door }, data: { State: mode } });
}

function fetchEvents(state: DeviceState, input: Record<string, unknown> = {}, name = "FetchEvents"): { events: Logged[]; more: boolean } {
  const r = call(state, name, input);
  return { events: (r["Event"] ?? r["Alarm"]) as Logged[], more: r["More"] as boolean };
}

const rowids = (events: readonly Logged[]): number[] => events.map((e) => e.rowid);
const value = (e: Logged, key: string): string | undefined => e.KeyValues.find((kv) => kv.Key === key)?.Value;

describe("event logger: what is logged", () => {
  it("stores topic levels, Source and Data items with tags, the device UUID and a fresh token and rowid", () => {
    const { state } = makeState();
    doorMode(state, "door-1", "Locked");
    state.publish({ topic: "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN", source: { IdPointToken: "idp-1" }, data: { PIN: "1234", Valid: true, Count: 3 } });
    const { events, more } = fetchEvents(state);
    expect(more).toBe(false);
    expect(events).toHaveLength(2);
    const [door, pin] = events as [Logged, Logged];
    expect(door).toEqual({
      token: expect.stringMatching(/^Axis-00408c184bdb:\d+\.\d{9}$/),
      rowid: 1,
      UUID,
      UtcTime: new Date(T0).toISOString(),
      KeyValues: [
        { Key: "topic0", Value: "Door", Tags: [] },
        { Key: "topic1", Value: "State", Tags: [] },
        { Key: "topic2", Value: "DoorMode", Tags: [] },
        { Key: "DoorToken", Value: "door-1", Tags: ["wstype:pt:ReferenceToken", "onvif-source"] },
        { Key: "State", Value: "Locked", Tags: ["wstype:tdc:DoorMode", "onvif-data"] },
        // Global distribution is on by default: every event carries the producing device's UUID.
        { Key: "UUID", Value: UUID, Tags: [] },
      ],
      Tags: [],
    });
    // Namespace prefixes are dropped from every level; undeclared items get no wstype tag; values are text.
    expect(pin.rowid).toBe(2);
    expect(pin.token > door.token).toBe(true);
    expect(pin.KeyValues.map((kv) => [kv.Key, kv.Value, kv.Tags.join(" ")])).toEqual([
      ["topic0", "IdPoint", ""],
      ["topic1", "Request", ""],
      ["topic2", "PIN", ""],
      ["IdPointToken", "idp-1", "onvif-source"],
      ["PIN", "1234", "onvif-data"],
      ["Valid", "true", "onvif-data"],
      ["Count", "3", "onvif-data"],
      ["UUID", UUID, ""],
    ]);
  });

  it("adds the UUID key only while global distribution is enabled", () => {
    const { state } = makeState();
    expect(call(state, "GetEventDistributionConfig")).toEqual({ EventDistributionConfig: { GlobalDistributionEnabled: true } });
    expect(call(state, "DisableGlobalDistribution")).toEqual({});
    expect(call(state, "GetEventDistributionConfig")).toEqual({ EventDistributionConfig: { GlobalDistributionEnabled: false } });
    doorMode(state, "door-1", "Locked");
    call(state, "EnableGlobalDistribution");
    doorMode(state, "door-1", "Unlocked");
    const { events } = fetchEvents(state);
    expect(events.map((e) => value(e, "UUID"))).toEqual([undefined, UUID]);
    expect(call(state, "GetServiceCapabilities")).toEqual({ Capabilities: { EnableGlobalEvents: true } });
  });

  it("registers its topics and announces EventLoggerOverload as DroppedEvents/DroppedAlarms", () => {
    const { state, published } = makeState();
    expect(state.topics.get(ALARM_TOPIC)?.source.map((i) => i.name)).toEqual(["AlarmToken"]);
    expect(state.topics.get(DROPPED_EVENTS_TOPIC)?.data).toEqual([{ name: "DroppedEvents", type: "xs:int" }]);
    expect(state.topics.get(DROPPED_ALARMS_TOPIC)?.data).toEqual([{ name: "DroppedAlarms", type: "xs:int" }]);
    expect(state.world.apply({ Stimulus: "EventLoggerOverload", Events: 12, Alarms: 2 }, state)).toEqual({ DroppedEvents: 12, DroppedAlarms: 2 });
    expect(published.map((e) => [e.topic, e.data])).toEqual([
      [DROPPED_EVENTS_TOPIC, { DroppedEvents: 12 }],
      [DROPPED_ALARMS_TOPIC, { DroppedAlarms: 2 }],
    ]);
    state.world.apply({ Stimulus: "EventLoggerOverload", Events: 0, Alarms: 1 }, state);
    expect(published.map((e) => e.topic).slice(2)).toEqual([DROPPED_ALARMS_TOPIC]);
    expect(() => state.world.apply({ Stimulus: "EventLoggerOverload", Events: -1, Alarms: 0 }, state)).toThrow(/Events/);
    expect(() => state.world.apply({ Stimulus: "EventLoggerOverload", Events: 1 }, state)).toThrow(/Alarms/);
    const { events } = fetchEvents(state, { Filters: [{ Key: "topic1", Value: "DroppedEvents" }] });
    expect(events.map((e) => [value(e, "topic0"), value(e, "DroppedEvents")])).toEqual([["EventLogger", "12"]]);
  });
});

describe("event logger: fetching", () => {
  /** Ten door events one second apart: rowid n at T0 + (n-1) s, doors alternating a/b, modes Locked/Unlocked/Locked… */
  function tenEvents(quirks: readonly string[] = []): DeviceState {
    const { state, clock } = makeState(quirks);
    for (let i = 0; i < 10; i++) {
      doorMode(state, i % 2 === 0 ? "door-a" : "door-b", i % 3 === 0 ? "Locked" : "Unlocked");
      clock.advance(1000);
    }
    return state;
  }
  const at = (s: number): string => new Date(T0 + s * 1000).toISOString().replace(".000Z", "Z");

  it("pages with Limit, More and RowID, ascending and descending", () => {
    const state = tenEvents();
    const first = fetchEvents(state, { Limit: 4 });
    expect([rowids(first.events), first.more]).toEqual([[1, 2, 3, 4], true]);
    const second = fetchEvents(state, { Limit: 4, RowID: 4 });
    expect([rowids(second.events), second.more]).toEqual([[5, 6, 7, 8], true]);
    const last = fetchEvents(state, { Limit: 4, RowID: 8 });
    expect([rowids(last.events), last.more]).toEqual([[9, 10], false]);
    const exact = fetchEvents(state, { Limit: 2, RowID: 8 });
    expect([rowids(exact.events), exact.more]).toEqual([[9, 10], false]);

    const newest = fetchEvents(state, { Limit: 3, Descending: true });
    expect([rowids(newest.events), newest.more]).toEqual([[10, 9, 8], true]);
    const older = fetchEvents(state, { Limit: 3, Descending: true, RowID: 8 });
    expect(rowids(older.events)).toEqual([7, 6, 5]);
    expect(rowids(fetchEvents(state, { Descending: true, RowID: 3 }).events)).toEqual([2, 1]);
    expect(rowids(fetchEvents(state, { RowID: 10 }).events)).toEqual([]);
    expect(fetchEvents(state, { Limit: 0 })).toEqual({ events: [], more: true });
  });

  it("bounds the time window by Start and Stop (inclusive, zone optional) and faults on unreadable times", () => {
    const state = tenEvents();
    expect(rowids(fetchEvents(state, { Start: at(3), Stop: at(5) }).events)).toEqual([4, 5, 6]);
    // The guide's examples leave out the zone: read as UTC.
    expect(rowids(fetchEvents(state, { Start: at(8).replace("Z", "") }).events)).toEqual([9, 10]);
    expect(rowids(fetchEvents(state, { Stop: at(1) }).events)).toEqual([1, 2]);
    expect(rowids(fetchEvents(state, { Start: "2026-01-05T09:00:00+01:00", Stop: "2026-01-05T09:00:01+01:00" }).events)).toEqual([1, 2]);
    expect(rowids(fetchEvents(state, { Start: at(5), Stop: at(4) }).events)).toEqual([]);
    expect(faultOf(() => call(state, "FetchEvents", { Start: "yesterday" }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartTime"]);
    expect(faultOf(() => call(state, "FetchEvents", { Stop: "2026-02-30T00:00:00Z" }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidStopTime"]);
    expect(faultOf(() => call(state, "FetchAlarms", { Start: "2026-13-01T00:00:00" }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartTime"]);
  });

  it("ANDs Filters (a pair without Value only needs the key) and ORs FilterSets", () => {
    const state = tenEvents();
    const locked = { Key: "State", Value: "Locked" };
    expect(rowids(fetchEvents(state, { Filters: [locked] }).events)).toEqual([1, 4, 7, 10]);
    expect(rowids(fetchEvents(state, { Filters: [locked, { Key: "DoorToken", Value: "door-a" }] }).events)).toEqual([1, 7]);
    expect(rowids(fetchEvents(state, { Filters: [{ Key: "topic2", Value: "DoorMode" }, { Key: "DoorToken" }] }).events)).toHaveLength(10);
    expect(rowids(fetchEvents(state, { Filters: [{ Key: "DoorToken", Value: "" }, { Key: "Missing" }] }).events)).toEqual([]);
    const sets = { FilterSets: [{ Filters: [locked, { Key: "DoorToken", Value: "door-b" }] }, { Filters: [{ Key: "DoorToken", Value: "door-a" }, { Key: "State", Value: "Unlocked" }] }] };
    expect(rowids(fetchEvents(state, sets, "FetchEvents2").events)).toEqual([3, 4, 5, 9, 10]);
    expect(rowids(fetchEvents(state, sets, "FetchEvents3").events)).toEqual([3, 4, 5, 9, 10]);
    // Filters and FilterSets together: both must hold.
    expect(rowids(fetchEvents(state, { ...sets, Filters: [locked] }, "FetchEvents2").events)).toEqual([4, 10]);
    // Filters narrow before Limit and More count.
    const page = fetchEvents(state, { Filters: [locked], Limit: 2 });
    expect([rowids(page.events), page.more]).toEqual([[1, 4], true]);
    expect(rowids(fetchEvents(state, { Filters: [locked], Limit: 2, RowID: 4 }).events)).toEqual([7, 10]);
  });

  it("returns at most 1000 events per call (also the default Limit)", () => {
    const { state } = makeState();
    for (let i = 0; i < 1005; i++) doorMode(state, "door-1", "Locked");
    const byDefault = fetchEvents(state);
    expect([byDefault.events.length, byDefault.more]).toEqual([1000, true]);
    const big = fetchEvents(state, { Limit: 5000 });
    expect([big.events.length, big.more]).toEqual([1000, true]);
    expect(fetchEvents(state, { RowID: 1000, Limit: 5000 }).events.length).toBe(5);
  });

  it("keeps the newest 30,000 events (rowids never reused) and reads them all in 30 pages of 1000", () => {
    const { state } = makeState();
    for (let i = 0; i < 30_010; i++) doorMode(state, `door-${i % 7}`, "Locked");
    const seen: number[] = [];
    let rowId: number | undefined;
    let more = true;
    let calls = 0;
    while (more) {
      const page = fetchEvents(state, { Limit: 1000, ...(rowId === undefined ? {} : { RowID: rowId }) });
      calls++;
      for (const e of page.events) seen.push(e.rowid);
      rowId = page.events.at(-1)?.rowid;
      more = page.more;
    }
    expect(calls).toBe(30);
    expect(seen).toHaveLength(30_000);
    expect([seen[0], seen.at(-1)]).toEqual([11, 30_010]);
    expect(seen.every((r, i) => i === 0 || r === seen[i - 1]! + 1)).toBe(true);
    // A continuation RowID that has already left the log starts at the oldest row still held.
    expect(rowids(fetchEvents(state, { RowID: 3, Limit: 2 }).events)).toEqual([11, 12]);
    doorMode(state, "door-x", "Locked");
    expect(rowids(fetchEvents(state, { Descending: true, Limit: 1 }).events)).toEqual([30_011]);
    expect(rowids(fetchEvents(state, { Limit: 1 }).events)).toEqual([12]);
  });
});

describe("event logger: ignore and alarm filters", () => {
  it("ignores events matching every pair of an ignore filter that applies to this device", () => {
    const { state } = makeState();
    const [mine, other, keyOnly] = call(state, "SetIgnoreFilter", {
      Filter: [
        { KeyValues: [{ Key: "DoorToken", Value: "door-quiet" }], UUIDs: [UUID] },
        { KeyValues: [{ Key: "DoorToken", Value: "door-1" }], UUIDs: ["some-other-controller"] },
        { KeyValues: [{ Key: "topic2", Value: "DoorMode" }, { Key: "Noise" }] },
      ],
    }).Token as string[];
    expect(mine).toMatch(/^Axis-00408c184bdb:/);
    doorMode(state, "door-quiet", "Locked");
    doorMode(state, "door-1", "Locked");
    state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "door-2" }, data: { State: "Locked", Noise: "" } });
    expect(fetchEvents(state).events.map((e) => value(e, "DoorToken"))).toEqual(["door-1"]);
    expect(call(state, "GetIgnoreFilterList").Filter).toEqual([
      { token: mine, KeyValues: [{ Key: "DoorToken", Value: "door-quiet" }], UUIDs: [UUID] },
      { token: other, KeyValues: [{ Key: "DoorToken", Value: "door-1" }], UUIDs: ["some-other-controller"] },
      { token: keyOnly, KeyValues: [{ Key: "topic2", Value: "DoorMode" }, { Key: "Noise" }], UUIDs: [] },
    ]);
    call(state, "RemoveIgnoreFilter", { Token: [mine] });
    doorMode(state, "door-quiet", "Unlocked");
    expect(fetchEvents(state).events.map((e) => value(e, "DoorToken"))).toEqual(["door-1", "door-quiet"]);
  });

  it("elevates matching events to alarms (overriding ignore filters) and announces each once it is logged", () => {
    const { state, published } = makeState();
    const [filter] = call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "State", Value: "Forced" }] }] }).Token as string[];
    call(state, "SetIgnoreFilter", { Filter: [{ KeyValues: [{ Key: "topic0", Value: "Door" }] }] });
    doorMode(state, "door-1", "Locked");
    doorMode(state, "door-1", "Forced");
    // The Alarm follows the elevated event: listeners and the embedding hook see the event first.
    expect(published.map((e) => e.topic)).toEqual(["tns1:Door/State/DoorMode", "tns1:Door/State/DoorMode", ALARM_TOPIC]);
    const alarmEvent = published[2]!;
    expect(alarmEvent.topic).toBe(ALARM_TOPIC);

    const { events } = fetchEvents(state);
    // The Locked event was ignored; the Forced one was logged despite the ignore filter, then the Alarm event.
    expect(events.map((e) => [value(e, "topic1"), value(e, "State") ?? value(e, "Topic")])).toEqual([
      ["State", "Forced"],
      ["Alarm", "tns1:Door/State/DoorMode"],
    ]);
    const alarms = fetchEvents(state, {}, "FetchAlarms").events;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toEqual({ ...events[0], rowid: 1 });
    expect(alarmEvent.source).toEqual({ AlarmToken: alarms[0]!.token });
    expect(alarmEvent.data).toEqual({ Topic: "tns1:Door/State/DoorMode", FilterToken: filter });

    // The Alarm event matches a filter on its own topic but is never elevated (no cycle).
    call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "topic0", Value: "EventLogger" }] }] });
    doorMode(state, "door-1", "Forced");
    expect(fetchEvents(state, {}, "FetchAlarms2").events.map((a) => value(a, "topic1"))).toEqual(["State", "State"]);
    expect(published.filter((e) => e.topic === ALARM_TOPIC)).toHaveLength(2);
  });

  it("keeps the newest 200 alarms and removes acknowledged ones, all or nothing", () => {
    const { state } = makeState();
    call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "DoorToken" }] }] });
    for (let i = 0; i < 205; i++) doorMode(state, `door-${i}`, "Locked");
    const all = fetchEvents(state, {}, "FetchAlarms").events;
    expect(all).toHaveLength(200);
    expect([value(all[0]!, "DoorToken"), all[0]!.rowid, all.at(-1)!.rowid]).toEqual(["door-5", 6, 205]);
    expect(rowids(fetchEvents(state, { Descending: true, Limit: 2, RowID: 100 }, "FetchAlarms").events)).toEqual([99, 98]);
    expect(rowids(fetchEvents(state, { Limit: 2, RowID: 100 }, "FetchAlarms").events)).toEqual([101, 102]);
    const [a, b] = [all[0]!.token, all[1]!.token];
    expect(faultOf(() => call(state, "RemoveLoggedAlarm", { Token: [a, "no-such-alarm"] }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(fetchEvents(state, {}, "FetchAlarms").events).toHaveLength(200);
    expect(call(state, "RemoveLoggedAlarm", { Token: [a, b] })).toEqual({});
    const left = fetchEvents(state, {}, "FetchAlarms").events;
    expect([left.length, left[0]!.rowid]).toEqual([198, 8]);
    // Acknowledged alarms stay in the event log.
    expect(fetchEvents(state, { Filters: [{ Key: "DoorToken", Value: "door-5" }] }).events).toHaveLength(1);
  });

  it("validates filters, updates by token and removes all or nothing; the snapshot holds filters, not events", () => {
    const { state } = makeState();
    expect(faultOf(() => call(state, "SetIgnoreFilter", { Filter: [{ KeyValues: [{ Key: "a", Value: "1" }] }, { KeyValues: [], UUIDs: ["x"] }] }))).toEqual(["env:Sender", "ter:InvalidArgVal"]);
    expect(faultOf(() => call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "", Value: "1" }] }] }))).toEqual(["env:Sender", "ter:InvalidArgVal"]);
    expect(faultOf(() => call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Value: "1" }] }] }))).toEqual(["env:Sender", "ter:InvalidArgVal"]);
    expect(call(state, "GetIgnoreFilterList")).toEqual({ Filter: [] });
    expect(call(state, "GetAlarmFilterList")).toEqual({ Filter: [] });

    // The guide's SOAP example names its own token.
    expect(call(state, "SetIgnoreFilter", { Filter: [{ token: "mytoken", KeyValues: [{ Key: "a", Value: "1" }], UUIDs: ["abc"] }] })).toEqual({ Token: ["mytoken"] });
    expect(call(state, "SetIgnoreFilter", { Filter: [{ token: "mytoken", KeyValues: [{ Key: "b" }] }] })).toEqual({ Token: ["mytoken"] });
    expect(call(state, "GetIgnoreFilterList")).toEqual({ Filter: [{ token: "mytoken", KeyValues: [{ Key: "b" }], UUIDs: [] }] });
    const [alarmToken] = call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "a", Value: "1" }] }] }).Token as string[];

    expect(faultOf(() => call(state, "RemoveIgnoreFilter", { Token: ["mytoken", "ghost"] }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(faultOf(() => call(state, "RemoveAlarmFilter", { Token: ["ghost"] }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(call(state, "GetIgnoreFilterList").Filter).toHaveLength(1);

    doorMode(state, "door-1", "Locked");
    call(state, "DisableGlobalDistribution");
    expect(eventLoggerService.snapshot!(state)).toEqual({
      GlobalDistributionEnabled: false,
      IgnoreFilters: [{ token: "mytoken", KeyValues: [{ Key: "b" }], UUIDs: [] }],
      AlarmFilters: [{ token: alarmToken, KeyValues: [{ Key: "a", Value: "1" }], UUIDs: [] }],
    });
    call(state, "RemoveIgnoreFilter", { Token: ["mytoken"] });
    call(state, "RemoveAlarmFilter", { Token: [alarmToken!] });
    expect(eventLoggerService.snapshot!(state)).toEqual({ GlobalDistributionEnabled: false, IgnoreFilters: [], AlarmFilters: [] });
  });
});

describe("event logger quirks", () => {
  function doors(quirks: readonly string[], n = 6): DeviceState {
    const { state } = makeState(quirks);
    for (let i = 0; i < n; i++) doorMode(state, i % 2 === 0 ? "door-a" : "door-b", i < 3 ? "Locked" : "Unlocked");
    return state;
  }

  it("eventlog-rowid-repeats returns the RowID row again", () => {
    expect(rowids(fetchEvents(doors([]), { RowID: 2, Limit: 2 }).events)).toEqual([3, 4]);
    expect(rowids(fetchEvents(doors(["eventlog-rowid-repeats"]), { RowID: 2, Limit: 2 }).events)).toEqual([2, 3]);
    expect(rowids(fetchEvents(doors(["eventlog-rowid-repeats"]), { RowID: 4, Descending: true }).events)).toEqual([4, 3, 2, 1]);
  });

  it("eventlog-limit-ignored, eventlog-more-wrong and eventlog-descending-ignored break paging", () => {
    expect(fetchEvents(doors(["eventlog-limit-ignored"]), { Limit: 2 }).events).toHaveLength(6);
    expect(fetchEvents(doors([]), { Limit: 2 }).more).toBe(true);
    expect(fetchEvents(doors(["eventlog-more-wrong"]), { Limit: 2 }).more).toBe(false);
    expect(rowids(fetchEvents(doors([]), { Descending: true, Limit: 2 }).events)).toEqual([6, 5]);
    expect(rowids(fetchEvents(doors(["eventlog-descending-ignored"]), { Descending: true, Limit: 2 }).events)).toEqual([1, 2]);
  });

  it("eventlog-stop-ignored drops the upper bound of the window", () => {
    const run = (quirks: string[]): number[] => {
      const { state, clock } = makeState(quirks);
      doorMode(state, "door-a", "Locked");
      clock.advance(60_000);
      doorMode(state, "door-a", "Unlocked");
      return rowids(fetchEvents(state, { Stop: new Date(T0 + 1000).toISOString() }).events);
    };
    expect(run([])).toEqual([1]);
    expect(run(["eventlog-stop-ignored"])).toEqual([1, 2]);
  });

  it("eventlog-filters-or and eventlog-filtersets-first-only break filtering", () => {
    const filters = { Filters: [{ Key: "DoorToken", Value: "door-a" }, { Key: "State", Value: "Locked" }] };
    expect(rowids(fetchEvents(doors([]), filters).events)).toEqual([1, 3]);
    expect(rowids(fetchEvents(doors(["eventlog-filters-or"]), filters).events)).toEqual([1, 2, 3, 5]);
    const sets = { FilterSets: [{ Filters: [{ Key: "DoorToken", Value: "door-a" }] }, { Filters: [{ Key: "State", Value: "Unlocked" }] }] };
    expect(rowids(fetchEvents(doors([]), sets, "FetchEvents2").events)).toEqual([1, 3, 4, 5, 6]);
    expect(rowids(fetchEvents(doors(["eventlog-filtersets-first-only"]), sets, "FetchEvents2").events)).toEqual([1, 3, 5]);
  });

  it("eventlog-ignore-filter-unapplied and eventlog-alarm-filter-unapplied store filters that do nothing", () => {
    const withIgnore = (quirks: string[]): number => {
      const { state } = makeState(quirks);
      call(state, "SetIgnoreFilter", { Filter: [{ KeyValues: [{ Key: "topic0", Value: "Door" }] }] });
      doorMode(state, "door-a", "Locked");
      expect(call(state, "GetIgnoreFilterList").Filter).toHaveLength(1);
      return fetchEvents(state).events.length;
    };
    expect(withIgnore([])).toBe(0);
    expect(withIgnore(["eventlog-ignore-filter-unapplied"])).toBe(1);

    const withAlarm = (quirks: string[]): [number, number] => {
      const { state, published } = makeState(quirks);
      call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "topic0", Value: "Door" }] }] });
      doorMode(state, "door-a", "Locked");
      return [fetchEvents(state, {}, "FetchAlarms").events.length, published.filter((e) => e.topic === ALARM_TOPIC).length];
    };
    expect(withAlarm([])).toEqual([1, 1]);
    expect(withAlarm(["eventlog-alarm-filter-unapplied"])).toEqual([0, 0]);
  });

  it("eventlog-alarm-not-removed keeps acknowledged alarms; eventlog-remove-unknown-ok accepts unknown tokens", () => {
    const run = (quirks: string[]): { state: DeviceState; token: string } => {
      const { state } = makeState(quirks);
      call(state, "SetAlarmFilter", { Filter: [{ token: "doors", KeyValues: [{ Key: "topic0", Value: "Door" }] }] });
      doorMode(state, "door-a", "Locked");
      return { state, token: fetchEvents(state, {}, "FetchAlarms").events[0]!.token };
    };
    const plain = run([]);
    call(plain.state, "RemoveLoggedAlarm", { Token: [plain.token] });
    expect(fetchEvents(plain.state, {}, "FetchAlarms").events).toHaveLength(0);
    const stays = run(["eventlog-alarm-not-removed"]);
    expect(call(stays.state, "RemoveLoggedAlarm", { Token: [stays.token] })).toEqual({});
    expect(fetchEvents(stays.state, {}, "FetchAlarms").events).toHaveLength(1);

    const lenient = run(["eventlog-remove-unknown-ok"]);
    expect(call(lenient.state, "RemoveLoggedAlarm", { Token: ["ghost", lenient.token] })).toEqual({});
    expect(fetchEvents(lenient.state, {}, "FetchAlarms").events).toHaveLength(0);
    expect(call(lenient.state, "RemoveIgnoreFilter", { Token: ["ghost"] })).toEqual({});
    expect(call(lenient.state, "RemoveAlarmFilter", { Token: ["ghost", "doors"] })).toEqual({});
    expect(call(lenient.state, "GetAlarmFilterList")).toEqual({ Filter: [] });
    expect(faultOf(() => call(plain.state, "RemoveAlarmFilter", { Token: ["ghost", "doors"] }))).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
  });

  it("eventlog-missing-source-keys logs Data items only", () => {
    const keys = (quirks: string[]): string[] => {
      const { state } = makeState(quirks);
      doorMode(state, "door-a", "Locked");
      return fetchEvents(state).events[0]!.KeyValues.map((kv) => kv.Key);
    };
    expect(keys([])).toEqual(["topic0", "topic1", "topic2", "DoorToken", "State", "UUID"]);
    expect(keys(["eventlog-missing-source-keys"])).toEqual(["topic0", "topic1", "topic2", "State", "UUID"]);
  });

  it("eventlog-filter-not-listed hides the newest filter, which still applies", () => {
    const { state } = makeState(["eventlog-filter-not-listed"]);
    const [first, second] = call(state, "SetIgnoreFilter", { Filter: [{ KeyValues: [{ Key: "DoorToken", Value: "door-a" }] }, { KeyValues: [{ Key: "DoorToken", Value: "door-b" }] }] }).Token as string[];
    expect((call(state, "GetIgnoreFilterList").Filter as { token: string }[]).map((f) => f.token)).toEqual([first]);
    doorMode(state, "door-b", "Locked");
    expect(fetchEvents(state).events).toEqual([]);
    call(state, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "x" }] }] });
    expect(call(state, "GetAlarmFilterList")).toEqual({ Filter: [] });
    expect(second).toBeDefined();
    const { state: plain } = makeState();
    call(plain, "SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "x" }] }] });
    expect(call(plain, "GetAlarmFilterList").Filter).toHaveLength(1);
  });

  it("eventlog-distribution-not-toggled answers OK but changes nothing", () => {
    const { state } = makeState(["eventlog-distribution-not-toggled"]);
    expect(call(state, "DisableGlobalDistribution")).toEqual({});
    expect(call(state, "GetEventDistributionConfig")).toEqual({ EventDistributionConfig: { GlobalDistributionEnabled: true } });
    doorMode(state, "door-a", "Locked");
    expect(value(fetchEvents(state).events[0]!, "UUID")).toBe(UUID);
  });
});

describe("event logger over VAPIX JSON (/vapix/eventlogger)", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("logs what other services publish, as the event service announces it", async () => {
    const before = events.length;
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-log-1")] });
    const changed = events.slice(before).find((e) => e.topic === "tns1:Configuration/Area/Changed")!;
    const body = await ok(device, "axlog:FetchEvents", { Filters: [{ Key: "topic1", Value: "Area" }, { Key: "AreaToken", Value: "area-log-1" }] });
    expect(body.More).toBe(false);
    expect(body.Event).toEqual([
      {
        rowid: expect.any(Number),
        UUID,
        UtcTime: changed.utcTime,
        KeyValues: [
          { Key: "topic0", Value: "Configuration", Tags: [] },
          { Key: "topic1", Value: "Area", Tags: [] },
          { Key: "topic2", Value: "Changed", Tags: [] },
          { Key: "AreaToken", Value: "area-log-1", Tags: ["wstype:pt:ReferenceToken", "onvif-source"] },
          { Key: "UUID", Value: UUID, Tags: [] },
        ],
        Tags: [],
        token: expect.stringMatching(/^Axis-00408c184bdb:/),
      },
    ]);
    // The factory defaults' own Configuration events are in the log from the start.
    expect(((await ok(device, "axlog:FetchEvents", { Limit: 1 })).Event as Logged[])[0]!.rowid).toBe(1);
  });

  it("accepts the bare operation name at /vapix/eventlogger (FetchEvents3)", async () => {
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-log-2")] });
    const r = await post(device, "/vapix/eventlogger", JSON.stringify({ FetchEvents3: { Descending: true, FilterSets: [{ Filters: [{ Key: "AreaToken", Value: "area-log-2" }] }] } }));
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { Event: Logged[]; More: boolean };
    expect(body.Event.map((e) => value(e, "AreaToken"))).toEqual(["area-log-2"]);
  });

  it("manages filters and alarms and answers the documented faults", async () => {
    const { Token: [alarmFilter] } = await ok(device, "axloc:SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "AreaToken", Value: "area-alarm" }] }] });
    await ok(device, "axloc:SetIgnoreFilter", { Filter: [{ token: "quiet-areas", KeyValues: [{ Key: "AreaToken", Value: "area-quiet" }], UUIDs: [UUID] }] });
    expect(await ok(device, "axloc:GetIgnoreFilterList")).toEqual({ Filter: [{ token: "quiet-areas", KeyValues: [{ Key: "AreaToken", Value: "area-quiet" }], UUIDs: [UUID] }] });
    expect((await ok(device, "axloc:GetAlarmFilterList")).Filter).toEqual([{ token: alarmFilter, KeyValues: [{ Key: "AreaToken", Value: "area-alarm" }], UUIDs: [] }]);
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-alarm"), area("area-quiet")] });
    const alarms = (await ok(device, "axlog:FetchAlarms")).Alarm as Logged[];
    expect(alarms.map((a) => value(a, "AreaToken"))).toEqual(["area-alarm"]);
    expect((await ok(device, "axlog:FetchEvents", { Filters: [{ Key: "AreaToken", Value: "area-quiet" }] })).Event).toEqual([]);
    const announced = (await ok(device, "axlog:FetchEvents", { Filters: [{ Key: "topic1", Value: "Alarm" }, { Key: "AlarmToken", Value: alarms[0]!.token }] })).Event as Logged[];
    expect(announced.map((e) => value(e, "FilterToken"))).toEqual([alarmFilter]);
    expect(events.some((e) => e.topic === ALARM_TOPIC && e.source["AlarmToken"] === alarms[0]!.token)).toBe(true);

    const unknown = await json(device, "axlog:RemoveLoggedAlarm", { Token: ["ghost"] });
    expect([unknown.status, jsonFaultCodes(unknown.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    expect(await ok(device, "axlog:RemoveLoggedAlarm", { Token: [alarms[0]!.token] })).toEqual({});
    expect((await ok(device, "axlog:FetchAlarms")).Alarm ?? []).toEqual([]);
    const badStart = await json(device, "axlog:FetchEvents", { Start: "not a time" });
    expect([badStart.status, jsonFaultCodes(badStart.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartTime"]]);
    const badFilter = await json(device, "axloc:SetIgnoreFilter", { Filter: [{ KeyValues: [] }] });
    expect([badFilter.status, jsonFaultCodes(badFilter.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal"]]);
    await ok(device, "axloc:RemoveIgnoreFilter", { Token: ["quiet-areas"] });
    await ok(device, "axloc:RemoveAlarmFilter", { Token: [alarmFilter] });
    expect(device.snapshot().runtime["EventLogger"]).toEqual({ AlarmFilters: [], GlobalDistributionEnabled: true, IgnoreFilters: [] });
  });

  it("reads a full log of 30,000 events in 30 calls of Limit 1000", async () => {
    // Each stimulus logs two events (DroppedEvents, DroppedAlarms); the log keeps the newest 30,000.
    for (let i = 0; i < 15_000; i++) device.stimulate({ Stimulus: "EventLoggerOverload", Events: 1, Alarms: 1 });
    const seen = new Set<number>();
    let rowId: number | undefined;
    let more = true;
    let calls = 0;
    while (more) {
      const body = await ok(device, "axlog:FetchEvents", { Limit: 1000, ...(rowId === undefined ? {} : { RowID: rowId }) });
      const page = body.Event as Logged[];
      calls++;
      for (const e of page) seen.add(e.rowid);
      rowId = page.at(-1)?.rowid;
      more = body.More as boolean;
      if (calls > 40) throw new Error("the walk did not end");
    }
    expect([calls, seen.size]).toEqual([30, 30_000]);
  });

  it("answers every operation with JSON that validates against the generated schemas", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    await ok(device, "axloc:SetAlarmFilter", { Filter: [{ token: "schema-alarm", KeyValues: [{ Key: "AreaToken", Value: "area-schema" }] }] });
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-schema")] });
    const alarm = ((await ok(device, "axlog:FetchAlarms")).Alarm as Logged[])[0]!.token;
    const calls: [string, unknown, Record<string, object>][] = [
      ["axlog:FetchEvents", { Limit: 3 }, axlogSchemas],
      ["axlog:FetchEvents2", { Limit: 3, FilterSets: [{ Filters: [{ Key: "topic0" }] }] }, axlogSchemas],
      ["axlog:FetchEvents3", { Limit: 3, Descending: true }, axlogSchemas],
      ["axlog:FetchAlarms", {}, axlogSchemas],
      ["axlog:FetchAlarms2", { FilterSets: [] }, axlogSchemas],
      ["axlog:RemoveLoggedAlarm", { Token: [alarm] }, axlogSchemas],
      ["axloc:SetIgnoreFilter", { Filter: [{ token: "schema-ignore", KeyValues: [{ Key: "b" }] }] }, axlocSchemas],
      ["axloc:GetIgnoreFilterList", {}, axlocSchemas],
      ["axloc:RemoveIgnoreFilter", { Token: ["schema-ignore"] }, axlocSchemas],
      ["axloc:GetAlarmFilterList", {}, axlocSchemas],
      ["axloc:RemoveAlarmFilter", { Token: ["schema-alarm"] }, axlocSchemas],
      ["axloc:GetServiceCapabilities", {}, axlocSchemas],
      ["axloc:DisableGlobalDistribution", {}, axlocSchemas],
      ["axloc:EnableGlobalDistribution", {}, axlocSchemas],
      ["axloc:GetEventDistributionConfig", {}, axlocSchemas],
    ];
    const failures: string[] = [];
    for (const [op, input, schemas] of calls) {
      const r = await json(device, op, input);
      const validate = ajv.compile(schemas[`${op.slice(op.indexOf(":") + 1)}Response`]!);
      if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("event logger over SOAP", () => {
  it("takes the guide's SetIgnoreFilter and answers FetchEvents with token attributes and typed elements", async () => {
    await withDevice({}, async (device) => {
      const set = await soap(
        device,
        `<axloc:SetIgnoreFilter xmlns:axloc="${AXLOC}"><axloc:Filter token="mytoken"><axloc:KeyValues><axloc:Key>b</axloc:Key><axloc:Value /></axloc:KeyValues></axloc:Filter></axloc:SetIgnoreFilter>`,
      );
      expect([set.status, set.el.local, children(set.el, "Token").map((t) => t.text)]).toEqual([200, "SetIgnoreFilterResponse", ["mytoken"]]);
      const list = await soap(device, `<axloc:GetIgnoreFilterList xmlns:axloc="${AXLOC}"/>`);
      const filter = children(list.el, "Filter")[0]!;
      expect([attr(filter, "token"), children(filter, "KeyValues")[0]!.children.map((c) => `${c.local}=${c.text}`)]).toEqual(["mytoken", ["Key=b", "Value="]]);

      await ok(device, "pacsaxis:SetArea", { Area: [area("area-soap")] });
      const fetched = await soap(
        device,
        `<axlog:FetchEvents xmlns:axlog="${AXLOG}"><axlog:Filters><axlog:Key>AreaToken</axlog:Key><axlog:Value>area-soap</axlog:Value></axlog:Filters><axlog:Limit>5</axlog:Limit></axlog:FetchEvents>`,
      );
      expect([fetched.status, fetched.el.ns, fetched.el.local]).toEqual([200, AXLOG, "FetchEventsResponse"]);
      const [event] = children(fetched.el, "Event");
      expect(attr(event!, "token")).toMatch(/^Axis-00408c184bdb:/);
      expect(event!.children.map((c) => c.local).slice(0, 4)).toEqual(["rowid", "UUID", "UtcTime", "KeyValues"]);
      const source = children(event!, "KeyValues").find((kv) => children(kv, "Key")[0]!.text === "AreaToken")!;
      expect(children(source, "Tags").map((t) => t.text)).toEqual(["wstype:pt:ReferenceToken", "onvif-source"]);
      expect(children(fetched.el, "More")[0]!.text).toBe("false");

      const badStop = await soap(device, `<axlog:FetchAlarms xmlns:axlog="${AXLOG}"><axlog:Stop>soon</axlog:Stop></axlog:FetchAlarms>`);
      expect([badStop.status, soapFaultCodes(badStop.el)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:InvalidStopTime"]]);
      const unknown = await soap(device, `<axloc:RemoveAlarmFilter xmlns:axloc="${AXLOC}"><axloc:Token>ghost</axloc:Token></axloc:RemoveAlarmFilter>`);
      expect([unknown.status, soapFaultCodes(unknown.el)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
      const config = await soap(device, `<axloc:GetEventDistributionConfig xmlns:axloc="${AXLOC}"/>`);
      expect(children(children(config.el, "EventDistributionConfig")[0]!, "GlobalDistributionEnabled")[0]!.text).toBe("true");
    });
  });
});
