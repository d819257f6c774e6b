/**
 * Schedule entity declarations (schedule-service.md). Samples are iCalendar in the page's
 * flavour (local time, LF line ends so SOAP reads them back byte for byte), with the fields
 * RFC 5545 requires (VERSION, PRODID, UID, DTSTAMP) written the way the Entry Manager does.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import { renamed } from "../../harness/entity.js";

export const DOC = "schedule-service.md";
export const SERVICE = "Schedule";

/** A VCALENDAR of VEVENT bodies; each VEVENT gets a UID made from `uid` and a DTSTAMP. */
export function vcalendar(uid: string, ...events: readonly (readonly string[])[]): string {
  const lines = ["BEGIN:VCALENDAR", "PRODID:-//pacs-conformance//suite//EN", "VERSION:2.0"];
  events.forEach((body, i) => lines.push("BEGIN:VEVENT", `UID:${uid}-${i}`, "DTSTAMP:20260105T000000", ...body, "END:VEVENT"));
  lines.push("END:VCALENDAR");
  return `${lines.join("\n")}\n`;
}

/** The guide's "Office hours" example: 09:00–17:00, Monday to Friday, since 1970. */
export const OFFICE_HOURS = ["SUMMARY:Office Hours", "DTSTART:19700101T090000", "DTEND:19700101T170000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"] as const;

export const schedule: EntityDeclaration = {
  key: "schedule",
  typeName: "Schedule",
  service: SERVICE,
  prefix: "axsch",
  docPage: DOC,
  full: {
    get: "axsch:GetSchedule",
    list: "axsch:GetScheduleList",
    itemField: "Schedule",
    onvif: {
      get: "SCHEDULE-3-1-1",
      "list-limit": "SCHEDULE-3-1-2",
      "list-start-reference": "SCHEDULE-3-1-3",
      "list-no-limit": "SCHEDULE-3-1-4",
      "create-empty-token": "SCHEDULE-3-1-5",
      delete: "SCHEDULE-3-1-7",
      "get-invalid-token": "SCHEDULE-3-1-8",
      "too-many-items": "SCHEDULE-3-1-9",
      "delete-invalid-token": "SCHEDULE-3-1-16",
      "create-client-token": "SCHEDULE-3-1-17",
      modify: "SCHEDULE-3-1-18",
    },
  },
  info: {
    get: "axsch:GetScheduleInfo",
    list: "axsch:GetScheduleInfoList",
    itemField: "ScheduleInfo",
    onvif: {
      get: "SCHEDULE-2-1-1",
      "list-limit": "SCHEDULE-2-1-2",
      "list-start-reference": "SCHEDULE-2-1-3",
      "list-no-limit": "SCHEDULE-2-1-4",
      "get-invalid-token": "SCHEDULE-2-1-5",
      "too-many-items": "SCHEDULE-2-1-6",
    },
  },
  set: "axsch:SetSchedule",
  setField: "Schedule",
  remove: "axsch:RemoveSchedule",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    ScheduleDefinition: vcalendar(a.label, OFFICE_HOURS),
    Attribute: [],
    ExceptionScheduleDefinition: "",
  }),
  modify: (item, label) => ({
    ...renamed(item, label),
    ScheduleDefinition: vcalendar(label, ["SUMMARY:Lunch", "DTSTART:20000103T110000", "DTEND:20000103T120000", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
  }),
};

export const scheduleEntities: readonly EntityDeclaration[] = [schedule];
