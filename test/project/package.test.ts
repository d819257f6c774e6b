/**
 * The package as users get it: built (`npm run build`), packed (`npm pack`), installed into a
 * scratch project outside the repository, and used there from plain Node (no TypeScript loader):
 * every public entry imports, a TypeScript consumer type-checks under NodeNext and Bundler
 * resolution, the reference device starts from code and a check runs from code, and the CLI
 * answers --help. The tarball holds only what users need.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

/** Runs a command, returning its output; a failure shows stdout and stderr. */
async function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** Each public entry, and a name it exports. */
const ENTRIES: readonly [entry: string, name: string][] = [
  ["pacs-conformance", "createSoapBinding"],
  ["pacs-conformance/clients/pacsaxis", "PacsClient"],
  ["pacs-conformance/clients/tac", "AccessControlClient"],
  ["pacs-conformance/clients/tev", "EventClient"],
  ["pacs-conformance/device", "startDevice"],
  ["pacs-conformance/suite", "runConformance"],
];

const CONSUMER = `import { createJsonBinding, createSoapBinding, DeviceFaultError, SERVICE_CATALOG } from "pacs-conformance";
import { PacsClient } from "pacs-conformance/clients/pacsaxis";
import type { AccessPoint } from "pacs-conformance/clients/pacsaxis/types";
import { startDevice, type RunningDevice } from "pacs-conformance/device";
import { runConformance, type RunReport } from "pacs-conformance/suite";

export async function main(): Promise<number> {
  const device: RunningDevice = await startDevice({ host: "127.0.0.1", port: 0 });
  try {
    const binding = createSoapBinding({ baseUrl: device.url, user: "root", password: "pass" });
    const client = new PacsClient(binding);
    const list = await client.getAccessPointList({});
    const first: AccessPoint | undefined = list.AccessPoint?.[0];
    void first;
    await binding.close();
    void createJsonBinding;
    const report: RunReport = await runConformance({ deviceUrl: device.url, ids: ["tac.get-access-point-info.empty-token-list"], transports: ["soap"], ownsDevice: true });
    return report.summary.failed + SERVICE_CATALOG.length * 0;
  } catch (err) {
    if (err instanceof DeviceFaultError) return 3;
    throw err;
  } finally {
    await device.close();
  }
}
`;

describe("the npm package", () => {
  let scratch: string;
  let packed: PackResult;

  beforeAll(async () => {
    await sh(NPM, ["run", "build"], ROOT);
    scratch = await mkdtemp(join(tmpdir(), "pcx-package-"));
    const out = await sh(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], ROOT);
    packed = (JSON.parse(out) as PackResult[])[0]!;
    await writeFile(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    // Dependencies come from npm's cache that `npm ci` filled; install scripts (native builds) are not needed here.
    await sh(NPM, ["install", join(scratch, packed.filename), "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], scratch);
  }, 300_000);

  afterAll(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it("ships only what users need", () => {
    const paths = packed.files.map((f) => f.path);
    const foreign = paths.filter((p) => /^(test|bench|reports|examples|docs|tmp|src|conformance|generated)\//.test(p) || /^(eslint\.config|jest\.config|tsconfig)/.test(p) || /\.test\./.test(p));
    expect(foreign).toEqual([]);
    for (const needed of ["bin/pacs-conformance.js", "dist/src/cli.js", "dist/src/index.d.ts", "dist/generated/pacsaxis/client.js", "dist/generated/pacsaxis/client.d.ts", "dist/src/device/server.js", "dist/conformance/harness/index.js", "dist/check-catalogue.json", "schemas/results.schema.json", "schemas/features.schema.json", "wsdl/pacs/accesscontrol.wsdl", "README.md", "LICENSE", "package.json"]) {
      expect(paths).toContain(needed);
    }
    expect(paths.some((p) => p.endsWith(".js.map"))).toBe(true);
    // Written to the console for the record (the closing note quotes it).
    process.stdout.write(`package: ${packed.files.length} files, ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked\n`);
  });

  it("imports every public entry from plain Node, without a TypeScript loader", async () => {
    const script = ENTRIES.map(([entry, name], i) => `const m${i} = await import(${JSON.stringify(entry)}); if (typeof m${i}[${JSON.stringify(name)}] !== "function") throw new Error(${JSON.stringify(`${entry} lacks ${name}`)});`).join("\n");
    const out = await sh(process.execPath, ["--input-type=module", "-e", `${script}\nconsole.log("ok");`], scratch, { NODE_OPTIONS: "" });
    expect(out.trim()).toBe("ok");
    // Everything else is private.
    await expect(sh(process.execPath, ["--input-type=module", "-e", `await import("pacs-conformance/dist/src/device/state.js")`], scratch)).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  }, 60_000);

  it("type-checks a TypeScript consumer with moduleResolution NodeNext and Bundler", async () => {
    await writeFile(join(scratch, "consumer.ts"), CONSUMER);
    for (const [module, resolution] of [
      ["NodeNext", "NodeNext"],
      ["ESNext", "Bundler"],
    ] as const) {
      const config = { compilerOptions: { module, moduleResolution: resolution, target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] }, files: ["consumer.ts"] };
      await writeFile(join(scratch, `tsconfig.${resolution}.json`), JSON.stringify(config));
      await sh(process.execPath, [TSC, "-p", `tsconfig.${resolution}.json`], scratch);
    }
  }, 120_000);

  it("starts the reference device and runs a check from code", async () => {
    const script = `import { startDevice } from "pacs-conformance/device";
import { runConformance } from "pacs-conformance/suite";
const device = await startDevice({ host: "127.0.0.1", port: 0 });
try {
  const report = await runConformance({ deviceUrl: device.url, ids: ["tac.get-access-point-info.empty-token-list"], transports: ["soap"], ownsDevice: true });
  console.log(JSON.stringify(report.checks.map((c) => [c.id, c.status])));
} finally {
  await device.close();
}`;
    const out = await sh(process.execPath, ["--input-type=module", "-e", script], scratch);
    expect(JSON.parse(out.trim())).toEqual([
      ["tac.get-access-point-info.empty-token-list", "passed"],
      ["harness.data-preserved", "passed"],
    ]);
  }, 120_000);

  it("lists the registry's catalogue from the build's check-catalogue.json", async () => {
    const out = await sh(NPM, ["exec", "--offline", "--", "pacs-conformance", "list", "--json"], scratch);
    const { allChecks } = await import("../../conformance/cases/index.js");
    const { catalogueEntry } = await import("../../conformance/list-command.js");
    expect((JSON.parse(out) as { checks: unknown[] }).checks).toEqual(allChecks.map(catalogueEntry));
  }, 60_000);

  it("generate from the installed package compiles into the user's folder, and never rewrites the package", async () => {
    const pkg = join(scratch, "node_modules", "pacs-conformance");
    const refused = await run(NPM, ["exec", "--offline", "--", "pacs-conformance", "generate"], { cwd: scratch }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toMatch(/is an installed package; compile into your own folder instead: --wsdl .* --out DIR/);
    expect(existsSync(join(pkg, "generated"))).toBe(false);
    const out = await sh(NPM, ["exec", "--offline", "--", "pacs-conformance", "generate", "--wsdl", join(pkg, "wsdl", "axis", "schedule.wsdl"), "--catalog", join(pkg, "wsdl", "catalog.json"), "--out", "clients"], scratch);
    expect(out).toMatch(/^generated \d+ files in .*clients\/ /m);
    expect(existsSync(join(scratch, "clients", "index.ts"))).toBe(true);
  }, 60_000);

  it("answers npx pacs-conformance --help", async () => {
    const out = await sh(NPM, ["exec", "--offline", "--", "pacs-conformance", "--help"], scratch);
    expect(out).toMatch(/usage: pacs-conformance <command>/);
    expect(out).toMatch(/run +run the conformance suite/);
  }, 60_000);
});
