/**
 * The two time rules of the access decision: validity windows (guide "Allow access within a
 * specified time frame") and schedule lists (guide "Specify time-dependent access behavior").
 */
import { isScheduleActive, isScheduleInException } from "../schedule/evaluate.js";
import type { DeviceState } from "../state.js";

export type Validity = "active" | "notActive" | "expired";

/**
 * Where `now` lies in a ValidFrom/ValidTo window. Guide: "The date fields are optional, and can
 * be left empty, in which case there are no restrictions on start or end time."
 */
export function validityAt(now: number, from: unknown, to: unknown): Validity {
  if (typeof from === "string" && from !== "" && Date.parse(from) > now) return "notActive";
  if (typeof to === "string" && to !== "" && Date.parse(to) < now) return "expired";
  return "active";
}

/**
 * Whether a list of schedules (AccessProfile.Schedule, AccessPolicy.Schedule,
 * AuthenticationProfile.Schedule) is active at `at`. Guide: "If no exception is active, at least
 * one regular schedule must be active for the list to be evaluated as active" — so an empty list
 * is never active (system-integration-examples.md: an AccessProfile "must contain at least one
 * Schedule"), and neither is a token the Schedule service does not know. An exception of one
 * schedule makes that schedule inactive and, by the guide's rule, the whole list inactive
 * (schedule-service.md "Exception schedules": a holiday schedule in an access profile closes it).
 */
export function schedulesActive(state: DeviceState, tokens: readonly string[], at: number): boolean {
  if (state.quirks.has("decision-schedule-ignored")) return true;
  if (tokens.some((t) => isScheduleInException(state, t, at) === true)) return false;
  return tokens.some((t) => isScheduleActive(state, t, at) === true);
}
