/**
 * Console output: a header, one progress character per check (when the stream is a TTY, or
 * when asked), then counts and one line per failing or erroring check (id, transport, the rule,
 * what was seen). Warnings get one short line each.
 */
import type { CheckResult, Reporter, RunBeginInfo, RunReport } from "../harness/types.js";

export interface ConsoleReporterOptions {
  /** Default process.stdout. */
  readonly stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Progress characters (default: only on a TTY). */
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

  constructor(options: ConsoleReporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.progress = options.progress ?? this.stream.isTTY === true;
    this.showWarnings = options.showWarnings ?? true;
  }

  onBegin(info: RunBeginInfo): void {
    this.stream.write(
      `${info.tool.name} ${info.tool.version}: ${info.plan.length} checks against ${info.deviceUrl} over ${info.transports.join("+")} (seed ${info.seed}, run ${info.runId})\n`,
    );
  }

  onCaseEnd(result: CheckResult): void {
    if (!this.progress) return;
    this.stream.write(MARK[result.status]);
    if (++this.column % 80 === 0) this.stream.write("\n");
  }

  onEnd(report: RunReport): void {
    if (this.progress && this.column % 80 !== 0) this.stream.write("\n");
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
