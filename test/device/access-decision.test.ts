/**
 * The access decision end to end: id data at an IdPoint (back-door stimuli) or through
 * RequestAccess/VerifyRequest → access point → credential → access profiles, schedules,
 * authentication, anti-passback → the documented reason, the events, and the door.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { ACCESS_CONTROL_QUIRKS } from "../../src/device/access-control/quirks.js";
import { parseDuration } from "../../src/device/duration.js";
import { json, jsonFaultCodes, ok } from "./helpers.js";

const CONTROLLER = "Axis-00408c184bdb AccessController";
const START = "virtual=2026-01-05T08:00:00Z";


interface Defaults {
  door: string;
  /** The door's AccessTime and ExtendedAccessTime in ms. */
  accessMs: number;
  extendedMs: number;
  apIn: string;
  apOut: string;
  readerIn: string;
  rex: string;
}

/** The first factory-default door, its two access points ("in", "out") and IdPoints, and its times. */
async function door1(device: RunningDevice): Promise<Defaults> {
  type AP = { token: string; Entity: string; IdPointDevice: { IdPoint: string }[]; Attribute: { Name: string; Value: string }[] };
  const aps = (await ok(device, "pacsaxis:GetAccessPointList")).AccessPoint as AP[];
  const direction = (ap: AP): string | undefined => ap.Attribute.find((a) => a.Name === "Direction")?.Value;
  const apIn = aps.find((a) => direction(a) === "in")!;
  const apOut = aps.find((a) => direction(a) === "out" && a.Entity === apIn.Entity)!;
  const door = ((await ok(device, "axtdc:GetDoor", { Token: [apIn.Entity] })).Door as Record<string, string>[])[0]!;
  return {
    door: apIn.Entity,
    accessMs: parseDuration(door["AccessTime"]!)!,
    extendedMs: parseDuration(door["ExtendedAccessTime"]!)!,
    apIn: apIn.token,
    apOut: apOut.token,
    readerIn: apIn.IdPointDevice[0]!.IdPoint,
    rex: apOut.IdPointDevice[apOut.IdPointDevice.length - 1]!.IdPoint,
  };
}

async function doorMode(device: RunningDevice, door: string): Promise<string> {
  return ((await ok(device, "tdc:GetDoorState", { Token: door })).DoorState as { DoorMode: string }).DoorMode;
}

interface Person {
  credential?: Record<string, unknown>;
  profile?: Record<string, unknown>;
  policy?: Record<string, unknown>;
  idData?: { Name: string; Value: string }[];
}

/** An access profile with a policy for `ap` and a credential holding it (both standard_always unless told otherwise). */
async function person(device: RunningDevice, token: string, ap: string, p: Person = {}): Promise<void> {
  await ok(device, "pacsaxis:SetAccessProfile", {
    AccessProfile: [{ token: `${token}-group`, Name: token, Enabled: true, Schedule: ["standard_always"], AccessPolicy: [{ AccessPoint: ap, Schedule: ["standard_always"], ...p.policy }], ...p.profile }],
  });
  await ok(device, "pacsaxis:SetCredential", {
    Credential: [
      {
        token,
        UserToken: `${token}-user`,
        Enabled: true,
        Status: "Enabled",
        IdData: p.idData ?? [{ Name: "Card", Value: "0a000001" }, { Name: "PIN", Value: "1234" }],
        CredentialAccessProfile: [{ AccessProfile: `${token}-group` }],
        ...p.credential,
      },
    ],
  });
}

async function forget(device: RunningDevice, token: string): Promise<void> {
  await ok(device, "pacsaxis:RemoveCredential", { Token: [token] });
  await ok(device, "pacsaxis:RemoveAccessProfile", { Token: [`${token}-group`] });
}

function verify(device: RunningDevice, ap: { source?: string; target?: string }, idData: { Name: string; Value: string }[], op = "pacsaxis:VerifyRequest"): Promise<Record<string, unknown>> {
  return ok(device, op, { Token: CONTROLLER, IdData: idData, ...(ap.source !== undefined ? { SourceToken: ap.source } : {}), ...(ap.target !== undefined ? { TargetToken: ap.target } : {}) });
}

const card = (value = "0a000001"): { Name: string; Value: string }[] => [{ Name: "Card", Value: value }];

describe("the access decision with the factory-default doors and IdPoints", () => {
  let device: RunningDevice;
  let d: Defaults;
  const events: DeviceEvent[] = [];
  const since = (n: number): string[] => events.slice(n).map((e) => e.topic).filter((t) => t.startsWith("tns1:AccessControl/") || t.startsWith("tns1:Credential/State"));
  beforeAll(async () => {
    device = await startDevice({ clock: START, backdoor: true, onEvent: (e) => events.push(e) });
    d = await door1(device);
  });
  afterAll(() => device.close());

  it("ties each default door to its readers and REX input, listed by the device's AccessController", async () => {
    const controller = ((await ok(device, "pacsaxis:GetAccessController", { Token: [CONTROLLER] })).AccessController as { AccessPoint: string[] }[])[0]!;
    expect(controller.AccessPoint).toEqual(expect.arrayContaining([d.apIn, d.apOut]));
    const [apIn, apOut] = (await ok(device, "pacsaxis:GetAccessPoint", { Token: [d.apIn, d.apOut] })).AccessPoint as Record<string, unknown>[];
    expect(apIn).toMatchObject({ Entity: d.door, AuthenticationProfile: ["CardOnly"], Attribute: [{ Name: "Direction", Value: "in" }], Action: "Access" });
    expect(apOut).toMatchObject({ Entity: d.door, AuthenticationProfile: ["CardOnly", "REXOnly"], Attribute: [{ Name: "Direction", Value: "out" }] });
  });

  it("a card at the entry reader accesses the door, which relocks after AccessTime; access granted, then not taken", async () => {
    await person(device, "c-card", d.apIn);
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" })).toMatchObject({ granted: true, reason: "Granted", accessPoint: d.apIn, credential: "c-card", door: d.door });
    expect(await doorMode(device, d.door)).toBe("Accessed");
    device.advanceClock(d.accessMs);
    expect(await doorMode(device, d.door)).toBe("Locked");
    expect(since(n)).toEqual(["tns1:AccessControl/AccessGranted/Credential", "tns1:AccessControl/AccessNotTaken/Credential"]);
    expect(events.find((e) => e.topic === "tns1:AccessControl/AccessGranted/Credential" && e.data["CredentialToken"] === "c-card")).toMatchObject({ source: { AccessPointToken: d.apIn }, data: { CredentialHolderName: "c-card-user" } });
    await forget(device, "c-card");
  });

  it("opening the door after the grant is AccessTaken; closing it relocks", async () => {
    await person(device, "c-taken", d.apIn);
    const n = events.length;
    device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" });
    device.stimulate({ Stimulus: "OpenDoor", Door: d.door });
    device.stimulate({ Stimulus: "CloseDoor", Door: d.door });
    expect(await doorMode(device, d.door)).toBe("Locked");
    expect(since(n)).toEqual(["tns1:AccessControl/AccessGranted/Credential", "tns1:AccessControl/AccessTaken/Credential"]);
    await forget(device, "c-taken");
  });

  it("RequestAccess grants and accesses the door; VerifyRequest decides the same without acting", async () => {
    await person(device, "c-api", d.apIn);
    const n = events.length;
    expect(await verify(device, { source: d.readerIn, target: d.door }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await doorMode(device, d.door)).toBe("Locked");
    expect(since(n)).toEqual([]);
    expect(await verify(device, { source: d.readerIn }, card(), "pacsaxis:RequestAccess")).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await doorMode(device, d.door)).toBe("Accessed");
    device.advanceClock(d.accessMs);
    // TargetToken must be the access point's entity, SourceToken one of its IdPoints, Action its action.
    expect(await verify(device, { source: d.readerIn, target: "another-door" }, card())).toEqual({ AccessGranted: false, Reason: "Unauthorized" });
    expect(await ok(device, "pacsaxis:VerifyRequest", { Token: CONTROLLER, IdData: card(), SourceToken: d.readerIn, Action: "AccessDoor" })).toEqual({ AccessGranted: false, Reason: "Unauthorized" });
    const r = await json(device, "pacsaxis:RequestAccess", { Token: "no-such-controller", IdData: card() });
    expect([r.status, jsonFaultCodes(r.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    await forget(device, "c-api");
  });

  it("an unknown card is InvalidCredential with Denied/CredentialNotFound/Card; nothing opens", async () => {
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0badcafe" })).toMatchObject({ granted: false, reason: "InvalidCredential" });
    expect(since(n)).toEqual(["tns1:AccessControl/Denied/CredentialNotFound/Card"]);
    expect(events[events.length - 1]!.data).toEqual({ Card: "0badcafe" });
    expect(await doorMode(device, d.door)).toBe("Locked");
  });

  it("Card + PIN: the card alone waits for the PIN; the right PIN grants, a wrong one is InvalidCredential (Denied/Authentication/InvalidPIN)", async () => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardPlusPin"] }] });
    await person(device, "c-pin", d.apIn);
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" })).toMatchObject({ granted: false, pending: "PIN" });
    expect(since(n)).toEqual([]);
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: d.readerIn, Pin: "9999#" })).toMatchObject({ granted: false, reason: "InvalidCredential", credential: "c-pin" });
    expect(since(n)).toEqual(["tns1:AccessControl/Denied/Authentication/InvalidPIN"]);
    expect(await doorMode(device, d.door)).toBe("Locked");
    device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" });
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: d.readerIn, Pin: "1234#" })).toMatchObject({ granted: true, door: d.door });
    device.advanceClock(d.accessMs);
    // Over the API there is no one to ask: the card alone is not enough.
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "InvalidCredential" });
    expect(await verify(device, { source: d.readerIn }, [...card(), { Name: "PIN", Value: "1234" }])).toEqual({ AccessGranted: true, Reason: "Granted" });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardOnly"] }] });
    await forget(device, "c-pin");
  });

  it("a PIN shared by several credentials grants with an empty CredentialToken (PINOnly)", async () => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["PINOnly"] }] });
    await person(device, "c-pin-a", d.apIn, { idData: [{ Name: "PIN", Value: "4321" }] });
    await person(device, "c-pin-b", d.apIn, { idData: [{ Name: "PIN", Value: "4321" }] });
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: d.readerIn, Pin: "4321#" })).toMatchObject({ granted: true, credential: "" });
    expect(events.slice(n).find((e) => e.topic === "tns1:AccessControl/AccessGranted/Credential")?.data).toEqual({ CredentialToken: "", CredentialHolderName: "" });
    device.advanceClock(d.accessMs);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardOnly"] }] });
    await forget(device, "c-pin-a");
    await forget(device, "c-pin-b");
  });

  it("REX: a press grants anonymously through REXOnly and accesses the door; without REXOnly it is denied", async () => {
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PressRex", IdPoint: d.rex })).toMatchObject({ granted: true, reason: "Granted", accessPoint: d.apOut, door: d.door });
    expect(await doorMode(device, d.door)).toBe("Accessed");
    device.advanceClock(d.accessMs);
    expect(since(n)).toEqual(["tns1:AccessControl/AccessGranted/Anonymous", "tns1:AccessControl/AccessNotTaken/Anonymous"]);
    expect(await verify(device, { source: d.rex }, [{ Name: "REX", Value: "Active" }])).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await verify(device, { source: d.rex }, [{ Name: "REX", Value: "Inactive" }])).toEqual({ AccessGranted: false, Reason: "Unauthorized" });
    const out = await apItem(device, d.apOut);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...out, AuthenticationProfile: ["CardOnly"] }] });
    const m = events.length;
    expect(device.stimulate({ Stimulus: "PressRex", IdPoint: d.rex })).toMatchObject({ granted: false, reason: "Unauthorized" });
    expect(since(m)).toEqual(["tns1:AccessControl/Denied/Anonymous"]);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [out] });
  });

  it("a disabled access point answers Unauthorized, naming the credential in Denied/Credential", async () => {
    await person(device, "c-apoff", d.apIn);
    await ok(device, "tac:DisableAccessPoint", { Token: d.apIn });
    const n = events.length;
    expect(device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" })).toMatchObject({ granted: false, reason: "Unauthorized" });
    expect(events.slice(n).filter((e) => e.topic.startsWith("tns1:AccessControl/")).map((e) => [e.topic, e.data])).toEqual([
      ["tns1:AccessControl/Denied/Credential", { CredentialToken: "c-apoff", CredentialHolderName: "c-apoff-user", Reason: "Unauthorized" }],
    ]);
    await ok(device, "tac:EnableAccessPoint", { Token: d.apIn });
    await forget(device, "c-apoff");
  });

  it("credential state and validity: CredentialNotEnabled, CredentialNotActive, CredentialExpired (Denied/Credential)", async () => {
    const at = (ms: number): string => new Date(Date.parse("2026-01-05T08:00:00Z") + ms).toISOString().replace(".000", "");
    const cases: [Record<string, unknown>, string][] = [
      [{ Enabled: false, Status: "Disabled" }, "CredentialNotEnabled"],
      [{ Status: "Lost" }, "CredentialNotEnabled"],
      [{ ValidFrom: "2099-01-01T00:00:00Z" }, "CredentialNotActive"],
      [{ ValidTo: "2000-01-01T00:00:00Z" }, "CredentialExpired"],
    ];
    for (const [credential, reason] of cases) {
      await person(device, "c-state", d.apIn, { credential });
      expect([credential, await verify(device, { source: d.readerIn }, card())]).toEqual([credential, { AccessGranted: false, Reason: reason }]);
    }
    // The window is judged at the device's time: valid now, expired once the clock passes ValidTo.
    await person(device, "c-state", d.apIn, { credential: { ValidTo: at(60 * 60_000) } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    device.advanceClock(2 * 60 * 60_000);
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "CredentialExpired" });
    await forget(device, "c-state");
  });

  it("access profiles: disabled or outside their (or the credential's) validity is InvalidAccessProfile; none for the access point is Unauthorized", async () => {
    const cases: [Person, string][] = [
      [{ profile: { Enabled: false } }, "InvalidAccessProfile"],
      [{ profile: { ValidTo: "2001-01-01T00:00:00Z" } }, "InvalidAccessProfile"],
      [{ credential: { CredentialAccessProfile: [{ AccessProfile: "c-prof-group", ValidFrom: "2099-01-01T00:00:00Z" }] } }, "InvalidAccessProfile"],
      [{ policy: { AccessPoint: d.apOut } }, "Unauthorized"],
    ];
    for (const [p, reason] of cases) {
      await person(device, "c-prof", d.apIn, p);
      expect([p, await verify(device, { source: d.readerIn }, card())]).toEqual([p, { AccessGranted: false, Reason: reason }]);
    }
    await forget(device, "c-prof");
  });

  it("schedules: the access profile's and the policy's must be active; an empty or unknown list is never active (NotPermittedAtThisTime)", async () => {
    const cases: [Person, boolean][] = [
      [{ profile: { Schedule: ["standard_always"] } }, true],
      [{ profile: { Schedule: [] } }, false],
      [{ policy: { Schedule: [] } }, false],
      [{ profile: { Schedule: ["no-such-schedule"] } }, false],
      [{ profile: { Schedule: ["no-such-schedule", "standard_always"] } }, true],
    ];
    for (const [p, granted] of cases) {
      await person(device, "c-sched", d.apIn, p);
      expect([p, await verify(device, { source: d.readerIn }, card())]).toEqual([p, granted ? { AccessGranted: true, Reason: "Granted" } : { AccessGranted: false, Reason: "NotPermittedAtThisTime" }]);
    }
    await forget(device, "c-sched");
  });

  it("schedules follow the device clock: office hours grant on a Monday morning, not in the evening", async () => {
    const ical = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20260105T070000", "DTEND:20260105T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
    await ok(device, "axsch:SetSchedule", { Schedule: [{ token: "office", Name: "Office", Description: "", ScheduleDefinition: ical }] });
    await person(device, "c-office", d.apIn, { profile: { Schedule: ["office"] } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    device.advanceClock(10 * 60 * 60_000);
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "NotPermittedAtThisTime" });
    await forget(device, "c-office");
    await ok(device, "axsch:RemoveSchedule", { Token: ["office"] });
  });

  it("a holiday schedule in exception closes the whole list, even beside standard_always; when the holiday ends, access returns", async () => {
    const day = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20260105T000000", "DTEND:20260106T000000", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
    await ok(device, "axsch:SetSchedule", { Schedule: [{ token: "holiday", Name: "Holiday", Description: "", ScheduleDefinition: "", ExceptionScheduleDefinition: day }] });
    await person(device, "c-holiday", d.apIn, { profile: { Schedule: ["standard_always", "holiday"] } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "NotPermittedAtThisTime" });
    device.advanceClock(24 * 60 * 60_000);
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    await forget(device, "c-holiday");
    await ok(device, "axsch:RemoveSchedule", { Token: ["holiday"] });
  });

  it("authentication precedence: the credential's profile overrides the access profile's, which overrides the access point's", async () => {
    const noCard = "CardOnlyNever";
    await ok(device, "tac:SetAuthenticationProfile", {
      AuthenticationProfile: [{ token: noCard, Name: noCard, IdFactor: [{ IdDataName: "Card", IdMatchOperatorName: "IdDataEqual", OperatorValue: "" }], Schedule: ["standard_never-not-a-schedule"] }],
    });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardPlusPin"] }] });
    const cases: [Person, boolean][] = [
      [{}, false],
      [{ credential: { AuthenticationProfile: ["CardOnly"] } }, true],
      [{ profile: { AuthenticationProfile: ["CardOnly"] } }, true],
      // An override only counts while its schedule is active; else the next level applies.
      [{ credential: { AuthenticationProfile: [noCard] } }, false],
      [{ credential: { AuthenticationProfile: [noCard] }, profile: { AuthenticationProfile: ["CardOnly"] } }, true],
    ];
    for (const [p, granted] of cases) {
      await person(device, "c-over", d.apIn, p);
      expect([p, await verify(device, { source: d.readerIn }, card())]).toEqual([p, granted ? { AccessGranted: true, Reason: "Granted" } : { AccessGranted: false, Reason: "InvalidCredential" }]);
    }
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardOnly"] }] });
    await ok(device, "tac:RemoveAuthenticationProfile", { Token: [noCard] });
    await forget(device, "c-over");
  });

  it("duress: card + duress PIN grants with the Duress event where the access point and an access profile allow it", async () => {
    await ok(device, "tac:SetAuthenticationProfile", {
      AuthenticationProfile: [
        {
          token: "CardPlusDuressPIN",
          Name: "CardPlusDuressPIN",
          IdFactor: [
            { IdDataName: "Card", IdMatchOperatorName: "IdDataEqual", OperatorValue: "" },
            { IdDataName: "PIN", IdMatchOperatorName: "IdDataEqualToField", OperatorValue: "DuressPIN" },
          ],
          Schedule: ["standard_always"],
        },
      ],
    });
    const apIn = await apItem(device, d.apIn);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...apIn, AuthenticationProfile: ["CardPlusPin", "CardPlusDuressPIN"], Attribute: [{ type: "", Name: "Duress", Value: "" }] }] });
    const idData = [...card(), { Name: "PIN", Value: "1234" }, { Name: "DuressPIN", Value: "1235" }];
    await person(device, "c-duress", d.apIn, { idData });
    const duressPin = [...card(), { Name: "PIN", Value: "1235" }];
    // Member of the normal group only: the duress PIN is just a wrong PIN.
    expect(await verify(device, { source: d.readerIn }, duressPin)).toEqual({ AccessGranted: false, Reason: "InvalidCredential" });
    await ok(device, "pacsaxis:SetAccessProfile", {
      AccessProfile: [{ token: "duress-group", Name: "Duress", Enabled: true, Schedule: ["standard_always"], Attribute: [{ type: "", Name: "Duress", Value: "" }], AccessPolicy: [{ AccessPoint: d.apIn, Schedule: ["standard_always"] }] }],
    });
    await person(device, "c-duress", d.apIn, { idData, credential: { CredentialAccessProfile: [{ AccessProfile: "c-duress-group" }, { AccessProfile: "duress-group" }] } });
    const n = events.length;
    device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" });
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: d.readerIn, Pin: "1235#" })).toMatchObject({ granted: true, duress: true, door: d.door });
    expect(since(n)).toEqual(["tns1:AccessControl/AccessGranted/Credential", "tns1:AccessControl/Duress"]);
    device.advanceClock(d.accessMs);
    const m = events.length;
    expect(await verify(device, { source: d.readerIn }, [...card(), { Name: "PIN", Value: "1234" }], "pacsaxis:RequestAccess")).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(since(m)).toEqual(["tns1:AccessControl/AccessGranted/Credential"]);
    device.advanceClock(d.accessMs);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apIn] });
    await ok(device, "pacsaxis:RemoveAccessProfile", { Token: ["duress-group"] });
    await ok(device, "tac:RemoveAuthenticationProfile", { Token: ["CardPlusDuressPIN"] });
    await forget(device, "c-duress");
  });

  it("anti-passback: a passage puts the credential in AreaTo; entering again is a violation (hard: denied, soft: granted), reset and override end it", async () => {
    await ok(device, "pacsaxis:SetArea", { Area: [{ token: "outside", Name: "Outside" }, { token: "inside", Name: "Inside" }] });
    const apIn = await apItem(device, d.apIn);
    const apb = (mode: string, enforcement = "Hard", timeout = "0"): Record<string, unknown> => ({
      ...apIn,
      AreaFrom: "outside",
      AreaTo: "inside",
      Attribute: [
        { type: "", Name: "AntiPassbackMode", Value: mode },
        { type: "", Name: "AntiPassbackTimeout", Value: timeout },
        { type: "", Name: "AntiPassbackEnforcementMode", Value: enforcement },
      ],
    });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apb("Logical")] });
    await person(device, "c-apb", d.apIn);
    const pass = (): Record<string, unknown> => {
      const r = device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" });
      if (r["granted"] === true) {
        device.stimulate({ Stimulus: "OpenDoor", Door: d.door });
        device.stimulate({ Stimulus: "CloseDoor", Door: d.door });
      }
      return r;
    };
    expect(pass()).toMatchObject({ granted: true });
    expect((await ok(device, "pacsaxis:GetAntipassbackDataList")).AntipassbackData).toEqual([{ CredentialToken: "c-apb", PassOkThreshold: 0, CurrentArea: "inside", ByTime: false, Violation: "" }]);
    const n = events.length;
    expect(pass()).toMatchObject({ granted: false, reason: "AntiPassbackViolation" });
    expect(since(n)).toEqual(["tns1:AccessControl/Denied/Credential", "tns1:Credential/State/ApbViolation"]);
    expect(events[events.length - 1]).toMatchObject({ source: { CredentialToken: "c-apb" }, data: { ApbViolation: true, ClientUpdated: false } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "AntiPassbackViolation" });
    await ok(device, "pacsaxis:ResetAntipassbackViolation", { CredentialToken: "c-apb" });
    expect(pass()).toMatchObject({ granted: true });
    // Soft enforcement reports the violation but lets the credential in.
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apb("Logical", "Soft")] });
    const m = events.length;
    expect(pass()).toMatchObject({ granted: true });
    expect(since(m)).toEqual(["tns1:AccessControl/AccessGranted/Credential", "tns1:Credential/State/ApbViolation", "tns1:AccessControl/AccessTaken/Credential"]);
    // TimedLogical: re-entry is a violation only until AntiPassbackTimeout has passed since the last passage.
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apb("TimedLogical", "Hard", "300")] });
    await ok(device, "pacsaxis:ResetAllAntipassbackViolations");
    expect(pass()).toMatchObject({ granted: true });
    expect(pass()).toMatchObject({ granted: false, reason: "AntiPassbackViolation" });
    device.advanceClock(300_000);
    expect(pass()).toMatchObject({ granted: true });
    // The client may set where a credential is (area-based anti-passback across controllers).
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apb("Logical")] });
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: "c-apb", PassOkThreshold: 0, CurrentArea: "outside", ByTime: false, Violation: "" }] });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: "c-apb", PassOkThreshold: 0, CurrentArea: "inside", ByTime: false, Violation: "" }] });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "AntiPassbackViolation" });
    await person(device, "c-apb", d.apIn, { credential: { Attribute: [{ type: "", Name: "AntiPassbackOverride", Value: "True" }] } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [apIn] });
    await forget(device, "c-apb");
    await ok(device, "pacsaxis:RemoveArea", { Token: ["outside", "inside"] });
  });

  it("an extended-access-time credential keeps the door accessed for the door's ExtendedAccessTime", async () => {
    await person(device, "c-ext", d.apIn, { credential: { Attribute: [{ type: "", Name: "ExtendedAccessTime" }] } });
    expect(d.extendedMs).toBeGreaterThan(d.accessMs);
    device.stimulate({ Stimulus: "PresentCard", IdPoint: d.readerIn, Card: "0a000001" });
    device.advanceClock(d.accessMs);
    expect(await doorMode(device, d.door)).toBe("Accessed");
    device.advanceClock(d.extendedMs - d.accessMs);
    expect(await doorMode(device, d.door)).toBe("Locked");
    await forget(device, "c-ext");
  });
});

async function apItem(device: RunningDevice, token: string): Promise<Record<string, unknown>> {
  return ((await ok(device, "pacsaxis:GetAccessPoint", { Token: [token] })).AccessPoint as Record<string, unknown>[])[0]!;
}

/** One focused case per access-decision quirk: with it the device breaks exactly that rule. */
const QUIRK_CASES: Record<string, (device: RunningDevice, d: Defaults) => Promise<void>> = {
  "decision-schedule-ignored": async (device, d) => {
    await person(device, "q", d.apIn, { profile: { Schedule: [] } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-validity-ignored": async (device, d) => {
    await person(device, "q", d.apIn, { credential: { ValidTo: "2000-01-01T00:00:00Z" } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-disabled-credential-granted": async (device, d) => {
    await person(device, "q", d.apIn, { credential: { Enabled: false, Status: "Disabled" } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-disabled-access-point-grants": async (device, d) => {
    await person(device, "q", d.apIn);
    await ok(device, "tac:DisableAccessPoint", { Token: d.apIn });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-access-profile-state-ignored": async (device, d) => {
    await person(device, "q", d.apIn, { profile: { Enabled: false } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-wrong-pin-accepted": async (device, d) => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardPlusPin"] }] });
    await person(device, "q", d.apIn);
    expect(await verify(device, { source: d.readerIn }, [...card(), { Name: "PIN", Value: "9999" }])).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-antipassback-not-enforced": async (device, d) => {
    const attributes = [
      { type: "", Name: "AntiPassbackMode", Value: "Logical" },
      { type: "", Name: "AntiPassbackEnforcementMode", Value: "Hard" },
    ];
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AreaTo: "inside", Attribute: attributes }] });
    await person(device, "q", d.apIn);
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: "q", PassOkThreshold: 0, CurrentArea: "inside", ByTime: false, Violation: "" }] });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
  },
  "decision-duress-refused": async (device, d) => {
    const duress = [{ type: "", Name: "Duress", Value: "" }];
    await ok(device, "tac:SetAuthenticationProfile", {
      AuthenticationProfile: [
        {
          token: "duress",
          Name: "duress",
          IdFactor: [
            { IdDataName: "Card", IdMatchOperatorName: "IdDataEqual" },
            { IdDataName: "PIN", IdMatchOperatorName: "IdDataEqualToField", OperatorValue: "DuressPIN" },
          ],
          Schedule: ["standard_always"],
        },
      ],
    });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardPlusPin", "duress"], Attribute: duress }] });
    await person(device, "q", d.apIn, { profile: { Attribute: duress }, idData: [...card(), { Name: "PIN", Value: "1234" }, { Name: "DuressPIN", Value: "1235" }] });
    expect(await verify(device, { source: d.readerIn }, [...card(), { Name: "PIN", Value: "1235" }])).toEqual({ AccessGranted: false, Reason: "InvalidCredential" });
  },
  "decision-rex-refused": async (device, d) => {
    expect(await verify(device, { source: d.rex }, [{ Name: "REX", Value: "Active" }])).toEqual({ AccessGranted: false, Reason: "Unauthorized" });
  },
  "decision-profile-override-ignored": async (device, d) => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ ...(await apItem(device, d.apIn)), AuthenticationProfile: ["CardPlusPin"] }] });
    await person(device, "q", d.apIn, { credential: { AuthenticationProfile: ["CardOnly"] } });
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: false, Reason: "InvalidCredential" });
  },
  "decision-door-not-accessed": async (device, d) => {
    await person(device, "q", d.apIn);
    expect(await verify(device, { source: d.readerIn }, card(), "pacsaxis:RequestAccess")).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await doorMode(device, d.door)).toBe("Locked");
  },
  "decision-verify-acts": async (device, d) => {
    await person(device, "q", d.apIn);
    expect(await verify(device, { source: d.readerIn }, card())).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await doorMode(device, d.door)).toBe("Accessed");
  },
};

describe("access-decision quirks", () => {
  it("has one focused case per access-decision quirk", () => {
    const mine = ACCESS_CONTROL_QUIRKS.map((q) => q.name).filter((n) => n.startsWith("decision-"));
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(mine.sort());
  });

  it.each(Object.keys(QUIRK_CASES))("%s", async (quirk) => {
    const device = await startDevice({ clock: START, quirks: [quirk] });
    try {
      await QUIRK_CASES[quirk]!(device, await door1(device));
    } finally {
      await device.close();
    }
  });
});

describe("populated access points", () => {
  it("point at the populated doors and IdPoints, round robin", async () => {
    const device = await startDevice({ clock: START, populate: { accessPoints: 3, doors: 2, idPoints: 2 } });
    try {
      const aps = (await ok(device, "pacsaxis:GetAccessPoint", { Token: ["ap-0001", "ap-0002", "ap-0003"] })).AccessPoint as { Entity: string; IdPointDevice: { IdPoint: string }[] }[];
      expect(aps.map((a) => [a.Entity, a.IdPointDevice[0]!.IdPoint])).toEqual([
        ["door-0001", "idpoint-0001"],
        ["door-0002", "idpoint-0002"],
        ["door-0001", "idpoint-0001"],
      ]);
    } finally {
      await device.close();
    }
  });
});
