/**
 * NsModule → generated/<prefix>/schemas.ts: draft-07 JSON Schemas (ajv 8) of the VAPIX JSON
 * bodies: per operation the request (the object inside {"<prefix>:<Op>": …}) and the response
 * body. Attributes and elements are both properties; every complex type is one shared,
 * flattened definition (additionalProperties is false unless the type has a wildcard).
 */
import { Code, header, literal, type EmitContext } from "./emit-common.js";
import type { ComplexDef, FieldDef, ListValue, NsModule, Scalar, ScalarValue, Value } from "./ir.js";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Implicit value ranges of the built-in integer types (their lexical space in JSON numbers). */
const BUILTIN_RANGES: Record<string, [number | undefined, number | undefined]> = {
  "xs:byte": [-128, 127],
  "xs:short": [-32768, 32767],
  "xs:int": [-2147483648, 2147483647],
  "xs:unsignedByte": [0, 255],
  "xs:unsignedShort": [0, 65535],
  "xs:unsignedInt": [0, 4294967295],
  "xs:unsignedLong": [0, undefined],
  "xs:nonNegativeInteger": [0, undefined],
  "xs:positiveInteger": [1, undefined],
  "xs:nonPositiveInteger": [undefined, 0],
  "xs:negativeInteger": [undefined, -1],
};

/** An XSD pattern as an anchored ECMAScript pattern, or undefined if JS cannot express it. */
export function jsonPattern(xsdPatterns: readonly string[]): string | undefined {
  const body = xsdPatterns.length === 1 ? xsdPatterns[0]! : xsdPatterns.map((p) => `(?:${p})`).join("|");
  // XSD patterns match the whole value; XSD-only escapes (\i, \c, \p{Is…}) make RegExp throw.
  const anchored = `^(?:${body})$`;
  try {
    new RegExp(anchored, "u");
    return anchored;
  } catch {
    return undefined;
  }
}

export function scalarSchema(s: Scalar): Record<string, unknown> {
  const type = s.js === "boolean" ? "boolean" : s.js === "number" ? (s.integer ? "integer" : "number") : "string";
  const out: Record<string, unknown> = { type };
  if (s.enum !== undefined && s.enum.length > 0) {
    const values = [...new Set(s.enum)];
    out["enum"] = s.js === "number" ? values.map(Number) : s.js === "boolean" ? values.map((v) => v === "true" || v === "1") : values;
    return out;
  }
  if (s.js === "string") {
    if (s.minLength !== undefined) out["minLength"] = s.minLength;
    if (s.maxLength !== undefined) out["maxLength"] = s.maxLength;
    if (s.patterns !== undefined) {
      const p = jsonPattern(s.patterns);
      if (p !== undefined) out["pattern"] = p;
    }
  }
  if (s.js === "number") {
    const [lo, hi] = BUILTIN_RANGES[s.xsd] ?? [undefined, undefined];
    const min = s.minInclusive ?? lo;
    const max = s.maxInclusive ?? hi;
    if (min !== undefined) out["minimum"] = min;
    if (max !== undefined) out["maximum"] = max;
    if (s.minExclusive !== undefined) out["exclusiveMinimum"] = s.minExclusive;
    if (s.maxExclusive !== undefined) out["exclusiveMaximum"] = s.maxExclusive;
  }
  return out;
}

function listSchema(v: ListValue): Record<string, unknown> {
  return {
    type: "array",
    items: scalarSchema(v.item),
    ...(v.minItems !== undefined ? { minItems: v.minItems } : {}),
    ...(v.maxItems !== undefined ? { maxItems: v.maxItems } : {}),
  };
}

function simpleSchema(v: ScalarValue | ListValue): Record<string, unknown> {
  return v.kind === "scalar" ? scalarSchema(v.scalar) : listSchema(v);
}

export function definitionKey(ctx: EmitContext, t: ComplexDef): string {
  return `${ctx.program.byNs.get(t.ns)!.prefix}.${t.tsName}`;
}

function valueSchema(v: Value, ctx: EmitContext): Record<string, unknown> {
  if (v.kind === "complex") return { $ref: `#/definitions/${definitionKey(ctx, v.type)}` };
  return simpleSchema(v);
}

function fieldSchema(f: FieldDef, ctx: EmitContext): Record<string, unknown> | undefined {
  switch (f.node) {
    case "element": {
      let s = valueSchema(f.value, ctx);
      if (f.nillable) s = { anyOf: [s, { type: "null" }] };
      if (f.max === "unbounded" || f.max > 1) {
        return {
          type: "array",
          items: s,
          ...(f.min > 0 ? { minItems: f.min } : {}),
          ...(f.max !== "unbounded" ? { maxItems: f.max } : {}),
        };
      }
      return s;
    }
    case "attribute":
    case "text":
      return simpleSchema(f.value);
    default:
      // Wildcards have no property of their own in JSON: they open the object instead.
      return undefined;
  }
}

/** The object schema of one complex type (flattened, inherited fields included). */
export function objectSchema(t: ComplexDef, ctx: EmitContext): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const f of t.fields) {
    const s = fieldSchema(f, ctx);
    if (s === undefined) continue;
    properties[f.name] = s;
    if ((f.node === "element" && f.min > 0) || (f.node === "attribute" && f.required) || f.node === "text") required.push(f.name);
  }
  const open = t.fields.some((f) => f.node === "any" || f.node === "anyAttribute");
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: open };
}

/** Complex types reachable from `roots`, in first-visit order. */
function closure(roots: readonly ComplexDef[]): ComplexDef[] {
  const seen = new Set<ComplexDef>();
  const visit = (t: ComplexDef): void => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const f of t.fields) if (f.node === "element" && f.value.kind === "complex") visit(f.value.type);
  };
  roots.forEach(visit);
  return [...seen];
}

export function emitSchemas(module: NsModule, ctx: EmitContext): string {
  const entries: [string, ComplexDef, string][] = [];
  for (const pt of module.portTypes) {
    for (const op of pt.operations) {
      const key = ctx.names.operations.get(op)!;
      entries.push([key, op.inputType, `${module.prefix}:${op.name} request (the object inside {"${module.prefix}:${op.name}": …})`]);
      entries.push([`${key}Response`, op.outputType, `${module.prefix}:${op.name} response body`]);
    }
  }
  const defs = closure(entries.map(([, t]) => t));
  const definitions: Record<string, unknown> = {};
  for (const t of defs) definitions[definitionKey(ctx, t)] = objectSchema(t, ctx);
  const schemas: Record<string, unknown> = {};
  for (const [key, t, title] of entries) {
    schemas[key] = {
      $schema: DRAFT_07,
      $id: `urn:pacs-conformance:${module.prefix}:${key}`,
      title,
      ...objectSchema(t, ctx),
      definitions: new Code("definitions"),
    };
  }
  const keyType = entries.length === 0 ? "never" : entries.map(([k]) => JSON.stringify(k)).join(" | ");
  return (
    `${header(module.sources)}` +
    `/** A JSON Schema (draft-07) document or subschema. */\n` +
    `export type JsonSchema = { readonly [keyword: string]: unknown };\n\n` +
    `/** Complex types reachable from this namespace's messages, keyed "<prefix>.<Type>"; shared by every schema below. */\n` +
    `export const definitions: Readonly<Record<string, JsonSchema>> = ${literal(definitions)};\n\n` +
    `/** Per operation: "<Operation>" = request, "<Operation>Response" = response body. */\n` +
    `export const schemas: Readonly<Record<${keyType}, JsonSchema>> = ${literal(schemas)};\n`
  );
}
