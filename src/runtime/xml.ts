/**
 * A strict, namespace-aware, hostile-input-safe XML 1.0 parser.
 *
 * Safety: any DTD (`<!DOCTYPE`) is refused (XML_DTD_FORBIDDEN), so there is no entity expansion
 * beyond the five predefined entities and numeric character references; nesting is bounded
 * (XML_TOO_DEEP); every scan is linear (indexOf / char loops, no backtracking regexes on input).
 *
 * The reader primitives (`XmlReader`) are shared by `parseXml` (tree) and by the codec's
 * streaming decoder, which decodes typed values straight from the text without a tree.
 *
 * A document may also be read as consecutive pieces (see text-pieces.ts), each ending right
 * after a `>`, so that a large response never becomes one large string. Markup never spans two
 * pieces in a well-formed document split that way, except where a `>` sits inside an attribute
 * value, comment, CDATA section or PI: the reader then fails on the unterminated construct and
 * the caller re-reads the joined text, which gives the exact result or error (positions
 * included). Callers of a piecewise reader must do that; `readPieces` in codec.ts does.
 */
import { XmlParseError } from "./errors.js";
import type { XmlAttr, XmlElement } from "./model.js";

export { escapeXmlAttr, escapeXmlText, serializeXmlElement, XmlWriter } from "./xml-writer.js";

export const XML_NS = "http://www.w3.org/XML/1998/namespace";
export const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** Options of `parseXml` and the streaming decoders. */
export interface XmlParseOptions {
  /** Maximum element nesting depth (default 64); deeper documents fail with XML_TOO_DEEP. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

const EMPTY_ATTRS: readonly XmlAttr[] = Object.freeze([]);
const EMPTY_CHILDREN: readonly XmlElement[] = Object.freeze([]);

// Characters outside the XML 1.0 Char production, plus surrogates: a pair is legal, a lone one is
// not (checkChars tells them apart).
const ILLEGAL_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Bit 1: NameStartChar, bit 2: NameChar (ASCII only; other code points use `isNameCharWide`). */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
  const other = (c >= 48 && c <= 57) || c === 45 || c === 46;
  ASCII_NAME[c] = letter ? 3 : other ? 2 : 0;
}

function isNameStartWide(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNameCharWide(c: number): boolean {
  return isNameStartWide(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/**
 * Code units taken by the non-ASCII NameStartChar (`start`) or NameChar at `t[p]` (code unit `c`):
 * 1, 2 for [#x10000-#xEFFFF] (a high surrogate D800-DB7F, then a low one), 0 if there is none.
 */
function wideNameLength(t: string, p: number, c: number, start: boolean): number {
  if (c >= 0xd800 && c <= 0xdfff) {
    if (c > 0xdb7f) return 0;
    const low = t.charCodeAt(p + 1);
    return low >= 0xdc00 && low <= 0xdfff ? 2 : 0;
  }
  return (start ? isNameStartWide(c) : isNameCharWide(c)) ? 1 : 0;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Namespace URIs registered by the codec (from descriptors). The reader hands out the registered
 * string object for a matching declaration, so the codec's namespace checks are pointer
 * comparisons. Only registered URIs are kept: documents cannot grow this table.
 */
const knownUrisByLength = new Map<number, string[]>();

export function registerNamespace(uri: string): void {
  const list = knownUrisByLength.get(uri.length);
  if (list === undefined) knownUrisByLength.set(uri.length, [uri]);
  else if (!list.includes(uri)) list.push(uri);
}

/** The registered string equal to `uri`, else `uri` (a length probe avoids hashing it). */
function internUri(uri: string): string {
  const list = knownUrisByLength.get(uri.length);
  if (list !== undefined) for (let i = 0; i < list.length; i++) if (list[i] === uri) return list[i];
  return uri;
}

/**
 * RegExp source: a run of characters outside the class body `cls` and legal in XML, surrogate
 * pairs included, lone surrogates never (no backtracking: pairs and the class are disjoint).
 */
function plainRun(cls: string): string {
  return `[^${cls}\\uD800-\\uDFFF]*(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF][^${cls}\\uD800-\\uDFFF]*)*`;
}

/** Class body of what an attribute value needs work for: `<`, `&`, tab, newline, forbidden characters. */
const ATTR_SPECIAL = "<&\\x00-\\x1F\\uFFFE\\uFFFF";

/** An attribute value up to its closing quote that needs no work (see ATTR_SPECIAL). */
const PLAIN_DQ = new RegExp(`${plainRun(`"${ATTR_SPECIAL}`)}"`, "y");
const PLAIN_SQ = new RegExp(`${plainRun(`'${ATTR_SPECIAL}`)}'`, "y");

/**
 * Scratch space for the raw attributes of one start tag, shared by all readers: finishStartTag
 * fills, uses and clears it without calling out, so no two tags ever use it at once.
 */
const RAW_NAMES: string[] = [];
const RAW_VALUES: string[] = [];
const RAW_OFFSETS: number[] = [];

/** The declaration nearly every device writes: accepted without the general check. */
const COMMON_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Namespace scope ids are unique across all readers, so a cache keyed by one (the codec's
 * qualified-name cache) can never be hit by another document.
 */
let scopeCounter = 0;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** See XmlReader.saveState / resume. */
export interface ReaderState {
  readonly pos: number;
  readonly depth: number;
  readonly nsPrefix: readonly string[];
  readonly nsUri: readonly string[];
  readonly nsMarks: readonly number[];
  readonly scope: number;
  readonly scopeStack: readonly number[];
}

/** Content token kinds returned by `XmlReader.next()`. */
export const Tok = { Text: 1, Start: 2, End: 3 } as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

/** A parsed start tag. The name as written spans text[offset + 1, nameEnd). */
export interface StartTag {
  readonly nameEnd: number;
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly attrs: readonly XmlAttr[];
  /** Scope entries [nsFrom, nsTo) hold this element's declarations (see XmlReader.declsOf). */
  readonly nsFrom: number;
  readonly nsTo: number;
  readonly selfClosing: boolean;
  /** Offset of the `<`, for error positions. */
  readonly offset: number;
}

/**
 * Low-level pull reader over a whole document string. Not a public API for callers outside the
 * runtime; `parseXml` is.
 */
export class XmlReader {
  /** The text being read: the whole document, or the current piece of a piecewise one. */
  text: string;
  pos = 0;
  depth = 0;
  readonly maxDepth: number;
  /** Character data of the last Text token (entities resolved). */
  value = "";

  // Namespace scope: parallel stacks; lookups scan from the top (scopes are shallow).
  // Entries above nsTop are stale (overwritten, never truncated: setting .length is slow).
  private nsPrefix: string[] = ["xml"];
  private nsUri: string[] = [XML_NS];
  private nsTop = 1;
  private nsMarks: number[] = [];
  /**
   * Id of the current namespace scope: it changes whenever an element's declarations come into
   * or go out of scope, so equal ids mean every prefix resolves as it did.
   */
  scope = ++scopeCounter;
  private scopeStack: number[] = [];

  /** The attribute values of the tag readShaped just read: group i + 1 is `shape.names[i]`. */
  shapeValues: RegExpExecArray | undefined;

  // Further pieces of a piecewise document (see the module comment).
  private readonly pieces: readonly string[] | undefined;
  private pieceIdx = 0;
  /** The document started with a byte order mark (U+FEFF), which only Unicode encodings have. */
  private bom = false;


  /** `input`: the document, or its pieces in order (each but the last ending right after a `>`). */
  constructor(input: string | readonly string[], options?: XmlParseOptions) {
    let text: string;
    if (typeof input === "string") {
      text = input;
      this.pieces = undefined;
    } else {
      text = input.length === 0 ? "" : input[0];
      this.pieces = input;
    }
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      this.bom = true;
    }
    this.text = normalizeNewlines(text);
    this.maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
    // Characters outside the XML Char production are caught where content is scanned: names
    // and markup accept only legal characters, and every text/attribute/comment/PI/CDATA run is
    // checked (checkChars or the inline loops), so no separate pass over the whole document.
  }

  /**
   * The reader's state after reading a prefix of the document (open elements and namespace
   * scopes), for `resume`. Only valid while the reader is still in its first piece.
   */
  saveState(): ReaderState | undefined {
    if (this.pieceIdx !== 0) return undefined;
    return {
      pos: this.pos,
      depth: this.depth,
      nsPrefix: this.nsPrefix.slice(0, this.nsTop),
      nsUri: this.nsUri.slice(0, this.nsTop),
      nsMarks: this.nsMarks.slice(),
      scope: this.scope,
      scopeStack: this.scopeStack.slice(),
    };
  }

  /**
   * Continues as if the first `state.pos` characters had just been read, which the caller
   * guarantees are identical to the text `state` was saved from: parsing is a function of the
   * text, so the state, scope ids included, is exactly what reading them would give.
   */
  resume(state: ReaderState): void {
    this.pos = state.pos;
    this.depth = state.depth;
    this.nsPrefix = state.nsPrefix.slice();
    this.nsUri = state.nsUri.slice();
    this.nsTop = state.nsPrefix.length;
    this.nsMarks = state.nsMarks.slice();
    this.scope = state.scope;
    this.scopeStack = state.scopeStack.slice();
  }

  /** Moves to the next piece of a piecewise document; false at the end of the document. */
  private advance(): boolean {
    const pieces = this.pieces;
    if (pieces === undefined || this.pieceIdx + 1 >= pieces.length) return false;
    this.text = normalizeNewlines(pieces[++this.pieceIdx]);
    this.pos = 0;
    return true;
  }

  private illegalChar(c: number, at: number): never {
    this.fail(`character U+${c.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML 1.0`, at);
  }

  /** Checks a content run for characters XML 1.0 forbids (one native scan unless it has surrogates). */
  private checkChars(s: string, at: number): void {
    const re = ILLEGAL_CHAR;
    re.lastIndex = 0;
    for (let bad = re.exec(s); bad !== null; bad = re.exec(s)) {
      const i = bad.index;
      const c = s.charCodeAt(i);
      if (c <= 0xdbff && c >= 0xd800 && isLowSurrogate(s.charCodeAt(i + 1))) re.lastIndex = i + 2;
      else this.illegalChar(c, at + i);
    }
  }

  /** Throws XML_MALFORMED at `at` (default: current position) with line/column. */
  fail(detail: string, at = this.pos, code: XmlParseError["code"] = "XML_MALFORMED"): never {
    const { line, column } = lineColumn(this.text, at);
    throw new XmlParseError(code, detail, line, column);
  }

  /** Skips the XML declaration, comments, PIs and whitespace before the root; refuses DTDs. */
  readProlog(): void {
    const t = this.text;
    if (t.startsWith("<?xml", 0) && (isWs(t.charCodeAt(5)) || t.charCodeAt(5) === 0x3f)) this.readXmlDecl();
    this.skipMisc(true);
    if (this.pos >= t.length) this.fail("no root element (empty document)");
    if (t.charCodeAt(this.pos) !== 0x3c) this.fail("text before the root element");
  }

  /** After the root's end tag: only whitespace, comments and PIs may follow. */
  readEpilog(): void {
    for (;;) {
      this.skipMisc(false);
      if (this.pos < this.text.length) this.fail("content after the root element (only one root is allowed)");
      if (!this.advance()) return;
    }
  }

  private readXmlDecl(): void {
    const t = this.text;
    if (t.startsWith(COMMON_XML_DECL)) {
      this.pos = COMMON_XML_DECL.length;
      return;
    }
    const end = t.indexOf("?>", 5);
    if (end === -1 || end > 300) this.fail("unterminated XML declaration");
    const body = t.slice(5, end);
    const m = /^[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?([ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(yes|no)\5)?[ \t\n]*$/.exec(body);
    if (m === null) this.fail("invalid XML declaration (expected version, then optional encoding and standalone)");
    // XML 1.0 §4.3.3: a byte order mark before a declared non-Unicode encoding is a contradiction.
    if (this.bom && m[3] !== undefined && !/^UTF-(?:8|16|32)(?:[LB]E)?$/i.test(m[3])) {
      this.fail(`the document starts with a byte order mark but declares encoding "${m[3]}"`, 0);
    }
    this.pos = end + 2;
  }

  private skipMisc(prolog: boolean): void {
    const t = this.text;
    const n = t.length;
    for (;;) {
      let p = this.pos;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      this.pos = p;
      if (p >= n || t.charCodeAt(p) !== 0x3c) return;
      const c1 = t.charCodeAt(p + 1);
      if (c1 === 0x3f) {
        this.skipPI();
      } else if (c1 === 0x21) {
        if (t.startsWith("<!--", p)) this.skipComment();
        else if (t.startsWith("<!DOCTYPE", p)) this.failDoctype();
        else this.fail(prolog ? "unexpected markup before the root element" : "unexpected markup after the root element");
      } else {
        return;
      }
    }
  }

  private failDoctype(): never {
    this.fail("DOCTYPE/DTD is not allowed (entity expansion and external entities are refused)", this.pos, "XML_DTD_FORBIDDEN");
  }

  private skipComment(): void {
    const t = this.text;
    const start = this.pos;
    const dd = t.indexOf("--", start + 4);
    if (dd === -1) this.fail("unterminated comment", start);
    if (t.charCodeAt(dd + 2) !== 0x3e) this.fail("'--' is not allowed inside a comment", dd);
    this.checkChars(t.slice(start + 4, dd), start + 4);
    this.pos = dd + 3;
  }

  private skipPI(): void {
    const t = this.text;
    const start = this.pos;
    let p = start + 2;
    const nameEnd = this.scanName(p);
    if (nameEnd === p) this.fail("processing instruction without a target", p);
    const target = t.slice(p, nameEnd);
    if (target.toLowerCase() === "xml") this.fail("XML declaration is only allowed at the very start of the document", start);
    // Namespaces in XML §7: no PI target contains a colon.
    if (target.indexOf(":") !== -1) this.fail(`processing instruction target "${target}" cannot contain a colon`, p);
    p = nameEnd;
    const end = t.indexOf("?>", p);
    if (end === -1) this.fail("unterminated processing instruction", start);
    if (end !== p && !isWs(t.charCodeAt(p))) this.fail("expected whitespace after the processing instruction target", p);
    this.checkChars(t.slice(p, end), p);
    this.pos = end + 2;
  }

  /** Returns the end offset of the Name starting at `p` (== p when there is none). */
  private scanName(p: number): number {
    const t = this.text;
    const n = t.length;
    if (p >= n) return p;
    let c = t.charCodeAt(p);
    if (c < 128) {
      if ((ASCII_NAME[c] & 1) === 0) return p;
      p++;
    } else {
      const w = wideNameLength(t, p, c, true);
      if (w === 0) return p;
      p += w;
    }
    while (p < n) {
      c = t.charCodeAt(p);
      if (c < 128) {
        if (ASCII_NAME[c] === 0) break;
        p++;
      } else {
        const w = wideNameLength(t, p, c, false);
        if (w === 0) break;
        p += w;
      }
    }
    return p;
  }

  /** URI bound to `prefix` in the current scope ("" prefix: default namespace), or undefined. */
  resolvePrefix(prefix: string): string | undefined {
    const ps = this.nsPrefix;
    for (let i = this.nsTop - 1; i >= 0; i--) if (ps[i] === prefix) return this.nsUri[i];
    return prefix === "" ? "" : undefined;
  }

  private lookupNs(prefix: string, at: number, forElement: boolean): string {
    const ps = this.nsPrefix;
    for (let i = this.nsTop - 1; i >= 0; i--) if (ps[i] === prefix) return this.nsUri[i];
    if (prefix === "") return "";
    if (prefix === "xmlns") this.fail(`the "xmlns" prefix cannot be used on ${forElement ? "an element" : "an attribute"} name`, at);
    return this.fail(`namespace prefix "${prefix}" is not declared (add xmlns:${prefix}="…")`, at);
  }

  /**
   * Reads the start tag at `pos` (which must be at `<` followed by a name), pushes its namespace
   * scope and increments depth. Call `closeElement` after its end tag (or right away when
   * self-closing).
   */
  readStartTag(): StartTag {
    const t = this.text;
    const start = this.pos;
    const nameStart = start + 1;
    const n = t.length;
    // Element QName scan with the colon check folded in (hot path).
    let colon = -1;
    let nameEnd = nameStart;
    {
      let c = t.charCodeAt(nameStart);
      const w = c < 128 ? ASCII_NAME[c] & 1 : wideNameLength(t, nameStart, c, true);
      if (nameStart >= n || w === 0 || c === 0x3a) this.fail("expected an element name after '<'", nameStart);
      nameEnd += w;
      while (nameEnd < n) {
        c = t.charCodeAt(nameEnd);
        if (c < 128) {
          if (ASCII_NAME[c] === 0) break;
          if (c === 0x3a) {
            if (colon !== -1) this.fail(`"${t.slice(nameStart, this.scanName(nameStart))}" is not a valid namespace-qualified name`, nameStart);
            colon = nameEnd;
          }
          nameEnd++;
        } else {
          const wc = wideNameLength(t, nameEnd, c, false);
          if (wc === 0) break;
          nameEnd += wc;
        }
      }
      if (colon === nameEnd - 1) this.fail(`"${t.slice(nameStart, nameEnd)}" is not a valid namespace-qualified name`, nameStart);
    }
    if (this.depth >= this.maxDepth) {
      this.fail(`element nesting deeper than ${this.maxDepth} levels`, start, "XML_TOO_DEEP");
    }
    const prefix = colon === -1 ? "" : t.slice(nameStart, colon);
    const local = colon === -1 ? t.slice(nameStart, nameEnd) : t.slice(colon + 1, nameEnd);
    return this.finishStartTag(start, nameEnd, prefix, local, undefined);
  }

  /**
   * Fast path of readStartTag for a name seen before: when the tag at `pos` is named exactly
   * `pattern.qname` (as written, `prefix:local`) and `ns` is what that prefix resolved to in the
   * current scope (the caller keys its cache by `scope`), reads it without scanning or resolving
   * the name. Otherwise returns undefined and leaves `pos` alone.
   */
  tryStartTag(pattern: LeafPattern, prefix: string, local: string, ns: string): StartTag | undefined {
    if (this.depth >= this.maxDepth) return undefined;
    const start = this.pos;
    const re = pattern.open;
    re.lastIndex = start;
    if (!re.test(this.text)) return undefined;
    return this.finishStartTag(start, re.lastIndex, prefix, local, ns);
  }

  /**
   * Fast path for a complex child whose start tag has a known shape (see TagShape): one native
   * match reads the name and every attribute. On success returns the tag (its `attrs` empty: the
   * values are the match's groups, in `shapeValues`) with the element opened as readStartTag
   * would; otherwise undefined, `pos` unchanged.
   */
  readShaped(shape: TagShape, ns: string): StartTag | undefined {
    if (this.depth >= this.maxDepth) return undefined;
    const re = shape.re;
    const start = this.pos;
    re.lastIndex = start;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos = re.lastIndex;
    this.shapeValues = m;
    const top = this.nsTop;
    this.nsMarks.push(top);
    this.depth++;
    const selfClosing = m[shape.names.length + 1] === "/";
    return { nameEnd: start + 1 + shape.qname.length, ns, local: shape.local, prefix: shape.prefix, attrs: EMPTY_ATTRS, nsFrom: top, nsTo: top, selfClosing, offset: start };
  }

  /**
   * Fastest path, for simple-typed children: `<qname>text</qname>` or `<qname/>` exactly, no
   * attributes, and text without markup, references, `]` or characters XML forbids (see
   * leafPattern), `qname` as in tryStartTag. Returns the text (final: nothing to resolve) and
   * moves past the end tag, or returns undefined and leaves `pos` alone for the general path.
   */
  readLeaf(pattern: LeafPattern): string | undefined {
    if (this.depth >= this.maxDepth) return undefined;
    const t = this.text;
    const start = this.pos;
    const re = pattern.re;
    re.lastIndex = start;
    if (!re.test(t)) return undefined;
    const end = re.lastIndex;
    this.pos = end;
    const ql = pattern.qname.length;
    return t.charCodeAt(start + 1 + ql) === 0x2f ? "" : t.slice(start + 2 + ql, end - ql - 3);
  }

  /**
   * The rest of a start tag whose name spans [start + 1, nameEnd): attributes, namespace
   * declarations, the element's namespace (`knownNs` when the caller already knows it for the
   * current scope and the tag declares nothing), depth.
   */
  private finishStartTag(start: number, nameEnd: number, prefix: string, local: string, knownNs: string | undefined): StartTag {
    const t = this.text;
    const n = t.length;
    const nameStart = start + 1;

    // Collect raw attributes first: namespace declarations may follow the names that use them.
    let count = 0;
    const rn = RAW_NAMES;
    const rv = RAW_VALUES;
    const ro = RAW_OFFSETS;
    let p = nameEnd;
    let selfClosing = false;
    for (;;) {
      const before = p;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      if (p >= n) this.fail(`unterminated start tag <${t.slice(nameStart, nameEnd)}>`, start);
      const c = t.charCodeAt(p);
      if (c === 0x3e) { p++; break; }
      if (c === 0x2f) {
        if (t.charCodeAt(p + 1) !== 0x3e) this.fail("expected '>' after '/' in a start tag", p + 1);
        p += 2;
        selfClosing = true;
        break;
      }
      if (p === before) this.fail("expected whitespace between attributes", p);
      const an = this.scanName(p);
      if (an === p) this.fail(`unexpected character '${t[p]}' in start tag <${t.slice(nameStart, nameEnd)}>`, p);
      const attrName = t.slice(p, an);
      const attrAt = p;
      p = an;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      if (t.charCodeAt(p) !== 0x3d) this.fail(`expected '=' after attribute name "${attrName}"`, p);
      p++;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      const q = t.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) this.fail(`attribute "${attrName}" value must be quoted`, p);
      // Most values need nothing: one native match finds the closing quote and checks them all.
      let special = false;
      const plainValue = q === 0x22 ? PLAIN_DQ : PLAIN_SQ;
      plainValue.lastIndex = p + 1;
      let vEnd: number;
      if (plainValue.test(t)) {
        vEnd = plainValue.lastIndex - 1;
      } else {
        // One pass finds the closing quote and checks the characters.
        for (vEnd = p + 1; ; vEnd++) {
          if (vEnd >= n) this.fail(`unterminated value of attribute "${attrName}"`, p);
          const vc = t.charCodeAt(vEnd);
          if (vc === q) break;
          if (vc < 0x3d) {
            if (vc === 0x3c) {
              if (t.indexOf(q === 0x22 ? '"' : "'", vEnd) === -1) this.fail(`unterminated value of attribute "${attrName}"`, p);
              this.fail(`'<' is not allowed in the value of attribute "${attrName}"`, vEnd);
            }
            if (vc === 0x26 || vc === 0x0a || vc === 0x09) special = true;
            else if (vc < 0x20 && vc !== 0x0d) {
              if (t.indexOf(q === 0x22 ? '"' : "'", vEnd) === -1) this.fail(`unterminated value of attribute "${attrName}"`, p);
              this.illegalChar(vc, vEnd);
            }
          } else if (vc >= 0xd800 && (vc >= 0xfffe || vc <= 0xdfff)) {
            if (vc <= 0xdbff && isLowSurrogate(t.charCodeAt(vEnd + 1))) { vEnd++; continue; }
            if (t.indexOf(q === 0x22 ? '"' : "'", vEnd) === -1) this.fail(`unterminated value of attribute "${attrName}"`, p);
            this.illegalChar(vc, vEnd);
          }
        }
      }
      let value = t.slice(p + 1, vEnd);
      if (special) value = this.normalizeAttr(value, p + 1);
      rn[count] = attrName;
      rv[count] = value;
      ro[count] = attrAt;
      count++;
      p = vEnd + 1;
    }
    this.pos = p;

    // Duplicate attribute names (as written). Small tags: pairwise; large ones: a Set.
    if (count > 1) {
      if (count <= 8) {
        for (let i = 1; i < count; i++) for (let j = 0; j < i; j++) if (rn[i] === rn[j]) this.fail(`duplicate attribute "${rn[i]}"`, ro[i]);
      } else {
        const seen = new Set<string>();
        for (let i = 0; i < count; i++) {
          if (seen.has(rn[i])) this.fail(`duplicate attribute "${rn[i]}"`, ro[i]);
          seen.add(rn[i]);
        }
      }
    }

    // Namespace declarations.
    const mark = this.nsTop;
    this.nsMarks.push(mark);
    let plain = 0;
    for (let i = 0; i < count; i++) {
      const name = rn[i];
      if (name.charCodeAt(0) !== 0x78 || !name.startsWith("xmlns")) { plain++; continue; }
      let prefix: string;
      if (name.length === 5) prefix = "";
      else if (name.charCodeAt(5) !== 0x3a) { plain++; continue; }
      else if (name.length === 6) this.fail(`invalid namespace declaration "${name}" (no prefix after the colon)`, ro[i]);
      else prefix = name.slice(6);
      const uri = internUri(rv[i]);
      if (prefix !== "") {
        if (prefix.indexOf(":") !== -1 || prefix === "") this.fail(`invalid namespace declaration "${name}"`, ro[i]);
        if (uri === "") this.fail(`"${name}" cannot be empty: XML 1.0 namespaces cannot undeclare a prefix`, ro[i]);
        if (prefix === "xmlns") this.fail('the "xmlns" prefix cannot be declared', ro[i]);
        if (prefix === "xml" && uri !== XML_NS) this.fail(`the "xml" prefix can only be bound to ${XML_NS}`, ro[i]);
      }
      if ((uri === XML_NS && prefix !== "xml") || uri === XMLNS_NS) this.fail(`namespace ${uri} is reserved and cannot be bound to "${prefix}"`, ro[i]);
      this.nsPrefix[this.nsTop] = prefix;
      this.nsUri[this.nsTop] = uri;
      this.nsTop++;
    }
    if (this.nsTop !== mark) {
      this.scopeStack.push(this.scope);
      this.scope = ++scopeCounter;
    }

    const ns = knownNs !== undefined && this.nsTop === mark ? knownNs : this.lookupNs(prefix, nameStart, true);

    let attrs: readonly XmlAttr[] = EMPTY_ATTRS;
    if (plain > 0) {
      const out: XmlAttr[] = new Array(plain);
      let k = 0;
      let prefixed = 0;
      for (let i = 0; i < count; i++) {
        const name = rn[i];
        if (name.charCodeAt(0) === 0x78 && name.startsWith("xmlns") && (name.length === 5 || name.charCodeAt(5) === 0x3a)) continue;
        const ac = name.indexOf(":");
        if (ac === -1) {
          out[k++] = { ns: "", local: name, prefix: "", value: rv[i] };
        } else {
          if (ac === 0 || ac === name.length - 1 || name.indexOf(":", ac + 1) !== -1) this.fail(`"${name}" is not a valid namespace-qualified name`, ro[i]);
          const ap = name.slice(0, ac);
          out[k++] = { ns: this.lookupNs(ap, ro[i], false), local: name.slice(ac + 1), prefix: ap, value: rv[i] };
          prefixed++;
        }
      }
      // Namespaces in XML §6.3: no two attributes may have the same expanded name.
      if (prefixed > 0 && k > 1) {
        for (let i = 1; i < k; i++) {
          const a = out[i];
          if (a.prefix === "") continue;
          for (let j = 0; j < i; j++) if (out[j].local === a.local && out[j].ns === a.ns) this.fail(`duplicate attribute {${a.ns}}${a.local}`, ro[i]);
        }
      }
      attrs = out;
    }
    for (let i = 0; i < count; i++) { rn[i] = ""; rv[i] = ""; }

    this.depth++;
    return { nameEnd, ns, local, prefix, attrs, nsFrom: this.nsMarks[this.nsMarks.length - 1], nsTo: this.nsTop, selfClosing, offset: start };
  }

  /**
   * The namespace declarations of `tag` as a record, or undefined. Valid only while the element
   * is open and before its children are read (their scopes reuse the entries above).
   */
  declsOf(tag: StartTag): Record<string, string> | undefined {
    if (tag.nsTo === tag.nsFrom) return undefined;
    const out: Record<string, string> = {};
    for (let i = tag.nsFrom; i < tag.nsTo; i++) out[this.nsPrefix[i]] = this.nsUri[i];
    return out;
  }

  /** Pops the namespace scope of the element just finished. */
  closeElement(): void {
    const mark = this.nsMarks.pop() ?? 1;
    if (mark !== this.nsTop) {
      this.nsTop = mark;
      this.scope = this.scopeStack.pop() ?? this.scope;
    }
    this.depth--;
  }

  /** Consumes `</qname>` at pos (after `next()` returned End) and closes the element. */
  readEndTag(tag: StartTag): void {
    const t = this.text;
    const p = this.pos + 2;
    // Compared by name, not by offset: in a piecewise document the start tag may be in an
    // earlier piece.
    const pl = tag.prefix.length;
    let same: boolean;
    let e: number;
    if (pl === 0) {
      same = t.startsWith(tag.local, p);
      e = p + tag.local.length;
    } else {
      same = t.startsWith(tag.prefix, p) && t.charCodeAt(p + pl) === 0x3a && t.startsWith(tag.local, p + pl + 1);
      e = p + pl + 1 + tag.local.length;
    }
    if (!same || (e < t.length && (t.charCodeAt(e) < 128 ? ASCII_NAME[t.charCodeAt(e)] !== 0 : wideNameLength(t, e, t.charCodeAt(e), false) !== 0))) {
      const got = t.slice(p, this.scanName(p));
      const { line, column } = lineColumn(t, tag.offset);
      this.fail(`mismatched end tag </${got}>; expected </${qnameOf(tag)}> (opened at ${line}:${column})`, this.pos);
    }
    while (e < t.length && isWs(t.charCodeAt(e))) e++;
    if (t.charCodeAt(e) !== 0x3e) this.fail(`expected '>' to close </${qnameOf(tag)}`, e);
    this.pos = e + 1;
    this.closeElement();
  }

  /**
   * Next content token inside an element: Text (in `value`; comments and PIs are skipped, CDATA
   * is text), Start (pos at `<`; call readStartTag) or End (pos at `</`; call readEndTag).
   */
  next(): Tok {
    const t = this.text;
    for (;;) {
      const p = this.pos;
      if (p >= t.length) {
        if (this.advance()) return this.next();
        return this.fail("unexpected end of document (unclosed element)");
      }
      if (t.charCodeAt(p) !== 0x3c) {
        let end = t.indexOf("<", p);
        if (end === -1) end = t.length;
        this.value = this.decodeText(t.slice(p, end), p);
        this.pos = end;
        return Tok.Text;
      }
      const c1 = t.charCodeAt(p + 1);
      if (c1 === 0x2f) return Tok.End;
      if (c1 === 0x21) {
        if (t.startsWith("<!--", p)) { this.skipComment(); continue; }
        if (t.startsWith("<![CDATA[", p)) {
          const end = t.indexOf("]]>", p + 9);
          if (end === -1) this.fail("unterminated CDATA section", p);
          this.value = t.slice(p + 9, end);
          this.checkChars(this.value, p + 9);
          this.pos = end + 3;
          return Tok.Text;
        }
        if (t.startsWith("<!DOCTYPE", p)) this.failDoctype();
        this.fail("unexpected markup '<!' inside an element", p);
      }
      if (c1 === 0x3f) { this.skipPI(); continue; }
      return Tok.Start;
    }
  }

  /**
   * Fast path for simple-typed elements: the character content up to the end tag of `tag`
   * (comments/CDATA/PIs allowed). Fails if a child element appears.
   */
  readSimpleContent(tag: StartTag): string {
    if (tag.selfClosing) { this.closeElement(); return ""; }
    const t = this.text;
    const p = this.pos;
    const lt = t.indexOf("<", p);
    if (lt !== -1 && t.charCodeAt(lt + 1) === 0x2f) {
      const raw = lt === p ? "" : t.slice(p, lt);
      this.pos = lt;
      this.readEndTag(tag);
      return raw === "" ? raw : this.decodeText(raw, p);
    }
    let text = "";
    for (;;) {
      const k = this.next();
      if (k === Tok.Text) text += this.value;
      else if (k === Tok.End) { this.readEndTag(tag); return text; }
      else this.fail(`element <${qnameOf(tag)}> has a simple type and cannot contain child elements`, this.pos);
    }
  }

  /** Skips the rest of an element whose start tag was just read (content still checked). */
  skipElement(tag: StartTag): void {
    if (tag.selfClosing) { this.closeElement(); return; }
    for (;;) {
      const k = this.next();
      if (k === Tok.Start) this.skipElement(this.readStartTag());
      else if (k === Tok.End) { this.readEndTag(tag); return; }
    }
  }

  /** Reads the rest of an element (start tag just read) as an XmlElement tree. */
  readTree(tag: StartTag): XmlElement {
    let text = "";
    let children: XmlElement[] | undefined;
    const nsDecls = this.declsOf(tag);
    if (!tag.selfClosing) {
      for (;;) {
        const k = this.next();
        if (k === Tok.Text) text += this.value;
        else if (k === Tok.Start) (children ??= []).push(this.readTree(this.readStartTag()));
        else { this.readEndTag(tag); break; }
      }
    } else {
      this.closeElement();
    }
    const el: { ns: string; local: string; prefix: string; attrs: readonly XmlAttr[]; children: readonly XmlElement[]; text: string; nsDecls?: Readonly<Record<string, string>> } =
      { ns: tag.ns, local: tag.local, prefix: tag.prefix, attrs: tag.attrs, children: children ?? EMPTY_CHILDREN, text };
    if (nsDecls !== undefined) el.nsDecls = nsDecls;
    return el;
  }

  /** Character data: resolves references, rejects `]]>` (XML 1.0 §2.4). */
  decodeText(raw: string, at: number): string {
    let amp = false;
    const n = raw.length;
    if (n < 64) {
      // Short values (the common case): one pass instead of two indexOf calls.
      for (let i = 0; i < n; i++) {
        const c = raw.charCodeAt(i);
        if (c > 0x3e) {
          if (c >= 0xd800 && (c >= 0xfffe || c <= 0xdfff)) {
            if (c > 0xdbff || !isLowSurrogate(raw.charCodeAt(i + 1))) this.illegalChar(c, at + i);
            i++;
          }
        } else if (c === 0x26) {
          amp = true;
        } else if (c === 0x3e) {
          if (i >= 2 && raw.charCodeAt(i - 1) === 0x5d && raw.charCodeAt(i - 2) === 0x5d) this.fail("']]>' is not allowed in character data", at + i - 2);
        } else if (c < 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) {
          this.illegalChar(c, at + i);
        }
      }
    } else {
      this.checkChars(raw, at);
      const bad = raw.indexOf("]]>");
      if (bad !== -1) this.fail("']]>' is not allowed in character data", at + bad);
      amp = raw.indexOf("&") !== -1;
    }
    return amp ? this.decodeRefs(raw, at) : raw;
  }

  /** Attribute-value normalization (XML 1.0 §3.3.3) for CDATA attributes. */
  private normalizeAttr(raw: string, at: number): string {
    const ws = raw.indexOf("\n") !== -1 || raw.indexOf("\t") !== -1 ? raw.replace(/[\n\t]/g, " ") : raw;
    return ws.indexOf("&") === -1 ? ws : this.decodeRefs(ws, at);
  }

  private decodeRefs(s: string, at: number): string {
    let out = "";
    let last = 0;
    let i = s.indexOf("&");
    while (i !== -1) {
      let rep: string;
      let semi: number;
      if (s.charCodeAt(i + 1) === 0x23) {
        // Character reference: digits up to ';' (any number of leading zeros is allowed).
        const hex = s.charCodeAt(i + 2) === 0x78;
        const from = hex ? i + 3 : i + 2;
        let cp = 0;
        for (semi = from; semi < s.length; semi++) {
          const c = s.charCodeAt(semi);
          const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : hex && c >= 0x61 && c <= 0x66 ? c - 0x57 : hex && c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
          if (d === -1) break;
          // Saturate above the Unicode range so huge references stay rejected, not wrapped.
          if (cp <= 0x10ffff) cp = cp * (hex ? 16 : 10) + d;
        }
        if (semi === from || s.charCodeAt(semi) !== 0x3b) this.fail(`invalid character reference ${quoteRef(s, i)} (expected &#digits; or &#xhex;)`, at + i);
        const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
        if (!ok) this.fail(`character reference ${quoteRef(s, i)} is not a legal XML character`, at + i);
        rep = String.fromCodePoint(cp);
      } else {
        // Bounded search for ';' keeps hostile "&&&&…" inputs linear (the 5 names are short).
        semi = -1;
        const lim = Math.min(s.length, i + 12);
        for (let k = i + 1; k < lim; k++) if (s.charCodeAt(k) === 0x3b) { semi = k; break; }
        if (semi === -1) this.fail("'&' must start an entity or character reference (write &amp;)", at + i);
        const name = s.slice(i + 1, semi);
        switch (name) {
          case "lt": rep = "<"; break;
          case "gt": rep = ">"; break;
          case "amp": rep = "&"; break;
          case "quot": rep = '"'; break;
          case "apos": rep = "'"; break;
          default: this.fail(`undefined entity &${name}; (only the 5 predefined entities are allowed; DTDs are refused)`, at + i);
        }
      }
      out += s.slice(last, i) + rep;
      last = semi + 1;
      i = s.indexOf("&", last);
    }
    return out + s.slice(last);
  }
}

/** A reference as written, for an error message (cut short if it runs on). */
function quoteRef(s: string, i: number): string {
  const semi = s.indexOf(";", i);
  return semi !== -1 && semi - i <= 16 ? s.slice(i, semi + 1) : `${s.slice(i, i + 12)}…`;
}

/**
 * A compiled matcher for a simple-typed element written `<qname>text</qname>` or `<qname/>`,
 * whose text needs no work: no `<`, `&` or `]` (so no references, CDATA or `]]>`) and no
 * character XML 1.0 forbids. One sticky RegExp test checks all of it in native code, about four
 * times faster here than comparing the names and scanning the text in JavaScript.
 */
export interface LeafPattern {
  readonly qname: string;
  readonly re: RegExp;
  /** `<qname` followed by whitespace, `/` or `>` (tryStartTag). */
  readonly open: RegExp;
}

const leafPatterns = new Map<string, LeafPattern>();
/** Distinct element names seen are few; the bound only guards against a hostile stream of names. */
const MAX_LEAF_PATTERNS = 4096;

/** The LeafPattern of `qname` (a valid QName), compiled once. */
export function leafPattern(qname: string): LeafPattern {
  let p = leafPatterns.get(qname);
  if (p === undefined) {
    const q = escapeRegExp(qname);
    p = {
      qname,
      re: new RegExp(`<${q}(?:/>|>${plainRun("<&\\]\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF")}</${q}>)`, "y"),
      open: new RegExp(`<${q}(?=[ \\t\\n/>])`, "y"),
    };
    if (leafPatterns.size >= MAX_LEAF_PATTERNS) leafPatterns.clear();
    leafPatterns.set(qname, p);
  }
  return p;
}

/**
 * A start tag as one element spells it every time: `<qname`, then exactly these unprefixed
 * attributes in this order, each `name="value"` with a value needing no work (as PLAIN_DQ), then
 * `>` or `/>`. Learnt by the codec from a tag read the general way; a tag spelt otherwise (other
 * attributes or order, spacing around `=`, quotes, references) simply does not match.
 */
export interface TagShape {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly names: readonly string[];
  /** Sticky; groups 1..n are the values, group n + 1 is "/" for a self-closing tag. */
  readonly re: RegExp;
}

const tagShapes = new Map<string, TagShape>();

/** The TagShape of `prefix:local` with attributes `names` (valid NCNames), compiled once. */
export function tagShape(prefix: string, local: string, names: readonly string[]): TagShape {
  const qname = prefix === "" ? local : `${prefix}:${local}`;
  const key = `${qname} ${names.join(" ")}`;
  let shape = tagShapes.get(key);
  if (shape === undefined) {
    let src = `<${escapeRegExp(qname)}`;
    for (const name of names) src += `[ \\t\\n]+${escapeRegExp(name)}="(${plainRun(`"${ATTR_SPECIAL}`)})"`;
    src += "[ \\t\\n]*(/?)>";
    shape = { qname, prefix, local, names, re: new RegExp(src, "y") };
    if (tagShapes.size >= MAX_LEAF_PATTERNS) tagShapes.clear();
    tagShapes.set(key, shape);
  }
  return shape;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.\-\\^$*+?()[\]{}|/]/g, "\\$&");
}

/** XML 1.0 §2.11: CRLF and lone CR become LF before parsing; line numbers are unaffected. */
function normalizeNewlines(text: string): string {
  return text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
}

/** The element name as written (prefix:local). */
export function qnameOf(tag: { readonly prefix: string; readonly local: string }): string {
  return tag.prefix === "" ? tag.local : `${tag.prefix}:${tag.local}`;
}

/** 1-based line and column of an offset (computed only when reporting an error). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses a whole document into its root element. Throws XmlParseError (code XML_MALFORMED,
 * XML_DTD_FORBIDDEN or XML_TOO_DEEP) with line/column. Namespace declarations are reported in
 * `nsDecls` and are not listed in `attrs`.
 */
export function parseXml(text: string, options?: XmlParseOptions): XmlElement {
  const r = new XmlReader(text, options);
  r.readProlog();
  const root = r.readTree(r.readStartTag());
  r.readEpilog();
  return root;
}

/** First child element with this namespace URI and local name. */
export function findChild(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

/** Value of an attribute by namespace URI ("" for unqualified) and local name. */
export function getAttr(el: XmlElement, local: string, ns = ""): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}
