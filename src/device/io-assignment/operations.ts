/** The four axisio operations (io-assignment-service.md, "I/O assignment service API"). */
import type { Item } from "../entity.js";
import type { OperationDef } from "../operation.js";
import { list, obj } from "../shape.js";
import { assign, listAssignments, type RequestedAssignment } from "./assignment.js";
import { HARDWARE_IOS } from "./hardware.js";
import { ioUserInfos } from "./io-users.js";
import { IoAssignmentShape } from "./shapes.js";

/** Plain data for the protocol layer (it projects responses onto the schema). */
const out = <T>(value: T): Item[] => structuredClone(value) as unknown as Item[];

export function ioAssignmentOperations(): OperationDef[] {
  // "This message shall be empty." for every Get…List request.
  const empty = (name: string) => obj(name, []);
  return [
    { prefix: "axisio", name: "GetIoAssignmentList", input: empty("GetIoAssignmentList"), handle: (_in, state) => ({ IoAssignment: out(listAssignments(state)) }) },
    { prefix: "axisio", name: "GetIoUserInfoList", input: empty("GetIoUserInfoList"), handle: (_in, state) => ({ IoUserInfo: out(ioUserInfos(state)) }) },
    { prefix: "axisio", name: "GetIoInfoList", input: empty("GetIoInfoList"), handle: () => ({ IoInfo: out(HARDWARE_IOS) }) },
    {
      prefix: "axisio",
      name: "SetIoAssignment",
      input: obj("SetIoAssignment", [list("IoAssignment", IoAssignmentShape)]),
      handle: (input, state) => ({ IoAssignmentError: out(assign(state, input["IoAssignment"] as RequestedAssignment[])) }),
    },
  ];
}
