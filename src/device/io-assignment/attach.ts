/**
 * Wiring the service into the device: assignments follow the doors' and IdPoints' configuration
 * events (assignment.ts reconcile), and the physical world's view (GET /backdoor) shows which
 * pins each assigned I/O drives or reads, in which mode, for whom. Assignments change only
 * through SetIoAssignment, so there are no stimuli.
 */
import type { DeviceState } from "../state.js";
import { currentAssignments, reconcile } from "./assignment.js";
import { ioByName } from "./hardware.js";

/** Door and IdPoint configuration topics (tns1:Configuration/Door/Removed, …/tnsaxis:IdPoint/Changed, …). */
const USER_CONFIGURATION = /^tns1:Configuration\/(tnsaxis:)?(Door|IdPoint)/;

export function attachIoAssignment(state: DeviceState): void {
  state.subscribe((event) => {
    if (USER_CONFIGURATION.test(event.topic)) reconcile(state);
  });
  state.world.registerView("IoAssignments", (s) =>
    currentAssignments(s).map((a) => ({
      IoName: a.IoName,
      IoMode: a.IoMode,
      Pins: ioByName(a.IoName)?.PinInfo.map((p) => p.Name) ?? [],
      IoUsers: a.IoUser.map((u) => `${u.Type}:${u.token}:${u.Usage}`),
    })),
  );
}
