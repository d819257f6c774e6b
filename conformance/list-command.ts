/**
 * `pacs-conformance list`: the check catalogue. The compiled package reads it from
 * check-catalogue.json, written beside dist/'s modules by the build from the same registry
 * (`npm run build`, scripts/build.mjs), so that listing does not load 700 check definitions and
 * every namespace's descriptors; from the sources it is taken from the registry itself.
 */
import { readFile } from "node:fs/promises";
import type { CheckDefinition } from "./harness/types.js";
import type { CliIo } from "./cli.js";
import { matchesGrep } from "./harness/select.js";
import { errorMessage } from "./harness/verdict.js";
import { parseFlags } from "./flags.js";

const DEFAULT_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** One check as `list --json` and check-catalogue.json describe it. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly service: string;
  readonly rule: string;
  readonly specRefs: readonly string[];
  readonly transports: readonly string[] | "both";
  readonly quirk: string;
  readonly notes?: string;
}

/** Where the build writes the catalogue: beside the compiled conformance/ folder (dist/check-catalogue.json). */
export const CATALOGUE_FILE = new URL("../check-catalogue.json", import.meta.url);

export function catalogueEntry(c: CheckDefinition): CatalogueEntry {
  return { id: c.id, title: c.title, service: c.service, rule: c.rule, specRefs: [...c.specRefs], transports: c.transports === "both" ? "both" : [...c.transports], quirk: c.quirk, ...(c.notes === undefined ? {} : { notes: c.notes }) };
}

/** The catalogue of every check, in run order: the build's file when there is one, else the registry. */
export async function loadCatalogue(): Promise<CatalogueEntry[]> {
  if (import.meta.url.endsWith(".js")) {
    try {
      return (JSON.parse(await readFile(CATALOGUE_FILE, "utf8")) as { checks: CatalogueEntry[] }).checks;
    } catch {
      // no build output beside us: fall back to the registry
    }
  }
  const { allChecks } = await import("./cases/index.js");
  return allChecks.map(catalogueEntry);
}

export const LIST_USAGE = `usage: pacs-conformance list [--grep TEXT] [--json]

Prints every check: id, title and spec references (doc sections, ONVIF test ids); with --json, the
catalogue as one JSON document for tools (id, title, service, rule, specRefs, transports, quirk).`;

export async function listCommand(argv: string[], io: CliIo = DEFAULT_IO): Promise<number> {
  let grep: string | undefined;
  let json = false;
  try {
    const { values, switches } = parseFlags("list", argv, { "--grep": "value", "--json": "switch", "--help": "switch" });
    if (switches.has("--help")) {
      io.stdout.write(`${LIST_USAGE}\n`);
      return 0;
    }
    grep = values.get("--grep");
    json = switches.has("--json");
  } catch (err) {
    io.stderr.write(`pacs-conformance ${errorMessage(err)}\n`);
    return 2;
  }
  const checks = (await loadCatalogue()).filter((c) => matchesGrep(c, grep));
  if (json) {
    io.stdout.write(`${JSON.stringify({ tool: "pacs-conformance", checks }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const c of checks) {
    const transports = c.transports === "both" ? "soap+json together" : c.transports.join(", ");
    lines.push(`${c.id}`, `    ${c.title}`, `    spec: ${c.specRefs.join(", ")}`, `    runs on: ${transports}; broken by quirk: ${c.quirk}`);
  }
  lines.push(`${checks.length} check(s)`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
