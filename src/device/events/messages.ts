/**
 * Notification messages as the event service sends them (ONVIF Core "Notification Message
 * Format"): a published DeviceEvent (or a property's current value) becomes a tt:Message with
 * UtcTime, PropertyOperation for property topics, and Source/Data SimpleItems, wrapped in a
 * wsnt:NotificationMessage with its Topic. The message-rendering quirks are applied here, so a
 * content filter judges the message as it is sent.
 */
import type { XmlAttr, XmlElement } from "../../runtime/model.js";
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { itemText } from "../topics.js";
import { deviceZone, toWall } from "../schedule/timezone.js";
import { CONCRETE_SET_DIALECT } from "./topic-expression.js";
import type { MessageItem } from "./item-filter.js";

export const TT_NS = "http://www.onvif.org/ver10/schema";

export type PropertyOperation = "Initialized" | "Changed" | "Deleted";

/** The topic event-topic-missing hides. */
export const DOOR_ALARM_TOPIC = "tns1:Door/State/DoorAlarm";

/** A message before it becomes XML: what filters judge and what is sent. */
export interface RenderedMessage {
  readonly topic: string;
  readonly utcTime: string;
  readonly operation?: PropertyOperation;
  readonly source: readonly MessageItem[];
  readonly data: readonly MessageItem[];
}

/** Something to announce: a published event, or a property instance's current value (Initialized). */
export interface MessageInput {
  readonly topic: string;
  readonly source: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly operation?: PropertyOperation;
  /** The UUID of the emitting controller, under global event distribution in a network (a Source item "Device Source"). */
  readonly deviceSource?: string;
}

/** The Source item global event distribution adds (event-logger-service.md "Event distribution"). */
export const DEVICE_SOURCE = "Device Source";

/** SimpleItem values: xs:boolean as true/false, numbers in decimal, strings as they are. */
function items(record: Readonly<Record<string, unknown>>): MessageItem[] {
  const out: MessageItem[] = [];
  for (const [name, v] of Object.entries(record)) {
    if (v !== undefined && v !== null) out.push({ name, value: itemText(v) });
  }
  return out;
}

function formatTime(state: DeviceState, ms: number): string {
  if (!state.quirks.has("event-local-time")) return new Date(ms).toISOString();
  // The quirk: local wall-clock time of the device's zone, no zone designator.
  return new Date(toWall(deviceZone(state), ms)).toISOString().slice(0, -1);
}

/** Applies the message quirks to one message; `property` says whether the topic is a property (TopicDecl). */
export function renderMessage(state: DeviceState, input: MessageInput, property: boolean): RenderedMessage {
  const q = state.quirks;
  let source = items(input.source);
  if (input.deviceSource !== undefined) source = [...source, { name: DEVICE_SOURCE, value: input.deviceSource }];
  let data = items(input.data);
  if (q.has("event-wrong-source-name") && input.topic.startsWith("tns1:AccessControl/")) {
    source = source.map((i) => (i.name === "AccessPointToken" ? { name: "AccessPoint", value: i.value } : i));
  }
  if (q.has("event-wrong-value-type") && input.topic === "tns1:AccessPoint/State/Enabled") {
    data = data.map((i) => (i.name === "State" ? { name: "State", value: i.value === "true" ? "1" : i.value === "false" ? "0" : i.value } : i));
  }
  if (q.has("event-dangling-token") && input.topic === "tns1:Configuration/Credential/Changed") {
    source = source.map((i) => (i.name === "CredentialToken" ? { name: i.name, value: `dangling-${i.value}` } : i));
  }
  let operation = property ? (input.operation ?? "Changed") : undefined;
  if (operation === "Changed" && q.has("event-no-property-operation")) operation = undefined;
  const base = { topic: input.topic, utcTime: formatTime(state, input.time), source, data };
  return operation === undefined ? base : { ...base, operation };
}

/** Every SimpleItem of the message (Source, then Data), as an ItemFilter sees them. */
export function messageItems(m: RenderedMessage): MessageItem[] {
  return [...m.source, ...m.data];
}

const attr = (local: string, value: string): XmlAttr => ({ ns: "", local, prefix: "", value });

function tt(local: string, attrs: readonly XmlAttr[], children: readonly XmlElement[] = []): XmlElement {
  return { ns: TT_NS, local, prefix: "tt", attrs, children, text: "" };
}

function group(local: string, list: readonly MessageItem[]): XmlElement {
  return tt(
    local,
    [],
    list.map((i) => tt("SimpleItem", [attr("Name", i.name), attr("Value", i.value)])),
  );
}

/** The tt:Message element. */
export function messageElement(m: RenderedMessage): XmlElement {
  const attrs = [attr("UtcTime", m.utcTime)];
  if (m.operation !== undefined) attrs.push(attr("PropertyOperation", m.operation));
  return tt("Message", attrs, [group("Source", m.source), group("Data", m.data)]);
}

/** The wsnt:NotificationMessage content: Topic (ConcreteSet dialect), ProducerReference, Message. */
export function notificationMessage(m: RenderedMessage, producer: string): Item {
  return {
    Topic: { Dialect: CONCRETE_SET_DIALECT, value: m.topic },
    ProducerReference: { Address: producer },
    Message: { any: [messageElement(m)] },
  };
}
