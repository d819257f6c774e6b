import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axtidSchemas } from "../../generated/axtid/schemas.js";
import { defaultIdPointsOf } from "../../src/device/idpoint/api.js";
import { idpointService } from "../../src/device/idpoint/index.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { attr, BASIC, children, composedState, json, jsonFaultCodes, ok, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXTID = "http://www.axis.com/vapix/ws/IdPoint";
const AXCONF = "http://www.axis.com/vapix/ws/Config";
const CLOCK = "virtual=2026-01-05T08:00:00Z";
const NOT_FOUND = ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"];

type Setting = { Name: string; Value: string };
const WIEGAND: Setting[] = [
  { Name: "IdPoint.Reader.Type", Value: "Wiegand" },
  { Name: "IdPoint.Tampering.Type", Value: "ActiveLow" },
];
const REX_ONLY: Setting[] = [
  { Name: "IdPoint.Reader.Type", Value: "None" },
  { Name: "IdPoint.REX.Type", Value: "ActiveLow" },
];

/** The guide's "Creating the IdPoint" request. */
function guideIdPoint(token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { token, Name: "Name1", Area: "Area1", MinPINSize: 4, MaxPINSize: 4, EndOfPIN: "#", HeartbeatInterval: "PT10M", Location: "Loc1", Timeout: "PT3S", Action: "Action1", Description: "Desc1", ...extra };
}

/** The guide's H10301 SetIdDataConfiguration request (with a token). */
const H10301 = {
  token: "h10301-example",
  InputBitlength: 26,
  Name: "IdDataConfig example",
  IdDataFieldMap: [
    { Map: "1-26", Name: "FullCard", Encoding: "BinLE2hex" },
    { Map: "1", Name: "ParityEven", Encoding: "BinLE2Int" },
    { Map: "2-9", Name: "FacilityCode", Encoding: "BinLE2Int" },
    { Map: "10-25", Name: "CardNr", Encoding: "BinLE2Int" },
    { Map: "10-25", Name: "CardNrHex", Encoding: "BinLE2hex" },
    { Map: "26", Name: "ParityOdd", Encoding: "BinLE2Int" },
  ],
  Description: "Test Description",
};

function settings(config: Record<string, any>): Record<string, string> {
  return Object.fromEntries((config["Configuration"] as Setting[]).map((c) => [c.Name, c.Value]));
}

describe("IdPoint service over VAPIX JSON", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  const eventsSince = (n: number): DeviceEvent[] => events.slice(n);

  async function idPointWith(token: string, configuration: Setting[], formats: string[] = []): Promise<void> {
    await ok(device, "axtid:SetIdPoint", { IdPoint: [guideIdPoint(token, { Name: token, Timeout: "PT10S" })] });
    await ok(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token, DeviceUUID: "", IdDataConfiguration: formats, Configuration: configuration }] });
  }

  beforeAll(async () => {
    device = await startDevice({ clock: CLOCK, backdoor: true, onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("provides the factory card formats and a reader/REX set whose halves share a token", async () => {
    const formats = (await ok(device, "axtid:GetIdDataConfigurationList")).IdDataConfiguration as Record<string, unknown>[];
    expect(formats.map((f) => f["token"])).toEqual(
      expect.arrayContaining(["iddataconf_wiegand_26bit_h10301", "iddataconf_wiegand_34bit", "iddataconf_wiegand_37bit_h10302", "iddataconf_wiegand_37bit_h10304", "iddataconf_wiegand_35bit_corporate1000"]),
    );
    const idPoints = (await ok(device, "axtid:GetIdPointList")).IdPoint as Record<string, unknown>[];
    expect(idPoints.length % 3).toBe(0);
    expect(idPoints.length).toBeGreaterThanOrEqual(3);
    const configs = (await ok(device, "axtid:GetIdPointConfigurationList")).IdPointConfiguration as Record<string, any>[];
    for (const p of idPoints) {
      expect(p).toMatchObject({ Action: "Access", MinPINSize: 4, MaxPINSize: 4, EndOfPIN: "#", Timeout: "PT10S" });
      expect(p["token"]).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
      const config = configs.find((c) => c["token"] === p["token"])!;
      expect(config["DeviceUUID"]).toBe("5581ad80-95b0-11e0-b883-00408c184bdb");
      const kind = String(p["Name"]).endsWith("REX") ? "rex" : "reader";
      expect(settings(config)).toMatchObject(kind === "rex" ? { "IdPoint.Reader.Type": "None", "IdPoint.REX.Type": "ActiveLow" } : { "IdPoint.Reader.Type": "Wiegand", "IdPoint.LED.Type": "SingleLED", "IdPoint.REX.Type": "None" });
    }
  });

  it("stores the guide's SetIdPoint example, derives IdPointInfo and announces changes", async () => {
    const before = events.length;
    expect(await ok(device, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("idpoint1")] })).toEqual({ Token: ["idpoint1"] });
    expect((await ok(device, "axtid:GetIdPoint", { Token: ["idpoint1"] })).IdPoint).toEqual([guideIdPoint("idpoint1")]);
    const info = (await ok(device, "axtid:GetIdPointInfo", { Token: ["idpoint1", "nope"] })).IdPointInfo as Record<string, unknown>[];
    // Without an IdPointConfiguration no hardware is bound: nothing is supported yet.
    expect(info).toEqual([
      {
        token: "idpoint1",
        Name: "Name1",
        Description: "Desc1",
        Location: "Loc1",
        Area: "Area1",
        Capabilities: { SupportedMessageTypes: [], SupportedGraphicsTypes: [], SupportedAudioTypes: [], AdditionalCapabilities: [], Configurable: true, SupportCard: false, SupportPIN: false, SupportREX: false, SupportBiometric: false },
      },
    ]);
    expect(eventsSince(before).map((e) => [e.topic, e.source["IdPointToken"]])).toEqual([["tns1:Configuration/tnsaxis:IdPoint/Changed", "idpoint1"]]);
  });

  it("keeps capabilities in step with the hardware configuration, in both views", async () => {
    await ok(device, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("cap1")] });
    await ok(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "cap1", Configuration: REX_ONLY }] });
    const caps = async (): Promise<Record<string, unknown>> => (await ok(device, "axtid:GetIdPointCapabilities", { Token: "cap1" })).IdPointCapabilities;
    expect(await caps()).toMatchObject({ SupportCard: false, SupportPIN: false, SupportREX: true });
    await ok(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "cap1", Configuration: [{ Name: "IdPoint.Reader.Type", Value: "Wiegand" }] }] });
    expect(await caps()).toMatchObject({ SupportCard: true, SupportPIN: true, SupportREX: true });
    const info = ((await ok(device, "axtid:GetIdPointInfo", { Token: ["cap1"] })).IdPointInfo as Record<string, any>[])[0]!;
    expect(info["Capabilities"]).toEqual(await caps());
    await ok(device, "axtid:RemoveIdPointConfiguration", { Token: ["cap1"] });
    expect(await caps()).toMatchObject({ SupportCard: false, SupportREX: false });
    await ok(device, "axtid:RemoveIdPoint", { Token: ["cap1"] });
  });

  it("fills DeviceUUID, gives a new configuration every default, and replaces only the settings sent", async () => {
    const { Token } = await ok(device, "axtid:SetIdPointConfiguration", {
      IdPointConfiguration: [{ token: "", DeviceUUID: "", IdDataConfiguration: [""], Configuration: [{ Name: "IdPoint.Reader.Type", Value: "RS-485HD" }] }],
    });
    const token = (Token as string[])[0]!;
    const read = async (): Promise<Record<string, any>> => ((await ok(device, "axtid:GetIdPointConfiguration", { Token: [token] })).IdPointConfiguration as Record<string, any>[])[0]!;
    const first = await read();
    expect(first["DeviceUUID"]).toBe("5581ad80-95b0-11e0-b883-00408c184bdb");
    expect(first["IdDataConfiguration"]).toEqual([]);
    expect(settings(first)).toEqual({
      "IdPoint.Reader.Type": "RS-485HD",
      "IdPoint.RS-485HD.Protocol": "None",
      "IdPoint.TCPIP.Protocol": "SmartIntego",
      "IdPoint.LED.Type": "None",
      "IdPoint.LED.ActiveLevel": "ActiveLow",
      "IdPoint.Beeper.Type": "None",
      "IdPoint.Tampering.Type": "None",
      "IdPoint.REX.Type": "None",
      "IdPoint.Keypress.Type": "Auto",
      "IdPoint.Hardware.DetectionMode": "Auto",
      "IdPoint.SecureChannel.KeyType": "KeyBase",
      "IdPoint.Whitelist.IdDataName": "Card",
    });
    await ok(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token, DeviceUUID: "other-unit", Configuration: [{ Name: "IdPoint.RS-485HD.Protocol", Value: "OSDP" }] }] });
    const second = await read();
    expect(second["DeviceUUID"]).toBe("other-unit");
    expect(settings(second)).toMatchObject({ "IdPoint.Reader.Type": "RS-485HD", "IdPoint.RS-485HD.Protocol": "OSDP" });
    await ok(device, "axtid:RemoveIdPointConfiguration", { Token: [token] });
  });

  it("rejects undocumented setting values and repeated settings, changing nothing", async () => {
    for (const Configuration of [
      [{ Name: "IdPoint.Reader.Type", Value: "Telepathy" }],
      [{ Name: "IdPoint.TCPIP.Port", Value: "twenty" }],
      [
        { Name: "IdPoint.LED.Type", Value: "None" },
        { Name: "IdPoint.LED.Type", Value: "DualLED" },
      ],
    ]) {
      const r = await json(device, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "ok-one", Configuration: REX_ONLY }, { token: "bad-one", Configuration }] });
      expect([r.status, jsonFaultCodes(r.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:InvalidIdPointConfigurationFault"]]);
    }
    expect((await ok(device, "axtid:GetIdPointConfiguration", { Token: ["ok-one", "bad-one"] })).IdPointConfiguration).toEqual([]);
  });

  it("reports ConfigurationInfo with current values, enums and dependencies", async () => {
    await idPointWith("info1", [{ Name: "IdPoint.Reader.Type", Value: "TCPIP" }, { Name: "Vendor.Extra", Value: "x" }]);
    const infos = (await ok(device, "axtid:GetIdPointConfigurationInfo", { Token: "info1" })).ConfigurationInfo as Record<string, unknown>[];
    expect(infos.find((i) => i["Name"] === "IdPoint.Reader.Type")).toMatchObject({ Value: "TCPIP", Enums: ["None", "Wiegand", "RS-485FD", "RS-485HD", "TCPIP"] });
    expect(infos.find((i) => i["Name"] === "IdPoint.TCPIP.Port")).toMatchObject({ Value: "", Type: "xs:int", DependOnName: "IdPoint.Reader.Type", DependOnValue: "TCPIP" });
    expect(infos[infos.length - 1]).toEqual({ Name: "Vendor.Extra", Value: "x", Type: "xs:string", Enums: [] });
    await ok(device, "axtid:RemoveIdPoint", { Token: ["info1"] });
    // The configuration went with the IdPoint.
    expect((await ok(device, "axtid:GetIdPointConfiguration", { Token: ["info1"] })).IdPointConfiguration).toEqual([]);
  });

  it("accepts the guide's card format and refuses maps outside the input bits", async () => {
    expect(await ok(device, "axtid:SetIdDataConfiguration", { IdDataConfiguration: [H10301] })).toEqual({ Token: ["h10301-example"] });
    for (const Map of ["10-40", "0", "9-2", "x", "b012"]) {
      const r = await json(device, "axtid:SetIdDataConfiguration", { IdDataConfiguration: [{ ...H10301, token: "bad-format", IdDataFieldMap: [{ Name: "F", Map, Encoding: "BinLE2Int" }] }] });
      expect([Map, jsonFaultCodes(r.body)]).toEqual([Map, ["env:Sender", "ter:InvalidArgVal", "ter:InvalidConfigurationFault"]]);
    }
  });

  it("decodes a presented card exactly as the guide's GetLastCredential example", async () => {
    await idPointWith("reader1", WIEGAND, ["h10301-example"]);
    const before = events.length;
    const result = device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "02004FCB" });
    expect(result).toMatchObject({ granted: false });
    expect(await ok(device, "axtid:GetLastCredential", { Token: "reader1" })).toEqual({
      IdData: [
        { Name: "FullCard", Value: "02004fcb" },
        { Name: "ParityEven", Value: "1" },
        { Name: "FacilityCode", Value: "0" },
        { Name: "CardNr", Value: "10213" },
        { Name: "CardNrHex", Value: "27e5" },
        { Name: "ParityOdd", Value: "1" },
        { Name: "Card", Value: "02004fcb" },
        { Name: "BitCount", Value: "26" },
      ],
    });
    const mine = eventsSince(before).filter((e) => e.topic.startsWith("tns1:IdPoint/"));
    expect(mine.map((e) => e.topic)).toEqual(["tns1:IdPoint/tnsaxis:Activity", "tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData"]);
    expect(mine[0]!.data).toEqual({ Reason: "CardPresented" });
    expect(mine[1]!.data).toMatchObject({ Card: "02004fcb", BitCount: "26", CardNr: "10213" });
    // A card no format fits: only Card and BitCount.
    device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "12345678" });
    expect((await ok(device, "axtid:GetLastCredential", { Token: "reader1" })).IdData).toEqual([
      { Name: "Card", Value: "12345678" },
      { Name: "BitCount", Value: "32" },
    ]);
  });

  it("shows presentation feedback for a while, then the commanded profile", async () => {
    const profile = async (): Promise<unknown> => (await ok(device, "axtid:GetFeedbackMessage", { Token: "reader1" })).Profile;
    await ok(device, "axtid:FeedbackMessage", { Token: "reader1", Profile: "DoorLocked", Message: "Welcome", Graphics: { Data: "iVBORw0KGgo=", contentType: "image/png" } });
    expect(await profile()).toBe("DoorLocked");
    device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "02004fcb" });
    expect(await profile()).toBe("AccessDenied");
    device.advanceClock(3000);
    expect(await profile()).toBe("DoorLocked");
    const bad = await json(device, "axtid:FeedbackMessage", { Token: "reader1", Profile: "Blinking" });
    expect(bad.status).toBe(400);
    const badData = await json(device, "axtid:FeedbackMessage", { Token: "reader1", Profile: "Ok", Audio: { Data: "not base64!" } });
    expect(jsonFaultCodes(badData.body)).toEqual(["env:Sender", "ter:InvalidArgs"]);
  });

  it("applies the keypad rules and pairs a PIN with the card before it", async () => {
    const before = events.length;
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: "reader1", Pin: "12#" })).toMatchObject({ granted: false, reason: "NotSent" });
    expect(eventsSince(before).map((e) => e.topic)).toEqual(["tns1:IdPoint/tnsaxis:Timeout"]);
    device.stimulate({ Stimulus: "PresentPin", IdPoint: "reader1", Pin: "4321#" });
    expect((await ok(device, "axtid:GetLastCredential", { Token: "reader1" })).IdData).toEqual([{ Name: "PIN", Value: "4321" }]);
    const request = events.filter((e) => e.topic === "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN").pop();
    expect(request?.data).toEqual({ PIN: "4321" });
  });

  it("grants Card + PIN entered within the Timeout through the access decision", async () => {
    await ok(device, "pacsaxis:SetAccessPoint", {
      AccessPoint: [{ token: "ap-cp", Name: "Card+PIN", Entity: "no-door", IdPointDevice: [{ IdPoint: "reader1" }], AuthenticationProfile: ["CardPlusPin"] }],
    });
    await ok(device, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "prof-cp", Name: "P", Schedule: ["standard_always"], AccessPolicy: [{ AccessPoint: "ap-cp", Schedule: ["standard_always"] }] }] });
    await ok(device, "pacsaxis:SetCredential", {
      Credential: [{ token: "cred-cp", Status: "Enabled", IdData: [{ Name: "Card", Value: "02004fcb" }, { Name: "PIN", Value: "2468" }], CredentialAccessProfile: [{ AccessProfile: "prof-cp" }] }],
    });
    const controller = ((await ok(device, "pacsaxis:GetAccessControllerList")).AccessController as Record<string, any>[])[0]!;
    await ok(device, "pacsaxis:SetAccessController", { AccessController: [{ ...controller, AccessPoint: [...controller["AccessPoint"], "ap-cp"] }] });
    device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "02004fcb" });
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: "reader1", Pin: "2468" })).toMatchObject({ granted: true, accessPoint: "ap-cp", credential: "cred-cp" });
    // After the Timeout (its event) the PIN stands alone.
    device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "02004fcb" });
    const before = events.length;
    device.advanceClock(10_000);
    expect(eventsSince(before).map((e) => [e.topic, e.source["IdPointToken"]])).toEqual([["tns1:IdPoint/tnsaxis:Timeout", "reader1"]]);
    expect(device.stimulate({ Stimulus: "PresentPin", IdPoint: "reader1", Pin: "2468" })).toMatchObject({ granted: false });
    await ok(device, "pacsaxis:SetAccessController", { AccessController: [controller] });
  });

  it("keeps Smart Intego whitelists from the AccessControl data and uploads them one by one", async () => {
    await idPointWith("lock1", [
      { Name: "IdPoint.Reader.Type", Value: "TCPIP" },
      { Name: "IdPoint.TCPIP.Protocol", Value: "SmartIntego" },
    ]);
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [{ token: "ap-wl", Name: "WL", Entity: "no-door", IdPointDevice: [{ IdPoint: "lock1" }] }] });
    await ok(device, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "prof-wl", Name: "WL", Attribute: [{ Name: "AxisWhiteList", Value: "Card" }], AccessPolicy: [{ AccessPoint: "ap-wl" }] }] });
    await ok(device, "pacsaxis:SetCredential", {
      Credential: [
        { token: "wl-a", Status: "Enabled", IdData: [{ Name: "Card", Value: "aa01" }], CredentialAccessProfile: [{ AccessProfile: "prof-wl" }] },
        { token: "wl-b", Status: "Enabled", IdData: [{ Name: "Card", Value: "bb02" }], CredentialAccessProfile: [{ AccessProfile: "prof-wl" }] },
      ],
    });
    const entries = async (): Promise<unknown> => ((await ok(device, "axtid:GetIdPointWhiteList", { Token: ["lock1"] })).IdPointWhiteList as Record<string, unknown>[])[0]?.["WhiteListEntry"];
    expect(await entries()).toEqual([
      { IdData: { Name: "Card", Value: "aa01" }, State: "PendingAdd" },
      { IdData: { Name: "Card", Value: "bb02" }, State: "PendingAdd" },
    ]);
    device.advanceClock(1000);
    expect(await entries()).toEqual([
      { IdData: { Name: "Card", Value: "aa01" }, State: "Active" },
      { IdData: { Name: "Card", Value: "bb02" }, State: "PendingAdd" },
    ]);
    device.advanceClock(1000);
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["wl-a"] });
    expect(await entries()).toEqual([
      { IdData: { Name: "Card", Value: "aa01" }, State: "PendingRemove" },
      { IdData: { Name: "Card", Value: "bb02" }, State: "Active" },
    ]);
    device.advanceClock(1000);
    expect(await entries()).toEqual([{ IdData: { Name: "Card", Value: "bb02" }, State: "Active" }]);
    const ongoing = events.filter((e) => e.topic === "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Ongoing" && e.source["IdPointToken"] === "lock1").map((e) => e.data["Ongoing"]);
    expect(ongoing).toEqual([false, true, false, true, false]);
    expect((await ok(device, "axtid:GetIdPointWhiteListList", {})).IdPointWhiteList).toHaveLength(1);
    await ok(device, "axtid:RemoveIdPoint", { Token: ["lock1"] });
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["wl-b"] });
    expect(await ok(device, "axtid:GetIdPointWhiteListList", {})).toEqual({ IdPointWhiteList: [] });
  });

  it("applies remote activities, checking their Params first", async () => {
    const before = events.length;
    await ok(device, "axtid:IndicateRemoteActivities", {
      Token: "reader1",
      Description: "MyDescr",
      Activities: [{ Type: "REX" }, { Type: "Card", Params: [{ Name: "LPN", Value: "MyLPN" }] }],
    });
    const topics = eventsSince(before).filter((e) => e.topic.startsWith("tns1:IdPoint/"));
    expect(topics.map((e) => [e.topic, e.data["Reason"] ?? null, e.data["Description"]])).toEqual([
      ["tns1:IdPoint/tnsaxis:Activity", "REX", "MyDescr"],
      ["tns1:IdPoint/tnsaxis:Request/tnsaxis:REX", null, "MyDescr"],
      ["tns1:IdPoint/tnsaxis:Activity", "CardPresented", "MyDescr"],
      ["tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData", null, "MyDescr"],
    ]);
    expect((await ok(device, "axtid:GetLastCredential", { Token: "reader1" })).IdData).toEqual([{ Name: "LPN", Value: "MyLPN" }]);
    for (const Activities of [[{ Type: "PIN" }], [{ Type: "PIN", Params: [{ Name: "Code", Value: "1" }] }], [{ Type: "REX", Params: [{ Name: "REX", Value: "Active" }] }], [{ Type: "Card" }]]) {
      const r = await json(device, "axtid:IndicateRemoteActivities", { Token: "reader1", Activities: [{ Type: "REX" }, ...Activities] });
      expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgs"]);
    }
    const r = await json(device, "axtid:IndicateRemoteActivities", { Token: "ghost", Activities: [{ Type: "REX" }] });
    expect(jsonFaultCodes(r.body)).toEqual(NOT_FOUND);
  });

  it("answers the documented faults for unknown IdPoints", async () => {
    for (const [op, input] of [
      ["axtid:GetIdPointCapabilities", { Token: "ghost" }],
      ["axtid:GetIdPointConfigurationInfo", { Token: "ghost" }],
      ["axtid:FeedbackMessage", { Token: "ghost", Profile: "Ok" }],
      ["axtid:GetFeedbackMessage", { Token: "ghost" }],
      ["axtid:RemoveIdPoint", { Token: ["ghost"] }],
      ["axtid:RemoveIdPointConfiguration", { Token: ["ghost"] }],
      ["axtid:RemoveIdDataConfiguration", { Token: ["ghost"] }],
    ] as const) {
      const r = await json(device, op, input);
      expect([op, r.status, jsonFaultCodes(r.body)]).toEqual([op, 400, NOT_FOUND]);
    }
    const last = await json(device, "axtid:GetLastCredential", { Token: "ghost" });
    expect(jsonFaultCodes(last.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:ConfigurationNotFound"]);
    const many = await json(device, "axtid:GetIdPointWhiteList", { Token: Array.from({ length: 101 }, (_, i) => `t${i}`) });
    expect(jsonFaultCodes(many.body)).toEqual(["env:Sender", "ter:InvalidArgs", "ter:TooManyItems"]);
    const badTimeout = await json(device, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("bad-timeout", { Timeout: "ten seconds" })] });
    expect(jsonFaultCodes(badTimeout.body)).toEqual(["env:Sender", "ter:InvalidArgs"]);
  });

  it("applies the world's stimuli only to IdPoints whose hardware can take them", async () => {
    await idPointWith("rex1", REX_ONLY);
    expect(() => device.stimulate({ Stimulus: "PresentCard", IdPoint: "rex1", Card: "01" })).toThrow(/IdPoint.Reader.Type is None/);
    expect(() => device.stimulate({ Stimulus: "PresentCard", IdPoint: "ghost", Card: "01" })).toThrow(/no IdPoint "ghost"/);
    expect(() => device.stimulate({ Stimulus: "PresentCard", IdPoint: "idpoint1", Card: "01" })).toThrow(/no IdPointConfiguration/);
    expect(() => device.stimulate({ Stimulus: "PresentCard", IdPoint: "reader1", Card: "xyz" })).toThrow(/hex/);
    expect(() => device.stimulate({ Stimulus: "PressRex", IdPoint: "reader1" })).toThrow(/IdPoint.REX.Type is None/);
    expect(device.stimulate({ Stimulus: "PressRex", IdPoint: "rex1" })).toMatchObject({ granted: false });
    expect(device.stimulate({ Stimulus: "PresentIdData", IdPoint: "rex1", IdData: [{ Name: "LPN", Value: "ABC" }] })).toMatchObject({ granted: false });
    expect(device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: "rex1" })).toEqual({ Detected: false, Active: true });
    const before = events.length;
    expect(device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: "reader1" })).toEqual({ Detected: true, Active: true });
    device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: "reader1" });
    device.stimulate({ Stimulus: "TamperIdPoint", IdPoint: "reader1", Active: false });
    expect(eventsSince(before).map((e) => [e.topic, e.source["IdPointToken"], e.data["Active"]])).toEqual([
      ["tns1:IdPoint/tnsaxis:Tampering", "reader1", true],
      ["tns1:IdPoint/tnsaxis:Tampering", "reader1", false],
    ]);
  });

  it("shows every IdPoint in the back door's world view", async () => {
    const res = await fetch(`${device.url}/backdoor`, { headers: { authorization: BASIC } });
    const world = ((await res.json()) as { World: { IdPoints: Record<string, unknown>[] } }).World.IdPoints;
    expect(world.find((p) => p["token"] === "reader1")).toMatchObject({ Type: "Reader", ReaderType: "Wiegand", LastPresentation: { Kind: "Card", Remote: true, Granted: false }, Tampered: false });
    expect(world.find((p) => p["token"] === "rex1")).toMatchObject({ Type: "REX" });
    expect(world.find((p) => p["token"] === "idpoint1")).toMatchObject({ Type: "Unconfigured", ReaderType: null, LastPresentation: null });
  });
});

describe("IdPoint over SOAP", () => {
  it("takes the guide's SetIdPointConfiguration with axconf settings and answers IdPointInfo", async () => {
    await withDevice({}, async (device) => {
      const set = await soap(
        device,
        `<axtid:SetIdPoint xmlns:axtid="${AXTID}"><axtid:IdPoint token="osdp_sc_idpoint"><axtid:Name>My OSDP SC IdPoint</axtid:Name><axtid:Description/><axtid:Location/><axtid:Area/><axtid:Action>Access</axtid:Action><axtid:MinPINSize>4</axtid:MinPINSize><axtid:MaxPINSize>4</axtid:MaxPINSize><axtid:EndOfPIN/><axtid:Timeout/><axtid:HeartbeatInterval/></axtid:IdPoint></axtid:SetIdPoint>`,
      );
      expect(set.status).toBe(200);
      const config = await soap(
        device,
        `<idp:SetIdPointConfiguration xmlns:idp="${AXTID}" xmlns:con="${AXCONF}"><idp:IdPointConfiguration token="osdp_sc_idpoint"><idp:DeviceUUID/><idp:IdDataConfiguration/><idp:Configuration><con:Name>IdPoint.Reader.Type</con:Name><con:Value>RS-485HD</con:Value></idp:Configuration><idp:Configuration><con:Name>IdPoint.RS-485HD.Protocol</con:Name><con:Value>OSDP</con:Value></idp:Configuration></idp:IdPointConfiguration></idp:SetIdPointConfiguration>`,
      );
      expect(config.status).toBe(200);
      expect(children(config.el, "Token").map((t) => t.text)).toEqual(["osdp_sc_idpoint"]);
      const info = await soap(device, `<axtid:GetIdPointInfo xmlns:axtid="${AXTID}"><axtid:Token>osdp_sc_idpoint</axtid:Token></axtid:GetIdPointInfo>`);
      const item = children(info.el, "IdPointInfo")[0]!;
      expect(attr(item, "token")).toBe("osdp_sc_idpoint");
      const caps = children(item, "Capabilities")[0]!;
      expect([attr(caps, "SupportCard"), attr(caps, "SupportREX")]).toEqual(["true", "false"]);
      const fault = await soap(device, `<axtid:GetLastCredential xmlns:axtid="${AXTID}"><axtid:Token>ghost</axtid:Token></axtid:GetLastCredential>`);
      expect(soapFaultCodes(fault.el)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:ConfigurationNotFound"]);
    });
  });
});

describe("IdPoint defaults and test data", () => {
  it("ties each factory door to an entry reader, an exit reader and a REX input", () => {
    const state = composedState();
    const doors = state.allStores().find((s) => s.decl.name === "Door")?.tokens() ?? [];
    const idPoints = state.store("IdPoint");
    expect(idPoints.size).toBe(3 * Math.max(1, doors.length));
    for (const door of doors) {
      const { readers, rex } = defaultIdPointsOf(state, door);
      expect([readers.length, rex.length]).toEqual([2, 1]);
      expect(readers.map((t) => String(idPoints.read(t, "full")!["Name"]).slice(-9))).toEqual(["Reader In", "eader Out"]);
    }
    expect(defaultIdPointsOf(state, "not-a-door")).toEqual({ readers: [], rex: [] });
  });

  it("populates idpoint-0001… as readers with a REX input", async () => {
    await withDevice({ populate: { idPoints: 3 } }, async (device) => {
      const tokens = ((await ok(device, "axtid:GetIdPointList")).IdPoint as Record<string, unknown>[]).map((p) => p["token"]);
      expect(tokens).toEqual(expect.arrayContaining(["idpoint-0001", "idpoint-0002", "idpoint-0003"]));
      expect((await ok(device, "axtid:GetIdPointCapabilities", { Token: "idpoint-0002" })).IdPointCapabilities).toMatchObject({ SupportCard: true, SupportPIN: true, SupportREX: true });
    });
  });
});

describe("IdPoint JSON responses conform to the generated JSON Schemas", () => {
  it("for all 22 operations", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const calls: [string, unknown][] = [
      ["axtid:SetIdPoint", { IdPoint: [guideIdPoint("s1")] }],
      ["axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "s1", Configuration: WIEGAND, IdDataConfiguration: ["iddataconf_wiegand_26bit_h10301"] }] }],
      ["axtid:SetIdDataConfiguration", { IdDataConfiguration: [H10301] }],
      ["axtid:GetIdPoint", { Token: ["s1"] }],
      ["axtid:GetIdPointList", { Limit: 2 }],
      ["axtid:GetIdPointInfo", { Token: ["s1"] }],
      ["axtid:GetIdPointInfoList", {}],
      ["axtid:GetIdPointCapabilities", { Token: "s1" }],
      ["axtid:GetIdPointConfiguration", { Token: ["s1"] }],
      ["axtid:GetIdPointConfigurationList", { Limit: 1 }],
      ["axtid:GetIdPointConfigurationInfo", { Token: "s1" }],
      ["axtid:GetIdDataConfiguration", { Token: ["h10301-example"] }],
      ["axtid:GetIdDataConfigurationList", {}],
      ["axtid:FeedbackMessage", { Token: "s1", Profile: "Other", OtherProfile: "Blink" }],
      ["axtid:GetFeedbackMessage", { Token: "s1" }],
      ["axtid:IndicateRemoteActivities", { Token: "s1", Activities: [{ Type: "Card", Params: [{ Name: "Card", Value: "02004fcb" }] }] }],
      ["axtid:GetLastCredential", { Token: "s1" }],
      ["axtid:GetIdPointWhiteList", { Token: ["s1"] }],
      ["axtid:GetIdPointWhiteListList", {}],
      ["axtid:RemoveIdDataConfiguration", { Token: ["h10301-example"] }],
      ["axtid:RemoveIdPointConfiguration", { Token: ["s1"] }],
      ["axtid:RemoveIdPoint", { Token: ["s1"] }],
    ];
    await withDevice({ clock: CLOCK, backdoor: true }, async (device) => {
      const failures: string[] = [];
      for (const [op, input] of calls) {
        const r = await json(device, op, input);
        const validate = ajv.compile((axtidSchemas as Record<string, object>)[`${op.slice(6)}Response`]!);
        if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
      }
      expect(failures).toEqual([]);
      expect(new Set(calls.map(([op]) => op)).size).toBe(22);
    });
  });
});

/** One focused test per IdPoint quirk: the device breaks exactly the rule the quirk names. */
const QUIRK_CASES: Record<string, (d: RunningDevice) => Promise<void>> = {
  "idpoint-capabilities-static": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: REX_ONLY }] });
    expect((await ok(d, "axtid:GetIdPointCapabilities", { Token: "q" })).IdPointCapabilities).toMatchObject({ SupportCard: true, SupportREX: true });
  },
  "idpoint-configuration-replaces-all": async (d) => {
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: WIEGAND }] });
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: [{ Name: "IdPoint.LED.Type", Value: "DualLED" }] }] });
    expect(((await ok(d, "axtid:GetIdPointConfiguration", { Token: ["q"] })).IdPointConfiguration as Record<string, unknown>[])[0]!["Configuration"]).toEqual([{ Name: "IdPoint.LED.Type", Value: "DualLED" }]);
  },
  "idpoint-configuration-no-defaults": async (d) => {
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: WIEGAND }] });
    expect(((await ok(d, "axtid:GetIdPointConfiguration", { Token: ["q"] })).IdPointConfiguration as Record<string, unknown>[])[0]!["Configuration"]).toEqual(WIEGAND);
  },
  "idpoint-configuration-invalid-value-accepted": async (d) => {
    expect(await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: [{ Name: "IdPoint.Reader.Type", Value: "Telepathy" }] }] })).toEqual({ Token: ["q"] });
  },
  "idpoint-configuration-info-stale": async (d) => {
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: WIEGAND }] });
    const infos = (await ok(d, "axtid:GetIdPointConfigurationInfo", { Token: "q" })).ConfigurationInfo as Record<string, unknown>[];
    expect(infos.find((i) => i["Name"] === "IdPoint.Reader.Type")!["Value"]).toBe("None");
  },
  "idpoint-device-uuid-not-filled": async (d) => {
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", DeviceUUID: "" }] });
    expect(((await ok(d, "axtid:GetIdPointConfiguration", { Token: ["q"] })).IdPointConfiguration as Record<string, unknown>[])[0]!["DeviceUUID"]).toBe("");
  },
  "idpoint-feedback-not-stored": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    await ok(d, "axtid:FeedbackMessage", { Token: "q", Profile: "Alarm" });
    expect(await ok(d, "axtid:GetFeedbackMessage", { Token: "q" })).toEqual({ Profile: "Idle" });
  },
  "idpoint-whitelist-empty": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: [{ Name: "IdPoint.Reader.Type", Value: "TCPIP" }] }] });
    await ok(d, "pacsaxis:SetAccessPoint", { AccessPoint: [{ token: "ap", Name: "ap", Entity: "x", IdPointDevice: [{ IdPoint: "q" }] }] });
    await ok(d, "pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "p", Name: "p", Attribute: [{ Name: "AxisWhitelist" }], AccessPolicy: [{ AccessPoint: "ap" }] }] });
    await ok(d, "pacsaxis:SetCredential", { Credential: [{ token: "c", Status: "Enabled", IdData: [{ Name: "Card", Value: "01" }], CredentialAccessProfile: [{ AccessProfile: "p" }] }] });
    expect(await ok(d, "axtid:GetIdPointWhiteList", { Token: ["q"] })).toEqual({ IdPointWhiteList: [{ token: "q", WhiteListEntry: [] }] });
  },
  "idpoint-remote-activity-params-unchecked": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    expect(await ok(d, "axtid:IndicateRemoteActivities", { Token: "q", Activities: [{ Type: "PIN" }, { Type: "REX", Params: [{ Name: "a", Value: "b" }] }] })).toEqual({});
  },
  "idpoint-last-credential-not-decoded": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q", Configuration: WIEGAND, IdDataConfiguration: ["iddataconf_wiegand_26bit_h10301"] }] });
    d.stimulate({ Stimulus: "PresentCard", IdPoint: "q", Card: "02004fcb" });
    expect((await ok(d, "axtid:GetLastCredential", { Token: "q" })).IdData).toEqual([
      { Name: "Card", Value: "02004fcb" },
      { Name: "BitCount", Value: "26" },
    ]);
  },
  "idpoint-remove-keeps-configuration": async (d) => {
    await ok(d, "axtid:SetIdPoint", { IdPoint: [guideIdPoint("q")] });
    await ok(d, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [{ token: "q" }] });
    await ok(d, "axtid:RemoveIdPoint", { Token: ["q"] });
    expect((await ok(d, "axtid:GetIdPointConfiguration", { Token: ["q"] })).IdPointConfiguration).toHaveLength(1);
  },
  "idpoint-card-format-map-unchecked": async (d) => {
    expect(await ok(d, "axtid:SetIdDataConfiguration", { IdDataConfiguration: [{ ...H10301, IdDataFieldMap: [{ Name: "F", Map: "10-40", Encoding: "BinLE2Int" }] }] })).toEqual({ Token: ["h10301-example"] });
  },
  "idpoint-no-default-card-formats": async (d) => {
    expect(await ok(d, "axtid:GetIdDataConfigurationList")).toEqual({ IdDataConfiguration: [] });
  },
};

describe("IdPoint quirks", () => {
  it("has one focused test per IdPoint quirk", () => {
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(idpointService.quirks.map((q) => q.name).sort());
  });

  it.each(Object.keys(QUIRK_CASES))("%s breaks its rule", async (quirk) => {
    await withDevice({ clock: CLOCK, backdoor: true, quirks: [quirk] }, QUIRK_CASES[quirk]!);
  });
});
