/**
 * Quirks of feature discovery: what the device says it serves and can do (GetServices,
 * apidiscovery.cgi, GetServiceCapabilities) against what it answers. Applied where discovery is
 * answered: identity/services-list.ts, identity/api-discovery.ts and profile.ts.
 */
import type { QuirkInfo } from "../quirks.js";

export const DISCOVERY_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "discovery-advertises-unserved-service",
    rule: "a service GetServices and apidiscovery.cgi list answers its operations",
    behaviour: "GetServices and apidiscovery.cgi list the third-party credential service (axtpc, third-party-credential) as usual, but every axtpc operation answers env:Receiver/ter:ActionNotSupported, as firmware without it would",
  },
  {
    name: "discovery-hides-served-service",
    rule: "GetServices and apidiscovery.cgi list every service the device answers",
    behaviour: "GetServices and apidiscovery.cgi leave out the schedule service (axsch, API id schedule) although every axsch operation still answers",
  },
  {
    name: "discovery-capability-flag-lies",
    rule: "a capability flag that speaks for operations is true exactly when they are supported (IdPoint ServiceCapabilities: SetIdPoint)",
    behaviour: "the IdPoint service's capabilities (GetServices' axtid Capabilities; this device has no axtid:GetServiceCapabilities) report SetIdPoint=\"false\" while axtid:SetIdPoint keeps working",
  },
  {
    name: "discovery-apidiscovery-disagrees",
    rule: "apidiscovery.cgi getApiList and GetServices agree on the services the device serves",
    behaviour: "getApiList leaves out the door-control API although GetServices lists tdc and axtdc and they answer",
  },
  {
    name: "discovery-capabilities-disagree",
    rule: "GetServices (IncludeCapability) carries the same capabilities as each service's own GetServiceCapabilities",
    behaviour: "GetServices' tac Capabilities report MaxLimit twice what tac:GetServiceCapabilities reports",
  },
  {
    name: "capabilities-invalid-boolean",
    rule: "capability flags are valid xs:boolean values (true, false, 1, 0) in SOAP and JSON booleans in VAPIX JSON",
    behaviour: "tac:GetServiceCapabilities (and GetServices' tac capabilities) send DisableCredential=\"True\" (capital T) over SOAP and \"DisableCredential\": \"True\" (a string) over JSON",
  },
];
