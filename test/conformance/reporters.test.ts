import { describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseXml } from "../../src/runtime/xml.js";
import type { XmlElement } from "../../src/runtime/model.js";
import type { CheckResult, RunReport } from "../../conformance/harness/types.js";
import { ConsoleReporter, JsonReporter, JunitReporter, renderJunitXml } from "../../conformance/reporters/index.js";

function result(id: string, transport: CheckResult["transport"], status: CheckResult["status"], message: string): CheckResult {
  return {
    id,
    title: `title ${id}`,
    service: "AccessControl",
    transport,
    status,
    durationMs: 12,
    message,
    specRefs: ["access-control-service.md#getarealist-command", "ACCESSCONTROL-15-1-2"],
    rule: `rule <of> ${id} & more`,
    quirk: "ignore-limit",
    evidence:
      status === "failed"
        ? [{ operation: "pacsaxis:GetAreaList", request: { method: "POST", url: "http://127.0.0.1:1/vapix/pacs", body: '{"pacsaxis:GetAreaList":{"Limit":1}}' }, response: { status: 200, body: '{"Area":[{"token":"a"},{"token":"b"}]}\u0001' } }]
        : [],
    warnings: [],
  };
}

const report: RunReport = {
  tool: { name: "pacs-conformance", version: "0.1.0" },
  device: { url: "http://127.0.0.1:1/" },
  startedAt: "2024-01-01T00:00:00.000Z",
  finishedAt: "2024-01-01T00:00:01.000Z",
  summary: { passed: 1, failed: 1, warned: 1, skipped: 1, errored: 1, "expected-fail": 0, "unexpectedly-passed": 0, flaky: 0 },
  checks: [
    result("a.pass", "soap", "passed", "ok"),
    result("a.fail", "soap", "failed", "page 1 held 2 items; expected at most 1"),
    result("a.warn", "json", "warned", "got fault env:Sender/ter:InvalidArgs"),
    result("a.skip", "json", "skipped", "capability off"),
    result("a.err", "both", "errored", "timeout"),
  ],
  seed: 42,
  runId: "abcde",
  transports: ["soap", "json"],
  interrupted: false,
};

function all(el: XmlElement, local: string): XmlElement[] {
  return [...(el.local === local ? [el] : []), ...el.children.flatMap((c) => all(c, local))];
}

function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find((a) => a.local === name)?.value;
}

describe("junit reporter", () => {
  const root = parseXml(renderJunitXml(report));

  it("writes one testcase per check and transport, classname = service.transport", () => {
    const cases = all(root, "testcase");
    expect(cases.map((c) => [attr(c, "classname"), attr(c, "name")])).toEqual([
      ["AccessControl.soap", "a.pass"],
      ["AccessControl.soap", "a.fail"],
      ["AccessControl.json", "a.warn"],
      ["AccessControl.json", "a.skip"],
      ["AccessControl.both", "a.err"],
    ]);
    expect(attr(root, "tests")).toBe("5");
    expect(attr(root, "failures")).toBe("1");
    expect(attr(root, "errors")).toBe("1");
    expect(attr(root, "skipped")).toBe("1");
  });

  it("names the rule in the failure and shows what was seen plus the offending exchange", () => {
    const failure = all(root, "failure")[0] as XmlElement;
    expect(attr(failure, "message")).toBe("rule <of> a.fail & more");
    expect(failure.text).toContain("seen: page 1 held 2 items; expected at most 1");
    expect(failure.text).toContain('{"pacsaxis:GetAreaList":{"Limit":1}}');
    expect(failure.text).toContain("< HTTP 200");
    expect(failure.text).not.toContain("\u0001");
  });

  it("maps errored, skipped and warned", () => {
    expect(all(root, "error").map((e) => attr(e, "message"))).toEqual(["timeout"]);
    expect(all(root, "skipped").map((e) => attr(e, "message"))).toEqual(["capability off"]);
    expect(all(root, "system-out")[0]?.text).toBe("WARNING: got fault env:Sender/ter:InvalidArgs");
  });
});

describe("file reporters", () => {
  it("writes results.json with the documented shape and junit.xml into the report dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pcx-report-"));
    try {
      await new JsonReporter(dir).onEnd(report);
      await new JunitReporter(dir).onEnd(report);
      const json = JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(expect.arrayContaining(["tool", "device", "startedAt", "finishedAt", "summary", "checks"]));
      expect(json["tool"]).toEqual({ name: "pacs-conformance", version: "0.1.0" });
      expect(json["device"]).toEqual({ url: "http://127.0.0.1:1/" });
      expect(json["summary"]).toEqual({ passed: 1, failed: 1, warned: 1, skipped: 1, errored: 1, "expected-fail": 0, "unexpectedly-passed": 0, flaky: 0 });
      const checks = json["checks"] as Record<string, unknown>[];
      expect(checks).toHaveLength(5);
      for (const c of checks) {
        expect(Object.keys(c)).toEqual(expect.arrayContaining(["id", "title", "service", "transport", "status", "durationMs", "message", "specRefs"]));
      }
      expect(checks[1]).toMatchObject({ id: "a.fail", transport: "soap", status: "failed", specRefs: ["access-control-service.md#getarealist-command", "ACCESSCONTROL-15-1-2"] });
      expect(parseXml(await readFile(join(dir, "junit.xml"), "utf8")).local).toBe("testsuites");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("console reporter", () => {
  it("prints counts and one entry per failing or erroring check with rule and what was seen", () => {
    let out = "";
    new ConsoleReporter({ stream: { write: (t: string) => (out += t) }, progress: false }).onEnd(report);
    expect(out).toContain("1 passed, 1 failed, 1 warned, 1 skipped, 1 errored");
    expect(out).toContain("FAIL  a.fail [soap]");
    expect(out).toContain("rule: rule <of> a.fail & more");
    expect(out).toContain("seen: page 1 held 2 items; expected at most 1");
    expect(out).toContain("ERROR a.err [both]");
    expect(out).not.toContain("a.pass");
  });

  it("on a TTY, keeps one live progress line (done/total, failures, current check) and clears it before the summary", () => {
    let out = "";
    const tty = new ConsoleReporter({ stream: { write: (t: string) => (out += t), isTTY: true } });
    const plan = report.checks.map((c) => ({ check: { id: c.id } as never, transport: c.transport }));
    tty.onBegin({ tool: report.tool, deviceUrl: report.device.url, startedAt: report.startedAt, seed: 1, runId: "r", transports: ["soap"], plan });
    tty.onCaseBegin(plan[0]!);
    tty.onCaseEnd(report.checks[1]!);
    tty.onCaseBegin(plan[2]!);
    expect(out).toMatch(/\r\x1b\[2K\[0\/5\] 0 failing · \d+ s · a\.pass \[soap\]/);
    expect(out).toMatch(/\[1\/5\] 1 failing/);
    tty.onEnd(report);
    expect(out).toMatch(/\r\x1b\[2KFAIL  a.fail/);
    let plain = "";
    const pipe = new ConsoleReporter({ stream: { write: (t: string) => (plain += t) } });
    pipe.onCaseBegin(plan[0]!);
    expect(plain).toBe("");
  });
});
