/**
 * The connection service and the door controller network (connection-service.md, intro.md "UUID"
 * and "Administrative users", event-logger-service.md "Event distribution").
 *
 * Checks of the device alone run everywhere. The network checks need the other controllers of
 * the device's network (--peer URL, or the embedded site of --site N) and are skipped, naming
 * those flags, without them. They use the network as it is: they never add or remove a
 * controller. Taking a peer off the network (the majority rule, catch-up, connection state)
 * needs the peers' back doors, which only reference controllers serve; it is always undone.
 * Requests that would change a real network when a device wrongly accepts them (AddPeers with a
 * malformed ID, RemovePeers of an unknown peer) run only against the run's own device or with
 * --allow-network-changes.
 */
import { stableJson } from "../../harness/compare.js";
import { itemsOf } from "../../harness/entity.js";
import { faultOf } from "../../harness/faults.js";
import { createOne, requireOps, sampleFor } from "../../harness/items.js";
import type { CheckContext, CheckDefinition, PeerController } from "../../harness/types.js";
import { area, accessControllerConfiguration } from "../access-control/entities.js";
import { cleanupAccount, newPassword, accountName, usersOf } from "../accounts/support.js";
import { FETCH_EVENTS, areaFilter, awaitRows, fetchPage, valueOf } from "../event-logger/support.js";
import { BOTH, isTrue, lastExchange } from "../generic/support.js";
import {
  CONNECTION_STATES,
  MAC,
  REFS,
  SERVICE,
  TRUST_STATES,
  awaitConnected,
  bringOnline,
  eventually,
  identify,
  peerList,
  requirePeersOffline,
  sameMac,
  settleMs,
  takeOffline,
  type PeerEntry,
} from "./support.js";

const check = (c: Omit<CheckDefinition, "service" | "transports"> & { transports?: CheckDefinition["transports"] }): CheckDefinition => ({ service: SERVICE, transports: BOTH, ...c });

/** Skips a request that changes a real network if a device wrongly accepts it, unless the run may. */
function requireNetworkChanges(ctx: CheckContext, what: string): void {
  if (!ctx.ownsDevice && !ctx.allowNetworkChanges) {
    ctx.skip(`${what} would change the device's network if the device wrongly accepted it; add --allow-network-changes to run it against this device`);
  }
}

/** The run's Area on the device (replicated to the network), removed after the check. */
async function ownArea(ctx: CheckContext, label: string): Promise<{ token: string; item: Record<string, unknown> }> {
  requireOps(ctx, area.set, area.remove, area.full?.get);
  const token = ctx.newToken(label);
  const item = sampleFor(ctx, area, token);
  await createOne(ctx, area, item);
  return { token, item };
}

async function areaAt(at: Pick<CheckContext, "call"> | PeerController, token: string, via?: "soap" | "json"): Promise<Record<string, unknown> | undefined> {
  return itemsOf(await at.call("pacsaxis:GetArea", { Token: [token] }, via), "Area")[0];
}

/** The shape of one GetPeerList entry: what is wrong with it, or nothing. */
function entryProblems(e: PeerEntry, where: string): string[] {
  const out: string[] = [];
  if (e.ID !== "" && !MAC.test(e.ID)) out.push(`${where}.ID "${e.ID}" is not a MAC (000000000000 or 00:00:00:00:00:00)`);
  if (!TRUST_STATES.includes(e.TrustState)) out.push(`${where}.TrustState "${e.TrustState}" is not one of ${TRUST_STATES.join(", ")}`);
  if (!CONNECTION_STATES.includes(e.ConnectionState)) out.push(`${where}.ConnectionState "${e.ConnectionState}" is not one of ${CONNECTION_STATES.join(", ")}`);
  return out;
}

const peerListShape = check({
  id: "aconn.peer-list.self-and-peers",
  title: "GetPeerList names the device itself (MAC and UUID) and lists each peer of its network InPeerNetwork",
  rule: "GetPeerList answers Self (the controller called, with its ID and DeviceUUID) and Peer, every other known controller, with documented TrustState and ConnectionState values; the controllers of its network are InPeerNetwork",
  specRefs: [REFS.list, REFS.trust, REFS.connection, "intro.md#uuid"],
  quirk: "connection-self-uuid-missing",
  async run(ctx) {
    requireOps(ctx, "aconn:GetPeerList");
    const list = await peerList(ctx);
    const ev = lastExchange(ctx);
    const self = list.self;
    if (self === undefined) return ctx.fail("GetPeerList has no Self", ev);
    const problems = [...entryProblems(self, "Self"), ...list.peers.flatMap((p, i) => entryProblems(p, `Peer[${i}]`))];
    if (self.ID === "") problems.push("Self.ID is empty: the controller called must give its MAC");
    if (self.DeviceUUID === "") problems.push("Self.DeviceUUID is empty: clients find the UUIDs for routing here (intro.md UUID)");
    if (problems.length > 0) ctx.fail(problems.join("; "), ev);
    for (const peer of ctx.peers) {
      const who = await identify(ctx, peer);
      const listed = list.peers.find((p) => sameMac(p.ID, who.ID));
      if (listed === undefined) return ctx.fail(`the peer ${peer.url} (ID ${who.ID}) is not in the device's Peer list`, ev);
      if (listed.TrustState !== "InPeerNetwork") ctx.fail(`the peer ${who.ID} is listed ${listed.TrustState}, expected InPeerNetwork (it is in the device's network)`, ev);
      if (listed.DeviceUUID !== who.DeviceUUID) ctx.fail(`the peer ${who.ID} is listed with DeviceUUID "${listed.DeviceUUID}"; it says its own is "${who.DeviceUUID}"`, ev);
    }
  },
});

const standAloneSetGet = check({
  id: "aconn.stand-alone.set-get",
  title: "SetStandAloneMode changes what GetStandAloneMode reports (a controller not in a network)",
  rule: "On a controller that is not paired, GetStandAloneMode reports the StandAlone value SetStandAloneMode last set",
  specRefs: [REFS.standAlone, "connection-service.md#setstandalonemode-command", "connection-service.md#getstandalonemode-command"],
  quirk: "connection-stand-alone-not-stored",
  notes: "Skipped on a controller in a network (GetStandAloneMode is always true there); the setting is restored. It decides whether the controller may join a network, so it runs only on the run's own device or with --allow-network-changes.",
  async run(ctx) {
    requireNetworkChanges(ctx, "SetStandAloneMode (it decides whether the controller accepts invitations to a network; restored afterwards)");
    requireOps(ctx, "aconn:SetStandAloneMode", "aconn:GetStandAloneMode", "aconn:GetPeerList");
    const list = await peerList(ctx);
    if (list.peers.some((p) => p.TrustState === "InPeerNetwork")) ctx.skip("the device is in a door controller network, where stand-alone mode does not apply (aconn.stand-alone.paired judges it)");
    const before = isTrue((await ctx.call("aconn:GetStandAloneMode", {}))["StandAlone"]);
    ctx.onCleanup("restore stand-alone mode", async (call) => {
      await call("aconn:SetStandAloneMode", { StandAlone: before }, ctx.protocol);
    });
    for (const value of [!before, before]) {
      await ctx.call("aconn:SetStandAloneMode", { StandAlone: value });
      const got = (await ctx.call("aconn:GetStandAloneMode", {}))["StandAlone"];
      if (isTrue(got) !== value) ctx.fail(`SetStandAloneMode StandAlone=${value}, then GetStandAloneMode answered ${JSON.stringify(got)}`, lastExchange(ctx));
    }
  },
});

const standAlonePaired = check({
  id: "aconn.stand-alone.paired",
  title: "GetStandAloneMode is true on a controller paired with others",
  rule: "If the device is paired with any other device, GetStandAloneMode always returns true",
  specRefs: [`connection-service.md#getstandalonemode-command`, REFS.standAlone],
  quirk: "network-stand-alone-ignored",
  async run(ctx) {
    ctx.requirePeers(1, "judging stand-alone mode on a paired controller");
    requireOps(ctx, "aconn:GetStandAloneMode");
    const got = (await ctx.call("aconn:GetStandAloneMode", {}))["StandAlone"];
    if (!isTrue(got)) ctx.fail(`the device is paired with ${ctx.peers.length} controller(s), yet GetStandAloneMode answered ${JSON.stringify(got)}`, lastExchange(ctx));
  },
});

const addPeersBadId = check({
  id: "aconn.add-peers.malformed-id-refused",
  title: "AddPeers with a malformed ID is refused and changes nothing",
  rule: "Peer.ID is a MAC in the form 000000000000 or 00:00:00:00:00:00; a request with another ID is refused with a fault and the peer list stays as it was",
  specRefs: [REFS.connect, "connection-service.md#peer-data-structure"],
  quirk: "connection-peer-id-unchecked",
  async run(ctx) {
    requireNetworkChanges(ctx, "AddPeers with a malformed ID");
    requireOps(ctx, "aconn:AddPeers", "aconn:GetPeerList");
    const before = await peerList(ctx);
    let refused = false;
    try {
      await ctx.call("aconn:AddPeers", { Peer: [{ ID: "00408C18ZZZZ" }] });
    } catch (err) {
      if (faultOf(err) === undefined) throw err;
      refused = true;
    }
    const ev = lastExchange(ctx);
    const after = await peerList(ctx);
    if (!refused) ctx.fail('AddPeers with ID "00408C18ZZZZ" (not hexadecimal) was accepted', ev);
    const grew = after.peers.filter((p) => !before.peers.some((b) => sameMac(b.ID, p.ID) && b.ExpectedAddress === p.ExpectedAddress));
    if (grew.length > 0) ctx.fail(`the refused AddPeers still added ${grew.map((p) => `"${p.ID}" (${p.TrustState})`).join(", ")} to the peer list`);
  },
});

const removeUnknownPeer = check({
  id: "aconn.remove-peers.unknown-refused",
  title: "RemovePeers naming no peer of the network is refused",
  rule: "RemovePeers removes the peers whose ID or ExpectedAddress match; a request naming a controller that is not in the network is refused with a fault",
  specRefs: [REFS.remove, REFS.removePeers],
  quirk: "connection-remove-unknown-accepted",
  notes: "The documentation names no fault for an unknown peer; any fault passes (the reference device answers ter:InvalidArgVal/ter:NotFound).",
  async run(ctx) {
    requireNetworkChanges(ctx, "RemovePeers of an unknown controller");
    requireOps(ctx, "aconn:RemovePeers", "aconn:GetPeerList");
    const list = await peerList(ctx);
    let id = "00408CFFFFFE";
    for (let n = 0xfffe; [list.self, ...list.peers].some((p) => p !== undefined && sameMac(p.ID, id)); n--) id = `00408CFF${n.toString(16).toUpperCase()}`;
    try {
      await ctx.call("aconn:RemovePeers", { Peer: [{ ID: id }] });
    } catch (err) {
      if (faultOf(err) === undefined) throw err;
      return;
    }
    ctx.fail(`RemovePeers of ${id}, a controller the peer list does not name, was accepted`, lastExchange(ctx));
  },
});

const replication = check({
  id: "aconn.network.replication",
  title: "A configuration change on the device reaches every peer, with the same token",
  rule: "Door controllers in a network share the same configuration: a change accepted at one controller is sent to all others, with the same token, so it can be read at any controller",
  specRefs: [REFS.basics],
  quirk: "network-replication-skips-peer",
  async run(ctx) {
    ctx.requirePeers(1, "replication");
    const { token } = await ownArea(ctx, "net-area");
    const here = await areaAt(ctx, token);
    for (const peer of ctx.peers) {
      const there = await eventually(ctx, () => areaAt(peer, token, ctx.protocol));
      if (there === undefined) ctx.fail(`Area "${token}" set on the device is not on the peer ${peer.url} after ${settleMs(ctx)} ms`, lastExchange(ctx));
      if (stableJson(there) !== stableJson(here)) ctx.fail(`Area "${token}" differs on the peer ${peer.url}: ${stableJson(there)} vs the device's ${stableJson(here)}`, lastExchange(ctx));
    }
  },
});

const uuidRouting = check({
  id: "aconn.network.uuid-routing",
  title: "A configuration whose DeviceUUID names a peer is stored for that peer, read the same at both",
  rule: "Requests to set configurations can be sent to any controller of the network when the UUID is specified: the configuration is set on the controller with that UUID",
  specRefs: [REFS.uuid, REFS.basics],
  quirk: "network-routing-ignores-uuid",
  async run(ctx) {
    ctx.requirePeers(1, "UUID routing");
    const entity = accessControllerConfiguration;
    requireOps(ctx, entity.set, entity.remove, entity.full?.get);
    const peer = ctx.peers[0]!;
    const who = await identify(ctx, peer);
    if (who.DeviceUUID === "") ctx.fail(`the peer ${peer.url} reports no DeviceUUID in GetPeerList Self`);
    const token = ctx.newToken("net-acc");
    await createOne(ctx, entity, { ...sampleFor(ctx, entity, token), DeviceUUID: who.DeviceUUID });
    const here = itemsOf(await ctx.call(entity.full!.get!, { Token: [token] }), entity.full!.itemField)[0];
    if (here?.["DeviceUUID"] !== who.DeviceUUID) ctx.fail(`AccessControllerConfiguration "${token}" set with the peer's DeviceUUID ${who.DeviceUUID} reads back with DeviceUUID "${String(here?.["DeviceUUID"] ?? "(none)")}"`, lastExchange(ctx));
    const there = await eventually(ctx, async () => itemsOf(await peer.call(entity.full!.get!, { Token: [token] }, ctx.protocol), entity.full!.itemField)[0]);
    if (there?.["DeviceUUID"] !== who.DeviceUUID) ctx.fail(`on the peer it names, AccessControllerConfiguration "${token}" has DeviceUUID "${String(there?.["DeviceUUID"] ?? "(not there)")}", expected ${who.DeviceUUID}`, lastExchange(ctx));
  },
});

/** Takes enough peers offline that the device is left without a majority; returns them. */
async function leaveInMinority(ctx: CheckContext): Promise<PeerController[]> {
  // More than half of (peers + 1) must be connected: with every peer offline the device alone is 1 of n ≥ 2.
  for (const peer of ctx.peers) await takeOffline(ctx, peer);
  return [...ctx.peers];
}

const majorityRefused = check({
  id: "aconn.network.majority-refused",
  title: "A change on a controller that does not see a majority is refused and changes nothing anywhere",
  rule: "A configuration update is only applied if a majority of the controllers of the network are connected and accept it; otherwise the request fails and no controller applies it",
  specRefs: [REFS.basics],
  quirk: "network-majority-ignored",
  async run(ctx) {
    requirePeersOffline(ctx, 1, "the majority rule");
    requireOps(ctx, area.set, area.remove, area.full?.get);
    const ids = await Promise.all(ctx.peers.map(async (p) => (await identify(ctx, p)).ID));
    const offline = await leaveInMinority(ctx);
    const token = ctx.newToken("net-minority");
    ctx.onCleanup(`remove Area ${token}`, async (call) => {
      await call(area.remove!, { Token: [token] }, ctx.protocol).catch(() => undefined);
    });
    let accepted = true;
    try {
      await ctx.call(area.set!, { [area.setField!]: [sampleFor(ctx, area, token)] });
    } catch (err) {
      if (faultOf(err) === undefined) throw err;
      accepted = false;
    }
    const ev = lastExchange(ctx);
    const here = await areaAt(ctx, token);
    for (const p of offline) await bringOnline(p);
    await awaitConnected(ctx, ids);
    const reached: string[] = [];
    for (const p of ctx.peers) if ((await areaAt(p, token, ctx.protocol)) !== undefined) reached.push(p.url);
    if (accepted) ctx.fail(`SetArea was accepted with ${offline.length} of the network's ${ctx.peers.length + 1} controllers offline (the device alone is no majority)${here !== undefined ? "; the device stored it" : ""}`, ev);
    if (here !== undefined) ctx.fail(`SetArea was refused, yet the device stored Area "${token}"`, ev);
    if (reached.length > 0) ctx.fail(`SetArea was refused, yet Area "${token}" reached ${reached.join(", ")} when they came back`);
  },
});

const catchUp = check({
  id: "aconn.network.catch-up",
  title: "With one peer offline the majority accepts a change, and the peer receives it when it comes back",
  rule: "With a majority connected the update is accepted and distributed to the online controllers; the offline controller receives it from the others when it comes online",
  specRefs: [REFS.basics],
  quirk: "network-no-catch-up",
  async run(ctx) {
    requirePeersOffline(ctx, 2, "catch-up after reconnection");
    const away = ctx.peers[ctx.peers.length - 1]!;
    const awayId = (await identify(ctx, away)).ID;
    await takeOffline(ctx, away);
    const { token } = await ownArea(ctx, "net-catchup");
    for (const p of ctx.peers.filter((p) => p !== away)) {
      if ((await eventually(ctx, () => areaAt(p, token, ctx.protocol))) === undefined) ctx.fail(`Area "${token}" accepted by the majority did not reach the online peer ${p.url}`, lastExchange(ctx));
    }
    await bringOnline(away);
    if (!(await awaitConnected(ctx, [awayId]))) ctx.fail(`the peer ${away.url} (${awayId}) was brought back online but the device does not list it Connected after ${settleMs(ctx)} ms`, lastExchange(ctx));
    if ((await eventually(ctx, () => areaAt(away, token, ctx.protocol))) === undefined) ctx.fail(`the peer ${away.url} came back online but Area "${token}", accepted while it was away, is not there after ${settleMs(ctx)} ms`, lastExchange(ctx));
  },
});

const peerState = check({
  id: "aconn.network.connection-state",
  title: "GetPeerList shows a peer Disconnected while it is off the network, and Connected again after",
  rule: "ConnectionState describes whether a network link to the peer is established: Disconnected when none is open, Connected when one is",
  specRefs: [REFS.connection, REFS.basics],
  quirk: "network-peer-list-stale",
  async run(ctx) {
    requirePeersOffline(ctx, 1, "connection state");
    const peer = ctx.peers[0]!;
    const id = (await identify(ctx, peer)).ID;
    await takeOffline(ctx, peer);
    const seen = await eventually(ctx, async () => {
      const p = (await peerList(ctx)).peers.find((e) => sameMac(e.ID, id));
      return p !== undefined && p.ConnectionState !== "Connected" ? p : undefined;
    });
    if (seen === undefined) ctx.fail(`the peer ${id} was taken off the network, yet the device still lists it Connected after ${settleMs(ctx)} ms`, lastExchange(ctx));
    await bringOnline(peer);
    if (!(await awaitConnected(ctx, [id]))) ctx.fail(`the peer ${id} came back, yet the device does not list it Connected after ${settleMs(ctx)} ms`, lastExchange(ctx));
  },
});

const peerConnectionEvent = check({
  id: "aconn.network.peer-connection-event",
  title: "A peer going offline and coming back is logged as tns1:Device/tnsaxis:PeerConnection naming the peer",
  rule: "An event tns1:Device/tnsaxis:PeerConnection is dispatched whenever a remote peer changes ConnectionState; its Peer item is the peer's ID",
  specRefs: [REFS.connection, REFS.topics, REFS.connect],
  quirk: "network-no-peer-events",
  async run(ctx) {
    requirePeersOffline(ctx, 1, "the PeerConnection event");
    requireOps(ctx, FETCH_EVENTS);
    const peer = ctx.peers[0]!;
    const id = (await identify(ctx, peer)).ID;
    const filters = [{ Key: "topic1", Value: "PeerConnection" }, { Key: "Peer", Value: id }];
    const before = (await fetchPage(ctx, FETCH_EVENTS, { Filters: filters })).rows.length;
    await takeOffline(ctx, peer);
    await eventually(ctx, async () => ((await peerList(ctx)).peers.find((e) => sameMac(e.ID, id))?.ConnectionState === "Connected" ? undefined : true));
    await bringOnline(peer);
    await awaitConnected(ctx, [id]);
    const rows = await awaitRows(ctx, FETCH_EVENTS, filters, before + 2);
    if (rows.length < before + 2) ctx.fail(`the peer ${id} went offline and came back, yet the event log has ${rows.length - before} new PeerConnection event(s) for it (expected one for each ConnectionState change)`, lastExchange(ctx));
  },
});

const eventDistribution = check({
  id: "aconn.network.event-distribution",
  title: "With global distribution enabled, a peer's event is logged on the device with the peer's UUID",
  rule: "When global distribution is enabled, events emitted by one controller are replicated on all controllers of the network, with the emitting controller's UUID",
  specRefs: [REFS.distribution],
  quirk: "network-events-not-distributed",
  async run(ctx) {
    ctx.requirePeers(1, "event distribution");
    requireOps(ctx, "axloc:GetEventDistributionConfig", FETCH_EVENTS, area.set, area.remove);
    const cfg = await ctx.call("axloc:GetEventDistributionConfig", {});
    const enabled = itemsOf(cfg, "EventDistributionConfig")[0]?.["GlobalDistributionEnabled"];
    if (!isTrue(enabled)) ctx.skip(`global event distribution is disabled on the device (GetEventDistributionConfig: ${JSON.stringify(enabled)}); nothing is distributed to judge`);
    const peer = ctx.peers[0]!;
    const who = await identify(ctx, peer);
    // An Area set at the peer: its Configuration event is the peer's own.
    const token = ctx.newToken("net-event");
    ctx.onCleanup(`remove Area ${token}`, async (call) => {
      await call(area.remove!, { Token: [token] }, ctx.protocol).catch(() => undefined);
    });
    await peer.call(area.set!, { [area.setField!]: [sampleFor(ctx, area, token)] }, ctx.protocol);
    const rows = await awaitRows(ctx, FETCH_EVENTS, areaFilter(token), 1);
    const fromPeer = await eventually(ctx, async () => {
      const all = (await fetchPage(ctx, FETCH_EVENTS, { Filters: areaFilter(token) })).rows;
      return all.find((r) => String(r["UUID"] ?? valueOf(r, "UUID") ?? "") === who.DeviceUUID);
    });
    if (fromPeer === undefined) ctx.fail(`the peer ${who.ID} logged the Changed event of Area "${token}", yet the device's log has ${rows.length} event(s) for it and none with the peer's UUID ${who.DeviceUUID}`, lastExchange(ctx));
  },
});

const accountsPropagate = check({
  id: "aconn.network.administrative-users",
  title: "An administrative account created on the device can be read on every peer",
  rule: "Actions on administrative users (add, update, remove) are propagated through the network, and the accounts are available on all peers",
  specRefs: [REFS.aud],
  quirk: "network-accounts-not-distributed",
  async run(ctx) {
    ctx.requirePeers(1, "administrative user distribution");
    if (!ctx.ownsDevice) ctx.skip("creates an administrative account, a change to the network's security; this runs only against the built-in reference site (pacs-conformance run --site N)");
    requireOps(ctx, "tds:CreateUsers", "tds:GetUsers", "tds:DeleteUsers");
    const user = accountName(ctx, `n${ctx.protocol[0]}`);
    cleanupAccount(ctx, user);
    await ctx.call("tds:CreateUsers", { User: [{ Username: user, Password: newPassword(ctx), UserLevel: "Operator" }] }, "soap");
    for (const peer of ctx.peers) {
      const listed = await eventually(ctx, async () => usersOf(await peer.call("tds:GetUsers", {}, "soap")).find((u) => u.name === user));
      if (listed === undefined) ctx.fail(`account ${user} created on the device is not listed by GetUsers on the peer ${peer.url} after ${settleMs(ctx)} ms`, lastExchange(ctx));
    }
    await ctx.call("tds:DeleteUsers", { Username: [user] }, "soap");
    for (const peer of ctx.peers) {
      const gone = await eventually(ctx, async () => (usersOf(await peer.call("tds:GetUsers", {}, "soap")).some((u) => u.name === user) ? undefined : true));
      if (gone === undefined) ctx.fail(`account ${user} deleted on the device is still listed on the peer ${peer.url} after ${settleMs(ctx)} ms`, lastExchange(ctx));
    }
  },
});

const removeAndRejoin = check({
  id: "aconn.network.remove-and-rejoin",
  title: "RemovePeers takes a peer out of the network (stand-alone, no peers) and AddPeers brings it back in",
  rule: "A removed controller is in stand-alone mode and no longer in the network; AddPeers invites it again, and it ends InPeerNetwork and Connected on both sides",
  specRefs: [REFS.remove, REFS.connect, REFS.standAlone, REFS.trust],
  quirk: "network-removed-peer-not-told",
  notes: "Changes the network's membership: runs only on the run's own site or with --allow-network-changes, and only with two peers or more (the majority stays when one leaves).",
  async run(ctx) {
    ctx.requirePeers(2, "removing and re-adding a peer");
    if (!ctx.ownsDevice && !ctx.allowNetworkChanges) ctx.skip("removes a peer from the network and adds it again; add --allow-network-changes to let the suite change this network's membership");
    requireOps(ctx, "aconn:RemovePeers", "aconn:AddPeers", "aconn:GetPeerList");
    const peer = ctx.peers[ctx.peers.length - 1]!;
    const who = await identify(ctx, peer);
    const address = new URL(peer.url).hostname;
    const rejoin = async (): Promise<void> => {
      await peer.call("aconn:SetStandAloneMode", { StandAlone: false }, ctx.protocol);
      await ctx.call("aconn:AddPeers", { Peer: [{ ID: who.ID, ExpectedAddress: address }] });
    };
    ctx.onCleanup(`make sure ${who.ID} is back in the network`, async (call) => {
      const listed = itemsOf(await call("aconn:GetPeerList", {}, ctx.protocol), "Peer").find((p) => sameMac(String(p["ID"] ?? ""), who.ID));
      if (listed?.["TrustState"] === "InPeerNetwork") return;
      await peer.call("aconn:SetStandAloneMode", { StandAlone: false }, ctx.protocol);
      await call("aconn:AddPeers", { Peer: [{ ID: who.ID, ExpectedAddress: address }] }, ctx.protocol);
      await awaitConnected(ctx, [who.ID]);
    });
    await ctx.call("aconn:RemovePeers", { Peer: [{ ID: who.ID }] });
    const out = await eventually(ctx, async () => ((await peerList(peer, ctx.protocol)).peers.some((p) => p.TrustState === "InPeerNetwork") ? undefined : true));
    if (out === undefined) ctx.fail(`after RemovePeers of ${who.ID}, that controller still lists peers InPeerNetwork after ${settleMs(ctx)} ms: it was not taken out of the network`, lastExchange(ctx));
    const standAlone = (await peer.call("aconn:GetStandAloneMode", {}, ctx.protocol))["StandAlone"];
    if (!isTrue(standAlone)) ctx.fail(`the removed controller ${who.ID} reports StandAlone ${JSON.stringify(standAlone)}; a removed controller is in stand-alone mode`, lastExchange(ctx));
    const gone = await eventually(ctx, async () => ((await peerList(ctx)).peers.some((p) => sameMac(p.ID, who.ID) && p.TrustState === "InPeerNetwork") ? undefined : true));
    if (gone === undefined) ctx.fail(`the device still lists the removed controller ${who.ID} InPeerNetwork after ${settleMs(ctx)} ms`, lastExchange(ctx));
    await rejoin();
    if (!(await awaitConnected(ctx, [who.ID]))) ctx.fail(`AddPeers of ${who.ID} (${address}) did not bring it back InPeerNetwork and Connected within ${settleMs(ctx)} ms`, lastExchange(ctx));
    const back = await eventually(ctx, async () => ((await peerList(peer, ctx.protocol)).peers.filter((p) => p.TrustState === "InPeerNetwork").length === ctx.peers.length ? true : undefined));
    if (back === undefined) ctx.fail(`the re-added controller ${who.ID} does not list the network's ${ctx.peers.length} other controllers InPeerNetwork`, lastExchange(ctx));
  },
});

export function connectionCheckList(): CheckDefinition[] {
  return [peerListShape, standAloneSetGet, standAlonePaired, addPeersBadId, removeUnknownPeer, replication, uuidRouting, majorityRefused, catchUp, peerState, peerConnectionEvent, eventDistribution, accountsPropagate, removeAndRejoin];
}
