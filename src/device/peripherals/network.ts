/**
 * The door controller's simulated local network (peripherals.md "Find remote devices"): the
 * service providers that answer a discovery on its one interface, Eth0. A factory-new device sees
 * two AXIS A9188-like remote I/O modules; the back door's ConnectRemoteDevice and
 * DisconnectRemoteDevice (stimuli.ts) add and take away providers. Every simulated address lies in
 * TEST-NET-1 (192.0.2.0/24, RFC 5737), which is never routed, and every MAC under Axis's OUI 00:40:8c.
 */
import type { DeviceState } from "../state.js";

/** One service provider on the network. */
export interface NetworkProvider {
  /** IPv4 address. */
  readonly Address: string;
  /** MAC address, lower case with colons. */
  readonly MAC: string;
  /** The service provider type discovery filters on ("RIO": remote I/O). */
  readonly Type: string;
  /** The VAPIX user the provider accepts; undefined: any user with a name (the simulation checks no password then). */
  readonly Username?: string;
  readonly Password?: string;
}

/** "RIO" ('remote I/O'), the only type the guide names: what an I/O module such as AXIS A9188 is. */
export const REMOTE_IO_TYPE = "RIO";
/** The controller's one network interface, as the guide's IO search attribute names it. */
export const INTERFACE = "Eth0";

const FACTORY_NETWORK: readonly NetworkProvider[] = [
  { Address: "192.0.2.21", MAC: "00:40:8c:a9:18:21", Type: REMOTE_IO_TYPE },
  { Address: "192.0.2.22", MAC: "00:40:8c:a9:18:22", Type: REMOTE_IO_TYPE },
];

/** The providers on the network by address (insertion order is irrelevant: callers sort). */
export function networkProviders(state: DeviceState): Map<string, NetworkProvider> {
  return state.runtime("peripherals.network", () => new Map(FACTORY_NETWORK.map((p) => [p.Address, p])));
}

/** Numeric order of dotted-quad addresses (non-addresses last, as text). */
export function compareAddresses(a: string, b: string): number {
  const key = (s: string): number[] => (/^\d+(\.\d+){3}$/.test(s) ? s.split(".").map(Number) : [Infinity]);
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The MAC a provider added without one gets: Axis's OUI and the address's last three octets. */
export function macFor(address: string): string {
  const octets = address.split(".").slice(1).map((n) => Number(n).toString(16).padStart(2, "0"));
  return ["00", "40", "8c", ...octets].join(":");
}
