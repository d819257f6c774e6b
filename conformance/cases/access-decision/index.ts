/** The AccessDecision checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const accessDecisionEntities: readonly EntityDeclaration[] = [];

export const accessDecisionChecks: readonly CheckDefinition[] = [];
