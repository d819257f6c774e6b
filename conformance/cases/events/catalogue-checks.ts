/**
 * GetEventProperties against the catalogue (ONVIF Core "Get event properties", "Topic Type
 * Information"; event-logger-service.md "Notification topics"): the topic set covers the documented
 * topics of every service the device serves, every advertised topic is described (IsProperty,
 * items with Name and a resolvable Type QName, as documented where a document gives them), topics
 * no document knows are reported as vendor extensions, and the mandatory dialects are listed.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { CATALOGUE, TOPICS_REF, type ItemSpec, type TopicService, type TopicSpec } from "./catalogue.js";
import type { AdvertisedTopic, ItemDescription, MessageDescription } from "./message.js";
import { DIALECT, DOC_PREFIXES, NS, SERVICE, shortName } from "./namespaces.js";
import { eventProperties } from "./subscription.js";
import { requireEvents, serves } from "./support.js";
import { docTopic, formatTopic, localKey, sameTopic, topicKey, type TopicPath } from "./topic.js";

const EVENT_PROPERTIES = ["EVENT-1-1-2", TOPICS_REF];

/** The catalogue entry of an advertised topic (same namespaces), if any. */
function documented(path: TopicPath): TopicSpec | undefined {
  return CATALOGUE.find((t) => sameTopic(docTopic(t.topic), path));
}

/**
 * ONVIF's general configuration-change pattern (ONVIF Credential/Schedule specifications,
 * "Configuration changes"): tns1:Configuration/<Item>/Changed and /Removed, for any of the
 * service's items; known, not a vendor extension.
 */
function configurationPattern(path: TopicPath): boolean {
  return path.length === 3 && path[0]!.ns === NS.tns1 && path[0]!.local === "Configuration" && (path[2]!.local === "Changed" || path[2]!.local === "Removed");
}

const documentedTopics: CheckDefinition = {
  id: "tev.event-properties.documented-topics",
  title: "GetEventProperties advertises the documented topics of every service the device serves",
  service: SERVICE,
  rule:
    "The TopicSet of GetEventProperties lists, in their documented namespaces, the notification topics event-logger-service.md documents for each service the device serves (those not tied to optional hardware or configuration); topics no document knows are vendor extensions.",
  specRefs: EVENT_PROPERTIES,
  quirk: "event-topic-missing",
  transports: ["soap"],
  notes:
    "Services are found by one call each (DoorControl, IdPoint, AccessControl, Schedule, EventLogger); a service without an operation in the generated clients is not required. Advertised topics unknown to the Axis and ONVIF documentation are listed as a warning (vendor extensions), not a failure.",
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetEventProperties");
    const { body, exchange } = await eventProperties(ctx);
    if (!body.hasTopicSet) ctx.fail("GetEventProperties has no wstop:TopicSet", exchange);
    const served = new Map<TopicService, boolean | undefined>();
    for (const s of new Set(CATALOGUE.map((t) => t.service))) served.set(s, serves(ctx, s));
    const missing: string[] = [];
    const elsewhere: string[] = [];
    for (const spec of CATALOGUE) {
      if (!spec.required || served.get(spec.service) !== true) continue;
      const path = docTopic(spec.topic);
      if (body.topics.some((t) => sameTopic(t.path, path))) continue;
      const near = body.topics.find((t) => localKey(t.path) === localKey(path));
      if (near !== undefined) elsewhere.push(`${spec.topic} is advertised as ${topicKey(near.path)}, not ${topicKey(path)}`);
      else missing.push(`${spec.topic} (${spec.service})`);
    }
    if (missing.length > 0 || elsewhere.length > 0) {
      ctx.fail(
        [
          ...(missing.length > 0 ? [`the TopicSet lacks ${missing.length} documented topic(s): ${missing.join(", ")}`] : []),
          ...(elsewhere.length > 0 ? [`in another namespace: ${elsewhere.join("; ")}`] : []),
        ].join("; "),
        exchange,
      );
    }
    const unknown = body.topics.filter((t) => documented(t.path) === undefined && !configurationPattern(t.path)).map((t) => formatTopic(t.path));
    if (unknown.length > 0) ctx.warn(`${unknown.length} advertised topic(s) no document knows (vendor extensions): ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? ", …" : ""}`, exchange);
  },
};

/** An item description's problems: Name and a Type QName whose prefix resolves. */
function itemProblems(items: readonly ItemDescription[], group: string): string[] {
  const out: string[] = [];
  for (const i of items) {
    if (i.name === undefined || i.name.trim() === "") out.push(`a ${group} item description has no Name`);
    if (i.typeText === undefined) out.push(`${group} item ${i.name ?? "?"} has no Type`);
    else if (i.type === undefined) out.push(`${group} item ${i.name ?? "?"} has Type "${i.typeText}" whose prefix is not declared`);
  }
  return out;
}

function resolveDocType(type: string): string | undefined {
  const colon = type.indexOf(":");
  const ns = DOC_PREFIXES[type.slice(0, colon)];
  return ns === undefined ? undefined : `{${ns}}${type.slice(colon + 1)}`;
}

/** How the advertised description differs from the documented one. */
function againstDocs(d: MessageDescription, spec: TopicSpec): string[] {
  const out: string[] = [];
  const advertised = d.isProperty === "true" || d.isProperty === "1";
  if (spec.property !== undefined && advertised !== spec.property) out.push(`IsProperty is ${d.isProperty ?? "absent (false)"}; documented ${spec.property}`);
  const compare = (docs: readonly ItemSpec[] | undefined, items: readonly ItemDescription[], group: string): void => {
    for (const doc of docs ?? []) {
      const item = items.find((i) => i.name === doc.name);
      if (item === undefined) {
        if (doc.optional !== true) out.push(`${group} lacks the documented item ${doc.name}`);
        continue;
      }
      const want = doc.type !== undefined ? resolveDocType(doc.type) : undefined;
      if (want !== undefined && item.type !== undefined && `{${item.type.ns}}${item.type.local}` !== want) {
        out.push(`${group} item ${doc.name} has Type ${shortName(item.type.ns, item.type.local)}; documented ${doc.type}`);
      }
    }
  };
  compare(spec.source, d.source, "Source");
  compare(spec.data, d.data, "Data");
  return out;
}

function describedProblems(t: AdvertisedTopic): string[] {
  const name = formatTopic(t.path);
  if (t.descriptions.length === 0) return [`${name} has no tt:MessageDescription`];
  const out: string[] = [];
  if (!t.marked) out.push(`${name} is described but not marked wstop:topic="true"`);
  for (const d of t.descriptions) {
    if (d.isProperty !== undefined && !["true", "false", "1", "0"].includes(d.isProperty)) out.push(`${name}: IsProperty "${d.isProperty}" is not an xs:boolean`);
    const problems = [...itemProblems(d.source, "Source"), ...itemProblems(d.key, "Key"), ...itemProblems(d.data, "Data")];
    const names = [...d.source, ...d.key, ...d.data].map((i) => i.name).filter((n): n is string => n !== undefined);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length > 0) problems.push(`item name(s) ${[...new Set(dup)].join(", ")} used twice (names are unique across Source, Key and Data)`);
    if (d.key.length > 0 && d.isProperty !== "true" && d.isProperty !== "1") problems.push("a Key group on a topic that is not a property");
    const spec = documented(t.path);
    if (spec !== undefined) problems.push(...againstDocs(d, spec));
    out.push(...problems.map((p) => `${name}: ${p}`));
  }
  return out;
}

const topicsDescribed: CheckDefinition = {
  id: "tev.event-properties.topics-described",
  title: "Every advertised topic carries a well-formed MessageDescription",
  service: SERVICE,
  rule:
    "Every topic of the TopicSet is marked wstop:topic=\"true\" and has a tt:MessageDescription with IsProperty and, in Source/Key/Data, SimpleItemDescriptions with a Name (unique across the groups) and a Type QName whose prefix is declared; documented topics are described as documented (property flag, item names, types).",
  specRefs: EVENT_PROPERTIES,
  quirk: "event-topic-undescribed",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetEventProperties");
    const { body, exchange } = await eventProperties(ctx);
    if (body.topics.length === 0) ctx.fail("the TopicSet of GetEventProperties advertises no topic at all", exchange);
    const problems = body.topics.flatMap(describedProblems);
    if (problems.length > 0) ctx.fail(`${problems.length} problem(s) in the TopicSet's descriptions: ${problems.slice(0, 6).join("; ")}${problems.length > 6 ? "; …" : ""}`, exchange);
  },
};

const dialects: CheckDefinition = {
  id: "tev.event-properties.dialects",
  title: "GetEventProperties lists the mandatory filter dialects, a topic namespace and a topic set",
  service: SERVICE,
  rule:
    "GetEventProperties lists the TopicExpressionDialects Concrete (WS-Topics) and ConcreteSet (ONVIF), the ItemFilter MessageContentFilterDialect, at least one TopicNamespaceLocation, FixedTopicSet and a TopicSet.",
  specRefs: EVENT_PROPERTIES,
  quirk: "event-dialects-unadvertised",
  transports: ["soap"],
  run: async (ctx) => {
    requireEvents(ctx, "tev:GetEventProperties");
    const { body, exchange } = await eventProperties(ctx);
    const problems: string[] = [];
    for (const d of [DIALECT.concrete, DIALECT.concreteSet]) if (!body.topicExpressionDialects.includes(d)) problems.push(`TopicExpressionDialect ${d} is not listed`);
    if (!body.messageContentFilterDialects.includes(DIALECT.itemFilter)) problems.push(`MessageContentFilterDialect ${DIALECT.itemFilter} is not listed`);
    if (body.topicNamespaceLocations.filter((l) => l !== "").length === 0) problems.push("no TopicNamespaceLocation");
    if (body.fixedTopicSet === undefined || !["true", "false", "1", "0"].includes(body.fixedTopicSet)) problems.push(`FixedTopicSet is ${body.fixedTopicSet === undefined ? "missing" : `"${body.fixedTopicSet}", not an xs:boolean`}`);
    if (!body.hasTopicSet) problems.push("no TopicSet");
    if (problems.length > 0) ctx.fail(`GetEventProperties: ${problems.join("; ")} (lists: dialects ${body.topicExpressionDialects.join(", ") || "none"}; content dialects ${body.messageContentFilterDialects.join(", ") || "none"})`, exchange);
  },
};

export function catalogueChecks(): CheckDefinition[] {
  return [documentedTopics, topicsDescribed, dialects];
}
