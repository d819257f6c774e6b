/**
 * Names the event checks share: the service, the namespaces of event messages and topic sets, the
 * filter dialects ONVIF mandates, and the documented prefixes (issue contract, ONVIF Core "Event
 * handling"). Prefixes here are the documentation's; on the wire only namespaces count.
 */
import { TOPIC_NAMESPACES } from "../../harness/discovery.js";

export const SERVICE = "Events";

export const NS = {
  tev: "http://www.onvif.org/ver10/events/wsdl",
  wsnt: "http://docs.oasis-open.org/wsn/b-2",
  wsa: "http://www.w3.org/2005/08/addressing",
  wstop: "http://docs.oasis-open.org/wsn/t-1",
  tt: "http://www.onvif.org/ver10/schema",
  tns1: TOPIC_NAMESPACES.tns1,
  tnsaxis: TOPIC_NAMESPACES.tnsaxis,
  xs: "http://www.w3.org/2001/XMLSchema",
  pt: "http://www.onvif.org/ver10/pacs",
  tdc: "http://www.onvif.org/ver10/doorcontrol/wsdl",
  tac: "http://www.onvif.org/ver10/accesscontrol/wsdl",
  env: "http://www.w3.org/2003/05/soap-envelope",
  wsrfr: "http://docs.oasis-open.org/wsrf/r-2",
} as const;

/** The prefixes the documentation writes topics and item types with. */
export const DOC_PREFIXES: Readonly<Record<string, string>> = {
  tns1: NS.tns1,
  tnsaxis: NS.tnsaxis,
  tt: NS.tt,
  xs: NS.xs,
  xsd: NS.xs,
  pt: NS.pt,
  tdc: NS.tdc,
  tac: NS.tac,
};

export const DIALECT = {
  /** WS-Topics Concrete: one topic path (mandatory, ONVIF Core "Topic Filter"). */
  concrete: "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete",
  /** ONVIF ConcreteSet: `|` alternatives and a trailing `//.` for a sub-tree (mandatory). */
  concreteSet: "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet",
  /** ONVIF ItemFilter message content filter (ONVIF Core "Message Content Filter"). */
  itemFilter: "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter",
} as const;

/** A dialect URI no device knows, for the unknown-dialect check. */
export const UNKNOWN_DIALECT = "http://pacs-conformance.invalid/topic-expression/unknown-dialect";

/** `{ns}local` of a resolved QName, for comparisons and messages. */
export function expanded(ns: string, local: string): string {
  return `{${ns}}${local}`;
}

/** The documentation prefix of a namespace, if it has one (tns1, tt, pt, …). */
export function docPrefixOf(ns: string): string | undefined {
  for (const [p, uri] of Object.entries(DOC_PREFIXES)) if (uri === ns && p !== "xsd") return p;
  return undefined;
}

/** `{ns}local` written with the documentation's prefix when there is one: "xs:boolean". */
export function shortName(ns: string, local: string): string {
  const p = docPrefixOf(ns);
  return p !== undefined ? `${p}:${local}` : ns === "" ? local : expanded(ns, local);
}
