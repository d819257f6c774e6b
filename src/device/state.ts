/**
 * One device's state: identity, the entity stores, the paging engine, token allocation and the
 * single place where state changes are published.
 */
import type { Clock } from "./clock.js";
import { topicSourceItem, type EntityDecl } from "./entity.js";
import type { QuirkSet } from "./quirks.js";
import { EntityStore, Pager, itemKey, type Stored } from "./store.js";
import { TopicRegistry, configurationTopics } from "./topics.js";
import { PhysicalWorld } from "./world.js";

export interface DeviceIdentity {
  /** 12 hex digits, e.g. "00408C184BDB". */
  readonly mac: string;
  readonly uuid: string;
  readonly name?: string;
}

/** A state change, as the event service will see it later. */
export interface DeviceEvent {
  /** ONVIF topic, e.g. "tns1:Configuration/Credential/Changed". */
  readonly topic: string;
  readonly source: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** ISO 8601 UTC. */
  readonly utcTime: string;
  /** The UUID of the door controller that emitted it, for an event a peer distributed; undefined for the device's own. */
  readonly origin?: string;
}

/** One item written while a journal was open: as it was before the first write (undefined: it did not exist). */
export interface JournaledWrite {
  readonly store: EntityStore;
  readonly token: string;
  readonly before: Stored | undefined;
}

/**
 * Carries out the requests that may change configuration when the device is part of a door
 * controller network (the connection service installs one): the majority rule first when
 * `admit`, then the change is replicated to the peers. Without a gate a request simply runs.
 */
export interface WriteGate {
  /** False while the device is alone: requests then run directly, at no cost. */
  readonly engaged: boolean;
  /** `what` names the request in faults ("tac:SetAccessPoint", "pwdgrp.cgi"). Throws OperationFault when the network refuses (nothing changed). */
  run<T>(what: string, admit: boolean, fn: () => T | Promise<T>): T | Promise<T>;
}

/**
 * Tokens in the Axis style `Axis-<mac>:<seconds>.<nanoseconds>` from a strictly rising count of
 * nanoseconds: the wall time when it has moved on, else the last count plus `stepNs` (so tokens
 * are unique and sort in creation order even on a frozen virtual clock).
 */
export class AxisTokenClock {
  private lastNs = 0n;

  constructor(
    private readonly axisId: () => string,
    private readonly stepNs: bigint,
  ) {}

  /** Makes every later token sort after `token` (one this clock's format gave, e.g. restored from --state); other text is ignored. */
  advancePast(token: string): void {
    const m = /:(\d+)\.(\d{9})$/.exec(token);
    if (m === null) return;
    const ns = BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2]!);
    if (ns > this.lastNs) this.lastNs = ns;
  }

  next(ms: number): string {
    const wall = BigInt(Math.floor(ms)) * 1_000_000n;
    this.lastNs = wall > this.lastNs ? wall : this.lastNs + this.stepNs;
    const sec = this.lastNs / 1_000_000_000n;
    const ns = (this.lastNs % 1_000_000_000n).toString().padStart(9, "0");
    return `${this.axisId()}:${sec}.${ns}`;
  }
}

export interface StateConfig {
  readonly identity: DeviceIdentity;
  readonly maxLimit: number;
  readonly startReferenceTtlMs: number;
  readonly quirks: QuirkSet;
  readonly decls: readonly EntityDecl[];
  readonly onEvent?: (event: DeviceEvent) => void;
  readonly clock: Clock;
}

export class DeviceState {
  readonly identity: DeviceIdentity;
  readonly maxLimit: number;
  readonly quirks: QuirkSet;
  readonly pager: Pager;
  readonly clock: Clock;
  readonly now: () => number;
  /** The simulated physical world: stimuli and sensor state (world.ts). */
  readonly world = new PhysicalWorld();
  /** The event topics the device's services emit (topics.ts); services register theirs in attach. */
  readonly topics = new TopicRegistry();
  private readonly stores = new Map<string, EntityStore>();
  private readonly runtimes = new Map<string, unknown>();
  private readonly listeners: { readonly listener: (event: DeviceEvent) => void; readonly peers: boolean }[] = [];
  private readonly onEvent: ((event: DeviceEvent) => void) | undefined;
  private readonly tokenClock = new AxisTokenClock(() => this.axisId, 1000n);
  private readonly pending: DeviceEvent[] = [];
  private delivering = false;
  private journal: Map<string, JournaledWrite> | undefined;
  private readonly writeListeners: ((store: EntityStore, token: string) => void)[] = [];
  /** Set by the connection service when the device joins a network (see WriteGate). */
  gate: WriteGate | undefined;

  constructor(config: StateConfig) {
    this.identity = config.identity;
    this.maxLimit = config.maxLimit;
    this.quirks = config.quirks;
    this.clock = config.clock;
    this.now = () => this.clock.now();
    this.onEvent = config.onEvent;
    this.pager = new Pager(config.maxLimit, config.startReferenceTtlMs, config.quirks, this.now);
    for (const decl of config.decls) {
      const store = new EntityStore(decl);
      store.observer = (st, token, before) => this.recordWrite(st, token, before);
      this.stores.set(decl.name, store);
      if (decl.topic !== undefined) this.topics.register(...configurationTopics(decl.topic, topicSourceItem(decl), decl.what));
    }
  }

  /**
   * Runs a request that may change configuration (`what` names it in faults): through the
   * network's write gate while the device is in a network (the majority rule when `admit`, then
   * replication), else directly. The one entry for operations and CGIs alike.
   */
  change<T>(what: string, admit: boolean, fn: () => T | Promise<T>): T | Promise<T> {
    const gate = this.gate;
    return gate !== undefined && gate.engaged ? gate.run(what, admit, fn) : fn();
  }

  /**
   * Runs `fn` and lists every item it wrote (only the synchronous part of it), each once, with
   * the item as it was before. Journals do not nest.
   */
  journaled<T>(fn: () => T): { readonly result: T; readonly writes: readonly JournaledWrite[] } {
    if (this.journal !== undefined) throw new Error("device: journals do not nest");
    const journal = new Map<string, JournaledWrite>();
    this.journal = journal;
    try {
      const result = fn();
      return { result, writes: [...journal.values()] };
    } finally {
      this.journal = undefined;
    }
  }

  /**
   * Listens to every write of every entity store, journaled or not (persistence.ts saves them):
   * told before the item changes, so read it later. Returns the unsubscribe.
   */
  onWrite(listener: (store: EntityStore, token: string) => void): () => void {
    this.writeListeners.push(listener);
    return () => {
      const i = this.writeListeners.indexOf(listener);
      if (i >= 0) this.writeListeners.splice(i, 1);
    };
  }

  private recordWrite(store: EntityStore, token: string, before: Stored | undefined): void {
    for (const listener of this.writeListeners) listener(store, token);
    if (this.journal === undefined) return;
    const key = itemKey(store.decl.name, token);
    if (!this.journal.has(key)) this.journal.set(key, { store, token, before });
  }

  store(name: string): EntityStore {
    const s = this.stores.get(name);
    if (s === undefined) throw new Error(`device: no entity type "${name}" is declared`);
    return s;
  }

  /** The store of entity type `name` when a composed service declares it (a device may be built with a subset of services). */
  findStore(name: string): EntityStore | undefined {
    return this.stores.get(name);
  }

  allStores(): readonly EntityStore[] {
    return [...this.stores.values()];
  }

  /**
   * A service's runtime (non-entity) state, e.g. door modes and priority stacks: created by
   * `init` on first use, then the same object for the device's lifetime.
   */
  runtime<T>(key: string, init: () => T): T {
    if (!this.runtimes.has(key)) this.runtimes.set(key, init());
    return this.runtimes.get(key) as T;
  }

  /**
   * Whether a configuration's DeviceUUID names this door controller (intro.md "UUID": empty means
   * the controller that received it). In a network every controller holds every configuration;
   * only the one it names drives hardware with it.
   */
  owns(deviceUuid: unknown): boolean {
    return deviceUuid === undefined || deviceUuid === "" || deviceUuid === this.identity.uuid;
  }

  /**
   * The DeviceUUID a configuration is stored with (intro.md "UUID"): the one given, or this
   * controller's when it is left empty. (Quirk network-routing-ignores-uuid: always this one's.)
   */
  deviceUuidFor(given: unknown): string {
    if (given === undefined || given === "" || this.quirks.has("network-routing-ignores-uuid")) return this.identity.uuid;
    return String(given);
  }

  /** Lower-case MAC as the device writes it in tokens and names ("Axis-00408c184bdb"). */
  get axisId(): string {
    return `Axis-${this.identity.mac.toLowerCase()}`;
  }

  /**
   * A new token in the Axis style `Axis-<mac>:<seconds>.<nanoseconds>`, from a monotonic
   * clock (strictly rising, so tokens are unique and sort in creation order).
   */
  allocateToken(store: EntityStore): string {
    if (this.quirks.has("reuse-generated-token")) return `${this.axisId}:1000000000.000000000`;
    for (;;) {
      const token = this.tokenClock.next(this.now());
      if (!store.has(token)) return token;
    }
  }

  /**
   * Listens to every published event (services react to each other's changes this way, e.g. a
   * door schedule to a changed schedule; the event service will too). With `peers`, also to the
   * events other door controllers of the network distribute (they carry `origin`): only the event
   * logger and the event service want those. Returns the unsubscribe.
   */
  subscribe(listener: (event: DeviceEvent) => void, options: { readonly peers?: boolean } = {}): () => void {
    const entry = { listener, peers: options.peers === true };
    this.listeners.push(entry);
    return () => {
      const i = this.listeners.indexOf(entry);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * The one place state changes are announced: to the device's own listeners (in subscription
   * order), then to the embedding hook. A failing embedding hook never fails the request.
   */
  publish(event: { topic: string; source: Record<string, string>; data?: Record<string, unknown> }): void {
    const full: DeviceEvent = { topic: event.topic, source: event.source, data: event.data ?? {}, utcTime: new Date(this.now()).toISOString() };
    // An event published by a listener (a consequence) waits until every listener has seen its
    // cause, so all of them see events in causal order. The outermost publish delivers them all.
    this.pending.push(full);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) this.deliver(next);
    } finally {
      this.delivering = false;
      this.pending.length = 0;
    }
  }

  /** An event another door controller of the network distributed (global event distribution): only `peers` listeners see it. */
  publishFromPeer(event: DeviceEvent & { readonly origin: string }): void {
    for (const { listener, peers } of [...this.listeners]) if (peers) listener(event);
  }

  private deliver(event: DeviceEvent): void {
    for (const { listener } of [...this.listeners]) listener(event);
    if (this.onEvent === undefined) return;
    try {
      this.onEvent(event);
    } catch {
      // The hook belongs to the embedding test or tool; its bugs must not change device answers.
    }
  }
}
