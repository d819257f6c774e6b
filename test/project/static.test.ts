// The whole project type-checks under its strict tsconfig and passes ESLint, whose
// no-restricted-imports rules hold the dependency arrows of docs/architecture.md.
import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";
import ts from "typescript";

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics.slice(0, 20), {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => "\n",
  });
}

describe("project", () => {
  it("type-checks (tsc --noEmit)", () => {
    const configPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, "tsconfig.json")!;
    const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(config.fileNames, config.options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    expect(formatDiagnostics(diagnostics)).toBe("");
  }, 180_000);

  it("passes ESLint, including the import-direction rules", async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const results = await eslint.lintFiles(["."]);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}: ${m.ruleId ?? ""} ${m.message}`));
    expect(problems).toEqual([]);
  }, 180_000);
});
