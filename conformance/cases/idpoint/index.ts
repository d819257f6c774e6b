/** The IdPoint service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration } from "../../harness/entity.js";
import { declaredChecks } from "../generic/declared.js";
import { idpointEntityList } from "./entities.js";
import { idpointSpecificChecks } from "./specific.js";

export const idpointEntities: readonly EntityDeclaration[] = idpointEntityList;

export const idpointChecks: readonly CheckDefinition[] = [...declaredChecks(idpointEntities), ...idpointSpecificChecks()];
