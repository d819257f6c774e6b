/** Identifier rules for emitted TypeScript: sanitizing XSD names and keeping them unique. */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private " +
    "protected public static yield any boolean number string symbol bigint object never unknown undefined type of declare namespace module " +
    "await async keyof infer is readonly unique global satisfies accessor constructor require " +
    // Globals a type name must not shadow in generated files.
    "Array Record Partial Readonly Promise Object String Number Boolean Symbol Date Error Map Set JSON Function RegExp " +
    "XmlElement Binding CallOptions TypeDescriptor MessageDescriptor OperationDescriptor invoke JsonSchema NS"
  ).split(" "),
);

export function isReserved(name: string): boolean {
  return RESERVED.has(name);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isIdentifier(name: string): boolean {
  return IDENT.test(name);
}

/** An XSD NCName (may hold '-' and '.') → a TS identifier. */
export function toIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, next: string | undefined) => (next ? next.toUpperCase() : ""));
  if (id === "") id = "_";
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return id;
}

/** GetAccessPointList → getAccessPointList; PTZStatus → ptzStatus; ABC → abc. */
export function lowerCamel(name: string): string {
  const id = toIdentifier(name);
  const m = /^[A-Z]+/.exec(id);
  if (!m) return id;
  const run = m[0];
  if (run.length === id.length) return id.toLowerCase();
  if (run.length === 1) return id[0]!.toLowerCase() + id.slice(1);
  // Keep the last capital of an acronym run when it starts the next word (PTZStatus → ptzStatus).
  const next = id[run.length]!;
  const cut = /[a-z]/.test(next) ? run.length - 1 : run.length;
  return id.slice(0, cut).toLowerCase() + id.slice(cut);
}

/** Hands out unique identifiers within one scope, in call order (deterministic). */
export class NameScope {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }

  has(name: string): boolean {
    return this.used.has(name) || isReserved(name);
  }

  /** The first free candidate, else the last candidate with a numeric suffix. */
  take(...candidates: string[]): string {
    const ids = candidates.map(toIdentifier);
    for (const id of ids) {
      if (!this.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    const base = ids[ids.length - 1] ?? "_";
    for (let i = 2; ; i++) {
      const id = `${base}${i}`;
      if (!this.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  /** Marks `name` used (e.g. a global XSD type name claimed before anonymous types are named). */
  reserve(name: string): void {
    this.used.add(name);
  }
}

/** A JS property key as written in an object literal or interface. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

/** Text → JSDoc lines: trimmed, common indentation removed, `*\/` escaped. */
export function docLines(text: string | undefined): string[] {
  if (text === undefined) return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) return [];
  // The first line usually starts right after the tag, without the indentation of the rest.
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const indent = rest.length === 0 ? 0 : Math.min(...rest.map((l) => /^[ \t]*/.exec(l)![0].replace(/\t/g, "    ").length));
  const out = lines.map((l, i) => {
    const expanded = l.replace(/^[ \t]*/, (ws) => ws.replace(/\t/g, "    "));
    return (i === 0 ? expanded.trim() : expanded.slice(indent)).replace(/\s+$/, "");
  });
  // Collapse runs of blank lines.
  return out.filter((l, i) => !(l === "" && out[i - 1] === "")).map((l) => l.replace(/\*\//g, "*\\/"));
}

/** A JSDoc block at `indent`, or "" when there is nothing to say. */
export function jsdoc(lines: readonly string[], indent = ""): string {
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l === "" ? `${indent} *\n` : `${indent} * ${l}\n`)).join("")}${indent} */\n`;
}
