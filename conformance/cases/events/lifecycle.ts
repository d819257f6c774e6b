/**
 * The pull point's life (ONVIF Core "Create pull point subscription", "Pull messages", "Renew",
 * "Unsubscribe", "Pull Point Lifecycle", "SetSynchronizationPoint"; the ONVIF Event Handling test
 * cases named in each check): creation with relative and absolute termination times, Renew,
 * Unsubscribe (twice), expiry on the device clock, MessageLimit, the long poll, synchronization
 * points, MaxPullPoints and the WS-Addressing headers every call carries.
 */
import type { CheckContext, CheckDefinition, Exchange } from "../../harness/types.js";
import { excerptJson, faultChain } from "../../harness/faults.js";
import { sleep } from "../../harness/physical.js";
import { parseXml } from "../../../src/runtime/xml.js";
import { lastExchange } from "../generic/support.js";
import { createDoor, doorMode, requireCapabilities } from "../door-control/support.js";
import { mentions, isUtcDateTime, type Notification } from "./message.js";
import { NS, SERVICE } from "./namespaces.js";
import {
  adoptSubscription,
  collect,
  durationMs,
  endpointOf,
  exchangeOf,
  expectEvent,
  faultFrom,
  pull,
  subscribe,
  subscribeInput,
  tevCall,
  unsubscribe,
  type Subscription,
} from "./subscription.js";
import { requireEvents } from "./support.js";
import { docTopic } from "./topic.js";

const DOOR_MODE = "tns1:Door/State/DoorMode";
const DOOR_MODE_PATH = docTopic(DOOR_MODE);
const LIFECYCLE_REF = "intro.md#events";

function time(v: string): number {
  return Date.parse(v);
}

/** CurrentTime and TerminationTime of a response: both UTC with Z, TerminationTime at least `atLeastMs` after CurrentTime. */
function judgeTimes(ctx: CheckContext, what: string, current: string, termination: string, atLeastMs: number, evidence: Exchange | undefined): void {
  if (!isUtcDateTime(current) || !isUtcDateTime(termination)) {
    ctx.fail(`${what}: CurrentTime "${current}" and TerminationTime "${termination}" must both be UTC xs:dateTime values with the Z designator`, evidence);
  }
  const gap = time(termination) - time(current);
  // One second of slack for devices that keep whole seconds.
  if (gap < atLeastMs - 1000) ctx.fail(`${what}: TerminationTime ${termination} is ${gap} ms after CurrentTime ${current}; expected at least ${atLeastMs} ms`, evidence);
}

/** A door of the run whose mode LockDoor/UnlockDoor can toggle; returns it and a toggler. */
async function toggledDoor(ctx: CheckContext): Promise<{ door: string; toggle: () => Promise<string> }> {
  const door = await createDoor(ctx, "evt", {});
  await requireCapabilities(ctx, door, "Lock", "Unlock");
  let mode = await doorMode(ctx, door);
  return {
    door,
    toggle: async () => {
      const op = mode === "Unlocked" ? "tdc:LockDoor" : "tdc:UnlockDoor";
      await ctx.call(op, { Token: door });
      mode = op === "tdc:LockDoor" ? "Locked" : "Unlocked";
      return `${op.slice(4)} on door "${door}"`;
    },
  };
}

const ofDoor = (door: string) => (n: Notification): boolean => mentions(n, door);

const create: CheckDefinition = {
  id: "tev.create-pull-point.termination-times",
  title: "CreatePullPointSubscription honours relative and absolute InitialTerminationTime, and Unsubscribe ends it",
  service: SERVICE,
  rule:
    "CreatePullPointSubscription returns a SubscriptionReference with an Address, CurrentTime and TerminationTime in UTC with Z, and TerminationTime ≥ CurrentTime + a relative InitialTerminationTime (PT10S) or at an absolute one; Unsubscribe to the subscription answers with UnsubscribeResponse.",
  specRefs: ["EVENT-3-1-9", "EVENT-3-1-36", LIFECYCLE_REF],
  quirk: "event-initial-termination-ignored",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx);
    const relative = await subscribe(ctx, { initialTerminationTime: "PT10S" });
    judgeTimes(ctx, "CreatePullPointSubscription with InitialTerminationTime PT10S", relative.currentTime, relative.terminationTime, 10_000, exchangeOf(ctx, "tev:CreatePullPointSubscription", 0));
    const at = new Date(time(relative.currentTime) + 20_000).toISOString();
    const absolute = await subscribe(ctx, { initialTerminationTime: at });
    const evidence = exchangeOf(ctx, "tev:CreatePullPointSubscription", 0);
    judgeTimes(ctx, `CreatePullPointSubscription with InitialTerminationTime ${at}`, absolute.currentTime, absolute.terminationTime, 0, evidence);
    if (Math.abs(time(absolute.terminationTime) - time(at)) > 1000) ctx.fail(`CreatePullPointSubscription with the absolute InitialTerminationTime ${at} answered TerminationTime ${absolute.terminationTime}`, evidence);
    if (absolute.address === relative.address && JSON.stringify(absolute.referenceParameters) === JSON.stringify(relative.referenceParameters)) {
      ctx.fail(`two CreatePullPointSubscription calls returned the same endpoint reference (${relative.address}); each pull point needs its own`, evidence);
    }
    await unsubscribe(ctx, relative);
    await unsubscribe(ctx, absolute);
  },
};

const renew: CheckDefinition = {
  id: "tev.renew.extends-termination",
  title: "Renew moves the subscription's TerminationTime and keeps it alive past the old one",
  service: SERVICE,
  rule: "Renew with a relative TerminationTime (PT60S) answers TerminationTime ≥ CurrentTime + 60 s in UTC with Z, and the subscription still answers PullMessages after its initial termination time (PT10S) has passed.",
  specRefs: ["EVENT-3-1-12", LIFECYCLE_REF],
  quirk: "event-renew-ignored",
  transports: ["soap"],
  notes: "Device time passes with the back door's virtual clock, or in real time (15 s) without one.",
  run: async (ctx) => {
    requireEvents(ctx, "tev:Renew");
    const sub = await subscribe(ctx, { topic: DOOR_MODE, initialTerminationTime: "PT10S" });
    const from = ctx.exchanges.length;
    const r = await tevCall(ctx, "tev:Renew", { TerminationTime: "PT60S" }, endpointOf(sub));
    const evidence = exchangeOf(ctx, "tev:Renew", from);
    const current = String(r["CurrentTime"] ?? "");
    const termination = String(r["TerminationTime"] ?? "");
    if (current === "") ctx.fail(`RenewResponse has no CurrentTime (ONVIF requires both CurrentTime and TerminationTime): ${excerptJson(r)}`, evidence);
    judgeTimes(ctx, "Renew with TerminationTime PT60S", current, termination, 60_000, evidence);
    await ctx.physical.elapse(15_000);
    const after = await faultFrom(() => pull(ctx, sub, 1000));
    if ("fault" in after) {
      sub.closed = true;
      ctx.fail(`15 s after creation (InitialTerminationTime PT10S, renewed to 60 s), PullMessages got ${faultChain(after.fault)}: the Renew did not extend the subscription`, lastExchange(ctx));
    }
  },
};

const unsubscribeTwice: CheckDefinition = {
  id: "tev.unsubscribe.second-unsubscribe-faults",
  title: "A second Unsubscribe of the same subscription faults",
  service: SERVICE,
  rule: "After Unsubscribe the subscription no longer exists: a second Unsubscribe to it returns a SOAP 1.2 fault (for example ResourceUnknownFault).",
  specRefs: ["EVENT-3-1-19", "EVENT-3-1-36"],
  quirk: "event-unsubscribe-twice-ok",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx);
    const sub = await subscribe(ctx, { initialTerminationTime: "PT10S" });
    await unsubscribe(ctx, sub);
    const again = await faultFrom(() => tevCall(ctx, "tev:Unsubscribe", {}, endpointOf(sub)));
    if ("response" in again) ctx.fail(`a second Unsubscribe to ${sub.address} answered normally (${excerptJson(again.response)}); the subscription was already gone`, lastExchange(ctx));
  },
};

const expires: CheckDefinition = {
  id: "tev.subscription.expires-at-termination-time",
  title: "A subscription is gone once its TerminationTime has passed",
  service: SERVICE,
  rule: "A pull point exists only until its termination time: after InitialTerminationTime PT10S has passed on the device clock (with no PullMessages or Renew in between), PullMessages and Unsubscribe to it return a SOAP fault (for example ResourceUnknownFault).",
  specRefs: ["EVENT-3-1-20", LIFECYCLE_REF],
  quirk: "event-subscription-never-expires",
  transports: ["soap"],
  notes: "Device time passes with the back door's virtual clock, or in real time (12 s) without one.",
  run: async (ctx) => {
    requireEvents(ctx);
    const sub = await subscribe(ctx, { initialTerminationTime: "PT10S" });
    await ctx.physical.elapse(12_000);
    const pulled = await faultFrom(() => pull(ctx, sub, 1000));
    if ("response" in pulled) ctx.fail(`12 s after creation with InitialTerminationTime PT10S (TerminationTime ${sub.terminationTime}), PullMessages still answered normally`, lastExchange(ctx));
    const gone = await faultFrom(() => tevCall(ctx, "tev:Unsubscribe", {}, endpointOf(sub)));
    sub.closed = true;
    if ("response" in gone) ctx.fail(`after its TerminationTime ${sub.terminationTime}, Unsubscribe to ${sub.address} still answered normally`, lastExchange(ctx));
  },
};

const messageLimit: CheckDefinition = {
  id: "tev.pull-messages.message-limit",
  title: "PullMessages returns at most MessageLimit messages and keeps the rest for the next pull",
  service: SERVICE,
  rule: "With several messages waiting, PullMessages returns at once with at most MessageLimit of them (1, then 2), and does not discard the others: later pulls deliver them.",
  specRefs: ["EVENT-3-1-15", "EVENT-3-1-16"],
  quirk: "event-pull-ignores-message-limit",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx);
    const { door, toggle } = await toggledDoor(ctx);
    const sub = await subscribe(ctx, { topic: DOOR_MODE });
    for (let i = 0; i < 3; i++) await toggle();
    // Our door's messages: one Initialized and three Changed.
    const ours = (list: readonly Notification[]): Notification[] => list.filter(ofDoor(door));
    const one = await pull(ctx, sub, ctx.eventWaitMs, 1);
    if (one.notifications.length > 1) ctx.fail(`PullMessages with MessageLimit 1 returned ${one.notifications.length} messages`, one.exchange);
    if (one.notifications.length === 0) ctx.fail(`PullMessages with MessageLimit 1 returned no message within ${ctx.eventWaitMs} ms although the subscription was created and door "${door}" changed mode three times`, one.exchange);
    const two = await pull(ctx, sub, 1000, 2);
    if (two.notifications.length > 2) ctx.fail(`PullMessages with MessageLimit 2 returned ${two.notifications.length} messages`, two.exchange);
    const seen = [...one.notifications, ...two.notifications];
    sub.backlog.splice(0);
    const rest = await collect(ctx, sub, (all) => ours([...seen, ...all]).length >= 4);
    const got = ours([...seen, ...rest]);
    if (got.length < 4) {
      ctx.fail(`door "${door}" should have 4 ${DOOR_MODE} messages (Initialized and three Changed); the pulls delivered ${got.length}: messages beyond a MessageLimit were dropped`, lastExchange(ctx));
    }
  },
};

const LONG_POLL_MS = 5000;
const STIMULUS_AFTER_MS = 700;

const longPoll: CheckDefinition = {
  id: "tev.pull-messages.long-poll",
  title: "PullMessages with nothing queued waits, and returns as soon as an event comes",
  service: SERVICE,
  rule: "With no messages waiting, PullMessages does not answer before its Timeout unless a message is produced; a message produced during the wait is returned at once (not held until the Timeout).",
  specRefs: ["EVENT-3-1-15", "EVENT-3-1-32"],
  quirk: "event-pull-no-long-poll",
  transports: ["soap"],
  notes: `Real-time: the pull (Timeout PT${LONG_POLL_MS / 1000}S) is made, the door mode changes ${STIMULUS_AFTER_MS} ms into the wait, and the pull must answer with it well before the Timeout.`,
  run: async (ctx) => {
    requireEvents(ctx);
    const { door, toggle } = await toggledDoor(ctx);
    const sub = await subscribe(ctx, { topic: DOOR_MODE });
    // Everything already queued (Initialized messages) first, until a pull comes back empty.
    await collect(ctx, sub, () => false, ctx.eventWaitMs, 1000);
    const waiting = pull(ctx, sub, LONG_POLL_MS);
    let stimulus = "";
    try {
      await sleep(STIMULUS_AFTER_MS, ctx.signal);
      stimulus = await toggle();
    } finally {
      await waiting.catch(() => undefined);
    }
    const r = await waiting;
    if (r.notifications.length === 0) {
      ctx.fail(
        r.elapsedMs < LONG_POLL_MS - 500
          ? `PullMessages (Timeout PT${LONG_POLL_MS / 1000}S, nothing queued) answered with no message after ${r.elapsedMs} ms, before its Timeout; ${stimulus} ${STIMULUS_AFTER_MS} ms into the wait was not delivered by it`
          : `PullMessages (Timeout PT${LONG_POLL_MS / 1000}S) answered after ${r.elapsedMs} ms with no message although ${stimulus} happened ${STIMULUS_AFTER_MS} ms into the wait`,
        r.exchange,
      );
    }
    if (r.elapsedMs > LONG_POLL_MS - 1000) ctx.fail(`PullMessages answered only after ${r.elapsedMs} ms (Timeout ${LONG_POLL_MS} ms) although ${stimulus} happened ${STIMULUS_AFTER_MS} ms into the wait: a produced message is to be returned at once`, r.exchange);
    if (!r.notifications.some(ofDoor(door))) await expectEvent(ctx, sub, { topic: DOOR_MODE_PATH, match: ofDoor(door), stimulus, wanted: `naming door "${door}"` });
  },
};

const syncPoint: CheckDefinition = {
  id: "tev.set-synchronization-point.resends-initialized",
  title: "SetSynchronizationPoint sends the current state of the subscribed properties again",
  service: SERVICE,
  rule: "After SetSynchronizationPoint, the subscription receives an Initialized message again for every property it selects (here the DoorMode of a door of the run, with the same Source).",
  specRefs: ["EVENT-3-1-25", "EVENT-3-1-15"],
  quirk: "event-sync-point-ignored",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx, "tev:SetSynchronizationPoint");
    const { door } = await toggledDoor(ctx);
    const sub = await subscribe(ctx, { topic: DOOR_MODE });
    const initialized = (n: Notification): boolean => ofDoor(door)(n) && n.message?.propertyOperation === "Initialized";
    await expectEvent(ctx, sub, { topic: DOOR_MODE_PATH, match: initialized, stimulus: "subscribing", wanted: `with PropertyOperation="Initialized" naming door "${door}"` });
    sub.backlog.splice(0);
    await tevCall(ctx, "tev:SetSynchronizationPoint", {}, endpointOf(sub));
    await expectEvent(ctx, sub, { topic: DOOR_MODE_PATH, match: initialized, stimulus: "SetSynchronizationPoint", wanted: `with PropertyOperation="Initialized" naming door "${door}" again` });
  },
};

/** Capabilities.MaxPullPoints, if the device reports one. */
async function maxPullPoints(ctx: CheckContext): Promise<number | undefined> {
  const r = await tevCall(ctx, "tev:GetServiceCapabilities", {});
  const caps = (r["Capabilities"] ?? {}) as Record<string, unknown>;
  const v = Number(caps["MaxPullPoints"]);
  return caps["MaxPullPoints"] === undefined || !Number.isFinite(v) ? undefined : v;
}

const MAX_TRIED = 50;

const maxPullPointsCheck: CheckDefinition = {
  id: "tev.create-pull-point.max-pull-points",
  title: "CreatePullPointSubscription refuses pull points beyond MaxPullPoints",
  service: SERVICE,
  rule: "A device creates a new pull point on each CreatePullPointSubscription as long as the number of pull points does not exceed its MaxPullPoints capability; one more is refused with a fault.",
  specRefs: ["EVENT-3-1-37", "EVENT-5-1-1"],
  quirk: "event-max-pull-points-unenforced",
  transports: ["soap"],
  notes: `Skipped when MaxPullPoints is absent or above ${MAX_TRIED}. Every subscription made is unsubscribed. Refused before MaxPullPoints (others may hold pull points) is a warning.`,
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetServiceCapabilities");
    const reported = await maxPullPoints(ctx);
    const max = reported ?? ctx.skip("GetServiceCapabilities reports no MaxPullPoints");
    if (max < 1 || max > MAX_TRIED) ctx.skip(`MaxPullPoints is ${max}; the check creates at most ${MAX_TRIED + 1} pull points`);
    const made: Subscription[] = [];
    for (let i = 1; i <= max + 1; i++) {
      const r = await faultFrom(() => tevCall(ctx, "tev:CreatePullPointSubscription", subscribeInput({ topic: DOOR_MODE, initialTerminationTime: "PT60S" })));
      if ("fault" in r) {
        if (i <= max) ctx.warn(`pull point ${i} of MaxPullPoints ${max} was refused (${faultChain(r.fault)}); other clients may hold pull points`, lastExchange(ctx));
        break;
      }
      made.push(adoptSubscription(ctx, r.response as Record<string, unknown>, `pull point ${i}`));
    }
    const evidence = lastExchange(ctx);
    for (const s of made) await unsubscribe(ctx, s);
    if (made.length > max) ctx.fail(`${made.length} pull points were created although MaxPullPoints is ${max}`, evidence);
  },
};

const mustUnderstand: CheckDefinition = {
  id: "tev.wsa.must-understand-accepted",
  title: "Event service calls with mustUnderstand WS-Addressing headers are accepted",
  service: SERVICE,
  rule: "Device and client support WS-Addressing for the event service: requests carrying wsa:Action and wsa:To with mustUnderstand=\"1\", a wsa:MessageID and the subscription's reference parameters are processed, not refused with env:MustUnderstand.",
  specRefs: ["EVENT-1-1-2", "EVENT-3-1-15", LIFECYCLE_REF],
  quirk: "event-mustunderstand-rejected",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetEventProperties");
    const refused = (what: string, r: Awaited<ReturnType<typeof faultFrom>>): void => {
      if ("fault" in r && (r.fault.code === "env:MustUnderstand" || /MustUnderstand/i.test(faultChain(r.fault)))) {
        ctx.fail(`${what} with wsa:Action and wsa:To marked mustUnderstand="1" was refused: ${faultChain(r.fault)}: ${r.fault.reason}`, lastExchange(ctx));
      }
      if ("fault" in r) ctx.fail(`${what} (a valid WS-Addressing request) faulted: ${faultChain(r.fault)}: ${r.fault.reason}`, lastExchange(ctx));
    };
    refused("GetEventProperties", await faultFrom(() => tevCall(ctx, "tev:GetEventProperties", {})));
    const created = await faultFrom(() => tevCall(ctx, "tev:CreatePullPointSubscription", subscribeInput({ topic: DOOR_MODE })));
    refused("CreatePullPointSubscription", created);
    const sub = adoptSubscription(ctx, (created as { response: Record<string, unknown> }).response, DOOR_MODE);
    refused("PullMessages to the subscription", await faultFrom(() => pull(ctx, sub, 1000)));
  },
};

const keepAlive: CheckDefinition = {
  id: "tev.pull-messages.keep-alive",
  title: "PullMessages keeps the subscription alive",
  service: SERVICE,
  rule: "A PullMessages call keeps its subscription alive: its response's TerminationTime lies after the TerminationTime the subscription had before (ONVIF Core: the device extends the subscription by at least the PullMessages Timeout).",
  specRefs: ["EVENT-3-1-24", LIFECYCLE_REF],
  quirk: "event-pull-not-keep-alive",
  transports: ["soap"],
  notes: "As in ONVIF's test, a TerminationTime that PullMessages does not move is a warning, not a failure. Without a filter the current property values answer the PullMessages at once.",
  run: async (ctx) => {
    requireEvents(ctx, "tev:PullMessages");
    const sub = await subscribe(ctx, { initialTerminationTime: "PT10S" });
    const t1 = time(sub.terminationTime);
    await ctx.physical.elapse(1000);
    // T1 − C1 + 20 s, as EVENT-3-1-24 asks; a device with a lower limit says so with tev:PullMessagesFaultResponse.
    const timeoutMs = t1 - time(sub.currentTime) + 20_000;
    let r = await faultFrom(() => pull(ctx, sub, timeoutMs, 1));
    if ("fault" in r) {
      const max = /<(?:\w+:)?MaxTimeout>\s*([^<\s]+)/.exec(lastExchange(ctx)?.response?.body ?? "")?.[1];
      const maxMs = max === undefined ? undefined : durationMs(max);
      if (maxMs === undefined) return ctx.fail(`PullMessages with Timeout ${timeoutMs / 1000} s faulted (${faultChain(r.fault)}) without a tev:PullMessagesFaultResponse MaxTimeout to retry with`, lastExchange(ctx));
      r = await faultFrom(() => pull(ctx, sub, maxMs, 1));
      if ("fault" in r) return ctx.fail(`PullMessages with the device's MaxTimeout ${max} faulted: ${faultChain(r.fault)}`, lastExchange(ctx));
    }
    const answer = r.response as Awaited<ReturnType<typeof pull>>;
    judgeTimes(ctx, "PullMessages", answer.currentTime, answer.terminationTime, 0, answer.exchange);
    if (time(answer.terminationTime) <= t1) {
      ctx.warn(`after PullMessages the TerminationTime is ${answer.terminationTime}, not after the subscription's ${sub.terminationTime}: PullMessages did not keep the subscription alive`, answer.exchange);
    }
  },
};

/** The WS-Addressing Action and RelatesTo of a SOAP message's header, and its MessageID. */
function addressingOf(body: string | undefined): { action?: string; relatesTo?: string; messageId?: string } {
  const out: { action?: string; relatesTo?: string; messageId?: string } = {};
  if (body === undefined) return out;
  let env;
  try {
    env = parseXml(body);
  } catch {
    return out;
  }
  const header = env.children.find((c) => c.ns === NS.env && c.local === "Header");
  for (const c of header?.children ?? []) {
    if (c.ns !== NS.wsa) continue;
    if (c.local === "Action") out.action = c.text.trim();
    else if (c.local === "RelatesTo") out.relatesTo = c.text.trim();
    else if (c.local === "MessageID") out.messageId = c.text.trim();
  }
  return out;
}

/** Annex A.3 of ONVIF's event test specification: the Action URI of each response, and of every fault. */
const RESPONSE_ACTIONS: Readonly<Record<string, string>> = {
  "tev:GetEventProperties": "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetEventPropertiesResponse",
  "tev:CreatePullPointSubscription": "http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionResponse",
  "tev:PullMessages": "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesResponse",
  "tev:SetSynchronizationPoint": "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SetSynchronizationPointResponse",
  "tev:Renew": "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewResponse",
  "tev:Unsubscribe": "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeResponse",
};
const FAULT_ACTION = "http://www.w3.org/2005/08/addressing/soap/fault";

const responseActions: CheckDefinition = {
  id: "tev.wsa.response-actions",
  title: "Event service responses and faults carry their WS-Addressing Action and RelatesTo",
  service: SERVICE,
  rule: "A response to an event service request sent with WS-Addressing carries in its SOAP header the wsa:Action of that response (Annex A.3: …/GetEventPropertiesResponse, …/CreatePullPointSubscriptionResponse, …/PullMessagesResponse, …/SetSynchronizationPointResponse, bw-2 RenewResponse and UnsubscribeResponse; http://www.w3.org/2005/08/addressing/soap/fault for every fault) and wsa:RelatesTo the request's wsa:MessageID.",
  specRefs: ["EVENT-3-1-19", "EVENT-3-1-17", "EVENT-3-1-12", LIFECYCLE_REF],
  quirk: "wsa-response-action-missing",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetEventProperties", "tev:SetSynchronizationPoint", "tev:Renew");
    const from = ctx.exchanges.length;
    await tevCall(ctx, "tev:GetEventProperties", {});
    const sub = await subscribe(ctx, { topic: DOOR_MODE, initialTerminationTime: "PT60S" });
    await pull(ctx, sub, 0);
    await tevCall(ctx, "tev:SetSynchronizationPoint", {}, endpointOf(sub));
    await tevCall(ctx, "tev:Renew", { TerminationTime: "PT60S" }, endpointOf(sub));
    await unsubscribe(ctx, sub);
    await faultFrom(() => tevCall(ctx, "tev:Unsubscribe", {}, endpointOf(sub)));
    const problems: string[] = [];
    let judged: Exchange | undefined;
    for (const ex of ctx.exchanges.slice(from)) {
      const expected = ex.operation === undefined ? undefined : RESPONSE_ACTIONS[ex.operation];
      if (expected === undefined || ex.response === undefined || ex.response.status === 401) continue;
      const fault = ex.response.status >= 400 || /<(?:\w+:)?Fault[\s>]/.test(ex.response.body);
      const want = fault ? FAULT_ACTION : expected;
      const got = addressingOf(ex.response.body);
      const sent = addressingOf(ex.request.body).messageId;
      if (got.action !== want) problems.push(`${ex.operation}${fault ? " (a fault)" : ""}: wsa:Action ${got.action === undefined ? "missing" : `"${got.action}"`}, expected "${want}"`);
      else if (sent !== undefined && got.relatesTo !== sent) problems.push(`${ex.operation}: wsa:RelatesTo ${got.relatesTo === undefined ? "missing" : `"${got.relatesTo}"`}, expected the request's MessageID "${sent}"`);
      if (problems.length > 0 && judged === undefined) judged = ex;
    }
    if (problems.length > 0) ctx.fail(problems.join("; "), judged);
  },
};

export function lifecycleChecks(): CheckDefinition[] {
  return [create, renew, unsubscribeTwice, expires, messageLimit, longPoll, keepAlive, syncPoint, maxPullPointsCheck, mustUnderstand, responseActions];
}
