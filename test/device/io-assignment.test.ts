/**
 * The I/O assignment service (axisio). Over HTTP: the hardware's I/Os and what needs no door or
 * IdPoint. The assignment rules need I/O users, which the doors and IdPoints of the DoorControl
 * and IdPoint services provide; to test them on their own, the service runs here behind the
 * protocol layer (raw JSON/SOAP in, raw JSON/SOAP out) with stand-in "Door"/"IdPoint" stores
 * holding the documented configuration settings.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { operations as axisioOperations } from "../../generated/axisio/descriptors.js";
import { schemas as axisioSchemas } from "../../generated/axisio/schemas.js";
import { VirtualClock } from "../../src/device/clock.js";
import type { EntityDecl, Item } from "../../src/device/entity.js";
import { ioAssignmentService } from "../../src/device/io-assignment/index.js";
import { Dispatcher, type ProtocolResponse } from "../../src/device/protocols.js";
import { QuirkSet } from "../../src/device/quirks.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { TOKEN, list, obj, opt, req, str } from "../../src/device/shape.js";
import { DeviceState, type DeviceEvent } from "../../src/device/state.js";
import { parseXml } from "../../src/runtime/xml.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { SOAP_ENV, children, envelope, json, ok, soap } from "./helpers.js";

const AXISIO = "http://www.axis.com/vapix/ws/AxisIo";

describe("I/O assignment over HTTP (/vapix/pin)", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ backdoor: true, clock: "virtual=2026-01-05T08:00:00Z" });
  });
  afterAll(() => device.close());

  it("lists the door controller's I/Os with their modes and pins", async () => {
    const ios = (await ok(device, "axisio:GetIoInfoList")).IoInfo as { IoName: string; IoMode: string[]; PinInfo: { Name: string; Description: string }[] }[];
    expect(ios.map((i) => i.IoName)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `IO${i + 1}`),
      "IN1",
      "IN2",
      "IN3",
      "IN4",
      "H1",
      "H2",
      "H-bridge1",
      "relay1",
      "Wiegand1",
      "Wiegand2",
      "Ser0fd",
      "Ser0hd",
      "Ser2hd",
      "Ser3hd",
      "Eth0",
    ]);
    // The guide's examples, as listed.
    expect(ios.find((i) => i.IoName === "IO1")).toEqual({ IoName: "IO1", IoMode: ["inout:pu/gnd", "inout:float/gnd", "supervised"], PinInfo: [{ Name: "Aux I/O:3", Description: "I/O" }] });
    expect(ios.find((i) => i.IoName === "H-bridge1")?.PinInfo).toEqual([
      { Name: "Lock:2", Description: "+" },
      { Name: "Lock:4", Description: "-" },
    ]);
    expect(ios.find((i) => i.IoName === "Ser0fd")?.PinInfo.map((p) => p.Description)).toEqual(["RX B-", "RX A+", "TX B-", "TX A+"]);
  });

  it("answers an assignment it cannot make with IoAssignmentError, not a fault", async () => {
    const before = await ok(device, "axisio:GetIoAssignmentList");
    const r = await ok(device, "axisio:SetIoAssignment", {
      IoAssignment: [
        { IoName: "IO99", IoMode: "inout:pu/gnd", IoUser: [] },
        { IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [{ Type: "elevator", token: "x", Usage: "Lock_Standard", MultiIo: false }] },
      ],
    });
    expect(r).toEqual({
      IoAssignmentError: [
        { IoName: "IO99", IoMode: "inout:pu/gnd", Error: "IoDoesNotExist" },
        { IoName: "H1", IoMode: "inout:12V/gnd", IoUser: { Type: "elevator", token: "x", Usage: "Lock_Standard", MultiIo: false }, Error: "IoUserServiceDoesNotExist" },
      ],
    });
    expect(await ok(device, "axisio:GetIoAssignmentList")).toEqual(before);
    // Unassigning an I/O that has no assignment is a no-op, not an error (the guide's example).
    expect(await ok(device, "axisio:SetIoAssignment", { IoAssignment: [{ IoName: "IO3", IoMode: "inout:pu/gnd", IoUser: [] }] })).toEqual({ IoAssignmentError: [] });
  });

  it("answers SOAP with the schema's element order (IoUser token as an element)", async () => {
    const r = await soap(device, `<a:SetIoAssignment xmlns:a="${AXISIO}"><a:IoAssignment><a:IoName>IO99</a:IoName><a:IoMode>inout:pu/gnd</a:IoMode></a:IoAssignment></a:SetIoAssignment>`);
    expect([r.status, r.el.ns, r.el.local]).toEqual([200, AXISIO, "SetIoAssignmentResponse"]);
    expect(children(r.el, "IoAssignmentError")[0]!.children.map((c) => `${c.local}=${c.text}`)).toEqual(["IoName=IO99", "IoMode=inout:pu/gnd", "Error=IoDoesNotExist"]);
    const info = await soap(device, `<a:GetIoInfoList xmlns:a="${AXISIO}"/>`);
    expect(children(info.el, "IoInfo")[0]!.children.map((c) => c.local)).toEqual(["IoName", "IoMode", "IoMode", "IoMode", "PinInfo"]);
  });

  it("validates every JSON response against the generated schema", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const failures: string[] = [];
    for (const [op, input] of [
      ["axisio:GetIoInfoList", {}],
      ["axisio:GetIoUserInfoList", {}],
      ["axisio:GetIoAssignmentList", {}],
      ["axisio:SetIoAssignment", { IoAssignment: [{ IoName: "IO99", IoMode: "x", IoUser: [] }] }],
    ] as const) {
      const r = await json(device, op, input);
      const validate = ajv.compile((axisioSchemas as Record<string, object>)[`${op.slice(7)}Response`]!);
      if (r.status !== 200 || !validate(r.body)) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(validate.errors ?? r.body)}`);
    }
    expect(failures).toEqual([]);
  });
});

// ---- the assignment rules, with stand-in doors and IdPoints

type Setting = readonly [string, string];

const NameValue = obj("NameValue", [req("Name", str()), opt("Value", str())]);
/** A store the DoorControl or IdPoint service would declare: token, Name, Configuration. */
const standIn = (name: string): EntityDecl => ({
  name,
  what: name,
  tokenField: "token",
  shape: obj(name, [req("token", TOKEN), opt("Name", str()), list("Configuration", NameValue)]),
  ops: [],
  allocateTokens: false,
  setResponse: "tokens",
  sharesTokenSpace: false,
  setFault: [],
});

const LOCK_AND_MONITOR: readonly Setting[] = [
  ["Lock.Type", "Standard"],
  ["DoubleLock.Type", "None"],
  ["DoorMonitor.ValueWhenOpen", "Input Open"],
  ["DoorMonitor.ValueWhenClosed", "Input Ground"],
];
/** AXIS Entry Manager's Wiegand reader (system-integration-examples.md). */
const WIEGAND: readonly Setting[] = [
  ["IdPoint.Reader.Type", "Wiegand"],
  ["IdPoint.LED.Type", "SingleLED"],
  ["IdPoint.Beeper.Type", "ActiveLow"],
  ["IdPoint.Tampering.Type", "ActiveLow"],
  ["IdPoint.REX.Type", "None"],
];

interface Harness {
  readonly state: DeviceState;
  readonly events: DeviceEvent[];
  call(op: string, input?: unknown): Record<string, any>;
  soap(bodyXml: string): XmlElement;
  put(store: string, token: string, name: string, settings: readonly Setting[]): void;
}

function harness(quirks: readonly string[] = []): Harness {
  const events: DeviceEvent[] = [];
  const state = new DeviceState({
    identity: { mac: "00408C184BDB", uuid: "5581ad80-95b0-11e0-b883-00408c184bdb" },
    maxLimit: 100,
    startReferenceTtlMs: 60_000,
    quirks: new QuirkSet(quirks),
    decls: [...ioAssignmentService.entities, ...["Door", "DoorConfiguration", "IdPoint", "IdPointConfiguration"].map(standIn)],
    clock: new VirtualClock(Date.parse("2026-01-05T08:00:00Z")),
    onEvent: (e) => events.push(e),
  });
  ioAssignmentService.attach?.(state);
  const dispatcher = new Dispatcher(state, ioAssignmentService.operations(), { axisio: axisioOperations });
  return {
    state,
    events,
    call(op, input = {}) {
      const r = dispatcher.handleJson(JSON.stringify({ [op]: input }), { path: "/vapix/pin", host: "127.0.0.1", signal: new AbortController().signal }) as ProtocolResponse;
      const body = JSON.parse(r.body) as Record<string, any>;
      if (r.status !== 200) throw new Error(`${op}: HTTP ${r.status} ${r.body}`);
      return body;
    },
    soap(bodyXml) {
      const root = parseXml((dispatcher.handleSoap(envelope(bodyXml), { path: "/vapix/services", host: "127.0.0.1", signal: new AbortController().signal }) as ProtocolResponse).body);
      return root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!.children[0]!;
    },
    put(store, token, name, settings) {
      const entity = store.replace(/Configuration$/, "");
      state.store(entity).put(token, { token, Name: name });
      state.store(`${entity}Configuration`).put(token, { token, Configuration: settings.map(([Name, Value]) => ({ Name, Value })) });
    },
  };
}

const lock = { Type: "doorcontrol", token: "door-1", Usage: "Lock_Standard", MultiIo: false };
const opened = { Type: "doorcontrol", token: "door-1", Usage: "DoorOpenMonitor", MultiIo: false };
const closed = { Type: "doorcontrol", token: "door-1", Usage: "DoorClosedMonitor", MultiIo: false };
const rex = { Type: "idpoint", token: "rex-1", Usage: "REX", MultiIo: true };

describe("I/O assignment rules (stand-in doors and IdPoints)", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
    h.put("Door", "door-1", "Door 1", LOCK_AND_MONITOR);
    h.put("IdPoint", "reader-1", "Reader In", WIEGAND);
    h.put("IdPoint", "rex-1", "REX", [
      ["IdPoint.Reader.Type", "None"],
      ["IdPoint.REX.Type", "ActiveLow"],
    ]);
  });
  const assign = (...IoAssignment: unknown[]): unknown[] => h.call("axisio:SetIoAssignment", { IoAssignment }).IoAssignmentError as unknown[];
  const assigned = (): Item[] => h.call("axisio:GetIoAssignmentList").IoAssignment as Item[];

  it("derives the I/O users from the doors' and IdPoints' configuration", () => {
    const users = h.call("axisio:GetIoUserInfoList").IoUserInfo as { Name: string; IoMode: string[]; IoUser: typeof lock }[];
    expect(users.map((u) => `${u.Name}: ${u.IoUser.token}/${u.IoUser.Usage}${u.IoUser.MultiIo ? " (MultiIo)" : ""}`)).toEqual([
      "Door 1: door-1/Lock_Standard",
      "Door 1: door-1/DoorOpenMonitor",
      "Door 1: door-1/DoorClosedMonitor",
      "Reader In: reader-1/Wiegand",
      "Reader In: reader-1/LedSingle",
      "Reader In: reader-1/Beeper",
      "Reader In: reader-1/Tampering",
      "REX: rex-1/REX (MultiIo)",
    ]);
    // The guide's GetIoUserInfoList example.
    expect(users[0]).toEqual({ Name: "Door 1", IoMode: ["inout:12V/gnd"], IoUser: lock });
    expect(users[4]?.IoMode).toEqual(["out:float/gnd", "out:pu/gnd", "inout:float/gnd", "inout:pu/gnd"]);
  });

  it("assigns, replaces and unassigns, announcing each changed I/O", () => {
    // The guide's "Assign one IoUser to one I/O" and "Assign several IoUser:s to one I/O"; the device's MultiIo wins.
    expect(assign({ IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [{ ...lock, MultiIo: true }] }, { IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened, closed] })).toEqual([]);
    expect(assigned()).toEqual([
      { IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened, closed] },
      { IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [lock] },
    ]);
    expect(h.events.map((e) => `${e.topic} ${e.source["IoName"]}`)).toEqual(["tns1:Configuration/tnsaxis:IoAssignment/Changed IN1", "tns1:Configuration/tnsaxis:IoAssignment/Changed H1"]);

    // A new assignment of IN1 replaces its IoUsers.
    expect(assign({ IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened] })).toEqual([]);
    expect(assigned()[0]).toEqual({ IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened] });

    // The guide's unassignment (its IoMode is not judged: nothing is configured).
    expect(assign({ IoName: "IN1", IoMode: "inout:12V/gnd", IoUser: [] })).toEqual([]);
    expect(assigned().map((a) => a["IoName"])).toEqual(["H1"]);
    expect(h.events.at(-1)).toMatchObject({ topic: "tns1:Configuration/tnsaxis:IoAssignment/Removed", source: { IoName: "IN1" } });
    expect(h.state.world.describe(h.state)["IoAssignments"]).toEqual([{ IoName: "H1", IoMode: "inout:12V/gnd", Pins: ["Lock:2"], IoUsers: ["doorcontrol:door-1:Lock_Standard"] }]);
  });

  it("unassigns the I/Os whose pins an assignment needs", () => {
    h.put("IdPoint", "osdp-1", "OSDP", [["IdPoint.Reader.Type", "RS-485HD"]]);
    h.put("IdPoint", "osdp-fd", "OSDP FD", [["IdPoint.Reader.Type", "RS-485FD"]]);
    const hd = { Type: "idpoint", token: "osdp-1", Usage: "RS-485HD", MultiIo: false };
    const fd = { Type: "idpoint", token: "osdp-fd", Usage: "RS-485FD", MultiIo: false };
    expect(assign({ IoName: "Ser0hd", IoMode: "rs485hd", IoUser: [hd] }, { IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [lock] })).toEqual([]);
    // Ser0fd uses the Reader Data 1 pins of Ser0hd.
    expect(assign({ IoName: "Ser0fd", IoMode: "rs485fd", IoUser: [fd] })).toEqual([]);
    expect(assigned().map((a) => a["IoName"])).toEqual(["H1", "Ser0fd"]);
    // Moving the non-MultiIo OSDP reader to Ser2hd is fine now that it has no other I/O.
    expect(assign({ IoName: "Ser2hd", IoMode: "rs485hd", IoUser: [hd] })).toEqual([]);
  });

  it("reports every documented error and then changes nothing", () => {
    expect(assign({ IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [lock] })).toEqual([]);
    const before = assigned();
    const errors = assign(
      { IoName: "IO99", IoMode: "inout:pu/gnd", IoUser: [] },
      { IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened] },
      { IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [closed] },
      { IoName: "IN2", IoMode: "wiegand", IoUser: [opened] },
      { IoName: "IN3", IoMode: "in:pu/gnd", IoUser: [{ ...lock, token: "no-door" }, { ...lock, Usage: "Lock_Relay" }, lock] },
      { IoName: "H2", IoMode: "inout:12V/gnd", IoUser: [lock] },
      { IoName: "IN4", IoMode: "in:pu/gnd", IoUser: [rex] },
      { IoName: "IO1", IoMode: "inout:pu/gnd", IoUser: [rex] },
    ) as { IoName: string; IoUser?: { token: string; Usage: string }; Error: string }[];
    expect(errors.map((e) => `${e.IoName} ${e.IoUser === undefined ? "-" : `${e.IoUser.token}/${e.IoUser.Usage}`} ${e.Error}`)).toEqual([
      "IO99 - IoDoesNotExist",
      "IN1 - DuplicateIoAssignment",
      "IN2 - ModeNotAllowedForIo",
      "IN3 no-door/Lock_Standard IoUserTokenDoesNotExist",
      "IN3 door-1/Lock_Relay IoUserUsageDoesNotExist",
      "IN3 door-1/Lock_Standard ModeNotAllowedForIoUser",
      "IO1 rex-1/REX ModeAlreadyAssignedInRequest",
      "H2 door-1/Lock_Standard MultipleIoNotAllowed",
    ]);
    expect(assigned()).toEqual(before);
    expect(h.events.filter((e) => e.source["IoName"] !== "H1")).toEqual([]);
  });

  it("lets a MultiIo IoUser have several I/Os", () => {
    expect(assign({ IoName: "IN2", IoMode: "inout:pu/gnd", IoUser: [rex] }, { IoName: "IO1", IoMode: "inout:pu/gnd", IoUser: [rex] })).toEqual([]);
    expect(assigned().map((a) => a["IoName"])).toEqual(["IO1", "IN2"]);
  });

  it("follows the doors and IdPoints: a removed door or a changed lock loses its I/O", () => {
    expect(assign({ IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [lock] }, { IoName: "IN1", IoMode: "in:pu/gnd", IoUser: [opened, closed] }, { IoName: "IN2", IoMode: "inout:pu/gnd", IoUser: [rex] })).toEqual([]);
    // Reconfigured without an event: seen at the next request.
    h.put("Door", "door-1", "Door 1", [["Lock.Type", "Relay"], ...LOCK_AND_MONITOR.slice(1)]);
    expect(assigned().map((a) => a["IoName"])).toEqual(["IN1", "IN2"]);
    // Removed, as DoorControl announces it.
    h.state.store("Door").delete("door-1");
    h.state.store("DoorConfiguration").delete("door-1");
    h.state.publish({ topic: "tns1:Configuration/Door/Removed", source: { DoorToken: "door-1" } });
    expect(h.state.store("IoAssignment").tokens()).toEqual(["IN2"]);
    // The consequence follows its cause: every listener sees the door's removal first.
    expect(h.events.slice(-2)).toMatchObject([
      { topic: "tns1:Configuration/Door/Removed", source: { DoorToken: "door-1" } },
      { topic: "tns1:Configuration/tnsaxis:IoAssignment/Removed", source: { IoName: "IN1" } },
    ]);
  });

  it("answers SOAP as the guide's examples read", () => {
    const set = h.soap(
      `<axisio:SetIoAssignment xmlns:axisio="${AXISIO}"><axisio:IoAssignment><axisio:IoName>IN1</axisio:IoName><axisio:IoMode>in:pu/gnd</axisio:IoMode><axisio:IoUser><axisio:Type>doorcontrol</axisio:Type><axisio:token>door-1</axisio:token><axisio:Usage>DoorOpenMonitor</axisio:Usage><axisio:MultiIo>true</axisio:MultiIo></axisio:IoUser></axisio:IoAssignment></axisio:SetIoAssignment>`,
    );
    expect([set.local, set.children.length]).toEqual(["SetIoAssignmentResponse", 0]);
    const list = h.soap(`<axisio:GetIoAssignmentList xmlns:axisio="${AXISIO}"/>`);
    const user = children(children(list, "IoAssignment")[0]!, "IoUser")[0]!;
    expect(user.children.map((c) => `${c.local}=${c.text}`)).toEqual(["Type=doorcontrol", "token=door-1", "Usage=DoorOpenMonitor", "MultiIo=false"]);
  });
});

describe("I/O assignment quirks", () => {
  const withDoor = (quirk: string): Harness => {
    const h = harness([quirk]);
    h.put("Door", "door-1", "Door 1", LOCK_AND_MONITOR);
    return h;
  };

  it("io-unassign-ignored keeps the IoUsers of an I/O assigned with none", () => {
    const h = withDoor("io-unassign-ignored");
    h.call("axisio:SetIoAssignment", { IoAssignment: [{ IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [lock] }] });
    expect(h.call("axisio:SetIoAssignment", { IoAssignment: [{ IoName: "H1", IoMode: "inout:12V/gnd", IoUser: [] }] })).toEqual({ IoAssignmentError: [] });
    expect(h.call("axisio:GetIoAssignmentList").IoAssignment).toHaveLength(1);
  });

  it("io-assignment-errors-not-reported and io-assignment-failed-stored", () => {
    const bad = { IoAssignment: [{ IoName: "IO99", IoMode: "x", IoUser: [lock] }] };
    const silent = withDoor("io-assignment-errors-not-reported");
    expect(silent.call("axisio:SetIoAssignment", bad)).toEqual({ IoAssignmentError: [] });
    expect(silent.call("axisio:GetIoAssignmentList")).toEqual({ IoAssignment: [] });
    const stored = withDoor("io-assignment-failed-stored");
    expect(stored.call("axisio:SetIoAssignment", bad).IoAssignmentError).toHaveLength(1);
    expect(stored.call("axisio:GetIoAssignmentList")).toEqual({ IoAssignment: [{ IoName: "IO99", IoMode: "x", IoUser: [lock] }] });
  });

  it("io-assignment-list-unassigned lists free I/Os with IoMode none", () => {
    const list = withDoor("io-assignment-list-unassigned").call("axisio:GetIoAssignmentList").IoAssignment as Item[];
    expect(list[0]).toEqual({ IoName: "IO1", IoMode: "none", IoUser: [] });
    expect(list).toHaveLength(25);
  });
});
