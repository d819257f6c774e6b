/**
 * Sharding with the real CLI against the reference device: the shards of a selection are
 * disjoint, cover it, and merge-reports joins them into the same verdicts as one whole run; it
 * refuses a missing shard, a duplicate, another selection and a report that is not a shard's.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeReportsCommand, runCommand } from "../../conformance/cli.js";
import { serviceVerdicts } from "../../conformance/harness/features.js";
import { summarize } from "../../conformance/harness/gate.js";
import { mergeShards, shardChecks, type ShardReport } from "../../conformance/harness/shard.js";
import type { CheckDefinition, CheckResult, Feature, FeatureList } from "../../conformance/harness/types.js";
import { FEATURES_FILE, JsonReporter } from "../../conformance/reporters/index.js";
import { startDevice } from "../../src/device/server.js";

const GREP = "paging.area";

function quietIo() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
}

type Results = { checks: { id: string; transport: string; status: string }[]; shard?: { index: number; total: number; suite: string; merged?: number } };

async function results(dir: string): Promise<Results> {
  return JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as Results;
}

const verdicts = (r: Results): string[] => r.checks.map((c) => `${c.id} [${c.transport}] ${c.status}`).sort();

describe("run --shard i/n and merge-reports", () => {
  let device: Awaited<ReturnType<typeof startDevice>>;
  let dir: string;
  const run = async (name: string, ...extra: string[]): Promise<number> => runCommand(["--device", `${device.url}/`, "--grep", GREP, "--report-dir", join(dir, name), "--reporter", "json", ...extra], quietIo().io);

  beforeAll(async () => {
    device = await startDevice({ quirks: ["ignore-limit"], maxLimit: 10 });
    dir = await mkdtemp(join(tmpdir(), "pcx-shard-"));
    await run("whole");
    for (const i of [1, 2, 3]) await run(`shard-${i}`, "--shard", `${i}/3`);
  });
  afterAll(() => device.close());

  it("splits the selection into disjoint shards that cover it, each a run of its own", async () => {
    const whole = await results(join(dir, "whole"));
    const shards = await Promise.all([1, 2, 3].map((i) => results(join(dir, `shard-${i}`))));
    const ids = shards.map((s) => new Set(s.checks.map((c) => c.id).filter((id) => id !== "harness.data-preserved")));
    expect(ids.every((s) => s.size > 0)).toBe(true);
    expect([...ids[0]!].some((id) => ids[1]!.has(id) || ids[2]!.has(id))).toBe(false);
    expect(new Set(ids.flatMap((s) => [...s])).size).toBe(new Set(whole.checks.map((c) => c.id).filter((id) => id !== "harness.data-preserved")).size);
    expect(shards.map((s) => s.shard?.index)).toEqual([1, 2, 3]);
    expect(new Set(shards.map((s) => s.shard?.suite)).size).toBe(1);
    for (const s of shards) expect(s.checks.find((c) => c.id === "harness.data-preserved")?.status).toBe("passed");
  });

  it("merges the shards into the verdicts of the whole run, with results.json, junit.xml and index.html", async () => {
    const { out, io } = quietIo();
    const merged = join(dir, "merged");
    expect(await mergeReportsCommand([1, 2, 3].map((i) => join(dir, `shard-${i}`)).concat(["--out", merged]), io)).toBe(1);
    expect(out.stdout).toMatch(/merged 3 shards: \d+ passed, \d+ failed/);
    expect(verdicts(await results(merged))).toEqual(verdicts(await results(join(dir, "whole"))));
    expect((await results(merged)).shard).toMatchObject({ index: 0, total: 3, merged: 3 });
    for (const f of ["junit.xml", "index.html"]) expect((await stat(join(merged, f))).size).toBeGreaterThan(0);
  });

  it.each([
    [["shard-1", "shard-3"], /shard 2\/3 missing/],
    [["shard-1", "shard-1", "shard-2", "shard-3"], /are both shard 1\/3/],
    [["whole"], /not a shard's report/],
  ])("refuses %j (exit 2)", async (dirs, message) => {
    const { out, io } = quietIo();
    expect(await mergeReportsCommand(dirs.map((d) => join(dir, d)), io)).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it("refuses shards of another selection", async () => {
    await runCommand(["--device", `${device.url}/`, "--grep", "paging.credential", "--report-dir", join(dir, "other-2"), "--reporter", "json", "--shard", "2/3"], quietIo().io);
    const { out, io } = quietIo();
    expect(await mergeReportsCommand(["shard-1", "other-2", "shard-3"].map((d) => join(dir, d)), io)).toBe(2);
    expect(out.stderr).toMatch(/split another selection of checks/);
  });

  it("refuses a malformed --shard, naming the flag", async () => {
    const { out, io } = quietIo();
    expect(await runCommand(["--shard", "4/3"], io)).toBe(2);
    expect(out.stderr).toMatch(/--shard "4\/3" must be i\/n with 1 ≤ i ≤ n/);
  });
});

describe("shardChecks", () => {
  const checks = ["a", "b", "c", "d", "e"].map((id) => ({ id }) as CheckDefinition);
  it("balances by recorded duration, deterministically", () => {
    const weights = new Map([["a", 100], ["b", 10], ["c", 10], ["d", 10], ["e", 60]]);
    const split = [1, 2].map((index) => shardChecks(checks, { index, total: 2 }, weights).map((c) => c.id));
    expect(split).toEqual([["a"], ["b", "c", "d", "e"]]);
    expect([1, 2].map((index) => shardChecks(checks, { index, total: 2 }, weights).map((c) => c.id))).toEqual(split);
  });
});

describe("mergeShards with a feature list", () => {
  const feature = (id: string, state: Feature["state"]): Feature => ({ id, kind: id.slice(0, id.indexOf(":")) as Feature["kind"], state, evidence: `${id} answered` });
  const listOf = (axtpc: Feature["state"]): FeatureList => ({
    features: [feature("service:axtdc", "supported"), feature("service:axtpc", axtpc), feature("service:pacsaxis", "supported"), feature("service:tac", "supported"), feature("service:tdc", "supported")],
    differences: [],
    problems: [],
  });
  const check = (service: string, id: string, status: CheckResult["status"]): CheckResult => ({
    id, title: id, service, transport: "soap", status, durationMs: 5, message: status, specRefs: [], rule: "a rule", quirk: "", evidence: [], warnings: [],
  });
  const shard = (index: number, checks: CheckResult[], features: FeatureList | undefined): ShardReport => {
    const all = [...checks, check("Harness", "harness.data-preserved", "passed")];
    return {
      dir: `reports/shard-${index}`,
      report: {
        tool: { name: "pacs-conformance", version: "0.1.0" },
        device: { url: "http://127.0.0.1:1/" },
        startedAt: `2024-01-01T00:0${index}:00.000Z`,
        finishedAt: `2024-01-01T00:0${index}:30.000Z`,
        summary: summarize(all),
        checks: all,
        seed: 42,
        runId: `run${index}`,
        transports: ["soap"],
        interrupted: false,
        shard: { index, total: 2, suite: "0123456789abcdef" },
        ...(features === undefined ? {} : { features, services: serviceVerdicts(all, features) }),
      },
    };
  };
  const one = [check("AccessControl", "pacsaxis.a", "passed"), check("ThirdPartyCredential", "axtpc.a", "skipped")];
  const two = [check("AccessControl", "pacsaxis.b", "failed"), check("DoorControl", "tdc.a", "passed")];

  it("keeps the first shard's feature list and judges the services over every shard's checks", () => {
    // Shard 2 read the device differently; the first shard's list wins, whatever the argument order.
    const merged = mergeShards([shard(2, two, listOf("supported")), shard(1, one, listOf("not-supported"))]);
    expect(merged.features).toEqual(listOf("not-supported"));
    expect(merged.services).toEqual(serviceVerdicts(merged.checks, listOf("not-supported")));
    expect(merged.services!.map((v) => [v.service, v.support, v.verdict, v.passed, v.failed, v.skipped])).toEqual([
      ["AccessControl", "supported", "deviations", 1, 1, 0],
      ["DoorControl", "supported", "conformant", 1, 0, 0],
      ["ThirdPartyCredential", "not-supported", "not-supported", 0, 0, 1],
    ]);
  });

  it("takes the list from a later shard when the first has none", () => {
    const merged = mergeShards([shard(1, one, undefined), shard(2, two, listOf("supported"))]);
    expect(merged.features).toEqual(listOf("supported"));
    expect(merged.services?.find((v) => v.service === "ThirdPartyCredential")).toMatchObject({ support: "supported", verdict: "not-run" });
  });

  it("has neither features nor services when no shard had them", () => {
    const merged = mergeShards([shard(1, one, undefined), shard(2, two, undefined)]);
    expect(merged).not.toHaveProperty("features");
    expect(merged).not.toHaveProperty("services");
  });

  it("writes the merged features.json and a results.json that keeps features and services", async () => {
    const out = await mkdtemp(join(tmpdir(), "pcx-merge-"));
    try {
      const merged = mergeShards([shard(1, one, listOf("not-supported")), shard(2, two, listOf("not-supported"))]);
      await new JsonReporter(out).onEnd(merged);
      const results = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as Record<string, unknown>;
      expect(results["features"]).toEqual(listOf("not-supported"));
      expect(results["services"]).toEqual(merged.services);
      const features = JSON.parse(await readFile(join(out, FEATURES_FILE), "utf8")) as Record<string, unknown>;
      expect(features).toMatchObject({ device: { url: "http://127.0.0.1:1/" }, discoveredAt: "2024-01-01T00:01:00.000Z", counts: { supported: 4, "not-supported": 1, undefined: 0 } });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
