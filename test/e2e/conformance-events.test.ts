/**
 * What a missing event looks like in the report: the check fails within the configured wait and
 * says which topic it expected, what caused it and how long it waited. And a run against a device
 * it does not own leaves no subscription, filter or alarm behind.
 */
import { describe, expect, it } from "@jest/globals";
import { runSuite, startTestDevice } from "./helpers.js";

describe("event checks on the reference device", () => {
  it("an event that never arrives fails after the configured wait, naming the topic, the stimulus and the wait", async () => {
    // The alarm filter is stored but elevates nothing: tnsaxis:EventLogger/Alarm never comes.
    const device = await startTestDevice({ quirks: ["eventlog-alarm-filter-unapplied"] });
    try {
      const report = await runSuite(device, { ids: ["tev.topic.event-logger-alarm"], eventWaitMs: 1200 });
      const check = report.checks.find((c) => c.id === "tev.topic.event-logger-alarm")!;
      expect(check.status).toBe("failed");
      expect(check.message).toMatch(/^expected a tnsaxis:EventLogger\/Alarm notification/);
      expect(check.message).toMatch(/after SetArea creating Area "pcx-[^"]+"/);
      expect(check.message).toContain("none arrived within 1200 ms");
    } finally {
      await device.close();
    }
  });

  it("without a back door, --interactive asks an operator for a physical stimulus; simulated conditions are skipped", async () => {
    // A device serving no back door; the "operator" applies what is asked through the embedding API.
    const device = await startTestDevice({ backdoor: false, clock: "system" });
    const asked: string[] = [];
    try {
      const report = await runSuite(device, {
        ids: ["tev.topic.door-state-door-physical-state", "tev.topic.door-status-battery-alarm"],
        operator: async (instruction) => {
          asked.push(instruction);
          const door = /door "([^"]+)"/.exec(instruction)?.[1];
          if (door === undefined) return false;
          device.stimulate({ Stimulus: instruction.startsWith("open") ? "OpenDoor" : "CloseDoor", Door: door });
          return true;
        },
      });
      const byId = new Map(report.checks.map((c) => [c.id, c]));
      expect(byId.get("tev.topic.door-state-door-physical-state")).toMatchObject({ status: "passed" });
      expect(asked[0]).toMatch(/^open door "pcx-[^"]+" \(and keep it open\)$/);
      expect(asked.some((a) => a.startsWith("close door"))).toBe(true);
      expect(byId.get("tev.topic.door-status-battery-alarm")).toMatchObject({ status: "skipped" });
      expect(byId.get("tev.topic.door-status-battery-alarm")!.message).toMatch(/only the reference device's back door/);
    } finally {
      await device.close();
    }
  });

  it("leaves no pull point, event filter or alarm behind on a device the run does not own", async () => {
    const device = await startTestDevice();
    try {
      const before = device.snapshot();
      const report = await runSuite(device, { grep: "tev.", ownsDevice: false });
      const report2 = await runSuite(device, { grep: "axlo", ownsDevice: false });
      expect([...report.checks, ...report2.checks].filter((c) => c.status === "failed" || c.status === "errored")).toEqual([]);
      // Filters and the distribution setting are in the device's snapshot; pull points and alarms in its world view.
      expect(device.snapshot()).toEqual(before);
      const res = await fetch(`${device.url}/backdoor`, { headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` } });
      const view = (await res.json()) as { World: { EventSubscriptions: unknown[]; EventLogger: { Alarms: number; IgnoreFilters: number; AlarmFilters: number } } };
      expect(view.World.EventSubscriptions).toEqual([]);
      expect(view.World.EventLogger).toMatchObject({ Alarms: 0, IgnoreFilters: 0, AlarmFilters: 0 });
    } finally {
      await device.close();
    }
  });
});
