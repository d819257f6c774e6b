/**
 * The package's own folder, found from any of its modules: the sources run from `src/…`,
 * `conformance/…` (development, through tsx) and compiled from `dist/src/…`, `dist/conformance/…`
 * (the published package), so files shipped beside the code (package.json, wsdl/, schemas/) are
 * found by walking up to the package.json that names this package, never by a fixed `../..`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "pacs-conformance";

let cached: string | undefined;

/** The folder holding this package's package.json, from `import.meta.url` of any of its modules. */
export function packageRoot(moduleUrl: string): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === PACKAGE_NAME) return (cached = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`${PACKAGE_NAME}: cannot find its package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
}

/** A file or folder shipped with the package: `packagePath(import.meta.url, "schemas", "results.schema.json")`. */
export function packagePath(moduleUrl: string, ...segments: string[]): string {
  return join(packageRoot(moduleUrl), ...segments);
}
