/**
 * AccessControl data shapes: the device's own model of every structure a request can carry
 * (field order = schema order, wsdl/axis/pacs.xsd and wsdl/pacs/accesscontrol.xsd).
 */
import { DESCRIPTION, NAME, TOKEN, anything, bool, dateTimeOrEmpty, dflt, list, long, obj, opt, req, str } from "../shape.js";

export const AttributeShape = obj("Attribute", [opt("type", str()), req("Name", str()), opt("Value", str())]);
export const NameValueShape = obj("NameValue", [req("Name", str()), req("Value", str())]);
export const IdDataShape = obj("IdData", [req("Name", str()), req("Value", str())]);
const IdPointDeviceShape = obj("IdPointDevice", [req("IdPoint", TOKEN), opt("DeviceUUID", str())]);
const ActionArgumentShape = obj("ActionArgument", [opt("type", str()), dflt("Name", str(), ""), dflt("Value", str(), "")]);
const IdFactorShape = obj("IdFactor", [req("IdDataName", str()), req("IdMatchOperatorName", str()), dflt("OperatorValue", str(), "")]);
const AccessPolicyShape = obj("AccessPolicy", [
  req("AccessPoint", TOKEN),
  list("AuthorizationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("Schedule", TOKEN),
]);
const CredentialAccessProfileShape = obj("CredentialAccessProfile", [
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  req("AccessProfile", TOKEN),
]);
export const CREDENTIAL_STATUS = ["NotActivated", "Enabled", "Disabled", "LockedOut", "Lost", "Stolen", "Damaged", "Destroyed", "Inactive", "MaxDays", "MaxUses", "Expired"];

// A missing token means "empty": the device allocates one (intro.md, Common data fields).
export const tokenField = dflt("token", TOKEN, "");

export const AccessPointShape = obj("AccessPoint", [
  tokenField,
  req("Name", NAME),
  opt("Description", DESCRIPTION),
  opt("AreaFrom", TOKEN),
  opt("AreaTo", TOKEN),
  opt("EntityType", str()),
  req("Entity", TOKEN),
  dflt("Enabled", bool, true),
  opt("DoorDeviceUUID", str()),
  list("IdPointDevice", IdPointDeviceShape),
  list("AuthenticationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("ActionArgument", ActionArgumentShape),
  // Guide: "If no action is specified, the default action Access is used."
  dflt("Action", str(), "Access"),
]);

export const AreaShape = obj("Area", [tokenField, req("Name", NAME), opt("Description", DESCRIPTION), list("Attribute", AttributeShape), opt("Extension", anything)]);

export const AccessControllerShape = obj("AccessController", [tokenField, req("Name", NAME), opt("Description", DESCRIPTION), list("AccessPoint", TOKEN)]);

export const AccessControllerConfigurationShape = obj("AccessControllerConfiguration", [
  tokenField,
  // intro.md UUID: left empty, the UUID of the door controller receiving the request is inserted.
  dflt("DeviceUUID", str(), ""),
  list("Configuration", NameValueShape),
]);

export const CredentialShape = obj("Credential", [
  tokenField,
  opt("UserToken", TOKEN),
  opt("Description", DESCRIPTION),
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  dflt("Enabled", bool, true),
  opt("Status", str()),
  list("IdData", IdDataShape),
  list("Attribute", AttributeShape),
  list("AuthenticationProfile", TOKEN),
  list("CredentialAccessProfile", CredentialAccessProfileShape),
]);

export const AccessProfileShape = obj("AccessProfile", [
  tokenField,
  req("Name", NAME),
  dflt("Description", DESCRIPTION, ""),
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  dflt("Enabled", bool, true),
  list("Schedule", TOKEN),
  list("AuthenticationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("AccessPolicy", AccessPolicyShape),
]);

export const AuthenticationProfileShape = obj("AuthenticationProfile", [
  tokenField,
  req("Name", NAME),
  dflt("Description", DESCRIPTION, ""),
  list("IdFactor", IdFactorShape),
  list("Schedule", TOKEN),
  opt("Extension", anything),
]);

export const AntipassbackDataShape = obj("AntipassbackData", [
  req("CredentialToken", TOKEN),
  dflt("PassOkThreshold", long, 0),
  dflt("CurrentArea", str(), ""),
  dflt("ByTime", bool, false),
  dflt("Violation", str(), ""),
]);
