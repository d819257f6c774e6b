/**
 * Subscription filters (ONVIF Core "Topic Filter", "Message Content Filter"; WS-BaseNotification):
 * a Concrete topic, ConcreteSet alternatives `|` and sub-trees `//.`, an ItemFilter on a
 * SimpleItem, and an unknown TopicExpression dialect. Each filter check uses doors of the run and
 * API calls only: it changes a door's mode (DoorMode, LockPhysicalState) and replaces the door
 * (Configuration/Door/Changed), then judges everything the subscription delivered.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { excerptJson, faultChain } from "../../harness/faults.js";
import { sampleFor, setItems } from "../../harness/items.js";
import { lastExchange } from "../generic/support.js";
import { door as doorEntity } from "../door-control/entities.js";
import { createDoor, doorMode, requireCapabilities } from "../door-control/support.js";
import { describeNotification, faultNames, itemValue, mentions, type Notification } from "./message.js";
import { DIALECT, NS, SERVICE, UNKNOWN_DIALECT, expanded } from "./namespaces.js";
import { adoptSubscription, collect, faultFrom, subscribe, subscribeInput, tevCall, type SubscribeOptions } from "./subscription.js";
import { requireEvents } from "./support.js";
import { docSelectors, docTopic, formatTopic, sameTopic, selects, type TopicSelector } from "./topic.js";

const DOOR_MODE = docTopic("tns1:Door/State/DoorMode");
const DOOR_CHANGED = docTopic("tns1:Configuration/Door/Changed");

interface Stimulated {
  readonly door: string;
  readonly what: string;
}

/** A door of the run, set up before subscribing. */
async function ownDoor(ctx: CheckContext, label: string): Promise<string> {
  const d = await createDoor(ctx, label, {});
  await requireCapabilities(ctx, d, "Lock", "Unlock");
  return d;
}

/** Changes the door's mode (UnlockDoor or LockDoor) and replaces the door (SetDoor): DoorMode, LockPhysicalState and Configuration/Door/Changed. */
async function stimulate(ctx: CheckContext, door: string): Promise<Stimulated> {
  const op = (await doorMode(ctx, door)) === "Unlocked" ? "tdc:LockDoor" : "tdc:UnlockDoor";
  await ctx.call(op, { Token: door });
  await setItems(ctx, doorEntity, [{ ...sampleFor(ctx, doorEntity, door, 52), Description: `${ctx.tokenPrefix} filter` }]);
  return { door, what: `${op.slice(4)} and SetDoor on door "${door}"` };
}

const isChange = (n: Notification): boolean => n.message?.propertyOperation !== "Initialized";
const about = (door: string, topic: ReturnType<typeof docTopic>, changed = true) => (n: Notification): boolean =>
  n.topic !== undefined && sameTopic(n.topic, topic) && mentions(n, door) && (!changed || isChange(n));

interface TopicFilterCase {
  readonly id: string;
  readonly title: string;
  readonly expression: string;
  readonly dialect: string;
  readonly specRefs: readonly string[];
  /** Topics the stimulus produces that the filter selects (their caused messages must come). */
  readonly expected: readonly ReturnType<typeof docTopic>[];
}

function topicFilterCheck(c: TopicFilterCase): CheckDefinition {
  const selectors: TopicSelector[] = docSelectors(c.expression);
  return {
    id: c.id,
    title: c.title,
    service: SERVICE,
    rule: `A subscription with TopicExpression "${c.expression}" (${c.dialect === DIALECT.concrete ? "Concrete" : "ConcreteSet"} dialect) delivers the selected topics' messages and nothing else.`,
    specRefs: c.specRefs,
    quirk: "event-topic-filter-ignored",
    transports: ["soap"],
    notes: "The stimulus (a door mode change and a SetDoor on a door of the run) also produces unselected topics, and every property's Initialized message would come without the filter.",
    run: async (ctx) => {
      requireEvents(ctx);
      const door = await ownDoor(ctx, "evf");
      const sub = await subscribe(ctx, { topic: c.expression, dialect: c.dialect });
      const s = await stimulate(ctx, door);
      const got = await collect(ctx, sub, (all) => c.expected.every((t) => all.some(about(door, t))));
      const outside = got.filter((n) => n.topic === undefined || !selects(selectors, n.topic));
      if (outside.length > 0) {
        ctx.fail(`the subscription with TopicExpression "${c.expression}" delivered ${outside.length} message(s) it does not select: ${outside.slice(0, 3).map(describeNotification).join("; ")}`, lastExchange(ctx));
      }
      const missing = c.expected.filter((t) => !got.some(about(door, t)));
      if (missing.length > 0) {
        ctx.fail(`after ${s.what}, the subscription with TopicExpression "${c.expression}" delivered no ${missing.map(formatTopic).join(" or ")} message for the door within ${ctx.eventWaitMs} ms (it got ${got.length} message(s))`, lastExchange(ctx));
      }
    },
  };
}

const TOPIC_FILTERS: readonly TopicFilterCase[] = [
  {
    id: "tev.filter.topic-concrete",
    title: "A Concrete topic filter delivers only that topic",
    expression: "tns1:Door/State/DoorMode",
    dialect: DIALECT.concrete,
    specRefs: ["EVENT-3-1-16", "EVENT-1-1-2"],
    expected: [DOOR_MODE],
  },
  {
    id: "tev.filter.topic-alternatives",
    title: "A ConcreteSet filter with | delivers each alternative and nothing else",
    expression: "tns1:Door/State/DoorMode|tns1:Configuration/Door/Changed",
    dialect: DIALECT.concreteSet,
    specRefs: ["EVENT-3-1-33"],
    expected: [DOOR_MODE, DOOR_CHANGED],
  },
  {
    id: "tev.filter.topic-subtree",
    title: "A ConcreteSet filter with //. delivers the sub-tree, combined with | alternatives",
    expression: "tns1:Configuration//.|tns1:Door/State/DoorMode",
    dialect: DIALECT.concreteSet,
    specRefs: ["EVENT-3-1-34", "EVENT-3-1-35"],
    expected: [DOOR_MODE, DOOR_CHANGED],
  },
];

const contentFilter: CheckDefinition = {
  id: "tev.filter.message-content",
  title: "An ItemFilter message content filter delivers only messages with the SimpleItem named",
  service: SERVICE,
  rule: 'A subscription with the ItemFilter boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="<door>"]) delivers messages of that door (its DoorMode change among them) and none of another door changed at the same time.',
  specRefs: ["EVENT-3-1-38"],
  quirk: "event-content-filter-ignored",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx);
    const door = await ownDoor(ctx, "evc");
    const other = await ownDoor(ctx, "evo");
    const content = `boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="${door}"])`;
    const sub = await subscribe(ctx, { content });
    const s = await stimulate(ctx, door);
    const o = await stimulate(ctx, other);
    const got = await collect(ctx, sub, (all) => all.some(about(door, DOOR_MODE)) && all.some(about(door, DOOR_CHANGED)));
    const stray = got.filter((n) => itemValue(n.message, "DoorToken") !== door);
    if (stray.length > 0) {
      ctx.fail(`the subscription with content filter ${content} delivered ${stray.length} message(s) without DoorToken "${door}" (${o.what} happened too): ${stray.slice(0, 3).map(describeNotification).join("; ")}`, lastExchange(ctx));
    }
    if (!got.some(about(door, DOOR_MODE))) ctx.fail(`after ${s.what}, the subscription with content filter ${content} delivered no DoorMode change of the door within ${ctx.eventWaitMs} ms`, lastExchange(ctx));
  },
};

/** WS-BaseNotification's fault for an unknown dialect, and the general invalid-filter fault. */
/** A filter the device must refuse: the subscription request faults, preferably naming one of `faults`. */
interface RefusedFilter {
  readonly id: string;
  readonly title: string;
  readonly rule: string;
  readonly specRefs: readonly string[];
  readonly quirk: string;
  readonly options: SubscribeOptions;
  /** What is wrong with the filter, for messages. */
  readonly what: string;
  /** The preferred faults, as local names in the wsnt namespace. */
  readonly faults: readonly string[];
}

function refusedFilterCheck(f: RefusedFilter): CheckDefinition {
  const expected = f.faults.map((name) => expanded(NS.wsnt, name));
  const named = f.faults.map((name) => `wsnt:${name}`).join(" nor ");
  return {
    id: f.id,
    title: f.title,
    service: SERVICE,
    rule: f.rule,
    specRefs: f.specRefs,
    quirk: f.quirk,
    transports: ["soap"],
    notes: `A fault that names neither ${f.faults.join(" nor ")} (in a subcode or env:Detail) is a warning.`,
    run: async (ctx) => {
      requireEvents(ctx);
      const r = await faultFrom(() => tevCall(ctx, "tev:CreatePullPointSubscription", subscribeInput(f.options)));
      const evidence = lastExchange(ctx);
      if (!("fault" in r)) {
        adoptSubscription(ctx, r.response as Record<string, unknown>, f.what);
        return ctx.fail(`CreatePullPointSubscription with ${f.what} created a subscription: ${excerptJson(r.response)}`, evidence);
      }
      const names = faultNames(evidence?.response?.body ?? "");
      if (!names.some((n) => expected.includes(n))) ctx.warn(`${f.what} was refused with ${faultChain(r.fault)}, which names neither ${named}`, evidence);
    },
  };
}

const unknownDialect = refusedFilterCheck({
  id: "tev.filter.unknown-dialect-faults",
  title: "A TopicExpression in an unknown dialect is refused",
  rule: "CreatePullPointSubscription with a TopicExpression whose Dialect the device does not support fails with a SOAP fault, preferably wsnt:TopicExpressionDialectUnknownFault (or wsnt:InvalidFilterFault), instead of creating a subscription.",
  specRefs: ["EVENT-3-1-22", "EVENT-1-1-2"],
  quirk: "event-unknown-dialect-accepted",
  options: { topic: "tns1:Door/State/DoorMode", dialect: UNKNOWN_DIALECT, initialTerminationTime: "PT60S" },
  what: `the TopicExpression Dialect ${UNKNOWN_DIALECT}`,
  faults: ["TopicExpressionDialectUnknownFault", "InvalidFilterFault"],
});

/** EVENT-3-1-17's expression: one closing parenthesis short. */
const UNBALANCED_ITEM_FILTER = 'boolean((//tt:SimpleItem[@Name="xyz" and @Value="xyz"])';

const invalidContentFilter = refusedFilterCheck({
  id: "tev.filter.invalid-message-content-faults",
  title: "An invalid ItemFilter message content expression is refused",
  rule: "CreatePullPointSubscription with an invalid MessageContent expression in the ItemFilter dialect fails with wsnt:InvalidFilterFault or wsnt:InvalidMessageContentExpressionFault instead of creating a subscription.",
  specRefs: ["EVENT-3-1-17"],
  quirk: "event-invalid-content-filter-accepted",
  options: { content: UNBALANCED_ITEM_FILTER, initialTerminationTime: "PT60S" },
  what: `the MessageContent ${UNBALANCED_ITEM_FILTER} (a parenthesis short)`,
  faults: ["InvalidMessageContentExpressionFault", "InvalidFilterFault"],
});

export function filterChecks(): CheckDefinition[] {
  return [...TOPIC_FILTERS.map(topicFilterCheck), contentFilter, unknownDialect, invalidContentFilter];
}
