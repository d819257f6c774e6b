/** The Schedule service (placeholder: no operations yet; the service's folder holds its parts). */
import type { DeviceService } from "../service.js";

export const scheduleService: DeviceService = {
  name: "Schedule",
  prefixes: ["axsch"],
  entities: [],
  quirks: [],
  operations: () => [],
};
