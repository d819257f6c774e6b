/**
 * XML output: escaping and a small writer. All XML text the runtime produces goes through here
 * (or through the codec, which uses these escapes), so escaping lives in one place.
 */
import type { XmlElement } from "./model.js";

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_G = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_SPECIAL_G = /[&<>"\t\n\r]/g;

const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  // Character references survive line-end and attribute-value normalization on the reading side.
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;",
};

function replace(ch: string): string {
  return REPLACEMENTS[ch] ?? ch;
}

/** Escapes character data (`&`, `<`, `>` and CR). */
export function escapeXmlText(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_G, replace) : s;
}

/** Escapes a double-quoted attribute value (also TAB/LF/CR, which normalization would eat). */
export function escapeXmlAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_G, replace) : s;
}

/**
 * Serializes a parsed element (e.g. an xs:any child kept raw) with the namespace declarations it
 * needs. `inScope` maps prefix → URI already declared by the surrounding output.
 */
export function serializeXmlElement(el: XmlElement, inScope: Readonly<Record<string, string>> = {}): string {
  return writeElement(el, new Map(Object.entries(inScope)), { n: 0 });
}

function writeElement(el: XmlElement, parentScope: Map<string, string>, gen: { n: number }): string {
  let scope = parentScope;
  let decls = "";
  const declare = (prefix: string, uri: string): void => {
    if (scope.get(prefix) === uri || (prefix === "" && uri === "" && !scope.has(""))) return;
    if (scope === parentScope) scope = new Map(parentScope);
    scope.set(prefix, uri);
    decls += prefix === "" ? ` xmlns="${escapeXmlAttr(uri)}"` : ` xmlns:${prefix}="${escapeXmlAttr(uri)}"`;
  };
  // Keep the document's own declarations: QName-valued content (e.g. "axtdc:Door") relies on them.
  if (el.nsDecls !== undefined) for (const p of Object.keys(el.nsDecls)) if (p !== "" || el.nsDecls[p] !== "") declare(p, el.nsDecls[p]);
  let prefix = el.prefix;
  if (el.ns === "") prefix = "";
  else if (prefix !== "" && scope.has(prefix) && scope.get(prefix) !== el.ns) prefix = `ns${gen.n++}`;
  declare(prefix, el.ns);
  const qname = prefix === "" ? el.local : `${prefix}:${el.local}`;
  let attrs = "";
  for (const a of el.attrs) {
    let ap = "";
    if (a.ns !== "") {
      ap = a.prefix !== "" && (!scope.has(a.prefix) || scope.get(a.prefix) === a.ns) ? a.prefix : `ns${gen.n++}`;
      declare(ap, a.ns);
    }
    attrs += ` ${ap === "" ? a.local : `${ap}:${a.local}`}="${escapeXmlAttr(a.value)}"`;
  }
  if (el.children.length === 0 && el.text === "") return `<${qname}${decls}${attrs}/>`;
  let body = el.children.length === 0 ? escapeXmlText(el.text) : "";
  // Mixed content keeps only the elements (the parser concatenates text, so its placement is lost).
  for (const c of el.children) body += writeElement(c, scope, gen);
  return `<${qname}${decls}${attrs}>${body}</${qname}>`;
}

/** A minimal streaming writer for hand-built documents (tests, the device's ad-hoc replies). */
export class XmlWriter {
  private out = "";
  private readonly stack: string[] = [];
  private pendingClose = false;

  /** Opens `<qname`; add attributes with `attr` before any content. */
  start(qname: string, attrs?: Readonly<Record<string, string>>): this {
    this.closePending();
    this.out += `<${qname}`;
    if (attrs !== undefined) for (const k of Object.keys(attrs)) this.out += ` ${k}="${escapeXmlAttr(attrs[k])}"`;
    this.stack.push(qname);
    this.pendingClose = true;
    return this;
  }

  attr(name: string, value: string): this {
    if (!this.pendingClose) throw new Error(`XmlWriter.attr("${name}"): attributes must come right after start()`);
    this.out += ` ${name}="${escapeXmlAttr(value)}"`;
    return this;
  }

  text(s: string): this {
    this.closePending();
    this.out += escapeXmlText(s);
    return this;
  }

  /** Appends already-serialized XML as is. */
  raw(xml: string): this {
    this.closePending();
    this.out += xml;
    return this;
  }

  end(): this {
    const q = this.stack.pop();
    if (q === undefined) throw new Error("XmlWriter.end(): no open element");
    if (this.pendingClose) {
      this.out += "/>";
      this.pendingClose = false;
    } else {
      this.out += `</${q}>`;
    }
    return this;
  }

  /** The document so far; throws if elements are still open. */
  toString(): string {
    if (this.stack.length > 0) throw new Error(`XmlWriter.toString(): <${this.stack[this.stack.length - 1]}> is still open`);
    return this.out;
  }

  private closePending(): void {
    if (this.pendingClose) {
      this.out += ">";
      this.pendingClose = false;
    }
  }
}
