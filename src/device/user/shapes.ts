/**
 * User data shapes: the device's own model of the structures a User request can carry (field
 * order = schema order, wsdl/axis/user.xsd). pt:Attribute is the shared type AccessControl uses.
 */
import { DESCRIPTION, NAME, anything, list, obj, opt, req } from "../shape.js";
import { AttributeShape, tokenField } from "../access-control/shapes.js";

/** axudb:User: UserInfo (token, Name, Description) plus Attribute and Extension. */
export const UserShape = obj("User", [tokenField, req("Name", NAME), opt("Description", DESCRIPTION), list("Attribute", AttributeShape), opt("Extension", anything)]);
