/** The device service's operations (tds, SOAP only: POST /vapix/services or /onvif/device_service). */
import type { OperationDef } from "../operation.js";
import { deviceServiceCapabilities, getCapabilities } from "./capabilities.js";
import { systemDateAndTime } from "./date-time.js";
import { PRODUCT, serialNumber } from "./facts.js";
import { getScopes } from "./scopes.js";
import { getServices } from "./services-list.js";
import {
  CreateUsersShape,
  DeleteUsersShape,
  GetCapabilitiesShape,
  GetDeviceInformationShape,
  GetScopesShape,
  GetServiceCapabilitiesShape,
  GetServicesShape,
  GetSystemDateAndTimeShape,
  GetUsersShape,
  SetUserShape,
} from "./shapes.js";
import { createUsers, deleteUsers, getUsers, setUser } from "./users.js";

export function identityOperations(): OperationDef[] {
  return [
    { prefix: "tds", name: "GetServices", input: GetServicesShape, handle: (input, state, ctx) => getServices(state, input, ctx) },
    { prefix: "tds", name: "GetServiceCapabilities", input: GetServiceCapabilitiesShape, handle: (_in, state) => ({ Capabilities: deviceServiceCapabilities(state) }) },
    {
      prefix: "tds",
      name: "GetDeviceInformation",
      input: GetDeviceInformationShape,
      // Model is the product number, as param.cgi's Brand.ProdNbr and basicdeviceinfo's ProdNbr give it.
      handle: (_in, state) => ({ Manufacturer: PRODUCT.Brand, Model: PRODUCT.ProdNbr, FirmwareVersion: PRODUCT.Version, SerialNumber: serialNumber(state), HardwareId: PRODUCT.HardwareID }),
    },
    { prefix: "tds", name: "GetSystemDateAndTime", input: GetSystemDateAndTimeShape, handle: (_in, state) => systemDateAndTime(state) },
    { prefix: "tds", name: "GetScopes", input: GetScopesShape, handle: (_in, state) => getScopes(state) },
    { prefix: "tds", name: "GetUsers", input: GetUsersShape, handle: (_in, state) => getUsers(state) },
    { prefix: "tds", name: "CreateUsers", input: CreateUsersShape, handle: (input, state) => createUsers(state, input) },
    { prefix: "tds", name: "DeleteUsers", input: DeleteUsersShape, handle: (input, state) => deleteUsers(state, input) },
    { prefix: "tds", name: "SetUser", input: SetUserShape, handle: (input, state) => setUser(state, input) },
    { prefix: "tds", name: "GetCapabilities", input: GetCapabilitiesShape, handle: (input, state, ctx) => getCapabilities(input, state, ctx) },
  ];
}
