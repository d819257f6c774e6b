/**
 * What every request goes through before an operation runs: SOAP header blocks and their
 * mustUnderstand flag, the paths that reach the SOAP dispatcher, and JSON operation names sent
 * without their prefix (as event-logger integrations do).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, SOAP_ENV, jsonFaultCodes, post, soapFaultCodes } from "./helpers.js";

const SCHEDULE = "http://www.axis.com/vapix/ws/schedule";
const WSA = "http://www.w3.org/2005/08/addressing";

function withHeader(headerXml: string, bodyXml = `<s:GetScheduleList xmlns:s="${SCHEDULE}"/>`): string {
  return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP_ENV}" xmlns:wsa="${WSA}"><env:Header>${headerXml}</env:Header><env:Body>${bodyXml}</env:Body></env:Envelope>`;
}

const SOAP_HEADERS = { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" };

async function soapAt(device: RunningDevice, path: string, text: string): Promise<{ status: number; body: ReturnType<typeof parseXml> }> {
  const r = await post(device, path, text, SOAP_HEADERS);
  const env = parseXml(r.text);
  return { status: r.status, body: env.children.find((c) => c.local === "Body")!.children[0]! };
}

describe("request handling before any operation", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice();
  });
  afterAll(() => device.close());

  it("understands WS-Addressing headers marked mustUnderstand, on the fast path and the tree path", async () => {
    const header = `<wsa:Action env:mustUnderstand="1">${SCHEDULE}/GetScheduleList</wsa:Action><wsa:To env:mustUnderstand="true">http://127.0.0.1/vapix/services</wsa:To><wsa:MessageID>urn:uuid:1</wsa:MessageID>`;
    const fast = await soapAt(device, "/vapix/services", withHeader(header));
    expect([fast.status, fast.body.local]).toEqual([200, "GetScheduleListResponse"]);
    // Unqualified children in the body send the request down the tree path.
    const tree = await soapAt(device, "/vapix/services", withHeader(header, `<s:GetScheduleList xmlns:s="${SCHEDULE}"><Limit>1</Limit></s:GetScheduleList>`));
    expect([tree.status, tree.body.local]).toEqual([200, "GetScheduleListResponse"]);
  });

  it("faults env:MustUnderstand (HTTP 500) for a mustUnderstand block it does not process, and ignores it without the flag", async () => {
    const unknown = `<x:Trace xmlns:x="urn:example:trace" env:mustUnderstand="1">abc</x:Trace>`;
    const r = await soapAt(device, "/vapix/services", withHeader(unknown));
    expect(r.status).toBe(500);
    expect(soapFaultCodes(r.body)).toEqual(["env:MustUnderstand"]);
    const optional = await soapAt(device, "/vapix/services", withHeader(`<x:Trace xmlns:x="urn:example:trace">abc</x:Trace>`));
    expect(optional.status).toBe(200);
  });

  it("rejects WS-Addressing mustUnderstand blocks under the event-mustunderstand-rejected quirk", async () => {
    const quirky = await startDevice({ quirks: ["event-mustunderstand-rejected"] });
    try {
      const r = await soapAt(quirky, "/vapix/services", withHeader(`<wsa:Action env:mustUnderstand="1">${SCHEDULE}/GetScheduleList</wsa:Action>`));
      expect(soapFaultCodes(r.body)).toEqual(["env:MustUnderstand"]);
    } finally {
      await quirky.close();
    }
  });

  it("answers a WS-Addressing request with wsa:Action (response or fault action) and wsa:RelatesTo; a plain request without a header", async () => {
    const header = `<wsa:Action>${SCHEDULE}/GetScheduleList</wsa:Action><wsa:MessageID>urn:uuid:42</wsa:MessageID>`;
    const headerOf = async (text: string): Promise<Record<string, string>> => {
      const r = await post(device, "/vapix/services", text, SOAP_HEADERS);
      const h = parseXml(r.text).children.find((c) => c.local === "Header");
      return Object.fromEntries((h?.children ?? []).filter((c) => c.ns === WSA).map((c) => [c.local, c.text]));
    };
    expect(await headerOf(withHeader(header))).toEqual({ Action: `${SCHEDULE}/GetScheduleListResponse`, RelatesTo: "urn:uuid:42" });
    // A fault to a WS-Addressing request: the SOAP fault action.
    const bad = withHeader(header, `<s:RemoveSchedule xmlns:s="${SCHEDULE}"><s:Token>no-such-schedule</s:Token></s:RemoveSchedule>`);
    expect(await headerOf(bad)).toEqual({ Action: "http://www.w3.org/2005/08/addressing/soap/fault", RelatesTo: "urn:uuid:42" });
    expect(await headerOf(withHeader(""))).toEqual({});
  });

  it("answers SOAP below /vapix/services (subscription addresses), and 404 elsewhere", async () => {
    const r = await soapAt(device, "/vapix/services/anything/1", withHeader(""));
    expect([r.status, r.body.local]).toEqual([200, "GetScheduleListResponse"]);
    expect((await post(device, "/vapix/servicesX", withHeader(""), SOAP_HEADERS)).status).toBe(404);
  });

  it("reads JSON members written with their namespace prefix, as the guides' examples write them", async () => {
    const r = await post(device, "/vapix/schedule", JSON.stringify({ "axsch:GetScheduleInfo": { "axsch:Token": ["standard_always"] } }));
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as { ScheduleInfo: { token: string }[] }).ScheduleInfo.map((i) => i.token)).toEqual(["standard_always"]);
  });

  it("accepts a JSON operation name without its prefix where the path serves one operation of that name", async () => {
    const bare = await post(device, "/vapix/schedule", JSON.stringify({ GetScheduleList: {} }));
    expect(bare.status).toBe(200);
    expect(Object.keys(JSON.parse(bare.text) as object)).toContain("Schedule");
    // /vapix/pacs serves GetServiceCapabilities of tac, pacsaxis and axudb: the bare name is ambiguous there.
    const ambiguous = await post(device, "/vapix/pacs", JSON.stringify({ GetServiceCapabilities: {} }));
    expect(ambiguous.status).toBe(400);
    expect(jsonFaultCodes(JSON.parse(ambiguous.text) as Record<string, unknown>)).toContain("ter:UnknownAction");
  });
});
