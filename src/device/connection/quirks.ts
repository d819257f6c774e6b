/** The connection service's deviations: each breaks one rule of the door controller network. */
import type { QuirkInfo } from "../quirks.js";

export const CONNECTION_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "connection-self-uuid-missing",
    rule: "GetPeerList's Self names the controller called, with its DeviceUUID",
    behaviour: "Self.DeviceUUID is empty",
  },
  {
    name: "connection-stand-alone-not-stored",
    rule: "GetStandAloneMode reports what SetStandAloneMode set (on a controller not in a network)",
    behaviour: "SetStandAloneMode is answered but not stored",
  },
  {
    name: "connection-peer-id-unchecked",
    rule: "AddPeers refuses a Peer.ID that is not a MAC",
    behaviour: "a malformed ID is accepted and its invitation fails later",
  },
  {
    name: "connection-remove-unknown-accepted",
    rule: "RemovePeers naming no controller of the network is refused",
    behaviour: "the request is answered as if the peer had been removed",
  },
  {
    name: "network-replication-skips-peer",
    rule: "a configuration change accepted on one controller is applied on every connected peer, with the same token",
    behaviour: "the change never reaches the peer with the highest MAC, neither when it is made nor when that peer catches up",
  },
  {
    name: "network-majority-ignored",
    rule: "a configuration change is applied only when more than half of the network is connected and accepts it",
    behaviour: "a change is applied on the controllers that are reached, however few",
  },
  {
    name: "network-no-catch-up",
    rule: "a controller that comes back online receives the changes it missed",
    behaviour: "a controller coming back keeps the configuration it had",
  },
  {
    name: "network-routing-ignores-uuid",
    rule: "a configuration whose DeviceUUID names another controller of the network is set on that controller",
    behaviour: "the receiving controller puts its own UUID in the configuration",
  },
  {
    name: "network-events-not-distributed",
    rule: "with global distribution enabled, events of every controller are logged on all peers with their UUID",
    behaviour: "events stay on the controller that emitted them",
  },
  {
    name: "network-accounts-not-distributed",
    rule: "administrative users propagate to every peer of the network (AUD)",
    behaviour: "an account exists only on the controller it was created on",
  },
  {
    name: "network-peer-list-stale",
    rule: "GetPeerList reports the ConnectionState of each peer as it is",
    behaviour: "every peer of the network is reported Connected",
  },
  {
    name: "network-stand-alone-ignored",
    rule: "GetStandAloneMode is true while the controller is paired with other controllers",
    behaviour: "GetStandAloneMode reports the stored setting even when paired",
  },
  {
    name: "network-removed-peer-not-told",
    rule: "a controller removed with RemovePeers leaves the network: stand-alone mode, no peers",
    behaviour: "the removed controller is not told and still counts itself in the network",
  },
  {
    name: "network-no-peer-events",
    rule: "tns1:Device/tnsaxis:PeerConnection is emitted whenever a peer's ConnectionState changes",
    behaviour: "no PeerConnection event is emitted",
  },
];
