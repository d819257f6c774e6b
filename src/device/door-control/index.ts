/**
 * The DoorControl service (tdc + axtdc): doors and their hardware configuration, priority and
 * schedule configurations, the door state machine with its commands, and the physical doors.
 * Behaviour follows door-control-service.md (guide + API reference) and intro.md.
 */
import { reconcileDoors } from "./reconcile.js";
import type { DeviceService } from "../service.js";
import { DOOR_CONTROL_ENTITIES } from "./declarations.js";
import { installDefaults, populate } from "./defaults.js";
import { forgetDoorStatus } from "./device-status.js";
import { describeDoor, doorRuntimes } from "./door-state.js";
import { doorControlOperations } from "./operations.js";
import { attachDoorWorld } from "./physical.js";
import { DOOR_CONTROL_QUIRKS } from "./quirks.js";
import { reevaluateSchedules } from "./schedules.js";
import { DOOR_CONTROL_TOPICS } from "./topics.js";

export const doorControlService: DeviceService = {
  name: "DoorControl",
  prefixes: ["tdc", "axtdc"],
  entities: DOOR_CONTROL_ENTITIES,
  quirks: DOOR_CONTROL_QUIRKS,
  operations: doorControlOperations,
  attach(state) {
    state.topics.register(...DOOR_CONTROL_TOPICS);
    attachDoorWorld(state);
    // The Schedule service announces every schedule change under this topic: door schedules look again.
    state.subscribe((event) => {
      if (event.topic.startsWith("tns1:Configuration/Schedule")) reevaluateSchedules(state);
      if (event.topic === "tns1:Configuration/Door/Removed") forgetDoorStatus(state, event.source["DoorToken"] ?? "");
    });
  },
  installDefaults,
  populate,
  resync: (state) => reconcileDoors(state),
  snapshot(state) {
    return Object.fromEntries([...doorRuntimes(state).values()].map((rt) => [rt.token, describeDoor(rt)]));
  },
};
