/**
 * The access decision (access-control-service.md "Send access request" and the guide sections it
 * draws on): id data presented at an IdPoint or given to RequestAccess/VerifyRequest → the access
 * point(s) using that IdPoint → the credential → its access profiles, their policies for that
 * access point and their schedules → authentication → anti-passback → a decision with the
 * documented reason. Carrying a decision out (events, the door) is outcome.ts.
 */
import type { AccessOptions } from "../door-control/api.js";
import { parseNonNegativeDuration } from "../duration.js";
import type { Item } from "../entity.js";
import { notFound } from "../faults.js";
import type { DeviceState } from "../state.js";
import { antipassbackRuleOf, attributeValue, overridesAntipassback, violates, type AntipassbackRule } from "./antipassback.js";
import { authenticate, identifyingNames, type IdDataList, type IdDatum } from "./authentication.js";
import { carryOut } from "./outcome.js";
import { schedulesActive, validityAt } from "./timing.js";

export type { IdDataList, IdDatum } from "./authentication.js";

export interface Decision {
  readonly granted: boolean;
  /** "Granted" or the documented denial reason. */
  readonly reason: string;
  readonly accessPoint?: string;
  /** The credential decided on; "" when several matched (a PIN shared by several credentials). */
  readonly credential?: string;
  /** The credential's UserToken (the events' CredentialHolderName). */
  readonly holder?: string;
  /** No credential involved (REX). */
  readonly anonymous?: boolean;
  /** Granted with a duress PIN: the Duress event goes with it. */
  readonly duress?: boolean;
  /** The IdData that matched no credential (the CredentialNotFound events). */
  readonly notFound?: IdDatum;
  /** Denied because a PIN did not match (Denied/Authentication/InvalidPIN). */
  readonly invalidPin?: boolean;
  /** Presentation only: the IdData still needed (a card was presented, the PIN is missing). */
  readonly pending?: string;
  /** The anti-passback rule of the access point and whether this request breaks it. */
  readonly antipassback?: { readonly rule: AntipassbackRule; readonly violation: boolean };
  /** The door a grant accesses (the access point's Entity when it is a door), with the credential's timing. */
  readonly door?: string;
  readonly doorOptions?: AccessOptions;
}

/** One request, from RequestAccess/VerifyRequest or from a presentation at an IdPoint. */
export interface AccessRequest {
  readonly idData: IdDataList;
  /** The IdPoint the request comes from (SourceToken). */
  readonly source?: string;
  /** The entity to access (TargetToken); absent: the access point's own. */
  readonly target?: string;
  /** Requested action; absent for a presentation: the access point's action applies. */
  readonly action?: string;
}

/** Denial reasons by how far the request got; the furthest explains a denial best. */
const RANK: Readonly<Record<string, number>> = {
  Unauthorized: 1,
  InvalidAccessProfile: 2,
  NotPermittedAtThisTime: 3,
  InvalidCredential: 4,
  AntiPassbackViolation: 5,
};

function better(a: Decision, b: Decision): Decision {
  if (a.granted !== b.granted) return a.granted ? a : b;
  if (a.granted) return a;
  if ((a.pending !== undefined) !== (b.pending !== undefined)) return a.pending !== undefined ? a : b;
  return (RANK[b.reason] ?? 0) > (RANK[a.reason] ?? 0) ? b : a;
}

function isDoor(ap: Readonly<Item>): boolean {
  // AccessPoint.EntityType: "if missing, a Door type ... should be assumed" (tdc:Door, axtdc:Door).
  const type = (ap["EntityType"] as string | undefined) ?? "";
  return type === "" || type === "Door" || type.endsWith(":Door");
}

/**
 * How the door is accessed for this credential (guide "Extend access time for a credential"):
 * ExtendedAccessTime (or the standard ExtendedTimeFlag) picks the door's extended times, and
 * AccessTime/OpenTooLongTime attributes ("PTXS") override the door's. PreAlarmTime has no
 * counterpart in the door contract and is not applied.
 */
function doorOptionsFor(credential: Readonly<Item> | undefined): AccessOptions {
  if (credential === undefined) return { reason: "REX" };
  const flag = attributeValue(credential, "ExtendedTimeFlag");
  const extended = attributeValue(credential, "ExtendedAccessTime") !== undefined || (flag !== undefined && flag.trim().toLowerCase() !== "false");
  const accessTime = parseNonNegativeDuration(attributeValue(credential, "AccessTime") ?? "");
  const openTooLongTime = parseNonNegativeDuration(attributeValue(credential, "OpenTooLongTime") ?? "");
  return {
    reason: "AccessGranted",
    ...(extended ? { extended } : {}),
    ...(accessTime !== undefined ? { accessTime } : {}),
    ...(openTooLongTime !== undefined ? { openTooLongTime } : {}),
  };
}

function grantOf(ap: Readonly<Item>, credential: Readonly<Item> | undefined, extra: Partial<Decision>): Decision {
  const door = isDoor(ap) && typeof ap["Entity"] === "string" && ap["Entity"] !== "" ? (ap["Entity"] as string) : undefined;
  return { granted: true, reason: "Granted", ...extra, ...(door !== undefined ? { door, doorOptions: doorOptionsFor(credential) } : {}) };
}

/** Anonymous access (guide: with REX "it is not relevant to check the credential"): only the access point's profiles apply. */
function decideAnonymous(state: DeviceState, ap: Readonly<Item>, request: IdDataList): Decision {
  const base = { accessPoint: ap["token"] as string, anonymous: true };
  const auth = authenticate(state, { credential: [], accessProfile: [], accessPoint: ap["AuthenticationProfile"] as string[] }, request, undefined, false);
  if (auth.kind === "met") return grantOf(ap, undefined, base);
  return { granted: false, reason: auth.kind === "none" && auth.configured ? "NotPermittedAtThisTime" : "Unauthorized", ...base };
}

/** Whom a decision on `credential` at `ap` concerns (the events' AccessPointToken, CredentialToken and CredentialHolderName). */
function about(ap: Readonly<Item>, credential: Readonly<Item>): { accessPoint: string; credential: string; holder: string } {
  return { accessPoint: ap["token"] as string, credential: credential["token"] as string, holder: (credential["UserToken"] as string | undefined) ?? "" };
}

/** One access profile of the credential at the access point (guide "Setting the access profile", "Access profile"). */
function decidePath(state: DeviceState, ap: Readonly<Item>, credential: Readonly<Item>, cap: Readonly<Item>, request: IdDataList, now: number): Decision {
  const base = about(ap, credential);
  const profile = state.store("AccessProfile").read(cap["AccessProfile"] as string, "full");
  const policies = ((profile?.["AccessPolicy"] as Item[] | undefined) ?? []).filter((p) => p["AccessPoint"] === ap["token"]);
  if (profile === undefined || policies.length === 0) return { granted: false, reason: "Unauthorized", ...base };
  // Guide "Disable an access profile" / "AccessProfile" time frame: both answer InvalidAccessProfile.
  if (!state.quirks.has("decision-access-profile-state-ignored")) {
    const valid = validityAt(now, profile["ValidFrom"], profile["ValidTo"]) === "active" && validityAt(now, cap["ValidFrom"], cap["ValidTo"]) === "active";
    if (profile["Enabled"] === false || !valid) return { granted: false, reason: "InvalidAccessProfile", ...base };
  }
  // The profile's schedule ("when the group is active") and the policy's for this access point.
  // ONVIF AccessControl names the reason: NotPermittedAtThisTime.
  if (!schedulesActive(state, profile["Schedule"] as string[], now) || !policies.some((p) => schedulesActive(state, p["Schedule"] as string[], now))) {
    return { granted: false, reason: "NotPermittedAtThisTime", ...base };
  }
  const duressAllowed = attributeValue(ap, "Duress") !== undefined && attributeValue(profile, "Duress") !== undefined;
  const levels = {
    credential: credential["AuthenticationProfile"] as string[],
    accessProfile: profile["AuthenticationProfile"] as string[],
    accessPoint: ap["AuthenticationProfile"] as string[],
  };
  const auth = authenticate(state, levels, request, credential["IdData"] as IdDataList, duressAllowed);
  switch (auth.kind) {
    case "met":
      return grantOf(ap, credential, { ...base, ...(auth.duress ? { duress: true } : {}) });
    case "partial":
      return { granted: false, reason: "InvalidCredential", pending: auth.next, ...base };
    case "failed":
      // Guide: an invalid card or PIN answers InvalidCredential.
      return { granted: false, reason: "InvalidCredential", ...(auth.wrongPin ? { invalidPin: true } : {}), ...base };
    case "none":
      return { granted: false, reason: auth.configured ? "NotPermittedAtThisTime" : "Unauthorized", ...base };
  }
}

/** A credential at an access point: its own state first, then each of its access profiles. */
function decideCredential(state: DeviceState, ap: Readonly<Item>, credential: Readonly<Item>, request: IdDataList, now: number): Decision {
  const base = about(ap, credential);
  const q = state.quirks;
  // Guide "Disable a credential": CredentialNotEnabled; a Status other than Enabled disables too.
  if (!q.has("decision-disabled-credential-granted") && (credential["Enabled"] === false || (credential["Status"] !== undefined && credential["Status"] !== "Enabled"))) {
    return { granted: false, reason: "CredentialNotEnabled", ...base };
  }
  if (!q.has("decision-validity-ignored")) {
    const validity = validityAt(now, credential["ValidFrom"], credential["ValidTo"]);
    if (validity === "notActive") return { granted: false, reason: "CredentialNotActive", ...base };
    if (validity === "expired") return { granted: false, reason: "CredentialExpired", ...base };
  }
  let best: Decision = { granted: false, reason: "Unauthorized", ...base };
  for (const cap of credential["CredentialAccessProfile"] as Item[]) {
    const d = decidePath(state, ap, credential, cap, request, now);
    // A normal grant is preferred over a duress one when both profiles let the credential in.
    best = best.granted && d.granted ? (best.duress === true && d.duress !== true ? d : best) : better(best, d);
  }
  if (!best.granted) return best;
  const rule = antipassbackRuleOf(ap);
  if (rule === undefined || overridesAntipassback(credential)) return best;
  const violation = violates(state, rule, credential["token"] as string, now);
  // Guide: Hard enforcement denies with AntiPassbackViolation, Soft only reports the violation.
  if (violation && rule.hard) return { granted: false, reason: "AntiPassbackViolation", ...base, antipassback: { rule, violation } };
  return { ...best, antipassback: { rule, violation } };
}

function credentialsWith(state: DeviceState, datum: IdDatum): Item[] {
  const store = state.store("Credential");
  const out: Item[] = [];
  for (const t of store.tokens()) {
    const c = store.read(t, "full")!;
    if ((c["IdData"] as IdDataList).some((d) => d.Name === datum.Name && d.Value === datum.Value)) out.push(c);
  }
  return out;
}

/** The request at one access point. */
function decideAt(state: DeviceState, ap: Readonly<Item>, request: IdDataList, now: number): Decision {
  const names = identifyingNames(state);
  // Guide: with mixed operators IdDataEqual (card, PIN) is chosen over OperatorValueEqual (REX).
  const identifier = request.find((d) => names.has(d.Name)) ?? request.find((d) => d.Name !== "REX");
  const disabled = ap["Enabled"] === false && !state.quirks.has("decision-disabled-access-point-grants");
  if (identifier === undefined) {
    // Guide "Disable an access point": a disabled access point answers Unauthorized.
    return disabled ? { granted: false, reason: "Unauthorized", accessPoint: ap["token"] as string, anonymous: true } : decideAnonymous(state, ap, request);
  }
  const credentials = credentialsWith(state, identifier);
  if (credentials.length === 0) return { granted: false, reason: "InvalidCredential", accessPoint: ap["token"] as string, notFound: identifier };
  if (disabled) {
    const one = credentials.length === 1 ? credentials[0] : undefined;
    return { granted: false, reason: "Unauthorized", accessPoint: ap["token"] as string, credential: (one?.["token"] as string | undefined) ?? "", holder: (one?.["UserToken"] as string | undefined) ?? "" };
  }
  const decisions = credentials.map((c) => decideCredential(state, ap, c, request, now));
  const best = decisions.reduce(better);
  // Guide: when several credentials share the presented PIN "the CredentialToken is empty".
  return decisions.filter((d) => d.granted).length > 1 ? { ...best, credential: "", holder: "" } : best;
}

/** The access points of `controller` a request applies to (guide "Send access request"). */
function accessPointsFor(state: DeviceState, controller: Readonly<Item>, request: AccessRequest): Item[] {
  const store = state.store("AccessPoint");
  return (controller["AccessPoint"] as string[])
    .map((t) => store.read(t, "full"))
    .filter((ap): ap is Item => ap !== undefined)
    .filter((ap) => request.source === undefined || (ap["IdPointDevice"] as { IdPoint: string }[]).some((d) => d.IdPoint === request.source))
    .filter((ap) => request.target === undefined || ap["Entity"] === request.target)
    .filter((ap) => request.action === undefined || ((ap["Action"] as string) || "Access") === request.action);
}

/** The decision on `request` through access controller `controller` (several matching access points: the best outcome). */
function decideThrough(state: DeviceState, controller: Readonly<Item>, request: AccessRequest): Decision {
  const now = state.now();
  let best: Decision | undefined;
  for (const ap of accessPointsFor(state, controller, request)) {
    const d = decideAt(state, ap, request.idData, now);
    best = best === undefined ? d : better(best, d);
  }
  return best ?? { granted: false, reason: "Unauthorized" };
}

/** The request of RequestAccess/VerifyRequest; an unknown access controller is the documented NotFound fault. */
function requestOf(state: DeviceState, input: Readonly<Item>): { controller: Item; request: AccessRequest } {
  const token = input["Token"] as string;
  const controller = state.store("AccessController").read(token, "full");
  if (controller === undefined) throw notFound("AccessController", token);
  const present = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const source = present(input["SourceToken"]);
  const target = present(input["TargetToken"]);
  const request: AccessRequest = {
    idData: input["IdData"] as IdDataList,
    ...(source !== undefined ? { source } : {}),
    ...(target !== undefined ? { target } : {}),
    // API reference: "If missing "Access" should be assumed."
    action: present(input["Action"]) ?? "Access",
  };
  return { controller, request };
}

/**
 * RequestAccess/VerifyRequest. An API request cannot be asked for more IdData, so a card that
 * still needs its PIN is simply not enough.
 */
export function decide(state: DeviceState, input: Readonly<Item>): Decision {
  const { controller, request } = requestOf(state, input);
  const d = decideThrough(state, controller, request);
  if (d.pending === undefined) return d;
  const { pending: _asked, ...denied } = d;
  return denied;
}

// ---- a person at an IdPoint (the physical world's card, PIN and REX stimuli)

export interface Presentation {
  /** The IdPoint (reader, keypad, REX input) the id data is presented at. */
  readonly idPoint: string;
  /** What was presented, e.g. [{Name: "Card", Value: "12345678"}] or [{Name: "REX", Value: "Active"}]. */
  readonly idData: readonly { readonly Name: string; readonly Value: string }[];
}

export interface PresentationResult {
  readonly granted: boolean;
  readonly reason: string;
  readonly accessPoint?: string;
  readonly credential?: string;
  /** The door accessed on a grant (the access point's Entity, when it is a door). */
  readonly door?: string;
  /** Granted with a duress PIN. */
  readonly duress?: boolean;
  /** No decision yet: the reader asks for this IdData next (e.g. "PIN" after a card at Card + PIN). */
  readonly pending?: string;
  /** Topics of the events the device published while handling the presentation, in order. */
  readonly events?: readonly string[];
}

/**
 * CONTRACT used by the IdPoint service's stimuli: the access decision for id data presented at an
 * IdPoint, through the access controller whose access point uses that IdPoint, and on a grant the
 * door passed (DoorControl's accessDoor). Publishes the granted/denied events like RequestAccess.
 * A card that still needs its PIN is no decision yet: no event, `pending` names what the reader
 * should ask for (the IdPoint service pairs a PIN entered within its Timeout with the card).
 */
export function presentAtIdPoint(state: DeviceState, presentation: Presentation): PresentationResult {
  const events: string[] = [];
  const stop = state.subscribe((e) => events.push(e.topic));
  try {
    const controllers = state.store("AccessController");
    const request: AccessRequest = { idData: presentation.idData, source: presentation.idPoint };
    let d: Decision | undefined;
    for (const t of controllers.tokens()) {
      const controller = controllers.read(t, "full")!;
      if (accessPointsFor(state, controller, request).length === 0) continue;
      const next = decideThrough(state, controller, request);
      d = d === undefined ? next : better(d, next);
    }
    if (d === undefined) return { granted: false, reason: "Unauthorized", events };
    if (d.pending !== undefined) return { granted: false, reason: d.reason, pending: d.pending, ...ids(d), events };
    const done = carryOut(state, d);
    return { granted: done.granted, reason: done.reason, ...ids(done), ...(done.duress === true ? { duress: true } : {}), ...(done.door !== undefined ? { door: done.door } : {}), events };
  } finally {
    stop();
  }
}

function ids(d: Decision): { accessPoint?: string; credential?: string } {
  return { ...(d.accessPoint !== undefined ? { accessPoint: d.accessPoint } : {}), ...(d.credential !== undefined ? { credential: d.credential } : {}) };
}
