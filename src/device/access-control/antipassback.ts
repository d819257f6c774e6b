/**
 * Anti-passback (guide "Enable anti-passback" and its subsections): the rule an access point
 * carries in its attributes, the check against the monitoring data (AntipassbackData, one item
 * per credential), violations, and the data a passage leaves behind.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";

export interface AntipassbackRule {
  readonly accessPoint: string;
  readonly mode: "Logical" | "TimedLogical";
  /** AntiPassbackTimeout (seconds in the attribute), TimedLogical only. */
  readonly timeoutMs: number;
  /** AntiPassbackEnforcementMode: Hard denies, Soft only reports. */
  readonly hard: boolean;
  /** The area a passage enters: the rule "concerns the AreaTo of an access point". */
  readonly areaTo: string;
}

/** The Value of the attribute named `name` (Attribute lists of access points, credentials, profiles). */
export function attributeValue(item: Readonly<Item>, name: string): string | undefined {
  const found = ((item["Attribute"] as { Name: string; Value?: string }[] | undefined) ?? []).find((a) => a.Name === name);
  return found === undefined ? undefined : (found.Value ?? "");
}

/**
 * The access point's rule, if it has one. Guide "Configure anti-passback": AntiPassbackMode is
 * mandatory to enable the feature (Logical or TimedLogical), AntiPassbackTimeout defaults to 0,
 * AntiPassbackEnforcementMode to Hard, and the access point must name its areas (Note 2).
 */
export function antipassbackRuleOf(ap: Readonly<Item>): AntipassbackRule | undefined {
  const mode = attributeValue(ap, "AntiPassbackMode");
  const areaTo = (ap["AreaTo"] as string | undefined) ?? "";
  if ((mode !== "Logical" && mode !== "TimedLogical") || areaTo === "") return undefined;
  const seconds = Number(attributeValue(ap, "AntiPassbackTimeout") ?? "0");
  return {
    accessPoint: ap["token"] as string,
    mode,
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0,
    hard: (attributeValue(ap, "AntiPassbackEnforcementMode") ?? "Hard").toLowerCase() !== "soft",
    areaTo,
  };
}

/** Guide "Configure anti-passback override": AntiPassbackOverride True disables anti-passback for the credential. */
export function overridesAntipassback(credential: Readonly<Item>): boolean {
  return (attributeValue(credential, "AntiPassbackOverride") ?? "").trim().toLowerCase() === "true";
}

/** The same test ResetAntipassbackViolation makes: a non-empty Violation that is not 0/false. */
export function isViolating(data: Readonly<Item>): boolean {
  const v = String(data["Violation"] ?? "").trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false";
}

/**
 * True when passing now would break the rule: the credential is already in the area the access
 * point leads to (Logical), and for TimedLogical only until its PassOkThreshold (µs since the
 * epoch, the "anti-passback timer value") has passed.
 */
export function violates(state: DeviceState, rule: AntipassbackRule, credential: string, now: number): boolean {
  if (state.quirks.has("decision-antipassback-not-enforced")) return false;
  const data = state.store("AntipassbackData").read(credential, "full");
  if (data === undefined || data["CurrentArea"] !== rule.areaTo) return false;
  if (rule.mode === "Logical") return true;
  return now * 1000 < Number(data["PassOkThreshold"] ?? 0);
}

/**
 * tns1:Credential/State/ApbViolation as the guide shows it: the credential and its holder (the
 * credential's UserToken; empty once the credential is removed) as Source, Reason
 * AntiPassbackViolation, whether the violation holds, and whether a client ended it.
 */
export function announceApbViolation(state: DeviceState, credential: string, violation: boolean, clientUpdated: boolean, holder?: string): void {
  const name = holder ?? (state.store("Credential").read(credential, "full")?.["UserToken"] as string | undefined) ?? "";
  state.publish({
    topic: "tns1:Credential/State/ApbViolation",
    source: { CredentialToken: credential, CredentialHolderName: name },
    data: { Reason: "AntiPassbackViolation", ApbViolation: violation, ClientUpdated: clientUpdated },
  });
}

/**
 * Marks the credential's monitoring data as violating and announces it (guide "Anti-passback
 * notifications"). A TimedLogical violation ends by itself once the timer has run out, with the
 * "ApbViolation 0, ClientUpdated 0" event.
 */
export function recordViolation(state: DeviceState, rule: AntipassbackRule, credential: string, holder: string): void {
  const store = state.store("AntipassbackData");
  const data = store.read(credential, "full");
  if (data === undefined || isViolating(data)) return;
  store.put(credential, { ...data, Violation: "1" });
  announceApbViolation(state, credential, true, false, holder);
  if (rule.mode !== "TimedLogical") return;
  const until = Math.ceil(Number(data["PassOkThreshold"] ?? 0) / 1000);
  state.clock.at(until, `anti-passback violation of credential ${credential} expires`, () => {
    const now = store.read(credential, "full");
    if (now === undefined || !isViolating(now) || now["PassOkThreshold"] !== data["PassOkThreshold"]) return;
    store.put(credential, { ...now, Violation: "" });
    announceApbViolation(state, credential, false, false, holder);
  });
}

/**
 * A credential passed an access point into `areaTo` (the door was opened after the grant; guide:
 * "Door monitor input is needed to get anti-passback to work"). Passages are tracked where a rule
 * applies, and wherever a tracked credential goes next, so leaving an area is seen too.
 */
export function recordPassage(state: DeviceState, ap: Readonly<Item>, credential: string, now: number): void {
  const areaTo = (ap["AreaTo"] as string | undefined) ?? "";
  if (areaTo === "") return;
  const store = state.store("AntipassbackData");
  const rule = antipassbackRuleOf(ap);
  if (rule === undefined && !store.has(credential)) return;
  const timed = rule?.mode === "TimedLogical";
  store.put(credential, {
    CredentialToken: credential,
    PassOkThreshold: timed ? (now + rule.timeoutMs) * 1000 : 0,
    CurrentArea: areaTo,
    ByTime: timed,
    Violation: "",
  });
}
