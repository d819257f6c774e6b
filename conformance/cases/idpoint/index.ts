/** The IdPoint checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const idpointEntities: readonly EntityDeclaration[] = [];

export const idpointChecks: readonly CheckDefinition[] = [];
