/** The User service (placeholder: no operations yet; the service's folder holds its parts). */
import type { DeviceService } from "../service.js";

export const userService: DeviceService = {
  name: "User",
  prefixes: ["axudb"],
  entities: [],
  quirks: [],
  operations: () => [],
};
