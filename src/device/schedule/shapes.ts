/** Schedule data shapes (field order = schema order, wsdl/axis/schedule.xsd). */
import { AttributeShape } from "../access-control/shapes.js";
import { DESCRIPTION, NAME, TOKEN, dflt, list, obj, opt, req, str } from "../shape.js";

/** A device limit on one iCalendar text (the Entry Manager's schedules are well under 1 KiB). */
const MAX_DEFINITION_LENGTH = 65_536;

export const ScheduleShape = obj("Schedule", [
  // A missing token means "empty": the device allocates one (intro.md, Common data fields).
  dflt("token", TOKEN, ""),
  req("Name", NAME),
  dflt("Description", DESCRIPTION, ""),
  req("ScheduleDefinition", str(MAX_DEFINITION_LENGTH)),
  list("Attribute", AttributeShape),
  // The guide sends it as null (absent) or "" (no exceptions); both are kept as sent.
  opt("ExceptionScheduleDefinition", str(MAX_DEFINITION_LENGTH)),
]);
