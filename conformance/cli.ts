/**
 * `pacs-conformance run`, `list` and `merge-reports`. The suite never imports the device: when
 * no --device is given, `run` starts the one the composition root hands it (EmbeddedTargets;
 * src/cli.ts passes src/embedded-targets.ts) and reaches it over the wire like any other.
 *
 * Exit codes: 0 nothing failed or errored · 1 something failed or errored · 2 usage error, device
 * unreachable or credentials rejected · 130 interrupted (SIGINT; cleanup and reports still run).
 */
import { X509Certificate } from "node:crypto";
import { dirname, resolve } from "node:path";
import type { FeatureState, Protocol, Reporter, RunReport } from "./harness/types.js";
import { runConformance } from "./harness/index.js";
import { selectChecks } from "./harness/select.js";
import { errorCode, errorMessage, UsageError } from "./harness/verdict.js";
import { durationsOf, mergeShards, parseShard, type ShardReport, type ShardSpec } from "./harness/shard.js";
import { gateFails, parseBaseline, parseExpectations, unknownExpectations, type Expectation, type FailOn } from "./harness/gate.js";
import { parseFeatureDeclaration } from "./harness/features.js";
import { ConsoleReporter, HtmlReporter, JsonReporter, JunitReporter } from "./reporters/index.js";
import { packagePath } from "../src/package-root.js";
import { parseFlags } from "./flags.js";

export { LIST_USAGE, listCommand } from "./list-command.js";

/** Where output goes; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
}

const DEFAULT_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

export const RUN_USAGE = `usage: pacs-conformance run [options]

Runs the conformance checks (AccessControl, DoorControl, IdPoint, I/O assignment, Schedule,
User, the event logger, ONVIF events, keystore, third-party credentials, peripherals, identity
and accounts, door controller networks) over SOAP and/or VAPIX JSON and writes results.json and
junit.xml.

options:
  --device URL         device base URL (default: start the built-in reference device on 127.0.0.1)
  --ca FILE            https:// devices: the PEM certificate(s) to trust, e.g. the device's
                       self-signed one or its CA (default: the system CAs)
  --insecure           https:// devices: skip certificate verification (the reports say so)
  --user U             user name (default root)
  --password P         password (default: $PACS_PASSWORD, else pass; never printed or written)
  --transport T        soap, json or both (default both)
  --grep TEXT          only checks whose id or title contains TEXT (case-insensitive)
  --report-dir DIR     where results.json, junit.xml and index.html go (default reports/latest)
  --reporter NAME      console, dot, json, junit or html (repeatable or comma-separated; default
                       console, json, junit and html)
  --timeout MS         timeout per device call in milliseconds (default 10000)
  --seed N             seed for random choices such as paging limits (default: random, reported)
  --door TOKEN         a door of --device the suite may command (lock, unlock, access; its mode is
                       restored); repeatable. Without it, door-command checks use only doors the run
                       creates, and skip the others naming this flag.
  --io NAME            a free I/O of --device (its IoName) the suite may assign to a free IoUser and
                       unassign again; repeatable. Without it, the I/O assignment check is skipped
                       against --device, naming this flag.
  --event-wait MS      how long an event check waits for an expected event before it fails
                       (default 5000)
  --interactive        ask on this terminal for physical stimuli (open a door, present a card) the
                       device has no back door for; without it such checks are skipped
  --peer URL           another door controller of --device's network (same --user/--password);
                       repeatable. The network checks (replication, UUID routing, majority rule,
                       catch-up, event distribution) need at least one; without any they are skipped.
  --site N             instead of --device: start an embedded site of N reference controllers
                       (2 to 33, joined in one network) and test the first with the others as peers
  --expect FILE        known deviations (JSON or YAML: a list of {id, reason, transport?, issue?}):
                       their failures are reported expected-fail and do not fail the run; one
                       that passes is reported unexpectedly-passed
  --strict-expect      an unexpectedly-passed check fails the run (keeps the --expect list honest)
  --baseline FILE      compare with an earlier run's results.json: new failures, still failing,
                       fixed, added and removed checks (console, results.json)
  --features FILE      the device's features as its vendor declares them (a features.json of an
                       earlier run, or {"features": [{"id": "service:axtpc", "state": "not-supported"}]}):
                       the declared states decide which checks run; discovery still runs and every
                       difference is reported (console, features.json)
  --fail-on any|new    what fails the run: any failed or errored check (default), or only new
                       failures against --baseline
  --strict             a warned check fails the run too
  --retries N          run a failed or errored check again, up to N times (0-10, default 0); one
                       that then passes is reported flaky, never passed
  --shard i/n          run only shard i of n of the selected checks (deterministic and balanced:
                       by the durations in --baseline when given, else by count); each shard is a
                       whole, safe run; join the shards' reports with merge-reports
  --config FILE        defaults for these options from a JSON file (default: pacs-conformance.config.json
                       in the working directory, when there is one; schemas/config.schema.json);
                       a flag on the command line wins
  --allow-network-changes
                       let network checks remove the last --peer from the network and add it
                       again (and send membership requests a wrong device would act on); without
                       it they use the network as it is and skip what would change it
  -h, --help           this help

Without --device, the built-in reference device runs with a virtual clock and its back door, so
every door, schedule and access-decision scenario runs unattended.

exit codes: 0 all passed (warnings allowed unless --strict), 1 a check failed or errored (or
            what --fail-on, --strict and --strict-expect say fails the gate),
            2 usage error / device unreachable / credentials rejected, 130 interrupted`;

interface RunArgs {
  device?: string;
  /** --ca FILE (read by runCommand). */
  ca?: string;
  insecure: boolean;
  user: string;
  password: string;
  transports: Protocol[];
  grep?: string;
  reportDir: string;
  timeoutMs: number;
  eventWaitMs: number;
  seed?: number;
  doors: string[];
  ios: string[];
  interactive: boolean;
  peers: string[];
  site?: number;
  allowNetworkChanges: boolean;
  expect?: string;
  strictExpect: boolean;
  baseline?: string;
  /** --features FILE (read by runCommand). */
  features?: string;
  failOn: FailOn;
  strict: boolean;
  shard?: ShardSpec;
  retries: number;
  reporters: ReporterName[];
  help: boolean;
}

const REPORTERS = ["console", "dot", "json", "junit", "html"] as const;
type ReporterName = (typeof REPORTERS)[number];

/** One reporter by name: console (summary and failures), dot (the same with a progress mark per check), json, junit, html. */
function reporterFor(name: ReporterName, dir: string, io: CliIo): Reporter {
  switch (name) {
    case "console":
      return new ConsoleReporter({ stream: io.stdout });
    case "dot":
      return new ConsoleReporter({ stream: io.stdout, progress: true });
    case "json":
      return new JsonReporter(dir);
    case "junit":
      return new JunitReporter(dir);
    case "html":
      return new HtmlReporter(dir);
  }
}

function positiveInt(name: string, raw: string, example: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`run: ${name} "${raw}" must be a positive whole number, for example ${name} ${example}`);
  }
  return Number(raw);
}

/** Reads a file named with `flag`; a missing or unreadable one is a usage error naming both. */
async function readArgFile(flag: string, file: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`);
  }
}

/** The PEM text of --ca FILE, checked to hold a certificate (the first is parsed); a usage error otherwise. */
function checkedCa(text: string, file: string): string {
  if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`--ca ${file}: holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the device's certificate or its CA in PEM`);
  try {
    new X509Certificate(text);
  } catch (err) {
    throw new UsageError(`--ca ${file}: not a readable PEM certificate (${errorMessage(err).split("\n")[0]})`);
  }
  return text;
}

/** A device's origin URL given with `flag`, checked: http(s), no credentials, no path. */
function originUrl(flag: string, raw: string, example: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`run: ${flag} "${raw}" is not an http(s) URL; use for example ${flag} ${example}`);
  }
  if (url.username !== "" || url.password !== "") {
    // Credentials in the URL would end up in the console, results.json, junit.xml and traces.
    throw new UsageError(`run: ${flag} must not contain a user or password; use --user and --password instead`);
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    throw new UsageError(`run: ${flag} "${raw}" must be the device origin only (paths come from each service); use ${flag} ${url.origin}/`);
  }
  return url.href;
}

export function parseRunArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): RunArgs {
  const { values, lists, switches } = parseFlags("run", argv, {
    "--device": "value",
    "--ca": "value",
    "--insecure": "switch",
    "--user": "value",
    "--password": "value",
    "--transport": "value",
    "--grep": "value",
    "--report-dir": "value",
    "--timeout": "value",
    "--event-wait": "value",
    "--seed": "value",
    "--door": "values",
    "--io": "values",
    "--interactive": "switch",
    "--peer": "values",
    "--site": "value",
    "--allow-network-changes": "switch",
    "--expect": "value",
    "--strict-expect": "switch",
    "--baseline": "value",
    "--features": "value",
    "--fail-on": "value",
    "--strict": "switch",
    "--shard": "value",
    "--reporter": "values",
    "--retries": "value",
    "--help": "switch",
  });
  const args: RunArgs = {
    user: values.get("--user") ?? "root",
    password: values.get("--password") ?? env["PACS_PASSWORD"] ?? "pass",
    transports: ["soap", "json"],
    reportDir: values.get("--report-dir") ?? "reports/latest",
    timeoutMs: 10000,
    eventWaitMs: 5000,
    doors: lists.get("--door") ?? [],
    ios: lists.get("--io") ?? [],
    interactive: switches.has("--interactive"),
    insecure: switches.has("--insecure"),
    peers: [],
    allowNetworkChanges: switches.has("--allow-network-changes"),
    strictExpect: switches.has("--strict-expect"),
    failOn: "any",
    strict: switches.has("--strict"),
    reporters: ["console", "json", "junit", "html"],
    retries: 0,
    help: switches.has("--help"),
  };
  const retries = values.get("--retries");
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries) || Number(retries) > 10) throw new UsageError(`run: --retries "${retries}" must be a whole number from 0 to 10, for example --retries 2`);
    args.retries = Number(retries);
  }
  const chosen = lists.get("--reporter");
  if (chosen !== undefined) {
    const names = chosen.flatMap((v) => v.split(",")).map((v) => v.trim());
    const bad = names.find((n) => !(REPORTERS as readonly string[]).includes(n));
    if (bad !== undefined) throw new UsageError(`run: --reporter "${bad}" is not one of ${REPORTERS.join(", ")}; for example --reporter dot --reporter junit`);
    args.reporters = [...new Set(names as ReporterName[])];
  }
  const exampleFile = { "--expect": "known-deviations.yaml", "--baseline": "reports/previous/results.json", "--features": "vendor-features.json" } as const;
  for (const flag of ["--expect", "--baseline", "--features"] as const) {
    const file = values.get(flag);
    if (file !== undefined && file.trim() === "") throw new UsageError(`run: ${flag} needs a file, for example ${flag} ${exampleFile[flag]}`);
  }
  const featuresFile = values.get("--features");
  if (featuresFile !== undefined) args.features = featuresFile;
  const expectFile = values.get("--expect");
  if (expectFile !== undefined) args.expect = expectFile;
  const baselineFile = values.get("--baseline");
  if (baselineFile !== undefined) args.baseline = baselineFile;
  const failOn = values.get("--fail-on");
  if (failOn !== undefined) {
    if (failOn !== "any" && failOn !== "new") throw new UsageError(`run: --fail-on "${failOn}" must be any or new, for example --fail-on new`);
    if (failOn === "new" && args.baseline === undefined) throw new UsageError("run: --fail-on new judges new failures against a baseline; give --baseline reports/previous/results.json too");
    args.failOn = failOn;
  }
  const shard = values.get("--shard");
  if (shard !== undefined) args.shard = parseShard(shard);
  if (args.strictExpect && args.expect === undefined) throw new UsageError("run: --strict-expect judges an --expect list; give --expect FILE too");
  for (const door of args.doors) {
    if (door.trim() === "") throw new UsageError('run: --door needs a door token, for example --door "Axis-00408c184bdb:1352121495.979065000"');
  }
  for (const io of args.ios) {
    if (io.trim() === "") throw new UsageError('run: --io needs the IoName of a free I/O (see GetIoInfoList), for example --io "Port 3"');
  }
  const device = values.get("--device");
  if (device !== undefined) args.device = originUrl("--device", device, "http://192.168.0.90/");
  for (const peer of lists.get("--peer") ?? []) args.peers.push(originUrl("--peer", peer, "http://192.168.0.91/"));
  const site = values.get("--site");
  if (site !== undefined) {
    const n = positiveInt("--site", site, "3");
    if (n < 2 || n > 33) throw new UsageError(`run: --site ${site} must be 2 to 33 controllers (a door controller network has up to 33), for example --site 3`);
    if (args.device !== undefined || args.peers.length > 0) throw new UsageError("run: --site starts its own controllers; leave out --device and --peer, or leave out --site to test a real network");
    args.site = n;
  }
  if (args.peers.length > 0 && args.device === undefined) throw new UsageError("run: --peer names other controllers of the network of --device; give --device too (or use --site N for an embedded network)");
  const transport = values.get("--transport");
  if (transport !== undefined) {
    if (transport === "both") args.transports = ["soap", "json"];
    else if (transport === "soap" || transport === "json") args.transports = [transport];
    else throw new UsageError(`run: --transport "${transport}" must be soap, json or both`);
  }
  const grep = values.get("--grep");
  if (grep !== undefined) {
    if (grep.trim() === "") throw new UsageError(`run: --grep needs a non-empty TEXT; leave it out to run every check`);
    args.grep = grep;
  }
  if (args.reportDir.trim() === "") throw new UsageError(`run: --report-dir needs a directory, for example --report-dir reports/latest`);
  const timeout = values.get("--timeout");
  if (timeout !== undefined) args.timeoutMs = positiveInt("--timeout", timeout, "10000");
  const eventWait = values.get("--event-wait");
  if (eventWait !== undefined) args.eventWaitMs = positiveInt("--event-wait", eventWait, "5000");
  const seed = values.get("--seed");
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed)) || Number(seed) > 0xffffffff) {
      throw new UsageError(`run: --seed "${seed}" must be a whole number between 0 and 4294967295, for example --seed 42`);
    }
    args.seed = Number(seed);
  }
  if (args.doors.length > 0 && args.device === undefined) {
    throw new UsageError("run: --door names doors of a device given with --device; the built-in reference device lets the suite command all of its doors");
  }
  if (args.ios.length > 0 && args.device === undefined) {
    throw new UsageError("run: --io names I/Os of a device given with --device; the built-in reference device lets the suite assign all of its I/Os");
  }
  const ca = values.get("--ca");
  if (ca !== undefined) {
    if (ca.trim() === "") throw new UsageError("run: --ca needs a PEM file, for example --ca device-ca.pem");
    if (args.insecure) throw new UsageError("run: --insecure skips certificate verification, so --ca would not be used; give one of them");
    args.ca = ca;
  }
  const tlsFlag = args.insecure ? "--insecure" : args.ca !== undefined ? "--ca" : undefined;
  if (tlsFlag !== undefined && ![args.device, ...args.peers].some((u) => u?.startsWith("https:") === true)) {
    throw new UsageError(`run: ${tlsFlag} is for an https:// device; give --device https://… (the built-in reference device serves plain HTTP)`);
  }
  return args;
}

/** A device (or site) the run started itself and stops at its end. */
export interface StartedDevice {
  readonly url: string;
  /** The site's other controllers (--site). */
  readonly peers: readonly string[];
  close(): Promise<void>;
}

/**
 * How `run` gets a device when none is given: the composition root (src/cli.ts, see
 * src/embedded-targets.ts) hands these in, so the suite itself never imports the device and
 * reaches any device only over the wire.
 */
export interface EmbeddedTargets {
  /** The built-in reference device on 127.0.0.1, with a virtual clock and its back door. */
  device(user: string, password: string): Promise<StartedDevice>;
  /** An embedded site of `n` reference controllers in one network; the first is the device under test. */
  site(n: number, user: string, password: string): Promise<StartedDevice>;
}

/** Asks the operator on the terminal; resolves false after the timeout or on "s". */
function terminalOperator(io: CliIo, timeoutMs: number): (instruction: string) => Promise<boolean> {
  return async (instruction) => {
    const { createInterface } = await import("node:readline");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await new Promise<boolean>((resolveAnswer) => {
        const timer = setTimeout(() => {
          io.stderr.write("\n(no answer in time; the check is skipped)\n");
          resolveAnswer(false);
        }, timeoutMs);
        rl.question(`\nOPERATOR: please ${instruction}, then press Enter (s + Enter to skip): `, (answer) => {
          clearTimeout(timer);
          resolveAnswer(answer.trim().toLowerCase() !== "s");
        });
      });
    } finally {
      rl.close();
    }
  };
}

/** The flag each config key stands for, and how its value becomes arguments. */
const CONFIG_FLAGS: Readonly<Record<string, { flag: string; kind: "value" | "list" | "switch" | "path" }>> = {
  device: { flag: "--device", kind: "value" },
  user: { flag: "--user", kind: "value" },
  transport: { flag: "--transport", kind: "value" },
  doors: { flag: "--door", kind: "list" },
  ios: { flag: "--io", kind: "list" },
  peers: { flag: "--peer", kind: "list" },
  timeoutMs: { flag: "--timeout", kind: "value" },
  eventWaitMs: { flag: "--event-wait", kind: "value" },
  grep: { flag: "--grep", kind: "value" },
  expect: { flag: "--expect", kind: "path" },
  baseline: { flag: "--baseline", kind: "path" },
  features: { flag: "--features", kind: "path" },
  failOn: { flag: "--fail-on", kind: "value" },
  strict: { flag: "--strict", kind: "switch" },
  reportDir: { flag: "--report-dir", kind: "value" },
  reporters: { flag: "--reporter", kind: "list" },
  ca: { flag: "--ca", kind: "path" },
  insecure: { flag: "--insecure", kind: "switch" },
};

export const CONFIG_FILE = "pacs-conformance.config.json";

/**
 * The arguments a config file stands for (`--config FILE`, or pacs-conformance.config.json in the
 * working directory when present), validated against schemas/config.schema.json; a problem is a
 * usage error naming the file and the key. Flags the command line gives are left out (they win).
 */
export async function configArgs(argv: readonly string[], cwd = process.cwd()): Promise<{ argv: string[]; file?: string }> {
  const given = argv.findIndex((a) => a === "--config" || a.startsWith("--config="));
  const rest = given < 0 ? [...argv] : argv.filter((_, i) => i !== given && !(argv[given] === "--config" && i === given + 1));
  let file: string | undefined;
  if (given >= 0) {
    file = argv[given]!.startsWith("--config=") ? argv[given]!.slice(9) : argv[given + 1];
    if (file === undefined || file === "" || file.startsWith("--")) throw new UsageError(`run: --config needs a file, for example --config ${CONFIG_FILE}`);
  } else {
    const { existsSync } = await import("node:fs");
    if (existsSync(resolve(cwd, CONFIG_FILE))) file = CONFIG_FILE;
  }
  if (file === undefined) return { argv: rest };
  const path = resolve(cwd, file);
  let doc: unknown;
  try {
    doc = JSON.parse(await readArgFile("--config", path));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`run: config ${file} is not JSON: ${errorMessage(err)}`);
  }
  const { readFile } = await import("node:fs/promises");
  const schema = JSON.parse(await readFile(packagePath(import.meta.url, "schemas", "config.schema.json"), "utf8")) as object;
  const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null } } };
  const validate = new mod.default({ allErrors: true, strict: false }).compile(schema);
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    const key = e?.params?.["additionalProperty"] !== undefined ? `"${String(e.params["additionalProperty"])}"` : `"${(e?.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".") || "(top)"}"`;
    const known = Object.keys(CONFIG_FLAGS).join(", ");
    throw new UsageError(`run: config ${file}: key ${key} ${e?.params?.["additionalProperty"] !== undefined ? `is not a setting (the settings: ${known})` : (e?.message ?? "is invalid")}`);
  }
  const userFlags = new Set(rest.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0]!));
  const fromConfig: string[] = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const spec = CONFIG_FLAGS[key];
    if (spec === undefined || userFlags.has(spec.flag)) continue;
    if (spec.kind === "switch") {
      if (value === true) fromConfig.push(spec.flag);
    } else if (spec.kind === "list") for (const v of value as unknown[]) fromConfig.push(spec.flag, String(v));
    else if (spec.kind === "path") fromConfig.push(spec.flag, resolve(dirname(path), String(value)));
    else fromConfig.push(spec.flag, String(value));
  }
  return { argv: [...fromConfig, ...rest], file };
}

export async function runCommand(argv: string[], io: CliIo = DEFAULT_IO, embedded?: EmbeddedTargets): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs((await configArgs(argv)).argv);
  } catch (err) {
    io.stderr.write(`pacs-conformance ${errorMessage(err)}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  let expectations: Expectation[] = [];
  let baseline: { file: string; statuses: Map<string, string> } | undefined;
  let declaredFeatures: { file: string; features: Map<string, FeatureState> } | undefined;
  let shardWeights = new Map<string, number>();
  let ca: string | undefined;
  try {
    if (args.ca !== undefined) ca = checkedCa(await readArgFile("--ca", args.ca), args.ca);
    if (args.expect !== undefined) {
      expectations = parseExpectations(await readArgFile("--expect", args.expect), args.expect);
      const unknown = unknownExpectations(expectations, new Set((await import("./cases/index.js")).allChecks.map((c) => c.id)));
      if (unknown.length > 0) throw new UsageError(`--expect ${args.expect}: no check has the id ${unknown.map((e) => `"${e.id}"`).join(", ")}; see pacs-conformance list`);
    }
    if (args.baseline !== undefined) {
      const text = await readArgFile("--baseline", args.baseline);
      baseline = { file: args.baseline, statuses: parseBaseline(text, args.baseline) };
      shardWeights = durationsOf(JSON.parse(text));
    }
    if (args.features !== undefined) declaredFeatures = { file: args.features, features: parseFeatureDeclaration(args.features, await readArgFile("--features", args.features)) };
  } catch (err) {
    io.stderr.write(`pacs-conformance run: ${errorMessage(err)}\n`);
    return 2;
  }
  if (args.grep !== undefined && selectChecks((await import("./cases/index.js")).allChecks, args.grep, undefined).length === 0) {
    io.stderr.write(`pacs-conformance run: no check matches --grep "${args.grep}"; see "pacs-conformance list" for the ids\n`);
    return 2;
  }

  const interrupt = new AbortController();
  const onSigint = () => {
    io.stderr.write("pacs-conformance run: interrupted; cleaning up and writing reports (press Ctrl-C again to force)\n");
    interrupt.abort();
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onSigint);

  let device: StartedDevice | undefined;
  try {
    let url = args.device;
    if (url === undefined) {
      try {
        if (embedded === undefined) throw new Error("no built-in device here; give --device URL");
        device = args.site === undefined ? await embedded.device(args.user, args.password) : await embedded.site(args.site, args.user, args.password);
      } catch (err) {
        io.stderr.write(`pacs-conformance run: could not start the built-in reference ${args.site === undefined ? "device" : "site"}: ${errorMessage(err)}; give --device URL to test a real one\n`);
        return 2;
      }
      url = device.url;
    }
    const reportDir = resolve(args.reportDir);
    const reporters: Reporter[] = args.reporters.map((name) => reporterFor(name, reportDir, io));
    let report: RunReport;
    try {
      report = await runConformance({
        deviceUrl: url,
        user: args.user,
        password: args.password,
        transports: args.transports,
        timeoutMs: args.timeoutMs,
        ...(ca === undefined ? {} : { ca }),
        ...(args.insecure ? { insecure: true } : {}),
        eventWaitMs: args.eventWaitMs,
        reporters,
        signal: interrupt.signal,
        ...(args.grep !== undefined ? { grep: args.grep } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        doors: args.doors,
        ios: args.ios,
        ownsDevice: device !== undefined,
        peers: device?.peers ?? args.peers,
        allowNetworkChanges: args.allowNetworkChanges,
        expectations,
        ...(baseline === undefined ? {} : { baseline }),
        ...(declaredFeatures === undefined ? {} : { declaredFeatures }),
        ...(args.shard === undefined ? {} : { shard: args.shard, shardWeights }),
        retries: args.retries,
        ...(args.interactive ? { operator: terminalOperator(io, 120_000) } : {}),
      });
    } catch (err) {
      const code = errorCode(err);
      if (code === "PREFLIGHT_FAILED" || code === "USAGE") {
        io.stderr.write(`pacs-conformance run: ${errorMessage(err)}\n`);
        return interrupt.signal.aborted ? 130 : 2;
      }
      throw err;
    }
    io.stdout.write(`reports: ${reportDir}\n`);
    if (report.interrupted || interrupt.signal.aborted) return 130;
    const fails = gateFails(report, { failOn: args.failOn, strictExpect: args.strictExpect, ...(report.baseline === undefined ? {} : { baseline: report.baseline }) });
    return fails || (args.strict && report.summary.warned > 0) ? 1 : 0;
  } finally {
    process.removeListener("SIGINT", onSigint);
    if (device !== undefined) await device.close().catch(() => undefined);
  }
}

export const MERGE_USAGE = `usage: pacs-conformance merge-reports DIR... [--out DIR]

Merges the reports of the shards of one run (each DIR holds the results.json of one
"run --shard i/n") into one results.json, junit.xml and index.html in --out (default reports/merged). Refuses
reports of different suites, selections, shard counts or tool versions, duplicate shards and
missing ones. Exit 0 when the merged run has no failed or errored check, 1 when it has, 2 on a
usage error.`;

export async function mergeReportsCommand(argv: string[], io: CliIo = DEFAULT_IO): Promise<number> {
  const dirs: string[] = [];
  let out = "reports/merged";
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === "--help" || arg === "-h") {
        io.stdout.write(`${MERGE_USAGE}\n`);
        return 0;
      }
      if (arg === "--out" || arg.startsWith("--out=")) {
        const v = arg.startsWith("--out=") ? arg.slice(6) : argv[++i];
        if (v === undefined || v.trim() === "") throw new UsageError("merge-reports: --out needs a directory, for example --out reports/merged");
        out = v;
        continue;
      }
      if (arg.startsWith("--")) throw new UsageError(`merge-reports: unknown option "${arg}"; valid options: --out, --help`);
      dirs.push(arg);
    }
    const shards: ShardReport[] = [];
    for (const dir of dirs) {
      const file = `${dir}/results.json`;
      let doc: unknown;
      try {
        doc = JSON.parse(await readArgFile(dir, file));
      } catch (err) {
        if (err instanceof UsageError) throw new UsageError(`merge-reports: ${err.message.replace(/^\S+ /, "")}; give directories that hold a shard's results.json`);
        throw new UsageError(`merge-reports: ${file} is not JSON (${errorMessage(err)})`);
      }
      shards.push({ dir, report: doc as ShardReport["report"] });
    }
    const merged = mergeShards(shards);
    const dir = resolve(out);
    for (const reporter of [new JsonReporter(dir), new JunitReporter(dir), new HtmlReporter(dir)]) await reporter.onEnd(merged);
    const s = merged.summary;
    io.stdout.write(`merged ${shards.length} shards: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped, ${s.errored} errored (${merged.checks.length} checks)\nreports: ${dir}\n`);
    return s.failed + s.errored > 0 ? 1 : 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`pacs-conformance ${err.message}\n`);
    return 2;
  }
}
