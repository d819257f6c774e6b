/**
 * The User service (axudb): persistent storage of users (credential holders) and their
 * attributes, linked to AccessControl credentials through Credential.UserToken. The door
 * controller itself never uses users. Behaviour follows user-service.md and intro.md.
 */
import type { DeviceService } from "../service.js";
import { USER_ENTITIES } from "./declarations.js";
import { populate } from "./defaults.js";
import { userOperations } from "./operations.js";
import { USER_QUIRKS } from "./quirks.js";

export const userService: DeviceService = {
  name: "User",
  prefixes: ["axudb"],
  entities: USER_ENTITIES,
  quirks: USER_QUIRKS,
  operations: userOperations,
  populate,
};
