/**
 * The CI examples (examples/ci/github-actions.yml, gitlab-ci.yml) are valid YAML, and every
 * pacs-conformance command they run exists and takes the flags they give it: `run` lines parse
 * with the CLI's own argument parser (CI variables replaced by sample values), `merge-reports` and
 * `device` flags are in those commands' usage.
 */
import { describe, expect, it } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { MERGE_USAGE, parseRunArgs } from "../../conformance/cli.js";
import { DEVICE_USAGE } from "../../src/device/command.js";

const FILES = ["examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"];

/** Every string in a parsed YAML document. */
function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (typeof node === "object" && node !== null) return Object.values(node).flatMap(strings);
  return [];
}

/** The pacs-conformance invocations of a script text: command and arguments, CI variables given sample values. */
function invocations(text: string): { command: string; args: string[] }[] {
  const sample = text
    .replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, "1")
    .replace(/"\$CI_NODE_INDEX\/\$CI_NODE_TOTAL"/g, "1/4")
    .replace(/"reports\/shard-\$CI_NODE_INDEX"/g, "reports/shard-1");
  const out: { command: string; args: string[] }[] = [];
  for (const m of sample.matchAll(/npx pacs-conformance ([a-z-]+)([^\n&>]*)/g)) out.push({ command: m[1]!, args: m[2]!.trim().split(/\s+/).filter((a) => a !== "") });
  return out;
}

describe.each(FILES)("%s", (file) => {
  it("is valid YAML naming real commands with real flags", async () => {
    const doc = parse(await readFile(file, "utf8")) as unknown;
    const calls = strings(doc).flatMap(invocations);
    expect(calls.map((c) => c.command).sort()).toEqual(["device", "merge-reports", "run"]);
    for (const { command, args } of calls) {
      const flags = args.filter((a) => a.startsWith("--"));
      if (command === "run") expect(() => parseRunArgs(args, {})).not.toThrow();
      if (command === "merge-reports") for (const f of flags) expect(MERGE_USAGE).toContain(f);
      if (command === "device") for (const f of flags) expect(DEVICE_USAGE).toContain(f);
    }
  });
});
