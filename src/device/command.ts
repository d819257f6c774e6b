/**
 * `pacs-conformance device [--host 127.0.0.1] [--port N] [--user root] [--password pass]
 * [--quirk NAME]... [--max-limit N] [--services LIST] [--capability NAME=VALUE]...
 * [--populate-credentials N] [--clock system|virtual[=ISO]]
 * [--backdoor] [--digest-algorithms LIST] [--list-quirks] [--allow-remote]
 * [--tls [--tls-port N] [--cert FILE --key FILE]]`, and
 * `pacs-conformance site --controllers N [--unjoined]` with the same options for each of N
 * controllers (site.ts).
 */
import { parseClock } from "./clock.js";
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from "./digest.js";
import { ProfileError, resolveCapabilities, resolveServices } from "./profile.js";
import type { DeviceOptions } from "./server.js";
import { ALL_QUIRKS as QUIRKS } from "./services.js";

export const DEVICE_USAGE = `usage: pacs-conformance device [options]

Serves the reference door controller (every documented service over SOAP 1.2 at
/vapix/services and VAPIX JSON at each service's path, /vapix/pacs, /vapix/doorcontrol,
/vapix/idpoint, /vapix/aconn, …; HTTP Digest auth) until SIGINT/SIGTERM.

options:
  --host HOST                 interface to bind (default 127.0.0.1; non-loopback needs --allow-remote)
  --port N                    TCP port (default 0 = a free port)
  --user USER                 admin user (default root)
  --password PASS             admin password (default pass)
  --quirk NAME                break one documented rule (repeatable; see --list-quirks)
  --max-limit N               ServiceCapabilities MaxLimit (default 100)
  --services LIST             serve only these services, as a smaller or older product's firmware
                              without the others: comma-separated names, apidiscovery ids or
                              prefixes, e.g. AccessControl,DoorControl,IdPoint,Schedule,User,Events
                              or tac,axtdc (a name serves all its prefixes, a prefix only itself;
                              default all). Left-out operations answer as unknown ones, GetServices
                              and apidiscovery.cgi leave them out. The Device service (tds) and the
                              identity CGIs are always served: naming Device changes nothing
  --capability NAME=VALUE     report a service capability otherwise (repeatable): NAME for every
                              served service that has it, or prefix:NAME (tac:SetAccessPoint=false);
                              true/false for the boolean flags, and a flag that speaks for operations
                              (SetAccessPoint, SetDoorSupported, SetIdPoint, SetSchedule, …) set false
                              makes them answer env:Receiver/ter:ActionNotSupported; MaxLimit=N is
                              the same as --max-limit N
  --populate-credentials N    pre-populate N deterministic credentials (default 0)
  --clock system|virtual[=T]  the device clock: real time (default), or a virtual clock that starts
                              now (or at ISO 8601 time T) and moves only through the back door
  --backdoor                  serve the test back door at /backdoor (stimuli, clock; see README)
  --state DIR                 keep the configuration in DIR (SQLite, created when missing): restored
                              at start instead of the factory defaults, saved before each answer
  --digest-algorithms LIST    the HTTP Digest algorithms challenged, in preference order, e.g.
                              SHA-256,MD5 (default MD5, as ONVIF Core recommends)
  --allow-remote              allow binding a non-loopback interface
  --tls                       serve HTTPS too, beside HTTP (prints a second "listening on https://…")
  --tls-port N                the HTTPS port (default 0 = a free port)
  --cert FILE --key FILE      the HTTPS certificate and its private key (PEM; default: a self-signed
                              certificate for 127.0.0.1 and localhost, made at start, valid 30 days)
  --list-quirks               print every quirk with the rule it breaks, then exit`;

const SITE_USAGE = `usage: pacs-conformance site --controllers N [options]

Serves N reference door controllers (1 to 33) in one process, each with its own port, MAC, serial,
UUID and state, joined into one door controller network (connection service, /vapix/aconn) unless
--unjoined; they share nothing but the signed peer protocol. Prints one "listening on URL (MAC)"
line per controller (then, with --tls, one "listening on https://… (MAC)" line each), the first
being the one that invited the others, and serves until SIGINT/SIGTERM.

options:
  --controllers N             how many controllers (1 to 33; required)
  --unjoined                  leave them stand-alone: each discovers the others, none is paired
                              (add them yourself with aconn:AddPeers)
  --port N                    the first controller's port; the others take the following ones
                              (default 0 = free ports)
  --tls                       every controller serves HTTPS too, with one certificate (--cert and
                              --key, or one self-signed for 127.0.0.1 and localhost); prints a
                              second "listening on https://… (MAC)" line per controller. The
                              controllers still talk to each other over HTTP
  --tls-port N                the first controller's HTTPS port; the others take the following ones
  --state DIR                 keep the site in DIR: each controller's configuration in DIR/<MAC>
                              (as device --state), the site's peer secret in DIR/peer-secret; started
                              again, it is the same network, whatever ports it gets
  every option of pacs-conformance device (--host, --user, --password, --quirk, --max-limit,
  --services, --capability, --populate-credentials, --clock, --backdoor, --digest-algorithms,
  --allow-remote, --cert, --key), applied to each controller (a joined site needs the Connection
  service)`;

class UsageError extends Error {}

interface Parsed {
  host: string;
  port: number;
  user: string;
  password: string;
  quirks: string[];
  /** Absent: the default (100), or what --capability MaxLimit=N says. */
  maxLimit?: number;
  /** --services, split on commas (absent: every service). */
  services?: string[];
  /** --capability NAME=VALUE, in the order given: the flag's text and its name and value. */
  capabilities: { readonly raw: string; readonly name: string; readonly value: string }[];
  populateCredentials: number;
  clock: string;
  backdoor: boolean;
  digestAlgorithms?: DigestAlgorithm[];
  allowRemote: boolean;
  listQuirks: boolean;
  help: boolean;
  /** site: how many controllers (0 when not given). */
  controllers: number;
  /** site: leave them stand-alone. */
  unjoined: boolean;
  /** Where the configuration is kept (--state): the device's, or the site's folder of controllers. */
  stateDir?: string;
  /** device: serve HTTPS too (--tls), on tlsPort, with the PEM files cert/key when given. */
  tls: boolean;
  tlsPort: number;
  cert?: string;
  key?: string;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function parseArgs(argv: readonly string[], command: "device" | "site"): Parsed {
  const p: Parsed = { host: "127.0.0.1", port: 0, user: "root", password: "pass", quirks: [], capabilities: [], populateCredentials: 0, clock: "system", backdoor: false, allowRemote: false, listQuirks: false, help: false, controllers: 0, unjoined: false, tls: false, tlsPort: 0 };
  const known = new Set(QUIRKS.map((q) => q.name));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value, for example ${flag} ${example(flag)}`);
      i++;
      return v;
    };
    const integer = (min: number, max: number): number => {
      const raw = value();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`${flag} "${raw}" must be an integer from ${min} to ${max}, for example ${flag} ${example(flag)}`);
      return n;
    };
    switch (flag) {
      case "--host":
        p.host = value();
        break;
      case "--port":
        p.port = integer(0, 65535);
        break;
      case "--user":
        p.user = value();
        break;
      case "--password":
        p.password = value();
        break;
      case "--quirk": {
        const q = value();
        if (!known.has(q)) throw new UsageError(`--quirk "${q}" is unknown; valid quirks: ${[...known].join(", ")} (see --list-quirks)`);
        p.quirks.push(q);
        break;
      }
      case "--max-limit":
        p.maxLimit = integer(1, 1_000_000);
        break;
      case "--services":
        p.services = [...(p.services ?? []), ...value().split(",").map((n) => n.trim())];
        break;
      case "--capability": {
        const raw = value();
        const at = raw.indexOf("=");
        if (at <= 0) throw new UsageError(`--capability "${raw}" must be NAME=VALUE, for example --capability SetAccessPoint=false or --capability tac:SetAccessPoint=false`);
        p.capabilities.push({ raw, name: raw.slice(0, at).trim(), value: raw.slice(at + 1).trim() });
        break;
      }
      case "--populate-credentials":
        p.populateCredentials = integer(0, 1_000_000);
        break;
      case "--clock": {
        p.clock = eq > 0 || (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) ? value() : "virtual";
        try {
          parseClock(p.clock);
        } catch (err) {
          throw new UsageError(`--clock: ${(err as Error).message}`);
        }
        break;
      }
      case "--digest-algorithms": {
        const list = value()
          .split(",")
          .map((a) => a.trim().toUpperCase());
        const bad = list.find((a) => !(DIGEST_ALGORITHMS as readonly string[]).includes(a));
        if (bad !== undefined || list.length === 0) throw new UsageError(`--digest-algorithms: "${bad ?? ""}" is not one of ${DIGEST_ALGORITHMS.join(", ")}; for example --digest-algorithms SHA-256,MD5`);
        if (new Set(list).size !== list.length) throw new UsageError(`--digest-algorithms names an algorithm twice; for example --digest-algorithms SHA-256,MD5`);
        p.digestAlgorithms = list as DigestAlgorithm[];
        break;
      }
      case "--backdoor":
        p.backdoor = true;
        break;
      case "--state":
        p.stateDir = value();
        break;
      case "--allow-remote":
        p.allowRemote = true;
        break;
      case "--list-quirks":
        p.listQuirks = true;
        break;
      case "--help":
      case "-h":
        p.help = true;
        break;
      case "--controllers":
        if (command !== "site") throw new UsageError(`--controllers belongs to pacs-conformance site; the device command serves one controller`);
        p.controllers = integer(1, 33);
        break;
      case "--unjoined":
        if (command !== "site") throw new UsageError(`--unjoined belongs to pacs-conformance site`);
        p.unjoined = true;
        break;
      case "--tls":
      case "--tls-port":
      case "--cert":
      case "--key":
        if (flag === "--tls") p.tls = true;
        else if (flag === "--tls-port") p.tlsPort = integer(0, 65535);
        else if (flag === "--cert") p.cert = value();
        else p.key = value();
        break;
      default:
        throw new UsageError(`unknown option "${arg}"; see pacs-conformance ${command} --help`);
    }
  }
  if (command === "site" && !p.help && !p.listQuirks && p.controllers === 0) throw new UsageError("--controllers N is required: how many controllers the site has (1 to 33), for example --controllers 3");
  if (command === "site" && p.port !== 0 && p.port + p.controllers - 1 > 65535) throw new UsageError(`--port ${p.port} leaves no room for ${p.controllers} consecutive ports; choose a lower --port (or 0 for free ports)`);
  if (command === "site" && p.tlsPort !== 0 && p.tlsPort + p.controllers - 1 > 65535) throw new UsageError(`--tls-port ${p.tlsPort} leaves no room for ${p.controllers} consecutive ports; choose a lower --tls-port (or 0 for free ports)`);
  const tlsFlag = p.tlsPort !== 0 ? "--tls-port" : p.cert !== undefined ? "--cert" : p.key !== undefined ? "--key" : undefined;
  if (!p.tls && tlsFlag !== undefined) throw new UsageError(`${tlsFlag} configures HTTPS, which only --tls turns on; add --tls`);
  if ((p.cert === undefined) !== (p.key === undefined)) throw new UsageError(`${p.cert === undefined ? "--key needs --cert FILE" : "--cert needs --key FILE"} too (the certificate and its private key), or leave both out for a self-signed certificate`);
  checkProfile(p);
  if (!p.allowRemote && !isLoopback(p.host)) {
    throw new UsageError(`--host "${p.host}" is not a loopback address; the device accepts the default password, so add --allow-remote to expose it`);
  }
  return p;
}

/** --services and each --capability, checked as startDevice will check them, naming the flag at fault. */
function checkProfile(p: Parsed): void {
  const fail = (flag: string, err: unknown): never => {
    if (err instanceof ProfileError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  };
  let served: ReturnType<typeof resolveServices> = new Set();
  try {
    served = resolveServices(p.services);
  } catch (err) {
    fail(`--services ${(p.services ?? []).join(",")}`, err);
  }
  for (const c of p.capabilities) {
    try {
      resolveCapabilities({ [c.name]: c.value }, served);
    } catch (err) {
      fail(`--capability ${c.raw}`, err);
    }
  }
  const maxLimit = p.capabilities.filter((c) => c.name === "MaxLimit").at(-1);
  if (maxLimit !== undefined && p.maxLimit !== undefined && Number(maxLimit.value) !== p.maxLimit) {
    throw new UsageError(`--max-limit ${p.maxLimit} and --capability ${maxLimit.raw} disagree; give one of them`);
  }
}

function example(flag: string): string {
  return { "--host": "127.0.0.1", "--port": "8080", "--user": "root", "--password": "pass", "--quirk": "ignore-limit", "--max-limit": "100", "--services": "AccessControl,DoorControl,Events", "--capability": "SetAccessPoint=false", "--populate-credentials": "1000", "--controllers": "3", "--tls-port": "8443", "--cert": "device.crt", "--key": "device.key", "--state": "device-state" }[flag] ?? "VALUE";
}

/** Serves until SIGINT/SIGTERM, then closes. */
function untilStopped(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function startFailure(command: string, err: unknown): number {
  const e = err as NodeJS.ErrnoException;
  const hint = e.code === "EADDRINUSE" ? "; choose another --port (or 0 for free ports)" : e.code === "EADDRNOTAVAIL" ? "; check --host" : "";
  process.stderr.write(`pacs-conformance ${command}: cannot start: ${e.message}${hint}\n`);
  return 2;
}

/** The options every controller of `device` and `site` gets from the command line. */
function deviceOptions(args: Parsed): Omit<DeviceOptions, "port"> {
  return {
    host: args.host,
    user: args.user,
    password: args.password,
    quirks: args.quirks,
    ...(args.maxLimit === undefined ? {} : { maxLimit: args.maxLimit }),
    ...(args.services === undefined ? {} : { services: args.services }),
    ...(args.capabilities.length === 0 ? {} : { capabilities: Object.fromEntries(args.capabilities.map((c) => [c.name, c.value])) }),
    ...(args.populateCredentials > 0 ? { populate: { credentials: args.populateCredentials } } : {}),
    clock: args.clock,
    backdoor: args.backdoor,
    ...(args.digestAlgorithms === undefined ? {} : { digestAlgorithms: args.digestAlgorithms }),
  };
}

/** Parses, or prints usage / quirks / the error: a number is the exit code to return at once. */
function prepare(argv: readonly string[], command: "device" | "site"): Parsed | number {
  let args: Parsed;
  try {
    args = parseArgs(argv, command);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`pacs-conformance ${command}: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${command === "site" ? SITE_USAGE : DEVICE_USAGE}\n`);
    return 0;
  }
  if (args.listQuirks) {
    const width = Math.max(...QUIRKS.map((q) => q.name.length));
    for (const q of QUIRKS) process.stdout.write(`${q.name.padEnd(width)}  breaks: ${q.rule}\n`);
    return 0;
  }
  return args;
}

/** The `tls` option of --tls, --tls-port, --cert and --key (the PEM files read); 2 after saying why a file cannot be read. */
async function tlsOption(args: Parsed, command: "device" | "site"): Promise<DeviceOptions["tls"] | number> {
  if (!args.tls) return undefined;
  const { readKeyPairFiles } = await import("./tls.js");
  try {
    return { port: args.tlsPort, ...(args.cert === undefined || args.key === undefined ? {} : readKeyPairFiles(args.cert, args.key)) };
  } catch (err) {
    if ((err as { code?: unknown }).code !== "TLS_FILE") throw err;
    process.stderr.write(`pacs-conformance ${command}: ${(err as Error).message}\n`);
    return 2;
  }
}

export async function siteCommand(argv: readonly string[]): Promise<number> {
  const args = prepare(argv, "site");
  if (typeof args === "number") return args;
  const { startSite } = await import("./site.js");
  const tls = await tlsOption(args, "site");
  if (typeof tls === "number") return tls;
  let site;
  try {
    site = await startSite({ ...deviceOptions(args), controllers: args.controllers, basePort: args.port, join: !args.unjoined, ...(tls === undefined ? {} : { tls }), ...(args.stateDir === undefined ? {} : { stateDir: args.stateDir }) });
  } catch (err) {
    return startFailure("site", err);
  }
  for (const d of site.controllers) process.stdout.write(`listening on ${d.url} (${d.identity.mac})\n`);
  for (const d of site.controllers) if (d.httpsUrl !== undefined) process.stdout.write(`listening on ${d.httpsUrl} (${d.identity.mac})\n`);
  if (args.backdoor) process.stderr.write(`back doors at <url>/backdoor (clock: ${site.controllers[0]!.clockKind})\n`);
  await untilStopped(() => site.close());
  return 0;
}

export async function deviceCommand(argv: readonly string[]): Promise<number> {
  const args = prepare(argv, "device");
  if (typeof args === "number") return args;
  const { startDevice } = await import("./server.js");
  const tls = await tlsOption(args, "device");
  if (typeof tls === "number") return tls;
  let device;
  try {
    device = await startDevice({ ...deviceOptions(args), port: args.port, ...(tls === undefined ? {} : { tls }), ...(args.stateDir === undefined ? {} : { stateDir: args.stateDir }) });
  } catch (err) {
    return startFailure("device", err);
  }
  process.stdout.write(`listening on ${device.url}\n`);
  if (device.httpsUrl !== undefined) process.stdout.write(`listening on ${device.httpsUrl}\n`);
  if (device.backdoor) process.stderr.write(`back door at ${device.url}/backdoor (clock: ${device.clockKind})\n`);
  const running = device;
  await untilStopped(() => running.close());
  return 0;
}
