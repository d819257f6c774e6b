/**
 * The Event logger service (axlog) and its configuration (axloc): every published event is
 * logged (event log of 30,000, oldest out) unless an ignore filter drops it; alarm filters elevate
 * events to alarms (alarm log of 200, tnsaxis:EventLogger/Alarm). Behaviour follows
 * event-logger-service.md.
 */
import { topicServed } from "../profile.js";
import { savedObject, type DeviceService } from "../service.js";
import type { DeviceState } from "../state.js";
import { StimulusError } from "../world.js";
import { eventLogger } from "./logger.js";
import { eventLoggerOperations } from "./operations.js";
import { EVENT_LOGGER_QUIRKS } from "./quirks.js";
import { DROPPED_ALARMS_TOPIC, DROPPED_EVENTS_TOPIC, EVENT_LOGGER_TOPICS } from "./topics.js";

export { ALARM_TOPIC, DROPPED_ALARMS_TOPIC, DROPPED_EVENTS_TOPIC } from "./topics.js";
export { eventLogger, EVENT_LOG_CAPACITY, ALARM_LOG_CAPACITY } from "./logger.js";

function countArg(args: Readonly<Record<string, unknown>>, name: string): number {
  const v = args[name];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new StimulusError(`"${name}" must be a whole number ≥ 0`);
  return v;
}

function attach(state: DeviceState): void {
  const logger = eventLogger(state);
  state.topics.register(...EVENT_LOGGER_TOPICS);
  // With global distribution, the events the network's other controllers emit are logged here too.
  // Not the events of a service the device does not serve (--services): it never advertises them.
  state.subscribe(
    (event) => {
      if (topicServed(state, event.topic)) logger.record(event);
    },
    { peers: true },
  );
  state.world.register({
    name: "EventLoggerOverload",
    doc: "The event logger is overwhelmed and reports how many events and alarms it dropped (tnsaxis:EventLogger/DroppedEvents, DroppedAlarms; a count of 0 is not reported).",
    args: { Events: "number of dropped events", Alarms: "number of dropped alarms" },
    apply(args, s) {
      const events = countArg(args, "Events");
      const alarms = countArg(args, "Alarms");
      if (events > 0) s.publish({ topic: DROPPED_EVENTS_TOPIC, source: {}, data: { DroppedEvents: events } });
      if (alarms > 0) s.publish({ topic: DROPPED_ALARMS_TOPIC, source: {}, data: { DroppedAlarms: alarms } });
      return { DroppedEvents: events, DroppedAlarms: alarms };
    },
  });
  state.world.registerView("EventLogger", () => ({
    Events: logger.events.size,
    FirstRowID: logger.events.firstRowid,
    LastRowID: logger.events.lastRowid,
    Alarms: logger.alarms.size,
    IgnoreFilters: logger.ignoreFilters.size,
    AlarmFilters: logger.alarmFilters.size,
    GlobalDistributionEnabled: logger.globalDistribution,
  }));
}

export const eventLoggerService: DeviceService = {
  name: "EventLogger",
  prefixes: ["axlog", "axloc"],
  entities: [],
  quirks: EVENT_LOGGER_QUIRKS,
  operations: eventLoggerOperations,
  attach,
  snapshot: (state) => eventLogger(state).snapshot(),
  logs: (state) => eventLogger(state).keptLogs(),
  settings: {
    save: (state) => eventLogger(state).settings(),
    restore: (state, saved) => eventLogger(state).restoreSettings(savedObject(saved, "the event logger's settings")),
  },
};
