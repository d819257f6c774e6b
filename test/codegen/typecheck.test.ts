/**
 * Generated code must type-check under the project's tsconfig (strict, exactOptionalPropertyTypes,
 * verbatimModuleSyntax): generated/ and every golden case's expected/.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/codegen/generate.js";
import { typeCheck } from "./helpers.js";

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : e.endsWith(".ts") ? [p] : [];
  });
}

describe("generated code type-checks", () => {
  const generated = tsFiles(join(PROJECT_ROOT, "generated"));
  (generated.length > 0 ? it : it.skip)("generated/", () => {
    expect(typeCheck(generated)).toEqual([]);
  });

  it("golden expected/ folders", () => {
    const files = tsFiles(join(PROJECT_ROOT, "test", "codegen", "cases")).filter((f) => f.includes(`${"/"}expected${"/"}`));
    expect(files.length).toBeGreaterThan(5);
    expect(typeCheck(files)).toEqual([]);
  });
});
