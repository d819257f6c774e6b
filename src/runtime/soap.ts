/**
 * SOAP 1.2 envelopes and faults (SOAP 1.1 faults are understood when parsing), plus the VAPIX
 * JSON fault body. Fault codes are canonicalised by NAMESPACE, never by the prefix as written:
 * env = SOAP 1.2 envelope, ter = ONVIF error; other namespaces stay `{uri}local`.
 */
import { DecodeError } from "./codec-errors.js";
import { decodeFromReader, readPieces, type DecodeXmlOptions } from "./codec.js";
import type { DeviceFault } from "./errors.js";
import { EncodeError } from "./errors.js";
import type { MessageDescriptor, TypeDescriptor, XmlElement } from "./model.js";
import { escapeXmlAttr, escapeXmlText, serializeXmlElement } from "./xml-writer.js";
import { Tok, XmlReader, XML_NS, type ReaderState, type StartTag, type XmlParseOptions } from "./xml.js";

export const SOAP12_ENV_NS = "http://www.w3.org/2003/05/soap-envelope";
export const SOAP11_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const ONVIF_ERROR_NS = "http://www.onvif.org/ver10/error";

/** Canonical prefix → namespace for fault codes. */
export const FAULT_PREFIXES: Readonly<Record<string, string>> = { env: SOAP12_ENV_NS, ter: ONVIF_ERROR_NS };

/** Prefixes written for `{uri}local` codes of well-known fault namespaces (WS-BaseNotification, WS-ResourceFramework). */
const CODE_PREFIXES: Readonly<Record<string, string>> = {
  [ONVIF_ERROR_NS]: "ter",
  "http://docs.oasis-open.org/wsn/b-2": "wsnt",
  "http://docs.oasis-open.org/wsrf/r-2": "wsrf-r",
};

/** A fault as built or parsed, before the transport adds protocol and HTTP status. */
export interface FaultInfo {
  /** "env:Sender" / "env:Receiver" (canonical prefixes) or `{uri}local`. */
  readonly code: string;
  /** Subcode chain, outermost first, e.g. ["ter:InvalidArgVal", "ter:NotFound"]. */
  readonly subcodes: readonly string[];
  readonly reason: string;
  readonly detail?: string;
}

/** Options of buildEnvelope. */
export interface EnvelopeOptions {
  /** Serialized header blocks placed in env:Header (omitted when absent). */
  readonly headerXml?: string;
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  readonly xmlDeclaration?: boolean;
  /** Extra prefix → URI declarations on the Envelope, e.g. for QName values in the body. */
  readonly namespaces?: Readonly<Record<string, string>>;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Wraps a serialized body element (from encodeElement) in a SOAP 1.2 envelope. */
export function buildEnvelope(bodyXml: string, options?: EnvelopeOptions): string {
  const header = options?.headerXml === undefined ? "" : `<env:Header>${options.headerXml}</env:Header>`;
  const decl = options?.xmlDeclaration === false ? "" : XML_DECL;
  let extra = "";
  const ns = options?.namespaces;
  if (ns !== undefined) for (const [prefix, uri] of Object.entries(ns)) extra += ` xmlns:${prefix}="${escapeXmlAttr(uri)}"`;
  return `${decl}<env:Envelope xmlns:env="${SOAP12_ENV_NS}"${extra}>${header}<env:Body>${bodyXml}</env:Body></env:Envelope>`;
}

/** Input of buildSoapFault; codes use canonical prefixes (env:, ter:) or `{uri}local`. */
export interface SoapFaultInput {
  readonly code: string;
  readonly subcodes?: readonly string[];
  readonly reason: string;
  readonly detail?: string;
  /** Serialized elements placed in env:Detail as they are (e.g. a WS-BaseNotification fault element); wins over `detail`. */
  readonly detailXml?: string;
  /** Serialized header blocks placed in env:Header (e.g. the WS-Addressing fault action). */
  readonly headerXml?: string;
  /** xml:lang of the Reason text (default "en"). */
  readonly lang?: string;
  /** Extra prefix → URI bindings for codes written with other prefixes. */
  readonly namespaces?: Readonly<Record<string, string>>;
}

/** A complete SOAP 1.2 envelope carrying one Fault (the device's fault responses). */
export function buildSoapFault(fault: SoapFaultInput): string {
  const decls = new Map<string, string>([["env", SOAP12_ENV_NS]]);
  let gen = 0;
  const qname = (code: string, what: string): string => {
    if (code.startsWith("{")) {
      const close = code.indexOf("}");
      if (close === -1 || close === code.length - 1) throw new EncodeError(`Fault.${what}`, `"${code}" must be prefix:local or {uri}local`);
      const uri = code.slice(1, close);
      let p = [...decls].find(([, u]) => u === uri)?.[0];
      if (p === undefined) {
        p = CODE_PREFIXES[uri];
        if (p === undefined || decls.has(p)) p = `ns${gen++}`;
        decls.set(p, uri);
      }
      return `${p}:${code.slice(close + 1)}`;
    }
    const colon = code.indexOf(":");
    if (colon <= 0 || colon === code.length - 1) throw new EncodeError(`Fault.${what}`, `"${code}" must be prefix:local (e.g. ter:InvalidArgVal) or {uri}local`);
    const p = code.slice(0, colon);
    const uri = fault.namespaces?.[p] ?? FAULT_PREFIXES[p];
    if (uri === undefined) throw new EncodeError(`Fault.${what}`, `prefix "${p}" of "${code}" is unknown; use env:, ter:, {uri}local or pass namespaces`);
    const bound = decls.get(p);
    if (bound !== undefined && bound !== uri) throw new EncodeError(`Fault.${what}`, `prefix "${p}" is bound to two namespaces`);
    decls.set(p, uri);
    return code;
  };
  const subs = fault.subcodes ?? [];
  let codeXml = `<env:Value>${escapeXmlText(qname(fault.code, "Code"))}</env:Value>`;
  let tail = "";
  for (let i = 0; i < subs.length; i++) {
    codeXml += `<env:Subcode><env:Value>${escapeXmlText(qname(subs[i], `Subcode[${i}]`))}</env:Value>`;
    tail += "</env:Subcode>";
  }
  const lang = escapeXmlAttr(fault.lang ?? "en");
  const detail =
    fault.detailXml !== undefined ? `<env:Detail>${fault.detailXml}</env:Detail>` : fault.detail === undefined ? "" : `<env:Detail><env:Text>${escapeXmlText(fault.detail)}</env:Text></env:Detail>`;
  let nsAttrs = "";
  for (const [p, uri] of decls) nsAttrs += ` xmlns:${p}="${escapeXmlAttr(uri)}"`;
  return (
    `${XML_DECL}<env:Envelope${nsAttrs}>${fault.headerXml === undefined ? "" : `<env:Header>${fault.headerXml}</env:Header>`}<env:Body><env:Fault>` +
    `<env:Code>${codeXml}${tail}</env:Code>` +
    `<env:Reason><env:Text xml:lang="${lang}">${escapeXmlText(fault.reason)}</env:Text></env:Reason>` +
    `${detail}</env:Fault></env:Body></env:Envelope>`
  );
}

// ---------------------------------------------------------------------------------------------
// Fault parsing

type Resolver = (prefix: string) => string | undefined;

function scopeOf(el: XmlElement, outer: Resolver): Resolver {
  const d = el.nsDecls;
  if (d === undefined) return outer;
  return (p) => (Object.prototype.hasOwnProperty.call(d, p) ? d[p] : outer(p));
}

/** Resolves a QName in element content and writes it with a canonical prefix. */
function canonicalQName(raw: string, resolve: Resolver): string {
  const text = raw.trim();
  const colon = text.indexOf(":");
  const prefix = colon === -1 ? "" : text.slice(0, colon);
  const local = colon === -1 ? text : text.slice(colon + 1);
  const uri = resolve(prefix);
  if (uri === undefined) return text; // unbound prefix: keep what the device wrote
  if (uri === SOAP12_ENV_NS) return `env:${local}`;
  if (uri === ONVIF_ERROR_NS) return `ter:${local}`;
  return uri === "" ? local : `{${uri}}${local}`;
}

/** SOAP 1.1 code names → their SOAP 1.2 equivalents (SOAP 1.2 part 1 §5.4.6). */
const SOAP11_CODES: Readonly<Record<string, string>> = {
  Client: "env:Sender",
  Server: "env:Receiver",
  VersionMismatch: "env:VersionMismatch",
  MustUnderstand: "env:MustUnderstand",
};

function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

function deepText(el: XmlElement): string {
  if (el.children.length === 0) return el.text;
  let s = "";
  for (const c of el.children) s += deepText(c);
  return s;
}

function detailText(detail: XmlElement | undefined): string | undefined {
  if (detail === undefined) return undefined;
  const text = deepText(detail).trim();
  if (text !== "") return text;
  if (detail.children.length === 0) return undefined;
  return detail.children.map((c) => serializeXmlElement(c)).join("");
}

/**
 * Reads a SOAP 1.2 or 1.1 Fault element. `outer` resolves prefixes declared above the Fault
 * (the Envelope/Body), since code values are QNames in content.
 */
export function parseSoapFault(fault: XmlElement, outer: Resolver = (p) => (p === "xml" ? XML_NS : p === "" ? "" : undefined)): FaultInfo {
  const scope = scopeOf(fault, outer);
  if (fault.ns === SOAP11_ENV_NS) {
    const fc = child(fault, "", "faultcode") ?? child(fault, SOAP11_ENV_NS, "faultcode");
    const fs = child(fault, "", "faultstring") ?? child(fault, SOAP11_ENV_NS, "faultstring");
    let code = fc === undefined ? "" : canonicalQName(fc.text, scopeOf(fc, scope));
    // SOAP 1.1 codes live in the 1.1 envelope namespace; dotted forms like Client.Auth keep the head.
    if (code.startsWith(`{${SOAP11_ENV_NS}}`)) {
      const local = code.slice(SOAP11_ENV_NS.length + 2);
      code = SOAP11_CODES[local.split(".")[0]] ?? code;
    }
    const detail = detailText(child(fault, "", "detail") ?? child(fault, SOAP11_ENV_NS, "detail"));
    const info: { code: string; subcodes: string[]; reason: string; detail?: string } = { code, subcodes: [], reason: fs?.text.trim() ?? "" };
    if (detail !== undefined) info.detail = detail;
    return info;
  }
  const ns = fault.ns;
  const codeEl = child(fault, ns, "Code");
  let code = "";
  const subcodes: string[] = [];
  if (codeEl !== undefined) {
    let s = scopeOf(codeEl, scope);
    const v = child(codeEl, ns, "Value");
    if (v !== undefined) code = canonicalQName(v.text, scopeOf(v, s));
    let sub = child(codeEl, ns, "Subcode");
    // The subcode chain is bounded by the parser's depth limit.
    while (sub !== undefined) {
      s = scopeOf(sub, s);
      const sv = child(sub, ns, "Value");
      if (sv !== undefined) subcodes.push(canonicalQName(sv.text, scopeOf(sv, s)));
      sub = child(sub, ns, "Subcode");
    }
  }
  let reason = "";
  const reasonEl = child(fault, ns, "Reason");
  if (reasonEl !== undefined) {
    const texts = reasonEl.children.filter((c) => c.local === "Text" && c.ns === ns);
    const en = texts.find((t) => t.attrs.some((a) => a.local === "lang" && a.ns === XML_NS && a.value.toLowerCase().startsWith("en")));
    reason = (en ?? texts[0])?.text.trim() ?? "";
  }
  const detail = detailText(child(fault, ns, "Detail"));
  const info: { code: string; subcodes: string[]; reason: string; detail?: string } = { code, subcodes, reason };
  if (detail !== undefined) info.detail = detail;
  return info;
}

// ---------------------------------------------------------------------------------------------
// Envelope parsing

/** Result of reading an envelope: the Body's first child, or a fault. */
export type EnvelopeContent =
  | { readonly kind: "body"; readonly element: XmlElement | undefined; readonly header?: XmlElement; readonly soapVersion: "1.2" | "1.1" }
  | { readonly kind: "fault"; readonly fault: FaultInfo; readonly soapVersion: "1.2" | "1.1" };

/** Result of decodeEnvelope: the decoded output message, or a fault. */
export type DecodedEnvelope =
  | { readonly kind: "body"; readonly value: Record<string, unknown> }
  | { readonly kind: "fault"; readonly fault: FaultInfo };

function envFail(where: string, detail: string): never {
  throw new DecodeError(where, detail);
}

function describeTag(t: { ns: string; local: string }): string {
  return t.ns === "" ? t.local : `{${t.ns}}${t.local}`;
}

/** A reader positioned inside the Body, at its first child's start tag (or past an empty Body). */
interface BodyCursor {
  readonly r: XmlReader;
  readonly env: StartTag;
  readonly body: StartTag;
  /** The Body's first child (start tag read), or undefined when the Body is empty. */
  readonly child: StartTag | undefined;
  readonly header: XmlElement | undefined;
  readonly soapVersion: "1.2" | "1.1";
}

/**
 * Responses to one operation start with the same text up to the Body's first child, every time
 * (declaration, Envelope and its namespace declarations, Body, the response element). The text
 * and the reader state after it are kept per output message; a response starting with exactly
 * that text resumes from the state instead of parsing it again. Reusing the state's scope ids
 * is sound (same text, same bindings) and keeps the codec's name cache valid from the first
 * element on.
 */
interface OpenedPrefix {
  readonly text: string;
  readonly state: ReaderState;
  readonly env: StartTag;
  readonly body: StartTag;
  readonly child: StartTag;
  readonly soapVersion: "1.2" | "1.1";
}

const openedPrefixes = new WeakMap<object, OpenedPrefix>();
/** Longer prefixes are not worth keeping (and bound what a hostile response can pin in memory). */
const MAX_PREFIX_CHARS = 4096;

/**
 * Reads Envelope → [Header] → Body up to the Body's first child. No callbacks: hot path.
 * `key` (the expected output message) enables the prefix cache above.
 */
function openEnvelope(text: string | readonly string[], options: XmlParseOptions | undefined, keepHeader: boolean, key?: object): BodyCursor {
  const r = new XmlReader(text, options);
  const known = key === undefined ? undefined : openedPrefixes.get(key);
  // slice + === compares natively; startsWith walks the characters (4× slower on 300 of them).
  if (known !== undefined && known.state.depth <= r.maxDepth && r.text.slice(0, known.text.length) === known.text) {
    r.resume(known.state);
    return { r, env: known.env, body: known.body, child: known.child, header: undefined, soapVersion: known.soapVersion };
  }
  const c = openEnvelopeSlow(r, keepHeader);
  if (key !== undefined && c.header === undefined && c.child !== undefined && !(c.child.local === "Fault" && c.child.ns === c.env.ns)) {
    const state = r.saveState();
    if (state !== undefined && state.pos <= MAX_PREFIX_CHARS) {
      openedPrefixes.set(key, { text: r.text.slice(0, state.pos), state, env: c.env, body: c.body, child: c.child, soapVersion: c.soapVersion });
    }
  }
  return c;
}

function openEnvelopeSlow(r: XmlReader, keepHeader: boolean): BodyCursor {
  r.readProlog();
  const env = r.readStartTag();
  const ens = env.ns;
  if (env.local !== "Envelope" || (ens !== SOAP12_ENV_NS && ens !== SOAP11_ENV_NS)) {
    envFail("Envelope", `root element is ${describeTag(env)}, not a SOAP 1.2 Envelope {${SOAP12_ENV_NS}}Envelope`);
  }
  if (env.selfClosing) envFail("Envelope", "the Envelope is empty (no Body)");
  let header: XmlElement | undefined;
  let seenHeader = false;
  for (;;) {
    const k = r.next();
    if (k === Tok.Text) {
      if (!isBlank(r.value)) envFail("Envelope", "text is not allowed directly in the Envelope");
      continue;
    }
    if (k === Tok.End) envFail("Envelope", "the Envelope has no Body");
    const tag = r.readStartTag();
    if (tag.ns === ens && tag.local === "Header" && !seenHeader) {
      seenHeader = true;
      if (keepHeader) header = r.readTree(tag);
      else r.skipElement(tag);
      continue;
    }
    if (tag.ns !== ens || tag.local !== "Body") {
      envFail("Envelope", `unexpected element ${describeTag(tag)} (an Envelope holds an optional Header, then one Body)`);
    }
    let child: StartTag | undefined;
    if (tag.selfClosing) {
      r.closeElement();
    } else {
      for (;;) {
        const bk = r.next();
        if (bk === Tok.Text) {
          if (!isBlank(r.value)) envFail("Envelope.Body", "text is not allowed directly in the Body");
          continue;
        }
        if (bk === Tok.Start) child = r.readStartTag();
        break;
      }
    }
    return { r, env, body: tag, child, header, soapVersion: ens === SOAP11_ENV_NS ? "1.1" : "1.2" };
  }
}

/**
 * After the Body's first child was consumed: skips further Body children (well-formedness is
 * still checked), closes Body and Envelope, and checks nothing follows.
 */
function closeEnvelope(c: BodyCursor): void {
  const r = c.r;
  if (!c.body.selfClosing) {
    for (;;) {
      const k = r.next();
      if (k === Tok.Text) continue;
      if (k === Tok.End) break;
      r.skipElement(r.readStartTag());
    }
    r.readEndTag(c.body);
  }
  for (;;) {
    const k = r.next();
    if (k === Tok.Text) {
      if (!isBlank(r.value)) envFail("Envelope", "text is not allowed after the Body");
      continue;
    }
    if (k === Tok.End) break;
    const t = r.readStartTag();
    envFail("Envelope", `unexpected element ${describeTag(t)} after the Body`);
  }
  r.readEndTag(c.env);
  r.readEpilog();
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch !== 0x20 && ch !== 0x0a && ch !== 0x09 && ch !== 0x0d) return false;
  }
  return true;
}

function readerResolver(r: XmlReader): Resolver {
  return (p) => r.resolvePrefix(p);
}

/**
 * Parses a SOAP envelope (1.2; 1.1 accepted) into the Body's first child element or its fault.
 * Throws XmlParseError (malformed, DTD, too deep) or DecodeError (not an envelope).
 */
export function parseEnvelope(text: string, options?: XmlParseOptions): EnvelopeContent {
  const c = openEnvelope(text, options, true);
  const { r, child, header, soapVersion } = c;
  let out: EnvelopeContent;
  if (child === undefined) {
    out = header === undefined ? { kind: "body", element: undefined, soapVersion } : { kind: "body", element: undefined, header, soapVersion };
  } else {
    const el = r.readTree(child);
    if (child.ns === c.env.ns && child.local === "Fault") out = { kind: "fault", fault: parseSoapFault(el, readerResolver(r)), soapVersion };
    else out = header === undefined ? { kind: "body", element: el, soapVersion } : { kind: "body", element: el, header, soapVersion };
  }
  closeEnvelope(c);
  return out;
}

/**
 * Parses a response envelope and decodes the expected output element straight from the text
 * (no tree). `input` is the text, or its pieces each ending right after a `>` (see
 * text-pieces.ts and readPieces). A Fault is returned as such; a missing or different Body
 * element throws DecodeError naming what was expected and what came.
 */
export function decodeEnvelope(input: string | readonly string[], output: MessageDescriptor, options?: DecodeXmlOptions): DecodedEnvelope {
  return readPieces(input, options, (source, opts) => decodeEnvelopeOnce(source, output, opts));
}

function decodeEnvelopeOnce(text: string | readonly string[], output: MessageDescriptor, options: DecodeXmlOptions | undefined): DecodedEnvelope {
  const c = openEnvelope(text, options, false, output);
  const { r, child } = c;
  if (child === undefined) envFail("Envelope.Body", `the Body is empty; expected {${output.ns}}${output.name}`);
  let out: DecodedEnvelope;
  if (child.ns === c.env.ns && child.local === "Fault") {
    out = { kind: "fault", fault: parseSoapFault(r.readTree(child), readerResolver(r)) };
  } else {
    if (child.local !== output.name || (child.ns !== output.ns && options?.lenient !== true)) {
      envFail("Envelope.Body", `expected {${output.ns}}${output.name}, got ${describeTag(child)}`);
    }
    out = { kind: "body", value: decodeFromReader(r, child, output.type(), options) };
  }
  closeEnvelope(c);
  return out;
}

/** A request read by decodeRequestFast: the operation element's name and its typed content. */
export interface DecodedRequest {
  readonly ns: string;
  readonly local: string;
  readonly value: Record<string, unknown>;
  /** The env:Header element, when the request has one. */
  readonly header?: XmlElement;
}

/**
 * The server's fast path: reads a SOAP 1.2 request whose Body holds exactly one element, asks
 * `typeOf` for that element's type (and the path for messages) and decodes it straight from the
 * text, without a tree. Returns undefined for anything else (malformed XML, SOAP 1.1, no or
 * several Body children, text where elements belong, an element `typeOf` does not know, content
 * that does not decode): the caller then takes its exact, tree-based path, which says precisely
 * what is wrong. So it changes speed, never results.
 */
export function decodeRequestFast(
  text: string,
  typeOf: (ns: string, local: string) => { readonly type: TypeDescriptor; readonly path: string } | undefined,
  options?: DecodeXmlOptions,
): DecodedRequest | undefined {
  try {
    const c = openEnvelope(text, options, true);
    const { r, child } = c;
    if (child === undefined || c.soapVersion !== "1.2") return undefined;
    const target = typeOf(child.ns, child.local);
    if (target === undefined) return undefined;
    const value = decodeFromReader(r, child, target.type, { ...options, path: target.path });
    // Exactly one Body child, then the end of the envelope.
    if (!c.body.selfClosing && !closesAfterBlanks(r, c.body)) return undefined;
    if (!closesAfterBlanks(r, c.env)) return undefined;
    r.readEpilog();
    return c.header === undefined ? { ns: child.ns, local: child.local, value } : { ns: child.ns, local: child.local, value, header: c.header };
  } catch {
    return undefined;
  }
}

/** Reads blank text up to the end tag of `tag` and closes it; false at anything else. */
function closesAfterBlanks(r: XmlReader, tag: StartTag): boolean {
  for (;;) {
    const k = r.next();
    if (k === Tok.Text) {
      if (!isBlank(r.value)) return false;
      continue;
    }
    if (k !== Tok.End) return false;
    r.readEndTag(tag);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// VAPIX JSON faults

/** The VAPIX JSON fault body. */
export interface JsonFaultBody {
  Fault: string;
  FaultCode?: string;
  FaultSubCode?: string;
  FaultReason: string;
  FaultMsg?: string;
}

/**
 * `{"Fault","FaultCode","FaultSubCode"?,"FaultReason","FaultMsg"?}`. JSON carries at most two
 * subcodes; deeper ones are dropped (VAPIX has no field for them).
 */
export function buildJsonFault(fault: FaultInfo): JsonFaultBody {
  const out: JsonFaultBody = { Fault: fault.code, FaultReason: fault.reason };
  if (fault.subcodes.length > 0) out.FaultCode = fault.subcodes[0];
  if (fault.subcodes.length > 1) out.FaultSubCode = fault.subcodes[1];
  // Keep key order as VAPIX writes it: Fault, FaultCode, FaultSubCode, FaultReason, FaultMsg.
  const ordered: JsonFaultBody = { Fault: out.Fault } as JsonFaultBody;
  if (out.FaultCode !== undefined) ordered.FaultCode = out.FaultCode;
  if (out.FaultSubCode !== undefined) ordered.FaultSubCode = out.FaultSubCode;
  ordered.FaultReason = out.FaultReason;
  if (fault.detail !== undefined) ordered.FaultMsg = fault.detail;
  return ordered;
}

/**
 * Reads a VAPIX JSON fault body; undefined when `obj` is not one (no string "Fault" key).
 * Subcode chain = [FaultCode, FaultSubCode] (those present).
 */
export function parseJsonFault(obj: unknown): FaultInfo | undefined {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  if (!("Fault" in o)) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
  const subcodes: string[] = [];
  const fc = str(o.FaultCode);
  const fsc = str(o.FaultSubCode);
  if (fc !== undefined && fc !== "") subcodes.push(fc);
  if (fsc !== undefined && fsc !== "") subcodes.push(fsc);
  const info: { code: string; subcodes: string[]; reason: string; detail?: string } = {
    code: str(o.Fault) ?? "",
    subcodes,
    reason: str(o.FaultReason) ?? "",
  };
  const msg = str(o.FaultMsg);
  if (msg !== undefined) info.detail = msg;
  return info;
}

/** Adds protocol and HTTP status to a parsed fault. */
export function toDeviceFault(info: FaultInfo, protocol: "soap" | "json", httpStatus: number): DeviceFault {
  return info.detail === undefined
    ? { code: info.code, subcodes: info.subcodes, reason: info.reason, protocol, httpStatus }
    : { code: info.code, subcodes: info.subcodes, reason: info.reason, detail: info.detail, protocol, httpStatus };
}
