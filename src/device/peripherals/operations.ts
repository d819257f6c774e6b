/** The two guide-only operations: axissd:GetServiceProviderList and axrio:SetDevice (peripherals.md). */
import type { Item } from "../entity.js";
import { applySet } from "../generic-ops.js";
import type { OperationDef } from "../operation.js";
import type { DeviceState } from "../state.js";
import { RemoteDeviceDecl } from "./declarations.js";
import { serviceProviderList } from "./discovery.js";
import { REMOTE_DEVICE, connectSetDevices } from "./remote-devices.js";
import { GetServiceProviderListShape, SetDeviceShape } from "./shapes.js";

/**
 * SetDevice: adds (or, by token, changes) remote devices with the Set rules of intro.md (an empty
 * token is allocated), then connects to each. The response holds one Token ({"Token": "…"} in the
 * guide); for several devices, which one is not documented: the first device's.
 */
function setDevice(input: Item, state: DeviceState): Item {
  const devices = input["Device"] as Item[];
  if (state.quirks.has("peripherals-set-device-not-stored")) {
    const given = String(devices[0]!["token"] ?? "");
    return { Token: given !== "" ? given : state.allocateToken(state.store(REMOTE_DEVICE)) };
  }
  const tokens = applySet(RemoteDeviceDecl, devices, state);
  connectSetDevices(state, tokens);
  return { Token: tokens[0]! };
}

export function peripheralsOperations(): OperationDef[] {
  return [
    { prefix: "axissd", name: "GetServiceProviderList", input: GetServiceProviderListShape, handle: (input, state) => serviceProviderList(state, input) },
    { prefix: "axrio", name: "SetDevice", input: SetDeviceShape, handle: (input, state) => setDevice(input, state) },
  ];
}
