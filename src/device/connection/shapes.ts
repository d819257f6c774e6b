/**
 * Request shapes of the connection service (aconn, wsdl/axis/connection.xsd; field order = schema
 * order). A Peer of AddPeers may carry every Peer field; the device reads only ID and
 * ExpectedAddress (the others are what GetPeerList reports).
 */
import { bool, emptyRequest, list, list1, obj, opt, req, str } from "../shape.js";

const PeerShape = obj("Peer", [opt("ID", str()), opt("ExpectedAddress", str()), opt("LastKnownAddress", str()), opt("DeviceUUID", str()), opt("TrustState", str()), opt("ConnectionState", str())]);
const PeerInfoShape = obj("Peer", [opt("ID", str()), opt("ExpectedAddress", str())]);

export const GetPeerListShape = emptyRequest("GetPeerList");
export const AddPeersShape = obj("AddPeers", [list("Peer", PeerShape)]);
export const RemovePeersShape = obj("RemovePeers", [list1("Peer", PeerInfoShape)]);
export const SetStandAloneModeShape = obj("SetStandAloneMode", [req("StandAlone", bool)]);
export const GetStandAloneModeShape = emptyRequest("GetStandAloneMode");
export const LeaveNetworkShape = emptyRequest("LeaveNetwork");
