/**
 * The I/O assignments as an entity store keyed by IoName, so they are part of the device's data
 * (and its snapshot). No generic operations: GetIoAssignmentList is not paged and
 * SetIoAssignment has its own rules (assignment.ts).
 */
import type { EntityDecl } from "../entity.js";
import { IoAssignmentShape } from "./shapes.js";

export const IoAssignmentDecl: EntityDecl = {
  name: "IoAssignment",
  sharing: "local",
  what: "IoAssignment",
  tokenField: "IoName",
  shape: IoAssignmentShape,
  ops: [],
  allocateTokens: false,
  setResponse: "empty",
  sharesTokenSpace: false,
  setFault: [],
  /**
   * The page says the service "does not generate any events"; this internal announcement (an
   * Axis-style configuration topic) lets the other services follow assignment changes.
   */
  topic: "tns1:Configuration/tnsaxis:IoAssignment",
};

export const IO_ASSIGNMENT_ENTITIES: readonly EntityDecl[] = [IoAssignmentDecl];
