/** The IdPoint service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import { declaredChecks } from "../generic/declared.js";
import { idpointEntities } from "./entities.js";
import { idpointSpecificChecks } from "./specific.js";

export const idpointChecks: readonly CheckDefinition[] = [...declaredChecks(idpointEntities), ...idpointSpecificChecks()];

export { idpointEntities };
