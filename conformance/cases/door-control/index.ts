/** The DoorControl service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration } from "../../harness/entity.js";
import { declaredChecks } from "../generic/declared.js";
import { commandChecks } from "./commands.js";
import { doorControlEntityList } from "./entities.js";
import { infoChecks } from "./info.js";
import { priorityChecks } from "./priority.js";
import { scheduleBoundaryCheck } from "./schedule-boundary.js";
import { timingChecks } from "./timing.js";

export const doorControlEntities: readonly EntityDeclaration[] = doorControlEntityList;

export const doorControlChecks: readonly CheckDefinition[] = [
  ...declaredChecks(doorControlEntities),
  ...commandChecks(),
  ...timingChecks(),
  ...infoChecks(),
  ...priorityChecks(),
  scheduleBoundaryCheck,
];
