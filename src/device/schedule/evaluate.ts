/**
 * CONTRACT used by other services (door schedules, the access decision): whether a schedule is
 * active at an instant, and when that next changes. The Schedule service implements it from the
 * stored iCalendar definitions and exceptions.
 *
 * (Placeholder until the Schedule service lands: only the standard schedules are known.)
 */
import type { DeviceState } from "../state.js";

/** True/false when schedule `token` is (in)active at `at` (ms since the epoch); undefined when there is no such schedule. */
export function isScheduleActive(_state: DeviceState, token: string, _at: number): boolean | undefined {
  if (token === "standard_always") return true;
  if (token === "standard_never") return false;
  return undefined;
}

/** The first instant after `after` at which the schedule's active state changes; undefined when it never does or is unknown. */
export function nextScheduleChange(_state: DeviceState, _token: string, _after: number): number | undefined {
  return undefined;
}
