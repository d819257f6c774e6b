/**
 * The simulated network around the door controller (the back door, backdoor.ts):
 *   ConnectRemoteDevice     {"Address": IPv4, "MAC"?: MAC, "Type"?: "RIO", "Username"?, "Password"?}
 *       a service provider appears on (or comes back to) the controller's network: discovery finds
 *       it, and an added remote device at that address can be reached again (its
 *       RemoteDevice/Connection/Status turns true when the MAC and user match). MAC defaults to
 *       00:40:8c plus the address's last three octets, Type to RIO; with Username (and Password)
 *       the provider accepts only that VAPIX user. An existing provider at the address is replaced.
 *   DisconnectRemoteDevice  {"Address": IPv4}
 *       the provider leaves the network: new discoveries no longer find it, and an added device at
 *       that address can no longer be reached (Status false). A provider that is not there: no change.
 *   RemoveRemoteDevice      {"Token": token}
 *       an installer removes an added remote device from the door controller (as its web pages
 *       would): axrio documents no remove operation, and tests need one to undo SetDevice.
 * The view "Peripherals" shows the network, the running discoveries and the added devices.
 */
import type { DeviceState } from "../state.js";
import { StimulusError, stringArg, type StimulusKind } from "../world.js";
import { canonicalMac, ipv4Problem, macProblem } from "./addresses.js";
import { discoveries } from "./discovery.js";
import { REMOTE_IO_TYPE, compareAddresses, macFor, networkProviders, type NetworkProvider } from "./network.js";
import { connectionStates, reachable, reconcileConnections, remoteDevices, removeRemoteDevice } from "./remote-devices.js";

function addressArg(args: Readonly<Record<string, unknown>>): string {
  const address = stringArg(args, "Address");
  const problem = ipv4Problem(address);
  if (problem !== undefined) throw new StimulusError(`"Address": ${problem}`);
  return address;
}

function optionalString(args: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new StimulusError(`"${name}" must be a string`);
  return v;
}

export const PERIPHERALS_STIMULI: readonly StimulusKind[] = [
  {
    name: "ConnectRemoteDevice",
    doc: "A service provider (by default a remote I/O module) appears on the controller's network: discovery finds it, and an added remote device at its address can be reached again.",
    args: {
      Address: "IPv4 address of the provider",
      MAC: "its MAC address; default 00:40:8c plus the address's last three octets (optional)",
      Type: `its service provider type; default ${REMOTE_IO_TYPE} (optional)`,
      Username: "the only VAPIX user it accepts; default any user with a name (optional)",
      Password: "that user's password (optional)",
    },
    apply(args, state) {
      const address = addressArg(args);
      const macText = optionalString(args, "MAC");
      if (macText !== undefined && macProblem(macText) !== undefined) throw new StimulusError(`"MAC": ${macProblem(macText)!}`);
      const type = optionalString(args, "Type") ?? REMOTE_IO_TYPE;
      if (type === "") throw new StimulusError('"Type" must not be empty');
      const username = optionalString(args, "Username");
      const password = optionalString(args, "Password");
      if (password !== undefined && username === undefined) throw new StimulusError('"Password" needs "Username"');
      const provider: NetworkProvider = {
        Address: address,
        MAC: macText !== undefined ? canonicalMac(macText)! : macFor(address),
        Type: type,
        ...(username !== undefined ? { Username: username, Password: password ?? "" } : {}),
      };
      const providers = networkProviders(state);
      const changed = JSON.stringify(providers.get(address)) !== JSON.stringify(provider);
      providers.set(address, provider);
      return { Address: address, MAC: provider.MAC, Type: type, Changed: changed, ConnectionChanged: reconcileConnections(state) };
    },
  },
  {
    name: "DisconnectRemoteDevice",
    doc: "The service provider at an address leaves the controller's network: new discoveries no longer find it, and an added remote device there can no longer be reached.",
    args: { Address: "IPv4 address of the provider" },
    apply(args, state) {
      const address = addressArg(args);
      const changed = networkProviders(state).delete(address);
      return { Address: address, Changed: changed, ConnectionChanged: reconcileConnections(state) };
    },
  },
  {
    name: "RemoveRemoteDevice",
    doc: "An installer removes a remote device added with axrio:SetDevice from the door controller (axrio documents no remove operation).",
    args: { Token: "token of an added remote device" },
    apply(args, state) {
      const token = stringArg(args, "Token");
      if (!removeRemoteDevice(state, token)) {
        throw new StimulusError(`no remote device "${token}" is added; added: ${remoteDevices(state).map((d) => String(d["token"])).join(", ") || "none"}`);
      }
      return { Token: token, Removed: true };
    },
  },
];

/** The back door's view: the network, the running discoveries and the added devices (never their passwords). */
export function describePeripherals(state: DeviceState): Record<string, unknown> {
  const now = state.now();
  return {
    Network: [...networkProviders(state).values()]
      .sort((a, b) => compareAddresses(a.Address, b.Address))
      .map((p) => ({ Address: p.Address, MAC: p.MAC, Type: p.Type, ...(p.Username !== undefined ? { Username: p.Username } : {}) })),
    Discoveries: [...discoveries(state)]
      .filter(([, d]) => d.expiresAt > now)
      .map(([search, d]) => ({ Search: search, EndsAt: new Date(d.expiresAt).toISOString(), Found: [...d.found.keys()].sort(compareAddresses) })),
    RemoteDevices: remoteDevices(state).map((d) => ({
      Token: d["token"],
      IPAddress: d["IPAddress"],
      Connected: reachable(state, d),
      Announced: connectionStates(state).get(String(d["token"])) ?? null,
    })),
  };
}
