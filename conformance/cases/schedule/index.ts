/** The Schedule checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const scheduleEntities: readonly EntityDeclaration[] = [];

export const scheduleChecks: readonly CheckDefinition[] = [];
