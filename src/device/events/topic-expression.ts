/**
 * Topic expressions of a subscription filter (ONVIF Core "Topic Filter"): the WS-Topics Concrete
 * dialect (one topic path) and ONVIF's ConcreteSet, which adds `|` alternatives and a trailing
 * `//.` for a whole sub-tree. Pure functions: parsing, matching a published topic, and whether an
 * expression names a node of the device's topic tree at all.
 *
 * Prefixes: the device writes its topics with the documented prefixes tns1 and tnsaxis. The
 * namespace declarations in scope of the client's TopicExpression element do not reach the
 * operation, so a segment's prefix is resolved only when it is one of those two; any other prefix
 * is ignored and the segment matches by local name alone (a client using its own prefix for the
 * ONVIF topic namespace is still served; a wrong namespace under an unknown prefix is not caught).
 */
import { TOPIC_NAMESPACES } from "../topics.js";

export const CONCRETE_DIALECT = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete";
export const CONCRETE_SET_DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

/** The dialects this device accepts, as GetEventProperties lists them. */
export const TOPIC_EXPRESSION_DIALECTS: readonly string[] = [CONCRETE_SET_DIALECT, CONCRETE_DIALECT];

export interface TopicSegment {
  /** "" when the segment has no prefix. */
  readonly prefix: string;
  readonly local: string;
}

/** One alternative of an expression: a path from a root topic, optionally with its whole sub-tree. */
export interface TopicPath {
  readonly segments: readonly TopicSegment[];
  readonly subtree: boolean;
}

/** An expression the dialect's grammar does not allow (wsnt:InvalidTopicExpressionFault). */
export class TopicExpressionError extends Error {
  override readonly name = "TopicExpressionError";
  readonly code = "TOPIC_EXPRESSION";
}

const NCNAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;
const SUBTREE = "//.";

function parseSegment(text: string, where: string): TopicSegment {
  const colon = text.indexOf(":");
  const prefix = colon < 0 ? "" : text.slice(0, colon);
  const local = colon < 0 ? text : text.slice(colon + 1);
  if ((colon >= 0 && !NCNAME.test(prefix)) || !NCNAME.test(local)) {
    throw new TopicExpressionError(`"${text}" in ${where} is not a topic name (a QName such as tns1:Door or an NCName such as State)`);
  }
  return { prefix, local };
}

function parsePath(text: string, allowSubtree: boolean): TopicPath {
  let body = text;
  let subtree = false;
  if (body.endsWith(SUBTREE)) {
    if (!allowSubtree) throw new TopicExpressionError(`"${text}": "//." (a whole sub-tree) needs the ConcreteSet dialect ${CONCRETE_SET_DIALECT}`);
    body = body.slice(0, -SUBTREE.length);
    subtree = true;
  }
  if (body === "") throw new TopicExpressionError(`"${text}" names no topic; write e.g. tns1:Door/State/DoorMode`);
  const segments = body.split("/").map((s) => {
    if (s === "") throw new TopicExpressionError(`"${text}" has an empty topic name (only "//." may follow a topic)`);
    return parseSegment(s, `"${text}"`);
  });
  return { segments, subtree };
}

/**
 * Parses `text` in `dialect` (CONCRETE_DIALECT or CONCRETE_SET_DIALECT); throws
 * TopicExpressionError for anything outside the dialect's grammar.
 */
export function parseTopicExpression(text: string, dialect: string): TopicPath[] {
  const set = dialect === CONCRETE_SET_DIALECT;
  if (!set && dialect !== CONCRETE_DIALECT) throw new Error(`parseTopicExpression: dialect ${dialect} is not supported`);
  const trimmed = text.trim();
  if (trimmed === "") throw new TopicExpressionError("the TopicExpression is empty; write e.g. tns1:Door/State/DoorMode");
  if (!set && trimmed.includes("|")) throw new TopicExpressionError(`"${trimmed}": "|" (alternatives) needs the ConcreteSet dialect ${CONCRETE_SET_DIALECT}`);
  return trimmed.split("|").map((alt) => parsePath(alt.trim(), set));
}

/** A device topic ("tns1:Configuration/tnsaxis:IdPoint/Changed") as segments. */
export function splitTopic(topic: string): TopicSegment[] {
  return topic.split("/").map((s) => {
    const colon = s.indexOf(":");
    return colon < 0 ? { prefix: "", local: s } : { prefix: s.slice(0, colon), local: s.slice(colon + 1) };
  });
}

function namespaceOf(prefix: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(TOPIC_NAMESPACES, prefix) ? TOPIC_NAMESPACES[prefix as keyof typeof TOPIC_NAMESPACES] : undefined;
}

/** Same local name; namespaces are compared only when both segments carry a known prefix. */
function sameSegment(expr: TopicSegment, topic: TopicSegment): boolean {
  if (expr.local !== topic.local) return false;
  const a = namespaceOf(expr.prefix);
  const b = namespaceOf(topic.prefix);
  return a === undefined || b === undefined || a === b;
}

function startsWithPath(path: TopicPath, topic: readonly TopicSegment[]): boolean {
  if (path.segments.length > topic.length) return false;
  return path.segments.every((s, i) => sameSegment(s, topic[i]!));
}

/** Whether a published topic is selected by one of the paths. */
export function matchesTopic(paths: readonly TopicPath[], topic: string): boolean {
  const segments = splitTopic(topic);
  return paths.some((p) => startsWithPath(p, segments) && (p.subtree || p.segments.length === segments.length));
}

/** Whether `path` names a node of the tree the device's topics form (a topic or one of its ancestors). */
export function namesTopicNode(path: TopicPath, topics: readonly string[]): boolean {
  return topics.some((t) => startsWithPath(path, splitTopic(t)));
}

/** The path as written, for messages. */
export function formatTopicPath(path: TopicPath): string {
  return path.segments.map((s) => (s.prefix === "" ? s.local : `${s.prefix}:${s.local}`)).join("/") + (path.subtree ? SUBTREE : "");
}
