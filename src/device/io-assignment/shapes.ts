/**
 * I/O assignment data shapes (field order = schema order, wsdl/axis/ioassignment.xsd; see
 * wsdl/notes/io-assignment.md for why IoUser's token is an element).
 */
import { TOKEN, bool, dflt, list, obj, req, str } from "../shape.js";

/** MultiIo is the device's to say (GetIoUserInfoList); a client's value is accepted and ignored. */
export const IoUserShape = obj("IoUser", [req("Type", str()), req("token", TOKEN), req("Usage", str()), dflt("MultiIo", bool, false)]);

/** An empty IoUser list unassigns the I/O (guide, "Unassign I/O:s"). */
export const IoAssignmentShape = obj("IoAssignment", [req("IoName", str()), req("IoMode", str()), list("IoUser", IoUserShape)]);
