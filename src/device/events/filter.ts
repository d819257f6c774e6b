/**
 * A subscription's filter (wsnt:FilterType as CreatePullPointSubscription sends it): its
 * TopicExpressions and MessageContent expressions, validated with the WS-BaseNotification faults,
 * then applied to each message. Every expression of the filter must select a message (WS-BN: a
 * message passes a filter when it passes each of its components).
 */
import type { DeviceState } from "../state.js";
import { invalidMessageContentExpression, invalidTopicExpression, topicExpressionDialectUnknown, topicNotSupported } from "./faults.js";
import { ITEM_FILTER_DIALECT, ItemFilterError, evaluateItemFilter, namesItem, parseItemFilter, type ItemFilterExpr } from "./item-filter.js";
import { DEVICE_SOURCE, messageItems, type RenderedMessage } from "./messages.js";
import { TOPIC_EXPRESSION_DIALECTS, TopicExpressionError, formatTopicPath, matchesTopic, namesTopicNode, parseTopicExpression, type TopicPath } from "./topic-expression.js";
import { advertisedTopics } from "./topic-set.js";

/** One expression as decoded: the Dialect attribute and the text content. */
export interface Expression {
  readonly Dialect?: string;
  readonly value?: string;
}

export interface FilterInput {
  readonly TopicExpression?: readonly Expression[];
  readonly MessageContent?: readonly Expression[];
}

export interface SubscriptionFilter {
  /** Each entry is one TopicExpression (its alternatives); all must match. */
  readonly topics: readonly (readonly TopicPath[])[];
  readonly content: readonly ItemFilterExpr[];
}

export const NO_FILTER: SubscriptionFilter = { topics: [], content: [] };

function topicFilter(state: DeviceState, e: Expression, known: readonly string[]): TopicPath[] | undefined {
  const dialect = e.Dialect ?? "";
  const text = e.value ?? "";
  if (!TOPIC_EXPRESSION_DIALECTS.includes(dialect)) {
    if (state.quirks.has("event-unknown-dialect-accepted")) return undefined;
    throw topicExpressionDialectUnknown(state, `TopicExpression Dialect "${dialect}" is not supported; use ${TOPIC_EXPRESSION_DIALECTS.join(" or ")}`);
  }
  let paths: TopicPath[];
  try {
    paths = parseTopicExpression(text, dialect);
  } catch (err) {
    if (err instanceof TopicExpressionError) throw invalidTopicExpression(state, `invalid TopicExpression: ${err.message}`);
    throw err;
  }
  const unknown = paths.find((p) => !namesTopicNode(p, known));
  if (unknown !== undefined) throw topicNotSupported(state, `topic ${formatTopicPath(unknown)} is not in this device's topic set (see GetEventProperties)`);
  return paths;
}

/** The compiled content filter; undefined when the event-invalid-content-filter-accepted quirk drops an invalid one. */
function contentFilter(state: DeviceState, e: Expression): ItemFilterExpr | undefined {
  const dialect = e.Dialect ?? "";
  if (dialect !== ITEM_FILTER_DIALECT) throw invalidMessageContentExpression(state, `MessageContent Dialect "${dialect}" is not supported; use ${ITEM_FILTER_DIALECT}`);
  try {
    return parseItemFilter(e.value ?? "");
  } catch (err) {
    if (!(err instanceof ItemFilterError)) throw err;
    if (state.quirks.has("event-invalid-content-filter-accepted")) return undefined;
    throw invalidMessageContentExpression(state, `invalid ItemFilter expression: ${err.message}`);
  }
}

/** Validates and compiles a request's Filter; throws the WS-BN fault of the first bad expression. */
export function parseFilter(state: DeviceState, input: FilterInput | undefined): SubscriptionFilter {
  if (input === undefined) return NO_FILTER;
  const known = advertisedTopics(state).map((d) => d.topic);
  const topics: TopicPath[][] = [];
  for (const e of input.TopicExpression ?? []) {
    const paths = topicFilter(state, e, known);
    if (paths !== undefined) topics.push(paths);
  }
  const content = (input.MessageContent ?? []).flatMap((e) => contentFilter(state, e) ?? []);
  return { topics, content };
}

/** Whether the filter selects a message (the filter quirks switch a part off). */
export function selects(state: DeviceState, filter: SubscriptionFilter, m: RenderedMessage): boolean {
  if (!state.quirks.has("event-topic-filter-ignored") && !filter.topics.every((paths) => matchesTopic(paths, m.topic))) return false;
  if (filter.content.length === 0 || state.quirks.has("event-content-filter-ignored")) return true;
  const items = messageItems(m);
  return filter.content.every((expr) => evaluateItemFilter(expr, items));
}

/** Whether the content filter names the "Device Source" item (event-logger-service.md: how a subscription asks for the network's events). */
export function asksForDeviceSource(filter: SubscriptionFilter): boolean {
  return filter.content.some((e) => namesItem(e, DEVICE_SOURCE));
}

/** Whether a topic can pass the filter's topic part at all (skips reading property values no message of which could pass). */
export function mightSelectTopic(state: DeviceState, filter: SubscriptionFilter, topic: string): boolean {
  return state.quirks.has("event-topic-filter-ignored") || filter.topics.every((paths) => matchesTopic(paths, topic));
}
