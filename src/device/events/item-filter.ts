/**
 * The ItemFilter message content dialect (ONVIF Core "Message Content Filter"): boolean tests for
 * the presence of Simple/ElementItems with a given Name and/or Value in any group of a tt:Message
 * (Source, Key, Data), combined with and / or / not and parentheses ("and" binds tighter, both
 * left associative, as in XPath 1.0). Keywords are read case-insensitively, so the upper-case form
 * event-logger-service.md shows for "Device Source" is accepted, and the path may carry an extra
 * pair of parentheses (`boolean((//tt:SimpleItem[…]))`). The item's prefix is not resolved (the
 * request's namespace declarations do not reach the operation); any prefix or none is accepted.
 *
 * "Device Source": under global event distribution in a door controller network, every message
 * carries that Source item (the emitting controller's UUID), and only a subscription whose filter
 * names it receives the other controllers' events. A controller alone never adds it: a filter
 * requiring it selects nothing, and the documented "with or without" form selects everything.
 */

export const ITEM_FILTER_DIALECT = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";

/** One SimpleItem of a message, from any group. */
export interface MessageItem {
  readonly name: string;
  readonly value: string;
}

type AttrExpr =
  | { readonly kind: "and" | "or"; readonly left: AttrExpr; readonly right: AttrExpr }
  | { readonly kind: "not"; readonly expr: AttrExpr }
  | { readonly kind: "cmp"; readonly attr: "Name" | "Value"; readonly value: string };

export type ItemFilterExpr =
  | { readonly kind: "and" | "or"; readonly left: ItemFilterExpr; readonly right: ItemFilterExpr }
  | { readonly kind: "not"; readonly expr: ItemFilterExpr }
  | { readonly kind: "exists"; readonly item: "SimpleItem" | "ElementItem"; readonly test: AttrExpr };

/** An expression outside the grammar (wsnt:InvalidMessageContentExpressionFault). */
export class ItemFilterError extends Error {
  override readonly name = "ItemFilterError";
  readonly code = "ITEM_FILTER";
}

interface Token {
  readonly kind: "(" | ")" | "[" | "]" | "=" | "//" | "attr" | "name" | "string";
  readonly text: string;
  readonly at: number;
}

const NAME = /[\p{L}_][\p{L}\p{N}_.-]*(?::[\p{L}_][\p{L}\p{N}_.-]*)?/uy;
/** Quotes as clients write them, typographic ones included (the spec's own examples use them). */
const CLOSING_QUOTE: Readonly<Record<string, string>> = { '"': '"', "'": "'", "\u201c": "\u201d", "\u201d": "\u201d" };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]" || c === "=") {
      out.push({ kind: c, text: c, at: i++ });
    } else if (text.startsWith("//", i)) {
      out.push({ kind: "//", text: "//", at: i });
      i += 2;
    } else if (c in CLOSING_QUOTE) {
      const end = text.indexOf(CLOSING_QUOTE[c]!, i + 1);
      if (end < 0) throw new ItemFilterError(`unterminated string starting at character ${i + 1}`);
      out.push({ kind: "string", text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const attr = c === "@";
      NAME.lastIndex = attr ? i + 1 : i;
      const m = NAME.exec(text);
      if (m === null) throw new ItemFilterError(`unexpected "${c}" at character ${i + 1}`);
      out.push({ kind: attr ? "attr" : "name", text: m[0], at: i });
      i = NAME.lastIndex;
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private where(t: Token | undefined): string {
    return t === undefined ? "at the end" : `at character ${t.at + 1} ("${t.text}")`;
  }

  private expect(kind: Token["kind"], what: string): Token {
    const t = this.peek();
    if (t === undefined || t.kind !== kind) throw new ItemFilterError(`expected ${what} ${this.where(t)}`);
    this.pos++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === "name" && t.text.toLowerCase() === word;
  }

  parse(): ItemFilterExpr {
    if (this.tokens.length === 0) throw new ItemFilterError("the filter is empty; write e.g. boolean(//tt:SimpleItem[@Name=\"DoorToken\" and @Value=\"Door1\"])");
    const expr = this.or();
    if (this.pos < this.tokens.length) throw new ItemFilterError(`unexpected ${this.where(this.peek())} in "${this.source}"`);
    return expr;
  }

  private or(): ItemFilterExpr {
    let left = this.and();
    while (this.isKeyword("or")) {
      this.pos++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): ItemFilterExpr {
    let left = this.unary();
    while (this.isKeyword("and")) {
      this.pos++;
      left = { kind: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): ItemFilterExpr {
    const t = this.peek();
    if (t?.kind === "(") {
      this.pos++;
      const inner = this.or();
      this.expect(")", '")"');
      return inner;
    }
    if (this.isKeyword("not")) {
      this.pos++;
      this.expect("(", '"(" after not');
      const inner = this.or();
      this.expect(")", '")" closing not(…)');
      return { kind: "not", expr: inner };
    }
    if (this.isKeyword("boolean")) {
      this.pos++;
      this.expect("(", '"(" after boolean');
      const path = this.path();
      this.expect(")", '")" closing boolean(…)');
      return path;
    }
    throw new ItemFilterError(`expected boolean(…), not(…) or "(" ${this.where(t)}`);
  }

  private path(): ItemFilterExpr {
    if (this.peek()?.kind === "(") {
      this.pos++;
      const inner = this.path();
      this.expect(")", '")"');
      return inner;
    }
    this.expect("//", '"//tt:SimpleItem" or "//tt:ElementItem"');
    const name = this.expect("name", "SimpleItem or ElementItem");
    const local = name.text.slice(name.text.indexOf(":") + 1);
    if (local !== "SimpleItem" && local !== "ElementItem") throw new ItemFilterError(`"${name.text}" ${this.where(name)}: only SimpleItem and ElementItem can be tested`);
    this.expect("[", '"[" and a test of @Name / @Value');
    const test = this.attrOr();
    this.expect("]", '"]"');
    return { kind: "exists", item: local, test };
  }

  private attrOr(): AttrExpr {
    let left = this.attrAnd();
    while (this.isKeyword("or")) {
      this.pos++;
      left = { kind: "or", left, right: this.attrAnd() };
    }
    return left;
  }

  private attrAnd(): AttrExpr {
    let left = this.attrUnary();
    while (this.isKeyword("and")) {
      this.pos++;
      left = { kind: "and", left, right: this.attrUnary() };
    }
    return left;
  }

  private attrUnary(): AttrExpr {
    const t = this.peek();
    if (t?.kind === "(") {
      this.pos++;
      const inner = this.attrOr();
      this.expect(")", '")"');
      return inner;
    }
    if (this.isKeyword("not")) {
      this.pos++;
      this.expect("(", '"(" after not');
      const inner = this.attrOr();
      this.expect(")", '")" closing not(…)');
      return { kind: "not", expr: inner };
    }
    const attr = this.expect("attr", "@Name or @Value");
    if (attr.text !== "Name" && attr.text !== "Value") throw new ItemFilterError(`@${attr.text} ${this.where(attr)}: only @Name and @Value can be tested`);
    this.expect("=", '"=" after @' + attr.text);
    const value = this.expect("string", "a quoted string");
    return { kind: "cmp", attr: attr.text, value: value.text };
  }
}

/** Parses an ItemFilter expression; throws ItemFilterError naming the first problem. */
export function parseItemFilter(text: string): ItemFilterExpr {
  return new Parser(tokenize(text), text.trim()).parse();
}

/** Whether the expression tests for an item named `name` anywhere (under and, or or not). */
export function namesItem(expr: ItemFilterExpr, name: string): boolean {
  const inTest = (t: AttrExpr): boolean => (t.kind === "cmp" ? t.attr === "Name" && t.value === name : t.kind === "not" ? inTest(t.expr) : inTest(t.left) || inTest(t.right));
  return expr.kind === "exists" ? inTest(expr.test) : expr.kind === "not" ? namesItem(expr.expr, name) : namesItem(expr.left, name) || namesItem(expr.right, name);
}

function testItem(test: AttrExpr, item: MessageItem): boolean {
  switch (test.kind) {
    case "and":
      return testItem(test.left, item) && testItem(test.right, item);
    case "or":
      return testItem(test.left, item) || testItem(test.right, item);
    case "not":
      return !testItem(test.expr, item);
    case "cmp":
      return (test.attr === "Name" ? item.name : item.value) === test.value;
  }
}

/** Whether a message with these SimpleItems (Source, Key and Data together) passes the filter. Messages carry no ElementItems. */
export function evaluateItemFilter(expr: ItemFilterExpr, items: readonly MessageItem[]): boolean {
  switch (expr.kind) {
    case "and":
      return evaluateItemFilter(expr.left, items) && evaluateItemFilter(expr.right, items);
    case "or":
      return evaluateItemFilter(expr.left, items) || evaluateItemFilter(expr.right, items);
    case "not":
      return !evaluateItemFilter(expr.expr, items);
    case "exists":
      return expr.item === "SimpleItem" && items.some((i) => testItem(expr.test, i));
  }
}
