/**
 * DoorControl behaviour, as raw HTTP requests and responses: factory doors, the entity rules,
 * the door state machine with its timers on the virtual clock, the physical doors, priorities,
 * door schedules and the documented events.
 *
 * The Schedule service's contract (schedule/evaluate.ts) is replaced here by one that also knows
 * "test_office_hours" (09:00–17:00 UTC every day), so the door schedule's boundaries can be
 * tested on the virtual clock without setting up a schedule.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import AjvModule from "ajv";
import type { DeviceEvent, RunningDevice } from "../../src/device/server.js";

const OFFICE_START = 9;
const OFFICE_END = 17;
const HOUR = 3_600_000;

jest.unstable_mockModule("../../src/device/schedule/evaluate.js", () => ({
  isScheduleActive: (_state: unknown, token: string, at: number): boolean | undefined => {
    if (token === "standard_always") return true;
    if (token === "standard_never") return false;
    if (token !== "test_office_hours") return undefined;
    const h = new Date(at).getUTCHours();
    return h >= OFFICE_START && h < OFFICE_END;
  },
  isScheduleInException: (_state: unknown, token: string): boolean | undefined => (["standard_always", "standard_never", "test_office_hours"].includes(token) ? false : undefined),
  nextScheduleChange: (_state: unknown, token: string, after: number): number | undefined => {
    if (token !== "test_office_hours") return undefined;
    const day = Math.floor(after / (24 * HOUR)) * 24 * HOUR;
    return [OFFICE_START, OFFICE_END, 24 + OFFICE_START].map((h) => day + h * HOUR).find((t) => t > after);
  },
}));

const { startDevice } = await import("../../src/device/server.js");
const { DOOR_CONTROL_QUIRKS } = await import("../../src/device/door-control/quirks.js");
const { BASIC, door, json, jsonFaultCodes, ok, soap, soapFaultCodes, children, attr, SOAP_ENV } = await import("./helpers.js");
const { schemas: tdcSchemas } = await import("../../generated/tdc/schemas.js");
const { schemas: axtdcSchemas } = await import("../../generated/axtdc/schemas.js");

const TDC = "http://www.onvif.org/ver10/doorcontrol/wsdl";
const AXTDC = "http://www.axis.com/vapix/ws/DoorControl";
const AXCONF = "http://www.axis.com/vapix/ws/Config";
const START = "virtual=2026-01-05T08:00:00Z";
const NOT_FOUND = ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"];
const FAILURE = ["env:Receiver", "ter:Action", "ter:Failure"];

type Body = Record<string, any>;

function virtualDevice(events?: DeviceEvent[], options: { quirks?: string[]; populate?: { doors: number } } = {}): Promise<RunningDevice> {
  return startDevice({ clock: START, backdoor: true, ...options, ...(events === undefined ? {} : { onEvent: (e: DeviceEvent) => events.push(e) }) });
}


/** A standard lock with a lock monitor, a door monitor, and optionally a monitored double lock. */
function configuration(doubleLock = false): Body[] {
  return [
    { Name: "Lock.Type", Value: "Standard" },
    { Name: "Lock.LockMonitor.ValueWhenLocked", Value: "Input Ground" },
    { Name: "Lock.LockMonitor.ValueWhenUnlocked", Value: "Input Open" },
    { Name: "DoorMonitor.ValueWhenOpen", Value: "Input Open" },
    { Name: "DoorMonitor.ValueWhenClosed", Value: "Input Ground" },
    { Name: "DoubleLock.Type", Value: doubleLock ? "Standard" : "None" },
    ...(doubleLock ? [{ Name: "DoubleLock.LockMonitor.ValueWhenLocked", Value: "Input Ground" }] : []),
  ];
}

async function addDoor(device: RunningDevice, token: string, options: { door?: Body; doubleLock?: boolean; schedule?: string } = {}): Promise<void> {
  await ok(device, "axtdc:SetDoor", { Door: [door(token, options.door)] });
  await ok(device, "axtdc:SetDoorConfiguration", {
    DoorConfiguration: [{ token, Configuration: configuration(options.doubleLock), ...(options.schedule === undefined ? {} : { DoorScheduleConfiguration: options.schedule }) }],
  });
}

async function state(device: RunningDevice, token: string): Promise<Body> {
  return (await ok(device, "tdc:GetDoorState", { Token: token })).DoorState as Body;
}

async function mode(device: RunningDevice, token: string): Promise<string> {
  return (await state(device, token))["DoorMode"] as string;
}

async function priorities(device: RunningDevice, token: string): Promise<string[]> {
  return ((await ok(device, "axtdc:GetDoorPriorityState", { Token: token })).DoorPriorityAction as Body[]).map((l) => `${l["PriorityLevel"]}=${l["DoorAction"]}/${l["Reason"]}`);
}

/** GET /backdoor`path` (the world, or "/clock"). */
async function backdoor(device: RunningDevice, path = ""): Promise<Body> {
  return (await (await fetch(`${device.url}/backdoor${path}`, { headers: { authorization: BASIC } })).json()) as Body;
}

async function fault(device: RunningDevice, op: string, input: unknown): Promise<string[]> {
  const r = await json(device, op, input);
  if (r.status === 200) throw new Error(`${op}: expected a fault, got ${JSON.stringify(r.body)}`);
  return jsonFaultCodes(r.body);
}

/** "topic State" of the events about one door since `from`. */
function doorEvents(events: readonly DeviceEvent[], token: string, from = 0): string[] {
  return events
    .slice(from)
    .filter((e) => e.source["DoorToken"] === token)
    .map((e) => `${e.topic.replace("tns1:Door/State/", "")} ${String(e.data["State"])}`);
}

describe("DoorControl factory defaults", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await virtualDevice();
  });
  afterAll(() => device.close());

  it("has the Standard priority configuration and two doors with Axis tokens, linked configurations and DoorInfo", async () => {
    expect((await ok(device, "axtdc:GetPriorityConfigurationList")).PriorityConfiguration).toEqual([
      { token: "Standard", Name: "Standard", DefaultPriority: "Normal", DoorPriorityAction: [{ PriorityLevel: "Normal", DoorAction: "Lock" }] },
    ]);
    const doors = (await ok(device, "axtdc:GetDoorList")).Door as Body[];
    expect(doors.map((d) => d["Name"])).toEqual(["Door 1", "Door 2"]);
    for (const d of doors) expect(d["token"]).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
    const configs = (await ok(device, "axtdc:GetDoorConfigurationList")).DoorConfiguration as Body[];
    expect(configs.map((c) => c["token"])).toEqual(doors.map((d) => d["token"]));
    expect(configs[0]!["DeviceUUID"]).toBe("5581ad80-95b0-11e0-b883-00408c184bdb");
    const settings = new Map((configs[0]!["Configuration"] as Body[]).map((c) => [c["Name"], c["Value"]]));
    expect([settings.get("Lock.Type"), settings.get("DoorMonitor.ValueWhenOpen"), settings.get("DoubleLock.Type"), settings.get("Lock.BoltOutTime")]).toEqual(["Standard", "Input Open", "None", "700"]);
    const info = (await ok(device, "tdc:GetDoorInfoList")).DoorInfo as Body[];
    expect(info[0]).toMatchObject({ token: doors[0]!["token"], Name: "Door 1", Capabilities: { Access: true, Lock: true, DoubleLock: false, DoorMonitor: true, LockMonitor: false, Alarm: true, PriorityLevels: 1 } });
    expect(await state(device, doors[0]!["token"])).toEqual({ DoorPhysicalState: "Closed", Alarm: "Normal", Tamper: { State: "NotInTamper" }, Fault: { State: "NotInFault" }, DoorMode: "Locked" });
    expect(await ok(device, "tdc:GetServiceCapabilities")).toEqual({ Capabilities: { MaxLimit: 100, GetDoorSupported: true, SetDoorSupported: true, PriorityConfigurationSupported: true } });
  });

  it("shows the world's doors through the back door, and snapshots their state", async () => {
    const view = await backdoor(device);
    expect((view["World"]["Doors"] as Body[]).map((d) => d["DoorMode"])).toEqual(["Locked", "Locked"]);
    expect((view["Stimuli"] as Body[]).map((s) => s["Stimulus"])).toEqual(expect.arrayContaining(["CloseDoor", "FaultDoor", "ForceDoor", "OpenDoor", "TamperDoor"]));
    const snap = device.snapshot().runtime["DoorControl"] as Record<string, Body>;
    expect(Object.values(snap).map((d) => [d["DoorMode"], d["DoorPhysicalState"], d["PriorityState"]])).toEqual([
      ["Locked", "Closed", ["Normal=Lock"]],
      ["Locked", "Closed", ["Normal=Lock"]],
    ]);
  });
});

describe("DoorControl responses conform to the generated JSON Schemas", () => {
  it("for all 33 operations", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const device = await virtualDevice(undefined, { populate: { doors: 2 } });
    try {
      const calls: [string, unknown][] = [
        ["tdc:GetServiceCapabilities", {}],
        ["tdc:GetDoorInfoList", { Limit: 1 }],
        ["tdc:GetDoorInfo", { Token: ["door-0001"] }],
        ["tdc:GetDoorState", { Token: "door-0001" }],
        ["tdc:AccessDoor", { Token: "door-0001", AccessTime: "PT3S" }],
        ["axtdc:AccessDoorWithoutUnlock", { Token: "door-0001" }],
        ["tdc:LockDoor", { Token: "door-0001" }],
        ["tdc:UnlockDoor", { Token: "door-0001" }],
        ["tdc:BlockDoor", { Token: "door-0001" }],
        ["tdc:LockDownDoor", { Token: "door-0001" }],
        ["tdc:LockDownReleaseDoor", { Token: "door-0001" }],
        ["tdc:LockOpenDoor", { Token: "door-0001" }],
        ["tdc:LockOpenReleaseDoor", { Token: "door-0001" }],
        ["axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: "door-0002", Configuration: configuration(true) }] }],
        ["tdc:DoubleLockDoor", { Token: "door-0002" }],
        ["axtdc:ReleaseDoor", { Token: "door-0002" }],
        ["axtdc:GetDoorPriorityState", { Token: "door-0002" }],
        ["axtdc:GetDoorList", { Limit: 1 }],
        ["axtdc:GetDoor", { Token: ["door-0001"] }],
        ["axtdc:SetDoor", { Door: [door("tmp-door")] }],
        ["axtdc:RemoveDoor", { Token: ["tmp-door"] }],
        ["axtdc:GetDoorConfigurationList", {}],
        ["axtdc:GetDoorConfiguration", { Token: ["door-0001"] }],
        ["axtdc:GetDoorConfigurationInfo", { Token: "door-0001" }],
        ["axtdc:RemoveDoorConfiguration", { Token: ["door-0002"] }],
        ["axtdc:SetPriorityConfiguration", { PriorityConfiguration: [{ token: "tmp-pc", Name: "P", DefaultPriority: "Low", DoorPriorityAction: [{ PriorityLevel: "Low", DoorAction: "Lock" }] }] }],
        ["axtdc:GetPriorityConfigurationList", {}],
        ["axtdc:GetPriorityConfiguration", { Token: ["tmp-pc"] }],
        ["axtdc:RemovePriorityConfiguration", { Token: ["tmp-pc"] }],
        ["axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "tmp-dsc", Name: "S", DoorSchedule: [{ ScheduledState: [{ ScheduleToken: ["standard_always"], EnterAction: "Lock" }] }] }] }],
        ["axtdc:GetDoorScheduleConfigurationList", {}],
        ["axtdc:GetDoorScheduleConfiguration", { Token: ["tmp-dsc"] }],
        ["axtdc:RemoveDoorScheduleConfiguration", { Token: ["tmp-dsc"] }],
      ];
      const failures: string[] = [];
      for (const [op, input] of calls) {
        const r = await json(device, op, input);
        const [prefix, name] = op.split(":") as [string, string];
        const schema = (prefix === "tdc" ? tdcSchemas : axtdcSchemas) as unknown as Record<string, object>;
        const validate = ajv.compile(schema[`${name}Response`]!);
        if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
      }
      expect(failures).toEqual([]);
      expect(new Set(calls.map(([op]) => op)).size).toBe(33);
    } finally {
      await device.close();
    }
  });
});

describe("Door, DoorConfiguration, PriorityConfiguration and DoorScheduleConfiguration items", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await virtualDevice(events);
  });
  afterAll(() => device.close());

  it("fills omitted Door fields and configuration defaults, and derives DoorInfo from both", async () => {
    await ok(device, "axtdc:SetDoor", { Door: [{ token: "bare", Name: "Bare", AccessTime: "PT7S" }] });
    expect(((await ok(device, "axtdc:GetDoor", { Token: ["bare"] })).Door as Body[])[0]).toEqual(door("bare", { Name: "Bare", Description: undefined, AccessTime: "PT7S", OpenTooLongTime: "PT10S", ExtendedOpenTooLongTime: "PT30S", ExtendedAccessTime: "PT30S" }));
    // No configuration yet: a virtual lock (Lock.Type None), no monitors.
    expect(((await ok(device, "tdc:GetDoorInfo", { Token: ["bare"] })).DoorInfo as Body[])[0]!["Capabilities"]).toMatchObject({ Lock: true, DoorMonitor: false, Alarm: false, DoubleLock: false });
    expect(await state(device, "bare")).toEqual({ Fault: { State: "NotInFault" }, DoorMode: "Locked" });
    await ok(device, "axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: "bare", Configuration: configuration(true) }] });
    expect(((await ok(device, "tdc:GetDoorInfo", { Token: ["bare"] })).DoorInfo as Body[])[0]!["Capabilities"]).toMatchObject({ DoubleLock: true, DoubleLockMonitor: true, DoorMonitor: true, LockMonitor: true, Alarm: true, Warning: true });
    const info = (await ok(device, "axtdc:GetDoorConfigurationInfo", { Token: "bare" })).ConfigurationInfo as Body[];
    expect(info.find((c) => c["Name"] === "DoubleLock.Type")).toEqual({ Name: "DoubleLock.Type", Value: "Standard", Type: "xs:string", Enums: ["None", "Standard", "Relay"], Description: expect.any(String) });
    expect(info.find((c) => c["Name"] === "Lock.ValueWhenLocked")).toMatchObject({ Value: "Gnd", DependOnName: "Lock.Type", DependOnValue: "Standard" });
    expect(events.some((e) => e.topic === "tns1:Configuration/Door/Changed" && e.source["DoorToken"] === "bare")).toBe(true);
  });

  it("validates timings, settings and schedule configurations before storing anything", async () => {
    expect(await fault(device, "axtdc:SetDoor", { Door: [door("ok-1"), door("bad", { AccessTime: "" })] })).toEqual(["env:Sender", "ter:InvalidArgs"]);
    expect((await ok(device, "axtdc:GetDoor", { Token: ["ok-1"] })).Door).toEqual([]);
    expect(await fault(device, "axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: "x", Configuration: [{ Name: "Lock.Type", Value: "Magnetic" }] }] })).toEqual([
      "env:Sender",
      "ter:InvalidArgVal",
      "ter:InvalidDoorConfigurationFault",
    ]);
    const twoUnnamed = { token: "dsc-x", DoorSchedule: [{ PriorityLevel: "", ScheduledState: [] }, { ScheduledState: [] }] };
    expect(await fault(device, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [twoUnnamed] })).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidDoorScheduleFault"]);
    expect(await fault(device, "axtdc:SetPriorityConfiguration", { PriorityConfiguration: [{ token: "p", Name: "P", DefaultPriority: "Nope", DoorPriorityAction: [{ PriorityLevel: "A", DoorAction: "Lock" }] }] })).toEqual([
      "env:Sender",
      "ter:InvalidArgs",
    ]);
  });

  it("keeps Standard built in and a used PriorityConfiguration, and removes a door's configurations with it", async () => {
    expect(await fault(device, "axtdc:SetPriorityConfiguration", { PriorityConfiguration: [{ token: "Standard", Name: "Mine", DefaultPriority: "", DoorPriorityAction: [{ PriorityLevel: "X", DoorAction: "Lock" }] }] })).toEqual([
      "env:Receiver",
      "ter:ActionNotSupported",
      "ter:NotSupported",
    ]);
    await ok(device, "axtdc:SetPriorityConfiguration", { PriorityConfiguration: [{ token: "two", Name: "Two", DefaultPriority: "Normal", DoorPriorityAction: [{ PriorityLevel: "High", DoorAction: "Release" }, { PriorityLevel: "Normal", DoorAction: "Lock" }] }] });
    await ok(device, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "gone", DoorSchedule: [] }] });
    await addDoor(device, "gone", { door: { PriorityConfiguration: "two" } });
    expect(await fault(device, "axtdc:RemovePriorityConfiguration", { Token: ["two"] })).toEqual(["env:Receiver", "ter:ActionNotSupported", "ter:NotSupported"]);
    expect(await fault(device, "axtdc:RemovePriorityConfiguration", { Token: ["no-such"] })).toEqual(NOT_FOUND);
    await ok(device, "axtdc:RemoveDoor", { Token: ["gone"] });
    expect((await ok(device, "axtdc:GetDoorConfiguration", { Token: ["gone"] })).DoorConfiguration).toEqual([]);
    expect((await ok(device, "axtdc:GetDoorScheduleConfiguration", { Token: ["gone"] })).DoorScheduleConfiguration).toEqual([]);
    await ok(device, "axtdc:RemovePriorityConfiguration", { Token: ["two"] });
    expect(events.some((e) => e.topic === "tns1:Configuration/Door/Removed" && e.source["DoorToken"] === "gone")).toBe(true);
  });

  it("answers NotFound for unknown doors, AccessDoorWithoutUnlock's under env:Receiver as documented", async () => {
    for (const op of ["tdc:GetDoorState", "tdc:AccessDoor", "tdc:LockDoor", "tdc:UnlockDoor", "tdc:BlockDoor", "tdc:LockDownDoor", "tdc:LockDownReleaseDoor", "tdc:LockOpenDoor", "tdc:LockOpenReleaseDoor", "tdc:DoubleLockDoor", "axtdc:ReleaseDoor", "axtdc:GetDoorPriorityState", "axtdc:GetDoorConfigurationInfo"]) {
      expect([op, await fault(device, op, { Token: "ghost" })]).toEqual([op, NOT_FOUND]);
    }
    expect(await fault(device, "axtdc:AccessDoorWithoutUnlock", { Token: "ghost" })).toEqual(["env:Receiver", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(await fault(device, "tdc:AccessDoor", { Token: "ghost", AccessTime: "soon" })).toEqual(["env:Sender", "ter:InvalidArgs"]);
  });
});

describe("the door state machine", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await virtualDevice(events);
    await addDoor(device, "d1", { doubleLock: true });
  });
  afterAll(() => device.close());

  it("moves DoorMode and the locks with each command, publishing each change once", async () => {
    const from = events.length;
    await ok(device, "tdc:UnlockDoor", { Token: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Unlocked", LockPhysicalState: "Unlocked", DoubleLockPhysicalState: "Unlocked" });
    await ok(device, "tdc:BlockDoor", { Token: "d1" });
    expect(await mode(device, "d1")).toBe("Blocked");
    expect(await fault(device, "tdc:AccessDoor", { Token: "d1" })).toEqual(FAILURE);
    await ok(device, "tdc:DoubleLockDoor", { Token: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "DoubleLocked", LockPhysicalState: "Locked", DoubleLockPhysicalState: "Locked" });
    await ok(device, "tdc:LockDoor", { Token: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Locked", LockPhysicalState: "Locked", DoubleLockPhysicalState: "Unlocked" });
    await ok(device, "tdc:LockDoor", { Token: "d1" });
    expect(doorEvents(events, "d1", from)).toEqual([
      "DoorMode Unlocked",
      "LockPhysicalState Unlocked",
      "DoorMode Blocked",
      "LockPhysicalState Locked",
      "DoorMode DoubleLocked",
      "DoubleLockPhysicalState Locked",
      "DoorMode Locked",
      "DoubleLockPhysicalState Unlocked",
    ]);
  });

  it("refuses every other command while LockedDown or LockedOpen, and the releases in any other mode", async () => {
    expect(await fault(device, "tdc:LockDownReleaseDoor", { Token: "d1" })).toEqual(FAILURE);
    expect(await fault(device, "tdc:LockOpenReleaseDoor", { Token: "d1" })).toEqual(FAILURE);
    await ok(device, "tdc:LockDownDoor", { Token: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "LockedDown", DoubleLockPhysicalState: "Locked" });
    for (const op of ["tdc:AccessDoor", "tdc:LockDoor", "tdc:UnlockDoor", "tdc:BlockDoor", "tdc:LockOpenDoor", "tdc:DoubleLockDoor", "axtdc:AccessDoorWithoutUnlock"]) {
      expect([op, await fault(device, op, { Token: "d1" })]).toEqual([op, FAILURE]);
    }
    await ok(device, "tdc:LockDownDoor", { Token: "d1" });
    await ok(device, "tdc:LockDownReleaseDoor", { Token: "d1" });
    expect(await mode(device, "d1")).toBe("Locked");
    await ok(device, "tdc:LockOpenDoor", { Token: "d1" });
    for (const op of ["tdc:AccessDoor", "tdc:LockDoor", "tdc:UnlockDoor", "tdc:BlockDoor", "tdc:LockDownDoor", "tdc:DoubleLockDoor"]) {
      expect([op, await fault(device, op, { Token: "d1" })]).toEqual([op, FAILURE]);
    }
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "LockedOpen", LockPhysicalState: "Unlocked" });
    await ok(device, "tdc:LockOpenReleaseDoor", { Token: "d1" });
    expect(await mode(device, "d1")).toBe("Locked");
  });

  it("refuses DoubleLockDoor on a door without a double lock", async () => {
    await addDoor(device, "single");
    expect(await fault(device, "tdc:DoubleLockDoor", { Token: "single" })).toEqual(FAILURE);
    expect(await mode(device, "single")).toBe("Locked");
  });

  it("relocks an access after AccessTime, or at once when the opened door closes", async () => {
    await ok(device, "tdc:AccessDoor", { Token: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Accessed", LockPhysicalState: "Unlocked" });
    device.advanceClock(4999);
    expect(await mode(device, "d1")).toBe("Accessed");
    device.advanceClock(1);
    expect(await mode(device, "d1")).toBe("Locked");

    await ok(device, "tdc:AccessDoor", { Token: "d1" });
    device.stimulate({ Stimulus: "OpenDoor", Door: "d1" });
    device.advanceClock(10_000); // past AccessTime: an opened door waits for closing
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Accessed", DoorPhysicalState: "Open", Alarm: "Normal" });
    const from = events.length;
    device.stimulate({ Stimulus: "CloseDoor", Door: "d1" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Locked", DoorPhysicalState: "Closed", LockPhysicalState: "Locked" });
    expect(doorEvents(events, "d1", from)).toEqual(["DoorPhysicalState Closed", "DoorMode Locked", "LockPhysicalState Locked"]);
  });

  it("uses AccessDoor's time overrides and the extended times", async () => {
    await ok(device, "tdc:AccessDoor", { Token: "d1", AccessTime: "PT1S" });
    device.advanceClock(1000);
    expect(await mode(device, "d1")).toBe("Locked");
    await ok(device, "tdc:AccessDoor", { Token: "d1", UseExtendedTime: true });
    device.advanceClock(14_000);
    expect(await mode(device, "d1")).toBe("Accessed");
    device.advanceClock(1000);
    expect(await mode(device, "d1")).toBe("Locked");
  });

  it("keeps the lock locked for AccessDoorWithoutUnlock", async () => {
    await ok(device, "axtdc:AccessDoorWithoutUnlock", { Token: "d1", AccessTime: "PT2S" });
    expect(await state(device, "d1")).toMatchObject({ DoorMode: "Accessed", LockPhysicalState: "Locked" });
    device.stimulate({ Stimulus: "OpenDoor", Door: "d1" });
    expect((await state(device, "d1"))["Alarm"]).toBe("Normal");
    device.stimulate({ Stimulus: "CloseDoor", Door: "d1" });
    expect(await mode(device, "d1")).toBe("Locked");
  });

  it("warns PreAlarmTime before OpenTooLongTime, then alarms; closing clears both", async () => {
    await ok(device, "tdc:AccessDoor", { Token: "d1", OpenTooLongTime: "PT8S", PreAlarmTime: "PT3S" });
    device.stimulate({ Stimulus: "OpenDoor", Door: "d1" });
    const from = events.length;
    device.advanceClock(4999);
    expect(doorEvents(events, "d1", from)).toEqual([]);
    device.advanceClock(1);
    expect(doorEvents(events, "d1", from)).toEqual(["DoorWarning DoorOpenTooLongWarn"]);
    device.advanceClock(3000);
    expect(doorEvents(events, "d1", from)).toEqual(["DoorWarning DoorOpenTooLongWarn", "DoorAlarm DoorOpenTooLong"]);
    expect((await state(device, "d1"))["Alarm"]).toBe("DoorOpenTooLong");
    device.stimulate({ Stimulus: "CloseDoor", Door: "d1" });
    expect(doorEvents(events, "d1", from).slice(2)).toEqual(["DoorPhysicalState Closed", "DoorMode Locked", "LockPhysicalState Locked", "DoorAlarm Normal", "DoorWarning Normal"]);
  });

  it("raises DoorForcedOpen when a locked door opens, never while it is Unlocked", async () => {
    const from = events.length;
    expect(device.stimulate({ Stimulus: "ForceDoor", Door: "d1" })).toMatchObject({ Alarm: "DoorForcedOpen", DoorMode: "Locked" });
    expect(await state(device, "d1")).toMatchObject({ DoorPhysicalState: "Open", Alarm: "DoorForcedOpen" });
    device.stimulate({ Stimulus: "CloseDoor", Door: "d1" });
    await ok(device, "tdc:UnlockDoor", { Token: "d1" });
    device.stimulate({ Stimulus: "OpenDoor", Door: "d1" });
    device.advanceClock(60_000);
    expect((await state(device, "d1"))["Alarm"]).toBe("Normal");
    device.stimulate({ Stimulus: "CloseDoor", Door: "d1" });
    await ok(device, "tdc:LockDoor", { Token: "d1" });
    expect(doorEvents(events, "d1", from).filter((e) => e.startsWith("DoorAlarm"))).toEqual(["DoorAlarm DoorForcedOpen", "DoorAlarm Normal"]);
  });

  it("reports tamper and faults from the world, and refuses bad stimuli", async () => {
    device.stimulate({ Stimulus: "TamperDoor", Door: "d1" });
    device.stimulate({ Stimulus: "FaultDoor", Door: "d1", Active: true });
    expect(await state(device, "d1")).toMatchObject({ Tamper: { State: "TamperDetected" }, Fault: { State: "FaultDetected" } });
    device.stimulate({ Stimulus: "TamperDoor", Door: "d1", Active: false });
    device.stimulate({ Stimulus: "FaultDoor", Door: "d1", Active: false });
    expect(await state(device, "d1")).toMatchObject({ Tamper: { State: "NotInTamper" }, Fault: { State: "NotInFault" } });
    expect(() => device.stimulate({ Stimulus: "OpenDoor", Door: "ghost" })).toThrow(/no door "ghost"/);
    expect(() => device.stimulate({ Stimulus: "TamperDoor", Door: "d1", Active: "yes" })).toThrow(/true or false/);
  });

  it("answers over SOAP 1.2: DoorState in schema order, faults with their codes", async () => {
    const r = await soap(device, `<tdc:GetDoorState xmlns:tdc="${TDC}"><tdc:Token>d1</tdc:Token></tdc:GetDoorState>`);
    expect(r.status).toBe(200);
    const s = children(r.el, "DoorState")[0]!;
    expect(s.children.map((c) => c.local)).toEqual(["DoorPhysicalState", "LockPhysicalState", "DoubleLockPhysicalState", "Alarm", "Tamper", "Fault", "DoorMode"]);
    const f = await soap(device, `<axtdc:AccessDoorWithoutUnlock xmlns:axtdc="${AXTDC}"><axtdc:Token>ghost</axtdc:Token></axtdc:AccessDoorWithoutUnlock>`);
    expect(f.status).toBe(500);
    expect(soapFaultCodes(f.el)).toEqual(["env:Receiver", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(f.el.ns).toBe(SOAP_ENV);
    const set = await soap(
      device,
      `<axtdc:SetDoorConfiguration xmlns:axtdc="${AXTDC}" xmlns:axconf="${AXCONF}"><axtdc:DoorConfiguration token="soap-door"><axtdc:Configuration><axconf:Name>DoubleLock.Type</axconf:Name><axconf:Value>Relay</axconf:Value></axtdc:Configuration></axtdc:DoorConfiguration></axtdc:SetDoorConfiguration>`,
    );
    expect(children(set.el, "Token").map((t) => t.text)).toEqual(["soap-door"]);
    const info = await soap(device, `<tdc:GetDoorInfo xmlns:tdc="${TDC}"><tdc:Token>d1</tdc:Token></tdc:GetDoorInfo>`);
    const caps = children(children(info.el, "DoorInfo")[0]!, "Capabilities")[0]!;
    expect([attr(caps, "DoubleLock"), attr(caps, "PriorityLevels")]).toEqual(["true", "1"]);
  });
});

describe("door priorities", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await virtualDevice();
    await ok(device, "axtdc:SetPriorityConfiguration", {
      PriorityConfiguration: [{ token: "myPriorityConfiguration", Name: "My Priority Configuration", DefaultPriority: "Normal", DoorPriorityAction: [{ PriorityLevel: "High", DoorAction: "Release" }, { PriorityLevel: "Normal", DoorAction: "Lock" }] }],
    });
    await addDoor(device, "myDoor", { door: { PriorityConfiguration: "myPriorityConfiguration", DefaultPriority: "Normal", AccessTime: "PT7S" } });
  });
  afterAll(() => device.close());

  it("follows the highest level with an action and falls back level by level (guide example)", async () => {
    expect(await priorities(device, "myDoor")).toEqual(["High=Release/", "Normal=Lock/"]);
    expect(((await ok(device, "tdc:GetDoorInfo", { Token: ["myDoor"] })).DoorInfo as Body[])[0]!["Capabilities"]["PriorityLevels"]).toBe(2);
    await ok(device, "tdc:UnlockDoor", { Token: "myDoor", PriorityLevel: "High" });
    expect(await priorities(device, "myDoor")).toEqual(["High=Unlock/API", "Normal=Lock/"]);
    await ok(device, "tdc:LockDoor", { Token: "myDoor" });
    expect(await mode(device, "myDoor")).toBe("Unlocked");
    expect(await fault(device, "tdc:AccessDoor", { Token: "myDoor" })).toEqual(FAILURE);
    await ok(device, "axtdc:ReleaseDoor", { Token: "myDoor", PriorityLevel: "High" });
    expect(await priorities(device, "myDoor")).toEqual(["High=Release/API", "Normal=Lock/API"]);
    expect(await mode(device, "myDoor")).toBe("Locked");
    await ok(device, "axtdc:ReleaseDoor", { Token: "myDoor" });
    expect(await mode(device, "myDoor")).toBe("Locked");
    expect(await fault(device, "tdc:LockDoor", { Token: "myDoor", PriorityLevel: "Emergency" })).toEqual(FAILURE);
  });

  it("does not let a lower level release a higher level's lock down", async () => {
    await ok(device, "tdc:LockDownDoor", { Token: "myDoor", PriorityLevel: "High" });
    expect(await fault(device, "tdc:LockDownReleaseDoor", { Token: "myDoor", PriorityLevel: "Normal" })).toEqual(FAILURE);
    await ok(device, "tdc:LockDownReleaseDoor", { Token: "myDoor", PriorityLevel: "High" });
    expect(await priorities(device, "myDoor")).toEqual(["High=Release/API", "Normal=Release/API"]);
    expect(await mode(device, "myDoor")).toBe("Locked");
  });
});

describe("door schedules", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  const officeHours = (level = ""): Body => ({ PriorityLevel: level, ScheduledState: [{ ScheduleToken: ["test_office_hours"], EnterAction: "Unlock" }, { ScheduleToken: ["standard_always"], EnterAction: "Lock" }] });
  beforeAll(async () => {
    device = await virtualDevice(events); // 2026-01-05 08:00 UTC, a Monday, before office hours
  });
  afterAll(() => device.close());

  it("enters the first active state when the schedule configuration is set, then acts at each boundary", async () => {
    await ok(device, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "office", Name: "Office", DoorSchedule: [{ PriorityLevel: "", ScheduledState: [{ ScheduleToken: ["standard_never"], EnterAction: "Block" }, { ScheduleToken: ["standard_always"], EnterAction: "Unlock" }] }] }] });
    await addDoor(device, "front", { schedule: "office" });
    expect(await mode(device, "front")).toBe("Unlocked");
    expect(await priorities(device, "front")).toEqual(["Normal=Unlock/Schedule"]);

    await ok(device, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "office", Name: "Office", DoorSchedule: [officeHours()] }] });
    expect(await mode(device, "front")).toBe("Locked"); // 08:00: office hours not yet active
    const from = events.length;
    device.advanceClock(HOUR); // 09:00
    expect(await mode(device, "front")).toBe("Unlocked");
    await ok(device, "tdc:LockDoor", { Token: "front" }); // an operator locks at 09:00 …
    device.advanceClock(7 * HOUR);
    expect(await mode(device, "front")).toBe("Locked"); // … and the schedule does not re-enter its state (no exit action either)
    await ok(device, "tdc:UnlockDoor", { Token: "front" }); // 16:00
    device.advanceClock(HOUR); // 17:00: the standard_always state is entered
    expect(await mode(device, "front")).toBe("Locked");
    device.advanceClock(16 * HOUR); // 09:00 next day: office hours entered again
    expect(await mode(device, "front")).toBe("Unlocked");
    expect(doorEvents(events, "front", from).filter((e) => e.startsWith("DoorMode"))).toEqual(["DoorMode Unlocked", "DoorMode Locked", "DoorMode Unlocked", "DoorMode Locked", "DoorMode Unlocked"]);
  });

  it("works under priorities as in the guide: schedule at Normal, emergency at High", async () => {
    await ok(device, "axtdc:SetPriorityConfiguration", {
      PriorityConfiguration: [{ token: "prio", Name: "Prio", DefaultPriority: "Normal", DoorPriorityAction: [{ PriorityLevel: "High", DoorAction: "Release" }, { PriorityLevel: "Normal", DoorAction: "Lock" }] }],
    });
    await ok(device, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "mySchedule", DoorSchedule: [officeHours("Normal")] }] });
    await addDoor(device, "back", { door: { PriorityConfiguration: "prio" }, schedule: "mySchedule" });
    expect(await priorities(device, "back")).toEqual(["High=Release/", "Normal=Unlock/Schedule"]); // Tuesday 09:00
    device.advanceClock(8 * HOUR); // 17:00
    expect(await priorities(device, "back")).toEqual(["High=Release/", "Normal=Lock/Schedule"]);
    await ok(device, "tdc:UnlockDoor", { Token: "back", PriorityLevel: "High" });
    expect(await mode(device, "back")).toBe("Unlocked");
    await ok(device, "axtdc:ReleaseDoor", { Token: "back", PriorityLevel: "High" });
    expect(await mode(device, "back")).toBe("Locked");
  });

  it("holds a LockedDown door against the schedule, which acts again at its next boundary", async () => {
    await ok(device, "tdc:LockDownDoor", { Token: "front" }); // Tuesday 17:00
    device.advanceClock(16 * HOUR); // Wednesday 09:00: Unlock is not applied
    expect(await mode(device, "front")).toBe("LockedDown");
    await ok(device, "tdc:LockDownReleaseDoor", { Token: "front" });
    expect(await mode(device, "front")).toBe("Locked");
    device.advanceClock(8 * HOUR); // 17:00: Lock entered
    device.advanceClock(16 * HOUR); // Thursday 09:00: Unlock entered
    expect(await mode(device, "front")).toBe("Unlocked");
  });

  it("keeps one timer per scheduled door, at its next boundary, and none after unlinking", async () => {
    const view = await backdoor(device, "/clock");
    const labels = (view["Clock"]["Pending"] as Body[]).map((t) => `${t["Label"]} ${t["At"]}`).filter((l) => l.includes("schedule"));
    expect(labels).toEqual(["door front: schedule change 2026-01-08T17:00:00.000Z", "door back: schedule change 2026-01-08T17:00:00.000Z"]);
    await ok(device, "axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: "front", Configuration: configuration() }] });
    await ok(device, "axtdc:RemoveDoor", { Token: ["back"] });
    const after = await backdoor(device, "/clock");
    expect((after["Clock"]["Pending"] as Body[]).filter((t) => String(t["Label"]).includes("schedule"))).toEqual([]);
  });
});

describe("populated doors", () => {
  it("adds door-0001 … with the factory hardware", async () => {
    const device = await virtualDevice(undefined, { populate: { doors: 3 } });
    try {
      const tokens = ((await ok(device, "axtdc:GetDoorList")).Door as Body[]).map((d) => d["token"]);
      expect(tokens.filter((t) => String(t).startsWith("door-"))).toEqual(["door-0001", "door-0002", "door-0003"]);
      expect(await state(device, "door-0003")).toMatchObject({ DoorPhysicalState: "Closed", DoorMode: "Locked" });
    } finally {
      await device.close();
    }
  });
});

/** One focused case per DoorControl quirk: the device breaks exactly the rule the quirk names (door "q": single lock, door monitor). */
const QUIRK_CASES: Record<string, (d: RunningDevice) => Promise<void>> = {
  "door-mode-unchanged": async (d) => {
    await ok(d, "tdc:UnlockDoor", { Token: "q" });
    expect(await mode(d, "q")).toBe("Locked");
  },
  "door-no-relock": async (d) => {
    await ok(d, "tdc:AccessDoor", { Token: "q" });
    d.advanceClock(60_000);
    expect(await mode(d, "q")).toBe("Accessed");
  },
  "door-access-overrides-ignored": async (d) => {
    await ok(d, "tdc:AccessDoor", { Token: "q", AccessTime: "PT1S" });
    d.advanceClock(1000);
    expect(await mode(d, "q")).toBe("Accessed");
    d.advanceClock(4000); // the door's own AccessTime
    expect(await mode(d, "q")).toBe("Locked");
  },
  "door-locked-down-accepts-commands": async (d) => {
    await ok(d, "tdc:LockDownDoor", { Token: "q" });
    await ok(d, "tdc:UnlockDoor", { Token: "q" });
    expect(await mode(d, "q")).toBe("Unlocked");
  },
  "door-release-in-any-mode": async (d) => {
    await ok(d, "tdc:LockDownReleaseDoor", { Token: "q" });
    await ok(d, "tdc:LockOpenReleaseDoor", { Token: "q" });
    expect(await mode(d, "q")).toBe("Locked");
  },
  "door-unsupported-command-accepted": async (d) => {
    await ok(d, "tdc:DoubleLockDoor", { Token: "q" });
    expect(await mode(d, "q")).toBe("Locked");
  },
  "door-capabilities-static": async (d) => {
    expect(((await ok(d, "tdc:GetDoorInfo", { Token: ["q"] })).DoorInfo as Body[])[0]!["Capabilities"]).toMatchObject({ DoubleLock: true, DoubleLockMonitor: true });
  },
  "door-configuration-not-stored": async (d) => {
    const config = ((await ok(d, "axtdc:GetDoorConfiguration", { Token: ["q"] })).DoorConfiguration as Body[])[0]!["Configuration"] as Body[];
    expect(config.find((c) => c["Name"] === "Lock.Type")?.["Value"]).toBe("None");
  },
  "door-state-omits-monitored": async (d) => {
    expect(await state(d, "q")).toEqual({ DoorMode: "Locked" });
  },
  "door-no-forced-open-alarm": async (d) => {
    expect(d.stimulate({ Stimulus: "ForceDoor", Door: "q" })).toMatchObject({ DoorPhysicalState: "Open", Alarm: "Normal" });
  },
  "door-alarm-on-passage": async (d) => {
    await ok(d, "tdc:AccessDoor", { Token: "q" });
    d.stimulate({ Stimulus: "OpenDoor", Door: "q" });
    expect((await state(d, "q"))["Alarm"]).toBe("DoorForcedOpen");
  },
  "door-no-open-too-long-alarm": async (d) => {
    await ok(d, "tdc:AccessDoor", { Token: "q", OpenTooLongTime: "PT2S", PreAlarmTime: "PT1S" });
    d.stimulate({ Stimulus: "OpenDoor", Door: "q" });
    d.advanceClock(10_000);
    expect(await state(d, "q")).toMatchObject({ DoorMode: "Accessed", Alarm: "Normal" });
  },
  "door-priority-ignored": async (d) => {
    await ok(d, "tdc:UnlockDoor", { Token: "q", PriorityLevel: "Whatever" });
    expect(await mode(d, "q")).toBe("Unlocked");
  },
  "door-schedule-ignored": async (d) => {
    await ok(d, "axtdc:SetDoorScheduleConfiguration", { DoorScheduleConfiguration: [{ token: "s", DoorSchedule: [{ ScheduledState: [{ ScheduleToken: ["standard_always"], EnterAction: "Unlock" }] }] }] });
    await ok(d, "axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: "q", Configuration: configuration(), DoorScheduleConfiguration: "s" }] });
    expect(await mode(d, "q")).toBe("Locked");
  },
};

describe("DoorControl quirks", () => {
  it("has one focused case per DoorControl quirk", () => {
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(DOOR_CONTROL_QUIRKS.map((q) => q.name).sort());
  });

  it.each(Object.keys(QUIRK_CASES))("%s", async (name) => {
    const device = await virtualDevice(undefined, { quirks: [name] });
    try {
      await addDoor(device, "q");
      await QUIRK_CASES[name]!(device);
    } finally {
      await device.close();
    }
  });
});
