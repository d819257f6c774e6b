/**
 * POST /axis-cgi/apidiscovery.cgi — VAPIX API discovery: getApiList lists every API this device
 * serves (each VAPIX service whose namespaces it answers, and the identity CGIs), getSupportedVersions
 * the discovery API's own versions. The ONVIF device and event services are not VAPIX APIs: clients
 * find them with GetServices. The ids of the access control APIs are this device's naming (there is
 * no public list of them); docLink is the API's page of the Axis developer documentation.
 */
import type { ServicePrefix } from "../operation.js";
import type { CgiEndpoint } from "../service.js";
import type { DeviceState } from "../state.js";
import { servedPrefixes } from "./served.js";
import { API_VERSION, handleJsonApi } from "./vapix-json.js";

export interface ApiEntry {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly docLink: string;
}

const PACS_DOC = "https://developer.axis.com/vapix/physical-access-control";

/** The VAPIX service APIs, each listed when the device answers any of its namespaces. */
const SERVICE_APIS: readonly (ApiEntry & { readonly prefixes: readonly ServicePrefix[] })[] = [
  { id: "access-control", version: "1.0", name: "Access control service", docLink: `${PACS_DOC}/access-control-service/`, prefixes: ["tac", "pacsaxis"] },
  { id: "door-control", version: "1.0", name: "Door control service", docLink: `${PACS_DOC}/door-control-service/`, prefixes: ["tdc", "axtdc"] },
  { id: "idpoint", version: "1.0", name: "IdPoint service", docLink: `${PACS_DOC}/idpoint-service/`, prefixes: ["axtid"] },
  { id: "io-assignment", version: "1.0", name: "I/O assignment service", docLink: `${PACS_DOC}/io-assignment-service/`, prefixes: ["axisio"] },
  { id: "schedule", version: "1.0", name: "Schedule service", docLink: `${PACS_DOC}/schedule-service/`, prefixes: ["axsch"] },
  { id: "user", version: "1.0", name: "User service", docLink: `${PACS_DOC}/user-service/`, prefixes: ["axudb"] },
  { id: "event-logger", version: "1.0", name: "Event logger service", docLink: `${PACS_DOC}/event-logger-service/`, prefixes: ["axlog", "axloc"] },
  { id: "keystore", version: "1.0", name: "Keystore service", docLink: `${PACS_DOC}/keystore-service/`, prefixes: ["axkey"] },
  { id: "third-party-credential", version: "1.0", name: "Third party credential service", docLink: `${PACS_DOC}/third-party-credential-service/`, prefixes: ["axtpc"] },
  { id: "service-discovery", version: "1.0", name: "Service discovery (peripherals)", docLink: `${PACS_DOC}/peripherals/`, prefixes: ["axissd"] },
  { id: "remote-io", version: "1.0", name: "Remote I/O (peripherals)", docLink: `${PACS_DOC}/peripherals/`, prefixes: ["axrio"] },
];

/** The identity CGIs of this folder, always served. */
const CGI_APIS: readonly ApiEntry[] = [
  { id: "basic-device-info", version: API_VERSION, name: "Basic device information", docLink: "https://developer.axis.com/vapix/" },
  { id: "param-cgi", version: "1.0", name: "Parameter management", docLink: "https://developer.axis.com/vapix/" },
  // pwdgrp.cgi, under the id VAPIX's system settings give it.
  { id: "user-management", version: "1.0", name: "User management", docLink: "https://developer.axis.com/vapix/" },
  { id: "api-discovery", version: API_VERSION, name: "API discovery service", docLink: "https://developer.axis.com/vapix/" },
];

/** The APIs discovery quirks leave out although the device serves them. */
const LEFT_OUT_BY_QUIRK: readonly (readonly [quirk: string, id: string])[] = [
  ["identity-apidiscovery-missing-api", "basic-device-info"],
  ["discovery-hides-served-service", "schedule"],
  ["discovery-apidiscovery-disagrees", "door-control"],
];

export function apiList(state: DeviceState): ApiEntry[] {
  const served = new Set(servedPrefixes(state));
  const apis: ApiEntry[] = [
    ...SERVICE_APIS.filter((a) => a.prefixes.some((p) => served.has(p))).map(({ id, version, name, docLink }) => ({ id, version, name, docLink })),
    ...CGI_APIS,
  ];
  const leftOut = new Set(LEFT_OUT_BY_QUIRK.filter(([q]) => state.quirks.has(q)).map(([, id]) => id));
  return leftOut.size === 0 ? apis : apis.filter((a) => !leftOut.has(a.id));
}

export const apiDiscoveryCgi: CgiEndpoint = {
  path: "/axis-cgi/apidiscovery.cgi",
  methods: ["POST"],
  handle: (request, state) =>
    handleJsonApi(
      request,
      "apidiscovery.cgi",
      {
        getApiList: () => ({ apiList: apiList(state) }),
        getSupportedVersions: () => ({ apiVersions: [API_VERSION] }),
      },
      ["getSupportedVersions"],
    ),
};
