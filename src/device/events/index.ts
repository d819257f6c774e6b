/**
 * The event service (tev): ONVIF's real-time pull-point interface over the device's published
 * events. Clients create filtered pull points, pull notification messages (property topics with
 * Initialized/Changed), renew and unsubscribe; GetEventProperties advertises the topics the
 * services register (topics.ts). Behaviour follows ONVIF Core "Event handling" and the event
 * handling test specification (EVENT-3-1-x), with Axis's pull-point addresses and SubscriptionId
 * reference parameter.
 */
import type { DeviceService } from "../service.js";
import type { DeviceState } from "../state.js";
import { eventOperations } from "./operations.js";
import { EVENT_QUIRKS } from "./quirks.js";
import { deliver, liveSubscriptions } from "./subscriptions.js";

export { MAX_PULL_POINTS } from "./subscriptions.js";

function attachEvents(state: DeviceState): void {
  state.subscribe((event) => deliver(state, event), { peers: true });
  state.world.registerView("EventSubscriptions", (s) =>
    liveSubscriptions(s).map((sub) => ({ Id: sub.id, TerminationTime: new Date(sub.terminationTime).toISOString(), Queued: sub.queue.length, Waiting: sub.waiter !== undefined })),
  );
}

export const eventService: DeviceService = {
  name: "Event",
  prefixes: ["tev"],
  entities: [],
  quirks: EVENT_QUIRKS,
  operations: eventOperations,
  attach: attachEvents,
};
