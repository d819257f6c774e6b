import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { accessPoint, area, credential, json, jsonFaultCodes, ok, post, withDevice } from "./helpers.js";

/** Default tokens carry the device's time, so twins compare equal only on the same virtual clock. */
const FIXED_CLOCK = "virtual=2026-01-05T08:00:00Z";

describe("AccessControl behaviour over VAPIX JSON", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("serves the documented default configuration", async () => {
    expect(await ok(device, "pacsaxis:GetAccessControllerList")).toEqual({
      AccessController: [
        {
          token: "Axis-00408c184bdb AccessController",
          Name: "Axis-00408c184bdb AccessController",
          Description: "",
          AccessPoint: [expect.stringMatching(/^Axis-00408c184bdb:\d+\.\d{9}$/), expect.anything(), expect.anything(), expect.anything()],
        },
      ],
    });
    expect(await ok(device, "pacsaxis:GetAccessControllerConfigurationList")).toEqual({
      AccessControllerConfiguration: [{ token: "Axis-00408c184bdb AccessController", DeviceUUID: "5581ad80-95b0-11e0-b883-00408c184bdb", Configuration: [] }],
    });
    const profiles = (await ok(device, "pacsaxis:GetAuthenticationProfileList")).AuthenticationProfile as Record<string, unknown>[];
    expect(profiles.map((p) => p["token"]).sort()).toEqual(["CardOnly", "CardPlusPin", "PINOnly", "REXOnly"]);
    expect(profiles.find((p) => p["token"] === "REXOnly")).toEqual({
      token: "REXOnly",
      Name: "REXOnly",
      Description: "REX only",
      IdFactor: [{ IdDataName: "REX", IdMatchOperatorName: "OperatorValueEqual", OperatorValue: "Active" }],
      Schedule: ["standard_always"],
    });
  });

  it("shares one AuthenticationProfile store between the tac and pacsaxis flavours", async () => {
    const body = await ok(device, "tac:GetAuthenticationProfile", { Token: ["CardPlusPin"] });
    expect((body.AuthenticationProfile as unknown[]).length).toBe(1);
    await ok(device, "pacsaxis:SetAuthenticationProfile", { AuthenticationProfile: [{ token: "shared-ap", Name: "Shared", Description: "", IdFactor: [], Schedule: [] }] });
    expect((await ok(device, "tac:GetAuthenticationProfileInfo", { Token: "shared-ap" })).AuthenticationProfileInfo).toEqual([{ token: "shared-ap", Name: "Shared", Description: "" }]);
    await ok(device, "tac:RemoveAuthenticationProfile", { Token: ["shared-ap"] });
    expect((await ok(device, "pacsaxis:GetAuthenticationProfileList")).AuthenticationProfile).toHaveLength(4);
  });

  it("creates with an empty token, creates with a client token, replaces, and derives the Info form", async () => {
    const created = await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint(""), accessPoint("ap-client")] });
    const [generated, client] = created.Token as string[];
    expect(generated).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
    expect(client).toBe("ap-client");
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("ap-client", { Name: "Renamed", Description: "new" })] });
    const full = await ok(device, "pacsaxis:GetAccessPoint", { Token: ["ap-client"] });
    expect(full.AccessPoint).toEqual([accessPoint("ap-client", { Name: "Renamed", Description: "new" })]);
    const info = await ok(device, "tac:GetAccessPointInfo", { Token: ["ap-client"] });
    expect(info.AccessPointInfo).toEqual([
      {
        token: "ap-client",
        Name: "Renamed",
        Description: "new",
        AreaFrom: "",
        AreaTo: "",
        EntityType: "axtdc:Door",
        Entity: "Door0",
        Capabilities: { DisableAccessPoint: true, Duress: true, AnonymousAccess: true, AccessTaken: true, ExternalAuthorization: true },
      },
    ]);
    await ok(device, "pacsaxis:RemoveAccessPoint", { Token: [generated, "ap-client"] });
    expect((await ok(device, "pacsaxis:GetAccessPoint", { Token: [generated, "ap-client"] })).AccessPoint).toEqual([]);
    expect(events.some((e) => e.topic === "tns1:Configuration/AccessPoint/Removed" && e.source["AccessPointToken"] === "ap-client")).toBe(true);
  });

  it("allocates unique tokens for every empty token in one Set", async () => {
    const { Token } = await ok(device, "pacsaxis:SetArea", { Area: [area(""), area(""), area("")] });
    expect(new Set(Token as string[]).size).toBe(3);
    await ok(device, "pacsaxis:RemoveArea", { Token });
  });

  it("lets different entity types use the same token", async () => {
    await ok(device, "pacsaxis:SetArea", { Area: [area("same-token")] });
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("same-token")] });
    expect((await ok(device, "tac:GetAreaInfo", { Token: ["same-token"] })).AreaInfo).toHaveLength(1);
    await ok(device, "pacsaxis:RemoveArea", { Token: ["same-token"] });
    await ok(device, "pacsaxis:RemoveAccessPoint", { Token: ["same-token"] });
  });

  it("ignores unknown tokens, returns nothing for no tokens, faults on more than MaxLimit tokens", async () => {
    expect(await ok(device, "pacsaxis:GetCredential", { Token: ["nope-1", "nope-2"] })).toEqual({ Credential: [] });
    expect(await ok(device, "pacsaxis:GetAccessControllerInfo", {})).toEqual({ AccessControllerInfo: [] });
    const tokens = Array.from({ length: 101 }, (_, i) => `t${i}`);
    const r = await json(device, "pacsaxis:GetAccessProfileInfo", { Token: tokens });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgs", "ter:TooManyItems"]);
  });

  it("answers NotFound for unknown tokens in Remove, GetAccessPointState, Enable/Disable", async () => {
    for (const [op, input] of [
      ["pacsaxis:RemoveCredential", { Token: ["ghost"] }],
      ["tac:GetAccessPointState", { Token: "ghost" }],
      ["tac:EnableAccessPoint", { Token: "ghost" }],
      ["pacsaxis:DisableCredential", { Token: "ghost" }],
      ["pacsaxis:ResetAntipassbackViolation", { CredentialToken: "ghost" }],
    ] as const) {
      const r = await json(device, op, input);
      expect([op, r.status, jsonFaultCodes(r.body)]).toEqual([op, 400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    }
  });

  it("enables and disables access points and credentials, and counts credentials", async () => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("ap-state")] });
    await ok(device, "tac:DisableAccessPoint", { Token: "ap-state" });
    expect(await ok(device, "tac:GetAccessPointState", { Token: "ap-state" })).toEqual({ AccessPointState: { Enabled: false } });
    await ok(device, "tac:EnableAccessPoint", { Token: "ap-state" });
    expect(await ok(device, "tac:GetAccessPointState", { Token: "ap-state" })).toEqual({ AccessPointState: { Enabled: true } });

    const before = (await ok(device, "pacsaxis:GetCredentialStatistics")).CredentialStatistics as Record<string, number>;
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-stats", "555")] });
    await ok(device, "pacsaxis:DisableCredential", { Token: "cred-stats", Status: "Lost" });
    const info = await ok(device, "pacsaxis:GetCredentialInfo", { Token: ["cred-stats"] });
    expect((info.CredentialInfo as Record<string, unknown>[])[0]).toMatchObject({ Enabled: false, Status: "Lost" });
    expect((await ok(device, "pacsaxis:GetCredentialStatistics")).CredentialStatistics).toEqual({
      NumberOfCredentials: before["NumberOfCredentials"]! + 1,
      NumberOfDisabledCredentials: before["NumberOfDisabledCredentials"]! + 1,
    });
    await ok(device, "pacsaxis:EnableCredential", { Token: "cred-stats" });
    expect(((await ok(device, "pacsaxis:GetCredential", { Token: ["cred-stats"] })).Credential as Record<string, unknown>[])[0]).toMatchObject({ Enabled: true, Status: "Enabled" });
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["cred-stats"] });
    await ok(device, "pacsaxis:RemoveAccessPoint", { Token: ["ap-state"] });
  });

  it("round-trips anti-passback data and drops it with its credential", async () => {
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-apb", "777")] });
    const data = { CredentialToken: "cred-apb", PassOkThreshold: 0, CurrentArea: "main building in", ByTime: false, Violation: "" };
    expect(await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [data] })).toEqual({});
    expect((await ok(device, "pacsaxis:GetAntipassbackDataList")).AntipassbackData).toEqual([data]);
    await ok(device, "pacsaxis:ResetAntipassbackViolation", { CredentialToken: "cred-apb" });
    expect((await ok(device, "pacsaxis:GetAntipassbackDataList")).AntipassbackData).toEqual([data]);
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [{ ...data, Violation: "1" }] });
    await ok(device, "pacsaxis:ResetAllAntipassbackViolations");
    expect((await ok(device, "pacsaxis:GetAntipassbackDataList")).AntipassbackData).toEqual([]);
    await ok(device, "pacsaxis:SetAntipassbackData", { AntipassbackData: [data] });
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["cred-apb"] });
    expect((await ok(device, "pacsaxis:GetAntipassbackDataList")).AntipassbackData).toEqual([]);
  });

  it("decides RequestAccess/VerifyRequest from credential, profiles and access point", async () => {
    const controller = "Axis-00408c184bdb AccessController";
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("ap-door", { Entity: "door_token", IdPointDevice: [{ IdPoint: "idp_token", DeviceUUID: "" }] })] });
    await ok(device, "pacsaxis:SetAccessController", { AccessController: [{ token: controller, Name: controller, Description: "", AccessPoint: ["ap-door"] }] });
    await ok(device, "pacsaxis:SetAccessProfile", {
      AccessProfile: [{ token: "prof-door", Name: "P", Description: "", Enabled: true, Schedule: ["standard_always"], AccessPolicy: [{ AccessPoint: "ap-door", Schedule: ["standard_always"] }] }],
    });
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-door", "12345678", { CredentialAccessProfile: [{ AccessProfile: "prof-door" }] })] });
    const request = { Action: "Access", IdData: [{ Name: "Card", Value: "12345678" }], SourceToken: "idp_token", TargetToken: "door_token", Token: controller };
    expect(await ok(device, "pacsaxis:VerifyRequest", request)).toEqual({ AccessGranted: true, Reason: "Granted" });
    expect(await ok(device, "pacsaxis:RequestAccess", { ...request, IdData: [{ Name: "Card", Value: "999" }] })).toEqual({ AccessGranted: false, Reason: "InvalidCredential" });
    await ok(device, "pacsaxis:DisableCredential", { Token: "cred-door" });
    expect(await ok(device, "pacsaxis:RequestAccess", request)).toEqual({ AccessGranted: false, Reason: "CredentialNotEnabled" });
    await ok(device, "pacsaxis:EnableCredential", { Token: "cred-door" });
    await ok(device, "tac:DisableAccessPoint", { Token: "ap-door" });
    expect(await ok(device, "pacsaxis:VerifyRequest", request)).toEqual({ AccessGranted: false, Reason: "Unauthorized" });
    const r = await json(device, "pacsaxis:VerifyRequest", { ...request, Token: "no-controller" });
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(events.some((e) => e.topic === "tns1:AccessControl/Denied/Credential")).toBe(true);
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["cred-door"] });
    await ok(device, "pacsaxis:RemoveAccessProfile", { Token: ["prof-door"] });
    await ok(device, "pacsaxis:SetAccessController", { AccessController: [{ token: controller, Name: controller, Description: "", AccessPoint: [] }] });
    await ok(device, "pacsaxis:RemoveAccessPoint", { Token: ["ap-door"] });
  });

  it("answers the documented lists and capabilities", async () => {
    expect((await ok(device, "tac:GetServiceCapabilities")).Capabilities).toMatchObject({ MaxLimit: 100, DisableCredential: true, SetCredential: true });
    const ops = ((await ok(device, "pacsaxis:GetIdMatchOperators")).IdMatchOperator as { Name: string }[]).map((o) => o.Name);
    expect(ops).toEqual(expect.arrayContaining(["IdDataEqual", "OperatorValueEqual", "RemoteValidationEvent"]));
    const std = ((await ok(device, "pacsaxis:GetStandardAttributeList")).Attribute as { Name: string }[]).map((a) => a.Name);
    expect(std).toEqual(expect.arrayContaining(["ExtendedTimeFlag", "IdFactorOverride"]));
    expect(((await ok(device, "pacsaxis:GetRuleOperators")).RuleOperator as unknown[]).length).toBeGreaterThan(0);
    expect(((await ok(device, "pacsaxis:GetVendorAttributeList")).Attribute as { Name: string }[]).map((a) => a.Name)).toContain("AntiPassbackMode");
    const db = await ok(device, "pacsaxis:GetMasterDBState");
    expect(db["NbrTotalPages"]).toBeGreaterThanOrEqual(db["NbrFreePages"]);
    expect(await ok(device, "pacsaxis:ReOpenMasterDB")).toEqual(db);
  });

  it("accepts JSON with no Content-Type and Token as a plain string", async () => {
    const r = await post(device, "/vapix/pacs", JSON.stringify({ "pacsaxis:GetAccessController": { Token: "Axis-00408c184bdb AccessController" } }), {
      authorization: `Basic ${Buffer.from("root:pass").toString("base64")}`,
      "content-type": "",
    });
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as { AccessController: unknown[] }).AccessController).toHaveLength(1);
  });

  it("faults an unknown operation with env:Sender/ter:UnknownAction (ONVIF Core generic fault)", async () => {
    const r = await json(device, "pacsaxis:GetDoorList", {});
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:UnknownAction"]);
  });
});

describe("invalid input changes nothing", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ clock: FIXED_CLOCK, populate: { credentials: 3, accessPoints: 2, accessProfiles: 2, areas: 2 } });
  });
  afterAll(() => device.close());

  it("rejects a Set whose 4th item is invalid and stores none of the 5", async () => {
    const before = device.snapshot();
    const items = [area("a1"), area("a2"), area("a3"), { token: "a4", Name: "x".repeat(65) }, area("a5")];
    const r = await json(device, "pacsaxis:SetArea", { Area: items });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body)[0]).toBe("env:Sender");
    expect(String(r.body["FaultReason"])).toContain("Area[3].Name");
    expect(device.snapshot()).toEqual(before);
  });

  it("rejects a missing required field, a wrong type and a CardNr clash", async () => {
    const before = device.snapshot();
    const cases: [string, unknown][] = [
      ["pacsaxis:SetAccessPoint", { AccessPoint: [{ token: "", Name: "no entity" }] }],
      ["pacsaxis:SetCredential", { Credential: [credential("c-bad", "1", { Enabled: "maybe" })] }],
      ["pacsaxis:SetCredential", { Credential: [credential("c-bad", "1", { ValidFrom: "yesterday" })] }],
      ["pacsaxis:GetAccessPointList", { Limit: { nested: true } }],
      ["pacsaxis:SetArea", {}],
      [
        "pacsaxis:SetCredential",
        { Credential: [credential("c-x", "1", { IdData: [{ Name: "CardNr", Value: "42" }] }), credential("c-y", "2", { IdData: [{ Name: "CardNr", Value: "42" }] })] },
      ],
    ];
    for (const [op, input] of cases) {
      const r = await json(device, op, input);
      expect([op, r.status]).toEqual([op, 400]);
    }
    expect(device.snapshot()).toEqual(before);
  });

  it("answers malformed JSON, non-object bodies and oversized bodies with 4xx faults", async () => {
    const before = device.snapshot();
    for (const body of ["{not json", "[1,2]", '"text"', '{"a:b":{},"c:d":{}}', '{"pacsaxis:SetArea": 5}']) {
      const r = await post(device, "/vapix/pacs", body);
      expect([body, r.status]).toEqual([body, 400]);
      expect(JSON.parse(r.text)).toHaveProperty("Fault", "env:Sender");
    }
    await withDevice({ maxBodyBytes: 1024 }, async (small) => {
      const r = await post(small, "/vapix/pacs", JSON.stringify({ "pacsaxis:SetArea": { Area: [area("big", "x".repeat(2000))] } }));
      expect(r.status).toBe(413);
      expect(JSON.parse(r.text)).toHaveProperty("Fault", "env:Sender");
    });
    expect(device.snapshot()).toEqual(before);
  });

  it("gives a deterministic, JSON-serialisable snapshot of populated data", async () => {
    const snap = device.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.entities["Credential"]!.items.map((c) => (c as { token: string }).token)).toEqual(["credential-0001", "credential-0002", "credential-0003"]);
    await withDevice({ clock: FIXED_CLOCK, populate: { credentials: 3, accessPoints: 2, accessProfiles: 2, areas: 2 } }, async (twin) => {
      expect(twin.snapshot()).toEqual(snap);
    });
  });
});

describe("devices side by side", () => {
  it("keeps identities and data apart", async () => {
    await withDevice({ identity: { mac: "00408C000001", uuid: "uuid-one" } }, async (one) => {
      await withDevice({ identity: { mac: "ACCC8E000002", uuid: "uuid-two" }, user: "admin", password: "secret" }, async (two) => {
        expect(one.port).not.toBe(two.port);
        const a = await ok(one, "pacsaxis:GetAccessControllerConfigurationList");
        expect(a.AccessControllerConfiguration).toEqual([{ token: "Axis-00408c000001 AccessController", DeviceUUID: "uuid-one", Configuration: [] }]);
        const auth2 = { authorization: `Basic ${Buffer.from("admin:secret").toString("base64")}` };
        const b = await post(two, "/vapix/pacs", JSON.stringify({ "pacsaxis:GetAccessControllerList": {} }), auth2);
        expect((JSON.parse(b.text) as { AccessController: { token: string }[] }).AccessController[0]!.token).toBe("Axis-accc8e000002 AccessController");
        await ok(one, "pacsaxis:SetArea", { Area: [area("only-on-one")] });
        const r = await post(two, "/vapix/pacs", JSON.stringify({ "pacsaxis:GetArea": { Token: ["only-on-one"] } }), auth2);
        expect(JSON.parse(r.text)).toEqual({ Area: [] });
        const created = await ok(one, "pacsaxis:SetArea", { Area: [area("")] });
        expect((created.Token as string[])[0]).toMatch(/^Axis-00408c000001:/);
      });
    });
  });
});
