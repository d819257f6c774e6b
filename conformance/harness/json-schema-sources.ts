/**
 * Where the generated JSON Schemas come from: `generated/<prefix>/schemas.ts`, one record of
 * message-element name → schema per namespace prefix. Kept apart so the validator itself does
 * not depend on the generated file layout.
 */
import { schemas as tacSchemas } from "../../generated/tac/schemas.js";
import { schemas as pacsaxisSchemas } from "../../generated/pacsaxis/schemas.js";

type AnySchema = Record<string, unknown>;

export async function jsonSchemaSources(): Promise<Map<string, Readonly<Record<string, AnySchema>>>> {
  return new Map<string, Readonly<Record<string, AnySchema>>>([
    ["tac", tacSchemas as unknown as Readonly<Record<string, AnySchema>>],
    ["pacsaxis", pacsaxisSchemas as unknown as Readonly<Record<string, AnySchema>>],
  ]);
}
