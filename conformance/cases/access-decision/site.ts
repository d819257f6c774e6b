/**
 * A small access-control site of the run's own, built the way the guides build one
 * (access-control-service.md "Set up the initial system", system-integration-examples.md "Access
 * to a door using reader, card, and PIN code"): schedules, a door, an IdPoint with a reader and a
 * REX input, an access point tying them together, an access controller listing it, an access
 * profile with a policy for it, and a credential. Everything carries the run's tokens and is
 * removed after the check (the credential first, which also drops its anti-passback data).
 */
import type { CheckContext } from "../../harness/types.js";
import { itemsOf } from "../../harness/entity.js";
import { faultOf } from "../../harness/faults.js";
import { createOne, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { errorCode, errorMessage } from "../../harness/verdict.js";
import { accessController, accessControllerConfiguration, accessPoint, accessProfile, area, authenticationProfile, credential } from "../access-control/entities.js";
import { createDoor, doorMode } from "../door-control/support.js";
import { idPoint, idPointConfiguration } from "../idpoint/entities.js";
import { vcalendar } from "../schedule/entities.js";

/** How a person authenticates at the access point (the guide's default authentication profiles, plus the duress one). */
export type Authentication = "CardOnly" | "PINOnly" | "CardPlusPin" | "REXOnly" | "CardPlusDuressPIN";

type Factor = readonly [IdDataName: string, IdMatchOperatorName: string, OperatorValue: string];

/** The documented factors (guide "Retrieve default configuration", "Enable duress access"). */
const FACTORS: Readonly<Record<Authentication, readonly Factor[]>> = {
  CardOnly: [["Card", "IdDataEqual", ""]],
  PINOnly: [["PIN", "IdDataEqual", ""]],
  CardPlusPin: [
    ["Card", "IdDataEqual", ""],
    ["PIN", "IdDataEqual", ""],
  ],
  REXOnly: [["REX", "OperatorValueEqual", "Active"]],
  CardPlusDuressPIN: [
    ["Card", "IdDataEqual", ""],
    ["PIN", "IdDataEqualToField", "DuressPIN"],
  ],
};

export interface SiteOptions {
  /** The access point's authentication profiles (default CardOnly). */
  readonly authentication?: readonly Authentication[];
  /** Authentication profiles on the credential itself (the highest-precedence override). */
  readonly credentialAuthentication?: readonly Authentication[];
  /** Duress allowed at the access point and through a second, duress-enabled access profile; the credential gets a DuressPIN. */
  readonly duress?: boolean;
  /** Hard, logical anti-passback into an area of our own. */
  readonly antipassback?: boolean;
  /** A schedule that is never active, for the schedule scenarios (needs the Schedule service). */
  readonly inactiveSchedule?: boolean;
  /** A holiday schedule: no regular definition, an exception that holds all day every day. */
  readonly holidaySchedule?: boolean;
}

export interface Site {
  readonly controller: string;
  readonly accessPoint: string;
  readonly door: string;
  readonly idPoint: string;
  readonly credential: string;
  /** Card data as the reader reports it (lower-case hex) and the credential's PINs. */
  readonly card: string;
  readonly pin: string;
  readonly wrongPin: string;
  readonly duressPin: string;
  readonly schedules: Schedules;
  /** The area the access point leads into (anti-passback sites). */
  readonly areaTo?: string;
  readonly accessTimeMs: number;
  /** The door's mode once built, which it returns to after an access. */
  readonly restingMode: string;
  /** The items as set, for scenarios that change one. */
  readonly items: { readonly accessProfile: Record<string, unknown>; readonly credential: Record<string, unknown>; readonly accessPoint: Record<string, unknown> };
}

const ACCESS_TIME_MS = 3000;

/** The device does not serve the operation at all (another service's, e.g. Schedule): an unknown or unsupported action. */
function unserved(err: unknown): boolean {
  const f = faultOf(err);
  if (f !== undefined) return f.subcodes.some((s) => /UnknownAction|ActionNotSupported|NotSupported/.test(s));
  return errorCode(err) === "HTTP_STATUS" && (err as { status?: number }).status === 404;
}

/** Runs part of the set-up; a device that does not serve it makes the check skip, naming what it needs. */
export async function served<T>(ctx: CheckContext, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (unserved(err)) ctx.skip(`needs ${what}, which the device does not serve: ${errorMessage(err)}`);
    throw err;
  }
}

interface Schedules {
  readonly active: string;
  readonly inactive?: string;
  readonly holiday?: string;
}

/**
 * The schedules: a whole day every day (active at any instant, in any time zone) and, when asked
 * for, a one-hour interval on 1 January 2000 (never active again) and a holiday schedule (only an
 * exception, all day every day). Without a Schedule service the documented default
 * standard_always stands in for the active one.
 */
async function schedules(ctx: CheckContext, options: SiteOptions): Promise<Schedules> {
  // Its own cleanup rather than createOne's: a device without the Schedule service may answer
  // RemoveSchedule with a bare HTTP 404, which must not turn into a cleanup warning.
  const make = async (label: string, definition: string, exception = ""): Promise<string> => {
    const token = ctx.newToken(label);
    ctx.onCleanup(`remove Schedule ${token}`, async (call) => {
      await call("axsch:RemoveSchedule", { Token: [token] }).catch(() => undefined);
    });
    await ctx.call("axsch:SetSchedule", {
      Schedule: [{ token, Name: token.slice(-64), Description: `${ctx.tokenPrefix} access decision`, ScheduleDefinition: definition, ...(exception !== "" ? { ExceptionScheduleDefinition: exception } : {}) }],
    });
    return token;
  };
  const everyDay = (label: string): string => vcalendar(`${ctx.tokenPrefix}${label}`, ["DTSTART:20000101T000000", "DTEND:20000102T000000", "RRULE:FREQ=DAILY"]);
  const ownOnly = options.inactiveSchedule === true || options.holidaySchedule === true;
  let active: string;
  try {
    active = await make("always", everyDay("always"));
  } catch (err) {
    if (ownOnly || !unserved(err)) throw err;
    return { active: "standard_always" };
  }
  return {
    active,
    ...(options.inactiveSchedule === true ? { inactive: await make("never", vcalendar(`${ctx.tokenPrefix}never`, ["DTSTART:20000101T000000", "DTEND:20000101T010000"])) } : {}),
    ...(options.holidaySchedule === true ? { holiday: await make("holiday", "", everyDay("holiday")) } : {}),
  };
}

function sameFactors(item: Record<string, unknown>, factors: readonly Factor[]): boolean {
  const got = (Array.isArray(item["IdFactor"]) ? item["IdFactor"] : []) as Record<string, unknown>[];
  return got.length === factors.length && factors.every(([n, op, v], i) => got[i]?.["IdDataName"] === n && got[i]?.["IdMatchOperatorName"] === op && String(got[i]?.["OperatorValue"] ?? "") === v);
}

/**
 * Authentication profile tokens for `kinds`: the device's default profile when it is still as
 * documented and always scheduled, else one of our own with the documented factors (a live site
 * may have changed its defaults; CardPlusDuressPIN is never a default).
 */
async function authenticationProfiles(ctx: CheckContext, kinds: readonly Authentication[], schedule: string): Promise<Record<Authentication, string>> {
  const wanted = [...new Set(kinds)];
  const found = itemsOf(await ctx.call("tac:GetAuthenticationProfile", { Token: wanted }), "AuthenticationProfile");
  const out: Partial<Record<Authentication, string>> = {};
  for (const kind of wanted) {
    const item = found.find((p) => p["token"] === kind);
    const schedules = Array.isArray(item?.["Schedule"]) ? (item["Schedule"] as unknown[]) : [];
    if (item !== undefined && sameFactors(item, FACTORS[kind]) && schedules.length === 1 && schedules[0] === "standard_always") {
      out[kind] = kind;
      continue;
    }
    const token = ctx.newToken(kind.toLowerCase());
    const IdFactor = FACTORS[kind].map(([IdDataName, IdMatchOperatorName, OperatorValue]) => ({ IdDataName, IdMatchOperatorName, OperatorValue }));
    out[kind] = await createOne(ctx, authenticationProfile, { ...sampleFor(ctx, authenticationProfile, token, 70), IdFactor, Schedule: [schedule] });
  }
  return out as Record<Authentication, string>;
}

function digits(ctx: CheckContext, avoid: readonly string[]): string {
  for (;;) {
    const pin = String(ctx.rng.int(1000, 9999));
    if (!avoid.includes(pin)) return pin;
  }
}

const attribute = (Name: string, Value = ""): Record<string, string> => ({ type: "", Name, Value });

export async function buildSite(ctx: CheckContext, options: SiteOptions = {}): Promise<Site> {
  requireOps(ctx, accessPoint.set, accessController.set, accessControllerConfiguration.set, accessProfile.set, credential.set, area.set, "tac:GetAuthenticationProfile", "axtdc:SetDoor", "axtid:SetIdPoint", "axsch:SetSchedule", "pacsaxis:VerifyRequest", "pacsaxis:RequestAccess");
  const sched = await served(ctx, "schedules of its own (axsch:SetSchedule)", () => schedules(ctx, options));
  const door = await served(ctx, "a door of its own (axtdc:SetDoor, axtdc:SetDoorConfiguration)", () => createDoor(ctx, "dec", { times: { AccessTime: `PT${ACCESS_TIME_MS / 1000}S` } }));
  // One IdPoint with a reader (card, keypad) and a REX input, as the IdPoint samples configure it.
  const reader = ctx.newToken("idp");
  await served(ctx, "an IdPoint of its own (axtid:SetIdPoint, axtid:SetIdPointConfiguration)", async () => {
    await setItems(ctx, idPoint, [sampleFor(ctx, idPoint, reader, 71)]);
    await setItems(ctx, idPointConfiguration, [sampleFor(ctx, idPointConfiguration, reader, 72)]);
  });
  const kinds = options.authentication ?? ["CardOnly"];
  const profiles = await authenticationProfiles(ctx, [...kinds, ...(options.credentialAuthentication ?? [])], sched.active);

  let areas: { from: string; to: string } | undefined;
  if (options.antipassback === true) {
    areas = { from: ctx.newToken("out"), to: ctx.newToken("in") };
    await setItems(ctx, area, [sampleFor(ctx, area, areas.from, 73), sampleFor(ctx, area, areas.to, 74)]);
  }
  const apToken = ctx.newToken("ap");
  // Guide "Configure anti-passback": the mode is mandatory, timeout and enforcement have defaults; the areas must be named.
  const apItem: Record<string, unknown> = {
    ...sampleFor(ctx, accessPoint, apToken, 75, { entity: door }),
    ...(areas !== undefined ? { AreaFrom: areas.from, AreaTo: areas.to } : {}),
    IdPointDevice: [{ IdPoint: reader, DeviceUUID: "" }],
    AuthenticationProfile: kinds.map((k) => profiles[k]),
    Attribute: [...(options.duress === true ? [attribute("Duress")] : []), ...(areas !== undefined ? [attribute("AntiPassbackMode", "Logical"), attribute("AntiPassbackEnforcementMode", "Hard")] : [])],
  };
  await setItems(ctx, accessPoint, [apItem]);
  // A controller of our own lists the access point (the device's own controller stays untouched).
  const controller = ctx.newToken("ctl");
  await setItems(ctx, accessController, [sampleFor(ctx, accessController, controller, 76, { "access-point": apToken })]);
  await setItems(ctx, accessControllerConfiguration, [{ ...sampleFor(ctx, accessControllerConfiguration, controller, 77), Configuration: [] }]);

  const policy = { AccessPoint: apToken, AuthorizationProfile: [], Attribute: [], Schedule: [sched.active] };
  const profileItem: Record<string, unknown> = { ...sampleFor(ctx, accessProfile, ctx.newToken("group"), 78), Schedule: [sched.active], AccessPolicy: [policy] };
  const groups = [profileItem];
  // Guide "Enable duress access": a second group, with the Duress attribute, for the same access point.
  if (options.duress === true) groups.push({ ...sampleFor(ctx, accessProfile, ctx.newToken("duress"), 79), Schedule: [sched.active], Attribute: [attribute("Duress")], AccessPolicy: [policy] });
  await setItems(ctx, accessProfile, groups);

  const card = ctx.rng.int(0x10000000, 0x7fffffff).toString(16);
  const pin = digits(ctx, []);
  const wrongPin = digits(ctx, [pin]);
  const duressPin = digits(ctx, [pin, wrongPin]);
  const credToken = ctx.newToken("cred");
  const credItem: Record<string, unknown> = {
    ...sampleFor(ctx, credential, credToken, 80),
    IdData: [
      { Name: "Card", Value: card },
      { Name: "PIN", Value: pin },
      ...(options.duress === true ? [{ Name: "DuressPIN", Value: duressPin }] : []),
    ],
    AuthenticationProfile: (options.credentialAuthentication ?? []).map((k) => profiles[k]),
    CredentialAccessProfile: groups.map((g) => ({ AccessProfile: g["token"] })),
  };
  await setItems(ctx, credential, [credItem]);
  return {
    controller,
    accessPoint: apToken,
    door,
    idPoint: reader,
    credential: credToken,
    card,
    pin,
    wrongPin,
    duressPin,
    schedules: sched,
    ...(areas !== undefined ? { areaTo: areas.to } : {}),
    accessTimeMs: ACCESS_TIME_MS,
    restingMode: await doorMode(ctx, door),
    items: { accessProfile: profileItem, credential: credItem, accessPoint: apItem },
  };
}
