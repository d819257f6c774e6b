/**
 * The door controller network as one controller takes part in it (connection-service.md):
 * membership and trust, the peers' connection state, the majority rule, replication of every
 * accepted configuration change with the same tokens, catch-up of a controller that was away,
 * global event distribution, and the links the back door cuts.
 *
 * Controllers talk only through the peer protocol (peer-link.ts). The membership is replicated
 * like configuration (the "#Peer" collection, one item per controller, itself included), so an
 * addition or removal reaches a controller that was offline when it comes back, as any change
 * does. A controller in a network is a WriteGate (state.ts): every request that may change
 * configuration runs through `run`, which
 *   1. refuses it when the controller does not see a majority (more than half of the network,
 *      itself included, connected), before anything happens;
 *   2. runs it with the store journal open, and turns what it wrote into versioned changes;
 *   3. sends them to every peer it can reach; when fewer than a majority accept, the change is
 *      undone here and on those that took it, and the request fails.
 * A controller learns of peers coming back through a heartbeat; one that is behind (its Lamport
 * time is lower) pulls a full copy and keeps what is newer.
 */
import { eventLogger } from "../event-logger/logger.js";
import { invalidArgVal, OperationFault } from "../faults.js";
import { composedServices } from "../service.js";
import type { DeviceEvent, DeviceState, WriteGate } from "../state.js";
import { itemKey, type Stored } from "../store.js";
import { callPeer, PeerCallError, verifyPeer, type PeerSigner } from "./peer-link.js";
import { ACCOUNTS, changesOf, diffCollection, newer, ownerOf, readAll, replicatedCollections, toChange, UNVERSIONED, type Collection, type ItemChange, type Version } from "./replica.js";

/** "A door controller network can consist of up to 33 door controllers." */
export const MAX_NETWORK_SIZE = 33;
export const PEER_CONNECTION_TOPIC = "tns1:Device/tnsaxis:PeerConnection";
const MEMBERS = "#Peer";
/** How long distributed events gather before they are sent. */
const EVENT_BATCH_MS = 20;
/** A connected peer is greeted every this many heartbeats. */
const CONNECTED_EVERY = 4;

export type TrustState = "NotInPeerNetwork" | "AddingToPeerNetwork" | "InitialSyncWithPeerNetwork" | "InPeerNetwork" | "RemovingFromPeerNetwork";
export type ConnectionState = "Disconnected" | "PairingFailed" | "Connected";

/** One controller of the network, as the membership records it. */
export interface Member {
  readonly ID: string;
  readonly DeviceUUID: string;
  /** Where its peer protocol (and its services) answer. */
  readonly Url: string;
  /** The address AddPeers was given for it ("" when added by ID alone). */
  readonly ExpectedAddress: string;
}

/** A controller being added or removed, or one whose pairing failed. */
interface Pending {
  readonly ID: string;
  readonly ExpectedAddress: string;
  readonly DeviceUUID: string;
  readonly Url: string;
  trust: TrustState;
  connection: ConnectionState;
}

/** A controller that answered discovery (connection-service.md: "each door controller broadcasts its presence"). */
interface Seen {
  readonly ID: string;
  readonly DeviceUUID: string;
  readonly Url: string;
}

/** What a restarted controller needs to be the same member of its network (persistence.ts keeps it). */
export interface NetworkRecord {
  readonly members: readonly Member[];
  readonly networkId: string;
  readonly lamport: number;
  readonly standAlone: boolean;
  /** Each replicated item's version, removals' (tombstones) included: [type, token, version]. */
  readonly versions: readonly (readonly [string, string, Version])[];
}

/** A Map that counts its changes, so persistence.ts can tell cheaply whether the network's state moved. */
class CountingMap<K, V> extends Map<K, V> {
  changes = 0;

  override set(k: K, v: V): this {
    this.changes += 1;
    return super.set(k, v);
  }

  override delete(k: K): boolean {
    this.changes += 1;
    return super.delete(k);
  }

  override clear(): void {
    this.changes += 1;
    super.clear();
  }
}

export interface NetworkConfig {
  /** This controller's base URL, as its peers reach it. */
  readonly url: string;
  /** The secret peer requests are signed with: controllers pair only with the same one. */
  readonly secret: string;
  /** Base URLs of the other controllers on the same network segment (what discovery finds). */
  readonly directory: readonly string[];
  /** How often peers are greeted (connection state, catch-up, discovery). */
  readonly heartbeatMs: number;
  /** How long one peer request may take. */
  readonly callTimeoutMs: number;
}

/** A peer protocol answer. */
export interface PeerAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Requests that change administrative accounts (not in an entity store, so compared before and after). */
const ACCOUNT_WRITERS: ReadonlySet<string> = new Set(["tds:CreateUsers", "tds:SetUser", "tds:DeleteUsers", "/axis-cgi/pwdgrp.cgi"]);

export function normalizeMac(id: string): string {
  return id.replaceAll(":", "").toUpperCase();
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return "";
  }
}

const refused = (status: number, message: string): PeerAnswer => ({ status, body: { Error: message } });

function majorityFault(what: string, connected: number, total: number): OperationFault {
  return new OperationFault({
    code: "env:Receiver",
    subcodes: ["ter:Action"],
    reason: `${what} refused by the majority rule: ${connected} of the network's ${total} door controllers are connected and accept it; more than half must (connection-service.md "Door controller network basics")`,
  });
}

export class PeerNetwork implements WriteGate {
  private config: NetworkConfig | undefined;
  /** The membership, this controller included while it is in a network. */
  private readonly members = new CountingMap<string, Member>();
  private readonly connection = new Map<string, ConnectionState>();
  private readonly pending = new Map<string, Pending>();
  private readonly discovered = new Map<string, Seen>();
  private readonly versions = new CountingMap<string, Version>();
  private readonly collections = new Map<string, Collection>();
  private lamport = 0;
  private networkId = "";
  private standAloneSetting = false;
  private offline = false;
  private readonly cut = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  /** True while a peer's changes are stored: the events they cause are this controller's own business. */
  private applying = false;
  private outbox: DeviceEvent[] = [];
  private readonly catchingUp = new Set<string>();
  private rounds = 0;

  constructor(private readonly state: DeviceState) {}

  /** Called once every service has attached (the stores exist). */
  attach(): void {
    for (const c of replicatedCollections(this.state)) this.collections.set(c.type, c);
    this.collections.set(MEMBERS, this.memberCollection());
    this.state.gate = this;
    this.state.subscribe((event) => this.outgoing(event));
  }

  /** Starts taking part: the address peers reach this controller at, the secret, the segment to discover. */
  start(config: NetworkConfig): void {
    this.config = config;
    this.timer = setInterval(() => void this.beat(), config.heartbeatMs);
    this.timer.unref();
    void this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Other controllers that discovery should try (a site hands each controller the others' addresses once they listen). */
  setDirectory(urls: readonly string[]): void {
    if (this.config === undefined) return;
    this.config = { ...this.config, directory: urls.filter((u) => u !== this.config?.url) };
  }

  private get mac(): string {
    return this.state.identity.mac;
  }

  private get self(): Member {
    return { ID: this.mac, DeviceUUID: this.state.identity.uuid, Url: this.config?.url ?? "", ExpectedAddress: "" };
  }

  /** In a network: this controller and at least one other. */
  get inNetwork(): boolean {
    return this.members.size > 1;
  }

  /** The write gate is engaged while the controller is in a network. */
  get engaged(): boolean {
    return this.inNetwork;
  }

  private others(): Member[] {
    return [...this.members.values()].filter((m) => m.ID !== this.mac).sort((a, b) => (a.ID < b.ID ? -1 : 1));
  }

  private linkUp(id: string): boolean {
    return !this.offline && !this.cut.has(id);
  }

  // ---- the write gate

  run<T>(what: string, admit: boolean, fn: () => T | Promise<T>): T | Promise<T> {
    if (!this.inNetwork) return fn();
    if (admit) this.requireMajority(what);
    const accounts = this.collections.get(ACCOUNTS);
    const accountsBefore = accounts !== undefined && ACCOUNT_WRITERS.has(what) && !this.state.quirks.has("network-accounts-not-distributed") ? readAll(accounts) : undefined;
    const { result, writes } = this.state.journaled(fn);
    const found = changesOf(writes, this.collections, UNVERSIONED);
    if (accounts !== undefined && accountsBefore !== undefined) found.push(...diffCollection(accounts, accountsBefore, UNVERSIONED));
    // Only a request that changed something takes a version (a read must not move the clock: catch-up compares clocks).
    if (found.length === 0) return result;
    const v = this.nextVersion();
    const changes = found.map((c) => ({ ...c, v }));
    for (const c of changes) this.versions.set(itemKey(c.type, c.token), v);
    const befores = new Map<string, { type: string; token: string; before: Stored | undefined }>();
    for (const w of writes) befores.set(itemKey(w.store.decl.name, w.token), { type: w.store.decl.name, token: w.token, before: w.before });
    if (accountsBefore !== undefined) for (const c of changes) if (c.type === ACCOUNTS) befores.set(itemKey(c.type, c.token), { type: c.type, token: c.token, before: accountsBefore.get(c.token) });
    return this.distribute(what, changes, [...befores.values()]).then(async () => await result);
  }

  private nextVersion(): Version {
    this.lamport += 1;
    return [this.lamport, this.mac];
  }

  private requireMajority(what: string): void {
    if (this.state.quirks.has("network-majority-ignored")) return;
    const others = this.others();
    const connected = 1 + others.filter((m) => this.linkUp(m.ID) && this.connection.get(m.ID) === "Connected").length;
    const total = others.length + 1;
    if (connected * 2 <= total) throw majorityFault(what, connected, total);
  }

  /**
   * Sends accepted changes to every peer this controller can reach. When fewer than a majority
   * take them, they are undone here and on those that did, and the request fails.
   */
  private async distribute(what: string, changes: readonly ItemChange[], befores: readonly { type: string; token: string; before: Stored | undefined }[]): Promise<void> {
    const others = this.others();
    let targets = others.filter((m) => this.linkUp(m.ID));
    let skipped = 0;
    if (this.state.quirks.has("network-replication-skips-peer") && targets.length > 0) {
      targets = targets.slice(0, -1);
      skipped = 1;
    }
    const took = await this.sendToAll(targets, "apply", { Changes: changes });
    const accepted = 1 + took.length + skipped;
    const total = others.length + 1;
    if (accepted * 2 > total || this.state.quirks.has("network-majority-ignored")) return;
    // Undo: the items as they were, at a newer version, here and on the peers that took the change.
    const v = this.nextVersion();
    const undo = befores.map((b) => toChange(b.type, b.token, v, b.before));
    this.applyChanges(undo, true);
    await this.sendToAll(took, "apply", { Changes: undo });
    throw majorityFault(what, accepted, total);
  }

  /** Sends one request to each member; the members that accepted it. */
  private async sendToAll(targets: readonly Member[], verb: string, payload: Record<string, unknown>): Promise<Member[]> {
    const results = await Promise.all(targets.map((m) => this.send(m, verb, payload).then(() => true, () => false)));
    return targets.filter((_, i) => results[i]);
  }

  /** One request to a member; its answer also tells whether the member is connected. */
  private async send(member: { ID: string; Url: string }, verb: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.linkUp(member.ID)) throw new PeerCallError(`the link to ${member.ID} is down`, 0);
    try {
      const answer = await this.call(member.Url, verb, payload);
      // The link may have been cut while the request was in flight.
      if (this.members.has(member.ID) && this.linkUp(member.ID)) this.setConnection(member.ID, "Connected");
      return answer;
    } catch (err) {
      if (this.members.has(member.ID)) this.setConnection(member.ID, "Disconnected");
      throw err;
    }
  }

  private call(url: string, verb: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const config = this.requireConfig();
    const signer: PeerSigner = { mac: this.mac, secret: config.secret };
    return callPeer(url, verb, { NetworkId: this.networkId, From: this.self, Clock: this.lamport, ...payload }, signer, config.callTimeoutMs);
  }

  private requireConfig(): NetworkConfig {
    if (this.config === undefined) throw new PeerCallError("this controller does not take part in a network (no peer address)", 0);
    return this.config;
  }

  private setConnection(id: string, next: ConnectionState): void {
    const before = this.connection.get(id);
    if (before === next) return;
    this.connection.set(id, next);
    if (before === undefined && next === "Disconnected") return;
    if (this.state.quirks.has("network-no-peer-events")) return;
    const status = next === "Connected" ? "ConnectionEstablished" : next === "PairingFailed" ? "PairingFailed" : "ConnectionLost";
    this.state.publish({ topic: PEER_CONNECTION_TOPIC, source: { Status: status }, data: { Peer: id } });
  }

  // ---- applying changes

  /**
   * Stores changes newer than what is held (all of them when `force`), then lets the services hear
   * of them: Configuration events, then each service's resync.
   */
  private applyChanges(changes: readonly ItemChange[], force = false): void {
    const touched: { coll: Collection; token: string; before: Stored | undefined; after: Stored | undefined }[] = [];
    const wasApplying = this.applying;
    this.applying = true;
    try {
      for (const c of changes) {
        const coll = this.collections.get(c.type);
        if (coll === undefined) continue;
        const k = itemKey(c.type, c.token);
        if (!force && !newer(c.v, this.versions.get(k) ?? UNVERSIONED)) continue;
        this.lamport = Math.max(this.lamport, c.v[0]);
        this.versions.set(k, c.v);
        const before = coll.read(c.token);
        const after = c.full === undefined ? undefined : c.info === undefined ? { full: c.full } : { full: c.full, info: c.info };
        coll.write(c.token, after);
        touched.push({ coll, token: c.token, before, after });
      }
      this.settle(touched);
    } finally {
      this.applying = wasApplying;
    }
  }

  private settle(touched: readonly { coll: Collection; token: string; before: Stored | undefined; after: Stored | undefined }[]): void {
    if (touched.length === 0) return;
    for (const t of touched) t.coll.announce?.(t.token, t.before, t.after);
    for (const service of composedServices(this.state)) service.resync?.(this.state);
  }

  /** Every replicated item with its version, and the removals still remembered. */
  private fullState(): ItemChange[] {
    const out: ItemChange[] = [];
    for (const coll of this.collections.values()) {
      if (coll.type === ACCOUNTS && this.state.quirks.has("network-accounts-not-distributed")) continue;
      for (const token of coll.tokens()) out.push(toChange(coll.type, token, this.versions.get(itemKey(coll.type, token)) ?? UNVERSIONED, coll.read(token)));
    }
    for (const [k, v] of this.versions) {
      const [type, token] = splitKey(k);
      if (this.collections.get(type)?.read(token) === undefined) out.push({ type, token, v });
    }
    return out;
  }

  /** Gives every unversioned item a version (a controller founding a network, whose items were written before it had one). */
  private stampAll(): void {
    const v = this.nextVersion();
    for (const coll of this.collections.values()) for (const token of coll.tokens()) if (!this.versions.has(itemKey(coll.type, token))) this.versions.set(itemKey(coll.type, token), v);
  }

  // ---- membership

  private memberCollection(): Collection {
    return {
      type: MEMBERS,
      sharing: "shared",
      tokens: () => [...this.members.keys()],
      read: (id) => {
        const m = this.members.get(id);
        return m === undefined ? undefined : { full: { ...m } };
      },
      write: (id, value) => {
        if (value === undefined) this.members.delete(id);
        else this.members.set(id, value.full as unknown as Member);
      },
      announce: (id, before, after) => {
        if (id === this.mac) {
          if (before !== undefined && after === undefined) this.removedFromNetwork();
          return;
        }
        if (after === undefined) {
          this.connection.delete(id);
          this.pending.delete(id);
          if (this.members.size === 1) this.alone();
        } else if (before === undefined && this.config !== undefined) {
          void this.greet(after.full as unknown as Member);
        }
      },
    };
  }

  /** The last other controller is gone: a network of one is no network ("both will be in stand alone mode"). */
  private alone(): void {
    this.members.clear();
    this.connection.clear();
    this.networkId = "";
    this.standAloneSetting = true;
  }

  /** Another controller removed this one (RemovePeers): access management and the others' hardware go, its own hardware stays; stand-alone mode. */
  private removedFromNetwork(): void {
    const touched: { coll: Collection; token: string; before: Stored | undefined; after: undefined }[] = [];
    for (const coll of this.collections.values()) {
      if (coll.type === MEMBERS) continue;
      for (const token of [...coll.tokens()]) {
        if (coll.sharing === "hardware" && this.state.owns(ownerOf(this.state, coll.type, token))) continue;
        touched.push({ coll, token, before: coll.read(token), after: undefined });
      }
    }
    for (const t of touched) t.coll.write(t.token, undefined);
    this.members.clear();
    this.connection.clear();
    this.versions.clear();
    this.networkId = "";
    this.standAloneSetting = true;
    this.settle(touched);
  }

  // ---- the connection service's operations

  get standAlone(): boolean {
    if (this.inNetwork && !this.state.quirks.has("network-stand-alone-ignored")) return true;
    return this.standAloneSetting;
  }

  set standAlone(value: boolean) {
    this.standAloneSetting = value;
  }

  peerList(): { Self: Record<string, string>; Peer: Record<string, string>[] } {
    const uuid = this.state.quirks.has("connection-self-uuid-missing") ? "" : this.state.identity.uuid;
    const self = { ID: this.mac, ExpectedAddress: "", LastKnownAddress: "", DeviceUUID: uuid, TrustState: "InPeerNetwork", ConnectionState: "Connected" };
    const peers: Record<string, string>[] = [];
    const listed = new Set<string>([this.mac]);
    const stale = this.state.quirks.has("network-peer-list-stale");
    for (const m of this.others()) {
      listed.add(m.ID);
      const removing = this.pending.get(m.ID)?.trust === "RemovingFromPeerNetwork";
      const connection = stale ? "Connected" : this.linkUp(m.ID) ? (this.connection.get(m.ID) ?? "Disconnected") : "Disconnected";
      peers.push({ ID: m.ID, ExpectedAddress: m.ExpectedAddress, LastKnownAddress: this.lastKnown(m.ID, m.Url), DeviceUUID: m.DeviceUUID, TrustState: removing ? "RemovingFromPeerNetwork" : "InPeerNetwork", ConnectionState: connection });
    }
    for (const p of this.pending.values()) {
      if (listed.has(p.ID) || (p.ID === "" && [...listed].some((id) => this.discovered.get(id) !== undefined && hostOf(this.discovered.get(id)!.Url) === p.ExpectedAddress && p.trust !== "AddingToPeerNetwork"))) continue;
      if (p.ID !== "") listed.add(p.ID);
      peers.push({ ID: p.ID, ExpectedAddress: p.ExpectedAddress, LastKnownAddress: p.Url === "" ? "" : hostOf(p.Url), DeviceUUID: p.DeviceUUID, TrustState: p.trust, ConnectionState: p.connection });
    }
    for (const s of [...this.discovered.values()].sort((a, b) => (a.ID < b.ID ? -1 : 1))) {
      if (listed.has(s.ID)) continue;
      peers.push({ ID: s.ID, ExpectedAddress: "", LastKnownAddress: hostOf(s.Url), DeviceUUID: s.DeviceUUID, TrustState: "NotInPeerNetwork", ConnectionState: "Disconnected" });
    }
    return { Self: self, Peer: peers };
  }

  private lastKnown(id: string, url: string): string {
    const seen = this.discovered.get(id);
    return hostOf(seen?.Url ?? url);
  }

  /** AddPeers, after its request was checked: the invitations run after the response (the page: "starts an asynchronous process"). */
  addPeers(peers: readonly { ID: string; ExpectedAddress: string }[]): void {
    if (this.inNetwork) this.requireMajority("aconn:AddPeers");
    const newcomers = peers.filter((p) => p.ID === "" || !this.members.has(p.ID));
    const size = Math.max(1, this.members.size) + newcomers.length;
    if (size > MAX_NETWORK_SIZE) throw invalidArgVal([], `the network would have ${size} door controllers; a door controller network can consist of up to ${MAX_NETWORK_SIZE}`);
    for (const p of newcomers) {
      const entry: Pending = { ID: p.ID, ExpectedAddress: p.ExpectedAddress, DeviceUUID: "", Url: "", trust: "AddingToPeerNetwork", connection: "Disconnected" };
      this.pending.set(p.ID !== "" ? p.ID : `@${p.ExpectedAddress}`, entry);
    }
    void this.inviteAll(newcomers);
  }

  private async inviteAll(peers: readonly { ID: string; ExpectedAddress: string }[]): Promise<void> {
    // One at a time: each invitation sends the network as it is, the earlier newcomers included.
    for (const p of peers) await this.invite(p);
  }

  private async invite(p: { ID: string; ExpectedAddress: string }): Promise<void> {
    const pendingKey = p.ID !== "" ? p.ID : `@${p.ExpectedAddress}`;
    const failed = (id: string): void => {
      const entry = this.pending.get(pendingKey);
      if (entry !== undefined) {
        entry.trust = "NotInPeerNetwork";
        entry.connection = "PairingFailed";
      }
      if (!this.state.quirks.has("network-no-peer-events")) this.state.publish({ topic: PEER_CONNECTION_TOPIC, source: { Status: "PairingFailed" }, data: { Peer: id } });
    };
    const matching = (): Seen[] => [...this.discovered.values()].filter((s) => (p.ID === "" || s.ID === p.ID) && (p.ExpectedAddress === "" || hostOf(s.Url) === p.ExpectedAddress));
    // Discovery again only when what is known does not name it (it may have moved, or be new).
    if (matching().length !== 1) await this.discover();
    const matches = matching();
    // Several controllers at one address (a site on loopback) cannot be told apart without the ID.
    const target = matches.length === 1 ? matches[0] : undefined;
    if (target === undefined || !this.linkUp(target.ID)) return failed(p.ID);
    const entry = this.pending.get(pendingKey);
    if (entry !== undefined) this.pending.set(pendingKey, { ...entry, ID: target.ID, DeviceUUID: target.DeviceUUID, Url: target.Url });
    if (!this.inNetwork) {
      if (this.networkId === "") this.networkId = `${this.state.identity.uuid}/${Date.now()}`;
      this.stampAll();
    }
    // The newcomer receives the network with itself (and, for a founder, the founder) already in it.
    const joined: Member = { ID: target.ID, DeviceUUID: target.DeviceUUID, Url: target.Url, ExpectedAddress: p.ExpectedAddress };
    const v = this.nextVersion();
    const membership: ItemChange[] = [...(this.members.has(this.mac) ? [] : [toChange(MEMBERS, this.mac, v, { full: { ...this.self } })]), toChange(MEMBERS, joined.ID, v, { full: { ...joined } })];
    let answer: Record<string, unknown>;
    try {
      answer = await this.call(target.Url, "invite", { Items: [...this.fullState(), ...membership] });
    } catch {
      return failed(target.ID);
    }
    const pend = this.pending.get(pendingKey);
    if (pend !== undefined) pend.trust = "InitialSyncWithPeerNetwork";
    const hardware = Array.isArray(answer["Hardware"]) ? (answer["Hardware"] as ItemChange[]).map((c) => ({ ...c, v })) : [];
    const changes: ItemChange[] = [...membership, ...hardware];
    this.applyChanges(changes);
    this.pending.delete(pendingKey);
    this.setConnection(joined.ID, "Connected");
    await this.sendToAll(this.others(), "apply", { Changes: changes });
  }

  /** RemovePeers, after its request was checked: the members to remove. */
  removePeers(ids: readonly string[]): void {
    this.requireMajority("aconn:RemovePeers");
    for (const id of ids) {
      const m = this.members.get(id)!;
      this.pending.set(id, { ID: id, ExpectedAddress: m.ExpectedAddress, DeviceUUID: m.DeviceUUID, Url: m.Url, trust: "RemovingFromPeerNetwork", connection: this.connection.get(id) ?? "Disconnected" });
    }
    void this.removeAll(ids);
  }

  private async removeAll(ids: readonly string[]): Promise<void> {
    const leaving = ids.map((id) => this.members.get(id)!);
    const v = this.nextVersion();
    const changes = ids.map((id) => toChange(MEMBERS, id, v, undefined));
    // The quirk's removed controller is never told.
    const audience = this.state.quirks.has("network-removed-peer-not-told") ? this.others().filter((m) => !ids.includes(m.ID)) : [...this.others()];
    this.applyChanges(changes);
    await this.sendToAll(audience, "apply", { Changes: changes });
    for (const m of leaving) this.pending.delete(m.ID);
  }

  /** The members matching a RemovePeers entry (ID, ExpectedAddress or both; ExpectedAddress is not matched with LastKnownAddress). */
  membersMatching(p: { ID: string; ExpectedAddress: string }): string[] {
    return this.others()
      .filter((m) => (p.ID === "" || m.ID === p.ID) && (p.ExpectedAddress === "" || m.ExpectedAddress === p.ExpectedAddress))
      .map((m) => m.ID);
  }

  isSelf(id: string): boolean {
    return id === this.mac;
  }

  /** LeaveNetwork: forget every peer without telling them; all configuration stays. */
  leave(): void {
    this.members.clear();
    this.connection.clear();
    this.pending.clear();
    this.versions.clear();
    this.networkId = "";
  }

  // ---- heartbeat, discovery, catch-up

  /** Greets every member and every undiscovered controller of the segment (one round at a time). */
  beat(): Promise<void> {
    this.beating ??= this.round().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  private async round(): Promise<void> {
    if (this.offline || this.config === undefined) return;
    // Peers not seen connected are greeted every round (to notice them back); connected ones every
    // CONNECTED_EVERY rounds (replication traffic tells of a lost one sooner), which keeps a site of
    // 33 from greeting a thousand times a heartbeat.
    this.rounds += 1;
    const due = this.others().filter((m) => this.connection.get(m.ID) !== "Connected" || this.rounds % CONNECTED_EVERY === 0);
    await Promise.all([...due.map((m) => this.greet(m)), this.discover(true)]);
  }

  private async greet(m: Member): Promise<void> {
    if (!this.linkUp(m.ID)) return this.setConnection(m.ID, "Disconnected");
    let answer: Record<string, unknown>;
    try {
      answer = await this.send(m, "hello", {});
    } catch {
      return;
    }
    // A member that left (LeaveNetwork) answers with another network: it is not connected to this one.
    if (answer["NetworkId"] !== this.networkId) return this.setConnection(m.ID, "Disconnected");
    if (typeof answer["Clock"] === "number" && answer["Clock"] > this.lamport) await this.catchUp(m);
  }

  /** Asks the segment's controllers who they are (only those not yet known when `unknownOnly`). */
  private async discover(unknownOnly = false): Promise<void> {
    const config = this.config;
    if (config === undefined || this.offline) return;
    const known = new Set([...this.discovered.values()].map((s) => s.Url));
    const urls = config.directory.filter((u) => !unknownOnly || !known.has(u));
    await Promise.all(
      urls.map(async (url) => {
        try {
          const answer = await this.call(url, "hello", {});
          const from = answer["From"] as Seen | undefined;
          if (from !== undefined && typeof from.ID === "string" && this.linkUp(from.ID)) this.discovered.set(from.ID, { ID: from.ID, DeviceUUID: from.DeviceUUID, Url: from.Url });
        } catch {
          // Not there (yet): discovery tries again at the next heartbeat.
        }
      }),
    );
  }

  private async catchUp(m: Member): Promise<void> {
    if (this.state.quirks.has("network-no-catch-up") || this.catchingUp.has(m.ID)) return;
    this.catchingUp.add(m.ID);
    try {
      const answer = await this.send(m, "state", {});
      if (answer["NetworkId"] !== this.networkId || !Array.isArray(answer["Items"])) return;
      this.applyChanges(answer["Items"] as ItemChange[]);
      // Caught up with that peer: its clock is ours now, or the next greeting would pull again.
      if (typeof answer["Clock"] === "number") this.lamport = Math.max(this.lamport, answer["Clock"]);
    } catch {
      // The next heartbeat tries again.
    } finally {
      this.catchingUp.delete(m.ID);
    }
  }

  // ---- global event distribution

  private outgoing(event: DeviceEvent): void {
    // A controller's PeerConnection events tell of its own links: they stay with it (distributed,
    // every change in membership would be logged n² times across a network of n).
    if (event.topic === PEER_CONNECTION_TOPIC) return;
    if (!this.inNetwork || this.applying || this.state.quirks.has("network-events-not-distributed") || !eventLogger(this.state).globalDistribution) return;
    this.outbox.push(event);
    // Events go out in batches, at most one request per peer every EVENT_BATCH_MS.
    if (this.outbox.length === 1) setTimeout(() => void this.flush(), EVENT_BATCH_MS).unref();
  }

  private async flush(): Promise<void> {
    const events = this.outbox;
    this.outbox = [];
    const targets = this.others().filter((m) => this.linkUp(m.ID) && this.connection.get(m.ID) === "Connected");
    await this.sendToAll(targets, "events", { Events: events });
  }

  // ---- the back door

  /** Takes this controller off the peer network (its peers see it disconnected) or brings it back. */
  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) for (const m of this.others()) this.setConnection(m.ID, "Disconnected");
    else void this.beat();
  }

  /** Cuts the links to these controllers (both ways: they are refused too), or restores every link. */
  cutLinks(ids: readonly string[] | "restore"): void {
    if (ids === "restore") {
      this.cut.clear();
      void this.beat();
      return;
    }
    for (const id of ids) {
      this.cut.add(id);
      if (this.members.has(id)) this.setConnection(id, "Disconnected");
    }
  }

  describe(): Record<string, unknown> {
    return {
      Offline: this.offline,
      CutLinks: [...this.cut].sort(),
      Members: this.others().map((m) => ({ ID: m.ID, Url: m.Url, ConnectionState: this.connection.get(m.ID) ?? "Disconnected" })),
      Clock: this.lamport,
    };
  }

  // ---- what a restart keeps (persistence.ts)

  /** Moves whenever `record()` would answer something else. */
  get recordStamp(): string {
    return `${this.members.changes}/${this.versions.changes}/${this.lamport}/${this.standAloneSetting}/${this.networkId}`;
  }

  record(): NetworkRecord {
    const versions = [...this.versions].map(([k, v]): [string, string, Version] => [...splitKey(k), v]);
    return { members: [...this.members.values()], networkId: this.networkId, lamport: this.lamport, standAlone: this.standAloneSetting, versions };
  }

  /** Takes back what `record()` gave, before `start`: the peers are greeted at the first heartbeat (connection states start unknown). */
  restore(record: NetworkRecord): void {
    for (const m of record.members) this.members.set(m.ID, m);
    for (const [type, token, v] of record.versions) this.versions.set(itemKey(type, token), v);
    this.networkId = record.networkId;
    this.lamport = record.lamport;
    this.standAloneSetting = record.standAlone;
  }

  // ---- the peer protocol, receiving side

  /**
   * A member that speaks from another address than the one on record (it restarted elsewhere, as a
   * controller given a new address by DHCP would) is reached there from now on. Only a request
   * signed with the network's secret tells it: an answer, which is not signed, never does.
   */
  private learnAddress(id: string, from: unknown): void {
    const url = (from as { Url?: unknown } | null | undefined)?.Url;
    const m = this.members.get(id);
    if (m === undefined || typeof url !== "string" || url === "" || url === m.Url) return;
    this.members.set(id, { ...m, Url: url });
  }

  async handle(verb: string, header: string | undefined, body: string): Promise<PeerAnswer> {
    const config = this.config;
    if (config === undefined) return refused(503, "this controller takes no part in a network");
    const verdict = verifyPeer(config.secret, header, verb, body);
    if (!verdict.ok) return refused(403, verdict.why);
    if (!this.linkUp(verdict.mac)) return refused(503, "the link to this controller is down");
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return refused(400, "the body must be a JSON object");
      payload = parsed as Record<string, unknown>;
    } catch {
      return refused(400, "the body is not JSON");
    }
    const fromMember = this.members.has(verdict.mac) && payload["NetworkId"] === this.networkId && this.networkId !== "";
    if (fromMember) {
      this.learnAddress(verdict.mac, payload["From"]);
      this.setConnection(verdict.mac, "Connected");
    }
    const answer = (extra: Record<string, unknown> = {}): PeerAnswer => ({ status: 200, body: { NetworkId: this.networkId, From: this.self, Clock: this.lamport, ...extra } });
    switch (verb) {
      case "hello": {
        const clock = payload["Clock"];
        if (fromMember && typeof clock === "number" && clock > this.lamport) void this.catchUp(this.members.get(verdict.mac)!);
        return answer();
      }
      case "invite":
        return this.invited(payload, answer);
      case "apply":
        if (!fromMember) return refused(409, "the sender is not in this controller's network");
        this.applyChanges(Array.isArray(payload["Changes"]) ? (payload["Changes"] as ItemChange[]) : []);
        return answer();
      case "state":
        if (!fromMember) return refused(409, "the sender is not in this controller's network");
        // The quirk's forgotten peer does not catch up either.
        if (this.state.quirks.has("network-replication-skips-peer") && verdict.mac === this.others().at(-1)?.ID) return answer({ Items: [] });
        return answer({ Items: this.fullState() });
      case "events": {
        if (!fromMember) return refused(409, "the sender is not in this controller's network");
        if (!eventLogger(this.state).globalDistribution) return answer();
        const origin = this.members.get(verdict.mac)!.DeviceUUID;
        for (const e of Array.isArray(payload["Events"]) ? (payload["Events"] as DeviceEvent[]) : []) this.state.publishFromPeer({ ...e, origin });
        return answer();
      }
      default:
        return refused(404, `unknown peer request "${verb}"`);
    }
  }

  /**
   * An invitation to join: refused in stand-alone mode or when already in another network.
   * Accepted, access management is replaced by the network's, this controller's hardware stays
   * and goes back to the inviter to be replicated.
   */
  private invited(payload: Record<string, unknown>, answer: (extra?: Record<string, unknown>) => PeerAnswer): PeerAnswer {
    const networkId = String(payload["NetworkId"] ?? "");
    if (this.inNetwork && networkId !== this.networkId) return refused(409, "this door controller is already in another door controller network");
    if (!this.inNetwork && this.standAloneSetting) return refused(409, "this door controller is in stand-alone mode (SetStandAloneMode)");
    const hardware: ItemChange[] = [];
    for (const coll of this.collections.values()) if (coll.sharing === "hardware") for (const token of coll.tokens()) hardware.push(toChange(coll.type, token, UNVERSIONED, coll.read(token)));
    const touched: { coll: Collection; token: string; before: Stored | undefined; after: Stored | undefined }[] = [];
    const wasApplying = this.applying;
    this.applying = true;
    try {
      for (const coll of this.collections.values()) {
        if (coll.sharing !== "shared") continue;
        for (const token of [...coll.tokens()]) {
          touched.push({ coll, token, before: coll.read(token), after: undefined });
          coll.write(token, undefined);
        }
      }
      this.versions.clear();
      this.networkId = networkId;
      for (const c of Array.isArray(payload["Items"]) ? (payload["Items"] as ItemChange[]) : []) {
        const coll = this.collections.get(c.type);
        if (coll === undefined) continue;
        this.versions.set(itemKey(c.type, c.token), c.v);
        this.lamport = Math.max(this.lamport, c.v[0]);
        if (c.full === undefined) continue;
        const before = coll.read(c.token);
        const after = c.info === undefined ? { full: c.full } : { full: c.full, info: c.info };
        coll.write(c.token, after);
        touched.push({ coll, token: c.token, before, after });
      }
      this.settle(touched);
    } finally {
      this.applying = wasApplying;
    }
    this.standAloneSetting = false;
    const from = payload["From"] as Member | undefined;
    if (from !== undefined) this.setConnection(from.ID, "Connected");
    // The other members greet the newcomer as soon as they hear of it (memberCollection's announce).
    return answer({ Hardware: hardware });
  }
}


function splitKey(k: string): [string, string] {
  const i = k.indexOf("\u0000");
  return [k.slice(0, i), k.slice(i + 1)];
}

/** The device's network (created on first use). */
export function peerNetwork(state: DeviceState): PeerNetwork {
  return state.runtime("connection.network", () => new PeerNetwork(state));
}
