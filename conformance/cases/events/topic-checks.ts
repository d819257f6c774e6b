/**
 * One check per documented topic the suite can cause (catalogue.ts, causes.ts): prepare the
 * run's own items, subscribe to the topic, take a property's Initialized message for our item,
 * cause the event, pull it (failing after the configured wait, naming topic, stimulus and wait)
 * and judge it (judge.ts): topic and namespace, UtcTime with Z, documented items and types, our
 * tokens, PropertyOperation. A property that never changes (an Initialized-only cause) is judged
 * on its Initialized message alone.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { kebab } from "../../harness/entity.js";
import { serviceFeature, topicFeature } from "../../harness/features.js";
import { faultChain, faultOf } from "../../harness/faults.js";
import { isTrue, lastExchange } from "../generic/support.js";
import { CATALOGUE, TOPICS_REF, type TopicSpec } from "./catalogue.js";
import { judgeNotification } from "./judge.js";
import { describeNotification, mentions, type Notification } from "./message.js";
import { SERVICE } from "./namespaces.js";
import { eventProperties, exchangeFor, expectEvent, pull, subscribe, type Subscription } from "./subscription.js";
import { requireEvents, serves } from "./support.js";
import { docTopic, formatTopic, localKey, sameTopic } from "./topic.js";

/** `tns1:Door/State/DoorMode` → `door-state-door-mode`. */
export function topicSlug(topic: string): string {
  return docTopic(topic)
    .map((s) => kebab(s.local))
    .join("-");
}

const SUBSCRIBING = "subscribing (a new subscription first gets the current state of every property it selects, as Initialized messages)";

function fail(ctx: CheckContext, n: Notification, problems: readonly string[], what: string): never {
  return ctx.fail(`${what}: ${problems.slice(0, 3).join("; ")} — ${describeNotification(n)}`, exchangeFor(n));
}

/** Subscribes to the topic; a device refusing a documented topic fails the check (it does not know it). */
async function subscribeTo(ctx: CheckContext, spec: TopicSpec): Promise<Subscription> {
  try {
    return await subscribe(ctx, { topic: spec.topic });
  } catch (err) {
    const f = faultOf(err);
    if (f === undefined) throw err;
    return ctx.fail(`CreatePullPointSubscription with the documented topic ${spec.topic} (ConcreteSet) was refused: ${faultChain(f)}: ${f.reason}`, lastExchange(ctx));
  }
}

async function run(ctx: CheckContext, spec: TopicSpec): Promise<void> {
  requireEvents(ctx, "tev:GetEventProperties");
  const c = spec.cause!;
  if (serves(ctx, spec.service) === false) ctx.skip(`the device does not serve the ${spec.service} service this topic belongs to`);
  const topic = docTopic(spec.topic);
  const { body } = await eventProperties(ctx);
  const advertised = body.topics.find((t) => sameTopic(t.path, topic)) ?? body.topics.find((t) => localKey(t.path) === localKey(topic));
  // The requirement skips an unadvertised optional topic before the check runs; this is for a run whose discovery could not read the TopicSet.
  if (advertised === undefined && !spec.required) ctx.skip(`the device does not advertise ${spec.topic}, which the documentation ties to hardware or product configuration`);
  // No document says for some Axis topics: the device's own MessageDescription decides.
  const property = spec.property ?? isTrue(advertised?.descriptions[0]?.isProperty);
  if (c.initializedOnly === true && !property) ctx.skip(`the device advertises ${spec.topic} as no property, and its state never changes while the device runs: only a property's Initialized message on subscribing can be caused`);
  const plan = await c.prepare(ctx);
  const sub = await subscribeTo(ctx, spec);
  const ours = (n: Notification): boolean => plan.about === undefined || mentions(n, plan.about);
  const naming = plan.about !== undefined ? `naming "${plan.about}"` : undefined;
  const wanted = [naming, plan.matching !== undefined ? `with ${plan.matching}` : undefined].filter((w) => w !== undefined).join(" ");

  if (c.initializedOnly === true || (spec.property === true && plan.about !== undefined)) {
    // An Initialized-only cause: the Initialized message is the caused event, held to the plan's match.
    const caused = c.initializedOnly === true;
    const init = await expectEvent(ctx, sub, {
      topic,
      match: (n) => ours(n) && n.message?.propertyOperation === "Initialized" && (!caused || (plan.match?.(n) ?? true)),
      stimulus: SUBSCRIBING,
      wanted: `with PropertyOperation="Initialized"${caused && plan.matching !== undefined ? ` and ${plan.matching}` : ""}${naming !== undefined ? ` ${naming}` : ""}`,
    });
    const problems = judgeNotification(init, spec, { operation: "Initialized", ...(plan.tokens !== undefined ? { tokens: plan.tokens } : {}) });
    if (problems.length > 0) fail(ctx, init, problems, `the Initialized message of ${spec.topic}`);
    if (caused) return;
  } else if (plan.about === undefined) {
    // Device-wide events name none of our items: what came before the stimulus must not count.
    await pull(ctx, sub, 1000);
    sub.backlog.splice(0);
  }

  await plan.trigger();
  const n = await expectEvent(ctx, sub, {
    topic,
    match: (x) => ours(x) && (plan.match?.(x) ?? true) && x.message?.propertyOperation !== "Initialized",
    stimulus: plan.stimulus,
    ...(wanted !== "" ? { wanted } : {}),
  });
  const problems = judgeNotification(n, spec, { ...(property ? { operation: "Changed" as const } : {}), ...(plan.tokens !== undefined ? { tokens: plan.tokens } : {}) });
  if (problems.length > 0) fail(ctx, n, problems, `the ${spec.topic} notification caused by ${plan.stimulus}`);
}

function items(spec: TopicSpec): string {
  const names = (label: string, list: TopicSpec["source"]): string => (list === undefined || list.length === 0 ? "" : `${label} ${list.map((i) => `${i.name}${i.type !== undefined ? ` (${i.type})` : ""}${i.optional === true ? " optional" : ""}`).join(", ")}`);
  return [names("Source", spec.source), names("Data", spec.data)].filter((s) => s !== "").join("; ");
}

function topicCheck(spec: TopicSpec): CheckDefinition {
  const c = spec.cause!;
  const described = items(spec);
  return {
    id: `tev.topic.${topicSlug(spec.topic)}`,
    title: `${spec.topic} is sent when caused, as documented`,
    service: SERVICE,
    rule:
      (c.initializedOnly === true
        ? `${spec.topic} is sent to a new subscription selecting it as an Initialized message (cause: ${c.how}), with its documented topic and namespace, UtcTime in UTC with Z`
        : `${spec.topic} is sent to a subscription selecting it when its cause happens (${c.how}), with its documented topic and namespace, UtcTime in UTC with Z`) +
      (described !== "" ? `, the documented items (${described})` : "") +
      (c.initializedOnly === true
        ? ', and PropertyOperation="Initialized"'
        : spec.property === true
          ? ", an Initialized message for each existing instance first, and PropertyOperation Changed on a change"
          : spec.property === undefined
            ? ", and PropertyOperation Changed if the device advertises it as a property"
            : "") +
      ".",
    specRefs: [...new Set([...spec.refs, TOPICS_REF, "EVENT-3-1-16"])],
    quirk: spec.quirk ?? "event-local-time",
    transports: ["soap"],
    // A topic tied to hardware or configuration runs only where the device advertises it (feature discovery's TopicSet).
    ...(spec.required ? {} : { requires: [serviceFeature("tev"), topicFeature(formatTopic(docTopic(spec.topic)))] }),
    notes:
      `Cause: ${c.how}${c.via === "backdoor" ? " (needs the reference device's back door; skipped otherwise)" : c.via === "physical" ? " (a stimulus through the back door, or an operator with --interactive; skipped otherwise)" : ""}. ` +
      `${spec.required ? "" : "Skipped when the device does not advertise the topic (it depends on hardware or configuration). "}` +
      `${c.initializedOnly === true ? "Skipped when the device advertises it as no property (then no message of it can be caused). " : ""}` +
      "Fails when the event does not arrive within --event-wait (default 5 s), naming the topic, the stimulus and the wait; items no document names are not judged.",
    run: (ctx) => run(ctx, spec),
  };
}

/** The checks of every causable topic, in catalogue order. */
export function topicChecks(): CheckDefinition[] {
  return CATALOGUE.filter((t) => t.cause !== undefined).map(topicCheck);
}
