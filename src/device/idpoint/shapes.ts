/**
 * IdPoint data shapes: the device's own model of every structure a request can carry
 * (field order = schema order, wsdl/axis/idpoint.xsd and wsdl/axis/config.xsd).
 */
import { DESCRIPTION, NAME, TOKEN, dflt, enumOf, int, list, list1, obj, opt, req, str } from "../shape.js";

export const IdDataShape = obj("IdData", [req("Name", str()), req("Value", str())]);
export const NameValueShape = obj("NameValue", [req("Name", str()), req("Value", str())]);
export const ConfigurationShape = obj("Configuration", [req("Name", str()), req("Value", str())]);

export const ID_DATA_ENCODINGS = [
  "Other",
  "BinLE2hex",
  "BinBE2hex",
  "Bin2Base64",
  "Bin2String",
  "BinLEBCD2String",
  "BinBEBCD2String",
  "BinLE2Int",
  "BinBE2Int",
  "BinLEIBO2hex",
  "BinBEIBO2hex",
  "BinIBO2Base64",
  "BinIBO2String",
  "BinLEIBO2Int",
  "BinBEIBO2Int",
];

export const FEEDBACK_PROFILES = [
  "Other",
  "Idle",
  "DoorLocked",
  "DoorUnlocked",
  "DoorOpenTooLong",
  "DoorPreAlarmWarning",
  "RequirePIN",
  "RequireCard",
  "Processing",
  "InvalidCredential",
  "AccessGranted",
  "AccessDenied",
  "Ok",
  "Fault",
  "Warning",
  "Alarm",
  "Custom",
];

export const WHITELIST_STATES = ["Active", "Invalid", "PendingAdd", "PendingRemove"];

// A missing token means "empty": the device allocates one (intro.md, Common data fields).
const tokenField = dflt("token", TOKEN, "");

export const IdPointShape = obj("IdPoint", [
  tokenField,
  req("Name", NAME),
  opt("Description", DESCRIPTION),
  // Required by the schema, but most guide requests leave them out (wsdl/notes/idpoint.md).
  dflt("Location", str(), ""),
  dflt("Area", str(), ""),
  opt("Action", str()),
  opt("MinPINSize", int(0)),
  opt("MaxPINSize", int(0)),
  opt("EndOfPIN", str()),
  dflt("Timeout", str(), ""),
  dflt("HeartbeatInterval", str(), ""),
]);

export const IdPointConfigurationShape = obj("IdPointConfiguration", [
  tokenField,
  // DeviceUUID guide section: left empty, the UUID of the device receiving the request is filled in.
  dflt("DeviceUUID", str(), ""),
  list("IdDataConfiguration", TOKEN),
  list("Configuration", ConfigurationShape),
]);

export const IdDataFieldMapShape = obj("IdDataFieldMap", [req("Name", str()), req("Map", str()), req("Encoding", enumOf(...ID_DATA_ENCODINGS))]);

export const IdDataConfigurationShape = obj("IdDataConfiguration", [
  tokenField,
  req("Name", NAME),
  opt("Description", DESCRIPTION),
  req("InputBitlength", int(1, 4096)),
  list("IdDataFieldMap", IdDataFieldMapShape),
]);

export const WhiteListEntryShape = obj("WhiteListEntry", [req("IdData", IdDataShape), req("State", enumOf(...WHITELIST_STATES))]);
export const IdPointWhiteListShape = obj("IdPointWhiteList", [req("token", TOKEN), list("WhiteListEntry", WhiteListEntryShape)]);

const BinaryDataShape = obj("BinaryData", [req("Data", str()), opt("contentType", str())]);

export const FeedbackMessageShape = obj("FeedbackMessage", [
  req("Token", TOKEN),
  req("Profile", enumOf(...FEEDBACK_PROFILES)),
  opt("OtherProfile", str()),
  opt("Message", str()),
  opt("Graphics", BinaryDataShape),
  opt("Audio", BinaryDataShape),
]);

export const ActivityShape = obj("Activity", [req("Type", enumOf("REX", "Card", "PIN")), list("Params", NameValueShape)]);

export const IndicateRemoteActivitiesShape = obj("IndicateRemoteActivities", [
  req("Token", TOKEN),
  opt("Description", str()),
  list1("Activities", ActivityShape),
  list("Attributes", NameValueShape),
]);
