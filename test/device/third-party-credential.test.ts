/**
 * The third-party credential service (axtpc) over raw VAPIX JSON and SOAP: the simulated HID
 * Mobile Access provider (configuration, connection, part numbers), third-party credentials on
 * top of the AccessControl credential store, the card issued on the device clock, the documented
 * faults and events, the back door's stimuli, and the service's quirks.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axtpcSchemas } from "../../generated/axtpc/schemas.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { THIRD_PARTY_CREDENTIAL_QUIRKS } from "../../src/device/third-party-credential/quirks.js";
import { attr, children, json, jsonFaultCodes, ok, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXTPC = "http://www.axis.com/vapix/ws/thirdpartycredential";
const PACS = "http://www.axis.com/vapix/ws/pacs";
const HID = "HIDMobileAccess";
const CREATED = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialCreated";
const CREATED_FAILED = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialCreatedFailed";
const REMOVED = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialRemoved";
const REMOVED_FAILED = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialRemovedFailed";
const ENABLED = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredentialEnabled";
const CONNECTION = "tnsaxis:ThirdPartyCredential/Status/ProviderConnection";
const INVITATION_MS = 2 * 60_000;
const VIRTUAL = "virtual=2026-01-05T08:00:00Z";

const INVALID_ARGUMENT = ["env:Sender", "ter:InvalidArgVal", "ter:InvalidArgument"];
const NOT_FOUND = ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"];
const RESOURCE_EXISTS = ["env:Sender", "ter:InvalidArgVal", "ter:ResourceExists"];

function configure(d: RunningDevice, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return ok(d, "axtpc:SetProviderConfiguration", { ProviderName: HID, ProviderActions: [], Configuration: { HIDMobileConfig: { ClientId: "client-1", ClientSecret: "s3cret", ...extra } } });
}

/** The guide's SetThirdPartyCredential request, for `token` and `email`. */
function tpc(token: string, email: string, extra: { options?: Record<string, unknown>; actions?: string[]; credential?: Record<string, unknown>; attributes?: { Name: string; Value: string }[] } = {}): Record<string, unknown> {
  return {
    ProviderName: HID,
    ProviderActions: (extra.actions ?? []).map((Name) => ({ Name })),
    ThirdPartyCredential: {
      ...(extra.options !== undefined ? { Options: { HIDMobileOptions: extra.options } } : {}),
      Credential: {
        token,
        UserToken: "user_token",
        IdData: [{ Name: "PIN", Value: "1234" }],
        Attribute: extra.attributes ?? [
          { Name: "Email", Value: email },
          { Name: "LastName", Value: "Karlsson" },
          { Name: "FirstName", Value: "Kalle" },
        ],
        ...extra.credential,
      },
    },
  };
}

async function getTpc(d: RunningDevice, token: string): Promise<Record<string, any>> {
  return (await ok(d, "axtpc:GetThirdPartyCredential", { ProviderName: HID, Token: token })).ThirdPartyCredential;
}

async function localCredential(d: RunningDevice, token: string): Promise<Record<string, any> | undefined> {
  return ((await ok(d, "pacsaxis:GetCredential", { Token: [token] })).Credential as Record<string, any>[])[0];
}

async function fault(d: RunningDevice, op: string, input: unknown): Promise<[number, string[]]> {
  const r = await json(d, op, input);
  return [r.status, jsonFaultCodes(r.body)];
}

const topicsOf = (events: readonly DeviceEvent[], from = 0): string[] => events.slice(from).map((e) => e.topic).filter((t) => t.includes("ThirdPartyCredential"));

describe("Third-party credential service over VAPIX JSON (/vapix/axtpc)", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ clock: VIRTUAL, onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("lists HID Mobile Access as its provider and is not configured when factory-new", async () => {
    expect(await ok(device, "axtpc:GetProviders")).toEqual({ Providers: [{ Name: "ProviderName", Value: HID, Type: "string", Enums: [HID] }] });
    expect(await ok(device, "axtpc:GetProviderConfiguration", { ProviderName: HID })).toEqual({ Configuration: { HIDMobileConfig: { ClientId: "", ClientSecret: "" } } });
    expect(await ok(device, "axtpc:GetThirdPartyCredentialList", { ProviderName: HID })).toEqual({ ThirdPartyCredentials: [] });
    expect(device.snapshot().runtime["ThirdPartyCredential"]).toEqual({ [HID]: { Configuration: null, Outage: null } });
  });

  it("refuses to create credentials while the provider is not configured, announcing the failure", async () => {
    const before = events.length;
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("early", "early@example.com"))).toEqual([500, ["env:Receiver", "ter:CredentialProviderError", "ter:Unavailable"]]);
    expect(topicsOf(events, before)).toEqual([CREATED_FAILED]);
    expect(events.at(-1)).toMatchObject({ source: { CredentialToken: "early" }, data: { CredentialHolderName: "Kalle Karlsson", CredentialHolderEmail: "early@example.com", ProviderName: HID } });
    expect(await localCredential(device, "early")).toBeUndefined();
  });

  it("stores a configuration, masks its secrets, lists the account's part numbers and announces the connection", async () => {
    const before = events.length;
    await configure(device, { ProxyURL: "http://proxy.example.com", ProxyPort: "3128", ProxyUser: "", ProxyPassword: "proxy-pw" });
    expect(events.slice(before).map((e) => [e.topic, e.source, e.data])).toEqual([[CONNECTION, { ProviderName: HID }, { Connected: true }]]);
    const config = (await ok(device, "axtpc:GetProviderConfiguration", { ProviderName: HID, ProviderActions: [{ Name: "ForceUpdate" }] })).Configuration.HIDMobileConfig;
    expect(config).toMatchObject({ ClientId: "client-1", ClientSecret: "***", ProxyURL: "http://proxy.example.com", ProxyPort: "3128", ProxyUser: "", ProxyPassword: "***", CardIdDataName: "CardNr" });
    expect(config.PartNumbers.map((p: { token: string }) => p.token)).toEqual(["MID-STANDARD", "MID-VISITOR"]);
    expect(config.PartNumbers[0]).toMatchObject({ Name: "Mobile ID", Quantity: 100 });
    // A new login of a connected provider is announced again; the same configuration is not.
    const again = events.length;
    await configure(device, { ProxyURL: "http://proxy.example.com", ProxyPort: "3128", ProxyUser: "", ProxyPassword: "proxy-pw" });
    expect(topicsOf(events, again)).toEqual([]);
    await configure(device, { DefaultPartNumberToken: "MID-STANDARD" });
    expect(topicsOf(events, again)).toEqual([CONNECTION]);
  });

  it("answers the documented faults for invalid configurations and unknown providers", async () => {
    const set = (config: Record<string, unknown>, name = HID): Promise<[number, string[]]> => fault(device, "axtpc:SetProviderConfiguration", { ProviderName: name, Configuration: config });
    expect(await set({ HIDMobileConfig: { ClientId: "only-id", ClientSecret: "" } })).toEqual([400, INVALID_ARGUMENT]);
    expect(await set({})).toEqual([400, INVALID_ARGUMENT]);
    expect(await set({ HIDMobileConfig: { ClientId: "c", ClientSecret: "s", DefaultPartNumberToken: "NO-SUCH-PART" } })).toEqual([400, NOT_FOUND]);
    expect(await set({ HIDMobileConfig: { ClientId: "c", ClientSecret: "s" } }, "SomeOtherCloud")).toEqual([400, NOT_FOUND]);
    expect(await fault(device, "axtpc:GetProviderConfiguration", { ProviderName: "SomeOtherCloud" })).toEqual([400, NOT_FOUND]);
    // GetThirdPartyCredentialList's table has no NotFound.
    expect(await fault(device, "axtpc:GetThirdPartyCredentialList", { ProviderName: "SomeOtherCloud" })).toEqual([400, INVALID_ARGUMENT]);
    expect(await fault(device, "axtpc:GetThirdPartyCredential", { Token: "x" })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
    // Nothing changed.
    expect((await ok(device, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig).toMatchObject({ ClientId: "client-1", DefaultPartNumberToken: "MID-STANDARD" });
  });

  it("creates a third-party credential: an AccessControl credential NotActivated until its card is issued", async () => {
    const before = events.length;
    expect(await ok(device, "axtpc:SetThirdPartyCredential", tpc("credential_token", "kalle.karlsson@example.com"))).toEqual({ Token: "credential_token" });
    expect(topicsOf(events, before)).toEqual([CREATED]);
    expect(events.slice(before).map((e) => e.topic)).toContain("tns1:Configuration/Credential/Changed");
    expect(events.find((e) => e.topic === CREATED)).toMatchObject({ source: { CredentialToken: "credential_token" }, data: { CredentialHolderName: "Kalle Karlsson", CredentialHolderEmail: "kalle.karlsson@example.com", ProviderName: HID } });
    const got = await getTpc(device, "credential_token");
    expect(got.Credential).toMatchObject({ token: "credential_token", UserToken: "user_token", Enabled: true, Status: "NotActivated", IdData: [{ Name: "PIN", Value: "1234" }] });
    expect(got.Options.HIDMobileOptions.PartNumberToken).toBe("MID-STANDARD");
    expect(got.Options.HIDMobileOptions.InvitationCode).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    // The credential part is the AccessControl credential.
    expect(await localCredential(device, "credential_token")).toEqual(got.Credential);
    // Found by e-mail too, whatever its case.
    expect((await ok(device, "axtpc:GetThirdPartyCredentialByEmail", { ProviderName: HID, Email: "Kalle.Karlsson@EXAMPLE.com" })).ThirdPartyCredential).toEqual(got);
    const config = (await ok(device, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig;
    expect(config.PartNumbers[0].Quantity).toBe(99);
  });

  it("issues the card on the device clock: IdData CardNr, Status Enabled, ThirdPartyCredentialEnabled", async () => {
    const before = events.length;
    device.advanceClock(INVITATION_MS - 1000);
    expect((await getTpc(device, "credential_token")).Credential.Status).toBe("NotActivated");
    device.advanceClock(1000);
    const credential = (await getTpc(device, "credential_token")).Credential;
    const card = credential.IdData.find((d: { Name: string }) => d.Name === "CardNr")?.Value as string;
    expect(card).toMatch(/^\d+$/);
    expect(credential.Status).toBe("Enabled");
    expect(topicsOf(events, before)).toEqual([ENABLED]);
    expect(events.find((e, i) => i >= before && e.topic === ENABLED)).toMatchObject({
      source: { CredentialToken: "credential_token" },
      data: { CredentialHolderEmail: "kalle.karlsson@example.com", CredentialFirstName: "Kalle", CredentialLastName: "Karlsson", CredentialCardNumber: card, ProviderName: HID },
    });
  });

  it("refuses missing holder attributes, unknown part numbers, taken tokens and e-mails, and an invalid credential", async () => {
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("no-name", "x@example.com", { attributes: [{ Name: "Email", Value: "x@example.com" }] }))).toEqual([400, INVALID_ARGUMENT]);
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("bad-part", "y@example.com", { options: { PartNumberToken: "NO-SUCH-PART" } }))).toEqual([400, NOT_FOUND]);
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("credential_token", "other@example.com"))).toEqual([400, RESOURCE_EXISTS]);
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("another", "KALLE.karlsson@example.com"))).toEqual([400, RESOURCE_EXISTS]);
    await ok(device, "pacsaxis:SetCredential", { Credential: [{ token: "plain", Enabled: true, Status: "Enabled", IdData: [{ Name: "CardNr", Value: "777" }] }] });
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("plain", "plain@example.com"))).toEqual([400, RESOURCE_EXISTS]);
    // The AccessControl rules apply to the credential part: a CardNr another credential has.
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("clash", "clash@example.com", { credential: { IdData: [{ Name: "CardNr", Value: "777" }] } }))).toEqual([400, INVALID_ARGUMENT]);
    for (const t of ["no-name", "bad-part", "another", "clash"]) expect(await fault(device, "axtpc:GetThirdPartyCredential", { ProviderName: HID, Token: t })).toEqual([400, NOT_FOUND]);
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["plain"] });
  });

  it("ForceUpdate replaces the third-party credential of the same e-mail; SendInvitationOnly writes nothing", async () => {
    const before = events.length;
    const allocated = (await ok(device, "axtpc:SetThirdPartyCredential", tpc("", "kalle.karlsson@example.com", { actions: ["ForceUpdate"], options: { PartNumberToken: "MID-VISITOR" } }))).Token as string;
    // An empty token with ForceUpdate takes over the existing credential of that e-mail.
    expect(allocated).toBe("credential_token");
    expect(topicsOf(events, before)).toEqual([CREATED]);
    const replaced = await getTpc(device, "credential_token");
    expect(replaced.Credential.Status).toBe("NotActivated");
    expect(replaced.Options.HIDMobileOptions.PartNumberToken).toBe("MID-VISITOR");
    const local = await localCredential(device, "credential_token");
    const code = replaced.Options.HIDMobileOptions.InvitationCode as string;
    expect(await ok(device, "axtpc:SetThirdPartyCredential", tpc("", "kalle.karlsson@example.com", { actions: ["SendInvitationOnly"], attributes: [{ Name: "Email", Value: "kalle.karlsson@example.com" }] }))).toEqual({ Token: "credential_token" });
    const resent = await getTpc(device, "credential_token");
    expect(resent.Options.HIDMobileOptions.InvitationCode).not.toBe(code);
    expect(await localCredential(device, "credential_token")).toEqual(local);
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("nobody", "nobody@example.com", { actions: ["SendInvitationOnly"] }))).toEqual([400, NOT_FOUND]);
  });

  it("runs out of Mobile IDs of a part number: GeneralProviderError and ThirdPartyCredentialCreatedFailed", async () => {
    // MID-VISITOR had 2; ForceUpdate above took one.
    await ok(device, "axtpc:SetThirdPartyCredential", tpc("visitor-1", "v1@example.com", { options: { PartNumberToken: "MID-VISITOR" } }));
    const before = events.length;
    expect(await fault(device, "axtpc:SetThirdPartyCredential", tpc("visitor-2", "v2@example.com", { options: { PartNumberToken: "MID-VISITOR" } }))).toEqual([500, ["env:Receiver", "ter:CredentialProviderError", "ter:GeneralProviderError"]]);
    expect(topicsOf(events, before)).toEqual([CREATED_FAILED]);
    await ok(device, "axtpc:RemoveThirdPartyCredentialByEmail", { ProviderName: HID, Email: "v1@example.com" });
  });

  it("pages GetThirdPartyCredentialList with Limit and StartReference", async () => {
    for (const n of [1, 2, 3]) await ok(device, "axtpc:SetThirdPartyCredential", tpc(`page-${n}`, `page${n}@example.com`));
    const first = await ok(device, "axtpc:GetThirdPartyCredentialList", { ProviderName: HID, Limit: 2 });
    expect(first.ThirdPartyCredentials.map((t: { Credential: { token: string } }) => t.Credential.token)).toEqual(["credential_token", "page-1"]);
    const rest = await ok(device, "axtpc:GetThirdPartyCredentialList", { ProviderName: HID, Limit: 2, StartReference: first.NextStartReference });
    expect(rest.ThirdPartyCredentials.map((t: { Credential: { token: string } }) => t.Credential.token)).toEqual(["page-2", "page-3"]);
    expect(rest.NextStartReference).toBeUndefined();
    expect(await fault(device, "axtpc:GetThirdPartyCredentialList", { ProviderName: HID, StartReference: "bogus" })).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartReference"]]);
  });

  it("removes by token and by e-mail, with the AccessControl credential unless NoLocalModification", async () => {
    const before = events.length;
    expect(await ok(device, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "page-1" })).toEqual({});
    expect(await localCredential(device, "page-1")).toBeUndefined();
    expect(await ok(device, "axtpc:RemoveThirdPartyCredentialByEmail", { ProviderName: HID, Email: "PAGE2@example.com" })).toEqual({});
    expect(await localCredential(device, "page-2")).toBeUndefined();
    await ok(device, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "page-3", ProviderActions: [{ Name: "NoLocalModification" }] });
    expect((await localCredential(device, "page-3"))?.token).toBe("page-3");
    expect(topicsOf(events, before)).toEqual([REMOVED, REMOVED, REMOVED]);
    expect(events.slice(before).filter((e) => e.topic === "tns1:Configuration/Credential/Removed").map((e) => e.source["CredentialToken"])).toEqual(["page-1", "page-2"]);
    for (const [op, key] of [
      ["axtpc:GetThirdPartyCredential", { Token: "page-1" }],
      ["axtpc:GetThirdPartyCredentialByEmail", { Email: "page1@example.com" }],
      ["axtpc:RemoveThirdPartyCredential", { Token: "page-3" }],
      ["axtpc:RemoveThirdPartyCredentialByEmail", { Email: "page3@example.com" }],
    ] as const) {
      expect([op, await fault(device, op, { ProviderName: HID, ...key })]).toEqual([op, [400, NOT_FOUND]]);
    }
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["page-3"] });
  });

  it("shows the credential as last written once a client removed it from AccessControl", async () => {
    await ok(device, "axtpc:SetThirdPartyCredential", tpc("orphan", "orphan@example.com"));
    const before = await getTpc(device, "orphan");
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["orphan"] });
    expect(await getTpc(device, "orphan")).toEqual(before);
    await ok(device, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "orphan" });
  });

  it("disables the provider with an empty configuration (the JSON example's HIDMobileConfig {})", async () => {
    const before = events.length;
    await ok(device, "axtpc:SetProviderConfiguration", { ProviderName: HID, ProviderAction: [], Configuration: { HIDMobileConfig: {} } });
    expect(events.slice(before).map((e) => [e.topic, e.data])).toEqual([[CONNECTION, { Connected: false }]]);
    expect(await ok(device, "axtpc:GetProviderConfiguration", { ProviderName: HID })).toEqual({ Configuration: { HIDMobileConfig: { ClientId: "", ClientSecret: "" } } });
    // The stored credentials stay readable; writes need the provider.
    expect((await getTpc(device, "credential_token")).Credential.token).toBe("credential_token");
    const removing = events.length;
    expect(await fault(device, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "credential_token" })).toEqual([500, ["env:Receiver", "ter:CredentialProviderError", "ter:Unavailable"]]);
    expect(topicsOf(events, removing)).toEqual([REMOVED_FAILED]);
    expect(device.snapshot().runtime["ThirdPartyCredential"]).toEqual({ [HID]: { Configuration: null, Outage: null } });
  });

  it("answers every response as the generated JSON Schemas describe it", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    await configure(device);
    const calls: [string, unknown][] = [
      ["axtpc:GetProviders", {}],
      ["axtpc:GetProviderConfiguration", { ProviderName: HID }],
      ["axtpc:SetProviderConfiguration", { ProviderName: HID, Configuration: { HIDMobileConfig: { ClientId: "client-1", ClientSecret: "s3cret" } } }],
      ["axtpc:SetThirdPartyCredential", tpc("schema", "schema@example.com")],
      ["axtpc:GetThirdPartyCredentialList", { ProviderName: HID, Limit: 1 }],
      ["axtpc:GetThirdPartyCredential", { ProviderName: HID, Token: "schema" }],
      ["axtpc:GetThirdPartyCredentialByEmail", { ProviderName: HID, Email: "schema@example.com" }],
      ["axtpc:RemoveThirdPartyCredentialByEmail", { ProviderName: HID, Email: "schema@example.com" }],
      ["axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "credential_token" }],
    ];
    const failures: string[] = [];
    for (const [op, input] of calls) {
      const r = await json(device, op, input);
      const validate = ajv.compile((axtpcSchemas as Record<string, object>)[`${op.slice(op.indexOf(":") + 1)}Response`]!);
      if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("the provider's connection (back door LoseProviderConnection)", () => {
  it("announces the connection, answers the outage's fault with …Failed events, and issues pending cards once it is back", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ clock: VIRTUAL, onEvent: (e) => events.push(e) }, async (d) => {
      await configure(d);
      await ok(d, "axtpc:SetThirdPartyCredential", tpc("pending", "pending@example.com"));
      let from = events.length;
      expect(d.stimulate({ Stimulus: "LoseProviderConnection" })).toEqual({ ProviderName: HID, Connected: false, Changed: true });
      expect(events.slice(from).map((e) => [e.topic, e.data])).toEqual([[CONNECTION, { Connected: false }]]);

      from = events.length;
      expect(await fault(d, "axtpc:SetThirdPartyCredential", tpc("lost", "lost@example.com"))).toEqual([500, ["env:Receiver", "ter:NetworkError", "ter:ConnectionError"]]);
      expect(await fault(d, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "pending" })).toEqual([500, ["env:Receiver", "ter:NetworkError", "ter:ConnectionError"]]);
      expect(topicsOf(events, from)).toEqual([CREATED_FAILED, REMOVED_FAILED]);
      // Reads answer from what is stored; ForceUpdate asks the provider.
      expect((await getTpc(d, "pending")).Credential.Status).toBe("NotActivated");
      expect(await fault(d, "axtpc:GetThirdPartyCredential", { ProviderName: HID, Token: "pending", ProviderActions: [{ Name: "ForceUpdate" }] })).toEqual([500, ["env:Receiver", "ter:NetworkError", "ter:ConnectionError"]]);
      expect(await fault(d, "axtpc:SetProviderConfiguration", { ProviderName: HID, Configuration: { HIDMobileConfig: { ClientId: "c2", ClientSecret: "s2" } } })).toEqual([500, ["env:Receiver", "ter:NetworkError", "ter:ConnectionError"]]);

      // The invitation is accepted while the provider is away: the card comes once it is back.
      d.advanceClock(INVITATION_MS);
      expect((await getTpc(d, "pending")).Credential.Status).toBe("NotActivated");
      d.stimulate({ Stimulus: "LoseProviderConnection", Failure: "AuthenticationFailed" });
      expect(await fault(d, "axtpc:SetThirdPartyCredential", tpc("auth", "auth@example.com"))).toEqual([400, ["env:Sender", "ter:CredentialProviderError", "ter:AuthenticationFailed"]]);
      d.stimulate({ Stimulus: "LoseProviderConnection", Failure: "Timeout" });
      expect(await fault(d, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "pending" })).toEqual([500, ["env:Receiver", "ter:NetworkError", "ter:Timeout"]]);
      from = events.length;
      expect(d.stimulate({ Stimulus: "LoseProviderConnection", Active: false })).toMatchObject({ Connected: true, Changed: true });
      d.advanceClock(INVITATION_MS);
      expect(topicsOf(events, from)).toEqual([CONNECTION, ENABLED]);
      expect((await getTpc(d, "pending")).Credential.Status).toBe("Enabled");
      expect(() => d.stimulate({ Stimulus: "LoseProviderConnection", Failure: "Meteor" })).toThrow(/"Failure" must be one of/);
    });
  });

  it("AcceptInvitation issues the card at once, into CardIdDataName; NoLocalModification only announces it", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ clock: VIRTUAL, onEvent: (e) => events.push(e) }, async (d) => {
      await configure(d, { CardIdDataName: "MobileId" });
      await ok(d, "axtpc:SetThirdPartyCredential", tpc("now", "now@example.com", { credential: { IdData: [{ Name: "MobileId", Value: "placeholder" }] } }));
      const { CardNumber } = d.stimulate({ Stimulus: "AcceptInvitation", Credential: "now" }) as { CardNumber: string };
      expect((await getTpc(d, "now")).Credential.IdData).toEqual([{ Name: "MobileId", Value: CardNumber }]);
      expect(() => d.stimulate({ Stimulus: "AcceptInvitation", Credential: "now" })).toThrow(/already has its card/);
      expect(() => d.stimulate({ Stimulus: "AcceptInvitation" })).toThrow(/needs "Credential"/);

      await ok(d, "axtpc:SetThirdPartyCredential", tpc("remote-only", "remote@example.com", { actions: ["NoLocalModification"] }));
      const from = events.length;
      const issued = d.stimulate({ Stimulus: "AcceptInvitation", Email: "remote@example.com" }) as { CardNumber: string };
      expect(issued.CardNumber).not.toBe(CardNumber);
      expect(events.slice(from).map((e) => e.topic)).toEqual([ENABLED]);
      expect(events.at(-1)!.data["CredentialCardNumber"]).toBe(issued.CardNumber);
      expect((await getTpc(d, "remote-only")).Credential).toMatchObject({ Status: "NotActivated", IdData: [{ Name: "PIN", Value: "1234" }] });
      const res = await fetch(`${d.url}/backdoor`, { headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` } });
      expect(res.status).toBe(404);
    });
    await withDevice({ clock: VIRTUAL, backdoor: true }, async (d) => {
      await configure(d);
      await ok(d, "axtpc:SetThirdPartyCredential", tpc("viewed", "viewed@example.com"));
      const res = await fetch(`${d.url}/backdoor`, { headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` } });
      const view = ((await res.json()) as { World: { ThirdPartyCredential: Record<string, any> } }).World.ThirdPartyCredential;
      expect(view.Providers[0]).toMatchObject({ ProviderName: HID, Configured: true, Connected: true, Outage: null });
      expect(view.PendingInvitations).toEqual([{ CredentialToken: "viewed", Email: "viewed@example.com", IssueAt: "2026-01-05T08:02:00.000Z" }]);
    });
  });
});

describe("Third-party credential service over SOAP (/vapix/services)", () => {
  it("creates a credential with pacsaxis children, answers it back in the pacsaxis namespace, faults as SOAP faults, and advertises its topics", async () => {
    await withDevice({ clock: VIRTUAL }, async (d) => {
      const providers = await soap(d, `<axtpc:GetProviders xmlns:axtpc="${AXTPC}"/>`);
      expect(providers.el.local).toBe("GetProvidersResponse");
      const p = children(providers.el, "Providers")[0]!;
      expect(children(p, "Value")[0]!.text).toBe(HID);
      expect(children(p, "Value")[0]!.ns).toBe("http://www.axis.com/vapix/ws/Config");

      const unknownProvider = await soap(d, `<axtpc:GetThirdPartyCredential xmlns:axtpc="${AXTPC}"><axtpc:Token>x</axtpc:Token><axtpc:ProviderName>Nope</axtpc:ProviderName></axtpc:GetThirdPartyCredential>`);
      expect([unknownProvider.status, soapFaultCodes(unknownProvider.el)]).toEqual([400, NOT_FOUND]);

      const set = await soap(
        d,
        `<axtpc:SetProviderConfiguration xmlns:axtpc="${AXTPC}"><axtpc:ProviderName>${HID}</axtpc:ProviderName><axtpc:ProviderActions type="" Name="" Value=""/>` +
          `<axtpc:Configuration><axtpc:HIDMobileConfig><axtpc:ClientId>soap-client</axtpc:ClientId><axtpc:ClientSecret>soap-secret</axtpc:ClientSecret><axtpc:ProxyUser/></axtpc:HIDMobileConfig></axtpc:Configuration></axtpc:SetProviderConfiguration>`,
      );
      expect([set.status, set.el.local]).toEqual([200, "SetProviderConfigurationResponse"]);
      const created = await soap(
        d,
        `<axtpc:SetThirdPartyCredential xmlns:axtpc="${AXTPC}" xmlns:pacsaxis="${PACS}"><axtpc:ThirdPartyCredential><axtpc:Credential token="soap-cred">` +
          `<pacsaxis:UserToken/><pacsaxis:Enabled>true</pacsaxis:Enabled><pacsaxis:Status>Enabled</pacsaxis:Status><pacsaxis:IdData Name="PIN" Value="4321"/>` +
          `<pacsaxis:Attribute Name="Email" Value="soap@example.com"/><pacsaxis:Attribute Name="LastName" Value="Soap"/><pacsaxis:Attribute Name="FirstName" Value="Sam"/>` +
          `</axtpc:Credential></axtpc:ThirdPartyCredential><axtpc:ProviderActions type="" Name="" Value=""/><axtpc:ProviderName>${HID}</axtpc:ProviderName></axtpc:SetThirdPartyCredential>`,
      );
      expect([created.status, children(created.el, "Token")[0]!.text]).toEqual([200, "soap-cred"]);

      const got = await soap(d, `<axtpc:GetThirdPartyCredentialByEmail xmlns:axtpc="${AXTPC}"><axtpc:Email>soap@example.com</axtpc:Email><axtpc:ProviderName>${HID}</axtpc:ProviderName></axtpc:GetThirdPartyCredentialByEmail>`);
      const credential = children(children(got.el, "ThirdPartyCredential")[0]!, "Credential")[0]!;
      expect([credential.ns, attr(credential, "token")]).toEqual([AXTPC, "soap-cred"]);
      const status = children(credential, "Status")[0]!;
      // The client's Status is not taken: NotActivated until the card is issued.
      expect([status.ns, status.text]).toEqual([PACS, "NotActivated"]);
      const options = children(children(children(got.el, "ThirdPartyCredential")[0]!, "Options")[0]!, "HIDMobileOptions")[0]!;
      expect(children(options, "PartNumberToken")[0]!.text).toBe("MID-STANDARD");

      const config = await soap(d, `<axtpc:GetProviderConfiguration xmlns:axtpc="${AXTPC}"><axtpc:ProviderName>${HID}</axtpc:ProviderName></axtpc:GetProviderConfiguration>`);
      const hid = children(children(config.el, "Configuration")[0]!, "HIDMobileConfig")[0]!;
      expect(hid.children.map((c) => c.local)).toEqual(["ClientId", "ClientSecret", "ProxyUser", "PartNumbers", "PartNumbers", "CardIdDataName"]);
      expect(children(hid, "ClientSecret")[0]!.text).toBe("***");

      const props = await soap(d, `<tev:GetEventProperties xmlns:tev="http://www.onvif.org/ver10/events/wsdl"/>`);
      for (const name of ["ThirdPartyCredentialCreated", "ThirdPartyCredentialCreatedFailed", "ThirdPartyCredentialRemoved", "ThirdPartyCredentialRemovedFailed", "ThirdPartyCredentialEnabled", "ProviderConnection"]) {
        expect(props.text).toMatch(new RegExp(`[:<]${name}[^>]*wstop:topic="true"`));
      }
    });
  });
});

/** One focused check per quirk: the device breaks exactly the rule the quirk names. */
const QUIRK_CASES: Record<string, (d: RunningDevice) => Promise<void>> = {
  "tpc-providers-empty": async (d) => {
    expect(await ok(d, "axtpc:GetProviders")).toEqual({ Providers: [] });
  },
  "tpc-unknown-provider-accepted": async (d) => {
    expect((await json(d, "axtpc:GetProviderConfiguration", { ProviderName: "SomeOtherCloud" })).status).toBe(200);
    expect((await json(d, "axtpc:GetThirdPartyCredentialList", { ProviderName: "SomeOtherCloud" })).status).toBe(200);
  },
  "tpc-unknown-credential-succeeds": async (d) => {
    expect(await ok(d, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "ghost" })).toEqual({});
    expect(await ok(d, "axtpc:RemoveThirdPartyCredentialByEmail", { ProviderName: HID, Email: "ghost@example.com" })).toEqual({});
    expect((await getTpc(d, "ghost")).Credential).toMatchObject({ token: "ghost", Status: "NotActivated" });
  },
  "tpc-configuration-not-stored": async (d) => {
    await configure(d);
    expect((await ok(d, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig.ClientId).toBe("");
  },
  "tpc-secret-revealed": async (d) => {
    await configure(d);
    expect((await ok(d, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig.ClientSecret).toBe("s3cret");
  },
  "tpc-disable-ignored": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetProviderConfiguration", { ProviderName: HID, Configuration: { HIDMobileConfig: { ClientId: "", ClientSecret: "" } } });
    expect((await ok(d, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig.ClientId).toBe("client-1");
  },
  "tpc-credential-not-local": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    expect((await getTpc(d, "t1")).Credential.token).toBe("t1");
    expect(await localCredential(d, "t1")).toBeUndefined();
  },
  "tpc-status-activated-at-once": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    expect((await getTpc(d, "t1")).Credential.Status).toBe("Enabled");
  },
  "tpc-missing-holder-accepted": async (d) => {
    await configure(d);
    expect(await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "", { attributes: [] }))).toEqual({ Token: "t1" });
  },
  "tpc-default-part-number-ignored": async (d) => {
    await configure(d, { DefaultPartNumberToken: "MID-VISITOR" });
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    expect((await getTpc(d, "t1")).Options.HIDMobileOptions.PartNumberToken).toBeUndefined();
  },
  "tpc-duplicate-email-accepted": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "same@example.com"));
    expect(await ok(d, "axtpc:SetThirdPartyCredential", tpc("t2", "same@example.com"))).toEqual({ Token: "t2" });
  },
  "tpc-by-email-not-found": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    expect(await fault(d, "axtpc:GetThirdPartyCredentialByEmail", { ProviderName: HID, Email: "t1@example.com" })).toEqual([400, NOT_FOUND]);
  },
  "tpc-remove-keeps-local": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    await ok(d, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "t1" });
    expect(await fault(d, "axtpc:GetThirdPartyCredential", { ProviderName: HID, Token: "t1" })).toEqual([400, NOT_FOUND]);
    expect((await localCredential(d, "t1"))?.token).toBe("t1");
  },
  "tpc-no-local-modification-ignored": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    await ok(d, "axtpc:RemoveThirdPartyCredential", { ProviderName: HID, Token: "t1", ProviderActions: [{ Name: "NoLocalModification" }] });
    expect(await localCredential(d, "t1")).toBeUndefined();
  },
  "tpc-list-ignores-limit": async (d) => {
    await configure(d);
    for (const n of [1, 2, 3]) await ok(d, "axtpc:SetThirdPartyCredential", tpc(`t${n}`, `t${n}@example.com`));
    const page = await ok(d, "axtpc:GetThirdPartyCredentialList", { ProviderName: HID, Limit: 1 });
    expect([page.ThirdPartyCredentials.length, page.NextStartReference]).toEqual([3, undefined]);
  },
  "tpc-card-not-stored": async (d) => {
    await configure(d);
    await ok(d, "axtpc:SetThirdPartyCredential", tpc("t1", "t1@example.com"));
    const { CardNumber } = d.stimulate({ Stimulus: "AcceptInvitation", Credential: "t1" }) as { CardNumber: string };
    expect(CardNumber).toMatch(/^\d+$/);
    expect((await getTpc(d, "t1")).Credential).toMatchObject({ Status: "NotActivated", IdData: [{ Name: "PIN", Value: "1234" }] });
  },
};

describe("third-party credential quirks", () => {
  it("has a test here for every quirk of the service", () => {
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(THIRD_PARTY_CREDENTIAL_QUIRKS.map((q) => q.name).sort());
  });

  it("schema-invalid-response: GetProviderConfiguration lacks the required ClientSecret", async () => {
    await withDevice({ quirks: ["schema-invalid-response"] }, async (d) => {
      await configure(d);
      expect((await ok(d, "axtpc:GetProviderConfiguration", { ProviderName: HID })).Configuration.HIDMobileConfig).not.toHaveProperty("ClientSecret");
    });
  });

  it.each(Object.keys(QUIRK_CASES))("%s", async (quirk) => {
    await withDevice({ clock: VIRTUAL, quirks: [quirk] }, async (d) => {
      expect(d.quirks).toEqual([quirk]);
      await QUIRK_CASES[quirk]!(d);
    });
  });
});
