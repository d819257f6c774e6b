/** The DoorControl service (placeholder: no operations yet; the service's folder holds its parts). */
import type { DeviceService } from "../service.js";

export const doorControlService: DeviceService = {
  name: "DoorControl",
  prefixes: ["tdc", "axtdc"],
  entities: [],
  quirks: [],
  operations: () => [],
};
