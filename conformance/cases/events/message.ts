/**
 * Reading event service responses from their raw SOAP bodies (the typed responses give a topic
 * only as text and an xs:any only as loose elements; namespaces need the declarations in scope):
 * the wsnt:NotificationMessages of a PullMessagesResponse, each with its topic resolved and its
 * tt:Message decoded (UtcTime, PropertyOperation, Source/Key/Data SimpleItems), and the topic set
 * and dialects of a GetEventPropertiesResponse (ONVIF Core "Event Notifications", "Message
 * Description Language", "Topic Type Information"). Pure functions over text.
 */
import type { XmlElement } from "../../../src/runtime/model.js";
import { getAttr, parseXml } from "../../../src/runtime/xml.js";
import { NS, shortName } from "./namespaces.js";
import { formatTopic, parseTopic, type TopicPath } from "./topic.js";

type Scope = Readonly<Record<string, string>>;

function enter(el: XmlElement, scope: Scope): Scope {
  return el.nsDecls === undefined ? scope : { ...scope, ...el.nsDecls };
}

function resolverOf(scope: Scope): (prefix: string) => string | undefined {
  // The xml prefix is bound by definition.
  return (p) => (p === "xml" ? "http://www.w3.org/XML/1998/namespace" : scope[p]);
}

const children = (el: XmlElement, ns: string, local: string): XmlElement[] => el.children.filter((c) => c.ns === ns && c.local === local);
const child = (el: XmlElement, ns: string, local: string): XmlElement | undefined => el.children.find((c) => c.ns === ns && c.local === local);

/** A response body that is not the expected SOAP message. */
export class EventBodyError extends Error {
  override readonly name = "EventBodyError";
  readonly code = "EVENT_BODY";
}

/** The first element in env:Body, with the declarations in scope there. */
function bodyContent(text: string, expected: string): { el: XmlElement; scope: Scope } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new EventBodyError(`the ${expected} is not well-formed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  let scope = enter(root, {});
  const body = child(root, NS.env, "Body");
  if (root.ns !== NS.env || root.local !== "Envelope" || body === undefined) throw new EventBodyError(`the ${expected} is not a SOAP 1.2 envelope with a Body`);
  scope = enter(body, scope);
  const el = body.children[0];
  if (el === undefined) throw new EventBodyError(`the ${expected} has an empty env:Body`);
  return { el, scope: enter(el, scope) };
}

// ---- notifications

export interface Item {
  readonly name: string;
  readonly value: string;
}

/** A decoded tt:Message. */
export interface EventMessage {
  /** The element's namespace and name as sent (tt:Message expected). */
  readonly element: string;
  readonly utcTime: string | undefined;
  readonly propertyOperation: string | undefined;
  readonly source: readonly Item[];
  readonly key: readonly Item[];
  readonly data: readonly Item[];
  /** ElementItems are listed by name only (their value is XML). */
  readonly elementItems: readonly string[];
}

export interface Notification {
  /** Position in its PullMessagesResponse. */
  readonly index: number;
  readonly topicText: string;
  readonly dialect: string | undefined;
  /** The resolved topic; undefined when the text could not be read (see topicError). */
  readonly topic: TopicPath | undefined;
  readonly topicError: string | undefined;
  readonly message: EventMessage | undefined;
  readonly messageError: string | undefined;
}

function simpleItems(group: XmlElement | undefined): Item[] {
  if (group === undefined) return [];
  return children(group, NS.tt, "SimpleItem").map((i) => ({ name: getAttr(i, "Name") ?? "", value: getAttr(i, "Value") ?? "" }));
}

function decodeMessage(el: XmlElement): EventMessage {
  const groups = ["Source", "Key", "Data"].map((g) => child(el, NS.tt, g));
  return {
    element: shortName(el.ns, el.local),
    utcTime: getAttr(el, "UtcTime"),
    propertyOperation: getAttr(el, "PropertyOperation"),
    source: simpleItems(groups[0]),
    key: simpleItems(groups[1]),
    data: simpleItems(groups[2]),
    elementItems: groups.flatMap((g) => (g === undefined ? [] : children(g, NS.tt, "ElementItem").map((i) => getAttr(i, "Name") ?? ""))),
  };
}

function decodeNotification(el: XmlElement, scope: Scope, index: number): Notification {
  const topicEl = child(el, NS.wsnt, "Topic");
  const topicText = topicEl?.text.trim() ?? "";
  let topic: TopicPath | undefined;
  let topicError: string | undefined;
  if (topicEl === undefined) topicError = "the NotificationMessage has no wsnt:Topic";
  else {
    try {
      topic = parseTopic(topicText, resolverOf(enter(topicEl, scope)));
    } catch (err) {
      topicError = err instanceof Error ? err.message : String(err);
    }
  }
  const holder = child(el, NS.wsnt, "Message");
  const inner = holder?.children[0];
  let message: EventMessage | undefined;
  let messageError: string | undefined;
  if (inner === undefined) messageError = "the NotificationMessage has no wsnt:Message content";
  else if (inner.ns !== NS.tt || inner.local !== "Message") messageError = `wsnt:Message holds ${shortName(inner.ns, inner.local)}, not tt:Message`;
  if (inner !== undefined) message = decodeMessage(inner);
  return { index, topicText, dialect: topicEl === undefined ? undefined : getAttr(topicEl, "Dialect"), topic, topicError, message, messageError };
}

/** The NotificationMessages of a raw PullMessagesResponse envelope, in order. */
export function decodePullMessagesBody(text: string): Notification[] {
  const { el, scope } = bodyContent(text, "PullMessagesResponse");
  if (el.ns !== NS.tev || el.local !== "PullMessagesResponse") throw new EventBodyError(`expected tev:PullMessagesResponse in the Body, got ${shortName(el.ns, el.local)}`);
  return children(el, NS.wsnt, "NotificationMessage").map((n, i) => decodeNotification(n, enter(n, scope), i));
}

/** Every Source, Key and Data item. */
export function allItems(m: EventMessage): Item[] {
  return [...m.source, ...m.key, ...m.data];
}

/** The value of the item named `name` in any group. */
export function itemValue(m: EventMessage | undefined, name: string): string | undefined {
  return m === undefined ? undefined : allItems(m).find((i) => i.name === name)?.value;
}

/** Whether any item of the message has the value `value` (an event about one of our items names its token). */
export function mentions(n: Notification, value: string): boolean {
  return n.message !== undefined && allItems(n.message).some((i) => i.value === value);
}

/** One line for messages: "tns1:Door/State/DoorMode [Changed] Source{DoorToken=d1} Data{State=Locked}". */
export function describeNotification(n: Notification): string {
  const topic = n.topic !== undefined ? formatTopic(n.topic) : JSON.stringify(n.topicText);
  const m = n.message;
  if (m === undefined) return `${topic} (${n.messageError ?? "no message"})`;
  const group = (label: string, items: readonly Item[]): string => (items.length === 0 ? "" : ` ${label}{${items.map((i) => `${i.name}=${i.value}`).join(", ")}}`);
  return `${topic}${m.propertyOperation !== undefined ? ` [${m.propertyOperation}]` : ""}${group("Source", m.source)}${group("Key", m.key)}${group("Data", m.data)}`;
}

/** xs:dateTime in UTC with the Z designator (ONVIF Core: "respond with all time values as UTC including the 'Z' indicator"). */
export function isUtcDateTime(v: string | undefined): boolean {
  return v !== undefined && /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v.trim()) && !Number.isNaN(Date.parse(v.trim()));
}

// ---- topic set

export interface ItemDescription {
  readonly name: string | undefined;
  /** The Type attribute as written, e.g. "pt:ReferenceToken". */
  readonly typeText: string | undefined;
  /** Resolved Type QName; undefined when absent or its prefix is not declared. */
  readonly type: { readonly ns: string; readonly local: string } | undefined;
}

export interface MessageDescription {
  /** The IsProperty attribute as written (absent means false, per the schema default). */
  readonly isProperty: string | undefined;
  readonly source: readonly ItemDescription[];
  readonly key: readonly ItemDescription[];
  readonly data: readonly ItemDescription[];
}

export interface AdvertisedTopic {
  readonly path: TopicPath;
  /** Whether the element carries wstop:topic="true" (ONVIF Core "Topic Type Information"). */
  readonly marked: boolean;
  readonly descriptions: readonly MessageDescription[];
}

export interface EventPropertiesBody {
  readonly topicNamespaceLocations: readonly string[];
  readonly fixedTopicSet: string | undefined;
  readonly hasTopicSet: boolean;
  readonly topics: readonly AdvertisedTopic[];
  readonly topicExpressionDialects: readonly string[];
  readonly messageContentFilterDialects: readonly string[];
  readonly messageContentSchemaLocations: readonly string[];
}

function describeItems(group: XmlElement | undefined, scope: Scope): ItemDescription[] {
  if (group === undefined) return [];
  const s = enter(group, scope);
  return group.children
    .filter((c) => c.ns === NS.tt && (c.local === "SimpleItemDescription" || c.local === "ElementItemDescription"))
    .map((c) => {
      const typeText = getAttr(c, "Type");
      let type: ItemDescription["type"];
      if (typeText !== undefined) {
        const t = typeText.trim();
        const colon = t.indexOf(":");
        const ns = resolverOf(enter(c, s))(colon < 0 ? "" : t.slice(0, colon));
        if (ns !== undefined) type = { ns, local: colon < 0 ? t : t.slice(colon + 1) };
      }
      return { name: getAttr(c, "Name"), typeText, type };
    });
}

function describeMessage(el: XmlElement, scope: Scope): MessageDescription {
  const s = enter(el, scope);
  return {
    isProperty: getAttr(el, "IsProperty"),
    source: describeItems(child(el, NS.tt, "Source"), s),
    key: describeItems(child(el, NS.tt, "Key"), s),
    data: describeItems(child(el, NS.tt, "Data"), s),
  };
}

function walkTopics(el: XmlElement, scope: Scope, prefix: TopicPath, out: AdvertisedTopic[]): void {
  for (const c of el.children) {
    if (c.ns === NS.tt) continue;
    const s = enter(c, scope);
    // A child topic element in no namespace is in its parent topic's (ONVIF Core's TopicSet example writes them so).
    const ns = c.ns === "" && prefix.length > 0 ? prefix[prefix.length - 1]!.ns : c.ns;
    const path: TopicPath = [...prefix, { ns, local: c.local }];
    const flag = getAttr(c, "topic", NS.wstop);
    const marked = flag === "true" || flag === "1";
    const descriptions = children(c, NS.tt, "MessageDescription").map((d) => describeMessage(d, s));
    if (marked || descriptions.length > 0) out.push({ path, marked, descriptions });
    walkTopics(c, s, path, out);
  }
}

const texts = (el: XmlElement, ns: string, local: string): string[] => children(el, ns, local).map((c) => c.text.trim());

/** A raw GetEventPropertiesResponse envelope, read by namespace. */
export function decodeEventPropertiesBody(text: string): EventPropertiesBody {
  const { el, scope } = bodyContent(text, "GetEventPropertiesResponse");
  if (el.ns !== NS.tev || el.local !== "GetEventPropertiesResponse") throw new EventBodyError(`expected tev:GetEventPropertiesResponse in the Body, got ${shortName(el.ns, el.local)}`);
  const topicSet = child(el, NS.wstop, "TopicSet");
  const topics: AdvertisedTopic[] = [];
  if (topicSet !== undefined) walkTopics(topicSet, enter(topicSet, scope), [], topics);
  return {
    topicNamespaceLocations: texts(el, NS.tev, "TopicNamespaceLocation"),
    fixedTopicSet: child(el, NS.wsnt, "FixedTopicSet")?.text.trim(),
    hasTopicSet: topicSet !== undefined,
    topics,
    topicExpressionDialects: texts(el, NS.wsnt, "TopicExpressionDialect"),
    messageContentFilterDialects: texts(el, NS.tev, "MessageContentFilterDialect"),
    messageContentSchemaLocations: texts(el, NS.tev, "MessageContentSchemaLocation"),
  };
}

/** The fault element names of a raw SOAP fault body (subcode QNames and env:Detail children), as `{ns}local`. */
export function faultNames(text: string): string[] {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const visit = (el: XmlElement, scope: Scope): void => {
    const s = enter(el, scope);
    if (el.ns === NS.env && el.local === "Value") {
      const t = el.text.trim();
      const colon = t.indexOf(":");
      const ns = resolverOf(s)(colon < 0 ? "" : t.slice(0, colon));
      out.push(`{${ns ?? ""}}${colon < 0 ? t : t.slice(colon + 1)}`);
    }
    if (el.ns === NS.env && el.local === "Detail") for (const d of el.children) out.push(`{${d.ns}}${d.local}`);
    for (const c of el.children) visit(c, s);
  };
  visit(root, {});
  return out;
}
