/**
 * `pacs-conformance generate` (also `npm run generate`, or `tsx src/codegen/cli.ts …` directly).
 *
 *   generate                      wsdl/**\/*.wsdl (+ wsdl/services.json, wsdl/catalog.json) → generated/
 *   generate --check              exit 1 if generated/ differs from what would be generated
 *   generate --wsdl F… --out DIR [--catalog FILE] [--services FILE]   third-party WSDLs
 *
 * Exit codes: 0 ok, 1 stale output (--check) or an input error, 2 usage error.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CodegenError } from "./errors.js";
import { PROJECT_ROOT, compareOutput, generateWithReport, projectOptions, writeOutput, type GenerateOptions } from "./generate.js";

export { generate, generateWithReport, compareOutput, writeOutput, projectOptions, type GenerateOptions } from "./generate.js";
export { CodegenError, type CodegenErrorCode } from "./errors.js";

const USAGE = `usage: pacs-conformance generate [--check]
       pacs-conformance generate --wsdl FILE... --out DIR [--catalog FILE] [--services FILE] [--check]

Without --wsdl, compiles wsdl/**/*.wsdl (with wsdl/services.json and wsdl/catalog.json) into generated/,
rewriting it exactly (in a development checkout only; from an installed package, give --wsdl and --out). --check writes nothing and exits 1 when the output on disk is stale.
Remote schema locations are never fetched: map them to local files in the catalog
({"<url>": "<path relative to the catalog>"}).`;

interface Parsed {
  check: boolean;
  help: boolean;
  wsdl: string[];
  out?: string;
  catalog?: string;
  services?: string;
}

function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = { check: false, help: false, wsdl: [] };
  const value = (flag: string, i: number): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new CodegenError("USAGE", `${flag} needs a value, e.g. ${flag} ${flag === "--out" ? "out/onvif" : "wsdl/catalog.json"}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case "--check":
        p.check = true;
        break;
      case "--help":
      case "-h":
        p.help = true;
        break;
      case "--wsdl":
        if (argv[i + 1] === undefined || argv[i + 1]!.startsWith("--")) throw new CodegenError("USAGE", "--wsdl needs at least one file, e.g. --wsdl a.wsdl b.wsdl");
        while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) p.wsdl.push(argv[++i]!);
        break;
      case "--out":
      case "-o":
        p.out = value("--out", i++);
        break;
      case "--catalog":
        p.catalog = value("--catalog", i++);
        break;
      case "--services":
        p.services = value("--services", i++);
        break;
      default:
        throw new CodegenError("USAGE", `unknown argument "${a}"; see --help`);
    }
  }
  if (p.wsdl.length > 0 && p.out === undefined) throw new CodegenError("USAGE", "--wsdl needs --out DIR (where to write the generated files)");
  if (p.wsdl.length === 0 && (p.catalog !== undefined || p.services !== undefined)) {
    throw new CodegenError("USAGE", "--catalog/--services go with --wsdl FILE…; without --wsdl the project's wsdl/catalog.json and wsdl/services.json are used");
  }
  return p;
}

export async function generateCommand(argv: readonly string[]): Promise<number> {
  let args: Parsed;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`pacs-conformance generate: ${(err as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cwd = process.cwd();
  let options: GenerateOptions;
  let outDir: string;
  try {
    if (args.wsdl.length > 0) {
      outDir = resolve(cwd, args.out!);
      options = {
        wsdl: args.wsdl.map((f) => resolve(cwd, f)),
        outDir,
        ...(args.catalog !== undefined ? { catalog: resolve(cwd, args.catalog) } : {}),
        ...(args.services !== undefined ? { services: resolve(cwd, args.services) } : {}),
      };
    } else {
      // An installed package ships the compiled clients (dist/), not the project's generated/ sources.
      if (!existsSync(join(PROJECT_ROOT, "generated"))) {
        throw new CodegenError(
          "USAGE",
          `without --wsdl, generate rewrites the project's generated/ in a development checkout, and ${PROJECT_ROOT} is an installed package; compile into your own folder instead: --wsdl ${join(PROJECT_ROOT, "wsdl", "axis", "schedule.wsdl")} --catalog ${join(PROJECT_ROOT, "wsdl", "catalog.json")} --out DIR`,
        );
      }
      options = projectOptions(PROJECT_ROOT);
      outDir = options.outDir!;
    }
    const { files, warnings } = await generateWithReport(options);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const shownOut = outDir.startsWith(PROJECT_ROOT) ? outDir.slice(PROJECT_ROOT.length + 1) || "." : outDir;
    if (args.check) {
      const drift = compareOutput(outDir, files);
      const problems = [
        ...drift.stale.map((f) => `  stale:   ${shownOut}/${f}`),
        ...drift.missing.map((f) => `  missing: ${shownOut}/${f}`),
        ...drift.extra.map((f) => `  extra:   ${shownOut}/${f}`),
      ];
      if (problems.length > 0) {
        const fix = args.wsdl.length > 0 ? "rerun without --check" : "run `npm run generate`";
        process.stderr.write(`${shownOut}/ is out of date with its WSDL (${problems.length} file(s)):\n${problems.join("\n")}\n${fix} and commit the result\n`);
        return 1;
      }
      process.stdout.write(`${shownOut}/ is up to date (${files.size} files)\n`);
      return 0;
    }
    const { written, deleted } = writeOutput(outDir, files);
    process.stdout.write(`generated ${files.size} files in ${shownOut}/ (${written.length} written, ${deleted.length} deleted, ${files.size - written.length} unchanged)\n`);
    return 0;
  } catch (err) {
    if (err instanceof CodegenError || (err as { code?: unknown }).code !== undefined) {
      process.stderr.write(`pacs-conformance generate: ${(err as Error).message}\n`);
      return (err as CodegenError).code === "USAGE" ? 2 : 1;
    }
    throw err;
  }
}

// `tsx src/codegen/cli.ts …` runs this module directly.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  generateCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pacs-conformance generate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
