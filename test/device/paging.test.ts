import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { area, json, jsonFaultCodes, ok, walk, withDevice } from "./helpers.js";

const areaTokens = (n: number): string[] => Array.from({ length: n }, (_, i) => `area-${String(i + 1).padStart(4, "0")}`);

describe("Get<X>List paging", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ maxLimit: 5, populate: { areas: 12 } });
  });
  afterAll(() => device.close());

  it("walks in pages of Limit, ends without NextStartReference, misses and repeats nothing", async () => {
    const pages = await walk(device, "pacsaxis:GetAreaList", "Area", 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3]);
    expect(pages.flat()).toEqual(areaTokens(12));
  });

  it("uses MaxLimit when Limit is absent, below one or above MaxLimit", async () => {
    for (const limit of [undefined, 0, -4, 1000]) {
      const body = await ok(device, "tac:GetAreaInfoList", limit === undefined ? {} : { Limit: limit });
      expect([limit, (body.AreaInfo as unknown[]).length]).toEqual([limit, 5]);
      expect(typeof body.NextStartReference).toBe("string");
    }
  });

  it("stays correct when items are removed and added mid-walk", async () => {
    const first = await ok(device, "pacsaxis:GetAreaList", { Limit: 4 });
    expect((first.Area as { token: string }[]).map((a) => a.token)).toEqual(areaTokens(4));
    // Remove the last returned item and the next one; add one before and one after the position.
    await ok(device, "pacsaxis:RemoveArea", { Token: ["area-0004", "area-0005"] });
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-0000"), area("area-0006x")] });
    const rest: string[] = [];
    let ref = first.NextStartReference as string | undefined;
    while (ref !== undefined) {
      const page = await ok(device, "pacsaxis:GetAreaList", { Limit: 4, StartReference: ref });
      rest.push(...(page.Area as { token: string }[]).map((a) => a.token));
      ref = page.NextStartReference as string | undefined;
    }
    expect(rest).toEqual(["area-0006", "area-0006x", "area-0007", "area-0008", "area-0009", "area-0010", "area-0011", "area-0012"]);
    await ok(device, "pacsaxis:RemoveArea", { Token: ["area-0000", "area-0006x"] });
    await ok(device, "pacsaxis:SetArea", { Area: [area("area-0004", "Area 4"), area("area-0005", "Area 5")] });
  });

  it("faults an unknown, foreign-list or expired StartReference with InvalidStartReference", async () => {
    const expected = ["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartReference"];
    const unknown = await json(device, "pacsaxis:GetAreaList", { StartReference: "forged" });
    expect([unknown.status, jsonFaultCodes(unknown.body)]).toEqual([400, expected]);
    const other = (await ok(device, "tac:GetAreaInfoList", { Limit: 1 })).NextStartReference as string;
    const foreign = await json(device, "pacsaxis:GetAreaList", { StartReference: other });
    expect(jsonFaultCodes(foreign.body)).toEqual(expected);
    await withDevice({ startReferenceTtlMs: -1, populate: { areas: 3 } }, async (shortLived) => {
      const ref = (await ok(shortLived, "pacsaxis:GetAreaList", { Limit: 1 })).NextStartReference as string;
      const expired = await json(shortLived, "pacsaxis:GetAreaList", { StartReference: ref });
      expect(jsonFaultCodes(expired.body)).toEqual(expected);
    });
  });

  it("pages every list operation, including anti-passback data", async () => {
    const cases: [string, string][] = [
      ["pacsaxis:GetAccessControllerInfoList", "AccessControllerInfo"],
      ["pacsaxis:GetAuthenticationProfileList", "AuthenticationProfile"],
      ["tac:GetAuthenticationProfileInfoList", "AuthenticationProfileInfo"],
      ["pacsaxis:GetAntipassbackDataList", "AntipassbackData"],
    ];
    for (const [op, field] of cases) {
      const pages = await walk(device, op, field, 1);
      expect(pages.every((p) => p.length <= 1)).toBe(true);
    }
    expect((await walk(device, "tac:GetAuthenticationProfileInfoList", "AuthenticationProfileInfo", 1)).flat()).toEqual(["CardOnly", "CardPlusPin", "PINOnly", "REXOnly"]);
  });
});
