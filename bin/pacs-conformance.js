#!/usr/bin/env node
// The published entry: runs the compiled CLI (dist/, built by `npm run build`, which `prepare`
// runs on install from git and before `npm pack`). In a checkout without a build it falls back to
// the TypeScript sources through tsx, a development dependency.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/src/cli.js", import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli.ts"));
}
process.exitCode = await main(process.argv.slice(2));
