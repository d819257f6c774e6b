/**
 * decodeJsonFast must return exactly what normalizeJson(JSON.parse(text)) returns (values and key
 * order), or decline. Checked on device-shaped bodies, on hand-picked traps and on a few thousand
 * seeded random variants, whole and cut into pieces after every comma.
 */
import { describe, expect, it } from "@jest/globals";
import { normalizeJson } from "../../src/runtime/codec.js";
import { decodeJsonFast, decodeJsonRequestFast } from "../../src/runtime/json-reader.js";
import type { TypeDescriptor } from "../../src/runtime/model.js";
import { BOOL, FLOAT, INT, PACS, STR, at, complex, el, GetAccessPointListResponse } from "./descriptors.fixture.js";

const Item: TypeDescriptor = {
  name: "Item",
  ns: PACS,
  fields: [
    at("token", STR, true),
    el("Name", STR),
    el("Count", INT),
    el("Ratio", FLOAT),
    el("On", BOOL),
    el("Tag", STR, 0, "unbounded"),
    el("Pair", complex(() => Pair), 0, 3),
    el("Zones", { kind: "list", item: INT }),
    { node: "any", name: "any", min: 0, max: "unbounded", namespace: "##other" },
  ],
};
const Pair: TypeDescriptor = { name: "Pair", ns: PACS, fields: [at("Name", STR, true), at("Value", STR, true)] };
const Page: TypeDescriptor = { name: "Page", ns: PACS, fields: [el("Next", STR), el("Item", complex(() => Item), 0, "unbounded"), el("Total", INT, 1)] };

type Outcome = { value: unknown; keys: string } | { error: true };

function exactPath(text: string, type: TypeDescriptor): Outcome {
  try {
    const value = normalizeJson(JSON.parse(text), type);
    return { value, keys: JSON.stringify(value) };
  } catch {
    return { error: true };
  }
}

/** The fast path either declines or agrees with the exact path, whole and in two pieces. */
function expectAgrees(text: string, type: TypeDescriptor): boolean {
  const want = exactPath(text, type);
  const check = (input: string | string[]): boolean => {
    const got = decodeJsonFast(input, type);
    if (got === undefined) return false;
    expect("value" in want).toBe(true);
    if ("value" in want) {
      expect(got).toStrictEqual(want.value);
      expect(JSON.stringify(got)).toBe(want.keys);
    }
    return true;
  };
  const took = check(text);
  for (let i = text.indexOf(","); i !== -1; i = text.indexOf(",", i + 1)) check([text.slice(0, i + 1), text.slice(i + 1)]);
  return took;
}

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ["", "plain", "with \"quote\"", "back\\slash", "slash/", "é ✓ 𝄞", "\u0001ctl", "line\nbreak", "a,b", "{[:]}", "12", "true"];

function randomItem(r: () => number, i: number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const item: Record<string, unknown> = { token: `t-${i}` };
  if (r() < 0.7) item.Name = pick(STRINGS);
  if (r() < 0.5) item.Count = pick([0, -1, 42, 2147483647, 1e21, 0.5]);
  if (r() < 0.4) item.Ratio = pick([0.25, -1e-7, 3, 1.5e300]);
  if (r() < 0.5) item.On = r() < 0.5;
  if (r() < 0.5) item.Tag = Array.from({ length: Math.floor(r() * 3) }, () => pick(STRINGS));
  if (r() < 0.5) item.Pair = Array.from({ length: Math.floor(r() * 3) }, (_, k) => ({ Name: `n${k}`, Value: pick(STRINGS) }));
  return item;
}

/** Ways a body may differ from the canonical one; each is either taken exactly or declined. */
const MUTATIONS: ((s: string, r: () => number) => string)[] = [
  (s) => s,
  (s) => JSON.stringify(JSON.parse(s), null, 2),
  (s) => s.replace(/"Count":(-?[\d.e+]+)/, '"Count":"$1"'),
  (s) => s.replace(/"On":(true|false)/, '"On":"$1"'),
  (s) => s.replace('"Name":', '"Unknown":1,"Name":'),
  (s) => s.replace(/"Name":"[^"]*"/, '"Name":null'),
  (s) => s.replace(/"Tag":\[[^\]]*\]/, '"Tag":"one"'),
  (s) => s.replace(/"Tag":\[[^\]]*\]/, '"Tag":[null,"x",null]'),
  (s) => s.replace(/"Tag":\[[^\]]*\]/, '"Tag":[]'),
  (s) => s.replace(/"token":"([^"]*)"/, '"token":"$1","token":"dup"'),
  (s) => s.replace(/"token":"([^"]*)"/, '"token":"$1","Tag":["x"],"Tag":[],"Name":"a","Name":null'),
  (s) => s.replace(/\{"token":"([^"]*)",/, '{"On":true,"token":"$1",'),
  (s) => s.replace(/"Pair":\[/, '"Pair":[{"Name":"a","Value":"b"},{"Name":"a","Value":"b"},{"Name":"a","Value":"b"},'),
  (s) => s.replace(/,"Total":\d+/, ""),
  (s) => s.replace("}", "},"),
  (s) => `${s} x`,
  (s) => `\uFEFF${s}`,
  (s) => s.slice(0, Math.floor(s.length / 2)),
  (s) => s.replace(/"Name":"/, '"Name":"\\u00e9\\/\\n'),
  (s) => s.replace(/"Name":"/, '"Name":"\\x'),
  (s) => s.replace(/"Count":/, '"Count":01'),
  (s) => s.replace(/"Count":-?[\d.e+]+/, '"Count":-'),
  (s) => s.replace(/"Item":\[/, '"Item":{"token":"solo"},"Other":['),
  (s) => s.replace(/"token":/, '"Zones":[1,2],"token":'),
  (s) => s.replace(/"token":/, '"any":[1],"token":'),
  (s) => s.replace(/"Next":"[^"]*"/, '"Next":1'),
  (s, r) => s.replace(/true/g, () => (r() < 0.5 ? "true " : "\ttrue")),
];

describe("decodeJsonFast", () => {
  it("takes device-shaped bodies (the common case is fast), and agrees with the exact path", () => {
    const body = JSON.stringify({
      NextStartReference: "abc-1",
      AccessPoint: [
        { token: "ap1", Name: "Front", Entity: "door-1", Enabled: true, IdPointDevice: [{ IdPoint: "i", DeviceUUID: "" }], AuthenticationProfile: [], Attribute: [{ Name: "Direction", Value: "in" }] },
        { token: "ap2", Entity: "door-2", AuthenticationProfile: ["p1", "p2"] },
      ],
    });
    expect(expectAgrees(body, GetAccessPointListResponse.type())).toBe(true);
    expect(decodeJsonFast(body, GetAccessPointListResponse.type())).toEqual(normalizeJson(JSON.parse(body), GetAccessPointListResponse.type()));
  });

  it("declines a fault body, whatever the expected type", () => {
    const fault = '{"Fault":"env:Sender","FaultCode":"ter:InvalidArgVal","FaultReason":"bad"}';
    expect(decodeJsonFast(fault, GetAccessPointListResponse.type())).toBeUndefined();
  });

  it("returns keys in schema order when the body has them in another order", () => {
    const text = '{"Total":2,"Item":[{"On":false,"token":"b","Name":"n"}],"Next":"x"}';
    expect(expectAgrees(text, Page)).toBe(true);
    expect(JSON.stringify(decodeJsonFast(text, Page))).toBe('{"Next":"x","Item":[{"token":"b","Name":"n","On":false}],"Total":2}');
  });

  it("agrees with the exact path on thousands of seeded variants", () => {
    const r = rng(20261130);
    let taken = 0;
    let total = 0;
    for (let n = 0; n < 150; n++) {
      const page = { Next: r() < 0.5 ? `p${n}` : undefined, Item: Array.from({ length: Math.floor(r() * 4) }, (_, i) => randomItem(r, i)), Total: n };
      const canonical = JSON.stringify(page);
      for (const mutate of MUTATIONS) {
        total++;
        if (expectAgrees(mutate(canonical, r), Page)) taken++;
      }
    }
    // Both outcomes occur: the fast path is exercised, and it declines what it must.
    expect(taken).toBeGreaterThan(total / 5);
    expect(taken).toBeLessThan(total);
  });
});

describe("decodeJsonRequestFast (the device's request path)", () => {
  const typeOf = (key: string) => (key === "pacsaxis:SetPage" ? Page : undefined);

  /** The device's exact path: JSON.parse, one "<prefix>:<Operation>" key, lenient normalizeJson. */
  function devicePath(text: string): unknown {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const keys = Object.keys(parsed);
      if (keys.length !== 1 || typeOf(keys[0]) === undefined) return "refused";
      return { key: keys[0], value: normalizeJson(parsed[keys[0]], Page, { lenient: true }) };
    } catch {
      return "refused";
    }
  }

  it("agrees with the exact path whenever it takes a request", () => {
    const r = rng(7);
    let taken = 0;
    for (let n = 0; n < 60; n++) {
      const page = { Next: `p${n}`, Item: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => randomItem(r, i)), Total: n };
      for (const mutate of MUTATIONS) {
        const inner = mutate(JSON.stringify(page), r);
        for (const text of [`{"pacsaxis:SetPage":${inner}}`, `{"pacsaxis:SetPage":${inner},"x":1}`, `{"pacsaxis:Other":${inner}}`, ` {"pacsaxis:SetPage" : ${inner} } `]) {
          const got = decodeJsonRequestFast(text, typeOf);
          if (got === undefined) continue;
          taken++;
          expect(got).toStrictEqual(devicePath(text));
        }
      }
    }
    expect(taken).toBeGreaterThan(100);
  });
});
