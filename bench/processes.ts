/**
 * The servers `npm run bench` measures against, each in its own process (a device is on another
 * machine; a server sharing the benchmark's process would bill its own work to the raw floor).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ReplayCommand, ReplayResponse } from "./replay-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
/** Children run the TypeScript sources through tsx, as `npm run device` does. */
const TSX = ["--import", "tsx"];

export interface ReplayServer {
  readonly url: string;
  readonly pid: number;
  /** Sets what every following POST is answered with. */
  respond(response: ReplayResponse): Promise<void>;
  close(): Promise<void>;
}

function onceMessage<T>(child: ChildProcess, what: string, pick: (msg: unknown) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (msg: unknown): void => {
      const v = pick(msg);
      if (v === undefined) return;
      cleanup();
      resolve(v);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what}: the child process exited (code ${code}) before answering`));
    };
    const cleanup = (): void => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

export async function startReplayServer(): Promise<ReplayServer> {
  const child = fork(fileURLToPath(new URL("./replay-server.ts", import.meta.url)), [], { execArgv: TSX, cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const url = await onceMessage(child, "replay server", (m) => (m as { url?: string }).url);
  const send = (cmd: ReplayCommand): void => {
    child.send(cmd);
  };
  return {
    url,
    pid: child.pid!,
    async respond(response) {
      const ack = onceMessage(child, "replay server", (m) => ((m as { ok?: boolean }).ok === true ? true : undefined));
      send({ respond: response });
      await ack;
    },
    async close() {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      send({ stop: true });
      await exited;
    },
  };
}

export interface DeviceProcess {
  readonly url: string;
  readonly pid: number;
  close(): Promise<void>;
}

/** `pacs-conformance device …` in a child process; resolves once it prints its URL. */
export async function startDeviceProcess(args: readonly string[]): Promise<DeviceProcess> {
  const child = spawn(process.execPath, [...TSX, CLI, "device", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`device process exited (code ${code}) before listening: ${out.trim()}`)));
  });
  return {
    url,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface SuiteRun {
  readonly wallMs: number;
  readonly exitCode: number | null;
  /** The suite's own summary line, e.g. "500 checks: 500 passed". */
  readonly summary: string;
}

/** `pacs-conformance run` (the full default suite against its embedded device), timed from spawn to exit. */
export async function runSuite(reportDir: string): Promise<SuiteRun> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...TSX, CLI, "run", "--report-dir", reportDir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (out += c));
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const lines = out.trim().split("\n");
  // The counts line ("1363 passed, 0 failed, … (1383 checks, seed …)"), not a service's verdict line.
  const summary = lines.find((l) => /^\d+ passed, \d+ failed/.test(l.trim())) ?? lines[lines.length - 1] ?? "";
  return { wallMs, exitCode, summary: summary.trim() };
}
