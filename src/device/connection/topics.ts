/**
 * The connection service's topic (event-logger-service.md "Notification topics": "Emitted when a
 * ConnectionState changes"). Items as the connection guide's example event shows them: Status
 * tagged onvif-source (ConnectionEstablished there; ConnectionLost and PairingFailed for the other
 * changes, an assumption), Peer (the peer's ID) tagged onvif-data. Not a property.
 */
import type { TopicDecl } from "../topics.js";
import { PEER_CONNECTION_TOPIC } from "./network.js";

export const CONNECTION_TOPICS: readonly TopicDecl[] = [
  {
    topic: PEER_CONNECTION_TOPIC,
    doc: "Emitted when a ConnectionState changes.",
    property: false,
    source: [{ name: "Status", type: "xs:string" }],
    data: [{ name: "Peer", type: "xs:string" }],
  },
];
