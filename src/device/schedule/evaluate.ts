/**
 * CONTRACT used by other services (door schedules, the access decision): whether a schedule is
 * active at an instant, and when that next changes. The Schedule service implements it from the
 * stored iCalendar definitions and exceptions, evaluated in the device time zone (status.ts).
 * This module holds the contract only, so a test may stand in for it as a whole.
 */
import type { DeviceState } from "../state.js";
import { nextStatusChange, scheduleStatus } from "./status.js";

/** True/false when schedule `token` is (in)active at `at` (ms since the epoch); undefined when there is no such schedule. */
export function isScheduleActive(state: DeviceState, token: string, at: number): boolean | undefined {
  return scheduleStatus(state, token, at)?.Active;
}

/** True when an exception of schedule `token` holds at `at` (the schedule is then inactive); undefined when there is no such schedule. */
export function isScheduleInException(state: DeviceState, token: string, at: number): boolean | undefined {
  return scheduleStatus(state, token, at)?.Exception;
}

/** The first instant after `after` at which the schedule's active state changes; undefined when it never does or is unknown. */
export function nextScheduleChange(state: DeviceState, token: string, after: number): number | undefined {
  return nextStatusChange(state, token, after, "active");
}
