/** The IoAssignment checks (placeholder: none yet). */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";

export const ioAssignmentEntities: readonly EntityDeclaration[] = [];

export const ioAssignmentChecks: readonly CheckDefinition[] = [];
