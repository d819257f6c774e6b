/**
 * Authentication: which authentication profiles apply to a request and whether its IdData meet
 * one of them (access-control-service.md: IdFactor and IdMatchOperator data structures,
 * "Override the authentication of an access point", "Enable duress access").
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { schedulesActive } from "./timing.js";

export interface IdDatum {
  readonly Name: string;
  readonly Value: string;
}
export type IdDataList = readonly IdDatum[];

interface IdFactor {
  readonly IdDataName: string;
  readonly IdMatchOperatorName: string;
  readonly OperatorValue: string;
}

/** The credential IdData a duress PIN is stored in (guide "Enable duress access"). */
const DURESS_FIELD = "DuressPIN";

/** What the IdData presented so far achieve against the applicable authentication profiles. */
export type AuthOutcome =
  | { readonly kind: "met"; readonly duress: boolean }
  /** Every factor given matches, `next` (e.g. "PIN") is still missing: the reader asks for it. */
  | { readonly kind: "partial"; readonly next: string }
  | { readonly kind: "failed"; readonly wrongPin: boolean }
  /** No authentication profile applies now; `configured` tells whether any is configured at all. */
  | { readonly kind: "none"; readonly configured: boolean };

/** The authentication profiles named at each level, highest precedence first. */
export interface ProfileLevels {
  readonly credential: readonly string[];
  readonly accessProfile: readonly string[];
  readonly accessPoint: readonly string[];
}

function valueOf(data: IdDataList | undefined, name: string): string | undefined {
  return data?.find((d) => d.Name === name)?.Value;
}

/**
 * The profiles that apply now. Guide: the precedence "from high to low: Credentials,
 * AccessProfiles and AccessPoints", and an override only while it is scheduled ("Outside this
 * schedule, the default requirements of the AccessPoint applies"): the first level with a profile
 * whose schedule is active wins.
 */
function applicable(state: DeviceState, levels: ProfileLevels, at: number): { profiles: Item[]; configured: boolean } {
  const store = state.store("AuthenticationProfile");
  const order = state.quirks.has("decision-profile-override-ignored") ? [levels.accessPoint] : [levels.credential, levels.accessProfile, levels.accessPoint];
  let configured = false;
  for (const tokens of order) {
    const profiles = tokens.map((t) => store.read(t, "full")).filter((p): p is Item => p !== undefined);
    if (profiles.length > 0) configured = true;
    const active = profiles.filter((p) => schedulesActive(state, p["Schedule"] as string[], at));
    if (active.length > 0) return { profiles: active, configured };
  }
  return { profiles: [], configured };
}

type FactorMatch = "match" | "duress" | "mismatch";

function matchFactor(state: DeviceState, f: IdFactor, given: string, credential: IdDataList | undefined): FactorMatch {
  const q = state.quirks;
  switch (f.IdMatchOperatorName) {
    case "IdDataEqual":
      if (f.IdDataName === "PIN" && credential !== undefined && q.has("decision-wrong-pin-accepted")) return "match";
      return valueOf(credential, f.IdDataName) === given ? "match" : "mismatch";
    case "IdDataEqualToField": {
      const stored = valueOf(credential, f.OperatorValue);
      if (stored !== given) return "mismatch";
      if (f.OperatorValue !== DURESS_FIELD) return "match";
      return q.has("decision-duress-refused") ? "mismatch" : "duress";
    }
    case "OperatorValueEqual":
      // REX: the request's value is compared with the profile's ("REX" = "Active").
      return given === f.OperatorValue && !q.has("decision-rex-refused") ? "match" : "mismatch";
    default:
      // RemoteValidationEvent and vendor operators need an external decision this device does not make.
      return "mismatch";
  }
}

type ProfileMatch = AuthOutcome | { readonly kind: "unrelated" };

/**
 * One profile against the request. Guide: "If the profile has more than one required IdFactor,
 * then all must be available ... and if fewer are provided then the AccessControl service asks
 * the user for additional ones".
 */
function matchProfile(state: DeviceState, profile: Readonly<Item>, request: IdDataList, credential: IdDataList | undefined, duressAllowed: boolean): ProfileMatch {
  const factors = profile["IdFactor"] as IdFactor[];
  let given = 0;
  let missing: string | undefined;
  let duress = false;
  for (const f of factors) {
    const value = valueOf(request, f.IdDataName);
    if (value === undefined) {
      missing ??= f.IdDataName;
      continue;
    }
    given++;
    const m = matchFactor(state, f, value, credential);
    if (m === "mismatch" || (m === "duress" && !duressAllowed)) return { kind: "failed", wrongPin: f.IdDataName === "PIN" };
    if (m === "duress") duress = true;
  }
  if (given === 0) return { kind: "unrelated" };
  if (missing !== undefined) return { kind: "partial", next: missing };
  return { kind: "met", duress };
}

/**
 * Authenticates `request` for a credential (its IdData; undefined for anonymous requests such as
 * REX) at one access point: any applicable profile met is enough; a normal match is preferred over
 * a duress one.
 */
export function authenticate(state: DeviceState, levels: ProfileLevels, request: IdDataList, credential: IdDataList | undefined, duressAllowed: boolean): AuthOutcome {
  const { profiles, configured } = applicable(state, levels, state.now());
  if (profiles.length === 0) return { kind: "none", configured };
  const results = profiles.map((p) => matchProfile(state, p, request, credential, duressAllowed));
  const met = results.filter((r): r is { kind: "met"; duress: boolean } => r.kind === "met");
  if (met.length > 0) return { kind: "met", duress: met.every((r) => r.duress) };
  const partial = results.find((r): r is { kind: "partial"; next: string } => r.kind === "partial");
  if (partial !== undefined) return partial;
  return { kind: "failed", wrongPin: results.some((r) => r.kind === "failed" && r.wrongPin) };
}

/**
 * The IdData names that can identify a credential: the first IdFactor of every authentication
 * profile, when it compares a value with the credential's IdData of the same name (guide: a
 * request is denied "if no credential can be linked to the initial IdFactor"). REX-style factors
 * (OperatorValueEqual) identify no one.
 */
export function identifyingNames(state: DeviceState): ReadonlySet<string> {
  const store = state.store("AuthenticationProfile");
  const names = new Set<string>();
  for (const t of store.tokens()) {
    const first = (store.read(t, "full")!["IdFactor"] as IdFactor[])[0];
    if (first !== undefined && first.IdMatchOperatorName === "IdDataEqual") names.add(first.IdDataName);
  }
  return names;
}
