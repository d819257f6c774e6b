/** Quirks of the event logger's own rules (event-logger-service.md); names fixed by the issue 7 contract. */
import type { QuirkInfo } from "../quirks.js";

export const EVENT_LOGGER_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "eventlog-rowid-repeats",
    rule: "FetchEvents/FetchAlarms with RowID continue after that row (rows > RowID ascending, < RowID descending)",
    behaviour: "the row with that RowID is returned again (>= / <= instead of > / <)",
  },
  {
    name: "eventlog-limit-ignored",
    rule: "FetchEvents/FetchAlarms return at most Limit events",
    behaviour: "Limit is ignored: up to 1000 events are returned",
  },
  {
    name: "eventlog-more-wrong",
    rule: "More is true when more events match than were returned",
    behaviour: "More is always false",
  },
  {
    name: "eventlog-descending-ignored",
    rule: "Descending=true returns the newest events first",
    behaviour: "Descending is ignored (always ascending)",
  },
  {
    name: "eventlog-stop-ignored",
    rule: "Stop bounds the time window of FetchEvents/FetchAlarms",
    behaviour: "Stop is ignored (no upper bound)",
  },
  {
    name: "eventlog-filters-or",
    rule: "the key-value pairs of Filters are combined with AND",
    behaviour: "they are combined with OR",
  },
  {
    name: "eventlog-filtersets-first-only",
    rule: "FetchEvents2/FetchAlarms2 combine FilterSets with OR",
    behaviour: "only the first FilterSet is applied",
  },
  {
    name: "eventlog-ignore-filter-unapplied",
    rule: "events matching an ignore filter are not logged",
    behaviour: "ignore filters are stored but events are still logged",
  },
  {
    name: "eventlog-alarm-filter-unapplied",
    rule: "events matching an alarm filter become alarms (alarm log, tnsaxis:EventLogger/Alarm)",
    behaviour: "alarm filters are stored but never elevate an event",
  },
  {
    name: "eventlog-alarm-not-removed",
    rule: "RemoveLoggedAlarm removes the alarm from the alarm log",
    behaviour: "RemoveLoggedAlarm answers OK but the alarm stays",
  },
  {
    name: "eventlog-missing-source-keys",
    rule: "a logged event carries the Source items of the event as key-values (Tags onvif-source)",
    behaviour: "logged events carry the topic and Data key-values only",
  },
  {
    name: "eventlog-remove-unknown-ok",
    rule: "RemoveIgnoreFilter/RemoveAlarmFilter/RemoveLoggedAlarm with an unknown token give env:Sender/ter:InvalidArgVal/ter:NotFound",
    behaviour: "they answer OK (the known tokens are removed)",
  },
  {
    name: "eventlog-filter-not-listed",
    rule: "a filter set with SetIgnoreFilter/SetAlarmFilter is listed by GetIgnoreFilterList/GetAlarmFilterList",
    behaviour: "the most recently created filter of each kind is left out of its list (it still applies)",
  },
  {
    name: "eventlog-distribution-not-toggled",
    rule: "Enable/DisableGlobalDistribution change what GetEventDistributionConfig reports",
    behaviour: "they answer OK and change nothing",
  },
];
