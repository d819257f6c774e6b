import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "../../conformance/cli.js";
import { embeddedTargets } from "../../src/embedded-targets.js";
import type { RunReport } from "../../conformance/harness/types.js";
import { describeResults, resultsSchemaProblems, runSuite, startTestDevice, tempDir, type Device } from "./helpers.js";

describe("conformance suite vs the clean reference device", () => {
  let device: Device;
  let report: RunReport;

  beforeAll(async () => {
    device = await startTestDevice();
    report = await runSuite(device);
  });
  afterAll(async () => {
    await device.close();
  });

  it("passes every check but the network checks, which a lone device skips naming --peer and --site", () => {
    const network = (c: { service: string; message: string }): boolean => c.service === "Connection" && /--peer URL.*--site \d/.test(c.message);
    const notPassed = report.checks.filter((c) => c.status !== "passed" && !(c.status === "skipped" && network(c)));
    expect(describeResults(notPassed)).toBe("");
    expect(report.summary.failed + report.summary.errored + report.summary.warned).toBe(0);
    expect(report.checks.filter((c) => c.status === "skipped").length).toBeGreaterThan(0);
  });

  it("runs at least 40 AccessControl checks per transport, plus the parity checks", () => {
    for (const t of ["soap", "json"] as const) {
      expect(report.checks.filter((c) => c.service === "AccessControl" && c.transport === t).length).toBeGreaterThanOrEqual(40);
    }
    expect(report.checks.some((c) => c.transport === "both")).toBe(true);
  });

  it("writes a results.json that validates against schemas/results.schema.json", async () => {
    expect(await resultsSchemaProblems(report)).toEqual([]);
  });

  it("leaves the device's data as it was", () => {
    const preserved = report.checks.find((c) => c.id === "harness.data-preserved");
    expect(preserved?.status).toBe("passed");
  });
});

describe("a device the suite does not own (as if given with --device)", () => {
  const IO_CHECK = "axisio.set-io-assignment.assign-unassign";
  let device: Device;
  beforeAll(async () => {
    device = await startTestDevice({ backdoor: false, clock: "system" });
  });
  afterAll(() => device.close());

  it("assigns no I/O unless named with --io, and then only that one", async () => {
    const unnamed = await runSuite(device, { ids: [IO_CHECK], ownsDevice: false });
    const checks = unnamed.checks.filter((c) => c.id === IO_CHECK);
    expect(checks.map((c) => c.status)).toEqual(["skipped", "skipped"]);
    expect(checks[0]!.message).toMatch(/--io NAME/);
    const before = device.snapshot();
    const named = await runSuite(device, { ids: [IO_CHECK], ownsDevice: false, ios: ["IO1"] });
    expect(describeResults(named.checks.filter((c) => c.id === IO_CHECK && c.status !== "passed"))).toBe("");
    expect(device.snapshot()).toEqual(before);
  });

  it("commands no existing door unless named with --door, then unlocks and locks it and restores its mode", async () => {
    const DOOR_CHECK = "tdc.door-commands.existing-doors";
    const unnamed = await runSuite(device, { ids: [DOOR_CHECK], ownsDevice: false });
    const checks = unnamed.checks.filter((c) => c.id === DOOR_CHECK);
    expect(checks.map((c) => c.status)).toEqual(["skipped", "skipped"]);
    expect(checks[0]!.message).toMatch(/add --door "Axis-/);
    const before = device.snapshot();
    const doorToken = Object.keys(before.runtime["DoorControl"] as Record<string, unknown>)[0]!;
    const named = await runSuite(device, { ids: [DOOR_CHECK], ownsDevice: false, doors: [doorToken] });
    expect(describeResults(named.checks.filter((c) => c.id === DOOR_CHECK && c.status !== "passed"))).toBe("");
    expect(device.snapshot()).toEqual(before);
  });
});

describe("pacs-conformance run (CLI) vs the reference device", () => {
  it("exits 0 and writes results.json and junit.xml for a passing run against --device", async () => {
    const device = await startTestDevice();
    const dir = await tempDir();
    let out = "";
    try {
      const code = await runCommand(["--device", device.url, "--grep", "paging.area-list", "--report-dir", dir, "--seed", "5"], {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (out += t) },
      });
      expect(code).toBe(0);
      const results = JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as { summary: Record<string, number>; checks: { id: string }[] };
      expect(results.summary["failed"]).toBe(0);
      expect(results.checks.map((c) => c.id)).toContain("pacsaxis.paging.area-list.limit-one");
      expect(await readFile(join(dir, "junit.xml"), "utf8")).toContain('classname="AccessControl.soap"');
      expect(out).toContain("0 failed");
    } finally {
      await device.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("starts the built-in reference device when --device is not given", async () => {
    const dir = await tempDir();
    let out = "";
    try {
      const code = await runCommand(
        ["--grep", "pacsaxis.area.", "--transport", "json", "--report-dir", dir],
        { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) } },
        embeddedTargets,
      );
      expect(out).toMatch(/checks against http:\/\/127\.0\.0\.1:\d+\//);
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 when a check fails", async () => {
    const device = await startTestDevice({ quirks: ["ignore-limit"] });
    const dir = await tempDir();
    try {
      const sink = { write: () => true };
      expect(await runCommand(["--device", device.url, "--grep", "area-list.limit-one", "--report-dir", dir], { stdout: sink, stderr: sink })).toBe(1);
    } finally {
      await device.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
