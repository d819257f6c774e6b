/**
 * Third-party credential data shapes: the device's own model of the structures an axtpc request
 * can carry (field order = schema order, wsdl/axis/thirdpartycredential.xsd; see
 * wsdl/notes/third-party-credential.md). A ThirdPartyCredential's Credential is the AccessControl
 * credential itself (pacsaxis:Credential), so it shares AccessControl's shape.
 */
import { AttributeShape, CredentialShape } from "../access-control/shapes.js";
import { TOKEN, anything, bool, dflt, int, list, obj, opt, req, str, type FieldShape } from "../shape.js";

/**
 * axtpc:HIDMobileConfiguration as a client sends it. ClientId and ClientSecret are required by
 * the schema; absent they count as empty, so the JSON "Disable a configuration" example
 * (`"HIDMobileConfig": {}`) disables like its SOAP twin (every element empty). PartNumbers is
 * only valid in GetProviderConfiguration responses: a client's value is not read.
 */
export const HIDMobileConfigShape = obj("HIDMobileConfig", [
  dflt("ClientId", str(), ""),
  dflt("ClientSecret", str(), ""),
  opt("ProxyURL", str()),
  opt("ProxyPort", str()),
  opt("ProxyUser", str()),
  opt("ProxyPassword", str()),
  opt("DefaultPartNumberToken", TOKEN),
  opt("PortalApiURL", str()),
  opt("IdpURL", str()),
  opt("CardIdDataName", str()),
]);

export const ProviderConfigurationInfoShape = obj("Configuration", [opt("HIDMobileConfig", HIDMobileConfigShape)]);

export const HIDMobileOptionsShape = obj("HIDMobileOptions", [opt("PartNumberToken", TOKEN), opt("InvitationCode", str())]);

export const ThirdPartyOptionsShape = obj("Options", [opt("HIDMobileOptions", HIDMobileOptionsShape)]);

export const ThirdPartyCredentialShape = obj("ThirdPartyCredential", [req("Credential", CredentialShape), opt("Options", ThirdPartyOptionsShape)]);

/** `ProviderActions` (pt:Attribute [0..n]): the actions are named by Name; soapUI-style placeholders have an empty one. */
export const providerActions: FieldShape = list("ProviderActions", AttributeShape);
/** `ProviderName` (pt:ReferenceToken [1..1]): a Value of GetProviders. */
export const providerName: FieldShape = req("ProviderName", TOKEN);

/**
 * What the device keeps per third-party credential, keyed by the credential's token: the
 * provider-side facts (the HID user's e-mail and names, part number, invitation, issued card)
 * and the credential as this service last wrote it (shown when the AccessControl credential has
 * been removed meanwhile). Never sent or received as such.
 */
export const ThirdPartyRecordShape = obj("ThirdPartyCredentialRecord", [
  req("token", TOKEN),
  req("ProviderName", TOKEN),
  req("Email", str()),
  req("FirstName", str()),
  req("LastName", str()),
  req("PartNumberToken", TOKEN),
  req("InvitationCode", str()),
  dflt("CardNumber", str(), ""),
  dflt("NoLocalModification", bool, false),
  /** When the simulated holder accepts the invitation and the card is issued (ms since the epoch); 0 once issued. */
  dflt("IssueAt", int(0, Number.MAX_SAFE_INTEGER), 0),
  req("Credential", anything),
]);
