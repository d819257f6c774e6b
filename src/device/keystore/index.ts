/**
 * The Keystore service (axkey): a store of encryption keys (for example the base key of an OSDP
 * secure channel that an IdPoint configuration names) with their name, description and
 * modification time. Behaviour follows keystore-service.md and intro.md; a factory-new device
 * stores no keys (the page documents none).
 */
import type { DeviceService } from "../service.js";
import { KEYSTORE_ENTITIES } from "./declarations.js";
import { keystoreOperations } from "./operations.js";
import { KEYSTORE_QUIRKS } from "./quirks.js";

export const keystoreService: DeviceService = {
  name: "Keystore",
  prefixes: ["axkey"],
  entities: KEYSTORE_ENTITIES,
  quirks: KEYSTORE_QUIRKS,
  operations: keystoreOperations,
};
