/**
 * The device playing an older or smaller product (`services`, `capabilities`) and the quirks of
 * feature discovery: what GetServices, apidiscovery.cgi and GetServiceCapabilities say against
 * what the operations answer. Requests written by hand, answers read raw.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CAPABILITY_GATES } from "../../src/runtime/service-catalog.js";
import { NAMESPACES } from "../../src/device/operation.js";
import { startDevice, type DeviceOptions, type RunningDevice } from "../../src/device/server.js";
import { startSite } from "../../src/device/site.js";
import { allOperations } from "../../src/device/services.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, PACS, SOAP_ENV, TAC, attr, children, json, jsonFaultCodes, ok, post, soap, soapFaultCodes, withDevice } from "./helpers.js";

const TDS = NAMESPACES.tds;
const TEV = NAMESPACES.tev;
const AXSCH = NAMESPACES.axsch;
const AXTDC = NAMESPACES.axtdc;
const AXTPC = NAMESPACES.axtpc;

/** GetServices' services: namespace → its Capabilities element (undefined when it carries none). */
async function getServices(d: RunningDevice, includeCapability = false): Promise<Map<string, XmlElement | undefined>> {
  const r = await soap(d, `<tds:GetServices xmlns:tds="${TDS}"><tds:IncludeCapability>${includeCapability}</tds:IncludeCapability></tds:GetServices>`);
  expect(r.status).toBe(200);
  return new Map(
    children(r.el, "Service").map((s) => [children(s, "Namespace")[0]!.text.trim(), children(s, "Capabilities")[0]?.children[0]] as const),
  );
}

async function apiIds(d: RunningDevice): Promise<string[]> {
  const r = await post(d, "/axis-cgi/apidiscovery.cgi", JSON.stringify({ apiVersion: "1.0", method: "getApiList" }), { authorization: BASIC, "content-type": "application/json" });
  expect(r.status).toBe(200);
  return (JSON.parse(r.text) as { data: { apiList: { id: string }[] } }).data.apiList.map((a) => a.id);
}

/** The topic paths GetEventProperties advertises ("tns1:Door/State/DoorMode", "tns1:Device/tnsaxis:IO/Port"). */
async function advertisedTopics(d: RunningDevice): Promise<string[]> {
  const r = await soap(d, `<tev:GetEventProperties xmlns:tev="${TEV}"/>`);
  expect(r.status).toBe(200);
  const out: string[] = [];
  const walk = (el: XmlElement, path: string): void => {
    if (el.local === "MessageDescription") return;
    const segment = `${el.prefix === "" ? "" : `${el.prefix}:`}${el.local}`;
    const here = path === "" ? segment : `${path}/${segment}`;
    if (attr(el, "topic") === "true") out.push(here);
    for (const c of el.children) walk(c, here);
  };
  for (const root of children(r.el, "TopicSet")[0]!.children) walk(root, "");
  return out;
}

async function rejection(options: DeviceOptions): Promise<{ code: unknown; message: string }> {
  try {
    const d = await startDevice(options);
    await d.close();
  } catch (err) {
    return { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
  throw new Error(`startDevice(${JSON.stringify(options)}) started`);
}

describe("services: a device serving AccessControl, the ONVIF door control service (tdc) and events", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ services: ["AccessControl", "tdc", "Events"] });
  });
  afterAll(() => d.close());

  it("answers a left-out operation over SOAP exactly as an unknown one: HTTP 400 env:Sender/ter:UnknownAction", async () => {
    const unknown = await soap(d, `<p:GetFrobnicatorList xmlns:p="${PACS}"/>`);
    for (const body of [`<s:GetScheduleList xmlns:s="${AXSCH}"/>`, `<a:GetDoorList xmlns:a="${AXTDC}"/>`, `<a:SetDoor xmlns:a="${AXTDC}"/>`]) {
      const r = await soap(d, body);
      expect([r.status, r.el.local, soapFaultCodes(r.el)]).toEqual([unknown.status, "Fault", ["env:Sender", "ter:UnknownAction"]]);
    }
    expect(unknown.status).toBe(400);
  });

  it("answers a left-out operation over JSON as an unknown one, and a path whose every service is left out with 404", async () => {
    const left = await json(d, "axtdc:GetDoorList");
    expect([left.status, jsonFaultCodes(left.body)]).toEqual([400, ["env:Sender", "ter:UnknownAction"]]);
    // /vapix/pacs is served (AccessControl): the user service's operations there are unknown.
    const user = await json(d, "axudb:GetUserList");
    expect([user.status, jsonFaultCodes(user.body)]).toEqual([400, ["env:Sender", "ter:UnknownAction"]]);
    for (const path of ["/vapix/schedule", "/vapix/idpoint", "/vapix/axtpc", "/vapix/frobnicator"]) {
      const r = await post(d, path, JSON.stringify({ "axsch:GetScheduleList": {} }));
      expect([path, r.status]).toEqual([path, 404]);
    }
  });

  it("GetServices lists exactly the served namespaces, the device service first", async () => {
    const r = await soap(d, `<tds:GetServices xmlns:tds="${TDS}"><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>`);
    const namespaces = children(r.el, "Service").map((s) => children(s, "Namespace")[0]!.text);
    expect(namespaces).toEqual([TDS, NAMESPACES.tac, NAMESPACES.pacsaxis, NAMESPACES.tdc, TEV]);
  });

  it("apidiscovery.cgi lists the served APIs and the identity CGIs only", async () => {
    expect(await apiIds(d)).toEqual(["access-control", "door-control", "basic-device-info", "param-cgi", "user-management", "api-discovery"]);
  });

  it("the kept services answer, and their items still refer to the left-out services' (every service runs inside)", async () => {
    const aps = (await ok(d, "pacsaxis:GetAccessPointList")).AccessPoint as { Entity: string; EntityType: string }[];
    expect(aps.length).toBeGreaterThan(0);
    expect(aps[0]!.EntityType).toMatch(/Door$/);
    const doors = (await ok(d, "tdc:GetDoorInfoList")).DoorInfo as { token: string }[];
    expect(doors.map((x) => x.token)).toContain(aps[0]!.Entity);
    expect((await soap(d, `<t:GetServiceCapabilities xmlns:t="${TAC}"/>`)).status).toBe(200);
    expect((await soap(d, `<tds:GetDeviceInformation xmlns:tds="${TDS}"/>`)).status).toBe(200);
  });

  it("advertises the event topics of the served services only", async () => {
    const topics = await advertisedTopics(d);
    expect(topics).toContain("tns1:AccessControl/AccessGranted/Credential");
    // DoorControl is served in part (tdc): its topics stay; so do the device's own (System).
    expect(topics).toContain("tns1:Door/State/DoorMode");
    expect(topics).toContain("tns1:Device/tnsaxis:IO/Port");
    const leftOut = ["tns1:Schedule/Interval", "tns1:Configuration/Schedule/Changed", "tns1:IdPoint/Request/IdData", "tns1:Configuration/IdPoint/Changed", "tnsaxis:EventLogger/Alarm", "tns1:Device/PeerConnection"];
    expect(topics.filter((t) => leftOut.includes(t) || /ThirdPartyCredential/.test(t))).toEqual([]);
  });
});

describe("services: the device service and the identity CGIs are always served", () => {
  it("a device serving only Schedule still answers tds and the CGIs; naming Device changes nothing", async () => {
    const seen: string[][] = [];
    for (const services of [["Schedule"], ["schedule", "Device"], ["axsch", "tds"]]) {
      await withDevice({ services }, async (d) => {
        seen.push([...(await getServices(d)).keys()]);
        expect(await apiIds(d)).toEqual(["schedule", "basic-device-info", "param-cgi", "user-management", "api-discovery"]);
        expect((await post(d, "/axis-cgi/param.cgi?action=list&group=Brand", "")).status).toBe(200);
        expect((await ok(d, "axsch:GetScheduleInfoList")).ScheduleInfo).toBeDefined();
        // No event service: GetCapabilities has no Events category, GetEventProperties is unknown.
        const caps = await soap(d, `<tds:GetCapabilities xmlns:tds="${TDS}"/>`);
        expect(children(children(caps.el, "Capabilities")[0]!, "Events")).toEqual([]);
        const tev = await soap(d, `<tev:GetEventProperties xmlns:tev="${TEV}"/>`);
        expect(soapFaultCodes(tev.el)).toEqual(["env:Sender", "ter:UnknownAction"]);
      });
    }
    expect(seen).toEqual([
      [TDS, AXSCH],
      [TDS, AXSCH],
      [TDS, AXSCH],
    ]);
  });

  it("a device without DoorControl advertises no door topic and delivers no door Initialized message", async () => {
    await withDevice({ services: ["AccessControl", "Events"] }, async (d) => {
      const topics = await advertisedTopics(d);
      expect(topics.filter((t) => t.startsWith("tns1:Door/"))).toEqual([]);
      expect(topics).toContain("tns1:AccessPoint/State/Enabled");
      const created = await soap(d, `<tev:CreatePullPointSubscription xmlns:tev="${TEV}"/>`);
      const address = children(children(created.el, "SubscriptionReference")[0]!, "Address")[0]!.text;
      const pulled = await post(d, new URL(address).pathname, envelopeOf(`<tev:PullMessages xmlns:tev="${TEV}"><tev:Timeout>PT0S</tev:Timeout><tev:MessageLimit>1000</tev:MessageLimit></tev:PullMessages>`), {
        authorization: BASIC,
        "content-type": "application/soap+xml",
      });
      const sent = [...pulled.text.matchAll(/<wsnt:Topic[^>]*>([^<]+)</g)].map((m) => m[1]!);
      expect(sent).toContain("tns1:AccessPoint/State/Enabled");
      expect(sent.filter((t) => t.startsWith("tns1:Door/"))).toEqual([]);
    });
  });
});

function envelopeOf(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP_ENV}"><env:Body>${body}</env:Body></env:Envelope>`;
}

describe("capabilities: SetAccessPoint=false", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ capabilities: { SetAccessPoint: "FALSE", "tac:StandardAttributesSupported": false, EventSupport: "false" } });
  });
  afterAll(() => d.close());

  it("is reported false by tac:GetServiceCapabilities (SOAP and JSON) and by GetServices", async () => {
    const caps = children((await soap(d, `<t:GetServiceCapabilities xmlns:t="${TAC}"/>`)).el, "Capabilities")[0]!;
    expect([attr(caps, "SetAccessPoint"), attr(caps, "GetAccessPoint"), attr(caps, "StandardAttributesSupported")]).toEqual(["false", "true", "false"]);
    const j = (await ok(d, "tac:GetServiceCapabilities")).Capabilities as Record<string, unknown>;
    expect([j["SetAccessPoint"], j["SetArea"], j["StandardAttributesSupported"]]).toEqual([false, true, false]);
    const listed = await getServices(d, true);
    expect(attr(listed.get(NAMESPACES.tac)!, "SetAccessPoint")).toBe("false");
    // A flag that speaks for no operation is only reported.
    expect(attr(listed.get(AXSCH)!, "EventSupport")).toBe("false");
    expect((await ok(d, "axsch:GetServiceCapabilities")).Capabilities).toMatchObject({ EventSupport: false, SetSchedule: true });
  });

  it("pacsaxis:SetAccessPoint answers env:Receiver/ter:ActionNotSupported over SOAP and JSON, whatever the request, naming the capability", async () => {
    const s = await soap(d, `<p:SetAccessPoint xmlns:p="${PACS}"/>`);
    expect([s.status, soapFaultCodes(s.el)]).toEqual([500, ["env:Receiver", "ter:ActionNotSupported"]]);
    expect(s.text).toContain("SetAccessPoint is false in this device's capabilities");
    const j = await json(d, "pacsaxis:SetAccessPoint", { AccessPoint: [{ token: "ap-x", Name: "x" }] });
    expect([j.status, jsonFaultCodes(j.body)]).toEqual([500, ["env:Receiver", "ter:ActionNotSupported"]]);
    expect(String(j.body["FaultReason"])).toMatch(/SetAccessPoint is false/);
  });

  it("the other operations work, the access points included", async () => {
    expect(((await ok(d, "pacsaxis:GetAccessPointList")).AccessPoint as unknown[]).length).toBeGreaterThan(0);
    expect(await ok(d, "pacsaxis:SetArea", { Area: [{ token: "area-cap", Name: "Area", Description: "", Attribute: [] }] })).toEqual({ Token: ["area-cap"] });
  });

  it("the prefixed form says the same", async () => {
    await withDevice({ capabilities: { "tac:SetAccessPoint": false } }, async (p) => {
      expect(((await ok(p, "tac:GetServiceCapabilities")).Capabilities as Record<string, unknown>)["SetAccessPoint"]).toBe(false);
      expect(jsonFaultCodes((await json(p, "pacsaxis:SetAccessPoint", {})).body)).toEqual(["env:Receiver", "ter:ActionNotSupported"]);
    });
  });

  it("SetIdPoint=false: GetServices' IdPoint capabilities say so and axtid:SetIdPoint is refused", async () => {
    await withDevice({ capabilities: { SetIdPoint: false } }, async (p) => {
      expect(attr((await getServices(p, true)).get(NAMESPACES.axtid)!, "SetIdPoint")).toBe("false");
      expect(jsonFaultCodes((await json(p, "axtid:SetIdPoint", {})).body)).toEqual(["env:Receiver", "ter:ActionNotSupported"]);
      expect((await json(p, "axtid:GetIdPointList")).status).toBe(200);
    });
  });

  it("every gate names operations the device has", () => {
    const ops = new Set(allOperations().map((o) => `${o.prefix}:${o.name}`));
    expect(CAPABILITY_GATES.flatMap((g) => g.operations).filter((o) => !ops.has(o))).toEqual([]);
  });
});

describe("capabilities: MaxLimit=10", () => {
  it("every service reports MaxLimit 10 and pages with it", async () => {
    await withDevice({ capabilities: { MaxLimit: "10" }, populate: { accessPoints: 15 } }, async (d) => {
      for (const op of ["tac:GetServiceCapabilities", "tdc:GetServiceCapabilities", "axudb:GetServiceCapabilities", "axsch:GetServiceCapabilities"]) {
        expect([op, ((await ok(d, op)).Capabilities as Record<string, unknown>)["MaxLimit"]]).toEqual([op, 10]);
      }
      const page = await ok(d, "tac:GetAccessPointInfoList");
      expect([(page.AccessPointInfo as unknown[]).length, typeof page.NextStartReference]).toEqual([10, "string"]);
    });
  });
});

describe("bad services and capabilities are refused at start, naming the value and the valid ones", () => {
  it.each<[DeviceOptions, RegExp]>([
    [{ services: ["AccessControl", "Frobnicator"] }, /^services: unknown service "Frobnicator"; valid names: AccessControl \(tac, pacsaxis\), DoorControl/],
    [{ services: [] }, /^services: names no service/],
    [{ services: ["tac", " "] }, /^services: holds an empty name/],
    [{ capabilities: { Frobnicate: false } }, /^capabilities: no served service reports a capability "Frobnicate"; valid names: DisableCredential \(tac\).*SetIdPoint \(axtid\).*MaxLimit$/],
    [{ capabilities: { SetAccessPoint: "maybe" } }, /^capabilities: SetAccessPoint is an xs:boolean: give true or false, not "maybe"$/],
    [{ capabilities: { SetAccessPoint: 0 } }, /xs:boolean/],
    [{ capabilities: { MaxLimit: 0 } }, /^capabilities: MaxLimit must be a positive integer/],
    [{ capabilities: { MaxLimit: "ten" } }, /MaxLimit must be a positive integer/],
    [{ capabilities: { "tac:MaxLimit": 5 } }, /^capabilities: tac:MaxLimit: every service of this device pages with one MaxLimit/],
    [{ capabilities: { MaxPullPoints: "3" } }, /^capabilities: tev:MaxPullPoints is not a boolean flag/],
    [{ capabilities: { "tac:SetDoorSupported": false } }, /^capabilities: tac does not report a capability "SetDoorSupported"/],
    [{ capabilities: { "xyz:SetDoor": false } }, /unknown prefix "xyz"/],
    [{ services: ["AccessControl"], capabilities: { SetDoorSupported: false } }, /^capabilities: no served service reports a capability "SetDoorSupported"; valid names: DisableCredential \(tac\)/],
    [{ services: ["AccessControl"], capabilities: { "tdc:SetDoorSupported": false } }, /tdc is not served/],
    [{ maxLimit: 50, capabilities: { MaxLimit: 10 } }, /^maxLimit 50 and capabilities MaxLimit 10 disagree/],
  ])("%j", async (options, message) => {
    const r = await rejection(options);
    expect(r.code).toBe("DEVICE_CONFIG");
    expect(r.message).toMatch(message);
  });

  it("a joined site needs the connection service", async () => {
    await expect(startSite({ controllers: 2, services: ["AccessControl"] })).rejects.toThrow(/connection service \(aconn\).*--unjoined/);
  });
});

describe("discovery quirks", () => {
  it('"discovery-advertises-unserved-service": axtpc is listed but every operation answers env:Receiver/ter:ActionNotSupported', async () => {
    await withDevice({ quirks: ["discovery-advertises-unserved-service"] }, async (d) => {
      expect((await getServices(d)).has(AXTPC)).toBe(true);
      expect(await apiIds(d)).toContain("third-party-credential");
      const j = await json(d, "axtpc:GetProviders");
      expect([j.status, jsonFaultCodes(j.body)]).toEqual([500, ["env:Receiver", "ter:ActionNotSupported"]]);
      const s = await soap(d, `<x:GetThirdPartyCredentialList xmlns:x="${AXTPC}"/>`);
      expect([s.status, soapFaultCodes(s.el)]).toEqual([500, ["env:Receiver", "ter:ActionNotSupported"]]);
      expect((await json(d, "axkey:GetEncryptionKeyList")).status).toBe(200);
    });
  });

  it('"discovery-hides-served-service": GetServices and apidiscovery.cgi leave out the schedule service, which answers', async () => {
    await withDevice({ quirks: ["discovery-hides-served-service"] }, async (d) => {
      const listed = await getServices(d, true);
      expect(listed.has(AXSCH)).toBe(false);
      expect(listed.has(NAMESPACES.tac)).toBe(true);
      expect(await apiIds(d)).not.toContain("schedule");
      expect((await json(d, "axsch:GetScheduleInfoList")).status).toBe(200);
      expect((await soap(d, `<s:GetServiceCapabilities xmlns:s="${AXSCH}"/>`)).status).toBe(200);
    });
  });

  it('"discovery-capability-flag-lies": the IdPoint capabilities say SetIdPoint="false" while axtid:SetIdPoint works', async () => {
    await withDevice({}, async (d) => {
      expect(attr((await getServices(d, true)).get(NAMESPACES.axtid)!, "SetIdPoint")).toBe("true");
    });
    await withDevice({ quirks: ["discovery-capability-flag-lies"] }, async (d) => {
      expect(attr((await getServices(d, true)).get(NAMESPACES.axtid)!, "SetIdPoint")).toBe("false");
      const idPoint = ((await ok(d, "axtid:GetIdPointList")).IdPoint as Record<string, unknown>[])[0]!;
      expect(await ok(d, "axtid:SetIdPoint", { IdPoint: [{ ...idPoint, Name: "renamed" }] })).toEqual({ Token: [idPoint["token"]] });
    });
  });

  it('"discovery-apidiscovery-disagrees": getApiList leaves out door-control while GetServices lists tdc and axtdc, which answer', async () => {
    await withDevice({ quirks: ["discovery-apidiscovery-disagrees"] }, async (d) => {
      expect(await apiIds(d)).not.toContain("door-control");
      expect(await apiIds(d)).toContain("access-control");
      const listed = await getServices(d);
      expect([listed.has(NAMESPACES.tdc), listed.has(AXTDC)]).toEqual([true, true]);
      expect((await json(d, "tdc:GetDoorInfoList")).status).toBe(200);
      expect((await json(d, "axtdc:GetDoorList")).status).toBe(200);
    });
  });

  it('"discovery-capabilities-disagree": GetServices reports tac MaxLimit twice what tac:GetServiceCapabilities reports', async () => {
    const maxLimits = async (d: RunningDevice): Promise<[string | undefined, number]> => [
      attr((await getServices(d, true)).get(NAMESPACES.tac)!, "MaxLimit"),
      ((await ok(d, "tac:GetServiceCapabilities")).Capabilities as { MaxLimit: number }).MaxLimit,
    ];
    await withDevice({}, async (d) => {
      const [listed, own] = await maxLimits(d);
      expect(listed).toBe(String(own));
    });
    await withDevice({ quirks: ["discovery-capabilities-disagree"] }, async (d) => {
      const [listed, own] = await maxLimits(d);
      expect(listed).toBe(String(own * 2));
    });
  });

  it('"capabilities-invalid-boolean": DisableCredential goes out as the text "True" over SOAP, JSON and in GetServices', async () => {
    await withDevice({ quirks: ["capabilities-invalid-boolean"] }, async (d) => {
      const s = await post(d, "/vapix/services", envelopeOf(`<t:GetServiceCapabilities xmlns:t="${TAC}"/>`), { authorization: BASIC, "content-type": "application/soap+xml" });
      expect(s.status).toBe(200);
      expect(s.text).toContain('DisableCredential="True"');
      expect(s.text).toContain('SetAccessPoint="true"');
      const j = await post(d, "/vapix/pacs", JSON.stringify({ "tac:GetServiceCapabilities": {} }));
      expect(j.text).toContain('"DisableCredential":"True"');
      expect(j.text).toContain('"SetAccessPoint":true');
      const listed = await post(d, "/onvif/device_service", envelopeOf(`<tds:GetServices xmlns:tds="${TDS}"><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>`), {
        authorization: BASIC,
        "content-type": "application/soap+xml",
      });
      expect(listed.text).toMatch(/<tac:Capabilities [^>]*DisableCredential="True"/);
      // The flag still speaks for working operations.
      expect((await json(d, "pacsaxis:DisableCredential", { Token: "missing" })).status).not.toBe(500);
    });
  });

  it("a raw SOAP answer without the quirk is a valid xs:boolean", async () => {
    await withDevice({}, async (d) => {
      const s = await post(d, "/vapix/services", envelopeOf(`<t:GetServiceCapabilities xmlns:t="${TAC}"/>`), { authorization: BASIC, "content-type": "application/soap+xml" });
      expect(s.text).toContain('DisableCredential="true"');
      expect(parseXml(s.text).local).toBe("Envelope");
    });
  });
});
