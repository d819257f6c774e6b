/**
 * How the suite causes each documented event: API calls on items the run creates (doors,
 * IdPoints, schedules, an access-control site), back-door stimuli on those items (the reference
 * device's simulated world; skipped without a back door), or device time passing. A cause
 * prepares before the subscription exists (so a property's Initialized message covers our item)
 * and triggers after it. Every item and lasting stimulus is undone after the check.
 */
import type { CheckContext, Stimulus } from "../../harness/types.js";
import { itemsOf, tokenOf, type EntityDeclaration } from "../../harness/entity.js";
import { createOne, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { noPhysicalAccess } from "../../harness/physical.js";
import { errorMessage } from "../../harness/verdict.js";
import { accessPoint, accessProfile, area, credential } from "../access-control/entities.js";
import { buildSite, type Site, type SiteOptions } from "../access-decision/site.js";
import { closeAfterwards, createDoor, doorMode, requireCapabilities, type OwnDoorOptions } from "../door-control/support.js";
import { door } from "../door-control/entities.js";
import { AREA_KEY, FETCH_ALARMS, REMOVE_LOGGED_ALARM, areaFilter, removeOwnAlarmsAfter, setOwnFilter } from "../event-logger/support.js";
import { idPoint, idPointConfiguration } from "../idpoint/entities.js";
import { SET_DEVICE, claimRemoteDevice, deviceRequest, ownAddress, removeAfterwards } from "../peripherals/support.js";
import { vcalendar } from "../schedule/entities.js";
import type { Notification } from "./message.js";
import { itemValue } from "./message.js";

/** What the check needs to know to find and judge the event a cause makes. */
export interface CausePlan {
  /** A token our event names in some item (the event is about our item); undefined: any event of the topic counts. */
  readonly about?: string;
  /** Items our event must carry with exactly these values (documented name → our token). */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Further condition on the caused event (e.g. Data State=Open). */
  readonly match?: (n: Notification) => boolean;
  /** What `match` asks for, for messages: `Data ready=true`. */
  readonly matching?: string;
  /** What causes it, for messages: `UnlockDoor on door "pcx-…"`. */
  readonly stimulus: string;
  /** Causes the event; runs after the subscription exists. */
  trigger(): Promise<void>;
}

export interface Cause {
  /**
   * "api": only API calls (and device time); "physical": a stimulus the back door or an operator
   * (--interactive) can apply; "backdoor": a simulated condition only the reference device's back
   * door can make (a radio disturbance, a whitelist lock's report).
   */
  readonly via: "api" | "physical" | "backdoor";
  /** One line for the check's notes. */
  readonly how: string;
  /**
   * The topic is a property whose state never changes while the device runs: the only message a
   * check can see is the Initialized one a new subscription gets, so that is the caused event
   * (judged with `match`) and the plan's trigger does nothing.
   */
  readonly initializedOnly?: boolean;
  prepare(ctx: CheckContext): Promise<CausePlan>;
}

// ---- helpers

/** Skips unless the device has a back door (stimuli on items this run created cannot be done by an operator). */
export function requireBackdoor(ctx: CheckContext, what: string): void {
  if (ctx.physical.via !== "backdoor") {
    ctx.skip(`needs a simulated condition (${what}) that only the reference device's back door can make (pacs-conformance device --backdoor); no operator can produce it on demand`);
  }
}

/** Applies a stimulus through the back door; skips when the device's world does not know it. */
export async function stimulate(ctx: CheckContext, s: Stimulus): Promise<Record<string, unknown>> {
  if (ctx.physical.via === "none") ctx.skip(noPhysicalAccess(s.Stimulus));
  try {
    return await ctx.physical.stimulate(s);
  } catch (err) {
    if (/unknown stimulus/.test(errorMessage(err))) ctx.skip(`the device's back door has no ${s.Stimulus} stimulus: ${errorMessage(err)}`);
    throw err;
  }
}

/** A stimulus with an Active flag, set to `active` (default true) and back after the check. */
export async function activate(ctx: CheckContext, s: Stimulus, active = true): Promise<void> {
  ctx.onCleanup(`end ${s.Stimulus}`, async () => {
    await ctx.physical.stimulate({ ...s, Active: !active }).catch(() => undefined);
  });
  await stimulate(ctx, { ...s, Active: active });
}

const describe = (s: Stimulus): string => {
  const { Stimulus: name, ...args } = s;
  return `back-door stimulus ${name} ${JSON.stringify(args)}`;
};

/** A door of the run's own with the capabilities named. */
async function ownDoor(ctx: CheckContext, caps: readonly string[], options: OwnDoorOptions = {}): Promise<string> {
  requireOps(ctx, "axtdc:SetDoor", "tdc:GetDoorState");
  const token = await createDoor(ctx, "ev", options);
  await requireCapabilities(ctx, token, ...caps);
  return token;
}

const api = (how: string, prepare: Cause["prepare"]): Cause => ({ via: "api", how, prepare });
const physical = (how: string, prepare: Cause["prepare"]): Cause => ({
  via: "physical",
  how,
  prepare: (ctx) => {
    ctx.requirePhysical(how);
    return prepare(ctx);
  },
});
const backdoor = (how: string, prepare: Cause["prepare"]): Cause => ({
  via: "backdoor",
  how,
  prepare: (ctx) => {
    requireBackdoor(ctx, how);
    return prepare(ctx);
  },
});

// ---- doors

/** DoorMode: LockDoor/UnlockDoor on our door, whichever changes its mode. */
export const doorModeChange = api("UnlockDoor (or LockDoor) on a door of the run", async (ctx) => {
  const d = await ownDoor(ctx, ["Lock", "Unlock"]);
  const op = (await doorMode(ctx, d)) === "Unlocked" ? "tdc:LockDoor" : "tdc:UnlockDoor";
  return { about: d, tokens: { DoorToken: d }, stimulus: `${op.slice(4)} on door "${d}"`, trigger: async () => void (await ctx.call(op, { Token: d })) };
});

/** LockPhysicalState: a locked door of ours unlocked through the API (its lock monitor follows). */
export const lockChange = api("LockDoor, then UnlockDoor on a door of the run with a lock monitor", async (ctx) => {
  const d = await ownDoor(ctx, ["Lock", "Unlock", "LockMonitor"]);
  await ctx.call("tdc:LockDoor", { Token: d });
  return { about: d, tokens: { DoorToken: d }, stimulus: `UnlockDoor on the locked door "${d}"`, trigger: async () => void (await ctx.call("tdc:UnlockDoor", { Token: d })) };
});

/** DoubleLockPhysicalState: DoubleLockDoor on our door with a secondary lock and its monitor. */
export const doubleLockChange = api("DoubleLockDoor on a door of the run with a secondary lock", async (ctx) => {
  const d = await ownDoor(ctx, ["DoubleLock", "DoubleLockMonitor"], { doubleLock: true });
  await ctx.call("tdc:LockDoor", { Token: d });
  return { about: d, tokens: { DoorToken: d }, stimulus: `DoubleLockDoor on door "${d}"`, trigger: async () => void (await ctx.call("tdc:DoubleLockDoor", { Token: d })) };
});

/** A one-shot door stimulus (OpenDoor, ForceDoor) on our locked door, closed again afterwards. */
function doorStimulus(name: "OpenDoor" | "ForceDoor", caps: readonly string[]): Cause {
  return physical(`${name} on a locked door of the run`, async (ctx) => {
    const d = await ownDoor(ctx, ["Lock", ...caps]);
    await ctx.call("tdc:LockDoor", { Token: d });
    const s: Stimulus = { Stimulus: name, Door: d };
    return {
      about: d,
      tokens: { DoorToken: d },
      stimulus: describe(s),
      trigger: async () => {
        closeAfterwards(ctx, d);
        await stimulate(ctx, s);
      },
    };
  });
}

export const doorOpened = doorStimulus("OpenDoor", ["DoorMonitor"]);
export const doorForced = doorStimulus("ForceDoor", ["DoorMonitor", "Alarm"]);

/** A lasting door condition (TamperDoor, FaultDoor, DoorDeviceStatus), ended after the check. */
function doorCondition(name: string, caps: readonly string[], extra: Readonly<Record<string, string>> = {}): Cause {
  // Tampering and faults are things a person can do to a door; a wireless lock's reports are simulated.
  const via = name === "DoorDeviceStatus" ? backdoor : physical;
  return via(`${name}${Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : ""} on a door of the run`, async (ctx) => {
    const d = await ownDoor(ctx, caps);
    const s: Stimulus = { Stimulus: name, Door: d, ...extra };
    return { about: d, tokens: { DoorToken: d }, stimulus: describe(s), trigger: () => activate(ctx, s) };
  });
}

export const doorTampered = doorCondition("TamperDoor", ["Tamper"]);
export const doorFaulted = doorCondition("FaultDoor", ["Fault"]);
export const doorStatus = (status: "BatteryAlarm" | "LockJammed" | "RadioDisturbance"): Cause => doorCondition("DoorDeviceStatus", [], { Status: status });

/** DoorWarning: an accessed door of ours held open until PreAlarmTime before OpenTooLongTime. */
export const doorWarning = physical("AccessDoor and OpenDoor on a door of the run, then device time past OpenTooLongTime − PreAlarmTime", async (ctx) => {
  const d = await ownDoor(ctx, ["Access", "DoorMonitor"], { times: { AccessTime: "PT30S", OpenTooLongTime: "PT6S", PreAlarmTime: "PT2S" } });
  return {
    about: d,
    tokens: { DoorToken: d },
    stimulus: `AccessDoor and OpenDoor on door "${d}" (OpenTooLongTime 6 s, PreAlarmTime 2 s), then 4.5 s of device time`,
    trigger: async () => {
      await ctx.call("tdc:AccessDoor", { Token: d });
      closeAfterwards(ctx, d);
      await stimulate(ctx, { Stimulus: "OpenDoor", Door: d });
      await ctx.physical.elapse(4500);
    },
  };
});

/** Configuration/Door/Changed: SetDoor replacing our door. */
export const doorChanged = api("SetDoor replacing a door of the run", async (ctx) => {
  const d = await ownDoor(ctx, []);
  const item = itemsOf(await ctx.call("axtdc:GetDoor", { Token: [d] }), "Door").find((i) => tokenOf(door, i) === d);
  return {
    about: d,
    tokens: { DoorToken: d },
    stimulus: `SetDoor replacing door "${d}"`,
    trigger: async () => void (await setItems(ctx, door, [{ ...(item ?? sampleFor(ctx, door, d, 51)), Description: `${ctx.tokenPrefix} changed` }])),
  };
});

/** Configuration/Door/Removed: RemoveDoor on our door. */
export const doorRemoved = api("RemoveDoor on a door of the run", async (ctx) => {
  const d = await ownDoor(ctx, []);
  return { about: d, tokens: { DoorToken: d }, stimulus: `RemoveDoor "${d}"`, trigger: async () => void (await ctx.call("axtdc:RemoveDoor", { Token: [d] })) };
});

// ---- IdPoints

type Setting = { Name: string; Value: string };
const READER: readonly Setting[] = [
  { Name: "IdPoint.Reader.Type", Value: "Wiegand" },
  { Name: "IdPoint.REX.Type", Value: "ActiveLow" },
];

/** An IdPoint of the run (reader and REX input) with its configuration under the same token. */
async function ownIdPoint(ctx: CheckContext, settings: readonly Setting[] = READER): Promise<string> {
  requireOps(ctx, idPoint.set, idPointConfiguration.set);
  const token = await createOne(ctx, idPoint, sampleFor(ctx, idPoint, ctx.newToken("evidp"), 90));
  await setItems(ctx, idPointConfiguration, [{ token, DeviceUUID: "", IdDataConfiguration: [], Configuration: settings.map((s) => ({ ...s })) }]);
  return token;
}

/** An IndicateRemoteActivities activity at our IdPoint. */
function remoteActivity(activity: Record<string, unknown>, what: string, match?: (n: Notification) => boolean): Cause {
  return api(`IndicateRemoteActivities (${what}) at an IdPoint of the run`, async (ctx) => {
    requireOps(ctx, "axtid:IndicateRemoteActivities");
    const t = await ownIdPoint(ctx);
    return {
      about: t,
      ...(match !== undefined ? { match } : {}),
      stimulus: `IndicateRemoteActivities ${JSON.stringify(activity)} at IdPoint "${t}"`,
      trigger: async () => void (await ctx.call("axtid:IndicateRemoteActivities", { Token: t, Activities: [activity] })),
    };
  });
}

export const idPointRex = remoteActivity({ Type: "REX" }, "REX");
export const idPointPin = remoteActivity({ Type: "PIN", Params: [{ Name: "PIN", Value: "4711" }] }, "PIN 4711", (n) => itemValue(n.message, "PIN") === "4711");

/** Request/IdData: a card at our IdPoint's reader (the reader path carries Card and BitCount). */
export const idPointCard = physical("PresentCard at an IdPoint of the run", async (ctx) => {
  const t = await ownIdPoint(ctx);
  const s: Stimulus = { Stimulus: "PresentCard", IdPoint: t, Card: "02004fcb" };
  return { about: t, stimulus: describe(s), trigger: async () => void (await stimulate(ctx, s)) };
});

/** Timeout: a card at our IdPoint and nothing after it for the IdPoint's Timeout (PT10S). */
export const idPointTimeout = api("IndicateRemoteActivities (Card) at an IdPoint of the run, then 11 s of device time (its Timeout is PT10S)", async (ctx) => {
  requireOps(ctx, "axtid:IndicateRemoteActivities");
  const t = await ownIdPoint(ctx);
  return {
    about: t,
    stimulus: `a card at IdPoint "${t}" (IndicateRemoteActivities) and 11 s of device time without a PIN`,
    trigger: async () => {
      await ctx.call("axtid:IndicateRemoteActivities", { Token: t, Activities: [{ Type: "Card", Params: [{ Name: "Card", Value: "02004fcb" }] }] });
      await ctx.physical.elapse(11_000);
    },
  };
});

/** Tampering: a reader of ours with tamper detection is tampered with. */
export const idPointTampered = physical("TamperIdPoint on an IdPoint of the run with tamper detection", async (ctx) => {
  const t = await ownIdPoint(ctx, [...READER, { Name: "IdPoint.Tampering.Type", Value: "ActiveLow" }]);
  const s: Stimulus = { Stimulus: "TamperIdPoint", IdPoint: t };
  return { about: t, stimulus: describe(s), trigger: () => activate(ctx, s) };
});

/** A reader status of our IdPoint changes: an Aperio alarm or an OSDP secure channel comes, or an OSDP reader (answering at first) stops answering. */
export const idPointStatus = (status: "BatteryAlarm" | "RadioDisturbance" | "SecureChannel" | "Device"): Cause => {
  const active = status !== "Device";
  return backdoor(`IdPointDeviceStatus {"Status":"${status}","Active":${active}} on an IdPoint of the run`, async (ctx) => {
    const t = await ownIdPoint(ctx);
    const s: Stimulus = { Stimulus: "IdPointDeviceStatus", IdPoint: t, Status: status };
    return { about: t, stimulus: describe({ ...s, Active: active }), trigger: () => activate(ctx, s, active) };
  });
};

/** A Smart Intego lock keeps a whitelist (idpoint-service.md "IdPoint.TCPIP.Protocol"; peripherals.md "SmartIntego doors"). */
const SMART_INTEGO: readonly Setting[] = [
  { Name: "IdPoint.Reader.Type", Value: "TCPIP" },
  { Name: "IdPoint.TCPIP.Protocol", Value: "SmartIntego" },
];

const WHITELIST_CARD = "02004fcb";
const whitelistAttribute = { type: "", Name: "AxisWhitelist", Value: "Card" };

/** Device time for our one whitelist entry to reach the lock (or leave it), with room to spare. */
const WHITELIST_UPLOAD_MS = 3000;

/**
 * A Smart Intego IdPoint of the run that keeps a whitelist (peripherals.md "Enable whitelist
 * doors"): an access point using it and an access profile with the AxisWhitelist attribute and a
 * policy for that access point. Returns the IdPoint and the access profile.
 */
async function whitelistingIdPoint(ctx: CheckContext): Promise<{ idPoint: string; profile: string }> {
  requireOps(ctx, accessPoint.set, accessProfile.set, credential.set);
  const t = await ownIdPoint(ctx, SMART_INTEGO);
  const d = await ownDoor(ctx, []);
  const ap = await createOne(ctx, accessPoint, { ...sampleFor(ctx, accessPoint, ctx.newToken("evwap"), 96, { entity: d }), IdPointDevice: [{ IdPoint: t, DeviceUUID: "" }] });
  const profile = await createOne(ctx, accessProfile, { ...sampleFor(ctx, accessProfile, ctx.newToken("evwpr"), 97, { "access-point": ap }), Attribute: [whitelistAttribute] });
  return { idPoint: t, profile };
}

/** A credential of the run with our card and the whitelisting access profile: the card goes onto the lock's whitelist. */
async function whitelistCredential(ctx: CheckContext, profile: string): Promise<string> {
  return createOne(ctx, credential, {
    ...sampleFor(ctx, credential, ctx.newToken("evwcr"), 98, { "access-profile": profile }),
    IdData: [{ Name: "Card", Value: WHITELIST_CARD }],
    Attribute: [whitelistAttribute],
  });
}

/** A whitelisting IdPoint of the run whose whitelist holds our card: the credential, then device time for the upload to the lock. */
async function whitelistedIdPoint(ctx: CheckContext): Promise<string> {
  const { idPoint: t, profile } = await whitelistingIdPoint(ctx);
  await whitelistCredential(ctx, profile);
  await ctx.physical.elapse(WHITELIST_UPLOAD_MS);
  return t;
}

/** WhitelistAccess: our whitelisted card at our Smart Intego lock (the lock grants by itself and tells the controller). */
export const whitelistAccess = backdoor("WhitelistAccess with a whitelisted card at a Smart Intego IdPoint of the run", async (ctx) => {
  const t = await whitelistedIdPoint(ctx);
  const s: Stimulus = { Stimulus: "WhitelistAccess", IdPoint: t, Card: WHITELIST_CARD };
  return {
    about: t,
    stimulus: describe(s),
    trigger: async () => {
      const r = await stimulate(ctx, s);
      if (r["Granted"] === false) ctx.fail(`set-up: the lock did not hold the card on its whitelist: ${String(r["Reason"] ?? "")}`);
    },
  };
});

/** WhitelistSyncError: updating our Smart Intego lock's whitelist failed. */
export const whitelistSyncError = backdoor("WhitelistSyncError at a Smart Intego IdPoint of the run", async (ctx) => {
  const t = await ownIdPoint(ctx, SMART_INTEGO);
  const s: Stimulus = { Stimulus: "WhitelistSyncError", IdPoint: t, Card: WHITELIST_CARD };
  return { about: t, stimulus: describe(s), trigger: async () => void (await stimulate(ctx, s)) };
});

/**
 * WhitelistSync/Ongoing: a credential for our whitelisting Smart Intego lock is created (the
 * whitelist now has an entry to upload), the whitelist read, and device time passes for the upload.
 */
export const whitelistSyncOngoing = api(`a whitelisted credential created for a Smart Intego IdPoint of the run, GetIdPointWhiteList on it, then ${WHITELIST_UPLOAD_MS / 1000} s of device time`, async (ctx) => {
  requireOps(ctx, "axtid:GetIdPointWhiteList");
  const { idPoint: t, profile } = await whitelistingIdPoint(ctx);
  return {
    about: t,
    stimulus: `creating a credential with card ${WHITELIST_CARD} and the whitelisting access profile "${profile}" of IdPoint "${t}", GetIdPointWhiteList "${t}" and ${WHITELIST_UPLOAD_MS} ms of device time`,
    trigger: async () => {
      await whitelistCredential(ctx, profile);
      await ctx.call("axtid:GetIdPointWhiteList", { Token: [t] });
      await ctx.physical.elapse(WHITELIST_UPLOAD_MS);
    },
  };
});

export const idPointChanged = api("SetIdPoint replacing an IdPoint of the run", async (ctx) => {
  const t = await ownIdPoint(ctx);
  return {
    about: t,
    stimulus: `SetIdPoint replacing IdPoint "${t}"`,
    trigger: async () => void (await setItems(ctx, idPoint, [{ ...sampleFor(ctx, idPoint, t, 90), Description: `${ctx.tokenPrefix} changed` }])),
  };
});

export const idPointRemoved = api("RemoveIdPoint on an IdPoint of the run", async (ctx) => {
  const t = await ownIdPoint(ctx);
  return { about: t, stimulus: `RemoveIdPoint "${t}"`, trigger: async () => void (await ctx.call("axtid:RemoveIdPoint", { Token: [t] })) };
});

// ---- access control (a site of the run: access-decision/site.ts)

type IdData = { Name: string; Value: string }[];

async function requestAccess(ctx: CheckContext, site: Site, idData: IdData): Promise<void> {
  await ctx.call("pacsaxis:RequestAccess", { Token: site.controller, IdData: idData, SourceToken: site.idPoint, TargetToken: site.door, Action: "Access" });
}

const card = (site: Site): IdData => [{ Name: "Card", Value: site.card }];
const REX: IdData = [{ Name: "REX", Value: "Active" }];

interface Decision {
  readonly site?: SiteOptions;
  /** Changes made before subscribing (e.g. the credential disabled). */
  readonly before?: (ctx: CheckContext, site: Site) => Promise<void>;
  readonly idData: (site: Site) => IdData;
  readonly what: string;
  /** Whether the event names the credential (Data CredentialToken). */
  readonly credential: boolean;
  /** After the decision: what makes the access taken or not taken. */
  readonly after?: "open" | "wait";
}

/** An access decision through RequestAccess at a site of the run (and what follows it). */
export function decision(d: Decision): Cause {
  const how = `RequestAccess with ${d.what} at an access point of the run${d.after === "open" ? ", then OpenDoor on its door" : d.after === "wait" ? ", then its AccessTime of device time" : ""}`;
  const prepare = async (ctx: CheckContext): Promise<CausePlan> => {
    const site = await buildSite(ctx, d.site);
    await d.before?.(ctx, site);
    return {
      about: site.accessPoint,
      tokens: { AccessPointToken: site.accessPoint, ...(d.credential ? { CredentialToken: site.credential } : {}) },
      stimulus: `RequestAccess with ${d.what} at access point "${site.accessPoint}"${d.after === "open" ? ` and the door "${site.door}" opened` : d.after === "wait" ? ` and ${site.accessTimeMs + 500} ms of device time without opening the door` : ""}`,
      trigger: async () => {
        await requestAccess(ctx, site, d.idData(site));
        if (d.after === "open") {
          closeAfterwards(ctx, site.door);
          await stimulate(ctx, { Stimulus: "OpenDoor", Door: site.door });
        } else if (d.after === "wait") await ctx.physical.elapse(site.accessTimeMs + 500);
      },
    };
  };
  return d.after === "open" ? physical(how, prepare) : api(how, prepare);
}

export const REX_SITE: SiteOptions = { authentication: ["CardOnly", "REXOnly"] };

export const grantedCredential = decision({ idData: card, what: "the site's card", credential: true });
export const grantedAnonymous = decision({ site: REX_SITE, idData: () => REX, what: "REX", credential: false });
export const takenCredential = decision({ idData: card, what: "the site's card", credential: true, after: "open" });
export const takenAnonymous = decision({ site: REX_SITE, idData: () => REX, what: "REX", credential: false, after: "open" });
export const notTakenCredential = decision({ idData: card, what: "the site's card", credential: true, after: "wait" });
export const notTakenAnonymous = decision({ site: REX_SITE, idData: () => REX, what: "REX", credential: false, after: "wait" });
export const deniedAnonymous = decision({ idData: () => REX, what: "REX where only cards are accepted (no REXOnly profile)", credential: false });
export const deniedCredential = decision({
  before: async (ctx, site) => void (await ctx.call("pacsaxis:DisableCredential", { Token: site.credential, Status: "Disabled" })),
  idData: card,
  what: "the card of a disabled credential",
  credential: true,
});
export const deniedCardNotFound = decision({ idData: () => [{ Name: "Card", Value: "0badcafe" }], what: "a card no credential holds", credential: false });
/** Longer than the site's and the guide's four-digit PINs: no credential of ours (or a sample one) holds it. */
const UNKNOWN_PIN = "86420975";
export const deniedPinNotFound = decision({
  site: { authentication: ["PINOnly"] },
  idData: () => [{ Name: "PIN", Value: UNKNOWN_PIN }],
  what: `PIN ${UNKNOWN_PIN}, which no credential holds, where a PIN alone identifies (PINOnly)`,
  credential: false,
});
export const deniedInvalidPin = decision({
  site: { authentication: ["CardPlusPin"] },
  idData: (site) => [...card(site), { Name: "PIN", Value: site.wrongPin }],
  what: "the site's card and a wrong PIN",
  credential: true,
});
export const duress = decision({
  site: { authentication: ["CardPlusPin", "CardPlusDuressPIN"], duress: true },
  idData: (site) => [...card(site), { Name: "PIN", Value: site.duressPin }],
  what: "the site's card and its duress PIN",
  credential: true,
});

/** Credential/State/ApbViolation: the credential already inside the area, asking to enter again. */
export const apbViolation = api("RequestAccess by a credential already in the access point's AreaTo (hard logical anti-passback)", async (ctx) => {
  const site = await buildSite(ctx, { antipassback: true });
  await ctx.call("pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: site.credential, PassOkThreshold: 0, CurrentArea: site.areaTo, ByTime: false, Violation: "" }] });
  return {
    about: site.credential,
    tokens: { CredentialToken: site.credential },
    stimulus: `RequestAccess with the card of credential "${site.credential}", already in area "${site.areaTo ?? ""}", at access point "${site.accessPoint}" into it`,
    trigger: () => requestAccess(ctx, site, card(site)),
  };
});

/** AccessPoint/State/Enabled: DisableAccessPoint on the site's access point. */
export const accessPointDisabled = api("DisableAccessPoint on an access point of the run", async (ctx) => {
  const site = await buildSite(ctx);
  return {
    about: site.accessPoint,
    tokens: { AccessPointToken: site.accessPoint },
    stimulus: `DisableAccessPoint "${site.accessPoint}"`,
    trigger: async () => void (await ctx.call("tac:DisableAccessPoint", { Token: site.accessPoint })),
  };
});

/** An access point of the run on its own (no controller or profile refers to it). */
async function ownAccessPoint(ctx: CheckContext): Promise<string> {
  requireOps(ctx, accessPoint.set, accessPoint.remove);
  const d = await ownDoor(ctx, []);
  return createOne(ctx, accessPoint, sampleFor(ctx, accessPoint, ctx.newToken("evap"), 91, { entity: d }));
}

export const accessPointChanged = api("SetAccessPoint replacing an access point of the run", async (ctx) => {
  const ap = await ownAccessPoint(ctx);
  const d = itemsOf(await ctx.call("pacsaxis:GetAccessPoint", { Token: [ap] }), "AccessPoint").find((i) => tokenOf(accessPoint, i) === ap);
  return {
    about: ap,
    tokens: { AccessPointToken: ap },
    stimulus: `SetAccessPoint replacing access point "${ap}"`,
    trigger: async () => void (await setItems(ctx, accessPoint, [{ ...(d ?? {}), token: ap, Description: `${ctx.tokenPrefix} changed` }])),
  };
});

export const accessPointRemoved = api("RemoveAccessPoint on an access point of the run", async (ctx) => {
  const ap = await ownAccessPoint(ctx);
  return { about: ap, tokens: { AccessPointToken: ap }, stimulus: `RemoveAccessPoint "${ap}"`, trigger: async () => void (await ctx.call("pacsaxis:RemoveAccessPoint", { Token: [ap] })) };
});

/** Changed/Removed of a standalone item of ours (Area, Credential). */
function configuration(kind: "Changed" | "Removed", entity: EntityDeclaration, tokenItem: string, n: number): Cause {
  const name = entity.typeName;
  return api(kind === "Changed" ? `Set${name} replacing a ${name} of the run` : `Remove${name} on a ${name} of the run`, async (ctx) => {
    requireOps(ctx, entity.set, entity.remove);
    const token = ctx.newToken(`ev${entity.key.slice(0, 4)}`);
    const item = sampleFor(ctx, entity, token, n);
    await createOne(ctx, entity, item);
    return {
      about: token,
      tokens: { [tokenItem]: token },
      stimulus: kind === "Changed" ? `Set${name} replacing ${name} "${token}"` : `Remove${name} "${token}"`,
      trigger: async () => {
        if (kind === "Changed") await setItems(ctx, entity, [entity.modify(item, `${ctx.tokenPrefix}changed`)]);
        else await ctx.call(entity.remove!, { Token: [token] });
      },
    };
  });
}

export const areaChanged = configuration("Changed", area, "AreaToken", 92);
export const areaRemoved = configuration("Removed", area, "AreaToken", 93);
export const credentialChanged = configuration("Changed", credential, "CredentialToken", 94);
export const credentialRemoved = configuration("Removed", credential, "CredentialToken", 95);

// ---- schedules

const ALWAYS = ["DTSTART:20000101T000000", "DTEND:20000102T000000", "RRULE:FREQ=DAILY"];
const NEVER = ["DTSTART:20000101T000000", "DTEND:20000101T010000"];

async function ownSchedule(ctx: CheckContext, definition: readonly string[]): Promise<string> {
  requireOps(ctx, "axsch:SetSchedule", "axsch:RemoveSchedule");
  const token = ctx.newToken("evsch");
  ctx.onCleanup(`remove Schedule ${token}`, async (call) => {
    await call("axsch:RemoveSchedule", { Token: [token] }).catch(() => undefined);
  });
  await ctx.call("axsch:SetSchedule", { Schedule: [{ token, Name: token.slice(-64), Description: `${ctx.tokenPrefix} events`, ScheduleDefinition: vcalendar(`${ctx.tokenPrefix}${token}`, definition) }] });
  return token;
}

/** Interval: an always-active schedule of ours redefined to one that is never active. */
export const intervalChanged = api("SetSchedule turning an always-active schedule of the run into a never-active one", async (ctx) => {
  const s = await ownSchedule(ctx, ALWAYS);
  return {
    about: s,
    tokens: { ScheduleToken: s },
    stimulus: `SetSchedule redefining the always-active schedule "${s}" as a one-hour interval in 2000`,
    trigger: async () =>
      void (await ctx.call("axsch:SetSchedule", { Schedule: [{ token: s, Name: s.slice(-64), Description: `${ctx.tokenPrefix} events`, ScheduleDefinition: vcalendar(`${ctx.tokenPrefix}${s}`, NEVER) }] })),
  };
});

/** Pulse: a pulse schedule of ours (no DTEND) every minute, and a minute of device time. */
export const pulse = api("a pulse schedule of the run (every minute), then 61 s of device time (virtual clock only)", async (ctx) => {
  if (ctx.physical.clock !== "virtual") ctx.skip("needs a minute of device time to pass; only a virtual device clock (the reference device's back door) can be advanced that far within a check");
  const s = await ownSchedule(ctx, ["DTSTART:20000101T000000", "RRULE:FREQ=MINUTELY"]);
  return { about: s, tokens: { ScheduleToken: s }, stimulus: `61 s of device time with the every-minute pulse schedule "${s}"`, trigger: () => ctx.physical.elapse(61_000) };
});

// ---- the device itself

/** A device-wide condition (OpenCasing, LoseNetwork), ended after the check. */
export const deviceCondition = (name: string): Cause =>
  // An operator can open the casing; losing the network would cut the suite off too.
  (name === "OpenCasing" ? physical : backdoor)(`${name} on the (reference) device`, async (ctx) => {
    const s: Stimulus = { Stimulus: name };
    return { stimulus: describe(s), trigger: () => activate(ctx, s) };
  });

/**
 * An input of the device changes (SetInputPort on an I/O the run may use, SetVirtualInput,
 * SetManualTrigger) and is restored.
 */
export const port = (name: "SetInputPort" | "SetVirtualInput" | "SetManualTrigger", value: string): Cause =>
  (name === "SetInputPort" ? physical : backdoor)(`${name} {"Port":"${value}"} on the (reference) device`, async (ctx) => {
    if (name === "SetInputPort" && !ctx.ios.allows(value)) ctx.skip(`a signal on input ${value} reaches whatever is wired to it; add --io ${value} to let the suite use it`);
    const s: Stimulus = { Stimulus: name, Port: value };
    return { stimulus: describe(s), trigger: () => activate(ctx, s) };
  });

/** Systemready: the device is ready while it answers, so its state is only seen as the Initialized message of a new subscription. */
export const systemReady: Cause = {
  ...api("none needed: the device is ready while it answers, so its state (ready true) never changes and only the Initialized message a new subscription gets can be seen", async () => ({
    match: (n) => itemValue(n.message, "ready") === "true",
    matching: "Data ready=true",
    stimulus: "nothing but subscribing",
    trigger: async () => undefined,
  })),
  initializedOnly: true,
};

// ---- the event logger

/**
 * EventLogger/Alarm: an alarm filter of the run on the AreaToken of an Area the run then creates
 * (event-logger-service.md "Alarm filter"). Cleanups run last registered first: the Area goes
 * (its Removed event, still matching the filter, is an alarm too), then the filter, then every
 * alarm that carries the Area's token.
 */
export const alarmRaised = api("SetArea creating an Area of the run whose AreaToken an alarm filter of the run (SetAlarmFilter) matches", async (ctx) => {
  requireOps(ctx, area.set, area.remove, FETCH_ALARMS, REMOVE_LOGGED_ALARM);
  const token = ctx.newToken("evalarm");
  removeOwnAlarmsAfter(ctx, token);
  const filter = await setOwnFilter(ctx, "alarm", areaFilter(token), token);
  return {
    about: filter,
    stimulus: `SetArea creating Area "${token}", which alarm filter "${filter}" (${AREA_KEY}=${token}) elevates to an alarm`,
    trigger: async () => void (await createOne(ctx, area, sampleFor(ctx, area, token, 99))),
  };
});

/** The event logger drops events (EventLoggerOverload). */
export const loggerOverload = backdoor("EventLoggerOverload on the (reference) device", async (ctx) => {
  const s: Stimulus = { Stimulus: "EventLoggerOverload", Events: 3, Alarms: 2 };
  return { stimulus: describe(s), trigger: async () => void (await stimulate(ctx, s)) };
});

// ---- remote I/O

/**
 * RemoteDevice/Connection/Status: SetDevice adding a remote I/O device of the run (a token of the
 * run), which the door controller then connects to. Only on a device the run owns, whose back door
 * removes the device again: axrio documents no remove operation (peripherals/support.ts).
 */
export const remoteDeviceAdded: Cause = {
  via: "backdoor",
  how: "SetDevice adding a remote I/O device of the run, on a device the run owns (the back door's RemoveRemoteDevice takes it away again: axrio has no remove operation)",
  prepare: async (ctx) => {
    // Skips, saying why, unless the run owns the device and has its back door.
    claimRemoteDevice(ctx);
    const address = await ownAddress(ctx);
    const token = ctx.newToken("ev-rio");
    removeAfterwards(ctx, () => token);
    return { about: token, stimulus: `SetDevice adding remote device "${token}" at ${address.ip}`, trigger: async () => void (await ctx.call(SET_DEVICE, deviceRequest(token, address, token))) };
  },
};
