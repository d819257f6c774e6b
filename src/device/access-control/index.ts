/**
 * The AccessControl service (tac + pacsaxis): access points, areas, access controllers,
 * credentials, access and authentication profiles, anti-passback, and the access decision.
 * Behaviour follows access-control-service.md (guide + API reference) and intro.md.
 */
import type { DeviceService } from "../service.js";
import { ACCESS_CONTROL_ENTITIES } from "./declarations.js";
import { installDefaults, populate } from "./defaults.js";
import { accessControlOperations } from "./operations.js";
import { attachOutcomes } from "./outcome.js";
import { ACCESS_CONTROL_QUIRKS } from "./quirks.js";
import { ACCESS_CONTROL_TOPICS } from "./topics.js";

export const accessControlService: DeviceService = {
  name: "AccessControl",
  prefixes: ["tac", "pacsaxis"],
  entities: ACCESS_CONTROL_ENTITIES,
  quirks: ACCESS_CONTROL_QUIRKS,
  operations: accessControlOperations,
  attach(state) {
    state.topics.register(...ACCESS_CONTROL_TOPICS);
    attachOutcomes(state);
  },
  installDefaults,
  populate,
};
