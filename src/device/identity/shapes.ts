/** Request shapes of the device service (field order = schema order, wsdl/onvif/devicemgmt.xsd and tt:User). */
import { anything, bool, emptyRequest, enumOf, list, list1, obj, opt, req, str } from "../shape.js";

/** tt:User. Lengths are checked by the operations (ter:UsernameTooLong, ter:PasswordTooLong), not by the shape. */
const UserShape = obj("User", [req("Username", str()), opt("Password", str()), req("UserLevel", enumOf("Administrator", "Operator", "User", "Anonymous", "Extended")), opt("Extension", anything)]);

export const GetServicesShape = obj("GetServices", [req("IncludeCapability", bool)]);
export const GetServiceCapabilitiesShape = emptyRequest("GetServiceCapabilities");
export const GetDeviceInformationShape = emptyRequest("GetDeviceInformation");
export const GetSystemDateAndTimeShape = emptyRequest("GetSystemDateAndTime");
export const GetScopesShape = emptyRequest("GetScopes");
export const GetUsersShape = emptyRequest("GetUsers");
export const CreateUsersShape = obj("CreateUsers", [list1("User", UserShape)]);
export const DeleteUsersShape = obj("DeleteUsers", [list1("Username", str())]);
export const SetUserShape = obj("SetUser", [list1("User", UserShape)]);
export const GetCapabilitiesShape = obj("GetCapabilities", [list("Category", enumOf("All", "Analytics", "Device", "Events", "Imaging", "Media", "PTZ"))]);
