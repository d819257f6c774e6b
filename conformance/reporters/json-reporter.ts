/**
 * `results.json`: the RunReport in a stable shape (fields beyond the documented ones are
 * additions), validated by schemas/results.schema.json; and, when the run has a feature list,
 * `features.json` next to it (schemas/features.schema.json), which a later run can take as
 * --features.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FEATURES_FILE, featuresDocument } from "../harness/features.js";
import type { Reporter, RunReport } from "../harness/types.js";

export const RESULTS_FILE = "results.json";

/** The JSON document written to results.json. */
export function renderResultsJson(report: RunReport): string {
  const doc = {
    tool: { name: report.tool.name, version: report.tool.version },
    device: {
      url: report.device.url,
      ...(report.device.peers === undefined ? {} : { peers: [...report.device.peers] }),
      ...(report.device.insecure === true ? { insecure: true } : {}),
    },
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: { ...report.summary },
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      service: c.service,
      transport: c.transport,
      status: c.status,
      durationMs: c.durationMs,
      message: c.message,
      specRefs: [...c.specRefs],
      rule: c.rule,
      quirk: c.quirk,
      warnings: [...c.warnings],
      evidence: c.evidence,
      ...(c.undefinedFeatures === undefined ? {} : { undefinedFeatures: [...c.undefinedFeatures] }),
    })),
    seed: report.seed,
    runId: report.runId,
    transports: report.transports,
    interrupted: report.interrupted,
    ...(report.baseline === undefined ? {} : { baseline: report.baseline }),
    ...(report.shard === undefined ? {} : { shard: report.shard }),
    ...(report.features === undefined ? {} : { features: report.features }),
    ...(report.services === undefined ? {} : { services: report.services }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The features.json document of a report, or undefined when the run has no feature list. */
export function renderFeaturesJson(report: RunReport): string | undefined {
  if (report.features === undefined) return undefined;
  const doc = featuresDocument(report.features, { tool: { name: report.tool.name, version: report.tool.version }, deviceUrl: report.device.url, discoveredAt: report.startedAt });
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export class JsonReporter implements Reporter {
  constructor(private readonly dir: string) {}

  async onEnd(report: RunReport): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, RESULTS_FILE), renderResultsJson(report), "utf8");
    const features = renderFeaturesJson(report);
    // A reused report dir must not keep an earlier run's feature list next to this run's results.
    if (features === undefined) await rm(join(this.dir, FEATURES_FILE), { force: true });
    else await writeFile(join(this.dir, FEATURES_FILE), features, "utf8");
  }
}
