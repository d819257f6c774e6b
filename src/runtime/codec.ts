/**
 * The descriptor-driven codec: typed JS values ⇄ XML elements, and VAPIX JSON bodies → typed
 * values. One codec serves the generated clients (strict) and the device (lenient).
 *
 * Conventions (documented contract for callers):
 * - A repeated (`many`) field is always an array when present; an empty one is ABSENT, never
 *   `[]`, in XML decode and in normalizeJson alike, so the SOAP and JSON flavours of one
 *   response decode to deep-equal values.
 * - Missing optional fields are absent (no `undefined` keys). `xsi:nil="true"` elements and JSON
 *   `null` are absent too.
 * - Strict decode (default) requires children in schema order, at most one occurrence of a
 *   single-valued field, required fields present and valid numbers/booleans. Lenient decode
 *   (`lenient: true`, the device) also matches children by local name alone, accepts any order,
 *   lets a repeated single-valued field win last, skips the required checks, and keeps a bad
 *   number as the text sent (so the device's fault can quote it, not say NaN).
 */
import { EncodeError } from "./errors.js";
import { DecodeError } from "./codec-errors.js";
import type {
  AnyAttributeField,
  AnyElementField,
  AttributeField,
  ElementField,
  FieldDescriptor,
  ListType,
  MessageDescriptor,
  ScalarType,
  TextField,
  TypeDescriptor,
  XmlAttr,
  XmlElement,
} from "./model.js";
import { escapeXmlAttr, escapeXmlText, serializeXmlElement } from "./xml-writer.js";
import { Tok, XmlReader, leafPattern, registerNamespace, tagShape, type LeafPattern, type StartTag, type TagShape, type XmlParseOptions } from "./xml.js";

export { DecodeError } from "./codec-errors.js";

export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";

/** Conventional prefixes used when encoding, unless the caller's context says otherwise. */
export const WELL_KNOWN_PREFIXES: Readonly<Record<string, string>> = {
  "http://www.w3.org/2003/05/soap-envelope": "env",
  "http://www.onvif.org/ver10/error": "ter",
  "http://www.onvif.org/ver10/schema": "tt",
  "http://www.onvif.org/ver10/pacs": "pt",
  "http://www.onvif.org/ver10/accesscontrol/wsdl": "tac",
  "http://www.onvif.org/ver10/doorcontrol/wsdl": "tdc",
  "http://www.axis.com/vapix/ws/pacs": "pacsaxis",
  "http://www.axis.com/vapix/ws/DoorControl": "axtdc",
  "http://www.axis.com/vapix/ws/IdPoint": "axtid",
  "http://www.axis.com/vapix/ws/schedule": "axsch",
  "http://www.axis.com/vapix/ws/user": "axudb",
  "http://www.axis.com/vapix/ws/EventLogger": "axlog",
  [XSI_NS]: "xsi",
};

// ---------------------------------------------------------------------------------------------
// Compiled descriptors (cached per TypeDescriptor object)

const K_SCALAR = 0;
const K_LIST = 1;
const K_COMPLEX = 2;

type Conv = (s: string) => unknown;
const BAD: unique symbol = Symbol("bad");

/** A compiled element field (internal to the runtime). */
export interface CElem {
  readonly field: ElementField;
  /** Position in the type's field list, for the schema-order check. */
  readonly order: number;
  /** Position among the element fields (matchElem's cursor). */
  readonly pos: number;
  readonly kind: 0 | 1 | 2;
  readonly scalar: ScalarType | undefined;
  readonly conv: Conv | undefined;
  readonly convLenient: Conv | undefined;
  ct: CompiledType | undefined;
  /**
   * The element's name as last written (`prefix:local`) and the reader scope in which that
   * prefix resolved to this field's namespace: while the scope is the same, a child spelled
   * `qn` is this field, with no name scan or prefix lookup (XmlReader.readLeaf/tryStartTag).
   */
  qn: string;
  qnPrefix: string;
  qnScope: number;
  /** leafPattern(qn). */
  leaf: LeafPattern | undefined;
  /** The sibling that followed this one last time: tried first for the next child. */
  next: CElem | undefined;
  /** Complex fields: the start tag's learnt shape in scope `shapeScope`, and its attributes' fields in shape order. */
  shape: TagShape | undefined;
  shapeAttrs: readonly CAttr[] | undefined;
  shapeScope: number;
}

/** A compiled attribute field (internal to the runtime). */
export interface CAttr {
  readonly field: AttributeField;
  readonly conv: Conv;
  readonly convLenient: Conv;
}

/** A TypeDescriptor prepared for decoding (internal to the runtime; json-reader.ts shares it). */
export interface CompiledType {
  readonly desc: TypeDescriptor;
  readonly elems: readonly CElem[];
  readonly byLocal: ReadonlyMap<string, readonly CElem[]>;
  readonly attrs: readonly CAttr[];
  readonly text: TextField | undefined;
  readonly textConv: Conv | undefined;
  readonly textConvLenient: Conv | undefined;
  readonly any: AnyElementField | undefined;
  readonly anyAttr: AnyAttributeField | undefined;
  readonly byName: ReadonlyMap<string, FieldDescriptor>;
  readonly required: readonly (ElementField | AttributeField)[];
  /** Repeated fields whose occurrence counts need checking (min > 1 or a finite max). */
  readonly counted: readonly ElementField[];
  /** False when two element fields share a name and namespace: the name cache can't tell them apart. */
  readonly qnCache: boolean;
  /** The first child last time: tried first for the first child. */
  first: CElem | undefined;
}

const compiledTypes = new WeakMap<TypeDescriptor, CompiledType>();

/** The compiled form of `desc`, built once per descriptor object. */
export function compile(desc: TypeDescriptor): CompiledType {
  const hit = compiledTypes.get(desc);
  if (hit !== undefined) return hit;
  const elems: CElem[] = [];
  const byLocal = new Map<string, CElem[]>();
  const attrs: CAttr[] = [];
  const byName = new Map<string, FieldDescriptor>();
  const required: (ElementField | AttributeField)[] = [];
  let text: TextField | undefined;
  let any: AnyElementField | undefined;
  let anyAttr: AnyAttributeField | undefined;
  registerNamespace(desc.ns);
  desc.fields.forEach((f, order) => {
    byName.set(f.name, f);
    if (f.node === "element" || f.node === "attribute") registerNamespace(f.ns);
    switch (f.node) {
      case "element": {
        const t = f.type;
        const kind = t.kind === "scalar" ? K_SCALAR : t.kind === "list" ? K_LIST : K_COMPLEX;
        const item = t.kind === "scalar" ? t : t.kind === "list" ? t.item : undefined;
        const ce: CElem = {
          field: f, order, pos: elems.length, kind, scalar: item,
          conv: item === undefined ? undefined : t.kind === "list" ? listConv(t, false) : scalarConv(item, false),
          convLenient: item === undefined ? undefined : t.kind === "list" ? listConv(t, true) : scalarConv(item, true),
          ct: undefined,
          qn: "",
          qnPrefix: "",
          qnScope: 0,
          leaf: undefined,
          next: undefined,
          shape: undefined,
          shapeAttrs: undefined,
          shapeScope: 0,
        };
        elems.push(ce);
        const list = byLocal.get(f.name);
        if (list === undefined) byLocal.set(f.name, [ce]);
        else list.push(ce);
        if (f.min > 0) required.push(f);
        break;
      }
      case "attribute":
        attrs.push({ field: f, conv: valueConv(f.type, false), convLenient: valueConv(f.type, true) });
        if (f.required) required.push(f);
        break;
      case "text": text = f; break;
      case "any": any = f; break;
      case "anyAttribute": anyAttr = f; break;
    }
  });
  let qnCache = true;
  for (const list of byLocal.values()) {
    for (let i = 1; i < list.length; i++) if (list.slice(0, i).some((o) => o.field.ns === list[i].field.ns)) qnCache = false;
  }
  const counted = elems.map((e) => e.field).filter((f) => f.many && (f.min > 1 || typeof f.max === "number"));
  const ct: CompiledType = {
    desc, elems, byLocal, attrs, text,
    textConv: text === undefined ? undefined : valueConv(text.type, false),
    textConvLenient: text === undefined ? undefined : valueConv(text.type, true),
    any, anyAttr, byName, required, counted, qnCache, first: undefined,
  };
  compiledTypes.set(desc, ct);
  return ct;
}

function childType(ce: CElem): CompiledType {
  if (ce.ct === undefined) {
    const t = ce.field.type;
    if (t.kind !== "complex") throw new Error(`codec: ${ce.field.name} is not complex`);
    ce.ct = compile(t.type());
  }
  return ce.ct;
}

/**
 * Finds the field for a child element. Documents are usually in schema order, so the fields from
 * `from` onwards are tried first by plain comparison; the map handles the rest.
 */
function matchElem(ct: CompiledType, ns: string, local: string, lenient: boolean, from = 0): CElem | undefined {
  const elems = ct.elems;
  const n = elems.length;
  for (let i = from; i < n && i < from + 4; i++) {
    const f = elems[i].field;
    if (f.name === local && f.ns === ns) return elems[i];
  }
  const cands = ct.byLocal.get(local);
  if (cands === undefined) return undefined;
  for (let i = 0; i < cands.length; i++) if (cands[i].field.ns === ns) return cands[i];
  return lenient ? cands[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Scalar lexical conversion

const INTEGER_TYPES = new Set([
  "xs:int", "xs:integer", "xs:long", "xs:short", "xs:byte", "xs:nonNegativeInteger", "xs:positiveInteger",
  "xs:negativeInteger", "xs:nonPositiveInteger", "xs:unsignedInt", "xs:unsignedLong", "xs:unsignedShort", "xs:unsignedByte",
]);
const INTEGER_RE = /^[+-]?[0-9]+$/;
const DECIMAL_RE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const FLOAT_RE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function numberSyntax(xsd: string): "int" | "decimal" | "float" {
  return INTEGER_TYPES.has(xsd) ? "int" : xsd === "xs:decimal" ? "decimal" : "float";
}

/** Parses an XSD numeric lexical form; BAD when it is not one. */
function parseXsdNumber(raw: string, syntax: "int" | "decimal" | "float"): number | typeof BAD {
  const s = raw.trim();
  if (syntax === "int") return INTEGER_RE.test(s) ? Number(s) : BAD;
  if (syntax === "decimal") return DECIMAL_RE.test(s) ? Number(s) : BAD;
  if (FLOAT_RE.test(s)) return Number(s);
  if (s === "INF" || s === "+INF") return Infinity;
  if (s === "-INF") return -Infinity;
  if (s === "NaN") return NaN;
  return BAD;
}

function scalarConv(t: ScalarType, lenient: boolean): Conv {
  if (t.js === "string") return (s) => s;
  if (t.js === "boolean") {
    return (raw) => {
      const s = raw.trim();
      if (s === "true" || s === "1") return true;
      if (s === "false" || s === "0") return false;
      if (lenient) {
        const l = s.toLowerCase();
        if (l === "true") return true;
        if (l === "false") return false;
      }
      return BAD;
    };
  }
  const syntax = numberSyntax(t.xsd);
  return (s) => {
    const n = parseXsdNumber(s, syntax);
    // Lenient (the device): the text as sent, so the request shape can name it in its fault.
    return n === BAD && lenient ? s : n;
  };
}

function listConv(t: ListType, lenient: boolean): Conv {
  const item = scalarConv(t.item, lenient);
  return (s) => {
    const parts = s.split(/[ \t\n\r]+/);
    const out: unknown[] = [];
    for (const p of parts) {
      if (p === "") continue;
      const v = item(p);
      if (v === BAD) return BAD;
      out.push(v);
    }
    return out;
  };
}

function valueConv(t: ScalarType | ListType, lenient: boolean): Conv {
  return t.kind === "list" ? listConv(t, lenient) : scalarConv(t, lenient);
}

function describeExpected(t: ScalarType | ListType): string {
  const s = t.kind === "list" ? t.item : t;
  const what = s.js === "boolean" ? 'a boolean ("true"/"false"/"1"/"0")' : s.js === "number" ? `a number (${s.xsd})` : "a string";
  return t.kind === "list" ? `a whitespace-separated list of ${what}` : what;
}

function excerpt(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

// ---------------------------------------------------------------------------------------------
// Decoding (shared state; the tree and the streaming decoders use the same rules)

/** Options of decodeElement / decodeXml / normalizeJson. */
export interface DecodeOptions {
  /** Device mode: tolerate what real clients send (see the module comment). Default false. */
  readonly lenient?: boolean;
  /** Path of the decoded value in error messages (default: the type or element name). */
  readonly path?: string;
  /** Called for ignored unknown children/attributes/keys (not for ones kept in xs:any). */
  readonly onUnknown?: (path: string, name: string) => void;
}

/** Options of the streaming decoders (decodeXml), adding the parser's limits. */
export interface DecodeXmlOptions extends DecodeOptions, XmlParseOptions {}

class DecodeState {
  readonly lenient: boolean;
  readonly onUnknown: ((path: string, name: string) => void) | undefined;
  // Path stack kept as parallel arrays: strings are only built when an error is reported.
  private readonly names: string[] = [];
  private readonly idx: number[] = [];

  constructor(root: string, options: DecodeOptions | undefined) {
    this.lenient = options?.lenient === true;
    this.onUnknown = options?.onUnknown;
    this.names.push(options?.path ?? root);
    this.idx.push(-1);
  }

  push(name: string, index: number): void {
    this.names.push(name);
    this.idx.push(index);
  }

  pop(): void {
    this.names.pop();
    this.idx.pop();
  }

  path(leaf?: string): string {
    let s = "";
    for (let i = 0; i < this.names.length; i++) {
      s += i === 0 ? this.names[i] : `.${this.names[i]}`;
      if (this.idx[i] >= 0) s += `[${this.idx[i]}]`;
    }
    return leaf === undefined ? s : `${s}.${leaf}`;
  }

  fail(detail: string, leaf?: string): never {
    throw new DecodeError(this.path(leaf), detail);
  }

  unknown(name: string): void {
    this.onUnknown?.(this.path(), name);
  }
}

function isNil(attrs: readonly XmlAttr[]): boolean {
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (a.local === "nil" && a.ns === XSI_NS) return a.value.trim() === "true" || a.value.trim() === "1";
  }
  return false;
}

function decodeAttrs(attrs: readonly XmlAttr[], ct: CompiledType, obj: Record<string, unknown>, st: DecodeState): void {
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    let hit: CAttr | undefined;
    for (let j = 0; j < ct.attrs.length; j++) {
      const ca = ct.attrs[j];
      if (ca.field.name === a.local && (ca.field.ns === a.ns || st.lenient)) { hit = ca; break; }
    }
    if (hit !== undefined) {
      const v = (st.lenient ? hit.convLenient : hit.conv)(a.value);
      if (v === BAD) st.fail(`attribute value ${excerpt(a.value)} is not ${describeExpected(hit.field.type)}`, a.local);
      obj[hit.field.name] = v;
    } else if (a.ns === XSI_NS) {
      // xsi:type / xsi:nil / schemaLocation are schema machinery, not data.
    } else if (ct.anyAttr !== undefined) {
      const bag = (obj[ct.anyAttr.name] ??= {}) as Record<string, string>;
      bag[a.ns === "" ? a.local : `{${a.ns}}${a.local}`] = a.value;
    } else {
      st.unknown(`@${a.ns === "" ? a.local : `{${a.ns}}${a.local}`}`);
    }
  }
}

function setElem(obj: Record<string, unknown>, ce: CElem, value: unknown, st: DecodeState): void {
  const name = ce.field.name;
  if (ce.field.many) {
    const arr = obj[name] as unknown[] | undefined;
    if (arr === undefined) obj[name] = [value];
    else arr.push(value);
  } else {
    if (!st.lenient && obj[name] !== undefined) st.fail("occurs more than once but the schema allows one (maxOccurs=1)", name);
    obj[name] = value;
  }
}

function convertLeaf(ce: CElem, raw: string, st: DecodeState): unknown {
  const v = (st.lenient ? ce.convLenient! : ce.conv!)(raw);
  if (v === BAD) {
    const t = ce.field.type as ScalarType | ListType;
    st.fail(`${excerpt(raw)} is not ${describeExpected(t)}`, ce.field.name);
  }
  return v;
}

function finish(obj: Record<string, unknown>, ct: CompiledType, text: string, st: DecodeState): void {
  if (ct.text !== undefined) {
    const v = (st.lenient ? ct.textConvLenient! : ct.textConv!)(text);
    if (v === BAD) st.fail(`content ${excerpt(text)} is not ${describeExpected(ct.text.type)}`);
    obj[ct.text.name] = v;
  }
  if (st.lenient) return;
  for (let i = 0; i < ct.required.length; i++) {
    const f = ct.required[i];
    if (obj[f.name] !== undefined) continue;
    st.fail(f.node === "attribute" ? `required attribute "${f.name}" is missing` : `required element ${f.name} is missing (minOccurs=${f.min})`);
  }
  for (let i = 0; i < ct.counted.length; i++) {
    const f = ct.counted[i];
    const arr = obj[f.name] as unknown[] | undefined;
    const n = arr === undefined ? 0 : arr.length;
    if (n > 0 && n < f.min) st.fail(`${f.name} occurs ${n} times; the schema requires at least ${f.min}`);
    if (typeof f.max === "number" && n > f.max) st.fail(`${f.name} occurs ${n} times; the schema allows at most ${f.max}`);
  }
}

function orderError(st: DecodeState, ct: CompiledType, ce: CElem, last: number): never {
  const prev = ct.desc.fields[last];
  return st.fail(`element ${ce.field.name} is out of schema order (it must come before ${prev.name})`);
}

/** Tree decoder: one element (already parsed) against a complex type. */
function decodeTree(el: XmlElement, ct: CompiledType, st: DecodeState): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  decodeAttrs(el.attrs, ct, obj, st);
  let last = -1;
  let cursor = 0;
  const children = el.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const ce = matchElem(ct, c.ns, c.local, st.lenient, cursor);
    if (ce === undefined) {
      if (ct.any !== undefined) ((obj[ct.any.name] ??= []) as XmlElement[]).push(c);
      else st.unknown(c.ns === "" ? c.local : `{${c.ns}}${c.local}`);
      continue;
    }
    cursor = ce.pos;
    if (!st.lenient) {
      if (ce.order < last) orderError(st, ct, ce, last);
      last = ce.order;
    }
    if (c.attrs.length > 0 && isNil(c.attrs)) continue;
    let v: unknown;
    if (ce.kind !== K_COMPLEX) {
      if (c.children.length > 0) st.fail("has a simple type but contains child elements", ce.field.name);
      v = convertLeaf(ce, c.text, st);
    } else {
      st.push(ce.field.name, ce.field.many ? ((obj[ce.field.name] as unknown[] | undefined)?.length ?? 0) : -1);
      v = decodeTree(c, childType(ce), st);
      st.pop();
    }
    setElem(obj, ce, v, st);
  }
  finish(obj, ct, el.text, st);
  return obj;
}

/**
 * Decodes a parsed element against a complex type. Matches children by namespace URI and local
 * name (lenient: by local name alone too). Throws DecodeError naming the path.
 */
export function decodeElement(el: XmlElement, type: TypeDescriptor, options?: DecodeOptions): Record<string, unknown> {
  const st = new DecodeState(options?.path ?? el.local, options);
  return decodeTree(el, compile(type), st);
}

/** Streaming decoder: the element whose start tag was just read, straight from the text. */
/**
 * Learns the shape of a complex child's start tag just read the general way: when every
 * attribute is unprefixed and a field of the child's type, later tags spelt the same way are
 * read in one native match (XmlReader.readShaped). Not for a nil element.
 */
function learnShape(ce: CElem, tag: StartTag): void {
  const ct = childType(ce);
  const attrs: CAttr[] = [];
  const names: string[] = [];
  for (const a of tag.attrs) {
    if (a.prefix !== "" || a.ns !== "") return;
    const ca = ct.attrs.find((c) => c.field.name === a.local && c.field.ns === "");
    if (ca === undefined) return;
    attrs.push(ca);
    names.push(a.local);
  }
  ce.shape = tagShape(tag.prefix, tag.local, names);
  ce.shapeAttrs = attrs;
  ce.shapeScope = ce.qnScope;
}

/** The attributes of a shaped tag, converted as decodeAttrs would, in written order. */
function shapedAttrs(ce: CElem, values: RegExpExecArray, st: DecodeState): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const attrs = ce.shapeAttrs!;
  for (let i = 0; i < attrs.length; i++) {
    const ca = attrs[i];
    const raw = values[i + 1];
    const v = (st.lenient ? ca.convLenient : ca.conv)(raw);
    if (v === BAD) st.fail(`attribute value ${excerpt(raw)} is not ${describeExpected(ca.field.type)}`, ca.field.name);
    obj[ca.field.name] = v;
  }
  return obj;
}

/** `obj` may already hold the attributes (a shaped tag, see tryChild); the rest goes into it. */
function decodeStream(r: XmlReader, tag: StartTag, ct: CompiledType, st: DecodeState, obj: Record<string, unknown> = {}): Record<string, unknown> {
  if (tag.attrs.length > 0) decodeAttrs(tag.attrs, ct, obj, st);
  let text = "";
  if (tag.selfClosing) {
    r.closeElement();
  } else {
    let last = -1;
    let cursor = 0;
    let prev: CElem | undefined;
    let manyField: CElem | undefined;
    let manyItems: unknown[] | undefined;
    const wantText = ct.text !== undefined;
    for (;;) {
      const k = r.next();
      if (k === Tok.Text) {
        if (wantText) text += r.value;
        continue;
      }
      if (k === Tok.End) { r.readEndTag(tag); break; }
      // Fast paths: a child spelled like a field's cached name in this scope (see CElem.qn).
      let ce: CElem | undefined;
      let child: StartTag | undefined;
      let leaf: string | undefined;
      let shaped: CElem | undefined;
      if (ct.qnCache) {
        const scope = r.scope;
        // The sibling that came next last time, then the fields from the cursor on.
        const hint = prev === undefined ? ct.first : prev.next;
        if (hint !== undefined && hint.qnScope === scope && hint.pos >= cursor && hint.pos < cursor + 4) {
          if (hint.kind !== K_COMPLEX) leaf = r.readLeaf(hint.leaf!);
          else if (hint.shapeScope === scope && (child = r.readShaped(hint.shape!, hint.field.ns)) !== undefined) shaped = hint;
          else child = r.tryStartTag(hint.leaf!, hint.qnPrefix, hint.field.name, hint.field.ns);
          if (leaf !== undefined || child !== undefined) ce = hint;
        }
        if (ce === undefined) {
          const elems = ct.elems;
          for (let i = cursor, lim = Math.min(elems.length, cursor + 4); i < lim; i++) {
            const cand = elems[i];
            if (cand.qnScope !== scope || cand === hint) continue;
            if (cand.kind !== K_COMPLEX) leaf = r.readLeaf(cand.leaf!);
            else if (cand.shapeScope === scope && (child = r.readShaped(cand.shape!, cand.field.ns)) !== undefined) shaped = cand;
            else child = r.tryStartTag(cand.leaf!, cand.qnPrefix, cand.field.name, cand.field.ns);
            if (leaf !== undefined || child !== undefined) {
              ce = cand;
              break;
            }
          }
        }
      }
      if (ce === undefined) {
        const scope = r.scope;
        child = r.readStartTag();
        ce = matchElem(ct, child.ns, child.local, st.lenient, cursor);
        if (ce === undefined) {
          if (ct.any !== undefined) ((obj[ct.any.name] ??= []) as XmlElement[]).push(r.readTree(child));
          else { st.unknown(child.ns === "" ? child.local : `{${child.ns}}${child.local}`); r.skipElement(child); }
          continue;
        }
        if (ce.qnScope !== scope && ce.field.ns === child.ns && child.nsFrom === child.nsTo) {
          // The local name is the field's; only the prefix can differ from last time.
          if (ce.leaf === undefined || child.prefix !== ce.qnPrefix) {
            ce.qn = child.prefix === "" ? child.local : `${child.prefix}:${child.local}`;
            ce.qnPrefix = child.prefix;
            ce.leaf = leafPattern(ce.qn);
          }
          ce.qnScope = scope;
        }
      }
      if (!shaped && ce.kind === K_COMPLEX && ce.qnScope === r.scope && ce.shapeScope !== ce.qnScope && child!.nsFrom === child!.nsTo) learnShape(ce, child!);
      if (prev === undefined) {
        if (ct.first !== ce) ct.first = ce;
      } else if (prev.next !== ce) prev.next = ce;
      prev = ce;
      cursor = ce.pos;
      const lastBefore = last;
      if (!st.lenient) {
        if (ce.order < last) orderError(st, ct, ce, last);
        last = ce.order;
      }
      let v: unknown;
      if (leaf !== undefined) {
        v = convertLeaf(ce, leaf, st);
      } else if (child!.attrs.length > 0 && isNil(child!.attrs)) {
        r.skipElement(child!);
        continue;
      } else if (ce.kind !== K_COMPLEX) {
        v = convertLeaf(ce, r.readSimpleContent(child!), st);
      } else {
        const index = !ce.field.many ? -1 : st.lenient ? ((obj[ce.field.name] as unknown[] | undefined)?.length ?? 0) : ce === manyField ? manyItems!.length : 0;
        st.push(ce.field.name, index);
        const childCt = childType(ce);
        v = decodeStream(r, child!, childCt, st, shaped === undefined ? {} : shapedAttrs(ce, r.shapeValues!, st));
        st.pop();
      }
      if (st.lenient) {
        setElem(obj, ce, v, st);
      } else if (ce.field.many) {
        // Strict order keeps a repeated field's items together: no lookup of the array by name.
        if (ce === manyField) manyItems!.push(v);
        else {
          manyField = ce;
          manyItems = [v];
          obj[ce.field.name] = manyItems;
        }
      } else {
        if (ce.order === lastBefore) st.fail("occurs more than once but the schema allows one (maxOccurs=1)", ce.field.name);
        obj[ce.field.name] = v;
      }
    }
  }
  finish(obj, ct, text, st);
  return obj;
}

/**
 * Decodes the rest of an element whose start tag `tag` the reader just read. For callers that
 * walk a document themselves (the SOAP envelope reader).
 */
export function decodeFromReader(r: XmlReader, tag: StartTag, type: TypeDescriptor, options?: DecodeOptions): Record<string, unknown> {
  const st = new DecodeState(options?.path ?? tag.local, options);
  return decodeStream(r, tag, compile(type), st);
}

/**
 * Runs `read` over a document given whole or as pieces (see text-pieces.ts). A piecewise read
 * that fails is run again over the joined text, whose outcome, value or error, is the exact one
 * (see xml.ts); unknown-field reports of the piecewise attempt are held back until it succeeds.
 */
export function readPieces<T, O extends DecodeOptions>(
  input: string | readonly string[],
  options: O | undefined,
  read: (source: string | readonly string[], options: O | undefined) => T,
): T {
  if (typeof input === "string") return read(input, options);
  if (input.length <= 1) return read(input.length === 0 ? "" : input[0], options);
  const report = options?.onUnknown;
  const held: [string, string][] = [];
  const attempt = report === undefined ? options : ({ ...options, onUnknown: (path: string, name: string) => void held.push([path, name]) } as unknown as O);
  let value: T;
  try {
    value = read(input, attempt);
  } catch {
    return read(input.join(""), options);
  }
  for (const [path, name] of held) report!(path, name);
  return value;
}

/**
 * Parses and decodes a whole document whose root is the message element `msg`, without building
 * a tree (the fast path for large responses). `input` is the text, or its pieces (see
 * readPieces). Throws XmlParseError or DecodeError.
 */
export function decodeXml(input: string | readonly string[], msg: MessageDescriptor, options?: DecodeXmlOptions): Record<string, unknown> {
  return readPieces(input, options, (source, opts) => decodeXmlOnce(source, msg, opts));
}

function decodeXmlOnce(text: string | readonly string[], msg: MessageDescriptor, options: DecodeXmlOptions | undefined): Record<string, unknown> {
  const r = new XmlReader(text, options);
  r.readProlog();
  const tag = r.readStartTag();
  const lenient = options?.lenient === true;
  if (tag.local !== msg.name || (tag.ns !== msg.ns && !lenient)) {
    throw new DecodeError(options?.path ?? msg.name, `expected root element {${msg.ns}}${msg.name}, got {${tag.ns}}${tag.local}`);
  }
  const value = decodeFromReader(r, tag, msg.type(), options);
  r.readEpilog();
  return value;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Encoding context. */
export interface EncodeContext {
  /** Preferred prefix per namespace URI (overrides WELL_KNOWN_PREFIXES); others get ns0, ns1, … */
  readonly prefixes?: Readonly<Record<string, string>>;
  /** Path prefix for error messages (default: the element name). */
  readonly path?: string;
}

/** An element to encode: a MessageDescriptor, or a name/ns with a type (or type thunk). */
export interface ElementSpec {
  readonly name: string;
  readonly ns: string;
  readonly type: TypeDescriptor | (() => TypeDescriptor);
}

const ILLEGAL_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

class EncodeState {
  /** ns URI → prefix, in order of first use; declared on the root element. */
  readonly used = new Map<string, string>();
  private readonly taken = new Set<string>();
  private gen = 0;
  constructor(private readonly preferred: Readonly<Record<string, string>> | undefined) {}

  prefix(ns: string): string {
    let p = this.used.get(ns);
    if (p !== undefined) return p;
    p = this.preferred?.[ns] ?? WELL_KNOWN_PREFIXES[ns];
    if (p === undefined || p === "" || this.taken.has(p) || p === "xml" || p.startsWith("xmlns")) {
      do p = `ns${this.gen++}`; while (this.taken.has(p));
    }
    this.used.set(ns, p);
    this.taken.add(p);
    return p;
  }
}

/**
 * Encoding runs first without building path strings (`path` undefined); on a failure it is
 * re-run with paths so the EncodeError names the exact field. Paths cost an allocation per field.
 */
const RETRY_WITH_PATHS: unique symbol = Symbol("retry-with-paths");
type EPath = string | undefined;

function encFail(path: EPath, detail: string): never {
  if (path === undefined) throw RETRY_WITH_PATHS;
  throw new EncodeError(path, detail);
}

function sub(path: EPath, name: string): EPath {
  return path === undefined ? undefined : `${path}.${name}`;
}

function idx(path: EPath, i: number): EPath {
  return path === undefined ? undefined : `${path}[${i}]`;
}

function encodeScalar(t: ScalarType, v: unknown, path: EPath): string {
  switch (t.js) {
    case "string":
      if (typeof v !== "string") encFail(path, `expected a string (${t.xsd}), got ${describeJs(v)}`);
      if (ILLEGAL_XML_CHAR.test(v)) encFail(path, "contains a control character that XML 1.0 cannot carry");
      return v;
    case "boolean":
      if (typeof v !== "boolean") encFail(path, `expected a boolean, got ${describeJs(v)}`);
      return v ? "true" : "false";
    case "number": {
      if (typeof v !== "number") encFail(path, `expected a number (${t.xsd}), got ${describeJs(v)}`);
      if (Number.isNaN(v)) return "NaN";
      if (v === Infinity) return "INF";
      if (v === -Infinity) return "-INF";
      if (INTEGER_TYPES.has(t.xsd) && !Number.isInteger(v)) encFail(path, `${t.xsd} must be an integer, got ${v}`);
      return String(v);
    }
  }
}

function encodeValue(t: ScalarType | ListType, v: unknown, path: EPath): string {
  if (t.kind === "scalar") return encodeScalar(t, v, path);
  if (!Array.isArray(v)) encFail(path, `expected an array (xs:list), got ${describeJs(v)}`);
  let s = "";
  for (let i = 0; i < v.length; i++) {
    const item = encodeScalar(t.item, v[i], idx(path, i));
    if (item === "" || /[ \t\n\r]/.test(item)) encFail(idx(path, i), "list items cannot be empty or contain whitespace");
    s += i === 0 ? item : ` ${item}`;
  }
  return s;
}

function describeJs(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `string ${excerpt(v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Returns [attributes, content] of a complex value. */
function encodeComplex(ct: CompiledType, value: unknown, path: EPath, es: EncodeState): [string, string] {
  if (!isPlainObject(value)) encFail(path, `expected an object (${ct.desc.name}), got ${describeJs(value)}`);
  for (const key in value) {
    if (!ct.byName.has(key) && value[key] !== undefined) {
      const names = [...ct.byName.keys()];
      encFail(sub(path, key), `unknown field "${key}" for ${ct.desc.name} (expected one of: ${names.join(", ") || "no fields"})`);
    }
  }
  let attrs = "";
  let content = "";
  for (const f of ct.desc.fields) {
    const v = value[f.name];
    const fpath = sub(path, f.name);
    switch (f.node) {
      case "attribute": {
        if (v === undefined || v === null) {
          if (f.required) encFail(fpath, `required attribute "${f.name}" is missing`);
          break;
        }
        const q = f.ns === "" ? f.name : `${es.prefix(f.ns)}:${f.name}`;
        attrs += ` ${q}="${escapeXmlAttr(encodeValue(f.type, v, fpath))}"`;
        break;
      }
      case "text":
        if (v !== undefined && v !== null) content += escapeXmlText(encodeValue(f.type, v, fpath));
        break;
      case "anyAttribute":
        if (v === undefined || v === null) break;
        if (!isPlainObject(v)) encFail(fpath, `expected a record of attribute values, got ${describeJs(v)}`);
        for (const k of Object.keys(v)) {
          const av = v[k];
          if (typeof av !== "string") encFail(sub(fpath, k), `expected a string, got ${describeJs(av)}`);
          let q = k;
          if (k.startsWith("{")) {
            const close = k.indexOf("}");
            if (close === -1) encFail(sub(fpath, k), 'expected "{namespace}local" or "local"');
            q = `${es.prefix(k.slice(1, close))}:${k.slice(close + 1)}`;
          }
          attrs += ` ${q}="${escapeXmlAttr(av)}"`;
        }
        break;
      case "any": {
        if (v === undefined || v === null) break;
        if (!Array.isArray(v)) encFail(fpath, `expected an array of XML elements, got ${describeJs(v)}`);
        for (const el of v as XmlElement[]) content += serializeXmlElement(el);
        break;
      }
      case "element": {
        if (v === undefined) {
          if (f.min > 0) encFail(fpath, `required element ${f.name} is missing (minOccurs=${f.min})`);
          break;
        }
        if (f.many) {
          if (!Array.isArray(v)) encFail(fpath, `expected an array (maxOccurs=${f.max}), got ${describeJs(v)}`);
          if (v.length < f.min) encFail(fpath, `needs at least ${f.min} item(s), got ${v.length}`);
          if (typeof f.max === "number" && v.length > f.max) encFail(fpath, `allows at most ${f.max} item(s), got ${v.length}`);
          for (let i = 0; i < v.length; i++) content += encodeChild(f, v[i], idx(fpath, i), es);
        } else {
          if (Array.isArray(v) && f.type.kind !== "list") encFail(fpath, `expected a single value (maxOccurs=1), got an array`);
          content += encodeChild(f, v, fpath, es);
        }
        break;
      }
    }
  }
  return [attrs, content];
}

function encodeChild(f: ElementField, v: unknown, path: EPath, es: EncodeState): string {
  const q = f.ns === "" ? f.name : `${es.prefix(f.ns)}:${f.name}`;
  if (v === null || v === undefined) {
    if (f.nillable !== true) encFail(path, `${f.name} is not nillable; omit it or give a value`);
    return `<${q} ${es.prefix(XSI_NS)}:nil="true"/>`;
  }
  const t = f.type;
  if (t.kind !== "complex") {
    const s = encodeValue(t, v, path);
    return s === "" ? `<${q}/>` : `<${q}>${escapeXmlText(s)}</${q}>`;
  }
  const [attrs, content] = encodeComplex(compile(t.type()), v, path, es);
  return content === "" ? `<${q}${attrs}/>` : `<${q}${attrs}>${content}</${q}>`;
}

/**
 * Encodes `value` as the element `spec` (children in schema order whatever the JS key order;
 * every namespace declared once on this element). Throws EncodeError naming the path.
 */
export function encodeElement(spec: MessageDescriptor | ElementSpec, value: unknown, ctx?: EncodeContext): string {
  const type = typeof spec.type === "function" ? spec.type() : spec.type;
  const ct = compile(type);
  let es = new EncodeState(ctx?.prefixes);
  const q = spec.ns === "" ? spec.name : `${es.prefix(spec.ns)}:${spec.name}`;
  let parts: [string, string];
  try {
    parts = encodeComplex(ct, value ?? {}, undefined, es);
  } catch (err) {
    if (err !== RETRY_WITH_PATHS) throw err;
    es = new EncodeState(ctx?.prefixes);
    es.prefix(spec.ns);
    parts = encodeComplex(ct, value ?? {}, ctx?.path ?? spec.name, es);
  }
  const [attrs, content] = parts;
  let decls = "";
  for (const [ns, p] of es.used) decls += ` xmlns:${p}="${escapeXmlAttr(ns)}"`;
  return content === "" ? `<${q}${decls}${attrs}/>` : `<${q}${decls}${attrs}>${content}</${q}>`;
}

/**
 * Validates `value` like encodeElement (unknown keys, required fields, types) and returns the
 * VAPIX JSON form of the element's content: the same typed shape, with NaN/±Infinity written
 * as "NaN"/"INF"/"-INF" (JSON has no literals for them) and undefined keys dropped.
 */
export function encodeJson(spec: MessageDescriptor | ElementSpec, value: unknown, ctx?: Pick<EncodeContext, "path">): Record<string, unknown> {
  const type = typeof spec.type === "function" ? spec.type() : spec.type;
  const ct = compile(type);
  try {
    return jsonComplex(ct, value ?? {}, undefined);
  } catch (err) {
    if (err !== RETRY_WITH_PATHS) throw err;
    return jsonComplex(ct, value ?? {}, ctx?.path ?? spec.name);
  }
}

function jsonScalar(t: ScalarType, v: unknown, path: EPath): unknown {
  const s = encodeScalar(t, v, path);
  return t.js === "number" && !Number.isFinite(v as number) ? s : v;
}

function jsonValue(t: ScalarType | ListType, v: unknown, path: EPath): unknown {
  if (t.kind === "scalar") return jsonScalar(t, v, path);
  if (!Array.isArray(v)) encFail(path, `expected an array (xs:list), got ${describeJs(v)}`);
  return v.map((item, i) => jsonScalar(t.item, item, idx(path, i)));
}

function jsonComplex(ct: CompiledType, value: unknown, path: EPath): Record<string, unknown> {
  if (!isPlainObject(value)) encFail(path, `expected an object (${ct.desc.name}), got ${describeJs(value)}`);
  for (const key in value) {
    if (!ct.byName.has(key) && value[key] !== undefined) {
      encFail(sub(path, key), `unknown field "${key}" for ${ct.desc.name} (expected one of: ${[...ct.byName.keys()].join(", ") || "no fields"})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const f of ct.desc.fields) {
    const v = value[f.name];
    const fpath = sub(path, f.name);
    if (v === undefined || v === null) {
      if ((f.node === "element" && f.min > 0) || (f.node === "attribute" && f.required)) {
        encFail(fpath, f.node === "attribute" ? `required attribute "${f.name}" is missing` : `required element ${f.name} is missing (minOccurs=${f.min})`);
      }
      continue;
    }
    switch (f.node) {
      case "attribute":
      case "text":
        out[f.name] = jsonValue(f.type, v, fpath);
        break;
      case "any":
      case "anyAttribute":
        out[f.name] = v;
        break;
      case "element": {
        const one = (item: unknown, p: EPath): unknown =>
          f.type.kind === "complex" ? jsonComplex(compile(f.type.type()), item, p) : jsonValue(f.type, item, p);
        if (f.many) {
          if (!Array.isArray(v)) encFail(fpath, `expected an array (maxOccurs=${f.max}), got ${describeJs(v)}`);
          if (v.length < f.min) encFail(fpath, `needs at least ${f.min} item(s), got ${v.length}`);
          if (typeof f.max === "number" && v.length > f.max) encFail(fpath, `allows at most ${f.max} item(s), got ${v.length}`);
          out[f.name] = v.map((item, i) => one(item, idx(fpath, i)));
        } else {
          if (Array.isArray(v) && f.type.kind !== "list") encFail(fpath, "expected a single value (maxOccurs=1), got an array");
          out[f.name] = one(v, fpath);
        }
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// VAPIX JSON

function normFail(path: string, detail: string): never {
  throw new DecodeError(path, detail);
}

/** A scalar in its typed form, or BAD (the caller names the path: paths are built only on failure). */
function normScalar(t: ScalarType, v: unknown, lenient: boolean): unknown {
  switch (t.js) {
    case "string":
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      return BAD;
    case "boolean":
      if (typeof v === "boolean") return v;
      if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true" || s === "1") return true;
        if (s === "false" || s === "0") return false;
      }
      if (v === 1 || v === 0) return v === 1;
      return BAD;
    case "number": {
      if (typeof v === "number") return v;
      if (typeof v === "string") {
        const n = parseXsdNumber(v, numberSyntax(t.xsd));
        if (n !== BAD) return n;
        // Lenient (the device): the text as sent, as scalarConv keeps it, so a fault can quote it.
        if (lenient) return v;
      }
      return BAD;
    }
  }
}

function normScalarFail(t: ScalarType, v: unknown, path: string): never {
  const want = t.js === "string" ? "a string" : t.js === "boolean" ? "a boolean" : `a number (${t.xsd})`;
  return normFail(path, `expected ${want}, got ${describeJs(v)}`);
}

/** A scalar or xs:list value of the field `name` of the object at `path` (item `index` when ≥ 0). */
function normValue(t: ScalarType | ListType, v: unknown, path: string, name: string, index: number, lenient: boolean): unknown {
  if (t.kind === "scalar") {
    const out = normScalar(t, v, lenient);
    return out === BAD ? normScalarFail(t, v, fieldPath(path, name, index)) : out;
  }
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(/[ \t\n\r]+/).filter((s) => s !== "") : [v];
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = normScalar(t.item, items[i], lenient);
    if (item === BAD) normScalarFail(t.item, items[i], `${fieldPath(path, name, index)}[${i}]`);
    out.push(item);
  }
  return out;
}

function fieldPath(path: string, name: string, index: number): string {
  return index < 0 ? `${path}.${name}` : `${path}.${name}[${index}]`;
}

/** One value of an element field (item `index` of it when ≥ 0). */
function normItem(f: ElementField, item: unknown, path: string, index: number, opts: DecodeOptions, lenient: boolean): unknown {
  const t = f.type;
  return t.kind === "complex" ? normComplex(compile(t.type()), item, fieldPath(path, f.name, index), opts, lenient) : normValue(t, item, path, f.name, index, lenient);
}

/** Members written `prefix:Name`, by Name; undefined when no key has a prefix. */
function prefixedMembers(v: Record<string, unknown>): Map<string, unknown> | undefined {
  let out: Map<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    const colon = key.indexOf(":");
    if (colon <= 0) continue;
    out ??= new Map();
    out.set(key.slice(colon + 1), v[key]);
  }
  return out;
}

function normComplex(ct: CompiledType, v: unknown, path: string, opts: DecodeOptions, lenient: boolean): Record<string, unknown> {
  if (!isPlainObject(v)) return normFail(path, `expected an object (${ct.desc.name}), got ${describeJs(v)}`);
  const out: Record<string, unknown> = {};
  if (opts.onUnknown !== undefined) {
    for (const key of Object.keys(v)) {
      // A JSON body carries no xs:any content model; unknown keys are reported, never kept silently.
      if (!ct.byName.has(key)) opts.onUnknown(path, key);
    }
  }
  const fields = ct.desc.fields;
  // Lenient (the device): members may carry a namespace prefix, as the guides' JSON examples write
  // them ({"axkey:EncryptionKey": […]}); read only when some key has one.
  const prefixed = lenient ? prefixedMembers(v) : undefined;
  for (let fi = 0; fi < fields.length; fi++) {
    const f = fields[fi];
    const raw = v[f.name] ?? prefixed?.get(f.name);
    if (raw === undefined || raw === null) {
      if (lenient) continue;
      if ((f.node === "element" && f.min > 0) || (f.node === "attribute" && f.required)) {
        normFail(path, f.node === "attribute" ? `required attribute "${f.name}" is missing` : `required element ${f.name} is missing (minOccurs=${f.min})`);
      }
      continue;
    }
    switch (f.node) {
      case "attribute":
      case "text":
        out[f.name] = normValue(f.type, raw, path, f.name, -1, lenient);
        break;
      case "any":
      case "anyAttribute":
        out[f.name] = raw;
        break;
      case "element": {
        if (f.many) {
          // Real clients send "Token": "abc" for a one-item list.
          const items = Array.isArray(raw) ? raw : [raw];
          const vals: unknown[] = [];
          for (let i = 0; i < items.length; i++) if (items[i] !== null) vals.push(normItem(f, items[i], path, i, opts, lenient));
          if (!lenient && vals.length > 0 && vals.length < f.min) normFail(fieldPath(path, f.name, -1), `needs at least ${f.min} item(s), got ${vals.length}`);
          if (!lenient && typeof f.max === "number" && vals.length > f.max) normFail(fieldPath(path, f.name, -1), `allows at most ${f.max} item(s), got ${vals.length}`);
          if (vals.length > 0) out[f.name] = vals;
          else if (!lenient && f.min > 0) normFail(path, `required element ${f.name} is missing (minOccurs=${f.min})`);
        } else if (Array.isArray(raw) && f.type.kind !== "list") {
          if (raw.length > 1) normFail(fieldPath(path, f.name, -1), `expected a single value (maxOccurs=1), got an array of ${raw.length}`);
          if (raw.length === 1 && raw[0] !== null) out[f.name] = normItem(f, raw[0], path, -1, opts, lenient);
        } else {
          out[f.name] = normItem(f, raw, path, -1, opts, lenient);
        }
        break;
      }
    }
  }
  return out;
}

/**
 * Normalizes a VAPIX JSON body (as real clients and devices send it) to the typed shape:
 * scalar → [scalar] for repeated fields, "true"/"false" → booleans, numeric strings → numbers,
 * null → absent, empty arrays → absent. Invalid shapes throw DecodeError with the path.
 */
export function normalizeJson(value: unknown, type: TypeDescriptor, options?: DecodeOptions): Record<string, unknown> {
  const opts = options ?? {};
  return normComplex(compile(type), value ?? {}, opts.path ?? type.name, opts, opts.lenient === true);
}
