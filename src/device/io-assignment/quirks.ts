/** Quirks of the I/O assignment service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const IO_ASSIGNMENT_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "io-assignment-errors-not-reported",
    rule: "SetIoAssignment lists every assignment it could not make in IoAssignmentError",
    behaviour: "it answers an empty IoAssignmentError list and silently drops the failed assignments",
  },
  {
    name: "io-assignment-failed-stored",
    rule: "an assignment SetIoAssignment reports as failed changes nothing",
    behaviour: "the failed assignment is stored as sent all the same (GetIoAssignmentList lists it)",
  },
  {
    name: "io-unassign-ignored",
    rule: "an assignment with no IoUser unassigns the I/O",
    behaviour: "the I/O keeps its IoUsers (SetIoAssignment still answers without error)",
  },
  {
    name: "io-assignment-list-unassigned",
    rule: "GetIoAssignmentList lists assignments, each with one of its I/O's modes (GetIoInfoList)",
    behaviour: 'it also lists every unassigned I/O, with IoMode "none" and no IoUser',
  },
];
