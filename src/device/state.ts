/**
 * One device's state: identity, the entity stores, the paging engine, token allocation and the
 * single place where state changes are published.
 */
import type { Clock } from "./clock.js";
import { topicSourceItem, type EntityDecl } from "./entity.js";
import type { QuirkSet } from "./quirks.js";
import { EntityStore, Pager } from "./store.js";
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
  private readonly listeners: ((event: DeviceEvent) => void)[] = [];
  private readonly onEvent: ((event: DeviceEvent) => void) | undefined;
  private lastTokenNs = 0n;
  private readonly pending: DeviceEvent[] = [];
  private delivering = false;

  constructor(config: StateConfig) {
    this.identity = config.identity;
    this.maxLimit = config.maxLimit;
    this.quirks = config.quirks;
    this.clock = config.clock;
    this.now = () => this.clock.now();
    this.onEvent = config.onEvent;
    this.pager = new Pager(config.maxLimit, config.startReferenceTtlMs, config.quirks, this.now);
    for (const decl of config.decls) {
      this.stores.set(decl.name, new EntityStore(decl));
      if (decl.topic !== undefined) this.topics.register(...configurationTopics(decl.topic, topicSourceItem(decl), decl.what));
    }
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
      const wall = BigInt(this.now()) * 1_000_000n;
      this.lastTokenNs = wall > this.lastTokenNs ? wall : this.lastTokenNs + 1000n;
      const sec = this.lastTokenNs / 1_000_000_000n;
      const ns = (this.lastTokenNs % 1_000_000_000n).toString().padStart(9, "0");
      const token = `${this.axisId}:${sec}.${ns}`;
      if (!store.has(token)) return token;
    }
  }

  /**
   * Listens to every published event (services react to each other's changes this way, e.g. a
   * door schedule to a changed schedule; the event service will too). Returns the unsubscribe.
   */
  subscribe(listener: (event: DeviceEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
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

  private deliver(event: DeviceEvent): void {
    for (const listener of [...this.listeners]) listener(event);
    if (this.onEvent === undefined) return;
    try {
      this.onEvent(event);
    } catch {
      // The hook belongs to the embedding test or tool; its bugs must not change device answers.
    }
  }
}
