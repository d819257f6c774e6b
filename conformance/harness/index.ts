/**
 * The library API: `runConformance(options)` runs the suite against a device and returns the
 * RunReport (reporters see it as it happens). Throws UsageError (bad options) or PreflightError
 * (device unreachable / credentials rejected) before any check runs.
 */
import { readFileSync } from "node:fs";
import type { RunOptions, RunReport } from "./types.js";
import type { EntityDeclaration } from "./entity.js";
import { resolveConfig, runChecks } from "./runner.js";
import { packagePath } from "../../src/package-root.js";

export type * from "./types.js";
export { PreflightError, UsageError } from "./verdict.js";
export { DATA_PRESERVED_ID, TOOL_NAME, buildPlan } from "./runner.js";
export { selectChecks, matchesGrep } from "./select.js";

/** Version of the tool, from package.json. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packagePath(import.meta.url, "package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export interface LibraryRunOptions extends RunOptions {
  /** Entity declarations for the data snapshot (default: every built-in declaration). */
  readonly entities?: readonly EntityDeclaration[];
}

export async function runConformance(options: LibraryRunOptions): Promise<RunReport> {
  const registry = await import("../cases/index.js");
  const connector =
    options.connector ??
    (async (o: Parameters<NonNullable<RunOptions["connector"]>>[0]) => (await import("./connect.js")).connectDevice(o));
  const config = resolveConfig(options, { checks: registry.allChecks, entities: registry.allEntities, connector, toolVersion: toolVersion() }, options.entities);
  return runChecks(config);
}
