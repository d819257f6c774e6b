/**
 * The connection service (aconn, /vapix/aconn): door controller networks (connection-service.md).
 * The network itself is network.ts; the peer protocol peer-link.ts; what is replicated replica.ts.
 * The back door takes the controller offline, brings it back, and cuts or restores its links to
 * chosen peers (a split network), so the majority rule and catch-up can be tested unattended.
 */
import type { DeviceService } from "../service.js";
import { StimulusError, type StimulusKind } from "../world.js";
import { normalizeMac, peerNetwork } from "./network.js";
import { connectionOperations } from "./operations.js";
import { CONNECTION_QUIRKS } from "./quirks.js";
import { CONNECTION_TOPICS } from "./topics.js";

export { peerNetwork, PeerNetwork, MAX_NETWORK_SIZE } from "./network.js";
export { PEER_PATH } from "./peer-link.js";

function macList(value: unknown): string[] {
  if (typeof value !== "string" || value.trim() === "") throw new StimulusError('"Peers" must list MACs, comma-separated, e.g. "00408C184C1F,00408C184C20"');
  return value.split(",").map((id) => {
    const mac = normalizeMac(id.trim());
    if (!/^[0-9A-F]{12}$/.test(mac)) throw new StimulusError(`"${id.trim()}" is not a MAC such as 00408C184C1F`);
    return mac;
  });
}

const STIMULI: readonly StimulusKind[] = [
  {
    name: "TakeOffline",
    doc: "The controller's network link to its peers goes down: it sees every peer disconnected and they lose it (clients still reach it).",
    args: {},
    apply: (_args, state) => void peerNetwork(state).setOffline(true),
  },
  {
    name: "BringOnline",
    doc: "The controller's link to its peers comes back: it greets them at once and catches up on what it missed.",
    args: {},
    apply: (_args, state) => void peerNetwork(state).setOffline(false),
  },
  {
    name: "CutPeerLinks",
    doc: "The links between this controller and the named peers go down both ways (cut the same links on the other side to split a network in two).",
    args: { Peers: "MACs of the peers, comma-separated" },
    apply: (args, state) => void peerNetwork(state).cutLinks(macList(args["Peers"])),
  },
  {
    name: "RestorePeerLinks",
    doc: "Every link CutPeerLinks cut comes back.",
    args: {},
    apply: (_args, state) => void peerNetwork(state).cutLinks("restore"),
  },
];

export const connectionService: DeviceService = {
  name: "Connection",
  prefixes: ["aconn"],
  entities: [],
  quirks: CONNECTION_QUIRKS,
  operations: connectionOperations,
  attach(state) {
    state.topics.register(...CONNECTION_TOPICS);
    peerNetwork(state).attach();
    for (const kind of STIMULI) state.world.register(kind);
    state.world.registerView("PeerNetwork", (s) => peerNetwork(s).describe());
  },
};
