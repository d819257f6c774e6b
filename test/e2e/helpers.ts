/** Shared bits of the conformance e2e tests: the reference device on 127.0.0.1:0 and a quiet run. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevice, type DeviceOptions } from "../../src/device/server.js";
import { startSite } from "../../src/device/site.js";
import { runConformance } from "../../conformance/harness/index.js";
import type { CheckResult, RunOptions, RunReport } from "../../conformance/harness/types.js";

export type Device = Awaited<ReturnType<typeof startDevice>>;

/**
 * The reference device as `pacs-conformance run` embeds it (virtual clock, back door), starting
 * on a Monday morning so schedule scenarios are reproducible; a small MaxLimit keeps the paging
 * data sets (MaxLimit + 3 items) quick.
 */
export function startTestDevice(options: DeviceOptions = {}): Promise<Device> {
  return startDevice({ host: "127.0.0.1", port: 0, maxLimit: 10, clock: "virtual=2026-01-05T08:00:00Z", backdoor: true, ...options });
}

/** A test device with the other controllers of its network: what `pacs-conformance run --site N` starts. */
export interface TestSite {
  readonly url: string;
  readonly peers: readonly string[];
  close(): Promise<void>;
}

/** An embedded site of `controllers` reference controllers (as startTestDevice configures each), joined; the first is the device under test. */
export async function startTestSite(controllers = 3, options: Omit<DeviceOptions, "identity" | "port"> = {}): Promise<TestSite> {
  const site = await startSite({ controllers, host: "127.0.0.1", maxLimit: 10, clock: "virtual=2026-01-05T08:00:00Z", backdoor: true, peerHeartbeatMs: 250, ...options });
  const [first, ...rest] = site.controllers;
  return { url: first!.url, peers: rest.map((d) => d.url), close: () => site.close() };
}

/** A run as the CLI makes it against its embedded device (every door and I/O may be used), unless `ownsDevice` says otherwise. */
/**
 * The suite against a test device. Events from the embedded device arrive within milliseconds, so
 * an event check waits 1.5 s (not the CLI's 5 s) before it judges a missing event: quirks that
 * suppress events cost less.
 */
export function runSuite(device: Pick<Device, "url"> & { readonly peers?: readonly string[] }, options: Pick<RunOptions, "ids" | "grep" | "ownsDevice" | "doors" | "ios" | "eventWaitMs" | "operator"> = {}): Promise<RunReport> {
  return runConformance({ deviceUrl: device.url, seed: 20240601, ownsDevice: true, eventWaitMs: 1500, peers: device.peers ?? [], ...options });
}

/** Problems of a report's results.json against the published schema (schemas/results.schema.json); [] when it validates. */
export async function resultsSchemaProblems(report: RunReport): Promise<unknown[]> {
  const { readFile } = await import("node:fs/promises");
  const { renderResultsJson } = await import("../../conformance/reporters/json-reporter.js");
  const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } } };
  const schema = JSON.parse(await readFile(new URL("../../schemas/results.schema.json", import.meta.url), "utf8")) as object;
  const validate = new mod.default({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
  return validate(JSON.parse(renderResultsJson(report))) ? [] : (validate.errors ?? []);
}

export function describeResults(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.id} [${r.transport}] ${r.status}: ${r.message}`).join("\n");
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "pcx-e2e-"));
}
