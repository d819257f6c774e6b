/** The event logger's own topics (event-logger-service.md "Notification topics", Event logger service). */
import type { TopicDecl } from "../topics.js";

export const ALARM_TOPIC = "tnsaxis:EventLogger/Alarm";
export const DROPPED_ALARMS_TOPIC = "tnsaxis:EventLogger/DroppedAlarms";
export const DROPPED_EVENTS_TOPIC = "tnsaxis:EventLogger/DroppedEvents";

/**
 * The page names the topics but not their items. Our choice: an Alarm names the alarm (its token,
 * also the logged event's token, which RemoveLoggedAlarm takes), the elevated event's topic as
 * published and the alarm filter that matched; the Dropped topics carry their count as the page
 * says ("DroppedEvents contains the number of events that are dropped").
 */
export const EVENT_LOGGER_TOPICS: readonly TopicDecl[] = [
  {
    topic: ALARM_TOPIC,
    doc: "Emitted when an event matches an alarm filter (axloc:SetAlarmFilter) and is stored as an alarm.",
    property: false,
    source: [{ name: "AlarmToken", type: "pt:ReferenceToken" }],
    data: [
      { name: "Topic", type: "xs:string" },
      { name: "FilterToken", type: "xs:string" },
    ],
  },
  {
    topic: DROPPED_ALARMS_TOPIC,
    doc: "Emitted if alarms are dropped because the event logger cannot keep up; DroppedAlarms is the number dropped.",
    property: false,
    source: [],
    data: [{ name: "DroppedAlarms", type: "xs:int" }],
  },
  {
    topic: DROPPED_EVENTS_TOPIC,
    doc: "Emitted if events are dropped because the event logger cannot keep up; DroppedEvents is the number dropped.",
    property: false,
    source: [],
    data: [{ name: "DroppedEvents", type: "xs:int" }],
  },
];
