/** GetEventProperties (ONVIF Core "Get event properties"): the topic set and what filters this device understands. */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { ITEM_FILTER_DIALECT } from "./item-filter.js";
import { TOPIC_EXPRESSION_DIALECTS } from "./topic-expression.js";
import { topicSetElements } from "./topic-set.js";

export const TOPIC_NAMESPACE_LOCATION = "http://www.onvif.org/onvif/ver10/topics/topicns.xml";
export const MESSAGE_CONTENT_SCHEMA_LOCATION = "http://www.onvif.org/onvif/ver10/schema/onvif.xsd";

export function eventProperties(state: DeviceState): Item {
  const unadvertised = state.quirks.has("event-dialects-unadvertised");
  return {
    TopicNamespaceLocation: [TOPIC_NAMESPACE_LOCATION],
    // The topics follow the composed services, never configuration.
    FixedTopicSet: true,
    TopicSet: { any: topicSetElements(state) },
    TopicExpressionDialect: unadvertised ? TOPIC_EXPRESSION_DIALECTS.filter((d) => d.endsWith("/Concrete")) : [...TOPIC_EXPRESSION_DIALECTS],
    MessageContentFilterDialect: [unadvertised ? "http://www.onvif.org/ver10/tev/messageContentFilter/Unknown" : ITEM_FILTER_DIALECT],
    MessageContentSchemaLocation: [MESSAGE_CONTENT_SCHEMA_LOCATION],
  };
}
