/**
 * Request shapes of the two peripheral services (field order = schema order,
 * wsdl/axis/servicediscovery.xsd and wsdl/axis/remoteio.xsd; wsdl/notes/peripherals.md lists what
 * was inferred from the guide's examples).
 */
import { int, list, list1, obj, opt, req, str } from "../shape.js";
import { tokenField } from "../access-control/shapes.js";

/** axissd:Attribute: Name and Value are child elements (unlike pt:Attribute); only `type` is an XML attribute. */
export const DiscoveryAttributeShape = obj("Attribute", [req("Name", str()), req("Value", str()), opt("type", str())]);

/** Timeout in seconds (inferred); a negative one is refused by the shape (env:Sender/ter:InvalidArgs). */
export const GetServiceProviderListShape = obj("GetServiceProviderList", [req("Timeout", int(0)), list("Attributes", DiscoveryAttributeShape), req("Type", str())]);

/**
 * axrio:Device as the door controller stores it: the optional token attribute (empty: the device
 * allocates one), an optional nice name, the VAPIX user on the remote device, an optional MAC and
 * the required IP address. The schema's wildcards are not kept.
 */
export const RemoteDeviceShape = obj("Device", [tokenField, opt("Name", str()), req("Username", str()), req("Password", str()), opt("MACAddress", str()), req("IPAddress", str())]);

export const SetDeviceShape = obj("SetDevice", [list1("Device", RemoteDeviceShape)]);
