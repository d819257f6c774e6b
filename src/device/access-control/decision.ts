/** The access decision (guide "Send access request"; reasons as the guide's events use them). */
import type { Item } from "../entity.js";
import { accessDoor, doorExists } from "../door-control/api.js";
import { notFound } from "../faults.js";
import type { DeviceState } from "../state.js";

export interface Decision {
  readonly granted: boolean;
  readonly reason: string;
  readonly accessPoint?: string;
  readonly credential?: string;
}

function within(now: number, from: unknown, to: unknown): "active" | "notActive" | "expired" {
  if (typeof from === "string" && from !== "" && Date.parse(from) > now) return "notActive";
  if (typeof to === "string" && to !== "" && Date.parse(to) < now) return "expired";
  return "active";
}

type IdDataList = readonly { Name: string; Value: string }[];

function factorsMet(profile: Readonly<Item>, request: IdDataList, credential: IdDataList | undefined): boolean {
  const factors = profile["IdFactor"] as { IdDataName: string; IdMatchOperatorName: string; OperatorValue: string }[];
  if (factors.length === 0) return false;
  return factors.every((f) => {
    const given = request.find((d) => d.Name === f.IdDataName)?.Value;
    if (given === undefined) return false;
    switch (f.IdMatchOperatorName) {
      case "IdDataEqual":
        return credential?.find((d) => d.Name === f.IdDataName)?.Value === given;
      case "IdDataEqualToField":
        return credential?.find((d) => d.Name === f.OperatorValue)?.Value === given;
      case "OperatorValueEqual":
        return given === f.OperatorValue;
      default:
        return false;
    }
  });
}

/**
 * A simple, documented decision: the access controller exists; an enabled access point of that
 * controller matches SourceToken (IdPoint), TargetToken (Entity) and Action; then either the
 * request is anonymous (REX, OperatorValueEqual) or a credential is found by its IdData, is enabled
 * and valid now, holds an enabled and valid access profile with a policy for the access point, and
 * one applicable authentication profile (credential > access profile > access point) is met.
 * Schedules are not evaluated (no schedule service): every schedule counts as active.
 */
export function decide(state: DeviceState, input: Readonly<Item>): Decision {
  const controllerToken = input["Token"] as string;
  const controller = state.store("AccessController").read(controllerToken, "full");
  if (controller === undefined) throw notFound("AccessController", controllerToken);
  const idData = input["IdData"] as IdDataList;
  const action = (input["Action"] as string | undefined) || "Access";
  const source = input["SourceToken"] as string | undefined;
  const target = input["TargetToken"] as string | undefined;
  const apStore = state.store("AccessPoint");
  const candidates = (controller["AccessPoint"] as string[])
    .map((t) => apStore.read(t, "full"))
    .filter((ap): ap is Item => ap !== undefined)
    .filter((ap) => !source || (ap["IdPointDevice"] as { IdPoint: string }[]).some((d) => d.IdPoint === source))
    .filter((ap) => !target || ap["Entity"] === target)
    .filter((ap) => ((ap["Action"] as string) || "Access") === action);
  if (candidates.length === 0) return { granted: false, reason: "Unauthorized" };
  const ap = candidates.find((c) => c["Enabled"] !== false);
  if (ap === undefined) return { granted: false, reason: "Unauthorized", accessPoint: candidates[0]!["token"] as string };
  const apToken = ap["token"] as string;
  const authStore = state.store("AuthenticationProfile");
  const profilesOf = (tokens: readonly string[]): Item[] => tokens.map((t) => authStore.read(t, "full")).filter((p): p is Item => p !== undefined);

  // Guide: mixed operators → IdDataEqual is chosen over OperatorValueEqual (REX).
  const onlyRex = idData.length > 0 && idData.every((d) => d.Name === "REX");
  if (onlyRex) {
    const ok = profilesOf(ap["AuthenticationProfile"] as string[]).some((p) => factorsMet(p, idData, undefined));
    return { granted: ok, reason: ok ? "Granted" : "InvalidCredential", accessPoint: apToken };
  }

  const credStore = state.store("Credential");
  const first = idData.find((d) => d.Name !== "REX");
  if (first === undefined) return { granted: false, reason: "InvalidCredential", accessPoint: apToken };
  let credential: Item | undefined;
  for (const t of credStore.tokens()) {
    const c = credStore.read(t, "full")!;
    if ((c["IdData"] as IdDataList).some((d) => d.Name === first.Name && d.Value === first.Value)) {
      credential = c;
      break;
    }
  }
  if (credential === undefined) return { granted: false, reason: "InvalidCredential", accessPoint: apToken };
  const credToken = credential["token"] as string;
  const base = { accessPoint: apToken, credential: credToken };
  if (credential["Enabled"] === false || (credential["Status"] !== undefined && credential["Status"] !== "Enabled")) {
    return { granted: false, reason: "CredentialNotEnabled", ...base };
  }
  const now = state.now();
  const validity = within(now, credential["ValidFrom"], credential["ValidTo"]);
  if (validity === "notActive") return { granted: false, reason: "CredentialNotActive", ...base };
  if (validity === "expired") return { granted: false, reason: "CredentialExpired", ...base };

  const profileStore = state.store("AccessProfile");
  let sawProfileForAp = false;
  for (const cap of credential["CredentialAccessProfile"] as Item[]) {
    const profile = profileStore.read(cap["AccessProfile"] as string, "full");
    if (profile === undefined) continue;
    if (!(profile["AccessPolicy"] as Item[]).some((p) => p["AccessPoint"] === apToken)) continue;
    sawProfileForAp = true;
    if (profile["Enabled"] === false) continue;
    if (within(now, cap["ValidFrom"], cap["ValidTo"]) !== "active" || within(now, profile["ValidFrom"], profile["ValidTo"]) !== "active") continue;
    const override = credential["AuthenticationProfile"] as string[];
    const fromProfile = profile["AuthenticationProfile"] as string[];
    const applicable = override.length > 0 ? override : fromProfile.length > 0 ? fromProfile : (ap["AuthenticationProfile"] as string[]);
    const authenticated = profilesOf(applicable).some((p) => factorsMet(p, idData, credential["IdData"] as IdDataList));
    return authenticated ? { granted: true, reason: "Granted", ...base } : { granted: false, reason: "InvalidCredential", ...base };
  }
  return { granted: false, reason: sawProfileForAp ? "InvalidAccessProfile" : "Unauthorized", ...base };
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
}

/**
 * CONTRACT used by the IdPoint service's stimuli: the access decision for id data presented at an
 * IdPoint, through the access controller whose access point uses that IdPoint, and on a grant the
 * door passed (DoorControl's accessDoor). Publishes the granted/denied event like RequestAccess.
 */
export function presentAtIdPoint(state: DeviceState, presentation: Presentation): PresentationResult {
  const controllers = state.store("AccessController");
  const apStore = state.store("AccessPoint");
  const uses = (apToken: string): boolean => ((apStore.read(apToken, "full")?.["IdPointDevice"] as { IdPoint: string }[] | undefined) ?? []).some((d) => d.IdPoint === presentation.idPoint);
  const controller = controllers.tokens().find((t) => ((controllers.read(t, "full")?.["AccessPoint"] as string[] | undefined) ?? []).some(uses));
  if (controller === undefined) return { granted: false, reason: "Unauthorized" };
  const d = decide(state, { Token: controller, IdData: presentation.idData, SourceToken: presentation.idPoint });
  const ap = d.accessPoint === undefined ? undefined : apStore.read(d.accessPoint, "full");
  const entity = typeof ap?.["Entity"] === "string" ? (ap["Entity"] as string) : undefined;
  state.publish({
    topic: d.granted ? "tns1:AccessControl/AccessGranted/Credential" : "tns1:AccessControl/Denied/Credential",
    source: { AccessPointToken: d.accessPoint ?? "" },
    data: d.granted ? { CredentialToken: d.credential ?? "" } : { CredentialToken: d.credential ?? "", Reason: d.reason },
  });
  if (!d.granted || entity === undefined || !doorExists(state, entity)) return { ...d };
  accessDoor(state, entity, { reason: "AccessGranted" });
  return { ...d, door: entity };
}
