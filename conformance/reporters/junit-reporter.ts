/**
 * `junit.xml`: one testcase per (check, transport), classname = `<service>.<transport>`, grouped
 * in one testsuite per classname. failed → <failure> naming the rule, with what was seen and an
 * excerpt of the offending request/response; errored → <error>; skipped → <skipped>; warned →
 * passes, with the warning in <system-out> (JUnit has no warning state). Each testsuite's
 * <properties> carry the run's device and seed and, when the run judged services, its service's
 * verdict (over all transports): service-support, service-verdict and service-checks.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult, Reporter, RunReport, ServiceVerdict } from "../harness/types.js";
import { escapeXmlAttr, escapeXmlText } from "../../src/runtime/xml.js";
import { renderExcerpt } from "../harness/evidence.js";

export const JUNIT_FILE = "junit.xml";

// Characters XML 1.0 cannot carry at all (device bodies may contain them).
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

function attr(s: string): string {
  return escapeXmlAttr(s.replace(NOT_XML, "\uFFFD"));
}

function text(s: string): string {
  return escapeXmlText(s.replace(NOT_XML, "\uFFFD"));
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function body(r: CheckResult): string {
  const parts = [`rule: ${r.rule}`, `seen: ${r.message}`, `spec: ${r.specRefs.join(", ")}`];
  for (const ex of r.evidence) parts.push("", renderExcerpt(ex));
  return parts.join("\n");
}

function testcase(r: CheckResult): string {
  const open = `    <testcase classname="${attr(`${r.service}.${r.transport}`)}" name="${attr(r.id)}" time="${seconds(r.durationMs)}">`;
  switch (r.status) {
    case "failed":
      return `${open}\n      <failure message="${attr(r.rule)}" type="failed">${text(body(r))}</failure>\n    </testcase>`;
    case "errored":
      return `${open}\n      <error message="${attr(r.message)}" type="errored">${text(body(r))}</error>\n    </testcase>`;
    case "skipped":
      return `${open}\n      <skipped message="${attr(r.message)}"/>\n    </testcase>`;
    case "warned":
      return `${open}\n      <system-out>${text(`WARNING: ${r.message}`)}</system-out>\n    </testcase>`;
    case "expected-fail":
      // A known deviation (--expect): reported, but not a failure of the gate.
      return `${open}\n      <skipped message="${attr(`expected-fail: ${r.message}`)}"/>\n    </testcase>`;
    case "flaky":
      return `${open}\n      <system-out>${text(`FLAKY: ${r.message}`)}</system-out>\n    </testcase>`;
    case "unexpectedly-passed":
      return `${open}\n      <system-out>${text(`UNEXPECTEDLY PASSED: ${r.message}`)}</system-out>\n    </testcase>`;
    default:
      return `${open}</testcase>`;
  }
}

/** The suite's service verdict as properties; "" for a service the run did not judge (Harness). */
function serviceProperties(v: ServiceVerdict | undefined): string {
  if (v === undefined) return "";
  const checks = `${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped, ${v.other} other (all transports)`;
  return `<property name="service-support" value="${attr(v.support)}"/><property name="service-verdict" value="${attr(v.verdict)}"/><property name="service-checks" value="${attr(checks)}"/>`;
}

export function renderJunitXml(report: RunReport): string {
  const suites = new Map<string, CheckResult[]>();
  for (const r of report.checks) {
    const key = `${r.service}.${r.transport}`;
    suites.set(key, [...(suites.get(key) ?? []), r]);
  }
  const count = (rs: readonly CheckResult[], s: CheckResult["status"]) => rs.filter((r) => r.status === s).length;
  const total = (rs: readonly CheckResult[]) => seconds(rs.reduce((n, r) => n + r.durationMs, 0));
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`];
  const all = report.checks;
  out.push(
    `<testsuites name="${attr(report.tool.name)}" tests="${all.length}" failures="${count(all, "failed")}" errors="${count(all, "errored")}" skipped="${count(all, "skipped") + count(all, "expected-fail")}" time="${total(all)}">`,
  );
  for (const [name, rs] of suites) {
    out.push(
      `  <testsuite name="${attr(name)}" tests="${rs.length}" failures="${count(rs, "failed")}" errors="${count(rs, "errored")}" skipped="${count(rs, "skipped") + count(rs, "expected-fail")}" time="${total(rs)}" timestamp="${attr(report.startedAt)}">`,
    );
    const verdict = report.services?.find((v) => v.service === rs[0]!.service);
    out.push(`    <properties><property name="device" value="${attr(report.device.url)}"/><property name="seed" value="${report.seed}"/>${serviceProperties(verdict)}</properties>`);
    for (const r of rs) out.push(testcase(r));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

export class JunitReporter implements Reporter {
  constructor(private readonly dir: string) {}

  async onEnd(report: RunReport): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, JUNIT_FILE), renderJunitXml(report), "utf8");
  }
}
