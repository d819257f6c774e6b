/** The User checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const userEntities: readonly EntityDeclaration[] = [];

export const userChecks: readonly CheckDefinition[] = [];
