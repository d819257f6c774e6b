/** The IdPoint service (placeholder: no operations yet; the service's folder holds its parts). */
import type { DeviceService } from "../service.js";

export const idpointService: DeviceService = {
  name: "IdPoint",
  prefixes: ["axtid"],
  entities: [],
  quirks: [],
  operations: () => [],
};
