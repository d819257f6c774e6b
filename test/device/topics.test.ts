/**
 * The event topics of the device's services: every topic of event-logger-service.md "Notification
 * topics" for a service the device has is registered (topics.ts), and every registered topic is
 * really emitted — caused through the API, a back-door stimulus or the virtual clock — with the
 * Source and Data items its declaration names. Property topics also give their current values.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import type { DeviceState } from "../../src/device/state.js";
import type { TopicDecl } from "../../src/device/topics.js";
import { composedState, door, json, ok } from "./helpers.js";

const START = "virtual=2026-01-05T08:00:00Z";

/**
 * The table's topics of the services this device has (the EventLogger's own are the logger's). tns1:Device/tnsaxis:SystemMessage/Actionfailed
 * is left out: the device has no Action service. The IdPoint Request topics are spelled as
 * idpoint-service.md spells them (…/tnsaxis:Request/tnsaxis:IdData), the table without the last prefix.
 */
const TABLE_TOPICS = [
  "tns1:Schedule/tnsaxis:Interval",
  "tns1:Schedule/tnsaxis:Pulse",
  "tns1:Door/State/DoorMode",
  "tns1:Door/State/DoorPhysicalState",
  "tns1:Door/State/LockPhysicalState",
  "tns1:Door/State/DoubleLockPhysicalState",
  "tns1:Door/State/DoorAlarm",
  "tns1:Door/State/DoorFault",
  "tns1:Door/State/DoorTamper",
  "tns1:Door/State/DoorWarning",
  "tns1:Door/tnsaxis:Status/BatteryAlarm",
  "tns1:Door/tnsaxis:Status/LockJammed",
  "tns1:Door/tnsaxis:Status/RadioDisturbance",
  "tns1:Configuration/Door/Changed",
  "tns1:Configuration/Door/Removed",
  "tns1:IdPoint/tnsaxis:Activity",
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN",
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:REX",
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData",
  "tns1:IdPoint/tnsaxis:Status/BatteryAlarm",
  "tns1:IdPoint/tnsaxis:Status/RadioDisturbance",
  "tns1:IdPoint/tnsaxis:Timeout",
  "tns1:IdPoint/tnsaxis:Tampering",
  "tns1:Configuration/tnsaxis:IdPoint/Changed",
  "tns1:Configuration/tnsaxis:IdPoint/Removed",
  "tns1:IdPoint/tnsaxis:Status/SecureChannel",
  "tns1:IdPoint/tnsaxis:Status/Device",
  "tns1:IdPoint/tnsaxis:PreAuthorization/tnsaxis:IdData",
  "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error",
  "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Ongoing",
  "tns1:AccessControl/AccessGranted/Anonymous",
  "tns1:AccessControl/AccessGranted/Credential",
  "tns1:AccessControl/AccessTaken/Anonymous",
  "tns1:AccessControl/AccessTaken/Credential",
  "tns1:AccessControl/AccessNotTaken/Anonymous",
  "tns1:AccessControl/AccessNotTaken/Credential",
  "tns1:AccessControl/Denied/Anonymous",
  "tns1:AccessControl/Denied/Authentication/InvalidPIN",
  "tns1:AccessControl/Denied/Credential",
  "tns1:AccessControl/Denied/CredentialNotFound/Card",
  "tns1:AccessControl/Denied/CredentialNotFound/PIN",
  "tns1:AccessControl/Duress",
  "tns1:AccessPoint/State/Enabled",
  "tns1:Configuration/AccessPoint/Changed",
  "tns1:Configuration/AccessPoint/Removed",
  "tns1:Configuration/Area/Changed",
  "tns1:Configuration/Area/Removed",
  "tns1:Configuration/Credential/Changed",
  "tns1:Configuration/Credential/Removed",
  "tns1:Credential/State/ApbViolation",
  "tns1:Device/tnsaxis:Casing/Open",
  "tns1:Device/tnsaxis:IO/Port",
  "tns1:Device/tnsaxis:IO/Virtualinput",
  "tns1:Device/tnsaxis:IO/Virtualport",
  "tns1:Device/tnsaxis:Network/Lost",
  "tns1:Device/tnsaxis:Status/Systemready",
  "tns1:Device/tnsaxis:PeerConnection",
  ...["Created", "CreatedFailed", "Removed", "RemovedFailed", "Enabled"].map((n) => `tns1:Configuration/Credential/tnsaxis:ThirdPartyCredential${n}`),
  "tnsaxis:ThirdPartyCredential/Status/ProviderConnection",
  "tnsaxis:RemoteDevice/Connection/Status",
];

/** Registered by other parts (the event logger); not this suite's. */
const NOT_OURS = /^tnsaxis:EventLogger\//;
/** Never published: the device is ready before anyone can subscribe; only its Initialized message (current) is seen. */
const CURRENT_ONLY = new Set(["tns1:Device/tnsaxis:Status/Systemready"]);
/** Data items a message may add beyond its declaration: the fields a card format decodes (CardNr, FacilityCode, …). */
const OPEN_DATA = new Set(["tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData"]);
/** Declared Data items a property message may leave out (DoorControl: DoorFault's Reason only while in fault). */
const OPTIONAL_PROPERTY_DATA: Record<string, string[]> = { "tns1:Door/State/DoorFault": ["Reason"] };

function registry(): { state: DeviceState; topics: TopicDecl[] } {
  const state = composedState();
  return { state, topics: state.topics.all().filter((t) => !NOT_OURS.test(t.topic)) };
}

/** Whether a published value fits its declared XSD type (booleans are JS booleans, enums and tokens strings). */
function fits(type: string, value: unknown): boolean {
  if (type === "xs:boolean") return typeof value === "boolean";
  if (type === "xs:int") return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^-?\d+$/.test(value));
  return typeof value === "string";
}

/** What is wrong with a message of `decl` (Source exactly the declared items; Data within them, all of them for a property). */
function problems(decl: TopicDecl, source: Readonly<Record<string, unknown>>, data: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const sourceNames = decl.source.map((i) => i.name).sort();
  if (JSON.stringify(Object.keys(source).sort()) !== JSON.stringify(sourceNames)) out.push(`Source items ${JSON.stringify(Object.keys(source))}, declared ${JSON.stringify(sourceNames)}`);
  for (const item of decl.source) if (item.name in source && !fits(item.type, source[item.name])) out.push(`Source ${item.name}=${JSON.stringify(source[item.name])} is not ${item.type}`);
  const declared = new Map(decl.data.map((i) => [i.name, i.type] as const));
  for (const [name, value] of Object.entries(data)) {
    const type = declared.get(name);
    if (type === undefined) {
      if (!OPEN_DATA.has(decl.topic)) out.push(`Data item ${name} is not declared`);
    } else if (!fits(type, value)) out.push(`Data ${name}=${JSON.stringify(value)} is not ${type}`);
  }
  if (decl.property) {
    const optional = OPTIONAL_PROPERTY_DATA[decl.topic] ?? [];
    for (const item of decl.data) if (!(item.name in data) && !optional.includes(item.name)) out.push(`property Data item ${item.name} is missing`);
  }
  return out;
}

describe("the registered topics", () => {
  const { state, topics } = registry();
  const byTopic = new Map(topics.map((t) => [t.topic, t] as const));

  it("include every topic of the notification table for the services the device has", () => {
    expect(TABLE_TOPICS.filter((t) => !byTopic.has(t))).toEqual([]);
  });

  it("keep the vendor and ONVIF topics the device emits beyond the table", () => {
    for (const t of ["tns1:Credential/State/Enabled", "tns1:Configuration/Schedule/Changed", "tns1:Configuration/tnsaxis:IoAssignment/Changed"]) expect(byTopic.has(t)).toBe(true);
    expect(byTopic.has("tns1:Device/tnsaxis:SystemMessage/Actionfailed")).toBe(false);
  });

  it("describe each topic: a sentence, typed items, and current values for property topics", () => {
    for (const t of topics) {
      expect([t.topic, t.doc.length > 10]).toEqual([t.topic, true]);
      for (const item of [...t.source, ...t.data]) expect([t.topic, item.name, item.type]).toEqual([t.topic, item.name, expect.stringMatching(/^(pt|xs|tdc):[A-Za-z]+$/)]);
      expect([t.topic, t.current !== undefined]).toEqual([t.topic, t.property]);
    }
  });

  it("give property values shaped as their messages are", () => {
    for (const t of topics.filter((d) => d.property)) {
      for (const instance of t.current!(state)) expect([t.topic, problems(t, instance.source, instance.data)]).toEqual([t.topic, []]);
    }
    expect(byTopic.get("tns1:Device/tnsaxis:Status/Systemready")!.current!(state)).toEqual([{ source: {}, data: { ready: true } }]);
    expect(byTopic.get("tns1:Device/tnsaxis:IO/Virtualinput")!.current!(state)).toHaveLength(32);
    expect(byTopic.get("tns1:Door/State/DoorMode")!.current!(state).length).toBeGreaterThan(0);
  });
});

// ---- causing each topic on a running device

type Body = Record<string, any>;

interface Ctx {
  device: RunningDevice;
  /** Every event the device published so far. */
  events: DeviceEvent[];
  /** The first factory-default door, its access points and IdPoints. */
  door: string;
  accessMs: number;
  apIn: string;
  apOut: string;
  readerIn: string;
  rex: string;
}

const ical = (...lines: string[]): string => ["BEGIN:VCALENDAR", "BEGIN:VEVENT", ...lines, "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");

/** A door with every monitor and a double lock (door-control.test.ts "configuration(true)"). */
const FULL_DOOR = "ev-door";
const FULL_DOOR_CONFIGURATION = [
  { Name: "Lock.Type", Value: "Standard" },
  { Name: "Lock.LockMonitor.ValueWhenLocked", Value: "Input Ground" },
  { Name: "Lock.LockMonitor.ValueWhenUnlocked", Value: "Input Open" },
  { Name: "DoorMonitor.ValueWhenOpen", Value: "Input Open" },
  { Name: "DoorMonitor.ValueWhenClosed", Value: "Input Ground" },
  { Name: "DoubleLock.Type", Value: "Standard" },
  { Name: "DoubleLock.LockMonitor.ValueWhenLocked", Value: "Input Ground" },
];


/** A Wiegand reader with tampering detection and a keypad. */
const READER = "ev-reader";
/** A Smart Intego lock (it keeps a whitelist). */
const LOCK = "ev-lock";

async function idPoint(device: RunningDevice, token: string, configuration: { Name: string; Value: string }[]): Promise<void> {
  await ok(device, "axtid:SetIdPoint", { IdPoint: [{ token, Name: token, Area: "", MinPINSize: 4, MaxPINSize: 4, EndOfPIN: "#", HeartbeatInterval: "PT10M", Location: "", Timeout: "PT3S", Action: "", Description: "" }] });
  await ok(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token, DeviceUUID: "", IdDataConfiguration: [], Configuration: configuration }] });
}

async function apItem(device: RunningDevice, token: string): Promise<Body> {
  return ((await ok(device, "pacsaxis:GetAccessPoint", { Token: [token] })).AccessPoint as Body[])[0]!;
}

/** A credential with card 0a000001 and PIN 1234 whose profile lets it through `ap`. */
async function person(device: RunningDevice, token: string, ap: string, idData = [{ Name: "Card", Value: "0a000001" }, { Name: "PIN", Value: "1234" }], more: Body = {}): Promise<void> {
  await ok(device, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: `${token}-group`, Name: token, Enabled: true, Schedule: ["standard_always"], AccessPolicy: [{ AccessPoint: ap, Schedule: ["standard_always"] }] }] });
  await ok(device, "pacsaxis:SetCredential", {
    Credential: [{ token, UserToken: `${token}-user`, Enabled: true, Status: "Enabled", IdData: idData, CredentialAccessProfile: [{ AccessProfile: `${token}-group` }], ...more }],
  });
}

async function forget(device: RunningDevice, token: string): Promise<void> {
  await ok(device, "pacsaxis:RemoveCredential", { Token: [token] });
  await ok(device, "pacsaxis:RemoveAccessProfile", { Token: [`${token}-group`] });
}

async function withAuthentication(c: Ctx, ap: string, profiles: string[], fn: () => Promise<void> | void): Promise<void> {
  const before = await apItem(c.device, ap);
  await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...before, AuthenticationProfile: profiles }] });
  await fn();
  await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [before] });
}

const present = (c: Ctx, idPoint: string, card = "0a000001"): Body => c.device.stimulate({ Stimulus: "PresentCard", IdPoint: idPoint, Card: card });
const passDoor = (c: Ctx, door: string): void => {
  c.device.stimulate({ Stimulus: "OpenDoor", Door: door });
  c.device.stimulate({ Stimulus: "CloseDoor", Door: door });
};

/** How each topic is caused; the report of the device helper lists the same. */
const CAUSES: Record<string, (c: Ctx) => Promise<unknown> | unknown> = {
  // ---- Schedule
  "tns1:Schedule/tnsaxis:Interval": async (c) => {
    // Active now: announced at SetSchedule; the clock passing DTEND announces Active false.
    await ok(c.device, "axsch:SetSchedule", { Schedule: [{ token: "ev-interval", Name: "I", Description: "", ScheduleDefinition: ical("DTSTART:20260105T070000", "DTEND:20260105T090000") }] });
    c.device.advanceClock(60 * 60_000);
  },
  "tns1:Schedule/tnsaxis:Pulse": async (c) => {
    const now = Date.parse((await backdoorNow(c)).slice(0, 19) + "Z");
    const at = new Date(now + 60_000).toISOString().slice(0, 19).replace(/[-:]/g, "");
    await ok(c.device, "axsch:SetSchedule", { Schedule: [{ token: "ev-pulse", Name: "P", Description: "", ScheduleDefinition: ical(`DTSTART:${at}`) }] });
    c.device.advanceClock(60_000);
  },
  "tns1:Configuration/Schedule/Changed": (c) => ok(c.device, "axsch:SetSchedule", { Schedule: [{ token: "ev-sched", Name: "S", Description: "", ScheduleDefinition: ical("DTSTART:20200101T000000", "DTEND:20200101T010000") }] }),
  "tns1:Configuration/Schedule/Removed": (c) => ok(c.device, "axsch:RemoveSchedule", { Token: ["ev-sched"] }),

  // ---- DoorControl (FULL_DOOR is set up before; it is Locked and closed between causes)
  "tns1:Door/State/DoorMode": async (c) => {
    await ok(c.device, "tdc:UnlockDoor", { Token: FULL_DOOR });
    await ok(c.device, "tdc:LockDoor", { Token: FULL_DOOR });
  },
  "tns1:Door/State/LockPhysicalState": async (c) => {
    await ok(c.device, "tdc:UnlockDoor", { Token: FULL_DOOR });
    await ok(c.device, "tdc:LockDoor", { Token: FULL_DOOR });
  },
  "tns1:Door/State/DoubleLockPhysicalState": async (c) => {
    await ok(c.device, "tdc:DoubleLockDoor", { Token: FULL_DOOR });
    await ok(c.device, "tdc:LockDoor", { Token: FULL_DOOR });
  },
  "tns1:Door/State/DoorPhysicalState": (c) => passDoor(c, FULL_DOOR),
  // Opened while Locked: forced open; closing clears it.
  "tns1:Door/State/DoorAlarm": (c) => passDoor(c, FULL_DOOR),
  "tns1:Door/State/DoorWarning": async (c) => {
    await ok(c.device, "tdc:AccessDoor", { Token: FULL_DOOR });
    c.device.stimulate({ Stimulus: "OpenDoor", Door: FULL_DOOR });
    // OpenTooLongTime 20 s, PreAlarmTime 5 s: the warning comes after 15 s.
    c.device.advanceClock(15_000);
    c.device.stimulate({ Stimulus: "CloseDoor", Door: FULL_DOOR });
  },
  "tns1:Door/State/DoorTamper": (c) => {
    c.device.stimulate({ Stimulus: "TamperDoor", Door: FULL_DOOR });
    c.device.stimulate({ Stimulus: "TamperDoor", Door: FULL_DOOR, Active: false });
  },
  "tns1:Door/State/DoorFault": (c) => {
    c.device.stimulate({ Stimulus: "FaultDoor", Door: FULL_DOOR });
    c.device.stimulate({ Stimulus: "FaultDoor", Door: FULL_DOOR, Active: false });
  },
  "tns1:Door/tnsaxis:Status/BatteryAlarm": (c) => c.device.stimulate({ Stimulus: "DoorDeviceStatus", Door: FULL_DOOR, Status: "BatteryAlarm" }),
  "tns1:Door/tnsaxis:Status/LockJammed": (c) => c.device.stimulate({ Stimulus: "DoorDeviceStatus", Door: FULL_DOOR, Status: "LockJammed" }),
  "tns1:Door/tnsaxis:Status/RadioDisturbance": (c) => c.device.stimulate({ Stimulus: "DoorDeviceStatus", Door: FULL_DOOR, Status: "RadioDisturbance", Active: true }),
  "tns1:Configuration/Door/Changed": (c) => ok(c.device, "axtdc:SetDoor", { Door: [door("ev-door-2")] }),
  "tns1:Configuration/Door/Removed": (c) => ok(c.device, "axtdc:RemoveDoor", { Token: ["ev-door-2"] }),

  // ---- IdPoint (READER: Wiegand with tampering, Timeout PT3S; LOCK: Smart Intego)
  "tns1:IdPoint/tnsaxis:Activity": (c) => present(c, READER),
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData": (c) => present(c, READER),
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN": (c) => c.device.stimulate({ Stimulus: "PresentPin", IdPoint: READER, Pin: "5678#" }),
  "tns1:IdPoint/tnsaxis:Request/tnsaxis:REX": (c) => c.device.stimulate({ Stimulus: "PressRex", IdPoint: c.rex }),
  "tns1:IdPoint/tnsaxis:Timeout": (c) => {
    present(c, READER);
    c.device.advanceClock(3000);
  },
  "tns1:IdPoint/tnsaxis:Tampering": (c) => {
    c.device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: READER });
    c.device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: READER, Active: false });
  },
  "tns1:IdPoint/tnsaxis:Status/BatteryAlarm": (c) => c.device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: READER, Status: "BatteryAlarm" }),
  "tns1:IdPoint/tnsaxis:Status/RadioDisturbance": (c) => c.device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: READER, Status: "RadioDisturbance" }),
  "tns1:IdPoint/tnsaxis:Status/SecureChannel": (c) => c.device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: READER, Status: "SecureChannel", Active: true }),
  // A reader answers from the start: the change is that it stops.
  "tns1:IdPoint/tnsaxis:Status/Device": (c) => c.device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: READER, Status: "Device", Active: false }),
  "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Ongoing": async (c) => {
    await ok(c.device, "pacsaxis:SetCredential", { Credential: [{ token: "ev-wl-2", Status: "Enabled", IdData: [{ Name: "Card", Value: "bb02" }], CredentialAccessProfile: [{ AccessProfile: "ev-wl-group" }] }] });
    await ok(c.device, "axtid:GetIdPointWhiteList", { Token: [LOCK] });
    c.device.advanceClock(1000);
  },
  "tns1:IdPoint/tnsaxis:PreAuthorization/tnsaxis:IdData": (c) => expect(c.device.stimulate({ Stimulus: "WhitelistAccess", IdPoint: LOCK, Card: "aa01" })).toMatchObject({ Granted: true }),
  "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error": (c) => c.device.stimulate({ Stimulus: "WhitelistSyncError", IdPoint: LOCK, Card: "cc03" }),
  "tns1:Configuration/tnsaxis:IdPoint/Changed": (c) => ok(c.device, "axtid:SetIdPoint", { IdPoint: [{ token: "ev-idp", Name: "ev-idp" }] }),
  "tns1:Configuration/tnsaxis:IdPointConfiguration/Changed": (c) => ok(c.device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "ev-idp", DeviceUUID: "", IdDataConfiguration: [], Configuration: [] }] }),
  "tns1:Configuration/tnsaxis:IdPointConfiguration/Removed": (c) => ok(c.device, "axtid:RemoveIdPointConfiguration", { Token: ["ev-idp"] }),
  "tns1:Configuration/tnsaxis:IdPoint/Removed": (c) => ok(c.device, "axtid:RemoveIdPoint", { Token: ["ev-idp"] }),
  "tns1:Configuration/tnsaxis:IdDataConfiguration/Changed": (c) =>
    ok(c.device, "axtid:SetIdDataConfiguration", { IdDataConfiguration: [{ token: "ev-format", InputBitlength: 26, Name: "F", IdDataFieldMap: [{ Map: "10-25", Name: "CardNr", Encoding: "BinLE2Int" }], Description: "" }] }),
  "tns1:Configuration/tnsaxis:IdDataConfiguration/Removed": (c) => ok(c.device, "axtid:RemoveIdDataConfiguration", { Token: ["ev-format"] }),

  // ---- I/O assignment: the first I/O user the hardware can serve
  "tns1:Configuration/tnsaxis:IoAssignment/Changed": async (c) => {
    const { io, mode, user } = await assignable(c);
    expect((await ok(c.device, "axisio:SetIoAssignment", { IoAssignment: [{ IoName: io, IoMode: mode, IoUser: [user] }] })).AssignmentError ?? []).toEqual([]);
  },
  "tns1:Configuration/tnsaxis:IoAssignment/Removed": async (c) => {
    const { io, mode } = await assignable(c);
    await ok(c.device, "axisio:SetIoAssignment", { IoAssignment: [{ IoName: io, IoMode: mode, IoUser: [] }] });
  },

  // ---- AccessControl (the default door's entry access point takes cards, its exit one REX)
  "tns1:AccessControl/AccessGranted/Credential": async (c) => {
    await person(c.device, "ev-granted", c.apIn);
    expect(present(c, c.readerIn)).toMatchObject({ granted: true });
    c.device.advanceClock(c.accessMs);
    await forget(c.device, "ev-granted");
  },
  "tns1:AccessControl/AccessNotTaken/Credential": async (c) => {
    await person(c.device, "ev-not-taken", c.apIn);
    present(c, c.readerIn);
    c.device.advanceClock(c.accessMs);
    await forget(c.device, "ev-not-taken");
  },
  "tns1:AccessControl/AccessTaken/Credential": async (c) => {
    await person(c.device, "ev-taken", c.apIn);
    present(c, c.readerIn);
    passDoor(c, c.door);
    await forget(c.device, "ev-taken");
  },
  "tns1:AccessControl/AccessGranted/Anonymous": (c) => {
    expect(c.device.stimulate({ Stimulus: "PressRex", IdPoint: c.rex })).toMatchObject({ granted: true });
    c.device.advanceClock(c.accessMs);
  },
  "tns1:AccessControl/AccessNotTaken/Anonymous": (c) => {
    c.device.stimulate({ Stimulus: "PressRex", IdPoint: c.rex });
    c.device.advanceClock(c.accessMs);
  },
  "tns1:AccessControl/AccessTaken/Anonymous": (c) => {
    c.device.stimulate({ Stimulus: "PressRex", IdPoint: c.rex });
    passDoor(c, c.door);
  },
  "tns1:AccessControl/Denied/Anonymous": (c) => withAuthentication(c, c.apOut, ["CardOnly"], () => expect(c.device.stimulate({ Stimulus: "PressRex", IdPoint: c.rex })).toMatchObject({ granted: false })),
  "tns1:AccessControl/Denied/Credential": async (c) => {
    await person(c.device, "ev-denied", c.apIn, undefined, { Enabled: false, Status: "Disabled" });
    expect(present(c, c.readerIn)).toMatchObject({ granted: false, reason: "CredentialNotEnabled" });
    await forget(c.device, "ev-denied");
  },
  "tns1:AccessControl/Denied/CredentialNotFound/Card": (c) => expect(present(c, c.readerIn, "0bad0001")).toMatchObject({ granted: false }),
  // Later than the IdPoint's Timeout after any card, so the PIN is not taken as that card's second factor.
  "tns1:AccessControl/Denied/CredentialNotFound/PIN": (c) => (c.device.advanceClock(60_000), withAuthentication(c, c.apIn, ["PINOnly"], () => expect(c.device.stimulate({ Stimulus: "PresentPin", IdPoint: c.readerIn, Pin: "9999#" })).toMatchObject({ granted: false }))),
  "tns1:AccessControl/Denied/Authentication/InvalidPIN": async (c) => {
    await person(c.device, "ev-pin", c.apIn);
    await withAuthentication(c, c.apIn, ["CardPlusPin"], () => {
      present(c, c.readerIn);
      expect(c.device.stimulate({ Stimulus: "PresentPin", IdPoint: c.readerIn, Pin: "4321#" })).toMatchObject({ granted: false });
    });
    await forget(c.device, "ev-pin");
  },
  "tns1:AccessControl/Duress": async (c) => {
    await ok(c.device, "tac:SetAuthenticationProfile", {
      AuthenticationProfile: [
        {
          token: "ev-duress-auth",
          Name: "CardPlusDuressPIN",
          IdFactor: [
            { IdDataName: "Card", IdMatchOperatorName: "IdDataEqual", OperatorValue: "" },
            { IdDataName: "PIN", IdMatchOperatorName: "IdDataEqualToField", OperatorValue: "DuressPIN" },
          ],
          Schedule: ["standard_always"],
        },
      ],
    });
    const before = await apItem(c.device, c.apIn);
    await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...before, AuthenticationProfile: ["CardPlusPin", "ev-duress-auth"], Attribute: [...before["Attribute"], { type: "", Name: "Duress", Value: "" }] }] });
    await ok(c.device, "pacsaxis:SetAccessProfile", {
      AccessProfile: [{ token: "ev-duress-profile", Name: "Duress", Enabled: true, Schedule: ["standard_always"], Attribute: [{ type: "", Name: "Duress", Value: "" }], AccessPolicy: [{ AccessPoint: c.apIn, Schedule: ["standard_always"] }] }],
    });
    const idData = [{ Name: "Card", Value: "0a000001" }, { Name: "PIN", Value: "1234" }, { Name: "DuressPIN", Value: "1235" }];
    await person(c.device, "ev-duress", c.apIn, idData, { CredentialAccessProfile: [{ AccessProfile: "ev-duress-profile" }] });
    present(c, c.readerIn);
    expect(c.device.stimulate({ Stimulus: "PresentPin", IdPoint: c.readerIn, Pin: "1235#" })).toMatchObject({ granted: true, duress: true });
    c.device.advanceClock(c.accessMs);
    await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [before] });
    await forget(c.device, "ev-duress");
    await ok(c.device, "pacsaxis:RemoveAccessProfile", { Token: ["ev-duress-profile"] });
    await ok(c.device, "tac:RemoveAuthenticationProfile", { Token: ["ev-duress-auth"] });
  },
  "tns1:AccessPoint/State/Enabled": async (c) => {
    await ok(c.device, "tac:DisableAccessPoint", { Token: c.apIn });
    await ok(c.device, "tac:EnableAccessPoint", { Token: c.apIn });
  },
  "tns1:Credential/State/Enabled": async (c) => {
    await person(c.device, "ev-enabled", c.apIn);
    await ok(c.device, "pacsaxis:DisableCredential", { Token: "ev-enabled", Status: "Lost" });
    await forget(c.device, "ev-enabled");
  },
  "tns1:Credential/State/ApbViolation": async (c) => {
    // A Logical anti-passback rule: a second entry without leaving is a violation.
    await ok(c.device, "pacsaxis:SetArea", { Area: [{ token: "ev-out", Name: "Out" }, { token: "ev-in", Name: "In" }] });
    const before = await apItem(c.device, c.apIn);
    await ok(c.device, "pacsaxis:SetAccessPoint", {
      AccessPoint: [{ ...before, AreaFrom: "ev-out", AreaTo: "ev-in", Attribute: [{ type: "", Name: "AntiPassbackMode", Value: "Logical" }, { type: "", Name: "AntiPassbackEnforcementMode", Value: "Hard" }] }],
    });
    await person(c.device, "ev-apb", c.apIn);
    present(c, c.readerIn);
    passDoor(c, c.door);
    expect(present(c, c.readerIn)).toMatchObject({ granted: false, reason: "AntiPassbackViolation" });
    await ok(c.device, "pacsaxis:ResetAntipassbackViolation", { CredentialToken: "ev-apb" });
    await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [before] });
    await forget(c.device, "ev-apb");
    await ok(c.device, "pacsaxis:RemoveArea", { Token: ["ev-out", "ev-in"] });
  },
  "tns1:Configuration/AccessPoint/Changed": async (c) => ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(c.device, c.apIn)), token: "ev-ap" }] }),
  "tns1:Configuration/AccessPoint/Removed": (c) => ok(c.device, "pacsaxis:RemoveAccessPoint", { Token: ["ev-ap"] }),
  "tns1:Configuration/Area/Changed": (c) => ok(c.device, "pacsaxis:SetArea", { Area: [{ token: "ev-area", Name: "A" }] }),
  "tns1:Configuration/Area/Removed": (c) => ok(c.device, "pacsaxis:RemoveArea", { Token: ["ev-area"] }),
  "tns1:Configuration/Credential/Changed": (c) => ok(c.device, "pacsaxis:SetCredential", { Credential: [{ token: "ev-cred", Status: "Enabled", IdData: [{ Name: "Card", Value: "0e000001" }] }] }),
  "tns1:Configuration/Credential/Removed": (c) => ok(c.device, "pacsaxis:RemoveCredential", { Token: ["ev-cred"] }),
  "tns1:Configuration/AccessProfile/Changed": (c) => ok(c.device, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "ev-profile", Name: "P" }] }),
  "tns1:Configuration/AccessProfile/Removed": (c) => ok(c.device, "pacsaxis:RemoveAccessProfile", { Token: ["ev-profile"] }),
  "tns1:Configuration/AuthenticationProfile/Changed": (c) =>
    ok(c.device, "tac:SetAuthenticationProfile", { AuthenticationProfile: [{ token: "ev-auth", Name: "A", IdFactor: [{ IdDataName: "Card", IdMatchOperatorName: "IdDataEqual", OperatorValue: "" }], Schedule: ["standard_always"] }] }),
  "tns1:Configuration/AuthenticationProfile/Removed": (c) => ok(c.device, "tac:RemoveAuthenticationProfile", { Token: ["ev-auth"] }),
  "tns1:Configuration/AccessController/Changed": (c) => ok(c.device, "pacsaxis:SetAccessController", { AccessController: [{ token: "ev-controller", Name: "C", Description: "", AccessPoint: [] }] }),
  "tns1:Configuration/AccessControllerConfiguration/Changed": async (c) => {
    const config = ((await ok(c.device, "pacsaxis:GetAccessControllerConfigurationList")).AccessControllerConfiguration as Body[])[0]!;
    await ok(c.device, "pacsaxis:SetAccessControllerConfiguration", { AccessControllerConfiguration: [{ ...config, token: "ev-controller" }] });
  },
  "tns1:Configuration/AccessControllerConfiguration/Removed": (c) => ok(c.device, "pacsaxis:RemoveAccessControllerConfiguration", { Token: ["ev-controller"] }),
  "tns1:Configuration/AccessController/Removed": (c) => ok(c.device, "pacsaxis:RemoveAccessController", { Token: ["ev-controller"] }),

  // ---- the controller itself
  "tns1:Device/tnsaxis:Casing/Open": (c) => c.device.stimulate({ Stimulus: "OpenCasing" }),
  "tns1:Device/tnsaxis:IO/Port": (c) => {
    c.device.stimulate({ Stimulus: "SetInputPort", Port: "IN1" });
    c.device.stimulate({ Stimulus: "SetInputPort", Port: 0, Active: true });
  },
  "tns1:Device/tnsaxis:IO/Virtualinput": (c) => c.device.stimulate({ Stimulus: "SetVirtualInput", Port: 32 }),
  "tns1:Device/tnsaxis:IO/Virtualport": (c) => c.device.stimulate({ Stimulus: "SetManualTrigger", Port: 1 }),
  "tns1:Device/tnsaxis:Network/Lost": (c) => {
    c.device.stimulate({ Stimulus: "LoseNetwork" });
    c.device.stimulate({ Stimulus: "LoseNetwork", Active: false });
  },

  // ---- Third-party credentials (the simulated HID Mobile Access provider; none configured when factory-new)
  "tnsaxis:ThirdPartyCredential/Status/ProviderConnection": (c) => ok(c.device, "axtpc:SetProviderConfiguration", { ProviderName: "HIDMobileAccess", Configuration: { HIDMobileConfig: { ClientId: "ev-client", ClientSecret: "ev-secret" } } }),
  "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialCreated": (c) => ok(c.device, "axtpc:SetThirdPartyCredential", { ProviderName: "HIDMobileAccess", ThirdPartyCredential: { Credential: { token: "ev-tpc", Attribute: [{ Name: "Email", Value: "ev-tpc@example.com" }, { Name: "FirstName", Value: "Ev" }, { Name: "LastName", Value: "Tpc" }] } } }),
  "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialEnabled": (c) => c.device.stimulate({ Stimulus: "AcceptInvitation", Credential: "ev-tpc" }),
  "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialRemovedFailed": async (c) => {
    c.device.stimulate({ Stimulus: "LoseProviderConnection" });
    await json(c.device, "axtpc:RemoveThirdPartyCredential", { ProviderName: "HIDMobileAccess", Token: "ev-tpc" });
    c.device.stimulate({ Stimulus: "LoseProviderConnection", Active: false });
  },
  "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialRemoved": (c) => ok(c.device, "axtpc:RemoveThirdPartyCredential", { ProviderName: "HIDMobileAccess", Token: "ev-tpc" }),
  "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialCreatedFailed": async (c) => {
    c.device.stimulate({ Stimulus: "LoseProviderConnection" });
    await json(c.device, "axtpc:SetThirdPartyCredential", { ProviderName: "HIDMobileAccess", ThirdPartyCredential: { Credential: { token: "ev-tpc-x", Attribute: [{ Name: "Email", Value: "x@example.com" }, { Name: "FirstName", Value: "X" }, { Name: "LastName", Value: "Y" }] } } });
    c.device.stimulate({ Stimulus: "LoseProviderConnection", Active: false });
  },

  // ---- Connection: a controller that is not on the network segment cannot be paired.
  "tns1:Device/tnsaxis:PeerConnection": async (c) => {
    await ok(c.device, "aconn:AddPeers", { Peer: [{ ID: "00408C000001" }] });
    for (let i = 0; i < 100 && !c.events.some((e) => e.topic === "tns1:Device/tnsaxis:PeerConnection"); i++) await new Promise((r) => setTimeout(r, 10));
  },

  // ---- Remote I/O (the simulated network has a module at 192.0.2.21; none is added when factory-new)
  "tnsaxis:RemoteDevice/Connection/Status": async (c) => {
    await ok(c.device, "axrio:SetDevice", { Device: [{ token: "ev-rio", Username: "user", Password: "pass", IPAddress: "192.0.2.21" }] });
    c.device.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.21" });
    c.device.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.21", MAC: "00:40:8c:a9:18:21" });
  },
};

async function backdoorNow(c: Ctx): Promise<string> {
  const res = await fetch(`${c.device.url}/backdoor/clock`, { headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` } });
  return ((await res.json()) as { Clock: { Now: string } }).Clock.Now;
}

/** An I/O and mode the hardware offers for the first I/O user the doors and IdPoints have. */
async function assignable(c: Ctx): Promise<{ io: string; mode: string; user: Body }> {
  const users = (await ok(c.device, "axisio:GetIoUserInfoList")).IoUserInfo as Body[];
  const ios = (await ok(c.device, "axisio:GetIoInfoList")).IoInfo as Body[];
  for (const u of users) {
    for (const io of ios) {
      const mode = (io["IoMode"] as string[]).find((m) => (u["IoMode"] as string[]).includes(m));
      if (mode !== undefined) return { io: io["IoName"], mode, user: u["IoUser"] };
    }
  }
  throw new Error("no I/O user the hardware can serve");
}

describe("every registered topic is emitted", () => {
  const { topics } = registry();
  const events: DeviceEvent[] = [];
  const c = {} as Ctx;

  beforeAll(async () => {
    c.device = await startDevice({ clock: START, backdoor: true, onEvent: (e) => events.push(e) });
    type AP = { token: string; Entity: string; IdPointDevice: { IdPoint: string }[]; Attribute: { Name: string; Value: string }[] };
    const aps = (await ok(c.device, "pacsaxis:GetAccessPointList")).AccessPoint as AP[];
    const direction = (ap: AP): string | undefined => ap.Attribute.find((a) => a.Name === "Direction")?.Value;
    const apIn = aps.find((a) => direction(a) === "in")!;
    const apOut = aps.find((a) => direction(a) === "out" && a.Entity === apIn.Entity)!;
    Object.assign(c, {
      events,
      door: apIn.Entity,
      accessMs: 7000,
      apIn: apIn.token,
      apOut: apOut.token,
      readerIn: apIn.IdPointDevice[0]!.IdPoint,
      rex: apOut.IdPointDevice[apOut.IdPointDevice.length - 1]!.IdPoint,
    });
    const factoryDoor = ((await ok(c.device, "axtdc:GetDoor", { Token: [c.door] })).Door as Body[])[0]!;
    c.accessMs = Number(/^PT(\d+)S$/.exec(factoryDoor["AccessTime"] as string)![1]) * 1000;
    await ok(c.device, "axtdc:SetDoor", { Door: [door(FULL_DOOR)] });
    await ok(c.device, "axtdc:SetDoorConfiguration", { DoorConfiguration: [{ token: FULL_DOOR, Configuration: FULL_DOOR_CONFIGURATION }] });
    await idPoint(c.device, READER, [
      { Name: "IdPoint.Reader.Type", Value: "Wiegand" },
      { Name: "IdPoint.Tampering.Type", Value: "ActiveLow" },
    ]);
    // A whitelisted credential already on the lock (aa01), for WhitelistAccess.
    await idPoint(c.device, LOCK, [
      { Name: "IdPoint.Reader.Type", Value: "TCPIP" },
      { Name: "IdPoint.TCPIP.Protocol", Value: "SmartIntego" },
    ]);
    await ok(c.device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ token: "ev-wl-ap", Name: "WL", Entity: "no-door", IdPointDevice: [{ IdPoint: LOCK }] }] });
    await ok(c.device, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "ev-wl-group", Name: "WL", Attribute: [{ Name: "AxisWhiteList", Value: "Card" }], AccessPolicy: [{ AccessPoint: "ev-wl-ap" }] }] });
    await ok(c.device, "pacsaxis:SetCredential", { Credential: [{ token: "ev-wl-1", Status: "Enabled", IdData: [{ Name: "Card", Value: "aa01" }], CredentialAccessProfile: [{ AccessProfile: "ev-wl-group" }] }] });
    await ok(c.device, "axtid:GetIdPointWhiteList", { Token: [LOCK] });
    c.device.advanceClock(1000);
  });
  afterAll(() => c.device.close());

  it("has a way to cause each registered topic", () => {
    const registered = topics.map((t) => t.topic).filter((t) => !CURRENT_ONLY.has(t));
    expect(registered.filter((t) => CAUSES[t] === undefined)).toEqual([]);
    expect(Object.keys(CAUSES).filter((t) => !registered.includes(t))).toEqual([]);
  });

  // In the order of CAUSES: some causes build on earlier ones (a Removed after its Changed).
  for (const [topic, cause] of Object.entries(CAUSES)) {
    it(topic, async () => {
      const decl = topics.find((t) => t.topic === topic);
      expect(decl).toBeDefined();
      const from = events.length;
      await cause(c);
      const mine = events.slice(from).filter((e) => e.topic === topic);
      expect(mine.length).toBeGreaterThan(0);
      for (const e of mine) expect(problems(decl!, e.source, e.data)).toEqual([]);
    });
  }
});

describe("what the new stimuli announce", () => {
  const events: DeviceEvent[] = [];
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ clock: START, backdoor: true, onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());
  const since = (n: number, prefix: string): [string, Readonly<Record<string, string>>, Readonly<Record<string, unknown>>][] =>
    events
      .slice(n)
      .filter((e) => e.topic.startsWith(prefix))
      .map((e) => [e.topic, e.source, e.data]);

  it("DoorDeviceStatus: a property per door, announced only on a change, with the Aperio address as ID", async () => {
    const door = ((await ok(device, "axtdc:GetDoorList")).Door as Body[])[0]!["token"] as string;
    const n = events.length;
    const first = device.stimulate({ Stimulus: "DoorDeviceStatus", Door: door, Status: "LockJammed" });
    expect(first).toMatchObject({ Changed: true, ID: expect.stringMatching(/^[0-9A-F]{6}$/) });
    expect(device.stimulate({ Stimulus: "DoorDeviceStatus", Door: door, Status: "LockJammed", Active: true })).toMatchObject({ Changed: false });
    device.stimulate({ Stimulus: "DoorDeviceStatus", Door: door, Status: "LockJammed", Active: false });
    expect(since(n, "tns1:Door/tnsaxis:Status/")).toEqual([
      ["tns1:Door/tnsaxis:Status/LockJammed", { DoorToken: door }, { ID: first["ID"], State: true }],
      ["tns1:Door/tnsaxis:Status/LockJammed", { DoorToken: door }, { ID: first["ID"], State: false }],
    ]);
    expect(() => device.stimulate({ Stimulus: "DoorDeviceStatus", Door: door, Status: "Flat" })).toThrow(/BatteryAlarm, LockJammed, RadioDisturbance/);
  });

  it("IdPointDeviceStatus: SecureChannel in words, Device true until the reader stops answering", async () => {
    const idPoint = ((await ok(device, "axtid:GetIdPointConfigurationList")).IdPointConfiguration as Body[])[0]!["token"] as string;
    const n = events.length;
    device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: idPoint, Status: "SecureChannel" });
    expect(device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: idPoint, Status: "Device" })).toMatchObject({ Changed: false });
    device.stimulate({ Stimulus: "IdPointDeviceStatus", IdPoint: idPoint, Status: "Device", Active: false });
    expect(since(n, "tns1:IdPoint/tnsaxis:Status/").map(([t, , d]) => [t, d["State"]])).toEqual([
      ["tns1:IdPoint/tnsaxis:Status/SecureChannel", "Secure channel established"],
      ["tns1:IdPoint/tnsaxis:Status/Device", false],
    ]);
  });

  it("WhitelistAccess needs a Smart Intego lock holding the card; nothing is announced otherwise", async () => {
    const idPoint = ((await ok(device, "axtid:GetIdPointConfigurationList")).IdPointConfiguration as Body[])[0]!["token"] as string;
    expect(() => device.stimulate({ Stimulus: "WhitelistAccess", IdPoint: idPoint, Card: "aa01" })).toThrow(/Smart Intego/);
    await idPoint2(device);
    const n = events.length;
    expect(device.stimulate({ Stimulus: "WhitelistAccess", IdPoint: "wl-lock", Card: "dd04" })).toMatchObject({ Granted: false });
    expect(since(n, "tns1:IdPoint/tnsaxis:PreAuthorization")).toEqual([]);
    device.stimulate({ Stimulus: "WhitelistSyncError", IdPoint: "wl-lock", Card: "dd04" });
    expect(since(n, "tns1:IdPoint/")).toEqual([["tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error", { IdPointToken: "wl-lock" }, { Card: "dd04" }]]);
  });

  it("AccessPoint/State/Enabled on each change of Enabled, whatever made it; Credential/State/Enabled with Status as Reason", async () => {
    const ap = ((await ok(device, "pacsaxis:GetAccessPointList")).AccessPoint as Body[])[0]!;
    const token = ap["token"] as string;
    const n = events.length;
    await ok(device, "tac:EnableAccessPoint", { Token: token });
    await ok(device, "tac:DisableAccessPoint", { Token: token });
    await ok(device, "tac:DisableAccessPoint", { Token: token });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...ap, Enabled: true }] });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...ap, token: "new-ap", Enabled: false }] });
    expect(since(n, "tns1:AccessPoint/")).toEqual([
      ["tns1:AccessPoint/State/Enabled", { AccessPointToken: token }, { State: false }],
      ["tns1:AccessPoint/State/Enabled", { AccessPointToken: token }, { State: true }],
      // A new access point is a new instance of the property.
      ["tns1:AccessPoint/State/Enabled", { AccessPointToken: "new-ap" }, { State: false }],
    ]);
    await ok(device, "pacsaxis:SetCredential", { Credential: [{ token: "cred-1", UserToken: "user-1", Status: "Enabled", IdData: [{ Name: "Card", Value: "01" }] }] });
    const m = events.length;
    await ok(device, "pacsaxis:EnableCredential", { Token: "cred-1" });
    await ok(device, "pacsaxis:DisableCredential", { Token: "cred-1", Status: "Stolen" });
    await ok(device, "pacsaxis:SetCredential", { Credential: [{ token: "cred-1", UserToken: "user-1", Enabled: true, Status: "Enabled", IdData: [{ Name: "Card", Value: "01" }] }] });
    expect(since(m, "tns1:Credential/")).toEqual([
      ["tns1:Credential/State/Enabled", { CredentialToken: "cred-1" }, { State: false, Reason: "Stolen", ClientUpdated: true }],
      ["tns1:Credential/State/Enabled", { CredentialToken: "cred-1" }, { State: true, Reason: "Enabled", ClientUpdated: true }],
    ]);
  });

  it("ApbViolation names the credential and its holder (UserToken) as Source, as the guide shows", async () => {
    await ok(device, "pacsaxis:SetCredential", { Credential: [{ token: "cred-apb", UserToken: "user-apb", Status: "Enabled", IdData: [{ Name: "Card", Value: "02" }] }] });
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: "cred-apb", PassOkThreshold: 0, CurrentArea: "somewhere", ByTime: false, Violation: "1" }] });
    const n = events.length;
    await ok(device, "pacsaxis:ResetAntipassbackViolation", { CredentialToken: "cred-apb" });
    expect(since(n, "tns1:Credential/")).toEqual([
      ["tns1:Credential/State/ApbViolation", { CredentialToken: "cred-apb", CredentialHolderName: "user-apb" }, { Reason: "AntiPassbackViolation", ApbViolation: false, ClientUpdated: true }],
    ]);
  });

  it("ExternalAuthorization decisions say External, anonymous without a credential", async () => {
    const ap = ((await ok(device, "pacsaxis:GetAccessPointList")).AccessPoint as Body[])[0]!["token"] as string;
    await ok(device, "pacsaxis:SetCredential", { Credential: [{ token: "cred-ext", UserToken: "user-ext", Status: "Enabled", IdData: [{ Name: "Card", Value: "03" }] }] });
    const n = events.length;
    await ok(device, "tac:ExternalAuthorization", { AccessPointToken: ap, CredentialToken: "cred-ext", Decision: "Granted" });
    await ok(device, "tac:ExternalAuthorization", { AccessPointToken: ap, Decision: "Denied", Reason: "Unauthorized" });
    expect(since(n, "tns1:AccessControl/")).toEqual([
      ["tns1:AccessControl/AccessGranted/Credential", { AccessPointToken: ap }, { External: true, CredentialToken: "cred-ext", CredentialHolderName: "user-ext" }],
      ["tns1:AccessControl/Denied/Anonymous", { AccessPointToken: ap }, { External: true, Reason: "Unauthorized" }],
    ]);
  });

  it("the controller's own signals: each a property announced on change, with Axis's item names", () => {
    const n = events.length;
    device.stimulate({ Stimulus: "OpenCasing" });
    device.stimulate({ Stimulus: "OpenCasing", Active: true });
    expect(device.stimulate({ Stimulus: "SetInputPort", Port: "IN2" })).toMatchObject({ Port: 11, IoName: "IN2", Changed: true });
    device.stimulate({ Stimulus: "SetVirtualInput", Port: 5 });
    device.stimulate({ Stimulus: "SetManualTrigger", Port: 1, Active: false });
    device.stimulate({ Stimulus: "LoseNetwork" });
    expect(since(n, "tns1:Device/")).toEqual([
      ["tns1:Device/tnsaxis:Casing/Open", { Name: "DoorController" }, { Open: true }],
      ["tns1:Device/tnsaxis:IO/Port", { port: "11" }, { state: true }],
      ["tns1:Device/tnsaxis:IO/Virtualinput", { port: "5" }, { active: true }],
      ["tns1:Device/tnsaxis:Network/Lost", { interface: "eth0" }, { lost: true }],
    ]);
    expect(() => device.stimulate({ Stimulus: "SetVirtualInput", Port: 33 })).toThrow(/1 to 32/);
    expect(() => device.stimulate({ Stimulus: "SetInputPort", Port: "H1" })).toThrow(/not an input/);
    expect(() => device.stimulate({ Stimulus: "SetManualTrigger", Port: 2 })).toThrow(/manual trigger/);
  });
});

async function idPoint2(device: RunningDevice): Promise<void> {
  await idPoint(device, "wl-lock", [
    { Name: "IdPoint.Reader.Type", Value: "TCPIP" },
    { Name: "IdPoint.TCPIP.Protocol", Value: "SmartIntego" },
  ]);
}
