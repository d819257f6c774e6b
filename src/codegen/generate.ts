/**
 * The compiler's library API: WSDL files → Map<relative path, file contents>, plus the helpers
 * the CLI uses to write that map to disk exactly or compare it with what is there.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { compileProgram, type NamespaceConfig } from "./compile.js";
import { DescriptorNames, HEADER_MARK, header, type EmitContext, type RuntimeImports } from "./emit-common.js";
import { emitClient } from "./emit-client.js";
import { emitDescriptors } from "./emit-descriptors.js";
import { emitSchemas } from "./emit-schemas.js";
import { emitTypes } from "./emit-types.js";
import { CodegenError } from "./errors.js";
import type { Program } from "./ir.js";
import { displayPath, loadSchemaSet, readCatalog, readJson } from "./loader.js";
import { packageRoot } from "../package-root.js";

/** The project root (where package.json is), from sources and from the compiled dist/ alike. */
export const PROJECT_ROOT = packageRoot(import.meta.url);

export interface GenerateOptions {
  /** WSDL (or XSD) files to compile together; relative paths are relative to `root`. */
  readonly wsdl: readonly string[];
  /** Output folder the files are meant for (for the runtime import path); default `<root>/generated`. */
  readonly outDir?: string;
  /** Catalog JSON mapping remote schema URLs to local files. */
  readonly catalog?: string;
  /** services.json path, or its content: {"namespaces": {"<uri>": {"prefix", "jsonPath"?}}}. */
  readonly services?: string | ServicesConfig;
  /** Paths in headers and messages are shown relative to this; default: the project root. */
  readonly root?: string;
  /**
   * Emit every global element of the imported schemas too, reachable or not; default false.
   * projectOptions sets it: wsdl/ holds only our own schemas, and tt:Message travels inside xs:any.
   */
  readonly allElements?: boolean;
}

/** The shape of wsdl/services.json. */
export interface ServicesConfig {
  readonly namespaces: Readonly<Record<string, { readonly prefix: string; readonly jsonPath?: string }>>;
}

export interface GenerateResult {
  /** Path relative to the output folder (forward slashes) → contents. Sorted by path. */
  readonly files: Map<string, string>;
  /** Non-fatal findings (skipped one-way operations, untyped elements…). */
  readonly warnings: readonly string[];
  readonly program: Program;
  /** What the emitters saw (names of descriptor consts, runtime import paths). */
  readonly context: EmitContext;
}

/** Compiles and returns the files it would write; throws CodegenError (check `code`) on bad input. */
export async function generate(options: GenerateOptions): Promise<Map<string, string>> {
  return (await generateWithReport(options)).files;
}

export async function generateWithReport(options: GenerateOptions): Promise<GenerateResult> {
  const root = resolve(options.root ?? PROJECT_ROOT);
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(root, p));
  const display = (p: string): string => displayPath(root, p);
  if (options.wsdl.length === 0) throw new CodegenError("USAGE", "no input files: pass at least one WSDL (--wsdl FILE…)");
  const catalog = options.catalog !== undefined ? readCatalog(abs(options.catalog), display) : undefined;
  const namespaces =
    options.services === undefined
      ? undefined
      : typeof options.services === "string"
        ? checkServices(readJson(abs(options.services), display(abs(options.services)), "services"), display(abs(options.services)))
        : checkServices(options.services, "services option");
  const set = loadSchemaSet({ inputs: options.wsdl.map(abs), ...(catalog ? { catalog } : {}), display });
  const program = compileProgram(set, { ...(namespaces ? { namespaces } : {}), ...(options.allElements === true ? { allElements: true } : {}) });
  const outDir = abs(options.outDir ?? "generated");
  const ctx: EmitContext = { program, runtime: runtimeImports(outDir), names: new DescriptorNames(program) };
  const files = new Map<string, string>();
  for (const m of program.modules) {
    files.set(`${m.prefix}/types.ts`, emitTypes(m, ctx));
    files.set(`${m.prefix}/descriptors.ts`, emitDescriptors(m, ctx));
    if (m.portTypes.length > 0) {
      files.set(`${m.prefix}/client.ts`, emitClient(m, ctx));
      files.set(`${m.prefix}/schemas.ts`, emitSchemas(m, ctx));
    }
  }
  files.set("index.ts", emitIndex(program, files));
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sorted, warnings: program.warnings, program, context: ctx };
}

function checkServices(value: unknown, shown: string): Map<string, NamespaceConfig> {
  const json = value as { namespaces?: unknown } | null;
  const ns = json !== null && typeof json === "object" ? json.namespaces : undefined;
  if (ns === undefined || ns === null || typeof ns !== "object" || Array.isArray(ns)) {
    throw new CodegenError("CONFIG_INVALID", `${shown}: expected {"namespaces": {"<namespace URI>": {"prefix": "…", "jsonPath"?: "…"}}}`);
  }
  const out = new Map<string, NamespaceConfig>();
  for (const [uri, raw] of Object.entries(ns as Record<string, unknown>)) {
    const c = raw as { prefix?: unknown; jsonPath?: unknown } | null;
    if (c === null || typeof c !== "object" || typeof c.prefix !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.prefix)) {
      throw new CodegenError("CONFIG_INVALID", `${shown}: namespaces["${uri}"] needs "prefix": an identifier such as "tac"`);
    }
    if (c.jsonPath !== undefined && (typeof c.jsonPath !== "string" || !c.jsonPath.startsWith("/"))) {
      throw new CodegenError("CONFIG_INVALID", `${shown}: namespaces["${uri}"].jsonPath must be a path starting with "/", e.g. "/vapix/pacs"`);
    }
    out.set(uri, { prefix: c.prefix, ...(typeof c.jsonPath === "string" ? { jsonPath: c.jsonPath } : {}) });
  }
  return out;
}

/** Runtime module specifiers as seen from `<outDir>/<prefix>/`. */
function runtimeImports(outDir: string): RuntimeImports {
  const runtimeDir = join(PROJECT_ROOT, "src", "runtime");
  let rel = relative(join(outDir, "x"), runtimeDir).split("\\").join("/");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  if (existsSync(join(runtimeDir, "index.ts"))) return { binding: `${rel}/index.js`, model: `${rel}/index.js` };
  return { binding: `${rel}/binding.js`, model: `${rel}/model.js` };
}

function emitIndex(program: Program, files: ReadonlyMap<string, string>): string {
  const lines: string[] = [];
  const taken = new Set<string>();
  const name = (wanted: string): string => {
    let n = wanted;
    for (let i = 2; taken.has(n); i++) n = `${wanted}${i}`;
    taken.add(n);
    return n;
  };
  // Claim the bare prefixes first so that "<prefix>Types" can never steal one.
  for (const m of program.modules) taken.add(m.prefix);
  for (const m of program.modules) {
    lines.push(`// ${m.prefix}: ${m.ns}`);
    if (files.has(`${m.prefix}/client.ts`)) lines.push(`export * as ${m.prefix} from "./${m.prefix}/client.js";`);
    lines.push(`export type * as ${name(`${m.prefix}Types`)} from "./${m.prefix}/types.js";`);
    lines.push(`export * as ${name(`${m.prefix}Descriptors`)} from "./${m.prefix}/descriptors.js";`);
    if (files.has(`${m.prefix}/schemas.ts`)) lines.push(`export * as ${name(`${m.prefix}Schemas`)} from "./${m.prefix}/schemas.js";`);
  }
  return `${header(program.inputs)}/**\n * Every generated namespace: "<prefix>" = its client classes, "<prefix>Types", "<prefix>Descriptors",\n * "<prefix>Schemas" = its types.ts, descriptors.ts and schemas.ts.\n */\n${lines.join("\n")}\n`;
}

export interface Drift {
  /** On disk but different. */
  readonly stale: string[];
  /** Would be generated but absent. */
  readonly missing: string[];
  /** Generated files (our header) on disk that would no longer be generated. */
  readonly extra: string[];
}

/** Files under `dir` (relative, forward slashes) whose first line is our @generated header. */
function generatedFilesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith(".ts") && readFileSync(p, "utf8").startsWith(HEADER_MARK)) out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}

export function compareOutput(outDir: string, files: ReadonlyMap<string, string>): Drift {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [rel, text] of files) {
    const p = join(outDir, rel);
    if (!existsSync(p)) missing.push(rel);
    else if (readFileSync(p, "utf8") !== text) stale.push(rel);
  }
  const extra = generatedFilesIn(outDir).filter((rel) => !files.has(rel));
  return { stale, missing, extra };
}

/** Writes `files` under `outDir` and deletes our generated files that are no longer produced. */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>): { written: string[]; deleted: string[] } {
  const drift = compareOutput(outDir, files);
  const written = [...drift.stale, ...drift.missing].sort();
  for (const rel of written) {
    const p = join(outDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, files.get(rel)!);
  }
  for (const rel of drift.extra) {
    unlinkSync(join(outDir, rel));
    // Remove folders the deletion emptied, up to outDir.
    for (let d = dirname(join(outDir, rel)); d !== outDir && d.startsWith(outDir) && readdirSync(d).length === 0; d = dirname(d)) rmdirSync(d);
  }
  return { written, deleted: drift.extra };
}

/** The project's own inputs: wsdl/**\/*.wsdl with wsdl/services.json and wsdl/catalog.json. */
export function projectOptions(root = PROJECT_ROOT): GenerateOptions {
  const wsdlDir = join(root, "wsdl");
  if (!existsSync(wsdlDir)) throw new CodegenError("FILE_NOT_FOUND", `${displayPath(root, wsdlDir)}: no wsdl/ folder; run from the project root or pass --wsdl FILE… --out DIR`);
  const inputs: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith(".wsdl")) inputs.push(p);
    }
  };
  walk(wsdlDir);
  if (inputs.length === 0) throw new CodegenError("FILE_NOT_FOUND", `${displayPath(root, wsdlDir)}: no *.wsdl files to compile`);
  const services = join(wsdlDir, "services.json");
  const catalog = join(wsdlDir, "catalog.json");
  return {
    wsdl: inputs,
    outDir: join(root, "generated"),
    root,
    allElements: true,
    ...(existsSync(services) ? { services } : {}),
    ...(existsSync(catalog) ? { catalog } : {}),
  };
}
