/**
 * The event topics a device emits: each service declares its own (topic, Source and Data items
 * with their XSD types, property or not, how to read a property's current values) and registers
 * them in `attach`. The event service advertises them (GetEventProperties), sends Initialized
 * messages from them, and the event logger tags logged key-values with their types.
 * Events themselves are announced only through `DeviceState.publish`.
 */
import type { DeviceState } from "./state.js";

/** The topic namespaces of event-logger-service.md "Notification topics". */
export const TOPIC_NAMESPACES = {
  tns1: "http://www.onvif.org/ver10/topics",
  tnsaxis: "http://www.axis.com/2009/event/topics",
} as const;

/** One SimpleItem of a message: its name and XSD type as a QName ("pt:ReferenceToken", "xs:boolean"). */
export interface ItemDecl {
  readonly name: string;
  readonly type: string;
}

/** A property's current value for one source (one door, one access point), for Initialized messages. */
export interface PropertyInstance {
  readonly source: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TopicDecl {
  /** Full topic with the documented prefixes, e.g. "tns1:Door/State/DoorMode". */
  readonly topic: string;
  /** One sentence: when it is emitted (event-logger-service.md "Notification topics"). */
  readonly doc: string;
  /** A property topic (state with Initialized/Changed/Deleted) rather than a plain event. */
  readonly property: boolean;
  readonly source: readonly ItemDecl[];
  readonly data: readonly ItemDecl[];
  /** Property topics: the current value of every instance (one per door, access point, …). */
  readonly current?: (state: DeviceState) => readonly PropertyInstance[];
}

export class TopicRegistry {
  private readonly byTopic = new Map<string, TopicDecl>();
  private readonly owners = new Map<string, string>();
  private owner: string | undefined;

  register(...decls: readonly TopicDecl[]): void {
    for (const decl of decls) {
      if (this.byTopic.has(decl.topic)) throw new Error(`device: event topic "${decl.topic}" is registered twice`);
      this.byTopic.set(decl.topic, decl);
      if (this.owner !== undefined) this.owners.set(decl.topic, this.owner);
    }
  }

  /** Runs `fn` (a service's attach, server.ts) recording `owner` as the owner of every topic it registers. */
  registering<T>(owner: string, fn: () => T): T {
    const outer = this.owner;
    this.owner = owner;
    try {
      return fn();
    } finally {
      this.owner = outer;
    }
  }

  /** The service whose attach registered the topic; undefined for one registered elsewhere (entity configuration topics). */
  ownerOf(topic: string): string | undefined {
    return this.owners.get(topic);
  }

  get(topic: string): TopicDecl | undefined {
    return this.byTopic.get(topic);
  }

  /** Every registered topic, sorted by topic. */
  all(): readonly TopicDecl[] {
    return [...this.byTopic.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }
}

/** The Changed and Removed topics of an entity type that declares `topic` (entity.ts). */
/**
 * An event item's value as text, the same for a pull-point SimpleItem and an event-log value:
 * xs:boolean as true/false, numbers in decimal, strings as they are, anything else as JSON.
 */
export function itemText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

export function configurationTopics(topic: string, sourceItem: ItemDecl, name: string): TopicDecl[] {
  const source = [sourceItem];
  return [
    { topic: `${topic}/Changed`, doc: `Emitted when a ${name} is added or updated.`, property: false, source, data: [] },
    { topic: `${topic}/Removed`, doc: `Emitted when a ${name} is removed.`, property: false, source, data: [] },
  ];
}
