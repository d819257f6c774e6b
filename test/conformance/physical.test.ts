import { describe, expect, it } from "@jest/globals";
import { runConformance } from "../../conformance/harness/index.js";
import { describeStimulus } from "../../conformance/harness/physical.js";
import type { CheckContext, CheckDefinition, RunReport } from "../../conformance/harness/types.js";
import { fakeDevice, type FakeDevice } from "./fake-device.js";

function check(id: string, run: (ctx: CheckContext) => Promise<void>): CheckDefinition {
  return { id, title: id, service: "DoorControl", rule: "r", specRefs: [], quirk: "q", transports: ["json"], run };
}

async function run(device: FakeDevice, checks: CheckDefinition[], extra: Record<string, unknown> = {}): Promise<RunReport> {
  return runConformance({ deviceUrl: "http://127.0.0.1:1/", checks, connector: device.connector, preserveData: false, seed: 1, transports: ["json"], ...extra });
}

describe("physical access", () => {
  it("uses the back door: stimuli and the virtual clock", async () => {
    const device = fakeDevice({ backdoor: { clock: "virtual" } });
    let seen: unknown;
    const report = await run(device, [
      check("p.backdoor", async (ctx) => {
        expect([ctx.physical.via, ctx.physical.clock]).toEqual(["backdoor", "virtual"]);
        ctx.requirePhysical("open a door");
        seen = await ctx.physical.stimulate({ Stimulus: "OpenDoor", Door: "d1" });
        await ctx.physical.elapse(10_000);
      }),
    ]);
    expect(report.checks[0]).toMatchObject({ status: "passed" });
    expect(seen).toEqual({ Echo: { Stimulus: "OpenDoor", Door: "d1" } });
    expect(device.backdoorPosts).toEqual([
      { path: "/backdoor/stimulus", body: { Stimulus: "OpenDoor", Door: "d1" } },
      { path: "/backdoor/clock", body: { AdvanceMs: 10_000 } },
    ]);
  });

  it("a stimulus the back door refuses errors the check with the device's message", async () => {
    const report = await run(fakeDevice({ backdoor: { clock: "virtual" } }), [check("p.refused", async (ctx) => void (await ctx.physical.stimulate({ Stimulus: "Explode" })))]);
    expect(report.checks[0]).toMatchObject({ status: "errored" });
    expect(report.checks[0]!.message).toMatch(/HTTP 400: unknown stimulus "Explode"/);
  });

  it("without a back door, checks that need a stimulus are skipped, naming how to enable them", async () => {
    const report = await run(fakeDevice(), [
      check("p.require", async (ctx) => ctx.requirePhysical("a card at the entry reader")),
      check("p.direct", async (ctx) => void (await ctx.physical.stimulate({ Stimulus: "PresentCard", IdPoint: "r1", Card: "123" }))),
    ]);
    expect(report.checks.map((c) => c.status)).toEqual(["skipped", "skipped"]);
    expect(report.checks[0]!.message).toMatch(/needs physical stimulus \(a card at the entry reader\).*--backdoor.*--interactive/);
    expect(report.checks[1]!.message).toMatch(/present card 123 at IdPoint "r1"/);
  });

  it("--interactive asks the operator, who may decline", async () => {
    const asked: string[] = [];
    const answers = [true, false];
    const report = await run(fakeDevice(), [check("p.yes", async (ctx) => void (await ctx.physical.stimulate({ Stimulus: "OpenDoor", Door: "front" }))), check("p.no", async (ctx) => void (await ctx.physical.stimulate({ Stimulus: "CloseDoor", Door: "front" })))], {
      operator: async (instruction: string) => {
        asked.push(instruction);
        return answers.shift() ?? false;
      },
    });
    expect(asked).toEqual(['open door "front" (and keep it open)', 'close door "front"']);
    expect(report.checks.map((c) => c.status)).toEqual(["passed", "skipped"]);
    expect(report.checks[1]!.message).toMatch(/operator did not confirm: close door "front"/);
  });

  it("describes every documented stimulus for an operator", () => {
    expect(describeStimulus({ Stimulus: "PressRex", IdPoint: "rex-1" })).toBe('press the REX button of IdPoint "rex-1"');
    expect(describeStimulus({ Stimulus: "PresentPin", IdPoint: "k", Pin: "1234" })).toBe('enter PIN 1234 at IdPoint "k"');
    expect(describeStimulus({ Stimulus: "TamperDoor", Door: "d", Active: true })).toBe('tamper with the monitor wiring of door "d"');
    expect(describeStimulus({ Stimulus: "TamperDoor", Door: "d", Active: false })).toBe(`end the tampering with door "d"'s monitor`);
    expect(describeStimulus({ Stimulus: "OpenCasing" })).toBe("open the door controller's casing");
    expect(describeStimulus({ Stimulus: "SetInputPort", Port: "IN1", Active: false })).toBe("release input IN1 of the door controller");
    // Anything else is named as the back door names it.
    expect(describeStimulus({ Stimulus: "LoseNetwork", Active: true })).toBe('LoseNetwork {"Active":true}');
  });
});

describe("door policy", () => {
  const doorCheck = (door: string) =>
    check(`d.${door}`, async (ctx) => {
      ctx.requireDoor(door === "own" ? `${ctx.tokenPrefix}door-1` : door);
    });

  it("commands only the run's own doors and the ones named with --door", async () => {
    const report = await run(fakeDevice(), [doorCheck("own"), doorCheck("front"), doorCheck("back")], { doors: ["front"] });
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual(["d.own:passed", "d.front:passed", "d.back:skipped"]);
    expect(report.checks[2]!.message).toMatch(/add --door "back"/);
  });

  it("commands every door of the embedded reference device", async () => {
    const report = await run(fakeDevice(), [doorCheck("back")], { ownsDevice: true });
    expect(report.checks[0]!.status).toBe("passed");
  });
});

describe("I/O policy", () => {
  const seen: Record<string, unknown>[] = [];
  const ioCheck = check("i.policy", async (ctx) => {
    seen.push({ all: ctx.ios.all, named: ctx.ios.named, port3: ctx.ios.allows("Port 3"), port4: ctx.ios.allows("Port 4"), doorsAllowPort3: ctx.doors.allows("Port 3") });
  });

  it("allows only the I/Os named with --io, apart from the doors, and all of them on the embedded device", async () => {
    seen.length = 0;
    await run(fakeDevice(), [ioCheck], { ios: ["Port 3"] });
    await run(fakeDevice(), [ioCheck], { ownsDevice: true });
    expect(seen).toEqual([
      { all: false, named: ["Port 3"], port3: true, port4: false, doorsAllowPort3: false },
      { all: true, named: [], port3: true, port4: true, doorsAllowPort3: true },
    ]);
  });
});
