/**
 * Topic paths (ONVIF Core "Topic Structure", WS-Topics): a topic such as
 * "tns1:Door/tnsaxis:Status/BatteryAlarm" is a path of namespace-qualified names. A segment without
 * a prefix is in the namespace of the segment before it (so "tns1:IdPoint/tnsaxis:Request/PIN" and
 * "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN", both in the documentation, name the same topic, and a
 * topic set writes the child elements of a topic in that namespace). Prefixes are resolved with
 * the namespace declarations in scope where the text appears; pure functions only.
 */
import { DOC_PREFIXES, shortName } from "./namespaces.js";

export interface TopicSegment {
  readonly ns: string;
  readonly local: string;
}

export type TopicPath = readonly TopicSegment[];

/** Resolves a prefix ("" = the default namespace) to a namespace URI, undefined when not declared. */
export type PrefixResolver = (prefix: string) => string | undefined;

/** A topic text that cannot be read as a path. */
export class TopicSyntaxError extends Error {
  override readonly name = "TopicSyntaxError";
  readonly code = "TOPIC_SYNTAX";
}

const NCNAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;

/**
 * Reads `text` with `resolve`; throws TopicSyntaxError naming the segment for an empty segment, a
 * name that is not a QName, or a prefix not in scope.
 */
export function parseTopic(text: string, resolve: PrefixResolver): TopicPath {
  const trimmed = text.trim();
  if (trimmed === "") throw new TopicSyntaxError("the topic is empty");
  const out: TopicSegment[] = [];
  for (const part of trimmed.split("/")) {
    const colon = part.indexOf(":");
    const prefix = colon < 0 ? "" : part.slice(0, colon);
    const local = colon < 0 ? part : part.slice(colon + 1);
    if (part === "" || !NCNAME.test(local) || (colon >= 0 && !NCNAME.test(prefix))) {
      throw new TopicSyntaxError(`"${part}" in topic "${trimmed}" is not a topic name (a QName such as tns1:Door or an NCName such as State)`);
    }
    let ns: string | undefined;
    if (colon >= 0) {
      ns = resolve(prefix);
      if (ns === undefined) throw new TopicSyntaxError(`prefix "${prefix}" of topic "${trimmed}" is not declared where the topic is written`);
    } else if (out.length > 0) {
      ns = out[out.length - 1]!.ns;
    } else {
      ns = resolve("") ?? "";
    }
    out.push({ ns, local });
  }
  return out;
}

/** A topic as the documentation writes it (prefixes tns1, tnsaxis). */
export function docTopic(text: string): TopicPath {
  return parseTopic(text, (p) => DOC_PREFIXES[p]);
}

/** Canonical key: "{ns}Door/{ns}State/…", equal for equal topics. */
export function topicKey(path: TopicPath): string {
  return path.map((s) => `{${s.ns}}${s.local}`).join("/");
}

/** Local names only: "Door/State/DoorMode" (to find a topic sent with a wrong namespace). */
export function localKey(path: TopicPath): string {
  return path.map((s) => s.local).join("/");
}

/** The path in the documentation's prefixes, a prefix written only where the namespace changes. */
export function formatTopic(path: TopicPath): string {
  return path.map((s, i) => (i > 0 && path[i - 1]!.ns === s.ns ? s.local : shortName(s.ns, s.local))).join("/");
}

export function sameTopic(a: TopicPath, b: TopicPath): boolean {
  return topicKey(a) === topicKey(b);
}

/** True when `path` is `root` or below it. */
export function isWithin(path: TopicPath, root: TopicPath): boolean {
  return root.length <= path.length && root.every((s, i) => s.ns === path[i]!.ns && s.local === path[i]!.local);
}

/** One alternative of a ConcreteSet expression: a topic, or (subtree) the topic and all below it. */
export interface TopicSelector {
  readonly path: TopicPath;
  readonly subtree: boolean;
}

/** Whether a topic is selected by the alternatives of an expression (how the suite judges filtered deliveries). */
export function selects(selectors: readonly TopicSelector[], topic: TopicPath): boolean {
  return selectors.some((s) => (s.subtree ? isWithin(topic, s.path) : sameTopic(topic, s.path)));
}

/** A ConcreteSet expression in the documentation's prefixes, e.g. "tns1:Door//.|tns1:Configuration/Door/Changed". */
export function docSelectors(expression: string): TopicSelector[] {
  return expression.split("|").map((alt) => {
    const t = alt.trim();
    const subtree = t.endsWith("//.");
    return { path: docTopic(subtree ? t.slice(0, -3) : t), subtree };
  });
}
