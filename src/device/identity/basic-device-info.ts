/**
 * POST /axis-cgi/basicdeviceinfo.cgi — VAPIX basic device information: getAllProperties,
 * getAllUnrestrictedProperties, getProperties ({"propertyList": ["ProdNbr", …]}) and
 * getSupportedVersions, from the same facts as GetDeviceInformation and param.cgi.
 */
import type { CgiEndpoint } from "../service.js";
import type { DeviceState } from "../state.js";
import { UNRESTRICTED_PROPERTIES, deviceProperties } from "./facts.js";
import { API_VERSION, ERROR, JsonApiError, handleJsonApi, type JsonCall } from "./vapix-json.js";

function getProperties(state: DeviceState, call: JsonCall): Record<string, unknown> {
  const all = deviceProperties(state);
  const wanted = call.params["propertyList"];
  if (wanted === undefined) throw new JsonApiError(ERROR.parameterMissing, `getProperties needs params.propertyList, e.g. ["ProdNbr", "SerialNumber"]`);
  if (!Array.isArray(wanted) || wanted.some((w) => typeof w !== "string")) throw new JsonApiError(ERROR.invalidParameter, "params.propertyList must be a list of property names");
  const unknown = (wanted as string[]).filter((w) => !(w in all));
  if (unknown.length > 0) throw new JsonApiError(ERROR.invalidParameter, `unknown propert${unknown.length === 1 ? "y" : "ies"} ${unknown.map((u) => `"${u}"`).join(", ")}; properties: ${Object.keys(all).join(", ")}`);
  return { propertyList: Object.fromEntries((wanted as string[]).map((w) => [w, all[w]])) };
}

export const basicDeviceInfoCgi: CgiEndpoint = {
  path: "/axis-cgi/basicdeviceinfo.cgi",
  methods: ["POST"],
  handle: (request, state) =>
    handleJsonApi(
      request,
      "basicdeviceinfo.cgi",
      {
        getAllProperties: () => ({ propertyList: deviceProperties(state) }),
        getAllUnrestrictedProperties: () => {
          const all = deviceProperties(state);
          return { propertyList: Object.fromEntries(UNRESTRICTED_PROPERTIES.map((k) => [k, all[k]])) };
        },
        getProperties: (call) => getProperties(state, call),
        getSupportedVersions: () => ({ apiVersions: [API_VERSION] }),
      },
      ["getSupportedVersions"],
    ),
};
