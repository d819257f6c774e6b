/**
 * The generated operations by name (`"<prefix>:<Operation>"` → descriptor) and where a raw request
 * for one goes. Kept apart from connect.ts so that checks and `list` do not load the HTTP stack.
 */
import type { OperationDescriptor } from "../../src/runtime/model.js";
import { generatedByPrefix } from "./generated.js";

/** prefix → operation name → descriptor, from every `<prefix>Descriptors` module. */
const OPERATIONS: ReadonlyMap<string, Readonly<Record<string, OperationDescriptor>>> = generatedByPrefix("Descriptors", "operations");

/** The descriptor of `"<prefix>:<Operation>"`, if the generated code has it. */
export function operationDescriptor(op: string): OperationDescriptor | undefined {
  const i = op.indexOf(":");
  return i < 0 ? undefined : OPERATIONS.get(op.slice(0, i))?.[op.slice(i + 1)];
}

const SOAP_PATH = "/vapix/services";
const JSON_FALLBACK_PATH = "/vapix/pacs";

/** Where a raw request goes when it names no path: SOAP's endpoint, or the operation's JSON path. */
export function defaultRawPath(protocol: "soap" | "json", operation: string | undefined): string {
  if (protocol === "soap") return SOAP_PATH;
  return (operation === undefined ? undefined : operationDescriptor(operation)?.jsonPath) ?? JSON_FALLBACK_PATH;
}
