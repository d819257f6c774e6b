/** The Schedule entity: store, generic operations (Get/List/Info/Set/Remove), validation and events. */
import type { EntityDecl } from "../entity.js";
import { setFault } from "../generic-ops.js";
import { readDefinition } from "./status.js";
import { ICalendarError } from "./icalendar.js";
import { ScheduleShape } from "./shapes.js";

/** DoorControl re-evaluates door schedules on every topic that starts with this. */
export const SCHEDULE_TOPIC = "tns1:Configuration/Schedule";

const DEFINITIONS = ["ScheduleDefinition", "ExceptionScheduleDefinition"] as const;

export const ScheduleDecl: EntityDecl = {
  name: "Schedule",
  what: "Schedule",
  tokenField: "token",
  shape: ScheduleShape,
  info: { name: "ScheduleInfo", fields: ["token", "Name", "Description"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "get", form: "full", op: "axsch:GetSchedule" },
    { kind: "list", form: "full", op: "axsch:GetScheduleList" },
    { kind: "set", op: "axsch:SetSchedule" },
    { kind: "remove", op: "axsch:RemoveSchedule" },
    { kind: "get", form: "info", op: "axsch:GetScheduleInfo" },
    { kind: "list", form: "info", op: "axsch:GetScheduleInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // SetSchedule's fault table: env:Sender/ter:InvalidArgVal/ter:InvalidScheduleFault.
  setFault: ["ter:InvalidArgVal", "ter:InvalidScheduleFault"],
  check(item, state) {
    for (const field of DEFINITIONS) {
      const text = item[field];
      if (typeof text !== "string") continue;
      try {
        readDefinition(state, text);
      } catch (err) {
        if (!(err instanceof ICalendarError)) throw err;
        if (err.kind === "invalid" && state.quirks.has("schedule-invalid-accepted")) continue;
        const hint = err.kind === "unsupported" ? "see schedule-service.md, The RFC5545 syntax flavor" : "correct it and send the schedule again";
        throw setFault(ScheduleDecl, `Schedule "${String(item["token"])}" ${field} ${err.message}; ${hint}`);
      }
    }
  },
  topic: SCHEDULE_TOPIC,
};

export const SCHEDULE_ENTITIES: readonly EntityDecl[] = [ScheduleDecl];
