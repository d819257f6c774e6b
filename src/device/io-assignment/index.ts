/** The IoAssignment service (placeholder: no operations yet; the service's folder holds its parts). */
import type { DeviceService } from "../service.js";

export const ioAssignmentService: DeviceService = {
  name: "IoAssignment",
  prefixes: ["axisio"],
  entities: [],
  quirks: [],
  operations: () => [],
};
