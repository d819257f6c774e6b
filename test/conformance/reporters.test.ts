import { describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseXml } from "../../src/runtime/xml.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { featuresDocument, serviceVerdicts } from "../../conformance/harness/features.js";
import { summarize } from "../../conformance/harness/gate.js";
import type { CheckResult, Feature, FeatureList, RunReport, ServiceVerdict } from "../../conformance/harness/types.js";
import { ConsoleReporter, FEATURES_FILE, JsonReporter, JunitReporter, RESULTS_FILE, renderJunitXml } from "../../conformance/reporters/index.js";
import { servicesSentence } from "../../conformance/reporters/feature-summary.js";

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

// ---------------------------------------------------------------------------------------------
// Feature discovery in the reports: features.json, results.json, the console's sections, JUnit.

type Validate = ((d: unknown) => boolean) & { errors?: unknown };

async function schemaValidator(file: string): Promise<Validate> {
  const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): Validate } };
  const schema = JSON.parse(await readFile(new URL(`../../schemas/${file}`, import.meta.url), "utf8")) as object;
  return new mod.default({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
}

const feature = (id: string, state: Feature["state"], evidence: string, extra: Partial<Feature> = {}): Feature => ({
  id,
  kind: id.slice(0, id.indexOf(":")) as Feature["kind"],
  state,
  evidence,
  ...extra,
});

/** A device that serves access control and door control, not keystore nor third-party credentials. */
const features: FeatureList = {
  features: [
    ...["GetArea", "GetCredential", "RemoveArea", "RemoveCredential", "SetArea", "SetCredential"].map((name) => feature(`capability:tac.${name}`, "supported", `tac:GetServiceCapabilities: ${name}="true"`, { value: true })),
    feature("capability:tac.MaxLimit", "supported", "tac:GetServiceCapabilities: MaxLimit=100", { value: 100 }),
    ...["DisableCredential", "RemoveAccessPoint"].map((name) => feature(`capability:tac.${name}`, "not-supported", `tac:GetServiceCapabilities: ${name}="false"`, { value: false })),
    feature("capability:tac.SetAccessPoint", "not-supported", 'tac:GetServiceCapabilities: SetAccessPoint="true"', { value: true, discovered: "supported" }),
    feature("capability:axtid.SetIdPoint", "not-supported", 'axtid:GetServiceCapabilities: SetIdPoint="false"', { value: false }),
    ...["GetDoorSupported", "PriorityConfigurationSupported", "SetDoorSupported"].map((name) => feature(`capability:tdc.${name}`, "not-supported", `tdc:GetServiceCapabilities: ${name}="false"`, { value: false })),
    feature("door:Access", "supported", "tdc:GetDoorInfoList: 2 of 2 door(s) have Access"),
    feature("operation:pacsaxis:SetAccessPoint", "undefined", "not probed: capability flag is false"),
    feature("service:axkey", "not-supported", "axkey:GetServiceCapabilities: HTTP 404 at POST /vapix/axkey", {
      exchange: { operation: "axkey:GetServiceCapabilities", request: { method: "POST", url: "http://127.0.0.1:1/vapix/axkey", body: '{"axkey:GetServiceCapabilities":{}}' }, response: { status: 404, body: "Not Found" } },
    }),
    feature("service:axtdc", "supported", "axtdc:GetServiceCapabilities answered"),
    feature("service:axtpc", "not-supported", "axtpc:GetServiceCapabilities: HTTP 404 at POST /vapix/axtpc", { advertised: "supported" }),
    feature("service:pacsaxis", "supported", "pacsaxis:GetServiceCapabilities answered"),
    feature("service:tac", "supported", "tac:GetServiceCapabilities answered"),
    feature("service:tdc", "supported", "tdc:GetServiceCapabilities answered"),
    feature("topic:tns1:AccessControl/AccessGranted/Card", "supported", "GetEventProperties advertises it"),
  ].sort((a, b) => (a.id < b.id ? -1 : 1)),
  declaredFrom: "vendor-features.json",
  differences: [{ id: "capability:tac.SetAccessPoint", declared: "not-supported", discovered: "supported", evidence: 'tac:GetServiceCapabilities: SetAccessPoint="true"' }],
  problems: ['tac:GetServiceCapabilities MaxLimit="100 " is not an xs:unsignedInt; read as 100'],
};

function svc(service: string, id: string, status: CheckResult["status"], extra: Partial<CheckResult> = {}): CheckResult {
  return { ...result(id, "soap", status, status === "skipped" ? `${service} is not supported` : "ok"), service, ...extra };
}

const servedChecks: CheckResult[] = [
  svc("AccessControl", "pacsaxis.area.get", "passed", { undefinedFeatures: ["operation:pacsaxis:SetAccessPoint"] }),
  svc("AccessControl", "pacsaxis.area.set", "passed"),
  svc("AccessControl", "pacsaxis.area.remove", "warned", { undefinedFeatures: ["operation:pacsaxis:SetAccessPoint", "capability:tac.Foo"] }),
  svc("DoorControl", "tdc.door.info", "passed"),
  svc("Keystore", "axkey.list", "skipped"),
  svc("ThirdPartyCredential", "axtpc.list", "skipped"),
  svc("ThirdPartyCredential", "axtpc.set", "skipped"),
  svc("Harness", "harness.data-preserved", "passed"),
];

function featureReport(checks: readonly CheckResult[]): RunReport {
  return { ...report, checks, summary: summarize(checks), features, services: serviceVerdicts(checks, features) };
}

const conformant = featureReport(servedChecks);
const deviating = featureReport([...servedChecks, svc("DoorControl", "tdc.door.lock", "failed", { message: "DoorMode stayed Unlocked" }), svc("AccessControl", "pacsaxis.area.list", "errored")]);

describe("features.json and results.json with a feature list", () => {
  it("writes features.json next to results.json, both valid against their schemas", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pcx-report-"));
    try {
      await new JsonReporter(dir).onEnd(conformant);
      const text = await readFile(join(dir, FEATURES_FILE), "utf8");
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(doc).toEqual(JSON.parse(JSON.stringify(featuresDocument(features, { tool: report.tool, deviceUrl: report.device.url, discoveredAt: report.startedAt }))));
      expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
      expect(doc["counts"]).toEqual({ supported: 13, "not-supported": 9, undefined: 1 });
      expect(doc["declaredFrom"]).toBe("vendor-features.json");
      const validFeatures = await schemaValidator("features.schema.json");
      expect(validFeatures(doc) ? [] : validFeatures.errors).toEqual([]);

      const results = JSON.parse(await readFile(join(dir, RESULTS_FILE), "utf8")) as Record<string, unknown>;
      const validResults = await schemaValidator("results.schema.json");
      expect(validResults(results) ? [] : validResults.errors).toEqual([]);
      expect(results["features"]).toEqual(JSON.parse(JSON.stringify(features)));
      expect(results["services"]).toEqual(serviceVerdicts(servedChecks, features));
      const checks = results["checks"] as Record<string, unknown>[];
      expect(checks[0]!["undefinedFeatures"]).toEqual(["operation:pacsaxis:SetAccessPoint"]);
      expect(checks[1]).not.toHaveProperty("undefinedFeatures");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes no features.json for a run without a feature list, and removes an earlier run's from a reused dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pcx-report-"));
    try {
      await new JsonReporter(dir).onEnd(conformant);
      await new JsonReporter(dir).onEnd(report);
      await expect(readFile(join(dir, FEATURES_FILE), "utf8")).rejects.toMatchObject({ code: "ENOENT" });
      const results = JSON.parse(await readFile(join(dir, RESULTS_FILE), "utf8")) as Record<string, unknown>;
      expect(results).not.toHaveProperty("features");
      expect(results).not.toHaveProperty("services");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("results.schema.json refuses a malformed service verdict or undefinedFeatures entry", async () => {
    const validResults = await schemaValidator("results.schema.json");
    const doc = JSON.parse(JSON.stringify(conformant)) as { services: Record<string, unknown>[]; checks: Record<string, unknown>[] };
    expect(validResults(doc)).toBe(true);
    expect(validResults({ ...doc, services: [{ ...doc.services[0], verdict: "fine" }] })).toBe(false);
    expect(validResults({ ...doc, services: [{ ...doc.services[0], support: "maybe" }] })).toBe(false);
    expect(validResults({ ...doc, checks: [{ ...doc.checks[0], undefinedFeatures: ["SetAccessPoint"] }] })).toBe(false);
  });

  it("results.schema.json repeats features.schema.json's definitions unchanged", async () => {
    const defs = async (file: string) => (JSON.parse(await readFile(new URL(`../../schemas/${file}`, import.meta.url), "utf8")) as { $defs: Record<string, unknown> }).$defs;
    const [results, featuresDefs] = await Promise.all([defs("results.schema.json"), defs("features.schema.json")]);
    for (const name of Object.keys(featuresDefs)) expect([name, results[name]]).toEqual([name, featuresDefs[name]]);
  });
});

describe("console reporter: features and services", () => {
  const render = (r: RunReport): string => {
    let out = "";
    new ConsoleReporter({ stream: { write: (t: string) => (out += t) } }).onEnd(r);
    return out;
  };

  it("prints one aligned line per service and a closing sentence", () => {
    const out = render(conformant);
    const lines = out.split("\n");
    const at = lines.indexOf("Services:");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "  AccessControl         supported      conformant     3 passed, 0 failed, 0 skipped",
      "  DoorControl           supported      conformant     1 passed, 0 failed, 0 skipped",
      "  Keystore              not-supported  not-supported  0 passed, 0 failed, 1 skipped",
      "  ThirdPartyCredential  not-supported  not-supported  0 passed, 0 failed, 2 skipped",
    ]);
    expect(lines[at + 5]).toBe("Conformant for the 2 services it serves; 2 services not supported (Keystore, ThirdPartyCredential).");
    expect(out).toContain("2 checks ran on undefined features; see features.json");
    expect(out).not.toMatch(/\x1b\[/);
  });

  it("names the services with deviations", () => {
    const out = render(deviating);
    expect(out).toContain("  AccessControl         supported      deviations     3 passed, 0 failed, 0 skipped, 1 other");
    expect(out).toContain("  DoorControl           supported      deviations     1 passed, 1 failed, 0 skipped");
    expect(out).toContain("Deviations in 2 of 2 served services (AccessControl, DoorControl); 2 services not supported (Keystore, ThirdPartyCredential).");
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^4 passed, 1 failed, 1 warned, 3 skipped, 1 errored/);
  });

  it("prints a short Features section: counts, what is not supported and why (capped), differences and problems", () => {
    const lines = render(conformant).split("\n");
    const at = lines.findIndex((l) => l.startsWith("Features: "));
    const end = lines.indexOf("Services:");
    const section = lines.slice(at, end);
    expect(section[0]).toBe("Features: 13 supported, 9 not-supported, 1 undefined (states declared in vendor-features.json)");
    const missing = section.filter((l) => l.startsWith("  not supported  "));
    // Services first, then capability flags (at most 6, then a count); each part's evidence in one column.
    const parsed = missing.map((l) => /^ {2}not supported {2}(\S+)( {2,})(.+)$/.exec(l)!);
    expect(parsed.map((m) => m[1])).toEqual([
      "service:axkey",
      "service:axtpc",
      "capability:axtid.SetIdPoint",
      "capability:tac.DisableCredential",
      "capability:tac.RemoveAccessPoint",
      "capability:tac.SetAccessPoint",
      "capability:tdc.GetDoorSupported",
      "capability:tdc.PriorityConfigurationSupported",
    ]);
    expect(new Set(parsed.slice(0, 2).map((m) => m[1]!.length + m[2]!.length)).size).toBe(1);
    expect(new Set(parsed.slice(2).map((m) => m[1]!.length + m[2]!.length)).size).toBe(1);
    expect(parsed[0]![3]).toBe("axkey:GetServiceCapabilities: HTTP 404 at POST /vapix/axkey");
    expect(section[section.indexOf(missing.at(-1)!) + 1]).toBe("  … 1 more in features.json");
    expect(section).toContain("  declared vs discovered (1):");
    expect(section).toContain('    capability:tac.SetAccessPoint: declared not-supported, discovered supported (tac:GetServiceCapabilities: SetAccessPoint="true")');
    expect(section).toContain('    tac:GetServiceCapabilities MaxLimit="100 " is not an xs:unsignedInt; read as 100');
    expect(section.length).toBeLessThanOrEqual(16);
    expect(section.join("\n")).not.toContain("topic:");
  });

  it("prints neither section for a run without a feature list", () => {
    const out = render(report);
    expect(out).not.toContain("Features:");
    expect(out).not.toContain("Services:");
    expect(out).not.toContain("undefined features");
  });
});

describe("servicesSentence", () => {
  const v = (service: string, support: ServiceVerdict["support"], verdict: ServiceVerdict["verdict"]): ServiceVerdict => ({ service, support, verdict, passed: 1, failed: 0, skipped: 0, other: 0 });

  it.each<[string, ServiceVerdict[]]>([
    ["Conformant for the 1 service it serves.", [v("AccessControl", "supported", "conformant")]],
    ["Conformant for the 1 service it serves that had checks run; no check ran for 1 (IoAssignment).", [v("AccessControl", "supported", "conformant"), v("IoAssignment", "supported", "not-run")]],
    ["No check ran for the 1 service it serves (IoAssignment).", [v("IoAssignment", "supported", "not-run")]],
    ["The device serves none of the services checked; 1 service not supported (Keystore).", [v("Keystore", "not-supported", "not-supported")]],
    ["Conformant for the 1 service it serves; 1 service not supported (Keystore); deviations in Keystore though not supported.", [v("AccessControl", "supported", "conformant"), v("Keystore", "not-supported", "deviations")]],
    ["No service had checks in this run.", []],
  ])("%s", (sentence, services) => {
    expect(servicesSentence(services)).toBe(sentence);
  });

  it("says so when the run was interrupted", () => {
    expect(servicesSentence([v("AccessControl", "supported", "conformant")], true)).toBe("Interrupted, so partial: conformant for the 1 service it serves.");
  });
});

describe("junit reporter: service verdicts", () => {
  it("adds each suite's service verdict to its properties", () => {
    const root = parseXml(renderJunitXml(deviating));
    const props = (suite: string) =>
      Object.fromEntries(all(all(root, "testsuite").find((s) => attr(s, "name") === suite)!, "property").map((p) => [attr(p, "name"), attr(p, "value")]));
    expect(props("DoorControl.soap")).toEqual({
      device: "http://127.0.0.1:1/",
      seed: "42",
      "service-support": "supported",
      "service-verdict": "deviations",
      "service-checks": "1 passed, 1 failed, 0 skipped, 0 other (all transports)",
    });
    expect(props("Keystore.soap")).toMatchObject({ "service-support": "not-supported", "service-verdict": "not-supported" });
    expect(props("Harness.soap")).toEqual({ device: "http://127.0.0.1:1/", seed: "42" });
    expect(all(root, "skipped").map((e) => attr(e, "message"))).toContain("ThirdPartyCredential is not supported");
  });
});
