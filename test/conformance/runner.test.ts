import { describe, expect, it } from "@jest/globals";
import { runConformance } from "../../conformance/harness/index.js";
import type { CheckDefinition, CheckResult, PlannedCheck, Reporter, RunReport } from "../../conformance/harness/types.js";
import { fakeDevice } from "./fake-device.js";

function check(id: string, run: CheckDefinition["run"], extra: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    id,
    title: `title of ${id}`,
    service: "AccessControl",
    rule: `rule of ${id}`,
    specRefs: ["access-control-service.md#x"],
    quirk: "ignore-limit",
    transports: ["soap", "json"],
    run,
    ...extra,
  };
}

async function run(checks: CheckDefinition[], extra: Record<string, unknown> = {}, device = fakeDevice()): Promise<RunReport> {
  return runConformance({ deviceUrl: "http://127.0.0.1:1/", checks, connector: device.connector, preserveData: false, seed: 7, ...extra });
}

function byId(report: RunReport, id: string, transport = "soap"): CheckResult {
  const r = report.checks.find((c) => c.id === id && c.transport === transport);
  if (r === undefined) throw new Error(`no result for ${id}/${transport}`);
  return r;
}

describe("runner verdicts", () => {
  it("maps pass, fail, warn, skip, exceptions and device faults to statuses", async () => {
    const report = await run([
      check("t.pass", async () => {}),
      check("t.fail", async (ctx) => ctx.fail("saw 3 items, expected at most 1")),
      check("t.warn", async (ctx) => ctx.warn("other fault than documented")),
      check("t.skip", async (ctx) => ctx.skip("capability off")),
      check("t.boom", async () => {
        throw new TypeError("bug in check");
      }),
      check("t.fault", async () => {
        throw Object.assign(new Error("op: device returned env:Sender/ter:InvalidArgVal"), { code: "DEVICE_FAULT" });
      }),
      check("t.timeout", async () => {
        throw Object.assign(new Error("op: total timeout after 5 ms"), { code: "TIMEOUT" });
      }),
    ]);
    expect(byId(report, "t.pass").status).toBe("passed");
    expect(byId(report, "t.fail")).toMatchObject({ status: "failed", message: "saw 3 items, expected at most 1", rule: "rule of t.fail" });
    expect(byId(report, "t.warn")).toMatchObject({ status: "warned", message: "other fault than documented" });
    expect(byId(report, "t.skip")).toMatchObject({ status: "skipped", message: "capability off" });
    expect(byId(report, "t.boom")).toMatchObject({ status: "errored", message: "bug in check" });
    expect(byId(report, "t.fault").status).toBe("failed");
    expect(byId(report, "t.fault").message).toContain("env:Sender/ter:InvalidArgVal");
    expect(byId(report, "t.timeout").status).toBe("errored");
    expect(report.summary).toEqual({ passed: 2, failed: 4, warned: 2, skipped: 2, errored: 4, "expected-fail": 0, "unexpectedly-passed": 0, flaky: 0 });
    expect(report.checks).toHaveLength(14);
  });

  it("a failure after a warning stays failed and keeps the warning text", async () => {
    const report = await run([
      check("t.both", async (ctx) => {
        ctx.warn("first a warning");
        ctx.fail("then a failure");
      }),
    ]);
    expect(byId(report, "t.both").status).toBe("failed");
    expect(byId(report, "t.both").message).toContain("first a warning");
  });

  it("ends a hanging check at its deadline as errored, and still runs its cleanup", async () => {
    const cleaned: string[] = [];
    const report = await run(
      [
        check("t.hang", async (ctx) => {
          ctx.onCleanup("undo", async () => {
            cleaned.push(ctx.protocol);
          });
          await new Promise(() => undefined);
        }),
        check("t.after", async () => {}),
      ],
      { checkTimeoutMs: 30 },
    );
    expect(byId(report, "t.hang").status).toBe("errored");
    expect(byId(report, "t.hang").message).toContain("no verdict within 30 ms");
    expect(byId(report, "t.after").status).toBe("passed");
    expect(cleaned.sort()).toEqual(["json", "soap"]);
  });

  it("runs cleanups last-registered-first even when the check fails", async () => {
    const order: string[] = [];
    await run(
      [
        check("t.c", async (ctx) => {
          ctx.onCleanup("a", async () => void order.push("a"));
          ctx.onCleanup("b", async () => void order.push("b"));
          ctx.fail("broken");
        }),
      ],
      { transports: ["json"] },
    );
    expect(order).toEqual(["b", "a"]);
  });

  it("reports a failing cleanup as a warning line without hiding the verdict", async () => {
    const report = await run([check("t.c", async (ctx) => ctx.onCleanup("remove x", async () => Promise.reject(new Error("gone"))))], { transports: ["soap"] });
    expect(byId(report, "t.c").status).toBe("passed");
    expect(byId(report, "t.c").warnings.join()).toContain('cleanup "remove x" failed: gone');
  });
});

describe("runner selection and plan", () => {
  const checks = [check("pacsaxis.paging.area-list.limit-one", async () => {}), check("tac.area.remove", async () => {}, { title: "Remove deletes the AREA" })];

  it("--grep matches id or title, case-insensitively", async () => {
    expect((await run(checks, { grep: "PAGING" })).checks.map((c) => c.id)).toEqual(["pacsaxis.paging.area-list.limit-one", "pacsaxis.paging.area-list.limit-one"]);
    expect((await run(checks, { grep: "deletes the area" })).checks.map((c) => c.id)).toEqual(["tac.area.remove", "tac.area.remove"]);
    expect((await run(checks, { grep: "nothing-matches" })).checks).toHaveLength(0);
  });

  it("selects exact ids", async () => {
    expect((await run(checks, { ids: ["tac.area.remove"], transports: ["soap"] })).checks.map((c) => c.id)).toEqual(["tac.area.remove"]);
  });

  it('runs "both" checks once with both protocols, and not at all over one transport', async () => {
    const seen: string[][] = [];
    const both = check("t.parity", async (ctx) => void seen.push([...ctx.protocols]), { transports: "both" });
    const report = await run([both]);
    expect(report.checks.map((c) => c.transport)).toEqual(["both"]);
    expect(seen).toEqual([["soap", "json"]]);
    expect((await run([both], { transports: ["json"] })).checks).toHaveLength(0);
  });

  it("derives the check's random values from the seed (same seed, same values; reported)", async () => {
    const values: number[] = [];
    const c = check("t.rng", async (ctx) => void values.push(ctx.rng.int(1, 1_000_000)), { transports: ["soap"] });
    const a = await run([c], { seed: 1234 });
    const b = await run([c], { seed: 1234 });
    await run([c], { seed: 1235 });
    expect(a.seed).toBe(1234);
    expect(values[0]).toBe(values[1]);
    expect(values[2]).not.toBe(values[0]);
    expect(b.checks[0]?.status).toBe("passed");
  });

  it("creates a fixture once and tears it down after its last declared user", async () => {
    const events: string[] = [];
    const user = (id: string) =>
      check(
        id,
        async (ctx) => {
          const v = await ctx.fixture("shared", async (f) => {
            events.push("setup");
            f.onCleanup("teardown", async () => void events.push("teardown"));
            return 41;
          });
          events.push(`${id}:${v + 1}`);
        },
        { uses: ["shared"], transports: ["soap"] },
      );
    await run([user("u1"), user("u2"), check("after", async () => void events.push("after"), { transports: ["soap"] })]);
    expect(events).toEqual(["setup", "u1:42", "u2:42", "teardown", "after"]);
  });

  it("gives every check a token prefix pcx-<runid>- and unique tokens", async () => {
    const tokens: string[] = [];
    await run([check("t.tok", async (ctx) => void tokens.push(ctx.newToken("a"), ctx.newToken("a")), { transports: ["soap"] })]);
    expect(tokens[0]).toMatch(/^pcx-[0-9a-z]{5}-a-/);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});

describe("runner preflight and reporters", () => {
  it("fails before any check with one clear line when the device cannot be reached", async () => {
    const device = fakeDevice({ preflightError: Object.assign(new Error("POST /vapix/services: cannot connect (connection refused); check the device URL"), { code: "CONNECTION_FAILED" }) });
    const ran: string[] = [];
    await expect(run([check("t.x", async () => void ran.push("x"))], {}, device)).rejects.toMatchObject({
      code: "PREFLIGHT_FAILED",
      message: "cannot reach http://127.0.0.1:1/: connection refused; check --device",
    });
    expect(ran).toEqual([]);
  });

  it("names --user/--password when the credentials are rejected", async () => {
    const device = fakeDevice({ preflightError: Object.assign(new Error("401"), { code: "AUTH_FAILED" }) });
    await expect(run([], {}, device)).rejects.toThrow(/check --user\/--password/);
  });

  it("reads MaxLimit from the preflight GetServiceCapabilities", async () => {
    let seen: number | undefined;
    await run([check("t.m", async (ctx) => void (seen = ctx.facts.maxLimit), { transports: ["json"] })], {}, fakeDevice({ maxLimit: 17 }));
    expect(seen).toBe(17);
  });

  it("calls reporter hooks in the documented order", async () => {
    const events: string[] = [];
    const reporter: Reporter = {
      onBegin: (info) => void events.push(`begin:${info.plan.length}`),
      onCaseBegin: (p: PlannedCheck) => void events.push(`case:${p.check.id}:${p.transport}`),
      onCaseEnd: (r) => void events.push(`end:${r.id}:${r.status}`),
      onEnd: (r) => void events.push(`done:${r.checks.length}`),
    };
    await run([check("t.a", async () => {}), check("t.b", async (ctx) => ctx.fail("x"), { transports: ["json"] })], { reporters: [reporter] });
    expect(events).toEqual(["begin:3", "case:t.a:soap", "end:t.a:passed", "case:t.a:json", "end:t.a:passed", "case:t.b:json", "end:t.b:failed", "done:3"]);
  });

  it("announces harness.data-preserved in the plan and reports it last, with its own begin/end", async () => {
    const events: string[] = [];
    const report = await run([check("t.a", async () => {}, { transports: ["soap"] })], {
      preserveData: true,
      reporters: [{ onBegin: (i: { plan: readonly PlannedCheck[] }) => void events.push(`plan:${i.plan.map((p) => p.check.id).join(",")}`), onCaseBegin: (p: PlannedCheck) => void events.push(`case:${p.check.id}`), onCaseEnd: (r: CheckResult) => void events.push(`end:${r.id}:${r.status}`) }],
    });
    expect(events).toEqual(["plan:t.a,harness.data-preserved", "case:t.a", "end:t.a:passed", "case:harness.data-preserved", "end:harness.data-preserved:passed"]);
    expect(report.checks.map((c) => c.id)).toEqual(["t.a", "harness.data-preserved"]);
  });

  it("stops after the current check when interrupted and marks the report", async () => {
    const ctl = new AbortController();
    const report = await run(
      [
        check("t.1", async () => ctl.abort(), { transports: ["soap"] }),
        check("t.2", async () => {}, { transports: ["soap"] }),
      ],
      { signal: ctl.signal },
    );
    expect(report.interrupted).toBe(true);
    expect(report.checks.map((c) => c.id)).not.toContain("t.2");
  });

  it("rejects bad options naming the option", async () => {
    await expect(run([], { deviceUrl: "not a url" })).rejects.toMatchObject({ code: "USAGE" });
    await expect(run([], { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
  });
});
