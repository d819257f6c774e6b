/** The generated code by namespace prefix: every `<prefix><Suffix>` module of generated/index.ts. */
import * as generated from "../../generated/index.js";

/** `field` of each `<prefix><suffix>` module (`"Descriptors"` → `operations`, `"Schemas"` → `schemas`), keyed by prefix. */
export function generatedByPrefix<T>(suffix: string, field: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const [name, mod] of Object.entries(generated as Record<string, unknown>)) {
    if (!name.endsWith(suffix) || typeof mod !== "object" || mod === null) continue;
    const value = (mod as Record<string, unknown>)[field];
    if (value !== undefined) out.set(name.slice(0, -suffix.length), value as T);
  }
  return out;
}
