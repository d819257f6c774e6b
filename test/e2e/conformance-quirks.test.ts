import { describe, expect, it } from "@jest/globals";
import { listQuirks } from "../../src/device/server.js";
import { allChecks } from "../../conformance/cases/index.js";
import { describeResults, runSuite, startTestDevice, startTestSite } from "./helpers.js";

const quirks = listQuirks().map((q) => q.name);
const DATA_PRESERVED = "harness.data-preserved";

describe("quirk coverage of the check declarations", () => {
  it("every check declares a quirk the device knows", () => {
    const unknown = allChecks.filter((c) => !quirks.includes(c.quirk)).map((c) => `${c.id}: ${c.quirk}`);
    expect(unknown).toEqual([]);
  });

  it("every quirk is declared by at least one check", () => {
    const declared = new Set(allChecks.map((c) => c.quirk));
    expect(quirks.filter((q) => !declared.has(q))).toEqual([]);
  });
});

/** Network quirks break rules between controllers: their checks run against a site of three, the quirk on every controller. */
const start = (quirk: string, withQuirk: boolean): Promise<{ url: string; peers?: readonly string[]; close(): Promise<void> }> =>
  quirk.startsWith("network-") ? startTestSite(3, withQuirk ? { quirks: [quirk] } : {}) : startTestDevice(withQuirk ? { quirks: [quirk] } : {});

describe.each(quirks)("quirk %s", (quirk) => {
  const ids = allChecks.filter((c) => c.quirk === quirk).map((c) => c.id);

  it("breaks every check that declares it (failed, or warned where the check documents it)", async () => {
    const device = await start(quirk, true);
    try {
      const report = await runSuite(device, { ids });
      const declared = report.checks.filter((c) => ids.includes(c.id));
      expect(declared.length).toBeGreaterThan(0);
      // The harness's own verdict on a changed device is "errored", as documented.
      const notBroken = declared.filter((c) => (c.id === DATA_PRESERVED ? c.status !== "errored" : c.status !== "failed" && c.status !== "warned"));
      expect(describeResults(notBroken)).toBe("");
      for (const c of declared) {
        if (c.status === "warned") expect(allChecks.find((d) => d.id === c.id)?.notes ?? "").toMatch(/warning/);
      }
    } finally {
      await device.close();
    }
  });

  it("and the same checks pass on a clean device", async () => {
    const device = await start(quirk, false);
    try {
      const report = await runSuite(device, { ids });
      expect(describeResults(report.checks.filter((c) => c.status !== "passed"))).toBe("");
      expect(report.checks.filter((c) => ids.includes(c.id) && c.id !== DATA_PRESERVED).length).toBeGreaterThan(0);
    } finally {
      await device.close();
    }
  });
});
