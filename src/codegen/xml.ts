/**
 * A small namespace-aware XML reader for WSDL/XSD documents. The compiler keeps its own reader
 * (codegen imports nothing from the runtime) and needs things a wire parser does not: the
 * in-scope prefix map of every element (QName-valued attributes such as type="pt:Name" resolve
 * against it) and line numbers for error messages.
 */
import { CodegenError } from "./errors.js";

export const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

export interface XAttr {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly value: string;
}

export interface XNode {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly attrs: readonly XAttr[];
  /** Element children only. */
  readonly children: readonly XNode[];
  /** Children and character data interleaved, in document order (for mixed-content documentation). */
  readonly content: readonly (XNode | string)[];
  /** Prefix ("" = default namespace) → URI, everything in scope at this element. */
  readonly scope: ReadonlyMap<string, string>;
  readonly file: string;
  readonly line: number;
}

/** The value of the unqualified attribute `name`, if present. */
export function attr(node: XNode, name: string): string | undefined {
  for (const a of node.attrs) if (a.ns === "" && a.local === name) return a.value;
  return undefined;
}

/** Element children in namespace `ns`, optionally with local name `local`. */
export function childrenOf(node: XNode, ns: string, local?: string): XNode[] {
  return node.children.filter((c) => c.ns === ns && (local === undefined || c.local === local));
}

export function firstChild(node: XNode, ns: string, local: string): XNode | undefined {
  return node.children.find((c) => c.ns === ns && c.local === local);
}

/** All character data below `node`, markup dropped (documentation may hold XHTML like <li>). */
export function textContent(node: XNode): string {
  let out = "";
  for (const part of node.content) {
    if (typeof part === "string") out += part;
    else {
      // Block-level XHTML tags in ONVIF documentation separate sentences; keep them apart.
      if (out !== "" && !/\s$/.test(out) && /^(li|p|br|div|ul|ol|h\d)$/i.test(part.local)) out += "\n";
      out += textContent(part);
    }
  }
  return out;
}

/** Where a node is, for error messages: `file:line`. */
export function where(node: XNode): string {
  return `${node.file}:${node.line}`;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

interface RawElement {
  qname: string;
  attrs: { qname: string; value: string }[];
  content: (RawElement | string)[];
  line: number;
}

/**
 * Parses `source` into a namespace-resolved tree. `file` is only used in messages.
 * Throws CodegenError (code XML_MALFORMED) with file:line:column on any syntax error.
 */
export function parseXml(source: string, file: string): XNode {
  const p = new Parser(source, file);
  const raw = p.parseDocument();
  return resolve(raw, new Map([["xml", XML_NS]]), file);
}

class Parser {
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  fail(detail: string, pos = this.pos): never {
    const line = this.lineOf(pos);
    const col = pos - this.lineStarts[line - 1]! + 1;
    throw new CodegenError("XML_MALFORMED", `${this.file}:${line}:${col}: malformed XML: ${detail}; fix the document`);
  }

  parseDocument(): RawElement {
    this.skipMisc();
    if (this.src.startsWith("<!DOCTYPE", this.pos)) {
      this.skipDoctype();
      this.skipMisc();
    }
    if (this.src[this.pos] !== "<") this.fail("expected the root element");
    const root = this.parseElement();
    this.skipMisc();
    if (this.pos < this.src.length) this.fail("content after the root element");
    return root;
  }

  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith("<?", this.pos)) this.skipUntil("?>", "processing instruction");
      else if (this.src.startsWith("<!--", this.pos)) this.skipUntil("-->", "comment");
      else return;
    }
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private skipUntil(end: string, what: string): void {
    const i = this.src.indexOf(end, this.pos);
    if (i < 0) this.fail(`unterminated ${what}`);
    this.pos = i + end.length;
  }

  private skipDoctype(): void {
    let depth = 0;
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos];
      if (c === "[") depth++;
      else if (c === "]") depth--;
      else if (c === ">" && depth <= 0) {
        this.pos++;
        return;
      }
    }
    this.fail("unterminated DOCTYPE");
  }

  private readName(): string {
    const m = /^[A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0];
  }

  private parseElement(): RawElement {
    const start = this.pos;
    this.pos++; // "<"
    const qname = this.readName();
    const el: RawElement = { qname, attrs: [], content: [], line: this.lineOf(start) };
    for (;;) {
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === "/") {
        if (this.src[this.pos + 1] !== ">") this.fail("expected '/>'");
        this.pos += 2;
        return el;
      }
      if (c === ">") {
        this.pos++;
        break;
      }
      if (c === undefined) this.fail(`unterminated start tag <${qname}>`, start);
      const name = this.readName();
      this.skipSpace();
      if (this.src[this.pos] !== "=") this.fail(`attribute ${name} needs a value`);
      this.pos++;
      this.skipSpace();
      const q = this.src[this.pos];
      if (q !== '"' && q !== "'") this.fail(`attribute ${name} value must be quoted`);
      const end = this.src.indexOf(q, this.pos + 1);
      if (end < 0) this.fail(`unterminated value of attribute ${name}`);
      const value = this.decode(this.src.slice(this.pos + 1, end), this.pos + 1).replace(/[\t\n\r]/g, " ");
      if (el.attrs.some((a) => a.qname === name)) this.fail(`duplicate attribute ${name}`);
      el.attrs.push({ qname: name, value });
      this.pos = end + 1;
    }
    for (;;) {
      const lt = this.src.indexOf("<", this.pos);
      if (lt < 0) this.fail(`element <${qname}> is not closed`, start);
      if (lt > this.pos) el.content.push(this.decode(this.src.slice(this.pos, lt), this.pos));
      this.pos = lt;
      if (this.src.startsWith("</", this.pos)) {
        const at = this.pos;
        this.pos += 2;
        const closing = this.readName();
        if (closing !== qname) this.fail(`</${closing}> closes <${qname}> opened on line ${el.line}`, at);
        this.skipSpace();
        if (this.src[this.pos] !== ">") this.fail("expected '>'");
        this.pos++;
        return el;
      }
      if (this.src.startsWith("<!--", this.pos)) this.skipUntil("-->", "comment");
      else if (this.src.startsWith("<![CDATA[", this.pos)) {
        const end = this.src.indexOf("]]>", this.pos);
        if (end < 0) this.fail("unterminated CDATA section");
        el.content.push(this.src.slice(this.pos + 9, end));
        this.pos = end + 3;
      } else if (this.src.startsWith("<?", this.pos)) this.skipUntil("?>", "processing instruction");
      else el.content.push(this.parseElement());
    }
  }

  private decode(text: string, at: number): string {
    if (!text.includes("&")) return text;
    return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
      if (!whole.endsWith(";")) this.fail(`bare '&' in text (write &amp;)`, at);
      if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
      const v = PREDEFINED[name];
      if (v === undefined) this.fail(`unknown entity &${name}; (DTD entities are not supported)`, at);
      return v;
    });
  }
}

function splitQName(qname: string): [string, string] {
  const i = qname.indexOf(":");
  return i < 0 ? ["", qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

function resolve(raw: RawElement, parentScope: ReadonlyMap<string, string>, file: string): XNode {
  let scope = parentScope;
  for (const a of raw.attrs) {
    if (a.qname === "xmlns" || a.qname.startsWith("xmlns:")) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(a.qname === "xmlns" ? "" : a.qname.slice(6), a.value);
    }
  }
  const [prefix, local] = splitQName(raw.qname);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== "") {
    throw new CodegenError("XML_MALFORMED", `${file}:${raw.line}: element <${raw.qname}> uses undeclared prefix "${prefix}"; declare xmlns:${prefix}`);
  }
  const attrs: XAttr[] = [];
  for (const a of raw.attrs) {
    if (a.qname === "xmlns" || a.qname.startsWith("xmlns:")) continue;
    const [ap, al] = splitQName(a.qname);
    const ans = ap === "" ? "" : scope.get(ap);
    if (ans === undefined) {
      throw new CodegenError("XML_MALFORMED", `${file}:${raw.line}: attribute ${a.qname} uses undeclared prefix "${ap}"; declare xmlns:${ap}`);
    }
    if (ans === XMLNS_NS) continue;
    attrs.push({ ns: ans, local: al, prefix: ap, value: a.value });
  }
  const content: (XNode | string)[] = [];
  const children: XNode[] = [];
  for (const c of raw.content) {
    if (typeof c === "string") content.push(c);
    else {
      const child = resolve(c, scope, file);
      content.push(child);
      children.push(child);
    }
  }
  return { ns: ns ?? "", local, prefix, attrs, children, content, scope, file, line: raw.line };
}
