/** The DoorControl service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import { declaredChecks } from "../generic/declared.js";
import { commandChecks } from "./commands.js";
import { doorControlEntities } from "./entities.js";
import { existingDoorsCheck } from "./existing-doors.js";
import { infoChecks } from "./info.js";
import { priorityChecks } from "./priority.js";
import { scheduleBoundaryCheck } from "./schedule-boundary.js";
import { timingChecks } from "./timing.js";

export const doorControlChecks: readonly CheckDefinition[] = [
  ...declaredChecks(doorControlEntities),
  ...commandChecks(),
  existingDoorsCheck,
  ...timingChecks(),
  ...infoChecks(),
  ...priorityChecks(),
  scheduleBoundaryCheck,
];

export { doorControlEntities };
