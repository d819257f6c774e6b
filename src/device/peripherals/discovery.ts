/**
 * axissd:GetServiceProviderList (peripherals.md "Find remote devices", "Find remote I/Os"): the
 * service providers of the requested Type found on the network and the remote devices added to
 * the door controller, narrowed by the request's Attributes.
 *
 * Discovery is polled: a call starts a discovery unless one for the same search is running, and
 * every call keeps it running for Timeout seconds more (the guide: later calls "should be issued
 * before the timeout expires"). What a running discovery has found stays listed, even a provider
 * that has left the network since; once Timeout passes without a call, the discovery ends and the
 * next call starts afresh from what is on the network then. Simulated providers answer at once,
 * so the first call already lists them.
 *
 * Attributes: IO names the interface to search (the controller has one, Eth0; another value finds
 * nothing on the network, added devices are still listed); Address (a device token, IP or MAC
 * address) keeps only that provider. Other names are ignored. Added devices are remote I/O
 * modules (Type RIO); they show their token as Id, their Name as NiceName, Status OK while the
 * controller can communicate with them (else NotConnected, a value the guide does not show) and,
 * while connected, their outputs as ServiceList. Providers not added show an empty Id and
 * NiceName, Status NotAdded and no services, as in the guide.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { sameMac } from "./addresses.js";
import { INTERFACE, REMOTE_IO_TYPE, compareAddresses, networkProviders, type NetworkProvider } from "./network.js";
import { providerAt, reachable, remoteDevices, remoteOutputs } from "./remote-devices.js";

export const NOT_ADDED = "NotAdded";
export const CONNECTED = "OK";
export const NOT_CONNECTED = "NotConnected";

interface Discovery {
  /** Device time (ms) at which the discovery ends unless polled again. */
  expiresAt: number;
  /** Providers found so far, by address. */
  readonly found: Map<string, NetworkProvider>;
}

/** Running discoveries, by search (Type and whether the network is searched). */
export function discoveries(state: DeviceState): Map<string, Discovery> {
  return state.runtime("peripherals.discoveries", () => new Map<string, Discovery>());
}

const attribute = (type: string, name: string, value: string): Item => ({ Name: name, Value: value, type });

function notAdded(p: NetworkProvider): Item {
  return { Id: "", NiceName: "", Status: NOT_ADDED, Attributes: [attribute("string", "IP", p.Address), attribute("string", "MAC", p.MAC)], ServiceList: [] };
}

function added(state: DeviceState, device: Readonly<Item>): Item {
  const token = String(device["token"]);
  const up = reachable(state, device);
  const given = typeof device["MACAddress"] === "string" ? device["MACAddress"] : "";
  // A MAC the client did not give is learnt from the device once connected.
  const mac = given !== "" ? given : up ? (providerAt(state, device)?.MAC ?? "") : "";
  return {
    Id: token,
    NiceName: typeof device["Name"] === "string" ? device["Name"] : "",
    Status: up ? CONNECTED : NOT_CONNECTED,
    Attributes: [attribute("string", "IP", String(device["IPAddress"])), ...(mac !== "" ? [attribute("string", "MAC", mac)] : [])],
    ServiceList: up ? remoteOutputs(token) : [],
  };
}

function attributeOf(provider: Item, name: string): string | undefined {
  const found = (provider["Attributes"] as Item[]).find((a) => a["Name"] === name);
  return found === undefined ? undefined : String(found["Value"]);
}

/** Whether an Address search value names this provider: its token (Id), IP or MAC address. */
function named(provider: Item, value: string): boolean {
  if (value === "") return false;
  if (provider["Id"] === value || attributeOf(provider, "IP") === value) return true;
  const mac = attributeOf(provider, "MAC");
  return mac !== undefined && sameMac(mac, value);
}

export function serviceProviderList(state: DeviceState, input: Item): Item {
  const type = String(input["Type"]);
  const attrs = (input["Attributes"] as Item[]).map((a) => ({ name: String(a["Name"]).toLowerCase(), value: String(a["Value"]) }));
  const anyType = state.quirks.has("peripherals-type-filter-ignored");
  const ofType = (t: string): boolean => anyType || t.toLowerCase() === type.toLowerCase();
  const interfaces = attrs.filter((a) => a.name === "io").map((a) => a.value.toLowerCase());
  const searchesNetwork = interfaces.length === 0 || interfaces.includes(INTERFACE.toLowerCase());
  const addresses = attrs.filter((a) => a.name === "address").map((a) => a.value);

  const now = state.now();
  const running = discoveries(state);
  for (const [key, d] of running) if (d.expiresAt <= now) running.delete(key);
  const key = `${anyType ? "*" : type.toLowerCase()}|${searchesNetwork ? INTERFACE : "-"}`;
  let discovery = running.get(key);
  if (discovery === undefined) {
    discovery = { expiresAt: now, found: new Map() };
    running.set(key, discovery);
  }
  discovery.expiresAt = now + Number(input["Timeout"]) * 1000;
  if (searchesNetwork) for (const p of networkProviders(state).values()) if (ofType(p.Type)) discovery.found.set(p.Address, p);

  const providers: Item[] = [];
  const addedAt = new Set<string>();
  if (ofType(REMOTE_IO_TYPE)) {
    for (const device of remoteDevices(state)) {
      providers.push(added(state, device));
      addedAt.add(String(device["IPAddress"]));
    }
  }
  const found = [...discovery.found.values()].filter((p) => !addedAt.has(p.Address)).sort((a, b) => compareAddresses(a.Address, b.Address));
  providers.push(...found.map(notAdded));

  let list = addresses.length === 0 ? providers : providers.filter((p) => addresses.some((a) => named(p, a)));
  if (state.quirks.has("peripherals-provider-attributes-missing")) list = list.map((p) => ({ ...p, Attributes: [] }));
  return { ServiceProviderList: list };
}
