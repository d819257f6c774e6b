/**
 * What the network checks share: GetPeerList read into plain entries, polling a controller until
 * a condition holds (replication and connection changes are asynchronous), and taking peers
 * offline through their back doors for the length of a check (always brought back).
 */
import type { CheckContext, PeerController, Protocol } from "../../harness/types.js";
import { itemsOf } from "../../harness/entity.js";
import { sleep } from "../../harness/physical.js";
import { errorMessage } from "../../harness/verdict.js";

export const SERVICE = "Connection";
export const DOC = "connection-service.md";

export const REFS = {
  basics: `${DOC}#door-controller-network-basics`,
  connect: `${DOC}#connect-door-controllers`,
  remove: `${DOC}#remove-peers`,
  list: `${DOC}#list-peers`,
  trust: `${DOC}#trust-state`,
  connection: `${DOC}#connectionstate`,
  standAlone: `${DOC}#prevent-door-controller-from-joining-door-controller-network`,
  addPeers: `${DOC}#addpeers-command`,
  removePeers: `${DOC}#removepeers-command`,
  uuid: "intro.md#uuid",
  aud: "intro.md#administrative-users",
  distribution: "event-logger-service.md#event-distribution",
  topics: "event-logger-service.md#notification-topics",
} as const;

export const TRUST_STATES = ["NotInPeerNetwork", "AddingToPeerNetwork", "InitialSyncWithPeerNetwork", "InPeerNetwork", "RemovingFromPeerNetwork"];
export const CONNECTION_STATES = ["Disconnected", "PairingFailed", "Connected"];
export const MAC = /^([0-9A-Fa-f]{12}|([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})$/;

export interface PeerEntry {
  readonly ID: string;
  readonly ExpectedAddress: string;
  readonly LastKnownAddress: string;
  readonly DeviceUUID: string;
  readonly TrustState: string;
  readonly ConnectionState: string;
}

export interface PeerList {
  readonly self: PeerEntry | undefined;
  readonly peers: readonly PeerEntry[];
}

function entry(raw: Record<string, unknown>): PeerEntry {
  const s = (k: string): string => String(raw[k] ?? "").trim();
  return { ID: s("ID"), ExpectedAddress: s("ExpectedAddress"), LastKnownAddress: s("LastKnownAddress"), DeviceUUID: s("DeviceUUID"), TrustState: s("TrustState"), ConnectionState: s("ConnectionState") };
}

/** The same MAC whatever its documented form (000000000000 or 00:00:00:00:00:00). */
export function sameMac(a: string, b: string): boolean {
  return a.replaceAll(":", "").toUpperCase() === b.replaceAll(":", "").toUpperCase();
}

type Caller = Pick<CheckContext, "call"> | PeerController;

/** GetPeerList of the device (or of a peer). */
export async function peerList(at: Caller, via?: Protocol): Promise<PeerList> {
  const r = await at.call<Record<string, unknown>>("aconn:GetPeerList", {}, via);
  const self = r["Self"];
  return { self: self !== null && typeof self === "object" ? entry(self as Record<string, unknown>) : undefined, peers: itemsOf(r, "Peer").map(entry) };
}

/** Who a peer says it is (its Self), failing the check when it does not say. */
export async function identify(ctx: CheckContext, peer: PeerController): Promise<PeerEntry> {
  const list = await peerList(peer, ctx.protocol);
  if (list.self === undefined || list.self.ID === "") return ctx.fail(`the peer ${peer.url} answered GetPeerList without Self.ID`);
  return list.self;
}

/** How long a network change may take to show: the run's event wait, at least 3 s. */
export function settleMs(ctx: CheckContext): number {
  return Math.max(ctx.eventWaitMs, 3000);
}

/** Polls `probe` until it returns a value, for at most `settleMs`; the last value or undefined. */
export async function eventually<T>(ctx: CheckContext, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + settleMs(ctx);
  for (let pause = 50; ; pause = Math.min(pause * 2, 400)) {
    const v = await probe();
    if (v !== undefined || Date.now() >= deadline) return v;
    await sleep(pause, ctx.signal);
  }
}

/**
 * Skips unless the run has at least `count` peers and every one serves a back door: only the
 * reference controllers can be taken off their network on demand.
 */
export function requirePeersOffline(ctx: CheckContext, count: number, what: string): void {
  ctx.requirePeers(count, what);
  const without = ctx.peers.filter((p) => p.physical.via !== "backdoor");
  if (without.length > 0) {
    ctx.skip(`${what} takes peers off the network through their back doors (TakeOffline, BringOnline), which only reference controllers serve (pacs-conformance site, or run --site N); ${without.map((p) => p.url).join(", ")} ha${without.length === 1 ? "s" : "ve"} none`);
  }
}

/** Takes a peer off the network for the rest of the check (brought back in cleanup, also when the check fails). */
export async function takeOffline(ctx: CheckContext, peer: PeerController): Promise<void> {
  ctx.onCleanup(`bring ${peer.url} back online`, async () => {
    await peer.physical.stimulate({ Stimulus: "BringOnline" });
  });
  try {
    await peer.physical.stimulate({ Stimulus: "TakeOffline" });
  } catch (err) {
    if (/unknown stimulus/.test(errorMessage(err))) ctx.skip(`the peer ${peer.url} has no TakeOffline stimulus: ${errorMessage(err)}`);
    throw err;
  }
}

export async function bringOnline(peer: PeerController): Promise<void> {
  await peer.physical.stimulate({ Stimulus: "BringOnline" });
}

/** Waits until the device sees every peer of the list Connected again (after a check brought them back). */
export async function awaitConnected(ctx: CheckContext, ids: readonly string[]): Promise<boolean> {
  const ok = await eventually(ctx, async () => {
    const list = await peerList(ctx);
    return ids.every((id) => list.peers.some((p) => sameMac(p.ID, id) && p.ConnectionState === "Connected")) ? true : undefined;
  });
  return ok === true;
}
