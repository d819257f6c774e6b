/**
 * Feature discovery end to end: the suite against reference devices that play smaller products
 * (--services, --capability), a device whose capability answer is not schema-valid, and a vendor's
 * feature declaration (--features). Checks of what a device does not serve are skipped, never
 * failed; the feature list says why and validates against schemas/features.schema.json.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "../../conformance/cli.js";
import type { RunReport } from "../../conformance/harness/types.js";
import { CATALOGUE } from "../../conformance/cases/events/catalogue.js";
import { docTopic, formatTopic } from "../../conformance/cases/events/topic.js";
import { describeResults, runSuite, startTestDevice, tempDir, type Device } from "./helpers.js";

async function featuresSchemaProblems(doc: unknown): Promise<unknown[]> {
  const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } } };
  const schema = JSON.parse(await readFile(new URL("../../schemas/features.schema.json", import.meta.url), "utf8")) as object;
  const validate = new mod.default({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
  return validate(doc) ? [] : (validate.errors ?? []);
}

/** The CLI against `url`, its report directory read back. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; results?: RunReport; features?: Record<string, unknown>; junit?: string }> {
  const dir = await tempDir();
  const out = { stdout: "", stderr: "" };
  try {
    const code = await runCommand([...argv, "--report-dir", dir, "--seed", "7"], {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    });
    const read = async (name: string): Promise<string | undefined> => readFile(join(dir, name), "utf8").catch(() => undefined);
    const results = await read("results.json");
    const features = await read("features.json");
    const junit = await read("junit.xml");
    return {
      code,
      ...out,
      ...(results === undefined ? {} : { results: JSON.parse(results) as RunReport }),
      ...(features === undefined ? {} : { features: JSON.parse(features) as Record<string, unknown> }),
      ...(junit === undefined ? {} : { junit }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("a device that serves fewer services (--services)", () => {
  let device: Device;
  let report: RunReport;
  beforeAll(async () => {
    // Keystore and ThirdPartyCredential left out: a smaller product.
    device = await startTestDevice({ services: ["AccessControl", "DoorControl", "IdPoint", "IoAssignment", "Schedule", "User", "EventLogger", "Events", "ServiceDiscovery", "RemoteIO", "Connection"] });
    report = await runSuite(device);
  }, 300_000);
  afterAll(() => device.close());

  it("passes: nothing failed, the left-out services' checks are skipped as not supported", () => {
    expect(describeResults(report.checks.filter((c) => c.status !== "passed" && c.status !== "skipped"))).toBe("");
    for (const service of ["Keystore", "ThirdPartyCredential"]) {
      const mine = report.checks.filter((c) => c.service === service);
      expect(mine.length).toBeGreaterThan(0);
      expect(describeResults(mine.filter((c) => c.status !== "skipped" || !c.message.startsWith("not supported by the device")))).toBe("");
    }
    const skipped = report.checks.find((c) => c.service === "Keystore")!;
    expect(skipped.message).toMatch(/service:axkey is not supported: axkey:\w+ answered env:\w+\/ter:(UnknownAction|ActionNotSupported)/);
  });

  it("the feature list says why, and the summary gives per-service verdicts", () => {
    const axkey = report.features!.features.find((f) => f.id === "service:axkey")!;
    expect(axkey.state).toBe("not-supported");
    expect(axkey.advertised).toBe("not-supported");
    expect(axkey.exchange?.response?.body).toMatch(/UnknownAction|ActionNotSupported/);
    expect(report.features!.features.find((f) => f.id === "service:axtpc")?.state).toBe("not-supported");
    expect(report.features!.features.find((f) => f.id === "service:tac")?.state).toBe("supported");
    const verdicts = new Map(report.services!.map((s) => [s.service, s]));
    expect(verdicts.get("Keystore")).toMatchObject({ support: "not-supported", verdict: "not-supported", failed: 0 });
    expect(verdicts.get("ThirdPartyCredential")).toMatchObject({ support: "not-supported", verdict: "not-supported" });
    expect(verdicts.get("AccessControl")).toMatchObject({ support: "supported", verdict: "conformant", failed: 0 });
  });

  it("names topics as the event checks do: every required topic of a served service is a feature, and every topic feature reads back to itself", () => {
    const topics = report.features!.features.filter((f) => f.kind === "topic" && f.state === "supported").map((f) => f.id.slice("topic:".length));
    expect(topics.length).toBeGreaterThan(50);
    // The documentation's notation, normalised as the event checks read it (a prefix only where the namespace changes).
    expect(topics.filter((t) => formatTopic(docTopic(t)) !== t)).toEqual([]);
    const required = CATALOGUE.filter((t) => t.required && t.service !== "ThirdPartyCredential").map((t) => formatTopic(docTopic(t.topic)));
    expect(required.filter((t) => !topics.includes(t))).toEqual([]);
  });
});

describe("a device without the remote I/O service (--services)", () => {
  it("skips the check of a hardware topic it does not advertise before it runs, the feature list saying why", async () => {
    const device = await startTestDevice({ services: ["AccessControl", "DoorControl", "IdPoint", "Schedule", "User", "EventLogger", "Events", "Connection"] });
    try {
      const report = await runSuite(device, { grep: "tev.topic.remote-device" });
      const checks = report.checks.filter((c) => c.id.startsWith("tev.topic."));
      expect(checks.length).toBeGreaterThan(0);
      for (const c of checks) {
        expect(c.status).toBe("skipped");
        expect(c.message).toMatch(/^not supported by the device: topic:tnsaxis:RemoteDevice\/Connection\/Status is not supported: GetEventProperties does not advertise it \(its TopicSet has \d+ topics\)$/);
      }
      expect(report.features!.features.find((f) => f.id === "topic:tnsaxis:RemoteDevice/Connection/Status")).toMatchObject({ kind: "topic", state: "not-supported" });
    } finally {
      await device.close();
    }
  });
});

describe("a capability flag turned off (--capability SetAccessPoint=false)", () => {
  let device: Device;
  beforeAll(async () => {
    device = await startTestDevice({ capabilities: { SetAccessPoint: "false" } });
  });
  afterAll(() => device.close());

  it("skips the checks that set access points, and the consistency checks pass", async () => {
    const report = await runSuite(device, { grep: "access-point" });
    expect(describeResults(report.checks.filter((c) => c.status === "failed" || c.status === "errored"))).toBe("");
    const skipped = report.checks.filter((c) => c.status === "skipped" && c.message.includes("operation:pacsaxis:SetAccessPoint is not supported"));
    expect(skipped.length).toBeGreaterThan(0);
    const flag = report.features!.features.find((f) => f.id === "capability:tac.SetAccessPoint")!;
    expect(flag).toMatchObject({ state: "not-supported", value: false });
    const consistency = await runSuite(device, { grep: "discovery." });
    expect(describeResults(consistency.checks.filter((c) => c.status !== "passed"))).toBe("");
  }, 120_000);
});

describe("the CLI's feature list", () => {
  it("--services leaving out two services: exit 0, the checks skipped, features.json valid and saying why", async () => {
    const device = await startTestDevice({ services: ["AccessControl", "DoorControl", "IdPoint", "Schedule", "User", "Events", "Device"] });
    try {
      const r = await cli(["--device", device.url, "--grep", "axkey."]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(await featuresSchemaProblems(r.features)).toEqual([]);
      const features = r.features!["features"] as { id: string; state: string; evidence: string }[];
      expect(features.find((f) => f.id === "service:axkey")).toMatchObject({ state: "not-supported" });
      expect(r.stdout).toMatch(/not-supported/);
    } finally {
      await device.close();
    }
  }, 120_000);

  it("a capability answer that is not schema-valid is a failed check in a full report (exit 1), not a failure to start", async () => {
    const device = await startTestDevice({ quirks: ["capabilities-invalid-boolean"] });
    try {
      const r = await cli(["--device", device.url, "--grep", "discovery.capabilities"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("");
      const failed = r.results!.checks.filter((c) => c.status === "failed");
      expect(failed.map((c) => c.id)).toContain("discovery.capabilities.schema-valid");
      expect(failed.find((c) => c.id === "discovery.capabilities.schema-valid")!.evidence[0]?.response?.body).toContain('DisableCredential="True"');
      expect(r.junit).toContain("discovery.capabilities.schema-valid");
      expect(r.stdout).toContain("discovery.capabilities.schema-valid");
      // Read leniently: the run went on with DisableCredential taken as true, and says so.
      expect(r.results!.features!.problems.join("\n")).toContain('DisableCredential="True" is not an xs:boolean');
      expect(r.results!.features!.features.find((f) => f.id === "capability:tac.DisableCredential")).toMatchObject({ state: "supported", value: true });
      expect(await featuresSchemaProblems(r.features)).toEqual([]);
    } finally {
      await device.close();
    }
  }, 120_000);

  it("--features: the declared states decide what runs, and differences are reported", async () => {
    const device = await startTestDevice();
    const dir = await tempDir();
    try {
      const file = join(dir, "vendor.json");
      await writeFile(file, JSON.stringify({ features: [{ id: "service:axkey", state: "not-supported" }, { id: "service:tac", state: "supported" }] }));
      const r = await cli(["--device", device.url, "--grep", "axkey.", "--features", file]);
      expect(r.code).toBe(0);
      expect(r.results!.checks.filter((c) => c.service === "Keystore").every((c) => c.status === "skipped")).toBe(true);
      expect(r.results!.features!.differences).toEqual([expect.objectContaining({ id: "service:axkey", declared: "not-supported", discovered: "supported" })]);
      expect(r.features!["declaredFrom"]).toBe(file);
      const bad = await cli(["--device", device.url, "--features", join(dir, "missing.json")]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--features");
    } finally {
      await device.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
