/** The Schedule service's checks: generic ones from the entity declaration, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import { declaredChecks } from "../generic/declared.js";
import { scheduleEntities } from "./entities.js";
import { scheduleSpecificChecks } from "./specific.js";

export const scheduleChecks: readonly CheckDefinition[] = [...declaredChecks(scheduleEntities), ...scheduleSpecificChecks()];

export { scheduleEntities };
