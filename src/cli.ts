/**
 * The `pacs-conformance` command: the composition root that wires the compiler, the reference
 * device and the conformance suite behind one bin. Each subcommand lives in its own module and is
 * loaded lazily so `device` never pays for the compiler and vice versa.
 */
import { pathToFileURL } from "node:url";
import { packagePath } from "./package-root.js";

const USAGE = `usage: pacs-conformance <command> [options]

commands:
  run       run the conformance suite (default target: the built-in reference door controller)
  list      list every check with its id, title and spec references
  merge-reports  merge the reports of the shards of one run (run --shard i/n)
  device    serve the reference door controller until stopped
  site      serve a network of 1 to 33 reference door controllers until stopped
  generate  compile WSDL/XSD into typed clients (default: wsdl/ → generated/)

Run "pacs-conformance <command> --help" for the options of one command.`;

export async function main(argv: readonly string[]): Promise<number> {
  // `pacs-conformance list | head`: a reader that stops early is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return (await import("../conformance/cli.js")).runCommand(rest, undefined, (await import("./embedded-targets.js")).embeddedTargets);
    case "list":
      return (await import("../conformance/list-command.js")).listCommand(rest);
    case "merge-reports":
      return (await import("../conformance/cli.js")).mergeReportsCommand(rest);
    case "device":
      return (await import("./device/server.js")).deviceCommand(rest);
    case "site":
      return (await import("./device/server.js")).siteCommand(rest);
    case "generate":
      return (await import("./codegen/cli.js")).generateCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    case "--version":
    case "-V":
      process.stdout.write(`${await toolVersion()}\n`);
      return 0;
    default:
      process.stderr.write(`pacs-conformance: unknown command "${command}"; use one of run, list, merge-reports, device, site, generate (see --help)\n`);
      return 2;
  }
}

async function toolVersion(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(packagePath(import.meta.url, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

// `tsx src/cli.ts …` (the npm scripts) runs this module directly.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pacs-conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
