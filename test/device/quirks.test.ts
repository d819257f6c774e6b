import { describe, expect, it } from "@jest/globals";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ACCESS_CONTROL_QUIRKS } from "../../src/device/access-control/quirks.js";
import { GENERIC_QUIRKS } from "../../src/device/quirks.js";
import { listQuirks, startDevice, type RunningDevice } from "../../src/device/server.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, PACS, SOAP_ENV, TAC, accessPoint, area, attr, children, credential, json, jsonFaultCodes, ok, post, soap, soapFaultCodes, walk, withDevice } from "./helpers.js";

const POP = { areas: 7, credentials: 3, accessPoints: 2, accessProfiles: 2 };
const tokens = (body: Record<string, unknown>, field: string): string[] => ((body[field] as { token: string }[] | undefined) ?? []).map((i) => i.token);

/** One focused check per quirk: the device breaks exactly the rule the quirk names. */
const CASES: Record<string, (d: RunningDevice) => Promise<void>> = {
  "ignore-limit": async (d) => {
    expect(tokens(await ok(d, "pacsaxis:GetAreaList", { Limit: 2 }), "Area")).toHaveLength(5);
  },
  "exceed-max-limit": async (d) => {
    const body = await ok(d, "tac:GetAreaInfoList", {});
    expect(tokens(body, "AreaInfo")).toHaveLength(7);
    expect(body.NextStartReference).toBeUndefined();
  },
  "duplicate-across-pages": async (d) => {
    const all = (await walk(d, "pacsaxis:GetAreaList", "Area", 3)).flat();
    expect(all.length).toBeGreaterThan(new Set(all).size);
    expect(new Set(all).size).toBe(7);
  },
  "skip-across-pages": async (d) => {
    const all = (await walk(d, "pacsaxis:GetAreaList", "Area", 2)).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeLessThan(7);
  },
  "endless-paging": async (d) => {
    const first = await ok(d, "pacsaxis:GetAreaList", {});
    expect(tokens(first, "Area")).toHaveLength(5);
    const second = await ok(d, "pacsaxis:GetAreaList", { StartReference: first.NextStartReference });
    expect(tokens(second, "Area")).toHaveLength(2);
    const third = await ok(d, "pacsaxis:GetAreaList", { StartReference: second.NextStartReference });
    expect(tokens(third, "Area")).toEqual([]);
    expect(typeof third.NextStartReference).toBe("string");
  },
  "accept-invalid-start-reference": async (d) => {
    const body = await ok(d, "pacsaxis:GetAreaList", { StartReference: "forged", Limit: 2 });
    expect(tokens(body, "Area")).toEqual(["area-0001", "area-0002"]);
  },
  "empty-token-list-returns-all": async (d) => {
    expect(tokens(await ok(d, "pacsaxis:GetArea", {}), "Area")).toHaveLength(7);
    expect(tokens(await ok(d, "pacsaxis:GetCredentialInfo", {}), "CredentialInfo")).toHaveLength(3);
  },
  "unknown-token-faults": async (d) => {
    const r = await json(d, "pacsaxis:GetArea", { Token: ["area-0001", "ghost"] });
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
  },
  "no-too-many-items": async (d) => {
    const many = Array.from({ length: 8 }, (_, i) => `area-000${i}`);
    expect(tokens(await ok(d, "pacsaxis:GetArea", { Token: many }), "Area")).toHaveLength(7);
  },
  "set-does-not-replace": async (d) => {
    expect((await ok(d, "pacsaxis:SetArea", { Area: [area("area-0001", "Changed")] })).Token).toEqual(["area-0001"]);
    expect((await ok(d, "pacsaxis:GetArea", { Token: ["area-0001"] })).Area).toEqual([expect.objectContaining({ Name: "Area 1" })]);
  },
  "ignore-client-token": async (d) => {
    const { Token } = await ok(d, "pacsaxis:SetArea", { Area: [area("mine")] });
    expect((Token as string[])[0]).toMatch(/^Axis-00408c184bdb:/);
    expect((await ok(d, "pacsaxis:GetArea", { Token: ["mine"] })).Area).toEqual([]);
  },
  "reuse-generated-token": async (d) => {
    const a = (await ok(d, "pacsaxis:SetArea", { Area: [area("", "first")] })).Token as string[];
    const b = (await ok(d, "pacsaxis:SetArea", { Area: [area("", "second")] })).Token as string[];
    expect(a).toEqual(b);
    expect((await ok(d, "pacsaxis:GetArea", { Token: a })).Area).toEqual([expect.objectContaining({ Name: "second" })]);
  },
  "token-unique-across-types": async (d) => {
    const r = await json(d, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("area-0001")] });
    expect(r.status).toBe(400);
    expect(jsonFaultCodes(r.body).slice(0, 2)).toEqual(["env:Sender", "ter:InvalidArgVal"]);
  },
  "info-not-updated": async (d) => {
    await ok(d, "pacsaxis:SetArea", { Area: [area("area-0001", "Renamed")] });
    expect((await ok(d, "pacsaxis:GetArea", { Token: ["area-0001"] })).Area).toEqual([expect.objectContaining({ Name: "Renamed" })]);
    expect((await ok(d, "tac:GetAreaInfo", { Token: ["area-0001"] })).AreaInfo).toEqual([expect.objectContaining({ Name: "Area 1" })]);
  },
  "set-returns-no-tokens": async (d) => {
    expect(await ok(d, "pacsaxis:SetArea", { Area: [area("x")] })).toEqual({});
    const r = await soap(d, `<p:SetAccessPoint xmlns:p="${PACS}">${"<p:AccessPoint token=\"soap-ap\"><p:Name>n</p:Name><p:Entity>e</p:Entity><p:Enabled>true</p:Enabled><p:Action>Access</p:Action></p:AccessPoint>"}</p:SetAccessPoint>`);
    expect(r.status).toBe(200);
    expect(children(r.el, "Token")).toEqual([]);
  },
  "remove-noop": async (d) => {
    expect((await json(d, "pacsaxis:RemoveArea", { Token: ["area-0001"] })).status).toBe(200);
    expect(tokens(await ok(d, "pacsaxis:GetArea", { Token: ["area-0001"] }), "Area")).toEqual(["area-0001"]);
  },
  "drop-references": async (d) => {
    await ok(d, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("ap-ref", { Entity: "Door7" })] });
    await ok(d, "pacsaxis:SetCredential", { Credential: [credential("c-ref", "9", { CredentialAccessProfile: [{ AccessProfile: "profile-0001" }] })] });
    const ap = (await ok(d, "pacsaxis:GetAccessPoint", { Token: ["ap-ref"] })).AccessPoint as Record<string, unknown>[];
    expect(ap[0]!["Entity"]).toBe("");
    const c = (await ok(d, "pacsaxis:GetCredential", { Token: ["c-ref"] })).Credential as Record<string, unknown>[];
    expect(c[0]!["CredentialAccessProfile"]).toEqual([{ AccessProfile: "" }]);
  },
  "enable-disable-noop": async (d) => {
    expect((await json(d, "tac:DisableAccessPoint", { Token: "ap-0001" })).status).toBe(200);
    expect(await ok(d, "tac:GetAccessPointState", { Token: "ap-0001" })).toEqual({ AccessPointState: { Enabled: true } });
    await ok(d, "pacsaxis:DisableCredential", { Token: "credential-0001" });
    expect(((await ok(d, "pacsaxis:GetCredentialInfo", { Token: ["credential-0001"] })).CredentialInfo as Record<string, unknown>[])[0]!["Enabled"]).toBe(true);
  },
  "stats-wrong": async (d) => {
    expect(await ok(d, "pacsaxis:GetCredentialStatistics")).toEqual({ CredentialStatistics: { NumberOfCredentials: 4, NumberOfDisabledCredentials: 1 } });
  },
  "wrong-fault-subcode": async (d) => {
    const r = await json(d, "tac:GetAccessPointState", { Token: "ghost" });
    expect(jsonFaultCodes(r.body)).toEqual(["env:Sender", "ter:InvalidArgs"]);
    const s = await soap(d, `<t:EnableAccessPoint xmlns:t="${TAC}"><t:Token>ghost</t:Token></t:EnableAccessPoint>`);
    expect(soapFaultCodes(s.el)).toEqual(["env:Sender", "ter:InvalidArgs"]);
  },
  "schema-invalid-response": async (d) => {
    const infos = (await ok(d, "tac:GetAccessPointInfoList", {})).AccessPointInfo as Record<string, unknown>[];
    expect(infos.map((i) => i["token"])).toContain("ap-0001");
    expect(infos.every((i) => !("Name" in i))).toBe(true);
    const s = await soap(d, `<t:GetAccessPointInfo xmlns:t="${TAC}"><t:Token>ap-0001</t:Token></t:GetAccessPointInfo>`);
    const info = children(s.el, "AccessPointInfo")[0]!;
    expect(attr(info, "token")).toBe("ap-0001");
    expect(children(info, "Name")).toEqual([]);
    const cred = ((await ok(d, "pacsaxis:GetCredentialInfo", { Token: "credential-0001" })).CredentialInfo as Record<string, unknown>[])[0]!;
    expect("Enabled" in cred).toBe(false);
  },
  "json-diverges": async (d) => {
    expect(((await ok(d, "pacsaxis:GetArea", { Token: ["area-0001"] })).Area as Record<string, unknown>[])[0]!["Name"]).toBe("Area 1 (json)");
    const s = await soap(d, `<p:GetArea xmlns:p="${PACS}"><p:Token>area-0001</p:Token></p:GetArea>`);
    expect(children(children(s.el, "Area")[0]!, "Name")[0]!.text).toBe("Area 1");
  },
  "wsse-nonce-replay-accepted": async (d) => {
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    const digest = createHash("sha1").update(Buffer.concat([nonce, Buffer.from(created), Buffer.from("pass")])).digest("base64");
    const oasis = "http://docs.oasis-open.org/wss/2004/01/oasis-200401";
    const header = `<wsse:Security xmlns:wsse="${oasis}-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="${oasis}-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken><wsse:Username>root</wsse:Username><wsse:Password Type="${oasis}-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password><wsse:Nonce>${nonce.toString("base64")}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`;
    const request = `<env:Envelope xmlns:env="${SOAP_ENV}"><env:Header>${header}</env:Header><env:Body><p:GetAreaList xmlns:p="${PACS}"/></env:Body></env:Envelope>`;
    // The same token twice, with no HTTP authentication: both accepted.
    for (let i = 0; i < 2; i++) expect((await post(d, "/vapix/services", request, { "content-type": "application/soap+xml" })).status).toBe(200);
  },
  "wsa-response-action-missing": async (d) => {
    const request = `<env:Envelope xmlns:env="${SOAP_ENV}"><env:Header><wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">${PACS}/GetAreaList</wsa:Action></env:Header><env:Body><p:GetAreaList xmlns:p="${PACS}"/></env:Body></env:Envelope>`;
    const r = await post(d, "/vapix/services", request, { authorization: BASIC, "content-type": "application/soap+xml" });
    expect(r.status).toBe(200);
    expect(parseXml(r.text).children.map((c) => c.local)).toEqual(["Body"]);
  },
  "malformed-input-accepted": async (d) => {
    const before = d.snapshot();
    const r = await post(d, "/vapix/pacs", "{broken");
    expect([r.status, r.text]).toEqual([200, "{}"]);
    const s = await post(d, "/vapix/services", "<env:Envelope");
    expect(s.status).toBe(200);
    expect(s.text).not.toContain("Fault");
    expect(d.snapshot()).toEqual(before);
  },
  "not-found-succeeds": async (d) => {
    for (const [op, input] of [
      ["tac:GetAccessPointState", { Token: "ghost" }],
      ["tac:EnableAccessPoint", { Token: "ghost" }],
      ["pacsaxis:DisableCredential", { Token: "ghost" }],
      ["pacsaxis:RemoveArea", { Token: ["ghost"] }],
    ] as const) {
      expect([op, (await json(d, op, input)).status]).toEqual([op, 200]);
    }
  },
};

describe("quirks", () => {
  it("has one focused test here for every generic and AccessControl store quirk", () => {
    const here = [...GENERIC_QUIRKS, ...ACCESS_CONTROL_QUIRKS].map((q) => q.name).filter((n) => !n.startsWith("decision-"));
    expect(Object.keys(CASES).sort()).toEqual(here.sort());
    expect(listQuirks().every((q) => q.rule.length > 10)).toBe(true);
  });

  it("names every listed quirk in some device test (the other services test theirs in their own files)", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const sources = readdirSync(dir).filter((f) => f.endsWith(".test.ts")).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    const untested = listQuirks().map((q) => q.name).filter((n) => !sources.includes(`"${n}"`));
    expect(untested).toEqual([]);
  });

  it("refuses an unknown quirk, naming the valid ones", async () => {
    await expect(startDevice({ quirks: ["no-such-quirk"] })).rejects.toMatchObject({ code: "UNKNOWN_QUIRK", message: expect.stringContaining("ignore-limit") });
  });

  it.each(Object.keys(CASES))("%s", async (name) => {
    await withDevice({ quirks: [name], maxLimit: 5, populate: POP }, async (d) => {
      expect(d.quirks).toEqual([name]);
      await CASES[name]!(d);
    });
  });
});
