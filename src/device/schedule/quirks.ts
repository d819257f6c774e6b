/** Quirks of the Schedule service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const SCHEDULE_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "schedule-end-inclusive",
    rule: "an interval is active from DTSTART up to, not including, DTEND",
    behaviour: "the DTEND instant itself still counts as active",
  },
  {
    name: "schedule-recurrence-ignored",
    rule: "RRULE and RDATE recurrences are expanded: the schedule is active during every occurrence",
    behaviour: "only the first occurrence (DTSTART to DTEND) counts",
  },
  {
    name: "schedule-exception-ignored",
    rule: "ExceptionScheduleDefinition is subtracted: while it is active the schedule is inactive (Active=false, Exception=true)",
    behaviour: "exceptions are ignored: Exception is always false",
  },
  {
    name: "schedule-aggregate-any-active",
    rule: "ScheduleActive over several schedules is active if any is active and none has an active exception",
    behaviour: "each schedule is combined with its own exception only, so another schedule's exception does not stop an active one",
  },
  {
    name: "schedule-local-time-ignored",
    rule: "ScheduleActive judges local-time schedules by the LocalTime given, daylight saving included",
    behaviour: "when UtcTime is given, local time is derived from it with the device zone's standard offset (no daylight saving) and LocalTime is ignored",
  },
  {
    name: "schedule-date-not-all-day",
    rule: "a DTSTART;VALUE=DATE without DTEND is a 24 h interval",
    behaviour: "it is read as a pulse: never active",
  },
  {
    name: "schedule-unsupported-accepted",
    rule: "iCalendar outside the documented subset (UTC times, TZID/VTIMEZONE, VALARM, unsupported RRULE parts) gives env:Sender/ter:InvalidArgVal/ter:InvalidScheduleFault",
    behaviour: "SetSchedule stores it and ignores what it does not support",
  },
  {
    name: "schedule-invalid-accepted",
    rule: "a ScheduleDefinition that is not valid iCalendar gives env:Sender/ter:InvalidArgVal/ter:InvalidScheduleFault and nothing is stored",
    behaviour: "SetSchedule stores it; the schedule is never active",
  },
  {
    name: "schedule-status-report-constant",
    rule: "ScheduleStatusReport reports each schedule's current Active and Exception state",
    behaviour: "every schedule is reported Active=true, Exception=false",
  },
];
