/**
 * Where the generated JSON Schemas come from: every `<prefix>Schemas` module of
 * generated/index.ts, one record of message-element name → schema per namespace prefix. Kept
 * apart so the validator itself does not depend on the generated file layout.
 */
import { generatedByPrefix } from "./generated.js";

type AnySchema = Record<string, unknown>;

export async function jsonSchemaSources(): Promise<Map<string, Readonly<Record<string, AnySchema>>>> {
  return generatedByPrefix<Readonly<Record<string, AnySchema>>>("Schemas", "schemas");
}
