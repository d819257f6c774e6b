/**
 * A published DeviceEvent as the event logger stores it (event-logger-service.md, "FetchEvents
 * response"): the topic's segments as topic0…topicN (namespace prefixes dropped: "the namespaces
 * in the topic are not stored"), then every Source item and every Data item as a key-value whose
 * Tags say where it came from ("onvif-source" / "onvif-data") and, when the topic declares it, the
 * item's XSD type ("wstype:pt:ReferenceToken").
 */
import { itemText, type ItemDecl } from "../topics.js";
import type { DeviceEvent, DeviceState } from "../state.js";

/** One key-value of a logged event (axlog:FetchedEventKeyValue). */
export interface LoggedKeyValue {
  readonly Key: string;
  readonly Value: string;
  readonly Tags: readonly string[];
}

/** One logged event or alarm as FetchEvents/FetchAlarms hand it out (axlog:FetchedEvent). */
export interface LoggedEvent {
  readonly token: string;
  readonly rowid: number;
  /** UUID of the producing device. */
  readonly UUID: string;
  readonly UtcTime: string;
  readonly KeyValues: readonly LoggedKeyValue[];
  readonly Tags: readonly string[];
}

/** A logged event before a log gives it its rowid. */
export type EventBody = Omit<LoggedEvent, "rowid">;

/** The key of the key-value global distribution adds ("an UUID key-value pair is automatically added to all events"). */
export const UUID_KEY = "UUID";
export const SOURCE_TAG = "onvif-source";
export const DATA_TAG = "onvif-data";

const NO_TAGS: readonly string[] = Object.freeze([]);

/** "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN" → ["IdPoint", "Request", "PIN"]. */
export function topicSegments(topic: string): string[] {
  return topic.split("/").map((segment) => segment.slice(segment.indexOf(":") + 1));
}

// Tag lists are shared between events (a full log holds 30,000 of them); frozen, never mutated.
const tagCache = new Map<string, readonly string[]>();

/**
 * The Tags of one item. xs:string gets no wstype tag: the guide's example tags CredentialHolderName
 * (xs:string) with "onvif-data" only, but CredentialToken with "wstype:pt:ReferenceToken" too.
 */
function itemTags(decls: readonly ItemDecl[] | undefined, name: string, role: string): readonly string[] {
  const type = decls?.find((d) => d.name === name)?.type;
  const key = `${type ?? ""} ${role}`;
  let tags = tagCache.get(key);
  if (tags === undefined) {
    tags = Object.freeze(type === undefined || type === "xs:string" ? [role] : [`wstype:${type}`, role]);
    tagCache.set(key, tags);
  }
  return tags;
}

/** Every key-value of `event`: topic segments, Source items, Data items, then UUID when `withUuid`. */
export function eventKeyValues(event: DeviceEvent, state: DeviceState, withUuid: boolean): LoggedKeyValue[] {
  const kvs: LoggedKeyValue[] = topicSegments(event.topic).map((segment, i) => ({ Key: `topic${i}`, Value: segment, Tags: NO_TAGS }));
  const decl = state.topics.get(event.topic);
  for (const [name, value] of Object.entries(event.source)) kvs.push({ Key: name, Value: itemText(value), Tags: itemTags(decl?.source, name, SOURCE_TAG) });
  for (const [name, value] of Object.entries(event.data)) {
    if (value !== undefined) kvs.push({ Key: name, Value: itemText(value), Tags: itemTags(decl?.data, name, DATA_TAG) });
  }
  if (withUuid) kvs.push({ Key: UUID_KEY, Value: event.origin ?? state.identity.uuid, Tags: NO_TAGS });
  return kvs;
}

/** A key-value pair of a filter: Key must be present; an empty or absent Value matches any value. */
export interface KeyValueCondition {
  readonly Key: string;
  readonly Value?: string;
}

export function conditionHolds(kvs: readonly LoggedKeyValue[], cond: KeyValueCondition): boolean {
  const any = cond.Value === undefined || cond.Value === "";
  for (const kv of kvs) if (kv.Key === cond.Key && (any || kv.Value === cond.Value)) return true;
  return false;
}
