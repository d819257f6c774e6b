/**
 * The door controller itself, as far as its events go: casing, input ports, virtual inputs, the
 * manual trigger, the network link and system readiness (event-logger-service.md "Notification
 * topics", "Other"). No operations or entities: the simulated world moves these signals through
 * back-door stimuli (signals.ts), and the topics are declared in topics.ts.
 */
import type { DeviceService } from "../service.js";
import { SYSTEM_STIMULI, describeSignals } from "./signals.js";
import { SYSTEM_TOPICS } from "./topics.js";

export const systemService: DeviceService = {
  name: "System",
  prefixes: [],
  entities: [],
  quirks: [],
  operations: () => [],
  attach(state) {
    state.topics.register(...SYSTEM_TOPICS);
    for (const kind of SYSTEM_STIMULI) state.world.register(kind);
    state.world.registerView("System", describeSignals);
  },
};
