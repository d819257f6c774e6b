/**
 * The CLI's start time as users meet it: `node bin/pacs-conformance.js list` (the compiled
 * dist/, no TypeScript loader) from spawn to its first line on stdout. Builds dist/ first when it
 * is missing.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const CLI_START_TARGET_MS = 200;
export const CLI_START_RUNS = 11;

export interface CliStartFigure {
  readonly medianMs: number;
  readonly minMs: number;
  /** The same measure of `node -e "console.log(1)"`: Node's own start on this machine, the floor. */
  readonly nodeMs: number;
  readonly runs: number;
  readonly targetMs: number;
  readonly meetsTarget: boolean;
}

/** Milliseconds from spawn to the first stdout bytes of `node <args>`. */
function firstLine(root: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let done = false;
    child.stdout.once("data", () => {
      done = true;
      resolve(performance.now() - t0);
      child.kill();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!done) reject(new Error(`node ${args.join(" ")} exited ${code} without output`));
    });
  });
}

export async function benchCliStart(root: string): Promise<CliStartFigure> {
  if (!existsSync(join(root, "dist", "src", "cli.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  const cli = [join(root, "bin", "pacs-conformance.js"), "list"];
  const median = async (args: readonly string[]): Promise<{ median: number; min: number }> => {
    await firstLine(root, args); // warm the file cache
    const times: number[] = [];
    for (let i = 0; i < CLI_START_RUNS; i++) times.push(await firstLine(root, args));
    times.sort((a, b) => a - b);
    return { median: Math.round((times[Math.floor(times.length / 2)] as number) * 10) / 10, min: Math.round((times[0] as number) * 10) / 10 };
  };
  const node = await median(["-e", "console.log(1)"]);
  const list = await median(cli);
  return { medianMs: list.median, minMs: list.min, nodeMs: node.median, runs: CLI_START_RUNS, targetMs: CLI_START_TARGET_MS, meetsTarget: list.median < CLI_START_TARGET_MS };
}
