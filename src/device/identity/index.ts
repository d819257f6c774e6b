/**
 * Identity and discovery, what integrations call first: the ONVIF device service subset (tds:
 * GetServices, capabilities, date and time, device information, scopes, the device users) and the
 * VAPIX CGIs param.cgi (Brand, Properties), basicdeviceinfo.cgi and apidiscovery.cgi. Serial
 * number, model and firmware come from one place (facts.ts) in all of them. The device users and
 * pwdgrp.cgi manage one set of accounts (accounts.ts), the ones HTTP authentication honours.
 */
import type { DeviceService } from "../service.js";
import { deviceAccounts } from "./accounts.js";
import { apiDiscoveryCgi } from "./api-discovery.js";
import { basicDeviceInfoCgi } from "./basic-device-info.js";
import { DISCOVERY_QUIRKS } from "./discovery-quirks.js";
import { identityOperations } from "./operations.js";
import { paramCgi } from "./param-cgi.js";
import { IDENTITY_QUIRKS } from "./quirks.js";
import { pwdgrpCgi } from "./pwdgrp-cgi.js";
import { describeUsers } from "./users.js";

export const identityService: DeviceService = {
  name: "Device",
  prefixes: ["tds"],
  entities: [],
  quirks: [...IDENTITY_QUIRKS, ...DISCOVERY_QUIRKS],
  operations: identityOperations,
  cgis: [paramCgi, basicDeviceInfoCgi, apiDiscoveryCgi, pwdgrpCgi],
  snapshot: (state) => ({ users: describeUsers(deviceAccounts(state)) }),
};

/** The CGIs any account may call, viewers included (read-only identity); everything else needs admin (intro.md). */
export const VIEWER_PATHS: ReadonlySet<string> = new Set([paramCgi.path, basicDeviceInfoCgi.path, apiDiscoveryCgi.path]);
