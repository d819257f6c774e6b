/**
 * The Schedule service's state events (event-logger-service.md "Notification topics"; the
 * MessageDescriptions of schedule-service.md, API reference "Schedule events"). Configuration
 * Changed/Removed of schedules are registered with the Schedule entity type.
 */
import type { DeviceState } from "../state.js";
import type { ItemDecl, TopicDecl } from "../topics.js";
import { scheduleStatus } from "./status.js";

export const INTERVAL_TOPIC = "tns1:Schedule/tnsaxis:Interval";
export const PULSE_TOPIC = "tns1:Schedule/tnsaxis:Pulse";

const SCHEDULE_SOURCE: readonly ItemDecl[] = [{ name: "ScheduleToken", type: "pt:ReferenceToken" }];

export const SCHEDULE_TOPICS: readonly TopicDecl[] = [
  {
    topic: INTERVAL_TOPIC,
    doc: "A schedule turned active or inactive, or an exception began or ended; a removed active schedule ends inactive without exception.",
    property: true,
    source: SCHEDULE_SOURCE,
    // Exception true means an exception rule holds, and then Active is false (API reference).
    data: [
      { name: "Active", type: "xs:boolean" },
      { name: "Exception", type: "xs:boolean" },
    ],
    current: (state: DeviceState) => {
      const now = state.clock.now();
      return state
        .store("Schedule")
        .tokens()
        .flatMap((token) => {
          const status = scheduleStatus(state, token, now);
          return status === undefined ? [] : [{ source: { ScheduleToken: token }, data: { Active: status.Active, Exception: status.Exception } }];
        });
    },
  },
  {
    topic: PULSE_TOPIC,
    doc: "A pulse schedule (one without DTEND) reached one of its start times outside any exception.",
    property: false,
    source: SCHEDULE_SOURCE,
    data: [],
  },
];
