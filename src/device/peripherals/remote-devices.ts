/**
 * Remote devices added to the door controller (axrio:SetDevice; peripherals.md "Add a remote
 * device", "Find remote I/Os"): what SetDevice refuses, whether the controller can communicate with
 * each device, the remote I/Os an added module offers, and the Connection/Status events.
 *
 * A device is reachable when a provider answers at its IPAddress on the simulated network
 * (network.ts), with the MACAddress given (if any), and accepts its VAPIX user: the provider's own
 * user when ConnectRemoteDevice gave one, else any user with a name. event-logger-service.md names
 * wrong credentials, network problems and missed heartbeats as reasons for a lost connection.
 */
import type { Item } from "../entity.js";
import { OperationFault, invalidArgVal } from "../faults.js";
import type { DeviceState } from "../state.js";
import { ipv4Problem, macProblem, sameMac } from "./addresses.js";
import { networkProviders, type NetworkProvider } from "./network.js";

/** The entity type of added remote devices (its store is part of the device's snapshot). */
export const REMOTE_DEVICE = "RemoteDevice";
/** "It is possible to add up to two I/O modules to the same door controller." */
export const MAX_REMOTE_DEVICES = 2;

export const CONNECTION_STATUS_TOPIC = "tnsaxis:RemoteDevice/Connection/Status";
export const SOURCE_ITEM = "RemoteDeviceToken";
export const DATA_ITEM = "Status";

/** The outputs of an added I/O module, as the guide's AXIS A9188 shows them: ports 8 to 15, "Output 1" to "Output 8". */
export const REMOTE_OUTPUTS = 8;
export const FIRST_OUTPUT_PORT = 8;

const text = (item: Readonly<Item>, key: string): string => (typeof item[key] === "string" ? (item[key] as string) : "");

/**
 * SetDevice's rules for one item of the batch (no fault is documented: the ONVIF generic
 * env:Sender/ter:InvalidArgVal for a bad value, env:Receiver/ter:CapabilityViolated beyond the
 * documented two devices). The whole batch is refused.
 */
export function checkRemoteDevice(item: Readonly<Item>, state: DeviceState, batch: readonly Readonly<Item>[], i: number): void {
  const where = `SetDevice.Device[${i}]`;
  const ip = text(item, "IPAddress");
  const ipProblem = ipv4Problem(ip);
  if (ipProblem !== undefined && !state.quirks.has("peripherals-invalid-ip-accepted")) {
    throw invalidArgVal([], `${where}.IPAddress: ${ipProblem}; give the IPv4 address the door controller reaches the remote device at`);
  }
  const mac = text(item, "MACAddress");
  const badMac = mac === "" ? undefined : macProblem(mac);
  if (badMac !== undefined && !state.quirks.has("peripherals-invalid-mac-accepted")) {
    throw invalidArgVal([], `${where}.MACAddress: ${badMac}; give the device's MAC address as GetServiceProviderList reports it, or leave it out`);
  }
  // One module cannot be added twice: another device (of the batch, or stored under another token) at the same address.
  const token = text(item, "token");
  const twin =
    batch.slice(0, i).find((o) => text(o, "IPAddress") === ip) ??
    remoteDevices(state).find((o) => text(o, "token") !== token && text(o, "IPAddress") === ip && !batch.some((b) => text(b, "token") === text(o, "token")));
  if (twin !== undefined) throw invalidArgVal([], `${where}.IPAddress: ${ip} is already the address of remote device "${text(twin, "token")}"; set that token to change it`);
  if (i === batch.length - 1) {
    const tokens = new Set([...state.store(REMOTE_DEVICE).tokens(), ...batch.map((b) => text(b, "token"))]);
    if (tokens.size > MAX_REMOTE_DEVICES) {
      throw new OperationFault({
        code: "env:Receiver",
        subcodes: ["ter:CapabilityViolated"],
        reason: `SetDevice: the door controller holds at most ${MAX_REMOTE_DEVICES} remote devices (peripherals.md); this request would make ${tokens.size}`,
      });
    }
  }
}

/** The added remote devices, in token order (stored items: callers copy before handing out). */
export function remoteDevices(state: DeviceState): Item[] {
  const store = state.store(REMOTE_DEVICE);
  return store.tokens().map((t) => store.read(t, "full")!);
}

/** The provider answering at a device's address, when there is one. */
export function providerAt(state: DeviceState, device: Readonly<Item>): NetworkProvider | undefined {
  return networkProviders(state).get(text(device, "IPAddress"));
}

/** Whether the door controller can communicate with an added device (see the file comment). */
export function reachable(state: DeviceState, device: Readonly<Item>): boolean {
  const provider = providerAt(state, device);
  if (provider === undefined) return false;
  const mac = text(device, "MACAddress");
  if (mac !== "" && !sameMac(mac, provider.MAC)) return false;
  const user = text(device, "Username");
  if (provider.Username === undefined) return user !== "";
  return user === provider.Username && text(device, "Password") === (provider.Password ?? "");
}

/** The connection state last announced for each added device, by token. */
export function connectionStates(state: DeviceState): Map<string, boolean> {
  return state.runtime("peripherals.connections", () => new Map<string, boolean>());
}

function announce(state: DeviceState, token: string, up: boolean): void {
  if (state.quirks.has("peripherals-connection-status-not-sent")) return;
  state.publish({ topic: CONNECTION_STATUS_TOPIC, source: { [SOURCE_ITEM]: token }, data: { [DATA_ITEM]: up } });
}

/** After SetDevice: every device set connects (again) with its new settings, and says whether it could. */
export function connectSetDevices(state: DeviceState, tokens: readonly string[]): void {
  const store = state.store(REMOTE_DEVICE);
  const states = connectionStates(state);
  for (const token of new Set(tokens)) {
    const device = store.read(token, "full");
    if (device === undefined) continue;
    const up = reachable(state, device);
    states.set(token, up);
    announce(state, token, up);
  }
}

/** After the network changed: each added device whose connection came up or went down says so. Returns the tokens that changed. */
export function reconcileConnections(state: DeviceState): string[] {
  const states = connectionStates(state);
  const changed: string[] = [];
  for (const device of remoteDevices(state)) {
    const token = text(device, "token");
    const up = reachable(state, device);
    if (states.get(token) === up) continue;
    states.set(token, up);
    changed.push(token);
    announce(state, token, up);
  }
  return changed;
}

/** Takes an added device away (the back door's RemoveRemoteDevice: axrio documents no remove operation). */
export function removeRemoteDevice(state: DeviceState, token: string): boolean {
  connectionStates(state).delete(token);
  return state.store(REMOTE_DEVICE).delete(token);
}

/** The remote I/Os of an added module, as GetServiceProviderList's ServiceList gives them (Id remote/<token>/<port>). */
export function remoteOutputs(token: string): Item[] {
  return Array.from({ length: REMOTE_OUTPUTS }, (_, i) => ({ Id: `remote/${token}/${FIRST_OUTPUT_PORT + i}`, NiceName: `Output ${i + 1}`, Attributes: [] }));
}
