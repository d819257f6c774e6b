/** NsModule → generated/<prefix>/types.ts: one TS type per complex/simple type and global element. */
import { header, moduleRef, type EmitContext } from "./emit-common.js";
import type { ComplexDef, ElementDef, FieldDef, NsModule, Scalar, SimpleDef, Value } from "./ir.js";
import { docLines, jsdoc, propertyKey } from "./naming.js";

/** Tracks the cross-module references of one file so it imports exactly what it uses. */
export class TypeRefs {
  readonly foreign = new Set<NsModule>();
  usesXmlElement = false;

  constructor(
    readonly ctx: EmitContext,
    readonly module: NsModule,
  ) {}

  ref(def: { ns: string; tsName: string }): string {
    if (def.ns === this.module.ns) return def.tsName;
    const m = this.ctx.program.byNs.get(def.ns)!;
    this.foreign.add(m);
    return `${m.prefix}.${def.tsName}`;
  }

  imports(file: string): string {
    return [...this.foreign]
      .sort((a, b) => (a.prefix < b.prefix ? -1 : 1))
      .map((m) => `import type * as ${m.prefix} from "${moduleRef(this.module, m, file)}";\n`)
      .join("");
  }
}

export function scalarTs(s: Scalar): string {
  if (s.enum !== undefined && s.enum.length > 0) {
    if (s.js === "number") return [...new Set(s.enum)].map((v) => String(Number(v))).join(" | ");
    if (s.js === "string") return [...new Set(s.enum)].map((v) => JSON.stringify(v)).join(" | ");
  }
  return s.js;
}

function arrayOf(t: string): string {
  return /[|&\s]/.test(t) ? `(${t})[]` : `${t}[]`;
}

/** The TS type of a value; `inline` ignores the named alias (used to define the alias itself). */
export function valueTs(v: Value, refs: TypeRefs, inline = false): string {
  switch (v.kind) {
    case "scalar":
      return v.named && !inline ? refs.ref(v.named) : scalarTs(v.scalar);
    case "list":
      if (v.named && !inline) return refs.ref(v.named);
      return arrayOf(v.itemNamed ? refs.ref(v.itemNamed) : scalarTs(v.item));
    case "complex":
      return refs.ref(v.type);
  }
}

export function fieldTs(f: FieldDef, refs: TypeRefs): string {
  switch (f.node) {
    case "element": {
      let t = valueTs(f.value, refs);
      if (f.nillable) t = `${t} | null`;
      const many = f.max === "unbounded" || f.max > 1;
      return `${propertyKey(f.name)}${f.min === 0 ? "?" : ""}: ${many ? arrayOf(t) : t};`;
    }
    case "attribute":
      return `${propertyKey(f.name)}${f.required ? "" : "?"}: ${valueTs(f.value, refs)};`;
    case "any":
      refs.usesXmlElement = true;
      return `${propertyKey(f.name)}?: XmlElement[];`;
    case "anyAttribute":
      return `${propertyKey(f.name)}?: Record<string, string>;`;
    case "text":
      return `${propertyKey(f.name)}: ${valueTs(f.value, refs)};`;
  }
}

function fieldDoc(f: FieldDef): string[] {
  if (f.node === "element" || f.node === "attribute") return docLines(f.doc);
  if (f.node === "any") return ["Elements of any namespace allowed here by xs:any (vendor extensions), kept raw."];
  if (f.node === "anyAttribute") return ['Other attributes (xs:anyAttribute), keyed "{namespace}local" or "local".'];
  return ["Character content of the element."];
}

function simpleDecl(def: SimpleDef, refs: TypeRefs): string {
  const lines = docLines(def.doc);
  const s = def.value.kind === "scalar" ? def.value.scalar : def.value.item;
  if (s.enum !== undefined && s.enumDocs?.some((d) => d !== undefined)) {
    if (lines.length > 0) lines.push("");
    s.enum.forEach((v, i) => {
      const d = docLines(s.enumDocs?.[i]);
      lines.push(`- \`${v}\`${d.length > 0 ? `: ${d.join(" ")}` : ""}`);
    });
  }
  return `${jsdoc(lines)}export type ${def.tsName} = ${valueTs(def.value, refs, true)};\n`;
}

function complexDecl(def: ComplexDef, refs: TypeRefs): string {
  const own = def.base ? def.fields.filter((f, i) => i >= def.inherited || def.omit.includes(f.name)) : def.fields;
  let ext = "";
  if (def.base) {
    const baseRef = refs.ref(def.base);
    ext = def.omit.length > 0 ? ` extends Omit<${baseRef}, ${def.omit.map((n) => JSON.stringify(n)).join(" | ")}>` : ` extends ${baseRef}`;
  }
  const body = own.map((f) => `${jsdoc(fieldDoc(f), "  ")}  ${fieldTs(f, refs)}\n`).join("");
  return `${jsdoc(docLines(def.doc))}export interface ${def.tsName}${ext} {${body === "" ? "}" : `\n${body}}`}\n`;
}

function elementDecl(def: ElementDef, refs: TypeRefs): string {
  return `${jsdoc(docLines(def.doc ?? `Element ${def.name}.`))}export type ${def.tsName} = ${valueTs(def.value, refs)};\n`;
}

export function emitTypes(module: NsModule, ctx: EmitContext): string {
  const refs = new TypeRefs(ctx, module);
  type Decl = { order: readonly number[]; text: string };
  const decls: Decl[] = [
    ...module.simple.map((d) => ({ order: d.order, text: simpleDecl(d, refs) })),
    ...module.complex.map((d) => ({ order: d.order, text: complexDecl(d, refs) })),
    ...module.elements.filter((e) => e.alias).map((d) => ({ order: d.order, text: elementDecl(d, refs) })),
  ];
  decls.sort((a, b) => a.order[0]! - b.order[0]! || a.order[1]! - b.order[1]! || a.order[2]! - b.order[2]!);
  let imports = "";
  if (refs.usesXmlElement) imports += `import type { XmlElement } from "${ctx.runtime.model}";\n`;
  imports += refs.imports("types");
  const body = decls.map((d) => d.text).join("\n");
  return `${header(module.sources)}${imports}${imports ? "\n" : ""}${body}`;
}
