/**
 * The I/O assignment service (axisio): the door controller's I/Os (ways of using its physical
 * pins), the I/O needs of the doors and IdPoints, and which I/O serves which need. Behaviour
 * follows io-assignment-service.md, with the connector and usage names of peripherals.md and
 * system-integration-examples.md. A factory-new device has no assignments: the page documents
 * none, and AXIS Entry Manager creates them in its hardware configuration.
 */
import type { DeviceService } from "../service.js";
import { IO_ASSIGNMENT_ENTITIES } from "./declarations.js";
import { ioAssignmentOperations } from "./operations.js";
import { IO_ASSIGNMENT_QUIRKS } from "./quirks.js";
import { reconcile } from "./assignment.js";
import { attachIoAssignment } from "./attach.js";

export const ioAssignmentService: DeviceService = {
  name: "IoAssignment",
  prefixes: ["axisio"],
  entities: IO_ASSIGNMENT_ENTITIES,
  quirks: IO_ASSIGNMENT_QUIRKS,
  operations: ioAssignmentOperations,
  attach: attachIoAssignment,
  resync: (state) => reconcile(state),
};
