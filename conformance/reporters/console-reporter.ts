/**
 * Console output: a header; on a TTY a live progress line (done/total, failures so far, the
 * current check, elapsed time), or with `progress` one character per check instead (the dot
 * reporter); then counts and one line per failing or erroring check (id, transport, the rule,
 * what was seen). Warnings get one short line each. Then, when the run discovered features, a
 * short Features section (counts by state, the services and capability flags not supported with
 * their evidence, declared-vs-discovered differences, discovery's problems; the rest is in
 * features.json) and a Services section: one aligned line per service and one closing sentence.
 * Not on a TTY, nothing is written between the header and the summary, so logs stay plain; no
 * colour either way.
 */
import { FEATURES_FILE } from "../harness/features.js";
import type { CheckResult, Feature, FeatureList, PlannedCheck, Reporter, RunBeginInfo, RunReport, ServiceVerdict } from "../harness/types.js";
import { describeCounts, servicesSentence, undefinedFeaturesNote } from "./feature-summary.js";

export interface ConsoleReporterOptions {
  /** Default process.stdout. */
  readonly stream?: { write(text: string): unknown; isTTY?: boolean };
  /** One progress character per check (the dot reporter); default false: a live line on a TTY instead. */
  readonly progress?: boolean;
  /** Also list warned checks (default true). */
  readonly showWarnings?: boolean;
}

/** Lines the Features section lists at most, per part; the rest is counted and left to features.json. */
const MAX_SERVICES = 8;
const MAX_CAPABILITIES = 6;
const MAX_DIFFERENCES = 4;
const MAX_PROBLEMS = 3;
/** Longest line of the Features section (evidence can quote a whole answer). */
const MAX_LINE = 160;

function clip(line: string): string {
  const flat = line.replace(/\s*[\r\n]+\s*/g, " ");
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

/** At most `max` lines, then "… N more in features.json". */
function capped(lines: readonly string[], max: number, indent: string): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `${indent}… ${lines.length - max} more in ${FEATURES_FILE}`];
}

/** The Features section: counts, what is not supported and why, differences, problems. */
export function featureSectionLines(list: FeatureList): string[] {
  const out = [`Features: ${describeCounts(list)}${list.declaredFrom === undefined ? "" : ` (states declared in ${list.declaredFrom})`}`];
  const missing = (kind: Feature["kind"]) => list.features.filter((f) => f.kind === kind && f.state === "not-supported");
  // Capped apart, so many services not served cannot hide the capability flags that are off.
  const services = missing("service");
  const capabilities = missing("capability");
  const lines = (fs: readonly Feature[], max: number): string[] => {
    const width = Math.max(0, ...fs.slice(0, max).map((f) => f.id.length));
    return capped(fs.map((f) => clip(`  not supported  ${f.id.padEnd(width)}  ${f.evidence}`)), max, "  ");
  };
  out.push(...lines(services, MAX_SERVICES), ...lines(capabilities, MAX_CAPABILITIES));
  if (list.differences.length > 0) {
    out.push(`  declared vs discovered (${list.differences.length}):`);
    out.push(...capped(list.differences.map((d) => clip(`    ${d.id}: declared ${d.declared}, discovered ${d.discovered} (${d.evidence})`)), MAX_DIFFERENCES, "    "));
  }
  if (list.problems.length > 0) {
    out.push(`  discovery met ${list.problems.length === 1 ? "1 problem" : `${list.problems.length} problems`} (read leniently; the consistency checks judge them):`);
    out.push(...capped(list.problems.map((p) => clip(`    ${p}`)), MAX_PROBLEMS, "    "));
  }
  return out;
}

/** The Services section: one aligned line per service, then the closing sentence. */
export function serviceSectionLines(services: readonly ServiceVerdict[], interrupted = false): string[] {
  const nameWidth = Math.max(0, ...services.map((v) => v.service.length));
  const supportWidth = Math.max(0, ...services.map((v) => v.support.length));
  const verdictWidth = Math.max(0, ...services.map((v) => v.verdict.length));
  const passedWidth = Math.max(0, ...services.map((v) => String(v.passed).length));
  const lines = services.map((v) => {
    const counts = `${String(v.passed).padStart(passedWidth)} passed, ${v.failed} failed, ${v.skipped} skipped${v.other > 0 ? `, ${v.other} other` : ""}`;
    return `  ${v.service.padEnd(nameWidth)}  ${v.support.padEnd(supportWidth)}  ${v.verdict.padEnd(verdictWidth)}  ${counts}`;
  });
  return ["Services:", ...lines, servicesSentence(services, interrupted)];
}

const MARK: Record<CheckResult["status"], string> = { passed: ".", failed: "F", warned: "W", skipped: "s", errored: "E", "expected-fail": "x", "unexpectedly-passed": "U", flaky: "f" };

export class ConsoleReporter implements Reporter {
  private readonly stream: { write(text: string): unknown; isTTY?: boolean };
  private readonly progress: boolean;
  private readonly showWarnings: boolean;
  private column = 0;
  private readonly live: boolean;
  private total = 0;
  private done = 0;
  private failures = 0;
  private started = 0;

  constructor(options: ConsoleReporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.progress = options.progress ?? false;
    this.live = !this.progress && this.stream.isTTY === true;
    this.showWarnings = options.showWarnings ?? true;
  }

  onCaseBegin(planned: PlannedCheck): void {
    if (!this.live) return;
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(0);
    const line = `[${this.done}/${this.total}] ${this.failures} failing · ${elapsed} s · ${planned.check.id} [${planned.transport}]`;
    const width = (this.stream as { columns?: number }).columns ?? 100;
    this.stream.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
  }

  onBegin(info: RunBeginInfo): void {
    this.total = info.plan.length;
    this.started = Date.now();
    this.stream.write(
      `${info.tool.name} ${info.tool.version}: ${info.plan.length} checks against ${info.deviceUrl} over ${info.transports.join("+")} (seed ${info.seed}, run ${info.runId})${info.insecure === true ? " (TLS verification OFF: --insecure)" : ""}\n`,
    );
  }

  onCaseEnd(result: CheckResult): void {
    this.done++;
    if (result.status === "failed" || result.status === "errored") this.failures++;
    if (!this.progress) return;
    this.stream.write(MARK[result.status]);
    if (++this.column % 80 === 0) this.stream.write("\n");
  }

  onEnd(report: RunReport): void {
    if (this.progress && this.column % 80 !== 0) this.stream.write("\n");
    if (this.live) this.stream.write("\r\x1b[2K");
    const lines: string[] = [];
    for (const r of report.checks) {
      if (r.status === "failed" || r.status === "errored") {
        lines.push(`${r.status === "failed" ? "FAIL " : "ERROR"} ${r.id} [${r.transport}]`);
        lines.push(`      rule: ${r.rule}`);
        lines.push(`      seen: ${r.message}`);
      } else if (r.status === "warned" && this.showWarnings) {
        lines.push(`WARN  ${r.id} [${r.transport}]: ${r.message}`);
      } else if (r.status === "flaky") {
        lines.push(`FLAKY ${r.id} [${r.transport}]: ${r.message}`);
      } else if (r.status === "unexpectedly-passed") {
        lines.push(`UNEXPECTEDLY PASSED ${r.id} [${r.transport}]: ${r.message}`);
      }
    }
    if (report.features !== undefined) lines.push(...featureSectionLines(report.features));
    if (report.services !== undefined && report.services.length > 0) lines.push(...serviceSectionLines(report.services, report.interrupted));
    const undefinedNote = undefinedFeaturesNote(report.checks, FEATURES_FILE);
    if (undefinedNote !== "") lines.push(undefinedNote);
    const s = report.summary;
    const gate = s["expected-fail"] + s["unexpectedly-passed"] > 0 ? `, ${s["expected-fail"]} expected-fail, ${s["unexpectedly-passed"]} unexpectedly-passed` : "";
    const flaky = s.flaky > 0 ? `, ${s.flaky} flaky` : "";
    lines.push(
      `${report.interrupted ? "INTERRUPTED — " : ""}${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped, ${s.errored} errored${gate}${flaky} (${report.checks.length} checks, seed ${report.seed})`,
    );
    const b = report.baseline;
    if (b !== undefined) {
      lines.push(`compared with ${b.file}: ${b.newFailures.length} new failure(s), ${b.stillFailing.length} still failing, ${b.fixed.length} fixed, ${b.added.length} added, ${b.removed.length} removed`);
      for (const key of b.newFailures) lines.push(`NEW   ${key}`);
      for (const key of b.fixed) lines.push(`FIXED ${key}`);
    }
    this.stream.write(`${lines.join("\n")}\n`);
  }
}
