import { describe, expect, it } from "@jest/globals";
import { VirtualClock } from "../../src/device/clock.js";
import { QuirkSet } from "../../src/device/quirks.js";
import { DeviceState } from "../../src/device/state.js";
import { StimulusError, stringArg, type PhysicalWorld } from "../../src/device/world.js";
import { BASIC, withDevice } from "./helpers.js";

async function call(url: string, path: string, init: { method?: string; body?: string; auth?: boolean } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? "GET",
    headers: init.auth === false ? {} : { authorization: BASIC },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

describe("the back door over HTTP", () => {
  it("is off unless asked for", async () => {
    await withDevice({}, async (device) => {
      expect((await call(device.url, "/backdoor")).status).toBe(404);
    });
  });

  it("sits behind the same authentication as the services", async () => {
    await withDevice({ backdoor: true }, async (device) => {
      expect((await call(device.url, "/backdoor", { auth: false })).status).toBe(401);
    });
  });

  it("shows the clock and the stimuli, and moves a virtual clock", async () => {
    await withDevice({ backdoor: true, clock: "virtual=2026-03-29T00:30:00Z" }, async (device) => {
      const state = await call(device.url, "/backdoor");
      expect(state.status).toBe(200);
      expect(state.body).toMatchObject({ Clock: { Kind: "virtual", Now: "2026-03-29T00:30:00.000Z" } });
      expect(Array.isArray(state.body["Stimuli"])).toBe(true);
      const moved = await call(device.url, "/backdoor/clock", { method: "POST", body: JSON.stringify({ Advance: "PT1H30M" }) });
      expect(moved).toMatchObject({ status: 200, body: { Clock: { Now: "2026-03-29T02:00:00.000Z" } } });
      expect((await call(device.url, "/backdoor/clock", { method: "POST", body: JSON.stringify({ AdvanceMs: 1000 }) })).body).toMatchObject({ Clock: { Now: "2026-03-29T02:00:01.000Z" } });
      expect((await call(device.url, "/backdoor/clock", { method: "POST", body: JSON.stringify({ Set: "2026-04-01T00:00:00Z" }) })).body).toMatchObject({ Clock: { Now: "2026-04-01T00:00:00.000Z" } });
    });
  });

  it("answers bad requests with 4xx and a message, and keeps working", async () => {
    await withDevice({ backdoor: true, clock: "virtual=2026-03-29T00:30:00Z" }, async (device) => {
      const bad: [string, { method?: string; body?: string }, number, RegExp][] = [
        ["/backdoor/clock", { method: "POST", body: "{not json" }, 400, /not JSON/],
        ["/backdoor/clock", { method: "POST", body: JSON.stringify({ Advance: "ten seconds" }) }, 400, /xs:duration/],
        ["/backdoor/clock", { method: "POST", body: JSON.stringify({ Advance: "PT1S", Set: "x" }) }, 400, /exactly one/],
        ["/backdoor/clock", { method: "POST", body: JSON.stringify({ Set: "2020-01-01T00:00:00Z" }) }, 400, /only moves forward/],
        ["/backdoor/stimulus", { method: "POST", body: JSON.stringify({ Stimulus: "NoSuchThing" }) }, 400, /unknown stimulus "NoSuchThing"/],
        ["/backdoor/stimulus", { method: "POST", body: "[]" }, 400, /JSON object/],
        ["/backdoor/stimulus", { method: "GET" }, 405, /POST/],
        ["/backdoor/elsewhere", {}, 404, /no back-door resource/],
      ];
      for (const [path, init, status, message] of bad) {
        const r = await call(device.url, path, init);
        expect([path, r.status]).toEqual([path, status]);
        expect(String(r.body["Error"])).toMatch(message);
      }
      expect((await call(device.url, "/backdoor")).body).toMatchObject({ Clock: { Now: "2026-03-29T00:30:00.000Z" } });
    });
  });

  it("refuses to move a system clock (409, naming --clock virtual)", async () => {
    await withDevice({ backdoor: true }, async (device) => {
      const r = await call(device.url, "/backdoor/clock", { method: "POST", body: JSON.stringify({ AdvanceMs: 1 }) });
      expect(r.status).toBe(409);
      expect(String(r.body["Error"])).toMatch(/--clock virtual/);
    });
  });
});

describe("PhysicalWorld", () => {
  function world(): { world: PhysicalWorld; state: DeviceState; applied: unknown[] } {
    const state = new DeviceState({ identity: { mac: "00408C184BDB", uuid: "u" }, maxLimit: 10, startReferenceTtlMs: 1000, quirks: new QuirkSet([]), decls: [], clock: new VirtualClock(0) });
    const applied: unknown[] = [];
    state.world.register({
      name: "OpenDoor",
      doc: "opens a door",
      args: { Door: "token of a Door", Hold: "keep it open (optional)" },
      apply(args) {
        const door = stringArg(args, "Door");
        if (door === "unknown") throw new StimulusError(`no door "${door}"`);
        applied.push(args);
        return { Opened: door };
      },
    });
    return { world: state.world, state, applied };
  }

  it("applies a stimulus with its arguments and returns its result", () => {
    const { world: w, state, applied } = world();
    expect(w.apply({ Stimulus: "OpenDoor", Door: "d1" }, state)).toEqual({ Opened: "d1" });
    expect(applied).toEqual([{ Door: "d1" }]);
  });

  it("names the problem of a bad stimulus and applies nothing", () => {
    const { world: w, state, applied } = world();
    expect(() => w.apply({ Stimulus: "OpenDoor" }, state)).toThrow(/needs "Door"/);
    expect(() => w.apply({ Stimulus: "OpenDoor", Door: "d", Colour: "red" }, state)).toThrow(/"Colour" is not one of them/);
    expect(() => w.apply({ Stimulus: "OpenDoor", Door: 7 }, state)).toThrow(/non-empty string/);
    expect(() => w.apply({ Stimulus: "OpenDoor", Door: "unknown" }, state)).toThrow(StimulusError);
    expect(() => w.apply({ Door: "d" }, state)).toThrow(/must name one of: OpenDoor/);
    expect(() => w.apply("OpenDoor", state)).toThrow(/JSON object/);
    expect(applied).toEqual([]);
  });
});
