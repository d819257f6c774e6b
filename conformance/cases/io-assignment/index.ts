/**
 * The I/O assignment checks. No entity declaration: the I/O lists are not paged and have no
 * Get/Set/Remove by token, so none of the generic checks (nor the data snapshot) apply; the
 * checks that change assignments restore them themselves.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import { ioAssignmentChecks } from "./checks.js";

export const ioAssignmentEntities: readonly EntityDeclaration[] = [];

export { ioAssignmentChecks };
