/**
 * The whole suite against an embedded site of three reference controllers, as `pacs-conformance
 * run --site 3` runs it: every check passes, the network checks included; only the stand-alone
 * round trip is skipped (stand-alone mode does not apply to a paired controller).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { RunReport } from "../../conformance/harness/types.js";
import { describeResults, resultsSchemaProblems, runSuite, startTestSite, type TestSite } from "./helpers.js";

describe("conformance suite vs an embedded site of three controllers", () => {
  let site: TestSite;
  let report: RunReport;

  beforeAll(async () => {
    site = await startTestSite(3);
    report = await runSuite(site);
  }, 120_000);
  afterAll(() => site.close());

  it("passes every check, the network checks included", () => {
    const notPassed = report.checks.filter((c) => c.status !== "passed" && c.id !== "aconn.stand-alone.set-get");
    expect(describeResults(notPassed)).toBe("");
    expect(report.checks.filter((c) => c.id === "aconn.stand-alone.set-get").map((c) => c.status)).toEqual(["skipped", "skipped"]);
    expect(report.checks.filter((c) => c.service === "Connection" && c.status === "passed").length).toBeGreaterThanOrEqual(20);
  });

  it("reports the peers it was given, in a results.json that validates against the published schema", async () => {
    expect(report.device.peers).toEqual(site.peers.map((p) => `${p}/`));
    expect(await resultsSchemaProblems(report)).toEqual([]);
  });
});
