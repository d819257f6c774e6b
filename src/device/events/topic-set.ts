/**
 * The wstop:TopicSet of GetEventProperties, built from the registered TopicDecls (ONVIF Core "Topic
 * Type Information"): one element per topic segment, nested as the topic path, each in the
 * namespace of its own prefix (a segment without one in no namespace, as Core's example writes
 * them); the element of a topic carries wstop:topic="true" and a tt:MessageDescription naming its
 * Source and Data items with their types.
 */
import type { XmlAttr, XmlElement } from "../../runtime/model.js";
import { topicServed } from "../profile.js";
import type { DeviceState } from "../state.js";
import { TOPIC_NAMESPACES, type ItemDecl, type TopicDecl } from "../topics.js";
import { DOOR_ALARM_TOPIC, TT_NS } from "./messages.js";
import { splitTopic } from "./topic-expression.js";

const WSTOP_NS = "http://docs.oasis-open.org/wsn/t-1";

/** The topic event-topic-undescribed advertises without a MessageDescription. */
const UNDESCRIBED_TOPIC = "tns1:AccessControl/Duress";

/** Prefixes the item types are written with ("pt:ReferenceToken", "xs:boolean", "tdc:DoorMode"): declared where used so the QNames resolve. */
const TYPE_NAMESPACES: Readonly<Record<string, string>> = {
  xs: "http://www.w3.org/2001/XMLSchema",
  tt: TT_NS,
  pt: "http://www.onvif.org/ver10/pacs",
  tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
  tac: "http://www.onvif.org/ver10/accesscontrol/wsdl",
  axtdc: "http://www.axis.com/vapix/ws/DoorControl",
  axtid: "http://www.axis.com/vapix/ws/IdPoint",
  pacsaxis: "http://www.axis.com/vapix/ws/pacs",
  axsch: "http://www.axis.com/vapix/ws/schedule",
  axisio: "http://www.axis.com/vapix/ws/AxisIo",
  axlog: "http://www.axis.com/vapix/ws/EventLogger",
  ...TOPIC_NAMESPACES,
};

/** The topics the device advertises and delivers: not those of services it does not serve (--services), and event-topic-missing hides the door alarm. */
export function advertisedTopics(state: DeviceState): TopicDecl[] {
  const all = state.topics.all().filter((d) => topicServed(state, d.topic));
  return state.quirks.has("event-topic-missing") ? all.filter((d) => d.topic !== DOOR_ALARM_TOPIC) : all;
}

interface Node {
  readonly prefix: string;
  readonly local: string;
  decl?: TopicDecl;
  readonly children: Map<string, Node>;
}

function ttElement(local: string, attrs: readonly XmlAttr[], children: readonly XmlElement[]): XmlElement {
  return { ns: TT_NS, local, prefix: "tt", attrs, children, text: "" };
}

const plain = (local: string, value: string): XmlAttr => ({ ns: "", local, prefix: "", value });

function itemDescriptions(local: "Source" | "Data", list: readonly ItemDecl[]): XmlElement[] {
  if (list.length === 0) return [];
  return [ttElement(local, [], list.map((i) => ttElement("SimpleItemDescription", [plain("Name", i.name), plain("Type", i.type)], [])))];
}

function messageDescription(decl: TopicDecl): XmlElement {
  return ttElement("MessageDescription", [plain("IsProperty", String(decl.property))], [...itemDescriptions("Source", decl.source), ...itemDescriptions("Data", decl.data)]);
}

/** The prefixes a subtree's item types use, declared once on its root element. */
function typeNamespaces(node: Node, into: Record<string, string>): Record<string, string> {
  for (const i of node.decl === undefined ? [] : [...node.decl.source, ...node.decl.data]) {
    const colon = i.type.indexOf(":");
    const p = colon < 0 ? "" : i.type.slice(0, colon);
    if (p !== "" && TYPE_NAMESPACES[p] !== undefined) into[p] = TYPE_NAMESPACES[p];
  }
  for (const child of node.children.values()) typeNamespaces(child, into);
  return into;
}

function toElement(node: Node, state: DeviceState): XmlElement {
  const ns = node.prefix === "" ? "" : (TOPIC_NAMESPACES[node.prefix as keyof typeof TOPIC_NAMESPACES] ?? "");
  const attrs: XmlAttr[] = [];
  const children: XmlElement[] = [];
  if (node.decl !== undefined) {
    attrs.push({ ns: WSTOP_NS, local: "topic", prefix: "wstop", value: "true" });
    if (!(state.quirks.has("event-topic-undescribed") && node.decl.topic === UNDESCRIBED_TOPIC)) children.push(messageDescription(node.decl));
  }
  for (const child of node.children.values()) children.push(toElement(child, state));
  return { ns, local: node.local, prefix: ns === "" ? "" : node.prefix, attrs, children, text: "" };
}

/** The root topic elements of the TopicSet (the content of wstop:TopicSet), in topic order. */
export function topicSetElements(state: DeviceState): XmlElement[] {
  const roots = new Map<string, Node>();
  for (const decl of advertisedTopics(state)) {
    let level = roots;
    let node: Node | undefined;
    for (const s of splitTopic(decl.topic)) {
      const key = `${s.prefix}:${s.local}`;
      node = level.get(key);
      if (node === undefined) {
        node = { prefix: s.prefix, local: s.local, children: new Map() };
        level.set(key, node);
      }
      level = node.children;
    }
    node!.decl = decl;
  }
  // wstop, tt and the type prefixes are declared on each root, not again on every topic below it.
  return [...roots.values()].map((n) => ({ ...toElement(n, state), nsDecls: typeNamespaces(n, { wstop: WSTOP_NS, tt: TT_NS }) }));
}
