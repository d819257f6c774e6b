/**
 * The access decision (access-control-service.md "Send access request" and the guide sections it
 * draws on), judged by scenario: no entity types of its own, the AccessControl, DoorControl,
 * IdPoint and Schedule items it builds on are declared by those services.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";
import { accessDecisionScenarioChecks } from "./scenarios.js";

export const accessDecisionEntities: readonly EntityDeclaration[] = [];

export const accessDecisionChecks: readonly CheckDefinition[] = accessDecisionScenarioChecks();
