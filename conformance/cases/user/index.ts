/** The User service's checks: generic ones from the entity declaration, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import { declaredChecks } from "../generic/declared.js";
import { userEntities } from "./entities.js";
import { userSpecificChecks } from "./specific.js";

export const userChecks: readonly CheckDefinition[] = [...declaredChecks(userEntities), ...userSpecificChecks()];

export { userEntities };
