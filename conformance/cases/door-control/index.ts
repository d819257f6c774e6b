/** The DoorControl checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const doorControlEntities: readonly EntityDeclaration[] = [];

export const doorControlChecks: readonly CheckDefinition[] = [];
