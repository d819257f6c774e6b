/**
 * Golden cases: test/codegen/cases/<case>/{input.wsdl, options.json, expected/}. The compiler's
 * output must equal expected/ byte for byte. `UPDATE_GOLDEN=1 npm test -- test/codegen` rewrites
 * expected/ (review the diff before committing it). expected/ is type-checked in typecheck.test.ts.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareOutput, generate, writeOutput, PROJECT_ROOT, type ServicesConfig } from "../../src/codegen/generate.js";

const CASES = join(PROJECT_ROOT, "test", "codegen", "cases");

interface CaseOptions {
  description: string;
  inputs?: string[];
  catalog?: string;
  services?: string | ServicesConfig;
}

export function goldenCases(): string[] {
  return readdirSync(CASES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

export async function generateCase(name: string): Promise<{ files: Map<string, string>; expectedDir: string }> {
  const dir = join(CASES, name);
  const opts = JSON.parse(readFileSync(join(dir, "options.json"), "utf8")) as CaseOptions;
  const expectedDir = join(dir, "expected");
  const files = await generate({
    wsdl: (opts.inputs ?? ["input.wsdl"]).map((f) => join(dir, f)),
    outDir: expectedDir,
    ...(opts.catalog !== undefined ? { catalog: join(dir, opts.catalog) } : {}),
    ...(opts.services !== undefined ? { services: typeof opts.services === "string" ? join(dir, opts.services) : opts.services } : {}),
  });
  return { files, expectedDir };
}

describe("golden cases", () => {
  it("has cases", () => {
    expect(goldenCases().length).toBeGreaterThanOrEqual(2);
  });

  it.each(goldenCases())("%s matches expected/", async (name) => {
    const { files, expectedDir } = await generateCase(name);
    if (process.env["UPDATE_GOLDEN"] === "1") {
      writeOutput(expectedDir, files);
      process.stdout.write(`updated golden ${name}/expected (${files.size} files)\n`);
    }
    const drift = compareOutput(expectedDir, files);
    for (const rel of drift.stale) expect(`${rel}:\n${files.get(rel)}`).toBe(`${rel}:\n${readFileSync(join(expectedDir, rel), "utf8")}`);
    expect(drift).toEqual({ stale: [], missing: [], extra: [] });
  });
});
