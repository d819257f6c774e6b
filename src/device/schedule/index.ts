/**
 * The Schedule service (axsch): iCalendar schedules and exceptions, their state now or at a given
 * time, and the state events at their boundaries. Behaviour follows schedule-service.md (guide +
 * API reference), the Entry Manager notes in system-integration-examples.md, and intro.md.
 */
import { savedObject, type DeviceService } from "../service.js";
import { SCHEDULE_ENTITIES } from "./declarations.js";
import { installDefaults, populate } from "./defaults.js";
import { attachMonitor, watchStoredSchedules } from "./monitor.js";
import { scheduleOperations } from "./operations.js";
import { SCHEDULE_QUIRKS } from "./quirks.js";
import { deviceZone, setDeviceZone } from "./timezone.js";
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
  // The time zone is the device's configuration (tds:SetSystemDateAndTime on a real controller).
  settings: {
    save: (state) => ({ TimeZone: deviceZone(state) }),
    restore: (state, saved) => {
      const zone = savedObject(saved, "the schedule service's settings")["TimeZone"];
      if (typeof zone !== "string") throw new Error(`TimeZone is ${JSON.stringify(zone)}, not a time zone name`);
      if (zone !== deviceZone(state)) setDeviceZone(state, zone);
    },
  },
};
