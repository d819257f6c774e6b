/**
 * The six operations of the connection service (connection-service.md). AddPeers and RemovePeers
 * answer once their request is checked; the invitation or removal runs after the response, as the
 * page says ("a successful response … indicates that the process has started").
 */
import type { Item } from "../entity.js";
import { invalidArgVal, notFound } from "../faults.js";
import type { OperationDef } from "../operation.js";
import type { QuirkSet } from "../quirks.js";
import type { DeviceState } from "../state.js";
import { normalizeMac, peerNetwork } from "./network.js";
import { AddPeersShape, GetPeerListShape, GetStandAloneModeShape, LeaveNetworkShape, RemovePeersShape, SetStandAloneModeShape } from "./shapes.js";

const MAC = /^([0-9A-Fa-f]{12}|([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** ID and ExpectedAddress of one Peer/PeerInfo, checked: a MAC in either documented form, an IPv4 address, at least one of them. */
function peerArgs(peer: Item, op: string, index: number, quirks: QuirkSet): { ID: string; ExpectedAddress: string } {
  const id = String(peer["ID"] ?? "");
  const address = String(peer["ExpectedAddress"] ?? "");
  const where = `${op}: Peer[${index}]`;
  if (id === "" && address === "") throw invalidArgVal([], `${where} names no door controller; give its ID (MAC), its ExpectedAddress (IPv4), or both`);
  if (id !== "" && !MAC.test(id) && !(op === "AddPeers" && quirks.has("connection-peer-id-unchecked"))) throw invalidArgVal([], `${where}.ID "${id}" is not a MAC in the form 000000000000 or 00:00:00:00:00:00`);
  if (address !== "" && !IPV4.test(address)) throw invalidArgVal([], `${where}.ExpectedAddress "${address}" is not an IPv4 address`);
  return { ID: id === "" ? "" : normalizeMac(id), ExpectedAddress: address };
}

function addPeers(input: Item, state: DeviceState): Item {
  const network = peerNetwork(state);
  const peers = (input["Peer"] as Item[]).map((p, i) => peerArgs(p, "AddPeers", i, state.quirks));
  for (const [i, p] of peers.entries()) {
    if (network.isSelf(p.ID)) throw invalidArgVal([], `AddPeers: Peer[${i}].ID ${p.ID} is this door controller`);
  }
  if (peers.length > 0) network.addPeers(peers);
  return {};
}

function removePeers(input: Item, state: DeviceState): Item {
  const network = peerNetwork(state);
  const ids = new Set<string>();
  for (const [i, peer] of (input["Peer"] as Item[]).entries()) {
    const p = peerArgs(peer, "RemovePeers", i, state.quirks);
    if (network.isSelf(p.ID)) throw invalidArgVal([], `RemovePeers: Peer[${i}].ID ${p.ID} is this door controller; send RemovePeers to another controller of the network, or LeaveNetwork to this one`);
    const matching = network.membersMatching(p);
    if (matching.length === 0 && state.quirks.has("connection-remove-unknown-accepted")) continue;
    if (matching.length === 0) throw notFound("peer", p.ID !== "" ? p.ID : p.ExpectedAddress);
    for (const id of matching) ids.add(id);
  }
  if (ids.size > 0) network.removePeers([...ids]);
  return {};
}

export function connectionOperations(): OperationDef[] {
  return [
    { prefix: "aconn", name: "GetPeerList", input: GetPeerListShape, handle: (_in, state) => peerNetwork(state).peerList() },
    { prefix: "aconn", name: "AddPeers", input: AddPeersShape, handle: addPeers },
    { prefix: "aconn", name: "RemovePeers", input: RemovePeersShape, handle: removePeers },
    {
      prefix: "aconn",
      name: "SetStandAloneMode",
      input: SetStandAloneModeShape,
      handle(input, state) {
        if (!state.quirks.has("connection-stand-alone-not-stored")) peerNetwork(state).standAlone = input["StandAlone"] as boolean;
        return {};
      },
    },
    { prefix: "aconn", name: "GetStandAloneMode", input: GetStandAloneModeShape, handle: (_in, state) => ({ StandAlone: peerNetwork(state).standAlone }) },
    {
      prefix: "aconn",
      name: "LeaveNetwork",
      input: LeaveNetworkShape,
      handle(_in, state) {
        peerNetwork(state).leave();
        return {};
      },
    },
  ];
}
