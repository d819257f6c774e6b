/**
 * What the console, HTML and JUnit reporters say about the feature list and the per-service
 * verdicts, worded once: counts by state, the one sentence a release manager reads, and the
 * note on checks that ran on undefined features.
 */
import { FEATURE_STATES, type CheckResult, type FeatureList, type FeatureState, type ServiceVerdict } from "../harness/types.js";

/** Features per state, every state present (0 when none). */
export function featureCounts(list: FeatureList): Record<FeatureState, number> {
  return Object.fromEntries(FEATURE_STATES.map((s) => [s, list.features.filter((f) => f.state === s).length])) as Record<FeatureState, number>;
}

/** "412 supported, 17 not-supported, 3 undefined". */
export function describeCounts(list: FeatureList): string {
  const counts = featureCounts(list);
  return FEATURE_STATES.map((s) => `${counts[s]} ${s}`).join(", ");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function names(vs: readonly ServiceVerdict[]): string {
  return vs.map((v) => v.service).join(", ");
}

/**
 * The services in one sentence: "Conformant for the 9 services it serves; 2 services not
 * supported (ThirdPartyCredential, Keystore)." or "Deviations in 2 of 9 served services
 * (AccessControl, DoorControl); …". A service counts as served unless its support is
 * not-supported (undefined support ran its checks, so it is judged like a served one).
 */
export function servicesSentence(services: readonly ServiceVerdict[], interrupted = false): string {
  const served = services.filter((v) => v.support !== "not-supported");
  const notSupported = services.filter((v) => v.support === "not-supported");
  const deviating = served.filter((v) => v.verdict === "deviations");
  const notRun = served.filter((v) => v.verdict === "not-run");
  const parts: string[] = [];
  if (services.length === 0) {
    parts.push("No service had checks in this run");
  } else if (served.length === 0) {
    parts.push("The device serves none of the services checked");
  } else if (deviating.length > 0) {
    parts.push(`Deviations in ${deviating.length} of ${plural(served.length, "served service")} (${names(deviating)})`);
  } else if (notRun.length === served.length) {
    parts.push(`No check ran for the ${plural(served.length, "service")} it serves (${names(notRun)})`);
  } else if (notRun.length > 0) {
    parts.push(`Conformant for the ${plural(served.length - notRun.length, "service")} it serves that had checks run`);
  } else {
    parts.push(`Conformant for the ${plural(served.length, "service")} it serves`);
  }
  if (notRun.length > 0 && notRun.length < served.length) parts.push(`no check ran for ${notRun.length} (${names(notRun)})`);
  if (notSupported.length > 0) {
    parts.push(`${plural(notSupported.length, "service")} not supported (${names(notSupported)})`);
    // A check that judges the features themselves (advertised vs actual) may fail on one.
    const withDeviations = notSupported.filter((v) => v.verdict === "deviations");
    if (withDeviations.length > 0) parts.push(`deviations in ${names(withDeviations)} though not supported`);
  }
  const sentence = `${parts.join("; ")}.`;
  return interrupted ? `Interrupted, so partial: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence;
}

/** Checks that needed a feature whose state discovery left undefined (they ran anyway). */
export function undefinedFeatureChecks(checks: readonly CheckResult[]): number {
  return checks.filter((c) => (c.undefinedFeatures?.length ?? 0) > 0).length;
}

/** "12 checks ran on undefined features; see features.json", or "" when none did. */
export function undefinedFeaturesNote(checks: readonly CheckResult[], where = "features.json"): string {
  const n = undefinedFeatureChecks(checks);
  return n === 0 ? "" : `${n === 1 ? "1 check" : `${n} checks`} ran on undefined features; see ${where}`;
}
