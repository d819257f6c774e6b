/**
 * Sharding (`run --shard i/n`) and merging shard reports (`merge-reports`).
 *
 * A shard is a deterministic, balanced part of the selected checks: checks are dealt, heaviest
 * first, to the shard with the least weight so far (ties: the lower shard, then check id order).
 * A check's weight is its recorded duration over its transports in the --baseline results.json,
 * or 1 without one, so every shard computes the same split from the same inputs. Each shard is a
 * whole run of its own (its own snapshot, cleanups and harness.data-preserved), so each is safe
 * on a live device by itself.
 *
 * Every shard's report names the shard and a fingerprint of the whole selection (check ids and
 * transports); merge-reports refuses reports of different suites, selections, shard counts or
 * tool versions, duplicates and missing shards. Every shard discovers the same device, so the
 * merged report keeps the first shard's feature list and judges the services over all checks.
 */
import { createHash } from "node:crypto";
import type { CheckDefinition, CheckResult, Protocol, RunReport } from "./types.js";
import { serviceVerdicts } from "./features.js";
import { summarize } from "./gate.js";
import { UsageError } from "./verdict.js";

export interface ShardSpec {
  /** 1-based. */
  readonly index: number;
  readonly total: number;
}

/** What a shard's report says of it. */
export interface ShardInfo extends ShardSpec {
  /** Fingerprint of the whole selection the shards split (check ids and transports). */
  readonly suite: string;
}

/** "2/4" → {index 2, total 4}; throws UsageError naming the flag. */
export function parseShard(raw: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m === null ? NaN : Number(m[1]);
  const total = m === null ? NaN : Number(m[2]);
  if (m === null || total < 1 || index < 1 || index > total || total > 1000) throw new UsageError(`run: --shard "${raw}" must be i/n with 1 ≤ i ≤ n, for example --shard 2/4`);
  return { index, total };
}

export function suiteFingerprint(checks: readonly CheckDefinition[], transports: readonly Protocol[]): string {
  const h = createHash("sha256");
  for (const c of [...checks].map((c) => c.id).sort()) h.update(`${c}\n`);
  h.update(`transports:${[...transports].sort().join(",")}`);
  return h.digest("hex").slice(0, 16);
}

/** The checks of shard `spec` (in their suite order), from weights by check id (default 1). */
export function shardChecks(checks: readonly CheckDefinition[], spec: ShardSpec, weights: ReadonlyMap<string, number> = new Map()): CheckDefinition[] {
  const weight = (id: string): number => Math.max(weights.get(id) ?? 1, 0.001);
  const order = [...checks].sort((a, b) => weight(b.id) - weight(a.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const loads = Array.from({ length: spec.total }, () => 0);
  const mine = new Set<string>();
  for (const c of order) {
    let best = 0;
    for (let i = 1; i < loads.length; i++) if (loads[i]! < loads[best]!) best = i;
    loads[best] = loads[best]! + weight(c.id);
    if (best === spec.index - 1) mine.add(c.id);
  }
  return checks.filter((c) => mine.has(c.id));
}

/** Check id → recorded duration (ms, summed over its transports) from a results.json document. */
export function durationsOf(doc: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const checks = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["checks"] : undefined;
  if (!Array.isArray(checks)) return out;
  for (const c of checks as Record<string, unknown>[]) {
    if (typeof c?.["id"] === "string" && typeof c["durationMs"] === "number") out.set(c["id"], (out.get(c["id"]) ?? 0) + c["durationMs"]);
  }
  return out;
}

const DATA_PRESERVED = "harness.data-preserved";


/** One shard's report as read back from its results.json. */
export interface ShardReport {
  readonly dir: string;
  readonly report: RunReport & { readonly shard?: ShardInfo };
}

const RANK: Readonly<Record<string, number>> = { errored: 7, failed: 6, "unexpectedly-passed": 5, "expected-fail": 4, flaky: 3, warned: 2, skipped: 1, passed: 0 };

/**
 * Merges shard reports into one: every check once, one harness.data-preserved (the worst of the
 * shards', its messages joined), summary recomputed; the feature list of the first shard that has
 * one, and the per-service verdicts recomputed over the merged checks. Throws UsageError when the
 * reports are not the n shards of one selection.
 */
export function mergeShards(shards: readonly ShardReport[]): RunReport & { readonly shard: ShardInfo & { readonly merged: number } } {
  if (shards.length === 0) throw new UsageError("merge-reports: give the shards' report directories, for example merge-reports reports/shard-1 reports/shard-2");
  const first = shards[0]!;
  const info = first.report.shard;
  if (info === undefined) throw new UsageError(`merge-reports: ${first.dir}/results.json is not a shard's report (it was not run with --shard i/n)`);
  const seen = new Map<number, string>();
  for (const s of shards) {
    const sh = s.report.shard;
    if (sh === undefined) throw new UsageError(`merge-reports: ${s.dir}/results.json is not a shard's report (it was not run with --shard i/n)`);
    if (s.report.tool.version !== first.report.tool.version) throw new UsageError(`merge-reports: ${s.dir} was written by ${s.report.tool.name} ${s.report.tool.version}, ${first.dir} by ${first.report.tool.version}; merge shards of one run`);
    if (sh.total !== info.total) throw new UsageError(`merge-reports: ${s.dir} is shard ${sh.index}/${sh.total}, ${first.dir} shard ${info.index}/${info.total}; merge shards of one run`);
    if (sh.suite !== info.suite) throw new UsageError(`merge-reports: ${s.dir} split another selection of checks than ${first.dir} (suite ${sh.suite} vs ${info.suite}: other --grep, transports or version); merge shards of one run`);
    const dup = seen.get(sh.index);
    if (dup !== undefined) throw new UsageError(`merge-reports: ${s.dir} and ${dup} are both shard ${sh.index}/${sh.total}`);
    seen.set(sh.index, s.dir);
  }
  const missing = Array.from({ length: info.total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new UsageError(`merge-reports: shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${info.total}`).join(", ")} missing; give every shard's report directory`);
  const ordered = [...shards].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  const checks: CheckResult[] = [];
  const preserved: CheckResult[] = [];
  for (const s of ordered) for (const c of s.report.checks) (c.id === DATA_PRESERVED ? preserved : checks).push(c);
  if (preserved.length > 0) {
    const worst = preserved.reduce((a, b) => ((RANK[b.status] ?? 0) > (RANK[a.status] ?? 0) ? b : a));
    checks.push({
      ...worst,
      durationMs: preserved.reduce((n, c) => n + c.durationMs, 0),
      message: ordered.map((s, i) => `shard ${s.report.shard!.index}: ${preserved[i]?.message ?? "(not judged)"}`).join("; "),
      evidence: preserved.flatMap((c) => c.evidence),
      warnings: preserved.flatMap((c) => c.warnings),
    });
  }
  const starts = ordered.map((s) => s.report.startedAt).sort();
  const ends = ordered.map((s) => s.report.finishedAt).sort();
  const peers = [...new Set(ordered.flatMap((s) => s.report.device.peers ?? []))];
  const urls = [...new Set(ordered.map((s) => s.report.device.url))];
  const features = ordered.find((s) => s.report.features !== undefined)?.report.features;
  const judged = features !== undefined || ordered.some((s) => s.report.services !== undefined);
  return {
    tool: first.report.tool,
    device: { url: urls[0]!, ...(peers.length === 0 ? {} : { peers }), ...(ordered.some((s) => s.report.device.insecure === true) ? { insecure: true } : {}) },
    startedAt: starts[0]!,
    finishedAt: ends[ends.length - 1]!,
    summary: summarize(checks),
    checks,
    seed: first.report.seed,
    runId: ordered.map((s) => s.report.runId).join("+"),
    transports: first.report.transports,
    interrupted: ordered.some((s) => s.report.interrupted),
    shard: { index: 0, total: info.total, suite: info.suite, merged: ordered.length },
    ...(features === undefined ? {} : { features }),
    ...(judged ? { services: serviceVerdicts(checks, features) } : {}),
  };
}
