/**
 * NsModule → generated/<prefix>/descriptors.ts: the TypeDescriptor / MessageDescriptor /
 * OperationDescriptor consts of src/runtime/model.ts that the runtime codec walks.
 */
import { Code, header, literal, moduleRef, type EmitContext } from "./emit-common.js";
import type { ComplexDef, FieldDef, ListValue, NsModule, Scalar, ScalarValue, Value } from "./ir.js";
import { docLines, jsdoc } from "./naming.js";

/** ScalarType literal (model.ts): only the facets the descriptor contract has. */
export function scalarDescriptor(s: Scalar): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: "scalar", js: s.js, xsd: s.xsd };
  if (s.enum !== undefined) out["enum"] = [...s.enum];
  if (s.patterns !== undefined) out["pattern"] = s.patterns.length === 1 ? s.patterns[0] : s.patterns.map((p) => `(${p})`).join("|");
  if (s.minLength !== undefined) out["minLength"] = s.minLength;
  if (s.maxLength !== undefined) out["maxLength"] = s.maxLength;
  // Exclusive bounds of integers are inclusive bounds one step in; other exclusive bounds stay in JSON Schema.
  const minIncl = s.minInclusive ?? (s.integer && s.minExclusive !== undefined ? s.minExclusive + 1 : undefined);
  const maxIncl = s.maxInclusive ?? (s.integer && s.maxExclusive !== undefined ? s.maxExclusive - 1 : undefined);
  if (minIncl !== undefined) out["minInclusive"] = minIncl;
  if (maxIncl !== undefined) out["maxInclusive"] = maxIncl;
  return out;
}

class DescriptorRefs {
  readonly foreign = new Set<NsModule>();
  constructor(
    readonly ctx: EmitContext,
    readonly module: NsModule,
  ) {}

  typeConst(def: ComplexDef): string {
    const name = this.ctx.names.types.get(def)!;
    if (def.ns === this.module.ns) return name;
    const m = this.ctx.program.byNs.get(def.ns)!;
    this.foreign.add(m);
    return `${m.prefix}.${name}`;
  }

  ns(uri: string): string | Code {
    return uri === this.module.ns && uri !== "" ? new Code("NS") : uri;
  }
}

function valueDescriptor(v: Value, refs: DescriptorRefs): unknown {
  if (v.kind === "scalar") return scalarDescriptor(v.scalar);
  if (v.kind === "list") return listDescriptor(v);
  return { kind: "complex", type: new Code(`() => ${refs.typeConst(v.type)}`) };
}

function listDescriptor(v: ListValue): unknown {
  return { kind: "list", item: scalarDescriptor(v.item) };
}

function simpleDescriptor(v: ScalarValue | ListValue): unknown {
  return v.kind === "scalar" ? scalarDescriptor(v.scalar) : listDescriptor(v);
}

function fieldDescriptor(f: FieldDef, refs: DescriptorRefs): unknown {
  switch (f.node) {
    case "element":
      return {
        node: "element",
        name: f.name,
        ns: refs.ns(f.ns),
        type: valueDescriptor(f.value, refs),
        min: f.min,
        max: f.max,
        many: f.max === "unbounded" || f.max > 1,
        ...(f.nillable ? { nillable: true } : {}),
      };
    case "attribute":
      return { node: "attribute", name: f.name, ns: refs.ns(f.ns), type: simpleDescriptor(f.value), required: f.required };
    case "any":
      return { node: "any", name: f.name, min: f.min, max: f.max, namespace: f.namespace };
    case "anyAttribute":
      return { node: "anyAttribute", name: f.name };
    case "text":
      return { node: "text", name: f.name, type: simpleDescriptor(f.value) };
  }
}

function typeLiteral(t: ComplexDef, refs: DescriptorRefs): Record<string, unknown> {
  return {
    name: t.name,
    ns: refs.ns(t.ns),
    ...(t.baseClark !== undefined ? { base: t.baseClark } : {}),
    fields: t.fields.map((f) => fieldDescriptor(f, refs)),
  };
}

/** The TypeDescriptor of `t` as data (thunks and the NS const as `Code`), exactly what is printed. */
export function typeDescriptorLiteral(t: ComplexDef, module: NsModule, ctx: EmitContext): Record<string, unknown> {
  return typeLiteral(t, new DescriptorRefs(ctx, module));
}

export function emitDescriptors(module: NsModule, ctx: EmitContext): string {
  const refs = new DescriptorRefs(ctx, module);
  const out: string[] = [];
  for (const t of module.complex) {
    const lit = typeLiteral(t, refs);
    out.push(`${jsdoc([`${t.anonymous ? "Anonymous type of" : "Type"} ${module.prefix}:${t.name}.`])}export const ${ctx.names.types.get(t)}: TypeDescriptor = ${literal(lit)};\n`);
  }
  const messages = ctx.names.messages.get(module) ?? new Map();
  const opInputType = new Map<unknown, ComplexDef>();
  for (const pt of module.portTypes) {
    for (const op of pt.operations) {
      opInputType.set(op.input, op.inputType);
      opInputType.set(op.output, op.outputType);
    }
  }
  for (const [el, name] of messages) {
    const elModule = ctx.program.byNs.get(el.ns)!;
    const lit = { name: el.name, ns: refs.ns(el.ns), type: new Code(`() => ${refs.typeConst(opInputType.get(el)!)}`) };
    out.push(`${jsdoc([`Message element ${elModule.prefix}:${el.name}.`])}export const ${name}: MessageDescriptor = ${literal(lit)};\n`);
  }
  const opNames: string[] = [];
  for (const pt of module.portTypes) {
    for (const op of pt.operations) {
      const name = ctx.names.operations.get(op)!;
      opNames.push(name);
      const doc = docLines(op.doc);
      const lit = {
        name: op.name,
        ns: refs.ns(op.ns),
        prefix: module.prefix,
        soapAction: op.soapAction,
        ...(module.jsonPath !== undefined ? { jsonPath: module.jsonPath } : {}),
        input: new Code(messages.get(op.input)!),
        output: new Code(messages.get(op.output)!),
        ...(doc.length > 0 ? { doc: doc.join("\n").replace(/\*\\\//g, "*/") } : {}),
      };
      out.push(`${jsdoc([`Operation ${module.prefix}:${op.name} (portType ${pt.name}).`])}export const ${name}: OperationDescriptor = ${literal(lit)};\n`);
    }
  }
  const ops = opNames.length === 0 ? "{}" : `{\n${opNames.map((n) => `  ${n},\n`).join("")}}`;
  out.push(`${jsdoc([`Every operation of ${module.ns}, by name.`])}export const operations = ${ops} as const satisfies Readonly<Record<string, OperationDescriptor>>;\n`);

  const used = ["OperationDescriptor"];
  if (module.complex.length > 0) used.push("TypeDescriptor");
  if (messages.size > 0) used.push("MessageDescriptor");
  used.sort();
  const imports =
    `import type { ${used.join(", ")} } from "${ctx.runtime.model}";\n` +
    [...refs.foreign]
      .sort((a, b) => (a.prefix < b.prefix ? -1 : 1))
      .map((m) => `import * as ${m.prefix} from "${moduleRef(module, m, "descriptors")}";\n`)
      .join("");
  const nsConst = module.ns !== "" ? `/** Target namespace of this module. */\nconst NS = ${JSON.stringify(module.ns)};\n\n` : "";
  return `${header(module.sources)}${imports}\n${nsConst}${out.join("\n")}`;
}
