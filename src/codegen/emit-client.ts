/** NsModule → generated/<prefix>/client.ts: one class per portType, one one-line method per operation. */
import { header, moduleRef, type EmitContext } from "./emit-common.js";
import type { ComplexDef, ElementDef, NsModule } from "./ir.js";
import { NameScope, docLines, jsdoc, lowerCamel } from "./naming.js";

/** True when `{}` is a valid value of the type (no required element, attribute or text). */
export function hasRequiredFields(t: ComplexDef): boolean {
  return t.fields.some((f) => (f.node === "element" && f.min > 0) || (f.node === "attribute" && f.required) || f.node === "text");
}

export function emitClient(module: NsModule, ctx: EmitContext): string {
  const classScope = new NameScope(["d", ...[...ctx.program.byNs.values()].map((m) => m.prefix)]);
  const classNames = module.portTypes.map((pt) => classScope.take(pt.clientName));
  const localTypes = new Map<string, string>();
  const foreign = new Set<NsModule>();
  const typeRef = (el: ElementDef): string => {
    if (el.ns !== module.ns) {
      const m = ctx.program.byNs.get(el.ns)!;
      foreign.add(m);
      return `${m.prefix}.${el.tsName}`;
    }
    const existing = localTypes.get(el.tsName);
    if (existing) return existing;
    const local = classNames.includes(el.tsName) ? classScope.take(`${el.tsName}Type`) : el.tsName;
    localTypes.set(el.tsName, local);
    return local;
  };
  const classes = module.portTypes.map((pt, i) => {
    const methodScope = new NameScope(["binding", "constructor"]);
    const methods = pt.operations.map((op) => {
      const method = methodScope.take(lowerCamel(op.name), `${lowerCamel(op.name)}Operation`);
      const inType = typeRef(op.input);
      const outType = typeRef(op.output);
      const lines = docLines(op.doc);
      if (lines.length > 0) lines.push("");
      lines.push(`@generated from operation ${module.prefix}:${op.name}`);
      const param = hasRequiredFields(op.inputType) ? `input: ${inType}` : `input: ${inType} = {}`;
      return (
        `${jsdoc(lines, "  ")}  ${method}(${param}, options?: CallOptions): Promise<${outType}> {\n` +
        `    return invoke(this.binding, d.${ctx.names.operations.get(op)}, input, options);\n  }\n`
      );
    });
    const doc = docLines(pt.doc);
    if (doc.length > 0) doc.push("");
    doc.push(`Operations of portType ${module.prefix}:${pt.name}; pass a SOAP or JSON Binding.`);
    return `${jsdoc(doc)}export class ${classNames[i]} {\n  constructor(private readonly binding: Binding) {}\n${methods.map((m) => `\n${m}`).join("")}}\n`;
  });
  const named = [...localTypes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, local]) => (name === local ? name : `${name} as ${local}`));
  let imports = `import { invoke, type Binding, type CallOptions } from "${ctx.runtime.binding}";\n`;
  imports += `import * as d from "./descriptors.js";\n`;
  if (named.length > 0) {
    const oneLine = `import type { ${named.join(", ")} } from "./types.js";\n`;
    imports += oneLine.length <= 120 ? oneLine : `import type {\n${named.map((n) => `  ${n},\n`).join("")}} from "./types.js";\n`;
  }
  for (const m of [...foreign].sort((a, b) => (a.prefix < b.prefix ? -1 : 1))) imports += `import type * as ${m.prefix} from "${moduleRef(module, m, "types")}";\n`;
  return `${header(module.sources)}${imports}\n${classes.join("\n")}`;
}
