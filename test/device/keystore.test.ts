/**
 * The Keystore service (axkey) over raw VAPIX JSON (/vapix/axkey) and SOAP: storing keys with
 * their metadata, key values never shown, the refused key values, the documented faults, and the
 * service's quirks.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axkeySchemas } from "../../generated/axkey/schemas.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { attr, children, json, jsonFaultCodes, ok, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXKEY = "http://www.axis.com/vapix/ws/KeyStore";
const START = "2026-01-05T08:00:00Z";
const CLOCK = `virtual=${START}`;

/** The guide's SetEncryptionKey example, with the bare item name the other pages' JSON uses. */
const GUIDE_KEY = { Name: "My key name", Description: "My key description", token: "my_key", Key: "00010203040506070809101112131415" };
/** OSDP's default secure channel base key SCBK-D (0x30 … 0x3F). */
const SCBK_D = "303132333435363738393A3B3C3D3E3F";
const ZERO_16 = "00000000000000000000000000000000";

const NOT_FOUND = ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"];
const INVALID_ARGS = ["env:Sender", "ter:InvalidArgs"];

const key = (token: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ token, Key: value, Name: `Key ${token}`, ...extra });
const tokens = (body: Record<string, unknown>): string[] => ((body["EncryptionKey"] as { token: string }[] | undefined) ?? []).map((k) => k.token);
const keyValues = (body: Record<string, unknown>): unknown[] => ((body["EncryptionKey"] as { Key?: unknown }[] | undefined) ?? []).map((k) => k.Key);

describe("Keystore service over VAPIX JSON (/vapix/axkey)", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ clock: CLOCK, onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("stores no keys when factory-new", async () => {
    expect(await ok(device, "axkey:GetEncryptionKeyList")).toEqual({ EncryptionKey: [] });
  });

  it("sets the guide's key and never shows its value: ***** from GetEncryptionKey, empty from the list", async () => {
    const before = events.length;
    expect(await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [GUIDE_KEY] })).toEqual({ Token: ["my_key"] });
    const shown = { token: "my_key", Name: "My key name", Description: "My key description", ModificationTime: START };
    expect(await ok(device, "axkey:GetEncryptionKey", { Token: ["my_key"] })).toEqual({ EncryptionKey: [{ ...shown, Key: "*****" }] });
    expect(await ok(device, "axkey:GetEncryptionKeyList")).toEqual({ EncryptionKey: [{ ...shown, Key: "" }] });
    // The device keeps the real value (it is part of the device's data) …
    expect(device.snapshot().entities["EncryptionKey"]?.items).toEqual([{ ...shown, Key: GUIDE_KEY.Key }]);
    // … and the page documents no keystore events.
    expect(events.slice(before)).toEqual([]);
    await ok(device, "axkey:RemoveEncryptionKey", { Token: ["my_key"] });
  });

  it("sets ModificationTime itself, to the time of each SetEncryptionKey, ignoring a client's value", async () => {
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("stamped", "0a0b0c0d", { ModificationTime: "2001-01-01T00:00:00Z" })] });
    const first = (await ok(device, "axkey:GetEncryptionKey", { Token: ["stamped"] })).EncryptionKey[0];
    expect(first.ModificationTime).toBe(START);
    device.advanceClock(90_000);
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("stamped", "0a0b0c0e", { Name: "renamed" })] });
    const second = (await ok(device, "axkey:GetEncryptionKey", { Token: ["stamped"] })).EncryptionKey[0];
    expect([second.Name, second.ModificationTime]).toEqual(["renamed", "2026-01-05T08:01:30Z"]);
    expect(device.snapshot().entities["EncryptionKey"]?.items).toEqual([expect.objectContaining({ token: "stamped", Key: "0a0b0c0e" })]);
    await ok(device, "axkey:RemoveEncryptionKey", { Token: ["stamped"] });
  });

  it("allocates a token for an empty one and answers the tokens in request order", async () => {
    const { Token } = await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("first", "01"), key("", "02"), key("third", "03")] });
    expect(Token).toEqual(["first", expect.stringMatching(/^Axis-00408c184bdb:\d+\.\d{9}$/), "third"]);
    expect(tokens(await ok(device, "axkey:GetEncryptionKey", { Token: [...(Token as string[]), "first"] }))).toEqual(Token);
    await ok(device, "axkey:RemoveEncryptionKey", { Token });
    expect(await ok(device, "axkey:GetEncryptionKeyList")).toEqual({ EncryptionKey: [] });
  });

  it("answers NotFound for an unknown token in GetEncryptionKey and RemoveEncryptionKey (and removes nothing)", async () => {
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("kept", "abcdef")] });
    const get = await json(device, "axkey:GetEncryptionKey", { Token: ["kept", "ghost"] });
    expect([get.status, jsonFaultCodes(get.body)]).toEqual([400, NOT_FOUND]);
    const remove = await json(device, "axkey:RemoveEncryptionKey", { Token: ["kept", "ghost"] });
    expect([remove.status, jsonFaultCodes(remove.body)]).toEqual([400, NOT_FOUND]);
    expect(tokens(await ok(device, "axkey:GetEncryptionKey", { Token: ["kept"] }))).toEqual(["kept"]);
    // Token is [1][unbounded] in both requests.
    for (const op of ["axkey:GetEncryptionKey", "axkey:RemoveEncryptionKey"]) {
      const none = await json(device, op, {});
      expect([op, none.status, jsonFaultCodes(none.body)]).toEqual([op, 400, INVALID_ARGS]);
    }
    await ok(device, "axkey:RemoveEncryptionKey", { Token: ["kept"] });
  });

  it("refuses SCBK-D and the all-zero 16-byte key with env:Sender/ter:InvalidArgs, storing nothing of the batch", async () => {
    for (const refused of [SCBK_D, SCBK_D.toLowerCase(), ZERO_16]) {
      const r = await json(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("fine", "0102"), key("refused", refused)] });
      expect([refused, r.status, jsonFaultCodes(r.body)]).toEqual([refused, 400, INVALID_ARGS]);
      expect(String(r.body["FaultReason"])).toContain("EncryptionKey[1]");
    }
    expect(await ok(device, "axkey:GetEncryptionKeyList")).toEqual({ EncryptionKey: [] });
    // Other values are keys like any other: eight zero bytes, a key next to SCBK-D.
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("zero-8", "0000000000000000"), key("near", "303132333435363738393A3B3C3D3E3E")] });
    await ok(device, "axkey:RemoveEncryptionKey", { Token: ["zero-8", "near"] });
  });

  it("takes a Key and a Description of up to 1024 characters", async () => {
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: [key("long", "f".repeat(1024), { Description: "d".repeat(1024) })] });
    for (const [field, item] of [
      ["Key", key("too-long", "f".repeat(1025))],
      ["Description", key("too-long", "01", { Description: "d".repeat(1025) })],
    ] as const) {
      const r = await json(device, "axkey:SetEncryptionKey", { EncryptionKey: [item] });
      expect([field, r.status, jsonFaultCodes(r.body)]).toEqual([field, 400, INVALID_ARGS]);
    }
    const missingKey = await json(device, "axkey:SetEncryptionKey", { EncryptionKey: [{ token: "no-key", Name: "no key" }] });
    expect([missingKey.status, jsonFaultCodes(missingKey.body)]).toEqual([400, INVALID_ARGS]);
    expect(tokens(await ok(device, "axkey:GetEncryptionKeyList"))).toEqual(["long"]);
    await ok(device, "axkey:RemoveEncryptionKey", { Token: ["long"] });
  });

  it("pages GetEncryptionKeyList with Limit and StartReference, hiding every value", async () => {
    await ok(device, "axkey:SetEncryptionKey", { EncryptionKey: Array.from({ length: 5 }, (_, i) => key(`page-${i}`, `0${i + 1}`)) });
    const first = await ok(device, "axkey:GetEncryptionKeyList", { Limit: 3 });
    expect([tokens(first), keyValues(first)]).toEqual([["page-0", "page-1", "page-2"], ["", "", ""]]);
    const rest = await ok(device, "axkey:GetEncryptionKeyList", { Limit: 3, StartReference: first.NextStartReference });
    expect([tokens(rest), rest.NextStartReference]).toEqual([["page-3", "page-4"], undefined]);
    const forged = await json(device, "axkey:GetEncryptionKeyList", { StartReference: "forged" });
    expect(jsonFaultCodes(forged.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartReference"]);
    await ok(device, "axkey:RemoveEncryptionKey", { Token: tokens(first).concat(tokens(rest)) });
  });

  it("answers every operation with JSON that validates against the generated schema", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const calls: [string, unknown][] = [
      ["axkey:SetEncryptionKey", { EncryptionKey: [GUIDE_KEY] }],
      ["axkey:GetEncryptionKey", { Token: ["my_key"] }],
      ["axkey:GetEncryptionKeyList", { Limit: 1 }],
      ["axkey:RemoveEncryptionKey", { Token: ["my_key"] }],
    ];
    const failures: string[] = [];
    for (const [op, input] of calls) {
      const r = await json(device, op, input);
      const validate = ajv.compile((axkeySchemas as Record<string, object>)[`${op.slice(op.indexOf(":") + 1)}Response`]!);
      if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("Keystore service over SOAP", () => {
  it("sets the guide's SOAP example, shows the key as *****, lists it empty and refuses SCBK-D", async () => {
    await withDevice({ clock: CLOCK }, async (device) => {
      const set = await soap(
        device,
        `<axkey:SetEncryptionKey xmlns:axkey="${AXKEY}"><axkey:EncryptionKey token="my_key"><axkey:Key>00010203040506070809101112131415</axkey:Key><axkey:Name>My key name</axkey:Name><axkey:Description>My key description</axkey:Description></axkey:EncryptionKey></axkey:SetEncryptionKey>`,
      );
      expect([set.status, set.el.local, children(set.el, "Token").map((t) => t.text)]).toEqual([200, "SetEncryptionKeyResponse", ["my_key"]]);

      const got = await soap(device, `<k:GetEncryptionKey xmlns:k="${AXKEY}"><k:Token>my_key</k:Token></k:GetEncryptionKey>`);
      expect([got.el.ns, got.el.local]).toEqual([AXKEY, "GetEncryptionKeyResponse"]);
      const items = children(got.el, "EncryptionKey");
      expect(items.map((i) => [attr(i, "token"), i.children.map((c) => `${c.local}=${c.text}`)])).toEqual([
        ["my_key", ["Key=*****", "Name=My key name", "Description=My key description", `ModificationTime=${START}`]],
      ]);

      const list = await soap(device, `<k:GetEncryptionKeyList xmlns:k="${AXKEY}"/>`);
      expect(children(list.el, "EncryptionKey").map((i) => children(i, "Key")[0]?.text)).toEqual([""]);
      expect(got.text + list.text).not.toContain("00010203040506070809101112131415");

      const refused = await soap(device, `<k:SetEncryptionKey xmlns:k="${AXKEY}"><k:EncryptionKey token="scbk"><k:Key>${SCBK_D}</k:Key></k:EncryptionKey></k:SetEncryptionKey>`);
      expect([refused.status, soapFaultCodes(refused.el)]).toEqual([400, INVALID_ARGS]);

      const removed = await soap(device, `<k:RemoveEncryptionKey xmlns:k="${AXKEY}"><k:Token>my_key</k:Token></k:RemoveEncryptionKey>`);
      expect([removed.status, removed.el.local, removed.el.children]).toEqual([200, "RemoveEncryptionKeyResponse", []]);
      const gone = await soap(device, `<k:GetEncryptionKey xmlns:k="${AXKEY}"><k:Token>my_key</k:Token></k:GetEncryptionKey>`);
      expect([gone.status, soapFaultCodes(gone.el)]).toEqual([400, NOT_FOUND]);
    });
  });
});

describe("Keystore quirks", () => {
  const guideSet = (d: RunningDevice): Promise<Record<string, unknown>> => ok(d, "axkey:SetEncryptionKey", { EncryptionKey: [GUIDE_KEY] });

  it("keystore-get-reveals-key: GetEncryptionKey shows the value; the list still hides it", async () => {
    await withDevice({ quirks: ["keystore-get-reveals-key"] }, async (d) => {
      await guideSet(d);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKey", { Token: ["my_key"] }))).toEqual([GUIDE_KEY.Key]);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKeyList"))).toEqual([""]);
    });
  });

  it("keystore-list-reveals-key: GetEncryptionKeyList shows the value; GetEncryptionKey still hides it", async () => {
    await withDevice({ quirks: ["keystore-list-reveals-key"] }, async (d) => {
      await guideSet(d);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKeyList"))).toEqual([GUIDE_KEY.Key]);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKey", { Token: ["my_key"] }))).toEqual(["*****"]);
    });
  });

  it("keystore-scbk-d-accepted: SCBK-D is stored; the all-zero key is still refused", async () => {
    await withDevice({ quirks: ["keystore-scbk-d-accepted"] }, async (d) => {
      expect(await ok(d, "axkey:SetEncryptionKey", { EncryptionKey: [key("scbk", SCBK_D)] })).toEqual({ Token: ["scbk"] });
      expect(jsonFaultCodes((await json(d, "axkey:SetEncryptionKey", { EncryptionKey: [key("zero", ZERO_16)] })).body)).toEqual(INVALID_ARGS);
      expect(tokens(await ok(d, "axkey:GetEncryptionKeyList"))).toEqual(["scbk"]);
    });
  });

  it("keystore-zero-key-accepted: the all-zero key is stored; SCBK-D is still refused", async () => {
    await withDevice({ quirks: ["keystore-zero-key-accepted"] }, async (d) => {
      expect(await ok(d, "axkey:SetEncryptionKey", { EncryptionKey: [key("zero", ZERO_16)] })).toEqual({ Token: ["zero"] });
      expect(jsonFaultCodes((await json(d, "axkey:SetEncryptionKey", { EncryptionKey: [key("scbk", SCBK_D)] })).body)).toEqual(INVALID_ARGS);
      expect(tokens(await ok(d, "axkey:GetEncryptionKeyList"))).toEqual(["zero"]);
    });
  });

  it("keystore-modification-time-from-client: a ModificationTime sent is kept; without one the device stamps it", async () => {
    await withDevice({ quirks: ["keystore-modification-time-from-client"], clock: CLOCK }, async (d) => {
      await ok(d, "axkey:SetEncryptionKey", { EncryptionKey: [key("sent", "01", { ModificationTime: "2001-01-01T00:00:00Z" }), key("unsent", "02")] });
      const got = (await ok(d, "axkey:GetEncryptionKey", { Token: ["sent", "unsent"] })).EncryptionKey as { ModificationTime: string }[];
      expect(got.map((k) => k.ModificationTime)).toEqual(["2001-01-01T00:00:00Z", START]);
    });
  });

  it("schema-invalid-response: keystore items come without their required Key, over JSON and SOAP", async () => {
    await withDevice({ quirks: ["schema-invalid-response"] }, async (d) => {
      await guideSet(d);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKey", { Token: ["my_key"] }))).toEqual([undefined]);
      expect(keyValues(await ok(d, "axkey:GetEncryptionKeyList"))).toEqual([undefined]);
      const item = children((await soap(d, `<k:GetEncryptionKey xmlns:k="${AXKEY}"><k:Token>my_key</k:Token></k:GetEncryptionKey>`)).el, "EncryptionKey")[0]!;
      expect(item.children.map((c) => c.local)).toEqual(["Name", "Description", "ModificationTime"]);
    });
  });

  it("not-found-succeeds: GetEncryptionKey skips an unknown token, RemoveEncryptionKey answers OK", async () => {
    await withDevice({ quirks: ["not-found-succeeds"] }, async (d) => {
      await guideSet(d);
      expect(tokens(await ok(d, "axkey:GetEncryptionKey", { Token: ["ghost", "my_key"] }))).toEqual(["my_key"]);
      expect(await ok(d, "axkey:RemoveEncryptionKey", { Token: ["ghost"] })).toEqual({});
    });
  });
});
