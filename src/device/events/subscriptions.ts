/**
 * Pull-point subscriptions (ONVIF Core "Real-time Pull-Point Notification Interface"): each has a
 * filter, a queue of notification messages and a TerminationTime on the device clock. Every
 * published event is rendered once and queued on each live subscription whose filter selects it;
 * PullMessages takes up to MessageLimit queued messages, or waits (in real time: a network wait)
 * until one arrives or Timeout passes. A subscription ends at its TerminationTime or on
 * Unsubscribe; expired ones are swept whenever the service is used or an event is published.
 */
import type { XmlElement } from "../../runtime/model.js";
import { peerNetwork } from "../connection/network.js";
import { eventLogger } from "../event-logger/logger.js";
import { formatDuration, parseDuration, parseNonNegativeDuration } from "../duration.js";
import type { Item } from "../entity.js";
import { invalidArgVal } from "../faults.js";
import type { RequestContext } from "../operation.js";
import { topicServed } from "../profile.js";
import type { DeviceEvent, DeviceState } from "../state.js";
import { TEV_NS, maxPullPointsReached, pullMessagesLimits, resourceUnknown, unableToGetMessages, unacceptableInitialTerminationTime, unacceptableTerminationTime } from "./faults.js";
import { asksForDeviceSource, mightSelectTopic, parseFilter, selects, type FilterInput, type SubscriptionFilter } from "./filter.js";
import { DOOR_ALARM_TOPIC, notificationMessage, renderMessage, type MessageInput } from "./messages.js";
import { advertisedTopics } from "./topic-set.js";

/** MaxPullPoints (GetServiceCapabilities): live subscriptions at once. */
export const MAX_PULL_POINTS = 10;
/** InitialTerminationTime when a request gives none. */
export const DEFAULT_TERMINATION_MS = 60_000;
/** Shortest and longest lifetime a Create or Renew may ask for. */
export const MIN_TERMINATION_MS = 1_000;
export const MAX_TERMINATION_MS = 24 * 3_600_000;
/** Longest PullMessages Timeout (ONVIF asks for at least one minute); longer gets tev:PullMessagesFaultResponse. */
export const MAX_PULL_TIMEOUT_MS = 60_000;
/** Messages kept per subscription; beyond it the oldest are dropped. Also the most one PullMessages returns. */
export const MAX_QUEUED_MESSAGES = 1000;
/** Subscription addresses: http://<host>/vapix/services/pullpoint/<id>. */
export const PULLPOINT_PATH = "/vapix/services/pullpoint/";
/** The namespace of the SubscriptionId reference parameter. */
export const AXIS_EVENT_NS = "http://www.axis.com/2009/event";

export interface Subscription {
  readonly id: string;
  /** The event service's address, as the client reached it (the messages' ProducerReference). */
  readonly producer: string;
  readonly filter: SubscriptionFilter;
  terminationTime: number;
  readonly queue: Item[];
  /** The blocked PullMessages, woken when a message is queued or the subscription ends. */
  waiter: (() => void) | undefined;
}

/** Ended subscriptions remembered for event-unsubscribe-twice-ok. */
const MAX_REMEMBERED_UNSUBSCRIBED = 1000;

interface EventRuntime {
  nextId: number;
  readonly live: Map<string, Subscription>;
  /** Ids ended by Unsubscribe (for event-unsubscribe-twice-ok). */
  readonly unsubscribed: Set<string>;
}

function runtime(state: DeviceState): EventRuntime {
  return state.runtime<EventRuntime>("events", () => ({ nextId: 1, live: new Map(), unsubscribed: new Set() }));
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The live subscriptions (after sweeping expired ones), for the back door's view and tests. */
export function liveSubscriptions(state: DeviceState): readonly Subscription[] {
  sweep(state);
  return [...runtime(state).live.values()];
}

function end(rt: EventRuntime, sub: Subscription): void {
  rt.live.delete(sub.id);
  sub.waiter?.();
}

function expired(state: DeviceState, sub: Subscription, now: number): boolean {
  return now >= sub.terminationTime && !state.quirks.has("event-subscription-never-expires");
}

function sweep(state: DeviceState): void {
  const rt = runtime(state);
  const now = state.now();
  for (const sub of [...rt.live.values()]) if (expired(state, sub, now)) end(rt, sub);
}

function enqueue(sub: Subscription, message: Item): void {
  sub.queue.push(message);
  if (sub.queue.length > MAX_QUEUED_MESSAGES) sub.queue.shift();
  // Wake the waiting PullMessages on the next turn, so that events published together leave together.
  if (sub.waiter !== undefined) setImmediate(() => sub.waiter?.());
}

function offer(state: DeviceState, sub: Subscription, input: MessageInput, property: boolean): void {
  const m = renderMessage(state, input, property);
  if (selects(state, sub.filter, m)) enqueue(sub, notificationMessage(m, sub.producer));
}

/** Queues an Initialized message for every current property instance the subscription selects. */
function queueInitialized(state: DeviceState, sub: Subscription): void {
  const now = state.now();
  for (const decl of advertisedTopics(state)) {
    if (!decl.property || decl.current === undefined || !mightSelectTopic(state, sub.filter, decl.topic)) continue;
    for (const inst of decl.current(state)) offer(state, sub, { topic: decl.topic, source: inst.source, data: inst.data, time: now, operation: "Initialized" }, true);
  }
}

/** The listener on DeviceState.publish: every event to every subscription that selects it. */
export function deliver(state: DeviceState, event: DeviceEvent): void {
  if (event.topic === DOOR_ALARM_TOPIC && state.quirks.has("event-topic-missing")) return;
  // A service the device does not serve (--services) emits nothing outward; inside, its events still flow.
  if (!topicServed(state, event.topic)) return;
  sweep(state);
  // Only subscriptions whose topic filter can select the event see it rendered.
  // Another controller's event (global distribution) reaches only subscriptions that ask for a Device Source.
  const subs = [...runtime(state).live.values()].filter((sub) => mightSelectTopic(state, sub.filter, event.topic) && (event.origin === undefined || asksForDeviceSource(sub.filter)));
  if (subs.length === 0) return;
  const property = state.topics.get(event.topic)?.property === true;
  const parsed = Date.parse(event.utcTime);
  const distributed = event.origin !== undefined || (peerNetwork(state).inNetwork && eventLogger(state).globalDistribution);
  const input: MessageInput = {
    topic: event.topic,
    source: event.source,
    data: event.data,
    time: Number.isNaN(parsed) ? state.now() : parsed,
    ...(distributed ? { deviceSource: event.origin ?? state.identity.uuid } : {}),
  };
  const m = renderMessage(state, input, property);
  for (const sub of subs) if (selects(state, sub.filter, m)) enqueue(sub, notificationMessage(m, sub.producer));
}

/** An xs:dateTime (UTC when it names no zone) or an xs:duration from `now`; undefined when it is neither. */
export function parseAbsoluteOrRelativeTime(text: string, now: number): number | undefined {
  const t = text.trim();
  if (/^-?P/.test(t)) {
    const ms = parseDuration(t);
    return ms === undefined ? undefined : now + ms;
  }
  const m = /^(-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(t);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}${m[2] ?? "Z"}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The TerminationTime a Create (InitialTerminationTime) or Renew asks for, within the device's window. */
function requestedTermination(state: DeviceState, raw: unknown, now: number, kind: "initial" | "renew"): number {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "" || (kind === "initial" && state.quirks.has("event-initial-termination-ignored"))) return now + DEFAULT_TERMINATION_MS;
  const min = now + MIN_TERMINATION_MS;
  const max = now + MAX_TERMINATION_MS;
  const fault = kind === "initial" ? unacceptableInitialTerminationTime : unacceptableTerminationTime;
  const name = kind === "initial" ? "InitialTerminationTime" : "TerminationTime";
  const at = parseAbsoluteOrRelativeTime(text, now);
  if (at === undefined) throw fault(state, `${name} "${text}" is neither an xs:dateTime (2026-01-05T08:01:00Z) nor an xs:duration (PT60S)`, min, max);
  if (at < min) throw fault(state, `${name} "${text}" is ${iso(at)}: at least ${MIN_TERMINATION_MS / 1000} s from now (${iso(now)}) is needed`, min, max);
  if (at > max) throw fault(state, `${name} "${text}" is ${iso(at)}: at most ${MAX_TERMINATION_MS / 3_600_000} h from now (${iso(now)}) is accepted`, min, max);
  return at;
}

/** tev:ChangedOnly in SubscriptionPolicy: "a pullpoint should not provide Initialized nor Deleted events". */
function changedOnly(policy: unknown): boolean {
  if (typeof policy !== "object" || policy === null) return false;
  const p = policy as Record<string, unknown>;
  const yes = (v: unknown): boolean => ["true", "1"].includes(String(v).trim());
  if (p["ChangedOnly"] !== undefined) return yes(p["ChangedOnly"]);
  const any = p["any"];
  return Array.isArray(any) && (any as XmlElement[]).some((el) => el.ns === TEV_NS && el.local === "ChangedOnly" && yes(el.text));
}

function subscriptionIdElement(id: string): XmlElement {
  return { ns: AXIS_EVENT_NS, local: "SubscriptionId", prefix: "", attrs: [], children: [], text: id };
}

/** CreatePullPointSubscription: validates everything, then creates the pull point and queues Initialized messages. */
export function createSubscription(state: DeviceState, ctx: RequestContext, input: Item): Item {
  sweep(state);
  const rt = runtime(state);
  const now = state.now();
  const filter = parseFilter(state, input["Filter"] as FilterInput | undefined);
  const terminationTime = requestedTermination(state, input["InitialTerminationTime"], now, "initial");
  if (rt.live.size >= MAX_PULL_POINTS && !state.quirks.has("event-max-pull-points-unenforced")) throw maxPullPointsReached(state, MAX_PULL_POINTS);
  const id = String(rt.nextId++);
  const sub: Subscription = { id, producer: `${ctx.scheme ?? "http"}://${ctx.host}/vapix/services`, filter, terminationTime, queue: [], waiter: undefined };
  rt.live.set(id, sub);
  if (!state.quirks.has("event-no-initialized") && !changedOnly(input["SubscriptionPolicy"])) queueInitialized(state, sub);
  return {
    SubscriptionReference: { Address: `${ctx.scheme ?? "http"}://${ctx.host}${PULLPOINT_PATH}${id}`, ReferenceParameters: { any: [subscriptionIdElement(id)] } },
    CurrentTime: iso(now),
    TerminationTime: iso(terminationTime),
  };
}

/** The subscription a request addresses: the id in its path, else its SubscriptionId header block. */
export function addressedSubscriptionId(ctx: RequestContext): string | undefined {
  if (ctx.path.startsWith(PULLPOINT_PATH)) {
    const rest = ctx.path.slice(PULLPOINT_PATH.length).replace(/\/+$/, "");
    if (rest !== "") return rest;
  }
  const block = ctx.header?.children.find((c) => c.ns === AXIS_EVENT_NS && c.local === "SubscriptionId");
  const id = block?.text.trim();
  return id === undefined || id === "" ? undefined : id;
}

function requireSubscription(state: DeviceState, ctx: RequestContext, op: string): Subscription {
  sweep(state);
  const id = addressedSubscriptionId(ctx);
  if (id === undefined) {
    throw resourceUnknown(state, `${op}: no subscription addressed; send it to the SubscriptionReference Address (${PULLPOINT_PATH}<id>) or with its SubscriptionId reference parameter`);
  }
  const sub = runtime(state).live.get(id);
  if (sub === undefined) throw resourceUnknown(state, `${op}: subscription ${id} does not exist (it was unsubscribed, it expired, or it never existed)`);
  return sub;
}

/** ONVIF Core "Create pull point subscription": after PullMessages the subscription lives at least its Timeout longer. */
function keepAlive(state: DeviceState, sub: Subscription, timeoutMs: number): void {
  if (state.quirks.has("event-pull-not-keep-alive")) return;
  sub.terminationTime = Math.max(sub.terminationTime, state.now() + timeoutMs);
}

/** Resolves when a message is queued, the subscription ends, the client goes away, or `ms` of real time pass. */
function waitForMessages(sub: Subscription, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      if (sub.waiter === done) sub.waiter = undefined;
      resolve();
    };
    // A network wait, not device behaviour: real time even when the device clock is virtual.
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
    sub.waiter = done;
  });
}

/** PullMessages (ONVIF Core "Pull messages"). */
export async function pullMessages(state: DeviceState, ctx: RequestContext, input: Item): Promise<Item> {
  const timeoutText = String(input["Timeout"] ?? "");
  const timeout = parseNonNegativeDuration(timeoutText);
  if (timeout === undefined) throw invalidArgVal([], `PullMessages: Timeout "${timeoutText}" is not a non-negative xs:duration such as PT10S`);
  if (timeout > MAX_PULL_TIMEOUT_MS) {
    const max = formatDuration(MAX_PULL_TIMEOUT_MS);
    throw pullMessagesLimits(`PullMessages: Timeout ${timeoutText} exceeds this device's limit ${max}`, max, MAX_QUEUED_MESSAGES);
  }
  // "The device shall not respond with a PullMessagesFaultResponse when the MessageLimit is greater than the device supports."
  const limit = Math.max(0, Math.min(Number(input["MessageLimit"] ?? 0), MAX_QUEUED_MESSAGES));
  let sub = requireSubscription(state, ctx, "PullMessages");
  if (sub.waiter !== undefined) throw unableToGetMessages(state, `PullMessages: another PullMessages is already waiting on subscription ${sub.id}`);
  keepAlive(state, sub, timeout);
  if (sub.queue.length === 0 && limit > 0 && timeout > 0 && !state.quirks.has("event-pull-no-long-poll")) {
    await waitForMessages(sub, timeout, ctx.signal);
    // Unsubscribed, or expired as the device clock moved on, while waiting.
    sub = requireSubscription(state, ctx, "PullMessages");
  }
  const count = state.quirks.has("event-pull-ignores-message-limit") ? sub.queue.length : Math.min(limit, sub.queue.length);
  // A client that went away gets nothing: its messages stay queued for the next PullMessages.
  const messages = ctx.signal.aborted ? [] : sub.queue.splice(0, count);
  keepAlive(state, sub, timeout);
  return { CurrentTime: iso(state.now()), TerminationTime: iso(sub.terminationTime), NotificationMessage: messages };
}

/** Renew (WS-BaseNotification): the requested TerminationTime, absolute or relative. */
export function renew(state: DeviceState, ctx: RequestContext, input: Item): Item {
  const sub = requireSubscription(state, ctx, "Renew");
  const now = state.now();
  const at = requestedTermination(state, input["TerminationTime"], now, "renew");
  if (!state.quirks.has("event-renew-ignored")) sub.terminationTime = at;
  return { TerminationTime: iso(sub.terminationTime), CurrentTime: iso(now) };
}

/** Unsubscribe (WS-BaseNotification): the subscription ends at once; a waiting PullMessages is answered with the fault. */
export function unsubscribe(state: DeviceState, ctx: RequestContext): Item {
  const rt = runtime(state);
  const id = addressedSubscriptionId(ctx);
  if (id !== undefined && rt.unsubscribed.has(id) && state.quirks.has("event-unsubscribe-twice-ok")) return {};
  const sub = requireSubscription(state, ctx, "Unsubscribe");
  end(rt, sub);
  rt.unsubscribed.add(sub.id);
  if (rt.unsubscribed.size > MAX_REMEMBERED_UNSUBSCRIBED) rt.unsubscribed.delete(rt.unsubscribed.values().next().value!);
  return {};
}

/** SetSynchronizationPoint: the current value of every selected property again, as Initialized. */
export function setSynchronizationPoint(state: DeviceState, ctx: RequestContext): Item {
  const sub = requireSubscription(state, ctx, "SetSynchronizationPoint");
  if (!state.quirks.has("event-sync-point-ignored")) queueInitialized(state, sub);
  return {};
}
