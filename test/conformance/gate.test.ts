/**
 * The CI gate with the real CLI against the reference device: --expect (expected-fail,
 * unexpectedly-passed, --strict-expect), --baseline with --fail-on new, --strict, and
 * results.json validating against the published JSON Schema (schemas/results.schema.json).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../conformance/cli.js";
import { applyExpectations, compareWithBaseline, parseExpectations } from "../../conformance/harness/gate.js";
import type { CheckResult, RunReport } from "../../conformance/harness/types.js";
import { startDevice } from "../../src/device/server.js";

/** A paging check the quirk ignore-limit breaks (the device answers more than Limit items). */
const BROKEN = "pacsaxis.paging.access-point-list.limit-one";
const GREP = "pacsaxis.paging.access-point-list.limit-one";

function quietIo() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
}

async function validator(): Promise<((data: unknown) => boolean) & { errors?: unknown }> {
  const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
  const schema = JSON.parse(await readFile(new URL("../../schemas/results.schema.json", import.meta.url), "utf8")) as object;
  return new mod.default({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
}

describe("the CI gate, with the real CLI against the reference device", () => {
  let broken: Awaited<ReturnType<typeof startDevice>>;
  let clean: Awaited<ReturnType<typeof startDevice>>;
  let dir: string;
  let validate: Awaited<ReturnType<typeof validator>>;

  beforeAll(async () => {
    broken = await startDevice({ quirks: ["ignore-limit"], maxLimit: 10 });
    clean = await startDevice({ maxLimit: 10 });
    dir = await mkdtemp(join(tmpdir(), "pcx-gate-"));
    validate = await validator();
  });
  afterAll(async () => {
    await broken.close();
    await clean.close();
  });

  async function run(device: { url: string }, name: string, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string; results: { summary: Record<string, number>; checks: { id: string; transport: string; status: string }[]; baseline?: Record<string, string[]> } }> {
    const { out, io } = quietIo();
    const reportDir = join(dir, name);
    const code = await runCommand(["--device", `${device.url}/`, "--grep", GREP, "--report-dir", reportDir, ...extra], io);
    const text = await readFile(join(reportDir, "results.json"), "utf8");
    const doc = JSON.parse(text) as unknown;
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    return { code, ...out, results: doc as never };
  }

  it("without a list, the broken check fails the run (exit 1)", async () => {
    const r = await run(broken, "plain");
    expect(r.code).toBe(1);
    expect(r.results.checks.filter((c) => c.id === BROKEN).map((c) => c.status)).toEqual(["failed", "failed"]);
  });

  it("--expect turns the listed failure into expected-fail (only on its transport) and the run passes when nothing else fails", async () => {
    const file = join(dir, "expect.yaml");
    await writeFile(file, `expected:\n  - id: ${BROKEN}\n    reason: firmware 1.2 ignores Limit\n    issue: "#42"\n`);
    const both = await run(broken, "expect-both", "--expect", file);
    expect(both.code).toBe(0);
    expect(both.results.checks.filter((c) => c.id === BROKEN).map((c) => c.status)).toEqual(["expected-fail", "expected-fail"]);
    expect(both.stdout).toMatch(/2 expected-fail/);
    const soapOnly = join(dir, "expect-soap.json");
    await writeFile(soapOnly, JSON.stringify([{ id: BROKEN, transport: "soap", reason: "SOAP only" }]));
    const one = await run(broken, "expect-soap", "--expect", soapOnly);
    expect(one.code).toBe(1);
    expect(one.results.checks.filter((c) => c.id === BROKEN).map((c) => `${c.transport}:${c.status}`)).toEqual(["soap:expected-fail", "json:failed"]);
  });

  it("a listed check that passes is unexpectedly-passed; --strict-expect makes that fail the run", async () => {
    const file = join(dir, "expect-clean.yaml");
    await writeFile(file, `- id: ${BROKEN}\n  reason: fixed since\n`);
    const lenient = await run(clean, "unexpected", "--expect", file);
    expect(lenient.code).toBe(0);
    expect(lenient.results.summary["unexpectedly-passed"]).toBe(2);
    expect(lenient.stdout).toMatch(/UNEXPECTEDLY PASSED/);
    expect((await run(clean, "unexpected-strict", "--expect", file, "--strict-expect")).code).toBe(1);
  });

  it("refuses an --expect list naming a check that does not exist, or missing a reason (exit 2, naming the entry)", async () => {
    const typo = join(dir, "typo.yaml");
    await writeFile(typo, "- id: tac.no-such-check\n  reason: x\n");
    const { out, io } = quietIo();
    expect(await runCommand(["--device", `${clean.url}/`, "--expect", typo], io)).toBe(2);
    expect(out.stderr).toMatch(/no check has the id "tac.no-such-check"/);
    const noReason = join(dir, "no-reason.yaml");
    await writeFile(noReason, `- id: ${BROKEN}\n`);
    const second = quietIo();
    expect(await runCommand(["--device", `${clean.url}/`, "--expect", noReason], second.io)).toBe(2);
    expect(second.out.stderr).toMatch(/entry 1 \(pacsaxis\.paging[^)]*\): "reason" must say why/);
  });

  it("--baseline reports new, still failing and fixed checks; --fail-on new fails only on new failures", async () => {
    const failing = await run(broken, "base-failing");
    const baseline = join(dir, "base-failing", "results.json");
    const same = await run(broken, "again", "--baseline", baseline, "--fail-on", "new");
    expect(failing.code).toBe(1);
    expect(same.code).toBe(0);
    expect(same.results.baseline?.["stillFailing"]).toEqual([`${BROKEN} [soap]`, `${BROKEN} [json]`]);
    const fixed = await run(clean, "fixed", "--baseline", baseline);
    expect(fixed.code).toBe(0);
    expect(fixed.results.baseline?.["fixed"]).toEqual([`${BROKEN} [soap]`, `${BROKEN} [json]`]);
    expect(fixed.stdout).toMatch(/FIXED pacsaxis\.paging/);
    const cleanBase = join(dir, "fixed", "results.json");
    const regressed = await run(broken, "regressed", "--baseline", cleanBase, "--fail-on", "new");
    expect(regressed.code).toBe(1);
    expect(regressed.results.baseline?.["newFailures"]).toEqual([`${BROKEN} [soap]`, `${BROKEN} [json]`]);
    expect(regressed.stdout).toMatch(/NEW +pacsaxis\.paging/);
  });
});

describe("gate rules (pure)", () => {
  const check = (id: string, transport: "soap" | "json", status: CheckResult["status"]): CheckResult => ({ id, title: id, service: "S", transport, status, durationMs: 1, message: "m", specRefs: [], rule: "r", quirk: "q", evidence: [], warnings: [] });
  const report = (checks: CheckResult[]): RunReport => ({
    tool: { name: "t", version: "1" },
    device: { url: "http://127.0.0.1/" },
    startedAt: "2026-12-01T00:00:00.000Z",
    finishedAt: "2026-12-01T00:00:01.000Z",
    summary: { passed: 0, failed: 0, warned: 0, skipped: 0, errored: 0, "expected-fail": 0, "unexpectedly-passed": 0, flaky: 0 },
    checks,
    seed: 1,
    runId: "r",
    transports: ["soap", "json"],
    interrupted: false,
  });

  it("an expected failure that is skipped stays skipped; an errored one is expected-fail too", () => {
    const r = applyExpectations(report([check("a", "soap", "skipped"), check("b", "soap", "errored")]), [
      { id: "a", reason: "x" },
      { id: "b", reason: "y" },
    ]);
    expect(r.checks.map((c) => c.status)).toEqual(["skipped", "expected-fail"]);
    expect(r.summary["expected-fail"]).toBe(1);
  });

  it("counts a check new in the run as added (and a new failure when it fails), and one the suite no longer has as removed", () => {
    const cmp = compareWithBaseline(report([check("kept", "soap", "failed"), check("new", "soap", "failed")]), new Map([["kept [soap]", "passed"], ["gone [soap]", "failed"]]), "b.json");
    expect(cmp).toEqual({ file: "b.json", newFailures: ["kept [soap]", "new [soap]"], fixed: [], stillFailing: [], added: ["new [soap]"], removed: ["gone [soap]"] });
  });

  it("reads JSON and YAML lists and refuses unknown fields, naming them", () => {
    expect(parseExpectations('[{"id": "a", "reason": "r"}]', "x.json")).toEqual([{ id: "a", reason: "r" }]);
    expect(parseExpectations("- id: a\n  reason: r\n  transport: json\n", "x.yml")).toEqual([{ id: "a", reason: "r", transport: "json" }]);
    expect(() => parseExpectations("- id: a\n  reason: r\n  why: no\n", "x.yml")).toThrow(/unknown field "why"/);
    expect(() => parseExpectations("- id: a\n  reason: r\n  transport: http\n", "x.yml")).toThrow(/"transport" must be soap, json or both/);
  });
});

describe("--retries: a check that fails, then passes, is flaky", () => {
  it("runs a failed check again and reports it flaky with the first failure's message (never passed); a steady failure stays failed", async () => {
    const { runConformance } = await import("../../conformance/harness/index.js");
    const device = await startDevice({ maxLimit: 10 });
    try {
      let calls = 0;
      const wobbly = { id: "t.wobbly", title: "fails once", service: "Test", rule: "r", specRefs: [], quirk: "ignore-limit", transports: ["soap"] as const, async run(ctx: { call(op: string, i: unknown): Promise<unknown>; fail(m: string): never }) {
        await ctx.call("tac:GetServiceCapabilities", {});
        if (++calls === 1) ctx.fail("first attempt fails");
      } };
      const steady = { ...wobbly, id: "t.steady", title: "always fails", async run(ctx: { fail(m: string): never }) {
        ctx.fail("always");
      } };
      const report = await runConformance({ deviceUrl: device.url, checks: [wobbly, steady] as never, retries: 2, preserveData: false, transports: ["soap"] });
      expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual(["t.wobbly:flaky", "t.steady:failed"]);
      expect(report.checks[0]!.message).toMatch(/passed on retry 1 of 2 after: first attempt fails/);
      expect(report.summary.flaky).toBe(1);
    } finally {
      await device.close();
    }
  });

  it("refuses --retries out of range, naming the flag", async () => {
    const { out, io } = quietIo();
    expect(await runCommand(["--retries", "11"], io)).toBe(2);
    expect(out.stderr).toMatch(/--retries "11" must be a whole number from 0 to 10/);
  });
});

describe("--retries with the real CLI, through a flaky link to the reference device", () => {
  it("a check whose first request is lost (HTTP 503 from the link) passes on retry and is reported flaky; exit 0", async () => {
    const { createServer } = await import("node:http");
    const device = await startDevice({ maxLimit: 10 });
    let dropped = 0;
    // A link that answers 503 to the first GetAreaInfo (not ...List) request and forwards everything else.
    const link = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        if (dropped === 0 && /GetAreaInfo(?!List)/.test(body.toString("utf8"))) {
          dropped++;
          res.writeHead(503, { "content-type": "text/plain" }).end("link down\n");
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "content-length" && k !== "connection")) as Record<string, string>;
        void fetch(`${device.url}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, ...(req.method === "POST" ? { body } : {}) }).then(async (r) => {
          const text = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => k !== "content-length" && k !== "transfer-encoding" && k !== "connection"))).end(text);
        });
      });
    });
    await new Promise<void>((r) => link.listen(0, "127.0.0.1", r));
    const port = (link.address() as { port: number }).port;
    try {
      const dir = await mkdtemp(join(tmpdir(), "pcx-retries-"));
      const { io } = quietIo();
      const code = await runCommand(["--device", `http://127.0.0.1:${port}/`, "--grep", "tac.get-area-info.empty-token-list", "--transport", "soap", "--retries", "1", "--report-dir", dir, "--reporter", "json"], io);
      const doc = JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as { checks: { id: string; status: string; message: string }[]; summary: Record<string, number> };
      expect(dropped).toBe(1);
      expect(doc.checks.find((c) => c.id === "tac.get-area-info.empty-token-list")).toMatchObject({ status: "flaky", message: expect.stringMatching(/passed on retry 1 of 1 after: .*503/) });
      expect(code).toBe(0);
    } finally {
      link.close();
      await device.close();
    }
  });
});

describe("--config with the real CLI against the reference device", () => {
  it("runs what the config file says (device, grep, report dir, reporters, expect relative to the file); a flag wins", async () => {
    const device = await startDevice({ maxLimit: 10, quirks: ["ignore-limit"] });
    try {
      const dir = await mkdtemp(join(tmpdir(), "pcx-config-run-"));
      await writeFile(join(dir, "known.yaml"), `- id: ${BROKEN}\n  reason: the test device ignores Limit\n`);
      const file = join(dir, "pacs-conformance.config.json");
      await writeFile(file, JSON.stringify({ device: `${device.url}/`, grep: GREP, reportDir: join(dir, "out"), reporters: ["json"], expect: "known.yaml", transport: "json" }));
      const { io } = quietIo();
      expect(await runCommand(["--config", file], io)).toBe(0);
      const doc = JSON.parse(await readFile(join(dir, "out", "results.json"), "utf8")) as { checks: { id: string; transport: string; status: string }[] };
      expect(doc.checks.filter((c) => c.id === BROKEN).map((c) => `${c.transport}:${c.status}`)).toEqual(["json:expected-fail"]);
      expect(await runCommand(["--config", file, "--transport", "soap", "--report-dir", join(dir, "soap")], quietIo().io)).toBe(0);
      const soap = JSON.parse(await readFile(join(dir, "soap", "results.json"), "utf8")) as { transports: string[] };
      expect(soap.transports).toEqual(["soap"]);
    } finally {
      await device.close();
    }
  });
});
