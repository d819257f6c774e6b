/**
 * Identity and discovery, what integrations call first: the ONVIF device service subset (tds:
 * GetServices, capabilities, date and time, device information, scopes, the device users) and the
 * VAPIX CGIs param.cgi (Brand, Properties), basicdeviceinfo.cgi and apidiscovery.cgi. Serial
 * number, model and firmware come from one place (facts.ts) in all of them.
 */
import type { DeviceService } from "../service.js";
import { apiDiscoveryCgi } from "./api-discovery.js";
import { basicDeviceInfoCgi } from "./basic-device-info.js";
import { identityOperations } from "./operations.js";
import { paramCgi } from "./param-cgi.js";
import { IDENTITY_QUIRKS } from "./quirks.js";
import { describeUsers } from "./users.js";

export const identityService: DeviceService = {
  name: "Device",
  prefixes: ["tds"],
  entities: [],
  quirks: IDENTITY_QUIRKS,
  operations: identityOperations,
  cgis: [paramCgi, basicDeviceInfoCgi, apiDiscoveryCgi],
  snapshot: (state) => ({ users: describeUsers(state) }),
};
