/** The registry: every check and entity declaration the suite knows, in run order. */
import type { CheckDefinition } from "../harness/types.js";
import type { EntityDeclaration } from "../harness/entity.js";
import { dataPreservedCheck } from "../harness/runner.js";
import { accessControlChecks, accessControlEntities } from "./access-control/index.js";

export const allEntities: readonly EntityDeclaration[] = [...accessControlEntities];

/** Every check; `harness.data-preserved` last (the runner judges it after all others). */
export const allChecks: readonly CheckDefinition[] = [...accessControlChecks, dataPreservedCheck];
