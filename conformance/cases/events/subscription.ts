/**
 * Pull-point subscriptions from the checks (ONVIF Core "Real-time Pull-Point Notification
 * Interface"): every tev call goes out as a WS-Addressing message (wsa:Action, wsa:To, MessageID;
 * subscription calls to the subscription's Address with its reference parameters). A subscription
 * is unsubscribed after the check whatever its verdict. `expectEvent` pulls until the notification
 * a stimulus should cause arrives, discarding unrelated ones, and fails naming the topic, the
 * stimulus and how long it waited.
 */
import type { XmlElement } from "../../../src/runtime/model.js";
import type { CheckCallOptions, CheckContext, CleanupCaller, Exchange } from "../../harness/types.js";
import { excerptJson, faultOf } from "../../harness/faults.js";
import { DIALECT, NS } from "./namespaces.js";
import { EventBodyError, decodeEventPropertiesBody, decodePullMessagesBody, describeNotification, type EventPropertiesBody, type Notification } from "./message.js";
import { formatTopic, localKey, sameTopic, type TopicPath } from "./topic.js";

/** Termination time asked for by default: long enough for a check that lets device time pass. */
export const DEFAULT_TERMINATION = "PT10M";

/** Where a tev call goes: the event service (no `to`) or a subscription. */
export type Endpoint = { readonly to?: string; readonly referenceParameters?: readonly XmlElement[] };

/** The prefixes a filter writes (topic expressions, ItemFilter expressions), declared on every tev request's Envelope. */
const FILTER_NAMESPACES: Readonly<Record<string, string>> = { tns1: NS.tns1, tnsaxis: NS.tnsaxis, tt: NS.tt };

function tevOptions(endpoint: Endpoint, timeoutMs?: number): CheckCallOptions {
  return { wsAddressing: endpoint, namespaces: FILTER_NAMESPACES, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** Calls a tev operation as a WS-Addressing message; the exchange is the last one of `op`. */
export async function tevCall<T = Record<string, unknown>>(ctx: CheckContext, op: string, input: unknown, endpoint: Endpoint = {}, timeoutMs?: number): Promise<T> {
  return ctx.call<T>(op, input, "soap", tevOptions(endpoint, timeoutMs));
}

/** The latest exchange of `op` made since `from` (calls may overlap, e.g. a long poll and a stimulus). */
export function exchangeOf(ctx: CheckContext, op: string, from: number): Exchange | undefined {
  const list = ctx.exchanges.slice(from).filter((e) => e.operation === op && e.response !== undefined);
  return list[list.length - 1];
}

export interface Subscription {
  readonly address: string;
  readonly referenceParameters: readonly XmlElement[];
  readonly currentTime: string;
  readonly terminationTime: string;
  /** What it was created with, for messages. */
  readonly label: string;
  /** Notifications pulled but not yet taken by expectEvent/collect. */
  readonly backlog: Notification[];
  /** Set once unsubscribed (or seen to be gone): the cleanup leaves it alone. */
  closed: boolean;
}

export interface SubscribeOptions {
  /** A topic expression (documentation prefixes) and its dialect (default ConcreteSet). */
  readonly topic?: string;
  readonly dialect?: string;
  /** An ItemFilter message content expression. */
  readonly content?: string;
  /** xs:duration or xs:dateTime (default DEFAULT_TERMINATION); null sends none. */
  readonly initialTerminationTime?: string | null;
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object" && "value" in v) return String((v as { value: unknown }).value ?? "");
  return v === undefined || v === null ? "" : String(v);
}

/** The CreatePullPointSubscription input for `options`. */
export function subscribeInput(options: SubscribeOptions): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (options.topic !== undefined) filter["TopicExpression"] = [{ Dialect: options.dialect ?? DIALECT.concreteSet, value: options.topic }];
  if (options.content !== undefined) filter["MessageContent"] = [{ Dialect: DIALECT.itemFilter, value: options.content }];
  const itt = options.initialTerminationTime === undefined ? DEFAULT_TERMINATION : options.initialTerminationTime;
  return { ...(Object.keys(filter).length > 0 ? { Filter: filter } : {}), ...(itt !== null ? { InitialTerminationTime: itt } : {}) };
}

function describeOptions(o: SubscribeOptions): string {
  const parts = [o.topic !== undefined ? `topic ${o.topic}` : "no topic filter", ...(o.content !== undefined ? [`content ${o.content}`] : [])];
  return parts.join(", ");
}

/** Registers the subscription's Unsubscribe after the check. */
function unsubscribeAfterwards(ctx: CheckContext, sub: Subscription): void {
  ctx.onCleanup(`unsubscribe ${sub.address}`, async (call: CleanupCaller) => {
    if (sub.closed) return;
    const endpoint = endpointOf(sub);
    // The check's own caller while it may still call; after a deadline the cleanup caller.
    if (!ctx.signal.aborted) await tevCall(ctx, "tev:Unsubscribe", {}, endpoint);
    else await call("tev:Unsubscribe", {}, "soap", tevOptions(endpoint));
    sub.closed = true;
  });
}

/** Reads a CreatePullPointSubscriptionResponse into a Subscription (registered for cleanup); fails on a response without an Address. */
export function adoptSubscription(ctx: CheckContext, response: Record<string, unknown>, label: string): Subscription {
  const ref = (response["SubscriptionReference"] ?? {}) as Record<string, unknown>;
  const address = text(ref["Address"]).trim();
  const params = ref["ReferenceParameters"] as { any?: XmlElement[] } | undefined;
  const sub: Subscription = {
    address,
    referenceParameters: params?.any ?? [],
    currentTime: text(response["CurrentTime"]),
    terminationTime: text(response["TerminationTime"]),
    label,
    backlog: [],
    closed: address === "",
  };
  if (address === "") ctx.fail(`CreatePullPointSubscription (${label}) answered without a SubscriptionReference Address: ${excerptJson(response)}`, exchangeOf(ctx, "tev:CreatePullPointSubscription", 0));
  unsubscribeAfterwards(ctx, sub);
  return sub;
}

/** CreatePullPointSubscription with `options`; always unsubscribed after the check. */
export async function subscribe(ctx: CheckContext, options: SubscribeOptions = {}): Promise<Subscription> {
  const r = await tevCall(ctx, "tev:CreatePullPointSubscription", subscribeInput(options));
  return adoptSubscription(ctx, r, describeOptions(options));
}

export function endpointOf(sub: Subscription): Endpoint {
  return { to: sub.address, referenceParameters: sub.referenceParameters };
}

/** A relative xs:duration in whole seconds (at least 1 s): PT5S. */
export function seconds(ms: number): string {
  return `PT${Math.max(1, Math.ceil(ms / 1000))}S`;
}

/** An xs:duration of days, hours, minutes and seconds ("PT60S", "P1DT2H") in ms; undefined for anything else. */
export function durationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (m === null || text.trim() === "P" || text.trim().endsWith("T")) return undefined;
  const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((v) => Number(v ?? 0));
  return ((d! * 24 + h!) * 60 + min!) * 60_000 + sec! * 1000;
}

/** The PullMessages exchange each notification came in (evidence for a verdict on it). */
const received = new WeakMap<Notification, Exchange | undefined>();

export function exchangeFor(n: Notification): Exchange | undefined {
  return received.get(n);
}

export interface PullResult {
  readonly currentTime: string;
  readonly terminationTime: string;
  readonly notifications: readonly Notification[];
  readonly exchange: Exchange | undefined;
  /** Real time the call took. */
  readonly elapsedMs: number;
}

/**
 * One PullMessages (Timeout `timeoutMs`, whole seconds; MessageLimit `limit`). The messages are
 * decoded from the raw response; they are also appended to the subscription's backlog.
 */
export async function pull(ctx: CheckContext, sub: Subscription, timeoutMs: number, limit = 100): Promise<PullResult> {
  const from = ctx.exchanges.length;
  const t0 = Date.now();
  const r = await tevCall(ctx, "tev:PullMessages", { Timeout: seconds(timeoutMs), MessageLimit: limit }, endpointOf(sub), Math.ceil(timeoutMs / 1000) * 1000 + 10_000);
  const elapsedMs = Date.now() - t0;
  const exchange = exchangeOf(ctx, "tev:PullMessages", from);
  let notifications: Notification[];
  try {
    notifications = decodePullMessagesBody(exchange?.response?.body ?? "");
  } catch (err) {
    if (err instanceof EventBodyError) return ctx.fail(`PullMessages on ${sub.address}: ${err.message}`, exchange);
    throw err;
  }
  for (const n of notifications) received.set(n, exchange);
  sub.backlog.push(...notifications);
  return { currentTime: text(r["CurrentTime"]), terminationTime: text(r["TerminationTime"]), notifications, exchange, elapsedMs };
}

export interface Expectation {
  /** The topic as the documentation writes it, e.g. "tns1:Door/State/DoorMode". */
  readonly topic: TopicPath;
  /** Further condition on the notification (e.g. it names our door, it is Initialized). */
  readonly match?: (n: Notification) => boolean;
  /** What should cause it, for the failure message: "UnlockDoor on door pcx-…". */
  readonly stimulus: string;
  /** What the match asks for, for the failure message: "naming door pcx-…". */
  readonly wanted?: string;
  /** Real time to wait (default: the run's --event-wait). */
  readonly waitMs?: number;
}

/** The notification's topic is `topic` (local names; a wrong namespace is judged separately). */
export function hasTopic(n: Notification, topic: TopicPath): boolean {
  return n.topic !== undefined && (sameTopic(n.topic, topic) || localKey(n.topic) === localKey(topic));
}

function takeFirst(sub: Subscription, pred: (n: Notification) => boolean): Notification | undefined {
  const i = sub.backlog.findIndex(pred);
  return i < 0 ? undefined : sub.backlog.splice(i, 1)[0];
}

/**
 * Pulls until a notification of `e.topic` that passes `e.match` arrives (the backlog first) and
 * takes it. Fails after the wait, naming topic, stimulus and wait, and what came instead.
 */
export async function expectEvent(ctx: CheckContext, sub: Subscription, e: Expectation): Promise<Notification> {
  const waitMs = e.waitMs ?? ctx.eventWaitMs;
  const pred = (n: Notification): boolean => hasTopic(n, e.topic) && (e.match?.(n) ?? true);
  const seen: Notification[] = [];
  const deadline = Date.now() + waitMs;
  let last: Exchange | undefined;
  for (;;) {
    const found = takeFirst(sub, pred);
    if (found !== undefined) return found;
    seen.push(...sub.backlog.splice(0));
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    last = (await pull(ctx, sub, Math.min(remaining, 2000))).exchange ?? last;
  }
  const sameTopic = seen.filter((n) => hasTopic(n, e.topic));
  const others = seen.filter((n) => !hasTopic(n, e.topic));
  const instead =
    sameTopic.length > 0
      ? `; ${sameTopic.length} ${formatTopic(e.topic)} notification(s) came but none ${e.wanted ?? "matched"}: ${sameTopic.slice(0, 3).map(describeNotification).join("; ")}`
      : others.length > 0
        ? `; ${others.length} other notification(s) came (${[...new Set(others.map((n) => (n.topic !== undefined ? formatTopic(n.topic) : n.topicText)))].slice(0, 5).join(", ")})`
        : "; nothing came at all";
  return ctx.fail(`expected a ${formatTopic(e.topic)} notification${e.wanted !== undefined ? ` ${e.wanted}` : ""} after ${e.stimulus}; none arrived within ${waitMs} ms of pulling (subscription: ${sub.label})${instead}`, last);
}

/**
 * Pulls until `done` says the notifications so far are enough, or nothing more comes for
 * `quietMs`, or `waitMs` has passed; returns (and takes) everything received.
 */
export async function collect(ctx: CheckContext, sub: Subscription, done: (all: readonly Notification[]) => boolean, waitMs = ctx.eventWaitMs, quietMs = 1000): Promise<Notification[]> {
  const all: Notification[] = sub.backlog.splice(0);
  const deadline = Date.now() + waitMs;
  while (!done(all)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const r = await pull(ctx, sub, Math.min(remaining, quietMs));
    all.push(...sub.backlog.splice(0));
    if (r.notifications.length === 0) break;
  }
  return all;
}

/** Unsubscribes now (the check's own step; the cleanup then leaves it alone). */
export async function unsubscribe(ctx: CheckContext, sub: Subscription): Promise<void> {
  await tevCall(ctx, "tev:Unsubscribe", {}, endpointOf(sub));
  sub.closed = true;
}

/** GetEventProperties, read from its raw body (topic set namespaces need the declarations in scope). */
export async function eventProperties(ctx: CheckContext): Promise<{ body: EventPropertiesBody; exchange: Exchange | undefined }> {
  const from = ctx.exchanges.length;
  await tevCall(ctx, "tev:GetEventProperties", {});
  const exchange = exchangeOf(ctx, "tev:GetEventProperties", from);
  try {
    return { body: decodeEventPropertiesBody(exchange?.response?.body ?? ""), exchange };
  } catch (err) {
    if (err instanceof EventBodyError) return ctx.fail(`GetEventProperties: ${err.message}`, exchange);
    throw err;
  }
}

/** A fault, or undefined for a normal answer; other errors are rethrown. */
export async function faultFrom(run: () => Promise<unknown>): Promise<{ fault: NonNullable<ReturnType<typeof faultOf>> } | { response: unknown }> {
  try {
    return { response: await run() };
  } catch (err) {
    const fault = faultOf(err);
    if (fault === undefined) throw err;
    return { fault };
  }
}
