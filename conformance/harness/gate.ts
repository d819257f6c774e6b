/**
 * The CI gate: known deviations (`--expect FILE`), comparison with an earlier run (`--baseline
 * results.json`) and the exit code that follows (`--fail-on any|new`, `--strict-expect`).
 *
 * A check listed as expected to fail that fails (or errors) is reported `expected-fail` and does
 * not fail the run; one that now passes is reported `unexpectedly-passed`, so the list stays
 * honest (it fails the run with --strict-expect). A baseline splits the run's failures into new
 * ones (not failing in the baseline, or not in it at all) and those still failing, and lists the
 * fixed, added and removed checks; `--fail-on new` fails the run on new failures only.
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { CheckResult, CheckTransport, RunReport, RunSummary } from "./types.js";
import { UsageError } from "./verdict.js";

/** One known deviation: a check id, optionally only on one transport, with why and where it is tracked. */
export interface Expectation {
  readonly id: string;
  readonly transport?: CheckTransport;
  readonly reason: string;
  readonly issue?: string;
}

const TRANSPORTS: readonly CheckTransport[] = ["soap", "json", "both"];

/**
 * Reads an expectations file: JSON or YAML, either a list of entries or `{"expected": [...]}`;
 * each entry `{id, reason, transport?, issue?}`. Throws UsageError naming the file, the entry and
 * the field.
 */
/** YAML's parser, loaded on first use: most runs have no --expect list, and `list` should start fast. */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)("yaml") as typeof Yaml).parse(text);
}

export function parseExpectations(text: string, file: string): Expectation[] {
  let doc: unknown;
  try {
    doc = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(`--expect ${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML or JSON"}: ${(err as Error).message.split("\n")[0]}`);
  }
  const list = Array.isArray(doc) ? doc : typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["expected"] : undefined;
  if (!Array.isArray(list)) throw new UsageError(`--expect ${file}: give a list of {id, reason} entries (or {"expected": [...]}), for example [{"id": "tac.area.get", "reason": "firmware 1.2 omits Description"}]`);
  return list.map((raw, i) => {
    const where = `--expect ${file}: entry ${i + 1}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new UsageError(`${where} must be an object with "id" and "reason"`);
    const e = raw as Record<string, unknown>;
    for (const key of Object.keys(e)) if (!["id", "transport", "reason", "issue"].includes(key)) throw new UsageError(`${where}: unknown field "${key}"; the fields are id, transport, reason and issue`);
    if (typeof e["id"] !== "string" || e["id"].trim() === "") throw new UsageError(`${where}: "id" must be a check id (see pacs-conformance list)`);
    if (typeof e["reason"] !== "string" || e["reason"].trim() === "") throw new UsageError(`${where} (${e["id"]}): "reason" must say why the check is expected to fail`);
    if (e["transport"] !== undefined && !TRANSPORTS.includes(e["transport"] as CheckTransport)) throw new UsageError(`${where} (${e["id"]}): "transport" must be soap, json or both`);
    if (e["issue"] !== undefined && typeof e["issue"] !== "string") throw new UsageError(`${where} (${e["id"]}): "issue" must be a link or an issue reference`);
    return {
      id: e["id"].trim(),
      reason: e["reason"].trim(),
      ...(e["transport"] === undefined ? {} : { transport: e["transport"] as CheckTransport }),
      ...(e["issue"] === undefined ? {} : { issue: e["issue"] as string }),
    };
  });
}

const failing = (status: CheckResult["status"]): boolean => status === "failed" || status === "errored";

/** The count of each verdict. */
export function summarize(checks: readonly CheckResult[]): RunSummary {
  const s: RunSummary = { passed: 0, failed: 0, warned: 0, skipped: 0, errored: 0, "expected-fail": 0, "unexpectedly-passed": 0, flaky: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

/** The report with expected failures and unexpected passes marked (ids no check has are ignored here; see unknownExpectations). */
export function applyExpectations(report: RunReport, expectations: readonly Expectation[]): RunReport {
  if (expectations.length === 0) return report;
  const find = (c: CheckResult): Expectation | undefined => expectations.find((e) => e.id === c.id && (e.transport === undefined || e.transport === c.transport));
  const checks = report.checks.map((c): CheckResult => {
    const e = find(c);
    if (e === undefined) return c;
    const why = `expected to fail: ${e.reason}${e.issue === undefined ? "" : ` (${e.issue})`}`;
    if (failing(c.status)) return { ...c, status: "expected-fail", message: `${c.message} [${why}]` };
    if (c.status === "passed" || c.status === "warned" || c.status === "flaky") return { ...c, status: "unexpectedly-passed", message: `passed, though listed as ${why}; remove it from the --expect file` };
    return c;
  });
  return { ...report, checks, summary: summarize(checks) };
}

/** Expectations that name no check of the suite (a typo, or a renamed check). */
export function unknownExpectations(expectations: readonly Expectation[], knownIds: ReadonlySet<string>): Expectation[] {
  return expectations.filter((e) => !knownIds.has(e.id));
}

export interface BaselineComparison {
  /** The file compared with. */
  readonly file: string;
  /** Failing (failed or errored) now, not failing in the baseline or not in it: "<id> [<transport>]". */
  readonly newFailures: readonly string[];
  /** Failing in the baseline, passing now. */
  readonly fixed: readonly string[];
  readonly stillFailing: readonly string[];
  /** In this run, not in the baseline. */
  readonly added: readonly string[];
  /** In the baseline, not in this run. */
  readonly removed: readonly string[];
}

const keyOf = (c: { id: string; transport: string }): string => `${c.id} [${c.transport}]`;

/** Reads a results.json as the baseline; throws UsageError naming the file and what is wrong. */
export function parseBaseline(text: string, file: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--baseline ${file}: not JSON (${(err as Error).message}); give a results.json an earlier run wrote`);
  }
  const checks = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["checks"] : undefined;
  if (!Array.isArray(checks)) throw new UsageError(`--baseline ${file}: no "checks" list; give a results.json an earlier run wrote`);
  const out = new Map<string, string>();
  for (const c of checks as Record<string, unknown>[]) {
    if (typeof c?.["id"] !== "string" || typeof c["transport"] !== "string" || typeof c["status"] !== "string") throw new UsageError(`--baseline ${file}: a check without id, transport or status; give a results.json an earlier run wrote`);
    out.set(keyOf({ id: c["id"], transport: c["transport"] }), c["status"]);
  }
  return out;
}

/**
 * Compares a run with a baseline. `removable` says which baseline checks missing from the run
 * count as removed (the runner: those the suite no longer has, not those a --grep left out).
 */
export function compareWithBaseline(report: RunReport, baseline: ReadonlyMap<string, string>, file: string, removable?: (key: string) => boolean): BaselineComparison {
  const now = new Map(report.checks.map((c) => [keyOf(c), c.status] as const));
  const out = { newFailures: [] as string[], fixed: [] as string[], stillFailing: [] as string[], added: [] as string[], removed: [] as string[] };
  // An expected failure is still a failure of the device: the baseline compares device behaviour.
  const fails = (s: string | undefined): boolean => s === "failed" || s === "errored" || s === "expected-fail";
  for (const [key, status] of now) {
    const before = baseline.get(key);
    if (before === undefined) out.added.push(key);
    if (fails(status)) (fails(before) ? out.stillFailing : out.newFailures).push(key);
    else if (fails(before) && (status === "passed" || status === "warned" || status === "unexpectedly-passed" || status === "flaky")) out.fixed.push(key);
  }
  for (const key of baseline.keys()) if (!now.has(key) && (removable === undefined || removable(key))) out.removed.push(key);
  return { file, ...out };
}

export type FailOn = "any" | "new";

/**
 * The run's exit code: 1 when something fails the gate, else 0. `any`: a failed or errored check
 * (expected failures excepted); `new`: only new failures against the baseline. Unexpected passes
 * fail it with `strictExpect`.
 */
export function gateFails(report: RunReport, options: { readonly failOn: FailOn; readonly strictExpect: boolean; readonly baseline?: BaselineComparison }): boolean {
  if (options.strictExpect && report.summary["unexpectedly-passed"] > 0) return true;
  if (options.failOn === "new" && options.baseline !== undefined) return options.baseline.newFailures.length > 0;
  return report.summary.failed + report.summary.errored > 0;
}
