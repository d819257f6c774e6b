/**
 * Keystore data shapes: the device's model of an axkey:EncryptionKey (field order = schema
 * order, wsdl/axis/keystore.xsd; see wsdl/notes/keystore.md).
 */
import { DESCRIPTION, dateTimeOrEmpty, obj, opt, req, str } from "../shape.js";
import { tokenField } from "../access-control/shapes.js";

/**
 * keystore-service.md "Encryption key configuration": Key of at most 1024 characters, an optional
 * Name (no documented length) and Description (1024 characters). ModificationTime is read only so
 * the `keystore-modification-time-from-client` quirk can keep it; the device sets it (keys.ts).
 */
export const EncryptionKeyShape = obj("EncryptionKey", [
  tokenField,
  req("Key", str(1024)),
  opt("Name", str()),
  opt("Description", DESCRIPTION),
  opt("ModificationTime", dateTimeOrEmpty),
]);
