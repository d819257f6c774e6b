import { describe, expect, it } from "@jest/globals";
import { runConformance } from "../../conformance/harness/index.js";
import { describeResults, runSuite, startTestDevice } from "./helpers.js";

/** Items of every service, so the run meets existing doors, door modes, schedules, IdPoints and users. */
const POPULATED = { credentials: 25, accessPoints: 20, accessProfiles: 20, areas: 5, users: 10, schedules: 5, doors: 4, idPoints: 6 } as const;

describe("conformance suite vs a pre-populated device", () => {
  it("leaves every pre-existing item exactly as it was, door modes included", async () => {
    const device = await startTestDevice({ populate: POPULATED });
    try {
      const before = device.snapshot();
      const report = await runSuite(device);
      const after = device.snapshot();
      expect(after).toEqual(before);
      expect(report.checks.find((c) => c.id === "harness.data-preserved")?.status).toBe("passed");
      expect(describeResults(report.checks.filter((c) => c.status === "failed" || c.status === "errored"))).toBe("");
    } finally {
      await device.close();
    }
  });

  it("cleans up and preserves the data when the run is interrupted", async () => {
    const device = await startTestDevice({ populate: POPULATED });
    try {
      const before = device.snapshot();
      const stop = new AbortController();
      let seen = 0;
      const interrupted = await runConformance({
        deviceUrl: device.url,
        seed: 3,
        signal: stop.signal,
        reporters: [{ onCaseEnd: () => void (++seen === 25 && stop.abort()) }],
      });
      expect(interrupted.interrupted).toBe(true);
      expect(device.snapshot()).toEqual(before);
    } finally {
      await device.close();
    }
  });
});
