/** Schedule factory defaults (the standard schedules the guide names) and deterministic test data. */
import type { Item } from "../entity.js";
import { installItems } from "../generic-ops.js";
import type { PopulateOptions } from "../service.js";
import type { DeviceState } from "../state.js";
import { ScheduleDecl } from "./declarations.js";

/** A VCALENDAR (LF line ends, as the guide's SetSchedule example) of the given VEVENT bodies. */
export function calendar(...events: readonly (readonly string[])[]): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pacs-conformance//reference door controller//EN"];
  for (const body of events) lines.push("BEGIN:VEVENT", ...body, "END:VEVENT");
  lines.push("END:VCALENDAR");
  return `${lines.join("\n")}\n`;
}

function schedule(token: string, Name: string, ScheduleDefinition: string, Description = ""): Item {
  return { token, Name, Description, ScheduleDefinition, Attribute: [], ExceptionScheduleDefinition: "" };
}

/**
 * The standard schedules of the guide's ScheduleStatusReport example. They are ordinary items:
 * "There are default schedules in the system, which can be removed if desired" (and the Entry
 * Manager notes say standard_always "can later be modified using the API").
 */
function standardSchedules(): Item[] {
  return [
    schedule("standard_always", "Always", calendar(["UID:standard_always", "DTSTAMP:19700101T000000Z", "SUMMARY:Always", "DTSTART;VALUE=DATE:19700101", "RRULE:FREQ=DAILY"])),
    // The guide's "Office hours" and "Weekends (starting with Friday evening)" examples.
    schedule(
      "standard_office_hours",
      "Office hours",
      calendar(["UID:standard_office_hours", "DTSTAMP:19700101T000000Z", "SUMMARY:Office Hours", "DTSTART:19700101T090000", "DTEND:19700101T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
    ),
    schedule(
      "standard_weekends",
      "Weekends",
      calendar(
        ["UID:standard_weekends-1", "DTSTAMP:19700101T000000Z", "SUMMARY:Weekend", "DTSTART:19700104T000000", "DTEND:19700105T000000", "RRULE:FREQ=WEEKLY;BYDAY=SA,SU"],
        ["UID:standard_weekends-2", "DTSTAMP:19700101T000000Z", "SUMMARY:Friday evening", "DTSTART:19700102T170000", "DTEND:19700103T000000", "RRULE:FREQ=WEEKLY;BYDAY=FR"],
      ),
    ),
  ];
}

export function installDefaults(state: DeviceState): void {
  installItems(ScheduleDecl, standardSchedules(), state);
}

/** Deterministic extra schedules (same tokens and content on every start): weekday shifts of eight hours. */
export function populate(state: DeviceState, counts: PopulateOptions): void {
  const n = Math.max(0, Math.floor(counts.schedules ?? 0));
  const pad = (i: number, w: number): string => String(i).padStart(w, "0");
  const items = Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    const from = 6 + (i % 8);
    const body = [`UID:schedule-${pad(i, 4)}`, "DTSTAMP:20000101T000000Z", `DTSTART:20000103T${pad(from, 2)}0000`, `DTEND:20000103T${pad(from + 8, 2)}0000`, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"];
    return schedule(`schedule-${pad(i, 4)}`, `Schedule ${i}`, calendar(body), `Populated schedule ${i}`);
  });
  installItems(ScheduleDecl, items, state);
}
