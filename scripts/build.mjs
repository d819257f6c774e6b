// npm run build (and prepare): compiles src/, generated/ and conformance/ into dist/ (ESM, .d.ts,
// source maps), then writes dist/check-catalogue.json from the compiled registry, which
// `pacs-conformance list` reads instead of loading every check definition.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });

const { allChecks } = await import(pathToFileURL(join(dist, "conformance", "cases", "index.js")).href);
const { catalogueEntry, CATALOGUE_FILE } = await import(pathToFileURL(join(dist, "conformance", "list-command.js")).href);
writeFileSync(CATALOGUE_FILE, `${JSON.stringify({ tool: "pacs-conformance", checks: allChecks.map(catalogueEntry) })}\n`);
console.log(`dist/: compiled; ${allChecks.length} checks in ${fileURLToPath(CATALOGUE_FILE).slice(root.length + 1)}`);
