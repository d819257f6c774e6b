/**
 * The Schedule service (axsch): iCalendar schedules and exceptions, their state now or at a given
 * time, and the state events at their boundaries. Behaviour follows schedule-service.md (guide +
 * API reference), the Entry Manager notes in system-integration-examples.md, and intro.md.
 */
import type { DeviceService } from "../service.js";
import { SCHEDULE_ENTITIES } from "./declarations.js";
import { installDefaults, populate } from "./defaults.js";
import { attachMonitor, watchStoredSchedules } from "./monitor.js";
import { scheduleOperations } from "./operations.js";
import { SCHEDULE_QUIRKS } from "./quirks.js";
import { deviceZone } from "./timezone.js";
import { SCHEDULE_TOPICS } from "./topics.js";

export const scheduleService: DeviceService = {
  name: "Schedule",
  prefixes: ["axsch"],
  entities: SCHEDULE_ENTITIES,
  quirks: SCHEDULE_QUIRKS,
  operations: scheduleOperations,
  attach(state) {
    state.topics.register(...SCHEDULE_TOPICS);
    attachMonitor(state);
  },
  installDefaults,
  populate,
  resync: watchStoredSchedules,
  snapshot: (state) => ({ TimeZone: deviceZone(state) }),
};
