import { describe, expect, it } from "@jest/globals";
import { ClockError, SystemClock, VirtualClock, parseClock } from "../../src/device/clock.js";
import { formatDuration, parseDuration } from "../../src/device/duration.js";

const T0 = Date.parse("2026-03-29T00:30:00Z");

describe("VirtualClock", () => {
  it("moves only when told, and runs timers in time order at their own instant", () => {
    const clock = new VirtualClock(T0);
    const seen: string[] = [];
    clock.at(T0 + 3000, "c", () => seen.push(`c@${clock.now() - T0}`));
    clock.at(T0 + 1000, "a", () => {
      seen.push(`a@${clock.now() - T0}`);
      // A timer set by a timer inside the window runs in the same advance.
      clock.at(clock.now() + 500, "b", () => seen.push(`b@${clock.now() - T0}`));
    });
    expect(clock.now()).toBe(T0);
    expect(clock.pending().map((t) => t.label)).toEqual(["a", "c"]);
    clock.advance(2000);
    expect(seen).toEqual(["a@1000", "b@1500"]);
    expect(clock.now()).toBe(T0 + 2000);
    clock.set(T0 + 10_000);
    expect(seen).toEqual(["a@1000", "b@1500", "c@3000"]);
    expect(clock.now()).toBe(T0 + 10_000);
  });

  it("cancels timers, and never moves backwards", () => {
    const clock = new VirtualClock(T0);
    let fired = false;
    const t = clock.at(T0 + 10, "x", () => (fired = true));
    clock.cancel(t);
    clock.advance(100);
    expect(fired).toBe(false);
    expect(() => clock.set(T0)).toThrow(ClockError);
    expect(() => clock.advance(-1)).toThrow(/0 or more/);
  });

  it("runs an already-due timer on the next turn", async () => {
    const clock = new VirtualClock(T0);
    let fired = 0;
    clock.at(T0, "now", () => fired++);
    expect(fired).toBe(0);
    await Promise.resolve();
    expect(fired).toBe(1);
  });
});

describe("SystemClock", () => {
  it("fires on real time and can be stopped", async () => {
    const clock = new SystemClock();
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const fired = await new Promise<boolean>((resolve) => {
      clock.at(Date.now() + 20, "soon", () => resolve(true));
      fallback = setTimeout(() => resolve(false), 2000);
    });
    clearTimeout(fallback);
    expect(fired).toBe(true);
    clock.at(Date.now() + 50, "never", () => {
      throw new Error("stopped clocks fire nothing");
    });
    clock.stop();
    expect(clock.pending()).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
  });
});

describe("parseClock", () => {
  it("reads system, virtual and virtual=<ISO time>", () => {
    expect(parseClock("system").kind).toBe("system");
    expect(parseClock("virtual", T0).now()).toBe(T0);
    expect(parseClock("virtual=2026-03-29T00:30:00Z").now()).toBe(T0);
    expect(() => parseClock("virtual=tomorrow")).toThrow(/not an ISO 8601 time/);
    expect(() => parseClock("sometimes")).toThrow(/use system, virtual/);
  });
});

describe("xs:duration", () => {
  it("parses the door controller's durations and refuses the rest", () => {
    expect(parseDuration("PT10S")).toBe(10_000);
    expect(parseDuration("PT1H30M")).toBe(5_400_000);
    expect(parseDuration("P1DT0.5S")).toBe(86_400_500);
    expect(parseDuration("PT0S")).toBe(0);
    for (const bad of ["", "P", "PT", "10S", "P1Y", "PT1.S", "pt10s"]) expect(parseDuration(bad)).toBeUndefined();
    expect(formatDuration(10_000)).toBe("PT10S");
    expect(formatDuration(1500)).toBe("PT1.5S");
  });
});
