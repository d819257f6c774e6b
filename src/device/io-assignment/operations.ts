/** The four axisio operations (io-assignment-service.md, "I/O assignment service API"). */
import type { Item } from "../entity.js";
import type { OperationDef } from "../operation.js";
import { emptyRequest, list, obj } from "../shape.js";
import { assign, listAssignments, type Assignment } from "./assignment.js";
import { HARDWARE_IOS } from "./hardware.js";
import { ioUserInfos } from "./io-users.js";
import { IoAssignmentShape } from "./shapes.js";

/** The protocol layer projects a response onto the schema and never mutates it: no copy is needed. */
const out = (value: readonly object[]): Item[] => value as Item[];

export function ioAssignmentOperations(): OperationDef[] {
  // "This message shall be empty." for every Get…List request.
  return [
    { prefix: "axisio", name: "GetIoAssignmentList", input: emptyRequest("GetIoAssignmentList"), handle: (_in, state) => ({ IoAssignment: out(listAssignments(state)) }) },
    { prefix: "axisio", name: "GetIoUserInfoList", input: emptyRequest("GetIoUserInfoList"), handle: (_in, state) => ({ IoUserInfo: out(ioUserInfos(state)) }) },
    { prefix: "axisio", name: "GetIoInfoList", input: emptyRequest("GetIoInfoList"), handle: () => ({ IoInfo: out(HARDWARE_IOS) }) },
    {
      prefix: "axisio",
      name: "SetIoAssignment",
      input: obj("SetIoAssignment", [list("IoAssignment", IoAssignmentShape)]),
      handle: (input, state) => ({ IoAssignmentError: out(assign(state, input["IoAssignment"] as Assignment[])) }),
    },
  ];
}
