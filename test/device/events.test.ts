/**
 * The event service's core, without HTTP: the topic-expression and ItemFilter grammars, and the
 * pull-point lifecycle on a virtual clock (create, Initialized/Changed messages, filters,
 * MessageLimit, long polls, Renew, Unsubscribe, expiry, MaxPullPoints), every event quirk, and
 * the mustUnderstand check the protocol layer calls.
 */
import { describe, expect, it } from "@jest/globals";
import type { XmlElement } from "../../src/runtime/model.js";
import { VirtualClock } from "../../src/device/clock.js";
import type { Item } from "../../src/device/entity.js";
import { eventService, MAX_PULL_POINTS } from "../../src/device/events/index.js";
import { mustUnderstandFault } from "../../src/device/soap-headers.js";
import { evaluateItemFilter, parseItemFilter, ItemFilterError, type MessageItem } from "../../src/device/events/item-filter.js";
import { EVENT_QUIRKS } from "../../src/device/events/quirks.js";
import { parseAbsoluteOrRelativeTime } from "../../src/device/events/subscriptions.js";
import { CONCRETE_DIALECT, CONCRETE_SET_DIALECT, TopicExpressionError, matchesTopic, namesTopicNode, parseTopicExpression } from "../../src/device/events/topic-expression.js";
import { OperationFault } from "../../src/device/faults.js";
import type { RequestContext } from "../../src/device/operation.js";
import { QuirkSet } from "../../src/device/quirks.js";
import { setDeviceZone } from "../../src/device/schedule/timezone.js";
import { normalize } from "../../src/device/shape.js";
import { DeviceState } from "../../src/device/state.js";
import type { TopicDecl } from "../../src/device/topics.js";

const START = Date.parse("2026-01-05T08:00:00Z");
const WSNT = "http://docs.oasis-open.org/wsn/b-2";
const WSRF_R = "http://docs.oasis-open.org/wsrf/r-2";
const AXIS_EVENT = "http://www.axis.com/2009/event";
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
const WSA = "http://www.w3.org/2005/08/addressing";
const ITEM_FILTER = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";

// ---------------------------------------------------------------------------------------------
// Topic expressions

describe("topic expressions", () => {
  const TOPICS = ["tns1:Door/State/DoorMode", "tns1:Door/State/DoorAlarm", "tns1:Configuration/tnsaxis:IdPoint/Changed", "tns1:AccessControl/AccessGranted/Credential", "tnsaxis:EventLogger/Alarm"];

  it("Concrete: one path, matched exactly", () => {
    const p = parseTopicExpression(" tns1:Door/State/DoorMode ", CONCRETE_DIALECT);
    expect(p).toEqual([{ segments: [{ prefix: "tns1", local: "Door" }, { prefix: "", local: "State" }, { prefix: "", local: "DoorMode" }], subtree: false }]);
    expect(TOPICS.filter((t) => matchesTopic(p, t))).toEqual(["tns1:Door/State/DoorMode"]);
  });

  it("ConcreteSet: alternatives and sub-trees (Core's examples)", () => {
    const p = parseTopicExpression("tns1:Door//.|tns1:Configuration/tnsaxis:IdPoint/Changed", CONCRETE_SET_DIALECT);
    expect(TOPICS.filter((t) => matchesTopic(p, t))).toEqual(["tns1:Door/State/DoorMode", "tns1:Door/State/DoorAlarm", "tns1:Configuration/tnsaxis:IdPoint/Changed"]);
    // A sub-tree includes its own root topic.
    expect(matchesTopic(parseTopicExpression("tns1:Door/State/DoorMode//.", CONCRETE_SET_DIALECT), "tns1:Door/State/DoorMode")).toBe(true);
    expect(matchesTopic(parseTopicExpression("tns1:Door/State", CONCRETE_SET_DIALECT), "tns1:Door/State/DoorMode")).toBe(false);
  });

  it("Concrete refuses the ConcreteSet additions; both refuse what is not a topic path", () => {
    expect(() => parseTopicExpression("tns1:Door//.", CONCRETE_DIALECT)).toThrow(TopicExpressionError);
    expect(() => parseTopicExpression("tns1:Door|tns1:Schedule", CONCRETE_DIALECT)).toThrow(/ConcreteSet/);
    for (const bad of ["", "tns1:Door//State", "tns1:Door/", "tns1:Door/*", "tns1:Door/Sta te", "1abc", "tns1:Door|", "//."]) {
      expect(() => parseTopicExpression(bad, CONCRETE_SET_DIALECT)).toThrow(TopicExpressionError);
    }
  });

  it("resolves tns1 and tnsaxis; other prefixes match by local name only", () => {
    expect(matchesTopic(parseTopicExpression("tnsaxis:Door/State/DoorMode", CONCRETE_DIALECT), "tns1:Door/State/DoorMode")).toBe(false);
    expect(matchesTopic(parseTopicExpression("tns1:Configuration/tns1:IdPoint/Changed", CONCRETE_DIALECT), "tns1:Configuration/tnsaxis:IdPoint/Changed")).toBe(false);
    expect(matchesTopic(parseTopicExpression("ns7:Door/ns7:State/DoorMode", CONCRETE_DIALECT), "tns1:Door/State/DoorMode")).toBe(true);
    expect(matchesTopic(parseTopicExpression("tns1:Configuration/IdPoint/Changed", CONCRETE_DIALECT), "tns1:Configuration/tnsaxis:IdPoint/Changed")).toBe(true);
  });

  it("knows whether a path names a node of the topic tree", () => {
    const [door, state, xyz, deep] = ["tns1:Door", "tns1:Door/State", "xyz", "tns1:Door/State/DoorMode/Extra"].map((t) => parseTopicExpression(t, CONCRETE_DIALECT)[0]!);
    expect([door, state, xyz, deep].map((p) => namesTopicNode(p!, TOPICS))).toEqual([true, true, false, false]);
  });
});

// ---------------------------------------------------------------------------------------------
// ItemFilter

describe("ItemFilter expressions", () => {
  const items = (o: Record<string, string>): MessageItem[] => Object.entries(o).map(([name, value]) => ({ name, value }));
  const door1 = items({ DoorToken: "Door1", State: "Locked" });
  const door2 = items({ DoorToken: "Door2", State: "Unlocked" });
  const test = (expr: string, m: MessageItem[]): boolean => evaluateItemFilter(parseItemFilter(expr), m);

  it("tests a SimpleItem's Name and Value in any group", () => {
    const f = 'boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="Door1"])';
    expect([test(f, door1), test(f, door2)]).toEqual([true, false]);
    expect(test('boolean(//tt:SimpleItem[@Name="State"])', door2)).toBe(true);
    expect(test('boolean(//tt:SimpleItem[@Value="Unlocked"])', door2)).toBe(true);
    expect(test('boolean(//tt:ElementItem[@Name="State"])', door2)).toBe(false);
  });

  it("combines with and / or / not, and binding tighter than or (XPath 1.0)", () => {
    const a = 'boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="Door1"])';
    const b = 'boolean(//tt:SimpleItem[@Name="State" and @Value="Unlocked"])';
    const none = 'boolean(//tt:SimpleItem[@Name="Nothing"])';
    expect([test(`${a} or ${b}`, door1), test(`${a} or ${b}`, door2)]).toEqual([true, true]);
    expect(test(`${a} and ${b}`, door1)).toBe(false);
    expect(test(`not(${a})`, door2)).toBe(true);
    // a or (none and b), not (a or none) and b
    expect(test(`${a} or ${none} and ${b}`, door1)).toBe(true);
    expect(test(`(${a} or ${none}) and ${b}`, door1)).toBe(false);
    expect(test('boolean(//tt:SimpleItem[not(@Name="DoorToken") and (@Value="Locked" or @Value="Open")])', door1)).toBe(true);
  });

  it("reads the forms clients send: an extra pair of parentheses, upper-case keywords, no prefix, typographic quotes", () => {
    expect(test('boolean((//tt:SimpleItem[@Name="DoorToken" and @Value="Door1"]))', door1)).toBe(true);
    expect(test("boolean(//SimpleItem[@Name='State'])", door1)).toBe(true);
    expect(test("boolean(//tt:SimpleItem[@Name=\u201dDoorToken\u201d and @Value=\u201dDoor2\u201d])", door2)).toBe(true);
    // event-logger-service.md "Distributed events in pull-point subscriptions": with or without a Device Source.
    const either = 'boolean(//tt:SimpleItem[@Name="Device Source"])OR NOT( boolean(//tt:SimpleItem[@Name="Device Source"]))';
    expect(test(either, door1)).toBe(true);
    expect(test('boolean(//tt:SimpleItem[@Name="Device Source"])', door1)).toBe(false);
  });

  it("refuses what is outside the grammar, naming where", () => {
    // EVENT-3-1-17's invalid filter: one parenthesis short.
    expect(() => parseItemFilter('boolean((//tt:SimpleItem[@Name="xyz" and @Value="xyz"])')).toThrow(/closing boolean/);
    for (const bad of ["", "xyz", "boolean(//tt:Other[@Name=\"a\"])", 'boolean(//tt:SimpleItem[@Type="a"])', 'boolean(//tt:SimpleItem[@Name=a])', 'boolean(//tt:SimpleItem[@Name="a"]) and', 'boolean(//tt:SimpleItem[@Name="a"', "boolean(//tt:SimpleItem[@Name=\"a])", "not boolean(//tt:SimpleItem)"]) {
      expect(() => parseItemFilter(bad)).toThrow(ItemFilterError);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Lifecycle

const DOORS = [
  { token: "Door1", mode: "Locked" },
  { token: "Door2", mode: "Unlocked" },
];

const TEST_TOPICS: TopicDecl[] = [
  {
    topic: "tns1:Door/State/DoorMode",
    doc: "Door mode changes.",
    property: true,
    source: [{ name: "DoorToken", type: "pt:ReferenceToken" }],
    data: [{ name: "State", type: "tdc:DoorMode" }],
    current: () => DOORS.map((d) => ({ source: { DoorToken: d.token }, data: { State: d.mode } })),
  },
  {
    topic: "tns1:Door/State/DoorAlarm",
    doc: "Door alarm changes.",
    property: true,
    source: [{ name: "DoorToken", type: "pt:ReferenceToken" }],
    data: [{ name: "State", type: "tdc:DoorAlarmState" }],
    current: () => DOORS.map((d) => ({ source: { DoorToken: d.token }, data: { State: "Normal" } })),
  },
  {
    topic: "tns1:AccessPoint/State/Enabled",
    doc: "Access point enabled or disabled.",
    property: true,
    source: [{ name: "AccessPointToken", type: "pt:ReferenceToken" }],
    data: [{ name: "State", type: "xs:boolean" }],
    current: () => [{ source: { AccessPointToken: "ap1" }, data: { State: true } }],
  },
  {
    topic: "tns1:AccessControl/AccessGranted/Credential",
    doc: "Access granted.",
    property: false,
    source: [{ name: "AccessPointToken", type: "pt:ReferenceToken" }],
    data: [{ name: "CredentialToken", type: "pt:ReferenceToken" }],
  },
  {
    topic: "tns1:AccessControl/Duress",
    doc: "Duress.",
    property: false,
    source: [{ name: "AccessPointToken", type: "pt:ReferenceToken" }],
    data: [],
  },
  { topic: "tns1:Configuration/Credential/Changed", doc: "Credential changed.", property: false, source: [{ name: "CredentialToken", type: "pt:ReferenceToken" }], data: [] },
  { topic: "tns1:Configuration/tnsaxis:IdPoint/Changed", doc: "IdPoint changed.", property: false, source: [{ name: "IdPointToken", type: "pt:ReferenceToken" }], data: [] },
];

function device(quirks: string[] = []): { state: DeviceState; clock: VirtualClock } {
  const clock = new VirtualClock(START);
  const state = new DeviceState({ identity: { mac: "00408C184BDB", uuid: "u" }, maxLimit: 100, startReferenceTtlMs: 60_000, quirks: new QuirkSet(quirks), decls: [], clock });
  state.topics.register(...TEST_TOPICS);
  eventService.attach!(state);
  return { state, clock };
}

function context(path = "/vapix/services", extra: { header?: XmlElement; signal?: AbortSignal } = {}): RequestContext {
  return { protocol: "soap", path, host: "192.0.2.1:8080", signal: extra.signal ?? new AbortController().signal, ...(extra.header === undefined ? {} : { header: extra.header }) };
}

const OPS = new Map(eventService.operations().map((o) => [o.name, o]));

/** Runs a tev operation as the dispatcher would: normalised input, then the handler. */
async function call(state: DeviceState, name: string, input: Item = {}, ctx: RequestContext = context()): Promise<Item> {
  const op = OPS.get(name)!;
  return await op.handle(normalize(input, op.input, name) as Item, state, ctx);
}

/** The fault an operation answers with: [code, ...subcodes]. */
async function fault(run: Promise<unknown>): Promise<string[]> {
  try {
    await run;
  } catch (err) {
    if (err instanceof OperationFault) return [err.fault.code, ...err.fault.subcodes];
    throw err;
  }
  throw new Error("expected a fault");
}

async function create(state: DeviceState, input: Item = {}): Promise<{ id: string; ctx: RequestContext; response: Item }> {
  const response = await call(state, "CreatePullPointSubscription", input);
  const address = (response["SubscriptionReference"] as { Address: string }).Address;
  const id = address.slice(address.lastIndexOf("/") + 1);
  return { id, ctx: context(new URL(address).pathname), response };
}

interface Seen {
  topic: string;
  op: string | undefined;
  time: string;
  items: Record<string, string>;
}

function seen(response: Item): Seen[] {
  return (response["NotificationMessage"] as Item[]).map((n) => {
    const el = (n["Message"] as { any: XmlElement[] }).any[0]!;
    const attr = (name: string): string | undefined => el.attrs.find((a) => a.local === name)?.value;
    const items: Record<string, string> = {};
    for (const group of el.children) for (const i of group.children) items[`${group.local}.${i.attrs.find((a) => a.local === "Name")!.value}`] = i.attrs.find((a) => a.local === "Value")!.value;
    return { topic: (n["Topic"] as { value: string }).value, op: attr("PropertyOperation"), time: attr("UtcTime")!, items };
  });
}

async function pull(state: DeviceState, ctx: RequestContext, limit = 100, timeout = "PT0S"): Promise<Seen[]> {
  return seen(await call(state, "PullMessages", { Timeout: timeout, MessageLimit: limit }, ctx));
}

const topicFilter = (expr: string, dialect = CONCRETE_SET_DIALECT): Item => ({ Filter: { TopicExpression: [{ Dialect: dialect, value: expr }] } });
const contentFilter = (expr: string, dialect = ITEM_FILTER): Item => ({ Filter: { MessageContent: [{ Dialect: dialect, value: expr }] } });

describe("pull-point lifecycle", () => {
  it("CreatePullPointSubscription answers an address with the SubscriptionId reference parameter and device-clock times", async () => {
    const { state } = device();
    const r = await call(state, "CreatePullPointSubscription", { InitialTerminationTime: "PT10S" });
    const ref = r["SubscriptionReference"] as { Address: string; ReferenceParameters: { any: XmlElement[] } };
    expect(ref.Address).toBe("http://192.0.2.1:8080/vapix/services/pullpoint/1");
    expect(ref.ReferenceParameters.any).toEqual([{ ns: AXIS_EVENT, local: "SubscriptionId", prefix: "", attrs: [], children: [], text: "1" }]);
    expect([r["CurrentTime"], r["TerminationTime"]]).toEqual(["2026-01-05T08:00:00.000Z", "2026-01-05T08:00:10.000Z"]);
    const second = await call(state, "CreatePullPointSubscription", {});
    expect((second["SubscriptionReference"] as { Address: string }).Address).toMatch(/\/pullpoint\/2$/);
    expect(second["TerminationTime"]).toBe("2026-01-05T08:01:00.000Z");
  });

  it("InitialTerminationTime: absolute (UTC when no zone) or relative; past, too short, too long or malformed faults", async () => {
    const { state } = device();
    expect(parseAbsoluteOrRelativeTime("2026-01-05T09:00:00", START)).toBe(Date.parse("2026-01-05T09:00:00Z"));
    expect(parseAbsoluteOrRelativeTime("2026-01-05T10:00:00+01:00", START)).toBe(Date.parse("2026-01-05T09:00:00Z"));
    expect(parseAbsoluteOrRelativeTime("PT1M30S", START)).toBe(START + 90_000);
    expect((await call(state, "CreatePullPointSubscription", { InitialTerminationTime: "2026-01-05T08:05:00Z" }))["TerminationTime"]).toBe("2026-01-05T08:05:00.000Z");
    for (const bad of ["2026-01-05T07:59:00Z", "-PT10S", "PT0S", "P2D", "tomorrow", "P1Y"]) {
      expect(await fault(call(state, "CreatePullPointSubscription", { InitialTerminationTime: bad }))).toEqual(["env:Receiver", `{${WSNT}}UnacceptableInitialTerminationTimeFault`]);
    }
    try {
      await call(state, "CreatePullPointSubscription", { InitialTerminationTime: "-PT10S" });
    } catch (err) {
      const detail = (err as OperationFault).fault.detailXml!;
      expect(detail).toContain("<wsnt:MinimumTime>2026-01-05T08:00:01.000Z</wsnt:MinimumTime>");
      expect(detail).toContain("<wsrf-bf:Timestamp>2026-01-05T08:00:00.000Z</wsrf-bf:Timestamp>");
    }
  });

  it("queues Initialized for every property instance, then Changed for property topics and plain messages for others", async () => {
    const { state, clock } = device();
    const { ctx } = await create(state);
    const initial = await pull(state, ctx);
    expect(initial.map((m) => [m.topic, m.op, m.items["Source.DoorToken"] ?? m.items["Source.AccessPointToken"]])).toEqual([
      ["tns1:AccessPoint/State/Enabled", "Initialized", "ap1"],
      ["tns1:Door/State/DoorAlarm", "Initialized", "Door1"],
      ["tns1:Door/State/DoorAlarm", "Initialized", "Door2"],
      ["tns1:Door/State/DoorMode", "Initialized", "Door1"],
      ["tns1:Door/State/DoorMode", "Initialized", "Door2"],
    ]);
    expect(initial[0]!.items).toEqual({ "Source.AccessPointToken": "ap1", "Data.State": "true" });
    clock.advance(1500);
    state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "Door1" }, data: { State: "Accessed" } });
    state.publish({ topic: "tns1:AccessControl/AccessGranted/Credential", source: { AccessPointToken: "ap1" }, data: { CredentialToken: "c1", Count: 3, Skipped: undefined } });
    state.publish({ topic: "tns1:Undeclared/Thing", source: { X: "1" } });
    expect(await pull(state, ctx)).toEqual([
      { topic: "tns1:Door/State/DoorMode", op: "Changed", time: "2026-01-05T08:00:01.500Z", items: { "Source.DoorToken": "Door1", "Data.State": "Accessed" } },
      { topic: "tns1:AccessControl/AccessGranted/Credential", op: undefined, time: "2026-01-05T08:00:01.500Z", items: { "Source.AccessPointToken": "ap1", "Data.CredentialToken": "c1", "Data.Count": "3" } },
      { topic: "tns1:Undeclared/Thing", op: undefined, time: "2026-01-05T08:00:01.500Z", items: { "Source.X": "1" } },
    ]);
  });

  it("a topic filter selects messages and Initialized instances; a content filter judges the items", async () => {
    const { state } = device();
    const doorModes = await create(state, topicFilter("tns1:Door/State/DoorMode"));
    const door2 = await create(state, contentFilter('boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="Door2"])'));
    const both = await create(state, { Filter: { ...(topicFilter("tns1:Door//.")["Filter"] as Item), ...(contentFilter('not(boolean(//tt:SimpleItem[@Value="Normal"]))')["Filter"] as Item) } });
    expect((await pull(state, doorModes.ctx)).map((m) => m.items["Source.DoorToken"])).toEqual(["Door1", "Door2"]);
    expect((await pull(state, door2.ctx)).map((m) => m.topic)).toEqual(["tns1:Door/State/DoorAlarm", "tns1:Door/State/DoorMode"]);
    expect((await pull(state, both.ctx)).map((m) => `${m.topic} ${m.items["Data.State"]}`)).toEqual(["tns1:Door/State/DoorMode Locked", "tns1:Door/State/DoorMode Unlocked"]);
    state.publish({ topic: "tns1:Door/State/DoorAlarm", source: { DoorToken: "Door2" }, data: { State: "DoorForcedOpen" } });
    state.publish({ topic: "tns1:Configuration/Credential/Changed", source: { CredentialToken: "c1" } });
    expect(await pull(state, doorModes.ctx)).toEqual([]);
    expect((await pull(state, door2.ctx)).map((m) => m.topic)).toEqual(["tns1:Door/State/DoorAlarm"]);
    expect((await pull(state, both.ctx)).map((m) => m.items["Data.State"])).toEqual(["DoorForcedOpen"]);
  });

  it("filter faults: unknown dialects, invalid expressions, unsupported topics", async () => {
    const { state } = device();
    expect(await fault(call(state, "CreatePullPointSubscription", topicFilter("tns1:Door//.", "http://example.com/dialect")))).toEqual(["env:Receiver", `{${WSNT}}TopicExpressionDialectUnknownFault`]);
    expect(await fault(call(state, "CreatePullPointSubscription", topicFilter("tns1:Door//.", CONCRETE_DIALECT)))).toEqual(["env:Receiver", `{${WSNT}}InvalidTopicExpressionFault`]);
    expect(await fault(call(state, "CreatePullPointSubscription", topicFilter("tns1:Door/*")))).toEqual(["env:Receiver", `{${WSNT}}InvalidTopicExpressionFault`]);
    // EVENT-3-1-22's "xyz", and one bad alternative among good ones.
    expect(await fault(call(state, "CreatePullPointSubscription", topicFilter("xyz")))).toEqual(["env:Receiver", `{${WSNT}}TopicNotSupportedFault`]);
    expect(await fault(call(state, "CreatePullPointSubscription", topicFilter("tns1:Door//.|tns1:Nothing")))).toEqual(["env:Receiver", `{${WSNT}}TopicNotSupportedFault`]);
    expect(await fault(call(state, "CreatePullPointSubscription", contentFilter('boolean((//tt:SimpleItem[@Name="xyz" and @Value="xyz"])')))).toEqual(["env:Receiver", `{${WSNT}}InvalidMessageContentExpressionFault`]);
    expect(await fault(call(state, "CreatePullPointSubscription", contentFilter("//tt:SimpleItem", "http://www.w3.org/TR/1999/REC-xpath-19991116")))).toEqual(["env:Receiver", `{${WSNT}}InvalidMessageContentExpressionFault`]);
    // Nothing was created by the failures.
    expect((await create(state)).id).toBe("1");
  });

  it("PullMessages returns at most MessageLimit; the rest stay queued", async () => {
    const { state } = device();
    const { ctx } = await create(state);
    expect(await pull(state, ctx, 2)).toHaveLength(2);
    expect(await pull(state, ctx, 2)).toHaveLength(2);
    expect(await pull(state, ctx, 2)).toHaveLength(1);
    expect(await pull(state, ctx, 2)).toHaveLength(0);
  });

  it("a waiting PullMessages returns as soon as messages are published, together", async () => {
    const { state } = device(["event-no-initialized"]);
    const { ctx } = await create(state);
    const waiting = call(state, "PullMessages", { Timeout: "PT50S", MessageLimit: 10 }, ctx);
    await new Promise((r) => setImmediate(r));
    state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "Door1" }, data: { State: "Accessed" } });
    state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "Door1" }, data: { State: "Locked" } });
    expect(seen(await waiting).map((m) => m.items["Data.State"])).toEqual(["Accessed", "Locked"]);
  });

  it("one waiting PullMessages per subscription; a client that goes away leaves its messages queued", async () => {
    const { state } = device(["event-no-initialized"]);
    const { ctx } = await create(state);
    const abort = new AbortController();
    const waiting = call(state, "PullMessages", { Timeout: "PT50S", MessageLimit: 10 }, { ...ctx, signal: abort.signal });
    await new Promise((r) => setImmediate(r));
    expect(await fault(call(state, "PullMessages", { Timeout: "PT1S", MessageLimit: 10 }, ctx))).toEqual(["env:Receiver", `{${WSNT}}UnableToGetMessagesFault`]);
    abort.abort();
    state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "Door1" }, data: { State: "Accessed" } });
    expect(seen(await waiting)).toEqual([]);
    expect((await pull(state, ctx)).map((m) => m.items["Data.State"])).toEqual(["Accessed"]);
  });

  it("PullMessages faults on a bad Timeout and names its limits beyond one minute", async () => {
    const { state } = device();
    const { ctx } = await create(state);
    expect(await fault(call(state, "PullMessages", { Timeout: "10", MessageLimit: 1 }, ctx))).toEqual(["env:Sender", "ter:InvalidArgVal"]);
    try {
      await call(state, "PullMessages", { Timeout: "PT61S", MessageLimit: 1 }, ctx);
      throw new Error("expected a fault");
    } catch (err) {
      expect([(err as OperationFault).fault.code, ...(err as OperationFault).fault.subcodes]).toEqual(["env:Receiver", "{http://www.onvif.org/ver10/events/wsdl}PullMessagesFaultResponse"]);
      expect((err as OperationFault).fault.detailXml).toContain("<tev:MaxTimeout>PT60S</tev:MaxTimeout><tev:MaxMessageLimit>1000</tev:MaxMessageLimit>");
    }
  });

  it("routes by path, else by the SubscriptionId header block; unknown subscriptions are ResourceUnknown", async () => {
    const { state } = device();
    await create(state);
    const header = (id: string): XmlElement => ({ ns: SOAP12, local: "Header", prefix: "env", attrs: [], text: "", children: [{ ns: AXIS_EVENT, local: "SubscriptionId", prefix: "", attrs: [], children: [], text: ` ${id} ` }] });
    expect(await pull(state, context("/vapix/services", { header: header("1") }), 1)).toHaveLength(1);
    expect(await fault(call(state, "PullMessages", { Timeout: "PT0S", MessageLimit: 1 }, context("/vapix/services", { header: header("9") })))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
    expect(await fault(call(state, "PullMessages", { Timeout: "PT0S", MessageLimit: 1 }, context("/vapix/services/pullpoint/9", { header: header("1") })))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
    expect(await fault(call(state, "SetSynchronizationPoint", {}, context()))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
  });

  it("expires at TerminationTime on the device clock; PullMessages keeps it alive for its Timeout", async () => {
    const { state, clock } = device();
    const a = await create(state, { InitialTerminationTime: "PT10S" });
    const b = await create(state, { InitialTerminationTime: "PT10S" });
    clock.advance(9_000);
    const r = await call(state, "PullMessages", { Timeout: "PT30S", MessageLimit: 100 }, b.ctx);
    expect(r["TerminationTime"]).toBe("2026-01-05T08:00:39.000Z");
    clock.advance(1_000);
    expect(await fault(call(state, "PullMessages", { Timeout: "PT0S", MessageLimit: 1 }, a.ctx))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
    expect(await fault(call(state, "Unsubscribe", {}, a.ctx))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
    expect(await pull(state, b.ctx)).toEqual([]);
  });

  it("Renew sets the new TerminationTime (relative or absolute); Unsubscribe ends it, a second Unsubscribe faults", async () => {
    const { state, clock } = device();
    const { ctx } = await create(state, { InitialTerminationTime: "PT10S" });
    clock.advance(5_000);
    expect(await call(state, "Renew", { TerminationTime: "PT20S" }, ctx)).toEqual({ TerminationTime: "2026-01-05T08:00:25.000Z", CurrentTime: "2026-01-05T08:00:05.000Z" });
    expect((await call(state, "Renew", { TerminationTime: "2026-01-05T08:02:00Z" }, ctx))["TerminationTime"]).toBe("2026-01-05T08:02:00.000Z");
    expect(await fault(call(state, "Renew", { TerminationTime: "2026-01-05T08:00:00Z" }, ctx))).toEqual(["env:Receiver", `{${WSNT}}UnacceptableTerminationTimeFault`]);
    clock.advance(60_000);
    expect(await pull(state, ctx, 1)).toHaveLength(1);
    expect(await call(state, "Unsubscribe", {}, ctx)).toEqual({});
    expect(await fault(call(state, "Unsubscribe", {}, ctx))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
    expect(await fault(call(state, "Renew", { TerminationTime: "PT20S" }, ctx))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
  });

  it("Unsubscribe answers a waiting PullMessages with ResourceUnknown", async () => {
    const { state } = device(["event-no-initialized"]);
    const { ctx } = await create(state);
    const waiting = fault(call(state, "PullMessages", { Timeout: "PT50S", MessageLimit: 10 }, ctx));
    await new Promise((r) => setImmediate(r));
    await call(state, "Unsubscribe", {}, ctx);
    expect(await waiting).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
  });

  it("MaxPullPoints live subscriptions at once; an ended one frees its place", async () => {
    const { state } = device();
    const subs = [];
    for (let i = 0; i < MAX_PULL_POINTS; i++) subs.push(await create(state));
    expect(await fault(call(state, "CreatePullPointSubscription", {}))).toEqual(["env:Receiver", `{${WSNT}}SubscribeCreationFailedFault`]);
    await call(state, "Unsubscribe", {}, subs[0]!.ctx);
    expect((await create(state)).id).toBe(String(MAX_PULL_POINTS + 1));
  });

  it("SetSynchronizationPoint queues the selected properties' current values as Initialized again", async () => {
    const { state } = device();
    const { ctx } = await create(state, topicFilter("tns1:AccessPoint//."));
    await pull(state, ctx);
    expect(await call(state, "SetSynchronizationPoint", {}, ctx)).toEqual({});
    expect((await pull(state, ctx)).map((m) => [m.topic, m.op])).toEqual([["tns1:AccessPoint/State/Enabled", "Initialized"]]);
  });

  it("tev:ChangedOnly in SubscriptionPolicy: no Initialized messages", async () => {
    const { state } = device();
    const policy = { any: [{ ns: "http://www.onvif.org/ver10/events/wsdl", local: "ChangedOnly", prefix: "tev", attrs: [], children: [], text: "true" }] };
    const { ctx } = await create(state, { SubscriptionPolicy: policy });
    expect(await pull(state, ctx)).toEqual([]);
  });

  it("GetEventProperties: the topic tree with message descriptions, the dialects and schema locations", async () => {
    const { state } = device();
    const r = await call(state, "GetEventProperties");
    expect(r["TopicExpressionDialect"]).toEqual([CONCRETE_SET_DIALECT, CONCRETE_DIALECT]);
    expect(r["MessageContentFilterDialect"]).toEqual([ITEM_FILTER]);
    expect(r["FixedTopicSet"]).toBe(true);
    const roots = (r["TopicSet"] as { any: XmlElement[] }).any;
    expect(roots.map((e) => `${e.prefix}:${e.local}`)).toEqual(["tns1:AccessControl", "tns1:AccessPoint", "tns1:Configuration", "tns1:Door"]);
    const door = roots.find((e) => e.local === "Door")!;
    const mode = door.children[0]!.children.find((e) => e.local === "DoorMode")!;
    expect([door.children[0]!.ns, door.children[0]!.local, door.attrs]).toEqual(["", "State", []]);
    expect(mode.attrs).toEqual([{ ns: "http://docs.oasis-open.org/wsn/t-1", local: "topic", prefix: "wstop", value: "true" }]);
    const md = mode.children[0]!;
    expect([md.local, md.attrs[0]!.value]).toEqual(["MessageDescription", "true"]);
    // The item types' prefixes are declared once, on the root topic element.
    expect(door.nsDecls).toEqual({
      wstop: "http://docs.oasis-open.org/wsn/t-1",
      tt: "http://www.onvif.org/ver10/schema",
      pt: "http://www.onvif.org/ver10/pacs",
      tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
    });
    expect(md.children.map((g) => [g.local, g.children.map((i) => i.attrs.map((a) => a.value).join(" "))])).toEqual([
      ["Source", ["DoorToken pt:ReferenceToken"]],
      ["Data", ["State tdc:DoorMode"]],
    ]);
    const idPoint = roots.find((e) => e.local === "Configuration")!.children.find((e) => e.local === "IdPoint")!;
    expect([idPoint.prefix, idPoint.ns]).toEqual(["tnsaxis", "http://www.axis.com/2009/event/topics"]);
  });

  it("GetServiceCapabilities: pull points only", async () => {
    const { state } = device();
    expect(await call(state, "GetServiceCapabilities")).toEqual({
      Capabilities: { WSSubscriptionPolicySupport: false, WSPullPointSupport: true, WSPausableSubscriptionManagerInterfaceSupport: false, MaxNotificationProducers: 0, MaxPullPoints: 10, PersistentNotificationStorage: false },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Quirks: each changes its one behaviour.

describe("event quirks", () => {
  const publishDoorAlarm = (state: DeviceState): void => state.publish({ topic: "tns1:Door/State/DoorAlarm", source: { DoorToken: "Door1" }, data: { State: "DoorForcedOpen" } });

  it("every quirk is described and named in this file", () => {
    expect(EVENT_QUIRKS.map((q) => q.name).sort()).toEqual(
      [
        "event-topic-missing",
        "event-topic-undescribed",
        "event-wrong-source-name",
        "event-wrong-value-type",
        "event-dangling-token",
        "event-local-time",
        "event-no-initialized",
        "event-no-property-operation",
        "event-sync-point-ignored",
        "event-pull-ignores-message-limit",
        "event-pull-no-long-poll",
        "event-topic-filter-ignored",
        "event-content-filter-ignored",
        "event-unknown-dialect-accepted",
        "event-unsubscribe-twice-ok",
        "event-subscription-never-expires",
        "event-renew-ignored",
        "event-max-pull-points-unenforced",
        "event-initial-termination-ignored",
        "event-pull-not-keep-alive",
        "event-invalid-content-filter-accepted",
        "event-dialects-unadvertised",
        "event-mustunderstand-rejected",
      ].sort(),
    );
  });

  it("event-topic-missing: DoorAlarm is neither advertised nor delivered", async () => {
    for (const [quirks, expected] of [[[], 3], [["event-topic-missing"], 0]] as const) {
      const { state } = device([...quirks]);
      const props = await call(state, "GetEventProperties");
      const door = (props["TopicSet"] as { any: XmlElement[] }).any.find((e) => e.local === "Door")!;
      expect(door.children[0]!.children.some((e) => e.local === "DoorAlarm")).toBe(expected > 0);
      const { ctx } = await create(state, topicFilter("tns1:Door//."));
      publishDoorAlarm(state);
      expect((await pull(state, ctx)).filter((m) => m.topic.endsWith("DoorAlarm"))).toHaveLength(expected);
    }
  });

  it("event-topic-undescribed: Duress loses its MessageDescription", async () => {
    for (const [quirks, described] of [[[], true], [["event-topic-undescribed"], false]] as const) {
      const { state } = device([...quirks]);
      const props = await call(state, "GetEventProperties");
      const duress = (props["TopicSet"] as { any: XmlElement[] }).any.find((e) => e.local === "AccessControl")!.children.find((e) => e.local === "Duress")!;
      expect(duress.children.some((e) => e.local === "MessageDescription")).toBe(described);
    }
  });

  it("message quirks: event-wrong-source-name, event-wrong-value-type, event-dangling-token, event-local-time, event-no-property-operation", async () => {
    const messages = async (quirks: string[]): Promise<Seen[]> => {
      const { state } = device(quirks);
      setDeviceZone(state, "Europe/Stockholm");
      const { ctx } = await create(state, topicFilter("tns1:AccessControl//.|tns1:AccessPoint//.|tns1:Configuration//.|tns1:Door/State/DoorMode"));
      await pull(state, ctx);
      state.publish({ topic: "tns1:AccessControl/AccessGranted/Credential", source: { AccessPointToken: "ap1" }, data: { CredentialToken: "c1" } });
      state.publish({ topic: "tns1:AccessPoint/State/Enabled", source: { AccessPointToken: "ap1" }, data: { State: false } });
      state.publish({ topic: "tns1:Configuration/Credential/Changed", source: { CredentialToken: "c1" } });
      state.publish({ topic: "tns1:Door/State/DoorMode", source: { DoorToken: "Door1" }, data: { State: "Accessed" } });
      return pull(state, ctx);
    };
    const plain = await messages([]);
    expect(plain.map((m) => [m.items, m.op, m.time])).toEqual([
      [{ "Source.AccessPointToken": "ap1", "Data.CredentialToken": "c1" }, undefined, "2026-01-05T08:00:00.000Z"],
      [{ "Source.AccessPointToken": "ap1", "Data.State": "false" }, "Changed", "2026-01-05T08:00:00.000Z"],
      [{ "Source.CredentialToken": "c1" }, undefined, "2026-01-05T08:00:00.000Z"],
      [{ "Source.DoorToken": "Door1", "Data.State": "Accessed" }, "Changed", "2026-01-05T08:00:00.000Z"],
    ]);
    expect((await messages(["event-wrong-source-name"]))[0]!.items).toEqual({ "Source.AccessPoint": "ap1", "Data.CredentialToken": "c1" });
    expect((await messages(["event-wrong-value-type"]))[1]!.items["Data.State"]).toBe("0");
    expect((await messages(["event-dangling-token"]))[2]!.items["Source.CredentialToken"]).not.toBe("c1");
    expect((await messages(["event-local-time"]))[0]!.time).toBe("2026-01-05T09:00:00.000");
    expect((await messages(["event-no-property-operation"])).map((m) => m.op)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("event-no-initialized and event-sync-point-ignored", async () => {
    for (const [quirks, initial, synced] of [[[], 2, 2], [["event-no-initialized"], 0, 2], [["event-sync-point-ignored"], 2, 0]] as const) {
      const { state } = device([...quirks]);
      const { ctx } = await create(state, topicFilter("tns1:Door/State/DoorMode"));
      expect(await pull(state, ctx)).toHaveLength(initial);
      await call(state, "SetSynchronizationPoint", {}, ctx);
      expect(await pull(state, ctx)).toHaveLength(synced);
    }
  });

  it("event-pull-ignores-message-limit", async () => {
    const { state } = device(["event-pull-ignores-message-limit"]);
    const { ctx } = await create(state);
    expect(await pull(state, ctx, 1)).toHaveLength(5);
  });

  it("event-pull-no-long-poll: an empty answer at once", async () => {
    const { state } = device(["event-no-initialized", "event-pull-no-long-poll"]);
    const { ctx } = await create(state);
    // Without the quirk this would wait the full minute (see the long-poll test above).
    expect(await pull(state, ctx, 1, "PT60S")).toEqual([]);
  });

  it("event-topic-filter-ignored and event-content-filter-ignored", async () => {
    for (const [quirks, topicCount, contentCount] of [[[], 2, 1], [["event-topic-filter-ignored"], 5, 1], [["event-content-filter-ignored"], 2, 5]] as const) {
      const { state } = device([...quirks]);
      const byTopic = await create(state, topicFilter("tns1:Door/State/DoorMode"));
      const byContent = await create(state, contentFilter('boolean(//tt:SimpleItem[@Value="ap1"])'));
      expect(await pull(state, byTopic.ctx)).toHaveLength(topicCount);
      expect(await pull(state, byContent.ctx)).toHaveLength(contentCount);
    }
  });

  it("event-unknown-dialect-accepted: created, every topic delivered", async () => {
    const { state } = device(["event-unknown-dialect-accepted"]);
    const { ctx } = await create(state, topicFilter("tns1:Door//.", "http://example.com/dialect"));
    expect(await pull(state, ctx)).toHaveLength(5);
  });

  it("event-unsubscribe-twice-ok: only for a subscription that existed", async () => {
    const { state } = device(["event-unsubscribe-twice-ok"]);
    const { ctx } = await create(state);
    await call(state, "Unsubscribe", {}, ctx);
    expect(await call(state, "Unsubscribe", {}, ctx)).toEqual({});
    expect(await fault(call(state, "Unsubscribe", {}, context("/vapix/services/pullpoint/77")))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
  });

  it("event-subscription-never-expires", async () => {
    const { state, clock } = device(["event-subscription-never-expires"]);
    const { ctx } = await create(state, { InitialTerminationTime: "PT10S" });
    clock.advance(3_600_000);
    expect(await pull(state, ctx)).toHaveLength(5);
  });

  it("event-renew-ignored: the old TerminationTime, and it expires then", async () => {
    const { state, clock } = device(["event-renew-ignored"]);
    const { ctx } = await create(state, { InitialTerminationTime: "PT10S" });
    expect((await call(state, "Renew", { TerminationTime: "PT60S" }, ctx))["TerminationTime"]).toBe("2026-01-05T08:00:10.000Z");
    clock.advance(10_000);
    expect(await fault(call(state, "Renew", { TerminationTime: "PT60S" }, ctx))).toEqual(["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`]);
  });

  it("event-max-pull-points-unenforced", async () => {
    const { state } = device(["event-max-pull-points-unenforced"]);
    for (let i = 0; i <= MAX_PULL_POINTS; i++) await create(state);
    expect((await create(state)).id).toBe(String(MAX_PULL_POINTS + 2));
  });

  it("event-pull-not-keep-alive: PullMessages leaves TerminationTime alone", async () => {
    for (const [quirks, expected] of [[[], "2026-01-05T08:00:20.000Z"], [["event-pull-not-keep-alive"], "2026-01-05T08:00:10.000Z"]] as const) {
      const { state } = device([...quirks]);
      const { ctx } = await create(state, { InitialTerminationTime: "PT10S" });
      expect((await call(state, "PullMessages", { Timeout: "PT20S", MessageLimit: 100 }, ctx))["TerminationTime"]).toBe(expected);
    }
  });

  it("event-invalid-content-filter-accepted: an unbalanced ItemFilter creates a subscription", async () => {
    const invalid = { Filter: { MessageContent: [{ Dialect: ITEM_FILTER, value: 'boolean((//tt:SimpleItem[@Name="xyz" and @Value="xyz"])' }] } };
    expect(await fault(call(device([]).state, "CreatePullPointSubscription", invalid))).toEqual(["env:Receiver", `{${WSNT}}InvalidMessageContentExpressionFault`]);
    expect((await create(device(["event-invalid-content-filter-accepted"]).state, invalid)).id).toBe("1");
  });

  it("event-initial-termination-ignored: the default lifetime whatever was asked", async () => {
    for (const [quirks, expected] of [[[], "2026-01-05T08:00:10.000Z"], [["event-initial-termination-ignored"], "2026-01-05T08:01:00.000Z"]] as const) {
      const { state } = device([...quirks]);
      expect((await create(state, { InitialTerminationTime: "PT10S" })).response["TerminationTime"]).toBe(expected);
    }
  });

  it("event-dialects-unadvertised: ConcreteSet and ItemFilter missing from GetEventProperties", async () => {
    for (const [quirks, listed] of [[[], true], [["event-dialects-unadvertised"], false]] as const) {
      const props = await call(device([...quirks]).state, "GetEventProperties");
      expect((props["TopicExpressionDialect"] as string[]).includes(CONCRETE_SET_DIALECT)).toBe(listed);
      expect((props["MessageContentFilterDialect"] as string[]).includes(ITEM_FILTER)).toBe(listed);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// mustUnderstand

describe("mustUnderstandFault", () => {
  const block = (ns: string, local: string, mu?: string, role?: string): XmlElement => ({
    ns,
    local,
    prefix: "x",
    attrs: [...(mu === undefined ? [] : [{ ns: SOAP12, local: "mustUnderstand", prefix: "env", value: mu }]), ...(role === undefined ? [] : [{ ns: SOAP12, local: "role", prefix: "env", value: role }])],
    children: [],
    text: "",
  });
  const header = (...blocks: XmlElement[]): XmlElement => ({ ns: SOAP12, local: "Header", prefix: "env", attrs: [], children: blocks, text: "" });
  const clientHeader = header(block(WSA, "Action", "1"), block(WSA, "To", "true"), block(WSA, "MessageID"), block(AXIS_EVENT, "SubscriptionId", "1"));

  it("understands WS-Addressing, the SubscriptionId and wsse:Security; refuses other mandatory blocks", () => {
    const { state } = device();
    expect(mustUnderstandFault(state, undefined)).toBeUndefined();
    expect(mustUnderstandFault(state, clientHeader)).toBeUndefined();
    expect(mustUnderstandFault(state, header(block("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd", "Security", "1")))).toBeUndefined();
    expect(mustUnderstandFault(state, header(block("urn:other", "Thing", "0"), block("urn:other", "Other", "1", "http://www.w3.org/2003/05/soap-envelope/role/none")))).toBeUndefined();
    const f = mustUnderstandFault(state, header(block("urn:other", "Thing", "1")));
    expect([f?.fault.code, f?.fault.subcodes, f?.fault.reason]).toEqual(["env:MustUnderstand", [], "SOAP header block(s) not understood: {urn:other}Thing"]);
  });

  it("event-mustunderstand-rejected: wsa:Action and wsa:To marked mustUnderstand are refused", () => {
    const { state } = device(["event-mustunderstand-rejected"]);
    expect(mustUnderstandFault(state, clientHeader)?.fault.reason).toBe(`SOAP header block(s) not understood: {${WSA}}Action, {${WSA}}To`);
    expect(mustUnderstandFault(state, header(block(WSA, "Action"), block(WSA, "MessageID", "1")))).toBeUndefined();
  });
});
