/**
 * The I/O assignment checks. No entity declaration: the I/O lists are not paged and have no
 * Get/Set/Remove by token, so none of the generic checks (nor the data snapshot) apply; the
 * checks that change assignments restore them themselves.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";
import { ioAssignmentCheckList } from "./checks.js";

export const ioAssignmentEntities: readonly EntityDeclaration[] = [];

export const ioAssignmentChecks: readonly CheckDefinition[] = ioAssignmentCheckList;
