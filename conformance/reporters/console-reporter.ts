/**
 * Console output: a header; on a TTY a live progress line (done/total, failures so far, the
 * current check, elapsed time), or with `progress` one character per check instead (the dot
 * reporter); then counts and one line per failing or erroring check (id, transport, the rule,
 * what was seen). Warnings get one short line each. Not on a TTY, nothing is written between the
 * header and the summary, so logs stay plain.
 */
import type { CheckResult, PlannedCheck, Reporter, RunBeginInfo, RunReport } from "../harness/types.js";

export interface ConsoleReporterOptions {
  /** Default process.stdout. */
  readonly stream?: { write(text: string): unknown; isTTY?: boolean };
  /** One progress character per check (the dot reporter); default false: a live line on a TTY instead. */
  readonly progress?: boolean;
  /** Also list warned checks (default true). */
  readonly showWarnings?: boolean;
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
