/** Schedule operations that are not generic set/get/list/remove: capabilities, ScheduleActive, ScheduleStatusReport. */
import type { Item } from "../entity.js";
import { invalidArgs, tooManyItems } from "../faults.js";
import { entityOperations, tokenFound } from "../generic-ops.js";
import type { OperationDef } from "../operation.js";
import { TOKEN, dateTimeOrEmpty, list, list1, obj, opt } from "../shape.js";
import type { DeviceState } from "../state.js";
import { SCHEDULE_ENTITIES } from "./declarations.js";
import { scheduleParts, scheduleStatus, type Moment } from "./status.js";
import { deviceZone, standardOffset } from "./timezone.js";

const ZONE_SUFFIX = /(Z|[+-]\d{2}:\d{2})$/;

function parsed(value: string, field: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidArgs(`ScheduleActive: ${field} "${value}" is outside the range this device can read; give a time such as 2026-01-05T09:00:00Z`);
  return t;
}

/**
 * The moment ScheduleActive checks (API reference, ScheduleActive command): LocalTime when given
 * (its date and time fields are the local wall-clock time; the guide's example writes it with a
 * Z), else UtcTime read in the device time zone, else the device clock.
 */
function momentOf(state: DeviceState, local: string | undefined, utc: string | undefined): Moment {
  if (utc !== undefined && state.quirks.has("schedule-local-time-ignored")) {
    const at = parsed(ZONE_SUFFIX.test(utc) ? utc : `${utc}Z`, "UtcTime");
    return { kind: "wall", wall: at + standardOffset(deviceZone(state), at) };
  }
  if (local !== undefined) return { kind: "wall", wall: parsed(`${local.replace(ZONE_SUFFIX, "")}Z`, "LocalTime") };
  if (utc !== undefined) return { kind: "instant", at: parsed(ZONE_SUFFIX.test(utc) ? utc : `${utc}Z`, "UtcTime") };
  return { kind: "instant", at: state.now() };
}

export function scheduleOperations(): OperationDef[] {
  const ops: OperationDef[] = SCHEDULE_ENTITIES.flatMap(entityOperations);

  ops.push({
    prefix: "axsch",
    name: "GetServiceCapabilities",
    input: obj("GetServiceCapabilities", []),
    handle: (_in, state) => ({
      Capabilities: { Component: ["VEVENT"], SetSchedule: true, GetSchedule: true, RemoveSchedule: true, ScheduleActive: true, EventSupport: true, MaxLimit: state.maxLimit },
    }),
  });

  ops.push({
    prefix: "axsch",
    name: "ScheduleActive",
    input: obj("ScheduleActive", [list1("Token", TOKEN), opt("LocalTime", dateTimeOrEmpty), opt("UtcTime", dateTimeOrEmpty)]),
    handle(input, state) {
      const q = state.quirks;
      const tokens = [...new Set(input["Token"] as string[])].filter((t) => tokenFound(state, "Schedule", t));
      const blank = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
      const moment = momentOf(state, blank(input["LocalTime"]), blank(input["UtcTime"]));
      const parts = tokens.map((t) => scheduleParts(state, t, moment)!);
      if (q.has("schedule-aggregate-any-active")) {
        return { Active: parts.some((p) => p.definition && !p.exception), Exception: parts.some((p) => p.exception) };
      }
      // Guide, "Checking schedule status": IF (any schedule is active) AND NOT (any exception schedule is active).
      const exception = parts.some((p) => p.exception);
      return { Active: !exception && parts.some((p) => p.definition), Exception: exception };
    },
  });

  ops.push({
    prefix: "axsch",
    name: "ScheduleStatusReport",
    input: obj("ScheduleStatusReport", [list("Token", TOKEN)]),
    handle(input, state) {
      const q = state.quirks;
      const store = state.store("Schedule");
      let tokens = [...new Set(input["Token"] as string[])];
      // The guide sends an empty request "to get a simultaneous report for all schedules" (wsdl/notes/schedule.md).
      if (tokens.length === 0) tokens = [...store.tokens()];
      else if (tokens.length > state.maxLimit && !q.has("no-too-many-items")) throw tooManyItems(tokens.length, state.maxLimit);
      const now = state.now();
      const status: Item[] = [];
      for (const t of tokens) {
        const s = scheduleStatus(state, t, now);
        if (s === undefined) continue;
        status.push(q.has("schedule-status-report-constant") ? { Token: t, Active: true, Exception: false } : { Token: t, ...s });
      }
      return { Status: status };
    },
  });
  return ops;
}
