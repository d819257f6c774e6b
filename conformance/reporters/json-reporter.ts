/** `results.json`: the RunReport in a stable shape (fields beyond the documented ones are additions). */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
    })),
    seed: report.seed,
    runId: report.runId,
    transports: report.transports,
    interrupted: report.interrupted,
    ...(report.baseline === undefined ? {} : { baseline: report.baseline }),
    ...(report.shard === undefined ? {} : { shard: report.shard }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export class JsonReporter implements Reporter {
  constructor(private readonly dir: string) {}

  async onEnd(report: RunReport): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, RESULTS_FILE), renderResultsJson(report), "utf8");
  }
}
