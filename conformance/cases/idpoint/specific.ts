/**
 * IdPoint rules that are not generic set/get/paging: capabilities, the hardware configuration
 * (merge, defaults, validation, DeviceUUID, ConfigurationInfo), card formats, feedback,
 * whitelists, remote activities, the last credential, NotFound faults and schema conformance.
 * Every check works on IdPoints it creates itself and removes them afterwards.
 */
import type { CheckContext, CheckDefinition, Exchange } from "../../harness/types.js";
import { docRef, docSections, itemsOf, tokenOf } from "../../harness/entity.js";
import { excerptJson, expectFault, faultChain, faultOf, type ExpectedFault } from "../../harness/faults.js";
import { createOne, registerCreated, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { accessPoint, accessProfile, credential } from "../access-control/entities.js";
import { BOTH, expectSchemaConformance, lastExchange, listItems, xsBoolean, type SchemaCall } from "../generic/support.js";
import { unknownTokenCheck, type UnknownTokenOptions } from "../generic/unknown-token.js";
import { DOC, SERVICE, idDataConfiguration, idPoint, idPointConfiguration } from "./entities.js";

const ref = docSections(DOC);
const op = (name: string): string => docRef(idPoint, `axtid:${name}`);

const CONFIGURATION_NOT_FOUND: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:ConfigurationNotFound"] };
const INVALID_IDPOINT_CONFIGURATION: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidIdPointConfigurationFault"] };
const INVALID_CONFIGURATION: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidConfigurationFault"] };

type Setting = { Name: string; Value: string };
const setting = (Name: string, Value: string): Setting => ({ Name, Value });
const READER = [setting("IdPoint.Reader.Type", "Wiegand"), setting("IdPoint.REX.Type", "None")];
const REX_ONLY = [setting("IdPoint.Reader.Type", "None"), setting("IdPoint.REX.Type", "ActiveLow")];

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * An IdPoint of this run with its IdPointConfiguration under the same token (guide "Setting up an
 * IdPoint"); both are removed after the check.
 */
async function createIdPoint(ctx: CheckContext, label: string, configuration: readonly Setting[], formats: readonly string[] = []): Promise<string> {
  const token = await createOne(ctx, idPoint, sampleFor(ctx, idPoint, ctx.newToken(label), 60));
  await createConfiguration(ctx, token, configuration, formats);
  return token;
}

async function createConfiguration(ctx: CheckContext, token: string, configuration: readonly Setting[], formats: readonly string[] = []): Promise<void> {
  await setItems(ctx, idPointConfiguration, [{ token, DeviceUUID: "", IdDataConfiguration: [...formats], Configuration: configuration.map((c) => ({ ...c })) }]);
}

async function readConfiguration(ctx: CheckContext, token: string): Promise<Record<string, unknown> | undefined> {
  const items = itemsOf(await ctx.call("axtid:GetIdPointConfiguration", { Token: [token] }), "IdPointConfiguration");
  return items.find((i) => tokenOf(idPointConfiguration, i) === token);
}

function settingsOf(config: Record<string, unknown> | undefined): Map<string, string> {
  const list = Array.isArray(config?.["Configuration"]) ? (config["Configuration"] as unknown[]) : config?.["Configuration"] !== undefined ? [config["Configuration"]] : [];
  return new Map(list.map(record).map((c) => [String(c["Name"]), String(c["Value"])] as const));
}

async function capabilities(ctx: CheckContext, token: string): Promise<Record<string, unknown>> {
  return record((await ctx.call("axtid:GetIdPointCapabilities", { Token: token }))["IdPointCapabilities"]);
}

const capabilityChecks: CheckDefinition[] = [
  {
    id: "axtid.id-point.capabilities-follow-configuration",
    title: "IdPoint capabilities follow the hardware configuration",
    service: SERVICE,
    rule: "SupportCard and SupportREX reflect the configured hardware (a Wiegand reader without REX: card, no REX; a REX-only IdPoint: REX, no card), and GetIdPointCapabilities agrees with IdPointInfo.Capabilities.",
    specRefs: [ref("idpointcapabilities-data-structure"), op("GetIdPointCapabilities"), op("GetIdPointInfo"), ref("configuring-a-rex-device"), ref("configuration-structure")],
    quirk: "idpoint-capabilities-static",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, "axtid:GetIdPointCapabilities", "axtid:GetIdPointInfo");
      const reader = await createIdPoint(ctx, "cap-reader", READER);
      const rex = await createIdPoint(ctx, "cap-rex", REX_ONLY);
      const infos = new Map(itemsOf(await ctx.call("axtid:GetIdPointInfo", { Token: [reader, rex] }), "IdPointInfo").map((i) => [tokenOf(idPoint, i), record(i["Capabilities"])] as const));
      const infoExchange = lastExchange(ctx);
      for (const [token, what, card, rexInput] of [
        [reader, "a Wiegand reader with IdPoint.REX.Type None", true, false],
        [rex, "a REX-only IdPoint (IdPoint.Reader.Type None, IdPoint.REX.Type ActiveLow)", false, true],
      ] as const) {
        const caps = await capabilities(ctx, token);
        const got = { SupportCard: xsBoolean(caps["SupportCard"]), SupportREX: xsBoolean(caps["SupportREX"]) };
        if (got.SupportCard !== card || got.SupportREX !== rexInput) {
          ctx.fail(`GetIdPointCapabilities for ${what} reports SupportCard=${String(got.SupportCard)}, SupportREX=${String(got.SupportREX)}; expected ${card} and ${rexInput}`, lastExchange(ctx));
        }
        const info = infos.get(token);
        if (info === undefined) return ctx.fail(`GetIdPointInfo returned no IdPointInfo for "${token}"`, infoExchange);
        const differs = (["SupportCard", "SupportPIN", "SupportREX", "SupportBiometric"] as const).filter((k) => xsBoolean(info[k]) !== xsBoolean(caps[k]));
        if (differs.length > 0) ctx.fail(`IdPointInfo.Capabilities of "${token}" disagrees with GetIdPointCapabilities on ${differs.join(", ")}`, infoExchange);
      }
    },
  },
];

const configurationChecks: CheckDefinition[] = [
  {
    id: "axtid.id-point-configuration.partial-set-keeps-others",
    title: "SetIdPointConfiguration on an existing configuration replaces only the settings sent",
    service: SERVICE,
    rule: "If a configuration with the token exists, SetIdPointConfiguration replaces only the supplied settings; the others keep their values.",
    specRefs: [ref("configuration-structure"), op("SetIdPointConfiguration")],
    quirk: "idpoint-configuration-replaces-all",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPointConfiguration.set, "axtid:GetIdPointConfiguration");
      const token = ctx.newToken("merge");
      await createConfiguration(ctx, token, [setting("IdPoint.Reader.Type", "Wiegand"), setting("IdPoint.LED.Type", "SingleLED")]);
      await createConfiguration(ctx, token, [setting("IdPoint.LED.Type", "DualLED")]);
      const now = settingsOf(await readConfiguration(ctx, token));
      if (now.get("IdPoint.LED.Type") !== "DualLED") ctx.fail(`after setting only IdPoint.LED.Type=DualLED it reads ${excerptJson(now.get("IdPoint.LED.Type"))}`, lastExchange(ctx));
      if (now.get("IdPoint.Reader.Type") !== "Wiegand") {
        ctx.fail(`IdPoint.Reader.Type was Wiegand and not part of the second SetIdPointConfiguration, but now reads ${excerptJson(now.get("IdPoint.Reader.Type"))}`, lastExchange(ctx));
      }
    },
  },
  {
    id: "axtid.id-point-configuration.defaults-for-missing",
    title: "A new IdPointConfiguration gets defaults for the settings not sent",
    service: SERVICE,
    rule: "A new IdPointConfiguration without a value for every setting gets the default of each missing setting: the first of its documented values (IdPoint.REX.Type None, IdPoint.LED.Type None).",
    specRefs: [ref("configuration-structure"), op("SetIdPointConfiguration")],
    quirk: "idpoint-configuration-no-defaults",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPointConfiguration.set, "axtid:GetIdPointConfiguration");
      const token = ctx.newToken("dflt");
      await createConfiguration(ctx, token, [setting("IdPoint.Reader.Type", "Wiegand")]);
      const now = settingsOf(await readConfiguration(ctx, token));
      const wrong = (["IdPoint.REX.Type", "IdPoint.LED.Type"] as const).filter((n) => now.get(n) !== "None");
      if (wrong.length > 0) ctx.fail(`a new configuration set with only IdPoint.Reader.Type reads ${wrong.map((n) => `${n}=${excerptJson(now.get(n))}`).join(", ")}; expected the default None`, lastExchange(ctx));
    },
  },
  {
    id: "axtid.id-point-configuration.invalid-value-rejected",
    title: "SetIdPointConfiguration rejects a value outside a setting's documented values",
    service: SERVICE,
    rule: "SetIdPointConfiguration with IdPoint.Reader.Type set to a value that is not documented gives env:Sender/ter:InvalidArgVal/ter:InvalidIdPointConfigurationFault and stores nothing.",
    specRefs: [ref("configuration-structure"), op("SetIdPointConfiguration")],
    quirk: "idpoint-configuration-invalid-value-accepted",
    notes: "Another fault than the documented one is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPointConfiguration.set, "axtid:GetIdPointConfiguration");
      const token = ctx.newToken("bad");
      registerCreated(ctx, idPointConfiguration, [token]);
      const item = { token, DeviceUUID: "", IdDataConfiguration: [], Configuration: [setting("IdPoint.Reader.Type", "Telepathy")] };
      await expectFault(ctx, "axtid:SetIdPointConfiguration", { IdPointConfiguration: [item] }, INVALID_IDPOINT_CONFIGURATION, 'SetIdPointConfiguration with IdPoint.Reader.Type "Telepathy"');
      if ((await readConfiguration(ctx, token)) !== undefined) ctx.fail(`the rejected IdPointConfiguration "${token}" exists afterwards`, lastExchange(ctx));
    },
  },
  {
    id: "axtid.id-point-configuration.device-uuid-filled",
    title: "An empty DeviceUUID is filled in with the device's UUID",
    service: SERVICE,
    rule: "When an IdPointConfiguration is set with an empty DeviceUUID, the device fills in the UUID of the device the request was made to.",
    specRefs: [ref("deviceuuid"), "intro.md#uuid", op("SetIdPointConfiguration")],
    quirk: "idpoint-device-uuid-not-filled",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPointConfiguration.set, "axtid:GetIdPointConfiguration");
      const token = ctx.newToken("uuid");
      await createConfiguration(ctx, token, READER);
      const uuid = (await readConfiguration(ctx, token))?.["DeviceUUID"];
      if (typeof uuid !== "string" || uuid.trim() === "") ctx.fail(`IdPointConfiguration "${token}" was set with an empty DeviceUUID and reads back DeviceUUID=${excerptJson(uuid)}; expected the device's UUID`, lastExchange(ctx));
    },
  },
  {
    id: "axtid.get-id-point-configuration-info.current-values",
    title: "GetIdPointConfigurationInfo reports each setting's current value and allowed values",
    service: SERVICE,
    rule: "GetIdPointConfigurationInfo lists IdPoint.Reader.Type and IdPoint.REX.Type with the values the IdPoint is configured with, each among the setting's listed Enums.",
    specRefs: [op("GetIdPointConfigurationInfo"), ref("configuration-structure"), "door-control-service.md#axisconfig-service"],
    quirk: "idpoint-configuration-info-stale",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, "axtid:GetIdPointConfigurationInfo");
      const configured = [setting("IdPoint.Reader.Type", "RS-485HD"), setting("IdPoint.REX.Type", "ActiveHigh")];
      const token = await createIdPoint(ctx, "info", configured);
      const infos = itemsOf(await ctx.call("axtid:GetIdPointConfigurationInfo", { Token: token }), "ConfigurationInfo");
      for (const c of configured) {
        const info = infos.find((i) => i["Name"] === c.Name);
        if (info === undefined) return ctx.fail(`GetIdPointConfigurationInfo for "${token}" does not list ${c.Name}`, lastExchange(ctx));
        if (info["Value"] !== c.Value) ctx.fail(`GetIdPointConfigurationInfo reports ${c.Name}=${excerptJson(info["Value"])}; the IdPoint is configured with ${c.Value}`, lastExchange(ctx));
        const enums = Array.isArray(info["Enums"]) ? info["Enums"] : [info["Enums"]];
        if (!enums.includes(c.Value)) ctx.fail(`GetIdPointConfigurationInfo lists Enums ${excerptJson(enums)} for ${c.Name}, without its current value ${c.Value}`, lastExchange(ctx));
      }
    },
  },
  {
    id: "axtid.id-point.remove-removes-configuration",
    title: "RemoveIdPoint removes the IdPointConfiguration with the same token",
    service: SERVICE,
    rule: "When an IdPoint is removed, the IdPointConfiguration with its token is removed as well.",
    specRefs: [op("RemoveIdPointConfiguration"), op("RemoveIdPoint"), ref("setting-up-an-idpoint")],
    quirk: "idpoint-remove-keeps-configuration",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPoint.remove, idPointConfiguration.set, "axtid:GetIdPointConfiguration");
      const token = await createIdPoint(ctx, "rmcfg", READER);
      await ctx.call(idPoint.remove!, { Token: [token] });
      if ((await readConfiguration(ctx, token)) !== undefined) ctx.fail(`RemoveIdPoint "${token}" answered OK but GetIdPointConfiguration still returns its configuration`, lastExchange(ctx));
    },
  },
];

const cardFormatChecks: CheckDefinition[] = [
  {
    id: "axtid.id-data-configuration.map-outside-bitlength-rejected",
    title: "SetIdDataConfiguration rejects a field map beyond InputBitlength",
    service: SERVICE,
    rule: "An IdDataFieldMap that selects bits beyond InputBitlength (bits 10-40 of a 26-bit format) gives env:Sender/ter:InvalidArgVal/ter:InvalidConfigurationFault and stores nothing.",
    specRefs: [op("SetIdDataConfiguration"), ref("api-id-data-field-map-data-structure"), ref("iddataconfiguration-data-structure")],
    quirk: "idpoint-card-format-map-unchecked",
    notes: "Another fault than the documented one is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idDataConfiguration.set, idDataConfiguration.full?.get);
      const token = ctx.newToken("map");
      registerCreated(ctx, idDataConfiguration, [token]);
      const item = { ...sampleFor(ctx, idDataConfiguration, token, 61), IdDataFieldMap: [{ Name: "CardNr", Map: "10-40", Encoding: "BinLE2Int" }] };
      await expectFault(ctx, "axtid:SetIdDataConfiguration", { IdDataConfiguration: [item] }, INVALID_CONFIGURATION, "SetIdDataConfiguration with Map 10-40 and InputBitlength 26");
      const stored = itemsOf(await ctx.call(idDataConfiguration.full!.get!, { Token: [token] }), "IdDataConfiguration");
      if (stored.length > 0) ctx.fail(`the rejected IdDataConfiguration "${token}" exists afterwards`, lastExchange(ctx));
    },
  },
  {
    id: "axtid.id-data-configuration.factory-formats",
    title: "The device provides the Wiegand 26-bit card format",
    service: SERVICE,
    rule: "Access card formats are provided by default, for example the Wiegand 26-bit format (H10301): GetIdDataConfigurationList lists a configuration with InputBitlength 26.",
    specRefs: [ref("setting-up-access-card-formats"), op("GetIdDataConfigurationList")],
    quirk: "idpoint-no-default-card-formats",
    notes: "A missing 26-bit format is a warning: the site may have removed the factory formats.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, "axtid:GetIdDataConfigurationList");
      const formats = await listItems(ctx, "axtid:GetIdDataConfigurationList", "IdDataConfiguration", (i) => tokenOf(idDataConfiguration, i), 200);
      if (!formats.some((f) => String(f["InputBitlength"]) === "26")) {
        ctx.warn(`GetIdDataConfigurationList lists ${formats.length} card format(s), none with InputBitlength 26 (Wiegand H10301)`, lastExchange(ctx));
      }
    },
  },
];

const feedbackChecks: CheckDefinition[] = [
  {
    id: "axtid.feedback-message.round-trip",
    title: "FeedbackMessage sets the profile GetFeedbackMessage reports",
    service: SERVICE,
    rule: "After FeedbackMessage with a Profile, GetFeedbackMessage for that IdPoint returns that Profile.",
    specRefs: [op("FeedbackMessage"), op("GetFeedbackMessage"), ref("idpointfeedback-data-structure")],
    quirk: "idpoint-feedback-not-stored",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, "axtid:FeedbackMessage", "axtid:GetFeedbackMessage");
      const token = await createIdPoint(ctx, "fb", READER);
      const before = String((await ctx.call("axtid:GetFeedbackMessage", { Token: token }))["Profile"] ?? "Idle");
      const wanted = before === "Warning" ? "Ok" : "Warning";
      ctx.onCleanup(`restore feedback of IdPoint ${token}`, async (call) => {
        await call("axtid:FeedbackMessage", { Token: token, Profile: before }).catch(() => undefined);
      });
      await ctx.call("axtid:FeedbackMessage", { Token: token, Profile: wanted, Message: "pcx" });
      const after = (await ctx.call("axtid:GetFeedbackMessage", { Token: token }))["Profile"];
      if (after !== wanted) ctx.fail(`after FeedbackMessage Profile=${wanted}, GetFeedbackMessage reports ${excerptJson(after)}`, lastExchange(ctx));
    },
  },
];

const SMART_INTEGO = [
  setting("IdPoint.Reader.Type", "TCPIP"),
  setting("IdPoint.TCPIP.Protocol", "SmartIntego"),
  // A documentation address (RFC 5737): nothing answers there.
  setting("IdPoint.TCPIP.Address", "192.0.2.1"),
  setting("IdPoint.TCPIP.Port", "2101"),
  setting("IdPoint.Hardware.Address", "0x200"),
  setting("IdPoint.Hub.Hardware.Address", "0x100"),
  setting("IdPoint.Whitelist.IdDataName", "Card"),
];

const whitelistChecks: CheckDefinition[] = [
  {
    id: "axtid.id-point-white-list.lists-whitelisted-credential",
    title: "A credential with a whitelist access profile is on the lock's whitelist",
    service: SERVICE,
    rule: "A credential whose access profile has the AxisWhitelist attribute and a policy for an access point using a Smart Intego IdPoint appears in that IdPoint's whitelist (GetIdPointWhiteList and GetIdPointWhiteListList) with its Card IdData, PendingAdd or Active.",
    specRefs: [ref("whitelist-functions"), op("GetIdPointWhiteList"), op("GetIdPointWhiteListList"), "peripherals.md#enable-whitelist-doors"],
    quirk: "idpoint-whitelist-empty",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, accessPoint.set, accessProfile.set, credential.set, "axtid:GetIdPointWhiteList", "axtid:GetIdPointWhiteListList");
      const lock = await createIdPoint(ctx, "wl", SMART_INTEGO);
      const ap = await createOne(ctx, accessPoint, { ...sampleFor(ctx, accessPoint, ctx.newToken("wl-ap"), 62), IdPointDevice: [{ IdPoint: lock, DeviceUUID: "" }] });
      const profileItem = sampleFor(ctx, accessProfile, ctx.newToken("wl-prof"), 63, { "access-point": ap });
      const profile = await createOne(ctx, accessProfile, { ...profileItem, Attribute: [{ Name: "AxisWhitelist", Value: "Card" }] });
      const credItem = sampleFor(ctx, credential, ctx.newToken("wl-cred"), 64, { "access-profile": profile });
      await createOne(ctx, credential, credItem);
      const card = String((credItem["IdData"] as Setting[])[0]!.Value);
      const judge = (items: Record<string, unknown>[], via: string, ex: Exchange | undefined): void => {
        const list = items.find((i) => tokenOf(idPoint, i) === lock);
        const raw = list?.["WhiteListEntry"];
        const entries = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(record);
        const entry = entries.find((e) => record(e["IdData"])["Name"] === "Card" && record(e["IdData"])["Value"] === card);
        if (entry === undefined) return ctx.fail(`${via} shows ${entries.length} whitelist entries for IdPoint "${lock}", none for the credential's Card ${card}`, ex);
        if (entry["State"] !== "PendingAdd" && entry["State"] !== "Active") ctx.fail(`${via} shows the entry for Card ${card} in state ${excerptJson(entry["State"])}; expected PendingAdd or Active`, ex);
      };
      judge(itemsOf(await ctx.call("axtid:GetIdPointWhiteList", { Token: [lock] }), "IdPointWhiteList"), "GetIdPointWhiteList", lastExchange(ctx));
      judge(await listItems(ctx, "axtid:GetIdPointWhiteListList", "IdPointWhiteList", (i) => tokenOf(idPoint, i), 200), "GetIdPointWhiteListList", lastExchange(ctx));
    },
  },
];

/** An env:Sender fault of any subcode passes (the page documents none for it); another fault warns. */
async function expectSenderFault(ctx: CheckContext, opName: string, input: unknown, what: string): Promise<void> {
  try {
    await ctx.call(opName, input);
  } catch (err) {
    const f = faultOf(err);
    if (f === undefined) throw err;
    if (f.code !== "env:Sender") ctx.warn(`${what}: got fault ${faultChain(f)}; expected an env:Sender fault`, lastExchange(ctx));
    return;
  }
  ctx.fail(`${what}: accepted; expected an env:Sender fault`, lastExchange(ctx));
}

const remoteActivityChecks: CheckDefinition[] = [
  {
    id: "axtid.indicate-remote-activities.params-rules",
    title: "IndicateRemoteActivities enforces the Params rules of each activity type",
    service: SERVICE,
    rule: "Params are mandatory for Card and PIN activities (a PIN activity needs a param named PIN) and not allowed for REX: the documented examples are accepted, a PIN activity without a PIN param and a REX activity with Params are rejected with an env:Sender fault.",
    specRefs: [op("IndicateRemoteActivities"), ref("remote-activity-functions"), ref("sending-activities-from-a-remote-device"), "peripherals.md#indicating-remote-activities"],
    quirk: "idpoint-remote-activity-params-unchecked",
    notes: "Any env:Sender fault passes for the invalid requests (no subcode is documented); another fault is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, "axtid:IndicateRemoteActivities");
      const token = await createIdPoint(ctx, "remote", READER);
      const send = (Activities: unknown[]): Promise<Record<string, unknown>> => ctx.call("axtid:IndicateRemoteActivities", { Token: token, Description: ctx.tokenPrefix, Activities });
      try {
        await send([
          { Type: "REX" },
          { Type: "Card", Params: [setting("LPN", "PCX123")] },
          { Type: "Card", Params: [setting("Card", "02004fcb"), setting("PIN", "1111")] },
          { Type: "PIN", Params: [setting("PIN", "1111")] },
        ]);
      } catch (err) {
        const f = faultOf(err);
        if (f !== undefined) ctx.fail(`IndicateRemoteActivities with the documented REX, Card (LPN), Card+PIN and PIN activities returned ${faultChain(f)}`, lastExchange(ctx));
        throw err;
      }
      await expectSenderFault(ctx, "axtid:IndicateRemoteActivities", { Token: token, Activities: [{ Type: "PIN", Params: [setting("Code", "1111")] }] }, "a PIN activity without a param named PIN");
      await expectSenderFault(ctx, "axtid:IndicateRemoteActivities", { Token: token, Activities: [{ Type: "REX", Params: [setting("REX", "Active")] }] }, "a REX activity with Params");
    },
  },
];

/** The guide's H10301 example: these 26 bits decode to FacilityCode 0, CardNr 10213, CardNrHex 27e5. */
const EXAMPLE_CARD = "02004fcb";
const EXAMPLE_FIELDS: readonly Setting[] = [setting("FacilityCode", "0"), setting("CardNr", "10213"), setting("CardNrHex", "27e5"), setting("Card", EXAMPLE_CARD), setting("BitCount", "26")];

const lastCredentialChecks: CheckDefinition[] = [
  {
    id: "axtid.get-last-credential.after-card",
    title: "GetLastCredential returns the presented card parsed with the IdPoint's card format",
    service: SERVICE,
    rule: "After a card is presented, GetLastCredential returns its IdData parsed with the IdPoint's IdDataConfiguration (the guide's H10301 example: FacilityCode 0, CardNr 10213, CardNrHex 27e5), plus Card and BitCount, which are always included.",
    specRefs: [op("GetLastCredential"), ref("getting-card-data-from-a-reader"), ref("iddataconfiguration-example")],
    quirk: "idpoint-last-credential-not-decoded",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, idPoint.set, idPointConfiguration.set, idDataConfiguration.set, "axtid:GetLastCredential");
      ctx.requirePhysical(`card ${EXAMPLE_CARD} presented at an IdPoint this run creates`);
      if (ctx.physical.via !== "backdoor") ctx.skip("presents one specific card (the guide's H10301 example), which only the back door can do");
      const format = await createOne(ctx, idDataConfiguration, sampleFor(ctx, idDataConfiguration, ctx.newToken("fmt"), 65));
      const token = await createIdPoint(ctx, "card", READER, [format]);
      await ctx.physical.stimulate({ Stimulus: "PresentCard", IdPoint: token, Card: EXAMPLE_CARD });
      const got = itemsOf(await ctx.call("axtid:GetLastCredential", { Token: token }), "IdData");
      const missing = EXAMPLE_FIELDS.filter((f) => !got.some((g) => g["Name"] === f.Name && String(g["Value"]) === f.Value));
      if (missing.length > 0) ctx.fail(`GetLastCredential after card ${EXAMPLE_CARD} returned ${excerptJson(got, 300)}; missing ${missing.map((m) => `${m.Name}=${m.Value}`).join(", ")}`, lastExchange(ctx));
    },
  },
];

const IDPOINT_TOKEN: UnknownTokenOptions = { service: SERVICE, docPage: DOC, noun: "IdPoint" };

const unknownTokenChecks: CheckDefinition[] = [
  unknownTokenCheck("axtid:GetIdPointCapabilities", IDPOINT_TOKEN),
  unknownTokenCheck("axtid:GetIdPointConfigurationInfo", IDPOINT_TOKEN),
  unknownTokenCheck("axtid:FeedbackMessage", { ...IDPOINT_TOKEN, input: (t) => ({ Token: t, Profile: "Ok" }) }),
  unknownTokenCheck("axtid:GetFeedbackMessage", IDPOINT_TOKEN),
  unknownTokenCheck("axtid:IndicateRemoteActivities", { ...IDPOINT_TOKEN, input: (t) => ({ Token: t, Activities: [{ Type: "REX" }] }) }),
  unknownTokenCheck("axtid:GetLastCredential", { ...IDPOINT_TOKEN, expected: CONFIGURATION_NOT_FOUND }),
];

const schemaCheck: CheckDefinition = {
  id: "axtid.schema.responses",
  title: "IdPoint responses conform to the schema",
  service: SERVICE,
  rule: "Responses of the IdPoint read operations conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, types and enumerations respected.",
  specRefs: [ref("idpointinfo-data-structure"), ref("idpoint-data-structure"), ref("idpointconfiguration-data-structure"), op("GetIdPointInfoList"), op("GetIdPointConfigurationInfo")],
  quirk: "schema-invalid-response",
  transports: BOTH,
  run: async (ctx) => {
    const calls = (t: string): SchemaCall[] => [
      ["axtid:GetIdPointInfo", { Token: [t] }],
      ["axtid:GetIdPointInfoList", { Limit: 2 }],
      ["axtid:GetIdPoint", { Token: [t] }],
      ["axtid:GetIdPointList", { Limit: 2 }],
      ["axtid:GetIdPointCapabilities", { Token: t }],
      ["axtid:GetIdPointConfiguration", { Token: [t] }],
      ["axtid:GetIdPointConfigurationList", { Limit: 2 }],
      ["axtid:GetIdPointConfigurationInfo", { Token: t }],
      ["axtid:GetIdDataConfigurationList", { Limit: 2 }],
      ["axtid:GetFeedbackMessage", { Token: t }],
      ["axtid:GetLastCredential", { Token: t }],
      ["axtid:GetIdPointWhiteListList", { Limit: 2 }],
    ];
    requireOps(ctx, ...calls("").map(([o]) => o));
    const token = await createIdPoint(ctx, "sch", [...READER, setting("IdPoint.Tampering.Type", "ActiveLow")]);
    await expectSchemaConformance(ctx, calls(token));
  },
};

export function idpointSpecificChecks(): CheckDefinition[] {
  return [
    ...capabilityChecks,
    ...configurationChecks,
    ...cardFormatChecks,
    ...feedbackChecks,
    ...whitelistChecks,
    ...remoteActivityChecks,
    ...lastCredentialChecks,
    ...unknownTokenChecks,
    schemaCheck,
  ];
}
