/**
 * Where the generated JSON Schemas come from: every `<prefix>Schemas` module of
 * generated/index.ts, one record of message-element name → schema per namespace prefix. Kept
 * apart so the validator itself does not depend on the generated file layout.
 */
import * as generated from "../../generated/index.js";

type AnySchema = Record<string, unknown>;

export async function jsonSchemaSources(): Promise<Map<string, Readonly<Record<string, AnySchema>>>> {
  const out = new Map<string, Readonly<Record<string, AnySchema>>>();
  for (const [name, mod] of Object.entries(generated as Record<string, unknown>)) {
    if (!name.endsWith("Schemas") || typeof mod !== "object" || mod === null) continue;
    const schemas = (mod as { schemas?: Readonly<Record<string, AnySchema>> }).schemas;
    if (schemas !== undefined) out.set(name.slice(0, -"Schemas".length), schemas);
  }
  return out;
}
