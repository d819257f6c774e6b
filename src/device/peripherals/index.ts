/**
 * Peripherals (peripherals.md "Elevator access control"): the service discovery service (axissd,
 * /vapix/axissd) finds remote service providers such as AXIS A9188 I/O relay modules on the
 * controller's simulated network (network.ts, discovery.ts), and the remote I/O service (axrio,
 * /vapix/axrio) adds them to the door controller (remote-devices.ts) and announces their
 * connection status (topics.ts). Both are guide-only: one operation each, no API reference. The
 * back door's stimuli (stimuli.ts) move providers on and off the network and remove added devices.
 * A factory-new device has no remote devices added.
 */
import type { DeviceService } from "../service.js";
import { PERIPHERALS_ENTITIES } from "./declarations.js";
import { peripheralsOperations } from "./operations.js";
import { PERIPHERALS_QUIRKS } from "./quirks.js";
import { PERIPHERALS_STIMULI, describePeripherals } from "./stimuli.js";
import { PERIPHERALS_TOPICS } from "./topics.js";

export const peripheralsService: DeviceService = {
  name: "Peripherals",
  prefixes: ["axissd", "axrio"],
  entities: PERIPHERALS_ENTITIES,
  quirks: PERIPHERALS_QUIRKS,
  operations: peripheralsOperations,
  attach(state) {
    state.topics.register(...PERIPHERALS_TOPICS);
    for (const kind of PERIPHERALS_STIMULI) state.world.register(kind);
    state.world.registerView("Peripherals", describePeripherals);
  },
};
