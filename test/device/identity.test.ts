/**
 * Identity and discovery: the ONVIF device service subset (SOAP at /vapix/services and
 * /onvif/device_service) and the VAPIX CGIs param.cgi, basicdeviceinfo.cgi and apidiscovery.cgi,
 * requests written by hand and answers read raw; then every identity quirk.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { posixTimeZone } from "../../src/device/identity/date-time.js";
import { NAMESPACES } from "../../src/device/operation.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, SOAP_ENV, attr, children, envelope, post, soapFaultCodes, withDevice } from "./helpers.js";

const TDS = NAMESPACES.tds;
const T0 = "2026-01-05T08:00:00Z";

/** POST a tds body to `path`; returns status and the Body's child. */
async function tds(d: RunningDevice, body: string, path = "/vapix/services"): Promise<{ status: number; el: XmlElement }> {
  const r = await post(d, path, envelope(body, ` xmlns:tds="${TDS}" xmlns:tt="http://www.onvif.org/ver10/schema"`), { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" });
  const root = parseXml(r.text);
  return { status: r.status, el: root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!.children[0]! };
}

const text = (el: XmlElement, ...path: string[]): string => path.reduce<XmlElement | undefined>((e, p) => (e === undefined ? undefined : children(e, p)[0]), el)?.text ?? "";

async function cgi(d: RunningDevice, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${d.url}${path}`, { method: init.method ?? "GET", headers: { authorization: BASIC, ...init.headers }, ...(init.body === undefined ? {} : { body: init.body }) });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

async function jsonCgi(d: RunningDevice, path: string, request: unknown): Promise<Record<string, any>> {
  const r = await cgi(d, path, { method: "POST", body: typeof request === "string" ? request : JSON.stringify(request), headers: { "content-type": "application/json" } });
  expect(r.status).toBe(200);
  expect(r.type).toMatch(/^application\/json/);
  return JSON.parse(r.text) as Record<string, any>;
}

function paramLines(body: string): Record<string, string> {
  return Object.fromEntries(body.split("\n").filter((l) => l.startsWith("root.")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

const user = (name: string, level: string, password?: string): string =>
  `<tds:User><tt:Username>${name}</tt:Username>${password === undefined ? "" : `<tt:Password>${password}</tt:Password>`}<tt:UserLevel>${level}</tt:UserLevel></tds:User>`;

async function users(d: RunningDevice): Promise<{ name: string; level: string; password: string | undefined }[]> {
  const r = await tds(d, "<tds:GetUsers/>");
  expect(r.status).toBe(200);
  return children(r.el, "User").map((u) => ({ name: text(u, "Username"), level: text(u, "UserLevel"), password: children(u, "Password")[0]?.text }));
}

describe("the ONVIF device service (tds)", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ clock: `virtual=${T0}`, backdoor: true });
  });
  afterAll(() => d.close());

  it.each(["/vapix/services", "/onvif/device_service"])("answers GetDeviceInformation at %s with the product and the MAC as serial number", async (path) => {
    const r = await tds(d, "<tds:GetDeviceInformation/>", path);
    expect(r.status).toBe(200);
    expect(r.el.local).toBe("GetDeviceInformationResponse");
    expect(r.el.children.map((c) => [c.local, c.text])).toEqual([
      ["Manufacturer", "AXIS"],
      ["Model", "A1601"],
      ["FirmwareVersion", "1.65.2"],
      ["SerialNumber", "00408C184BDB"],
      ["HardwareId", "7A6"],
    ]);
  });

  it("is SOAP only: VAPIX JSON names where it is served", async () => {
    const r = await post(d, "/vapix/pacs", JSON.stringify({ "tds:GetDeviceInformation": {} }));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/SOAP only/);
  });

  it("GetServices lists every served namespace once, the device service first at /onvif/device_service, the others at /vapix/services", async () => {
    const r = await tds(d, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
    expect(r.status).toBe(200);
    const services = children(r.el, "Service");
    const namespaces = services.map((s) => text(s, "Namespace"));
    expect(namespaces[0]).toBe(TDS);
    expect([...namespaces].sort()).toEqual(Object.values(NAMESPACES).sort());
    const host = new URL(d.url).host;
    for (const s of services) {
      expect(children(s, "Capabilities")).toEqual([]);
      expect(text(s, "XAddr")).toBe(`http://${host}${text(s, "Namespace") === TDS ? "/onvif/device_service" : "/vapix/services"}`);
      expect(text(s, "Version", "Major")).toMatch(/^\d+$/);
    }
    const tac = services.find((s) => text(s, "Namespace") === NAMESPACES.tac)!;
    expect([text(tac, "Version", "Major"), text(tac, "Version", "Minor")]).toEqual(["21", "6"]);
  });

  it("GetServices builds XAddr on the Host header as sent", async () => {
    // fetch will not send another Host, so node:http does.
    const body = envelope(`<tds:GetServices xmlns:tds="${TDS}"><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>`);
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(`${d.url}/onvif/device_service`, { method: "POST", headers: { authorization: BASIC, "content-type": "application/soap+xml", host: "door.example:8080" } }, (res) => {
        let out = "";
        res.setEncoding("utf8").on("data", (c: string) => (out += c)).on("end", () => resolve(out));
      });
      req.on("error", reject).end(body);
    });
    expect(answer).toContain("<tds:XAddr>http://door.example:8080/onvif/device_service</tds:XAddr>");
    expect(answer).toContain("<tds:XAddr>http://door.example:8080/vapix/services</tds:XAddr>");
  });

  it("GetServices with IncludeCapability carries each service's own capabilities element, where the service has one", async () => {
    const r = await tds(d, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>");
    const byNs = new Map(children(r.el, "Service").map((s) => [text(s, "Namespace"), s]));
    const capsOf = (ns: string): XmlElement | undefined => children(byNs.get(ns)!, "Capabilities")[0]?.children[0];
    const device = capsOf(TDS)!;
    expect([device.ns, device.local]).toEqual([TDS, "Capabilities"]);
    expect(attr(children(device, "Security")[0]!, "HttpDigest")).toBe("true");
    const tac = capsOf(NAMESPACES.tac)!;
    expect([tac.ns, tac.local, attr(tac, "MaxLimit")]).toEqual([NAMESPACES.tac, "Capabilities", "100"]);
    expect(attr(capsOf(NAMESPACES.tev)!, "WSPullPointSupport")).toBe("true");
    // pacsaxis has no GetServiceCapabilities, so nothing to carry.
    expect(capsOf(NAMESPACES.pacsaxis)).toBeUndefined();
  });

  it("GetServiceCapabilities states what the device does: Digest and UsernameToken, no TLS, no discovery, user configuration", async () => {
    const r = await tds(d, "<tds:GetServiceCapabilities/>");
    const caps = children(r.el, "Capabilities")[0]!;
    const security = children(caps, "Security")[0]!;
    const system = children(caps, "System")[0]!;
    expect([attr(security, "HttpDigest"), attr(security, "TLS1.2"), attr(security, "UsernameToken"), attr(security, "MaxUsers")]).toEqual(["true", "false", "true", "100"]);
    expect([attr(system, "DiscoveryNotSupported"), attr(system, "UserConfigNotSupported"), attr(system, "HardwareType")]).toEqual(["true", "false", "AccessControl"]);
    expect(children(caps, "Network")).toHaveLength(1);
  });

  it("GetSystemDateAndTime reports the device clock in UTC, Manual for a virtual clock, and the device time zone as POSIX TZ", async () => {
    const before = await tds(d, "<tds:GetSystemDateAndTime/>");
    const sdt = children(before.el, "SystemDateAndTime")[0]!;
    expect([text(sdt, "DateTimeType"), text(sdt, "DaylightSavings"), text(sdt, "TimeZone", "TZ")]).toEqual(["Manual", "false", "UTC0"]);
    expect(["Year", "Month", "Day"].map((f) => text(sdt, "UTCDateTime", "Date", f))).toEqual(["2026", "1", "5"]);
    expect(["Hour", "Minute", "Second"].map((f) => text(sdt, "UTCDateTime", "Time", f))).toEqual(["8", "0", "0"]);
    d.advanceClock(90_000);
    d.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" });
    try {
      const after = children((await tds(d, "<tds:GetSystemDateAndTime/>")).el, "SystemDateAndTime")[0]!;
      expect([text(after, "DaylightSavings"), text(after, "TimeZone", "TZ")]).toEqual(["true", "<+01>-1<+02>-2,M3.5.0/2,M10.5.0/3"]);
      expect(["Hour", "Minute", "Second"].map((f) => text(after, "UTCDateTime", "Time", f))).toEqual(["8", "1", "30"]);
      expect(["Hour", "Minute"].map((f) => text(after, "LocalDateTime", "Time", f))).toEqual(["9", "1"]);
    } finally {
      d.stimulate({ Stimulus: "SetTimeZone", TimeZone: "UTC" });
    }
  });

  it("GetCapabilities answers the Device and Events categories on the Host as sent, and faults for one the device lacks", async () => {
    const host = new URL(d.url).host;
    const all = children((await tds(d, "<tds:GetCapabilities/>")).el, "Capabilities")[0]!;
    expect(all.children.map((c) => c.local)).toEqual(["Device", "Events"]);
    expect(text(all, "Device", "XAddr")).toBe(`http://${host}/onvif/device_service`);
    expect(text(all, "Events", "XAddr")).toBe(`http://${host}/vapix/services`);
    expect(text(all, "Device", "System", "SupportedVersions", "Major")).toBe("26");
    const events = children((await tds(d, "<tds:GetCapabilities><tds:Category>Events</tds:Category></tds:GetCapabilities>")).el, "Capabilities")[0]!;
    expect(events.children.map((c) => c.local)).toEqual(["Events"]);
    const ptz = await tds(d, "<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>");
    expect(ptz.status).toBe(500);
    expect(soapFaultCodes(ptz.el)).toEqual(["env:Receiver", "ter:ActionNotSupported", "ter:NoSuchService"]);
  });

  it("GetScopes lists fixed type, profile, hardware, name and location scopes", async () => {
    const scopes = children((await tds(d, "<tds:GetScopes/>")).el, "Scopes").map((s) => [text(s, "ScopeDef"), text(s, "ScopeItem")]);
    expect(scopes.every(([def]) => def === "Fixed")).toBe(true);
    expect(scopes.map(([, item]) => item)).toEqual([
      "onvif://www.onvif.org/type/AccessControl",
      "onvif://www.onvif.org/Profile/C",
      "onvif://www.onvif.org/hardware/A1601",
      "onvif://www.onvif.org/name/AXIS%20A1601",
      "onvif://www.onvif.org/location/unknown",
    ]);
  });
});

describe("POSIX TZ strings of the device zone", () => {
  const JULY = Date.parse("2026-07-01T00:00:00Z");
  it.each([
    ["UTC", "UTC0", false],
    ["America/New_York", "<-05>5<-04>4,M3.2.0/2,M11.1.0/2", true],
    ["Australia/Sydney", "<+10>-10<+11>-11,M10.1.0/2,M4.1.0/3", true],
    ["Asia/Kolkata", "<+0530>-5:30", false],
    ["America/St_Johns", "<-0330>3:30<-0230>2:30,M3.2.0/2,M11.1.0/2", true],
  ])("%s → %s", (zone, tz, dst) => {
    expect(posixTimeZone(zone, JULY)).toEqual({ tz, daylightSavings: dst });
  });
});

describe("device users (GetUsers, CreateUsers, SetUser, DeleteUsers)", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({});
  });
  afterAll(() => d.close());

  const fault = async (body: string): Promise<string[]> => {
    const r = await tds(d, body);
    expect(r.el.local).toBe("Fault");
    return soapFaultCodes(r.el);
  };

  it("starts with the administrator, and never returns a password", async () => {
    expect(await users(d)).toEqual([{ name: "root", level: "Administrator", password: undefined }]);
    expect((await tds(d, `<tds:CreateUsers>${user("operator1", "Operator", "Secret-123")}${user("viewer1", "User", "Secret-456")}</tds:CreateUsers>`)).status).toBe(200);
    expect(await users(d)).toEqual([
      { name: "root", level: "Administrator", password: undefined },
      { name: "operator1", level: "Operator", password: undefined },
      { name: "viewer1", level: "User", password: undefined },
    ]);
    expect((await tds(d, `<tds:SetUser>${user("viewer1", "Operator", "Other-789")}</tds:SetUser>`)).status).toBe(200);
    expect((await users(d)).find((u) => u.name === "viewer1")).toEqual({ name: "viewer1", level: "Operator", password: undefined });
    expect((await tds(d, "<tds:DeleteUsers><tds:Username>operator1</tds:Username><tds:Username>viewer1</tds:Username></tds:DeleteUsers>")).status).toBe(200);
    expect((await users(d)).map((u) => u.name)).toEqual(["root"]);
    expect(d.snapshot().runtime["Device"]).toEqual({ users: [{ UserLevel: "Administrator", Username: "root" }] });
  });

  it("CreateUsers refuses with the ONVIF Core faults and creates none of the users", async () => {
    const long = "x".repeat(33);
    const cases: [string, string[]][] = [
      [user("root", "User", "Secret-1"), ["env:Sender", "ter:OperationProhibited", "ter:UsernameClash"]],
      [`${user("twin", "User", "Secret-1")}${user("twin", "User", "Secret-2")}`, ["env:Sender", "ter:OperationProhibited", "ter:UsernameClash"]],
      [user(long, "User", "Secret-1"), ["env:Sender", "ter:OperationProhibited", "ter:UsernameTooLong"]],
      [user("", "User", "Secret-1"), ["env:Sender", "ter:OperationProhibited", "ter:UsernameTooShort"]],
      [user("nopass", "User"), ["env:Sender", "ter:OperationProhibited", "ter:Password"]],
      [user("longpass", "User", "p".repeat(65)), ["env:Sender", "ter:OperationProhibited", "ter:PasswordTooLong"]],
      [user("anon", "Anonymous", "Secret-1"), ["env:Sender", "ter:OperationProhibited", "ter:AnonymousNotAllowed"]],
    ];
    for (const [body, codes] of cases) {
      expect([body, await fault(`<tds:CreateUsers>${user("first-ok", "User", "Secret-0")}${body}</tds:CreateUsers>`)]).toEqual([body, codes]);
    }
    expect((await users(d)).map((u) => u.name)).toEqual(["root"]);
  });

  it("CreateUsers stops at MaxUsers with env:Receiver/ter:Action/ter:TooManyUsers", async () => {
    const many = Array.from({ length: 100 }, (_, i) => user(`u${i}`, "User", "Secret-1")).join("");
    expect(await fault(`<tds:CreateUsers>${many}</tds:CreateUsers>`)).toEqual(["env:Receiver", "ter:Action", "ter:TooManyUsers"]);
    expect(await users(d)).toHaveLength(1);
  });

  it("SetUser and DeleteUsers refuse unknown names and the fixed administrator, all or nothing", async () => {
    expect((await tds(d, `<tds:CreateUsers>${user("keeper", "User", "Secret-1")}</tds:CreateUsers>`)).status).toBe(200);
    expect(await fault(`<tds:SetUser>${user("ghost", "User", "Secret-1")}</tds:SetUser>`)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:UsernameMissing"]);
    expect(await fault(`<tds:SetUser>${user("root", "User", "Secret-1")}</tds:SetUser>`)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:FixedUser"]);
    expect(await fault(`<tds:SetUser>${user("keeper", "Operator")}</tds:SetUser>`)).toEqual(["env:Sender", "ter:OperationProhibited", "ter:PasswordTooWeak"]);
    expect(await fault(`<tds:SetUser>${user("keeper", "Anonymous", "Secret-2")}</tds:SetUser>`)).toEqual(["env:Sender", "ter:OperationProhibited", "ter:AnonymousNotAllowed"]);
    expect(await fault(`<tds:SetUser>${user("keeper", "User", "p".repeat(65))}</tds:SetUser>`)).toEqual(["env:Sender", "ter:OperationProhibited", "ter:PasswordTooLong"]);
    expect(await fault("<tds:DeleteUsers><tds:Username>keeper</tds:Username><tds:Username>ghost</tds:Username></tds:DeleteUsers>")).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:UsernameMissing"]);
    expect(await fault("<tds:DeleteUsers><tds:Username>keeper</tds:Username><tds:Username>root</tds:Username></tds:DeleteUsers>")).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:FixedUser"]);
    expect((await users(d)).map((u) => [u.name, u.level])).toEqual([
      ["root", "Administrator"],
      ["keeper", "User"],
    ]);
    expect((await tds(d, "<tds:DeleteUsers><tds:Username>keeper</tds:Username></tds:DeleteUsers>")).status).toBe(200);
  });

  it("are HTTP logins: a created Administrator authenticates at once, and no longer once deleted (accounts.test.ts has the rest)", async () => {
    expect((await tds(d, `<tds:CreateUsers>${user("newbie", "Administrator", "Secret-1")}</tds:CreateUsers>`)).status).toBe(200);
    const asNewbie = (): ReturnType<typeof post> =>
      post(d, "/vapix/services", envelope(`<tds:GetUsers xmlns:tds="${TDS}"/>`), { authorization: `Basic ${Buffer.from("newbie:Secret-1").toString("base64")}`, "content-type": "application/soap+xml" });
    expect((await asNewbie()).status).toBe(200);
    expect((await tds(d, "<tds:DeleteUsers><tds:Username>newbie</tds:Username></tds:DeleteUsers>")).status).toBe(200);
    expect((await asNewbie()).status).toBe(401);
  });
});

describe("the VAPIX identity CGIs", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ identity: { mac: "accc8e0c0ca1", uuid: "5581ad80-95b0-11e0-b883-accc8e0c0ca1" } });
  });
  afterAll(() => d.close());

  it("need authentication like every other path", async () => {
    const res = await fetch(`${d.url}/axis-cgi/param.cgi?action=list&group=Brand`);
    expect(res.status).toBe(401);
  });

  it("param.cgi lists the Brand group as root.Brand.<name>=<value> lines", async () => {
    const r = await cgi(d, "/axis-cgi/param.cgi?action=list&group=Brand");
    expect([r.status, r.type]).toEqual([200, "text/plain; charset=utf-8"]);
    expect(paramLines(r.text)).toEqual({
      "root.Brand.Brand": "AXIS",
      "root.Brand.ProdFullName": "AXIS A1601 Network Door Controller",
      "root.Brand.ProdNbr": "A1601",
      "root.Brand.ProdShortName": "AXIS A1601",
      "root.Brand.ProdType": "Network Door Controller",
      "root.Brand.ProdVariant": "",
      "root.Brand.WebURL": "http://www.axis.com",
    });
  });

  it("param.cgi takes root.-prefixed, nested and comma-separated groups, and single parameters", async () => {
    const r = await cgi(d, "/axis-cgi/param.cgi?action=list&group=root.Properties.System,Properties.Firmware.Version,brand.prodnbr");
    expect(r.text.split("\n")).toEqual([
      "root.Properties.System.Architecture=armv7hf",
      "root.Properties.System.HardwareID=7A6",
      "root.Properties.System.Language=English",
      "root.Properties.System.SerialNumber=ACCC8E0C0CA1",
      "root.Properties.System.Soc=Axis Artpec-5",
      "root.Properties.Firmware.Version=1.65.2",
      "root.Brand.ProdNbr=A1601",
      "",
    ]);
    const all = paramLines((await cgi(d, "/axis-cgi/param.cgi?action=list")).text);
    expect(Object.keys(all)).toHaveLength(15);
  });

  it("param.cgi answers an unknown group with VAPIX's error line, status 200, the known groups still listed", async () => {
    const r = await cgi(d, "/axis-cgi/param.cgi?action=list&group=Network,Brand.ProdType");
    expect(r.status).toBe(200);
    expect(r.text).toBe("# Error: Error -1 getting param in group 'Network'\nroot.Brand.ProdType=Network Door Controller\n");
  });

  it("param.cgi refuses another action or none with 400 and says what it answers", async () => {
    for (const q of ["action=update&Brand.Brand=ACME", "group=Brand", "action=remove&group=Brand"]) {
      const r = await cgi(d, `/axis-cgi/param.cgi?${q}`);
      expect([q, r.status]).toEqual([q, 400]);
      expect(r.text).toMatch(/action=list/);
    }
  });

  it("param.cgi takes a form-encoded POST as well; other methods get 405", async () => {
    const r = await cgi(d, "/axis-cgi/param.cgi", { method: "POST", body: "action=list&group=Properties.System.SerialNumber", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.text).toBe("root.Properties.System.SerialNumber=ACCC8E0C0CA1\n");
    expect((await cgi(d, "/axis-cgi/basicdeviceinfo.cgi")).status).toBe(405);
  });

  it("basicdeviceinfo.cgi getAllProperties, getProperties and getSupportedVersions", async () => {
    const all = await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", context: "c1", method: "getAllProperties" });
    expect(all).toMatchObject({ apiVersion: "1.0", context: "c1", method: "getAllProperties" });
    expect(all["data"].propertyList).toMatchObject({ Brand: "AXIS", ProdNbr: "A1601", ProdType: "Network Door Controller", SerialNumber: "ACCC8E0C0CA1", Version: "1.65.2", Architecture: "armv7hf", Soc: "Axis Artpec-5", HardwareID: "7A6" });
    const some = await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", method: "getProperties", params: { propertyList: ["SerialNumber", "ProdNbr"] } });
    expect(some["data"]).toEqual({ propertyList: { SerialNumber: "ACCC8E0C0CA1", ProdNbr: "A1601" } });
    const unrestricted = await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", method: "getAllUnrestrictedProperties" });
    expect(unrestricted["data"].propertyList).not.toHaveProperty("Soc");
    expect((await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { method: "getSupportedVersions" }))["data"]).toEqual({ apiVersions: ["1.0"] });
  });

  it("basicdeviceinfo.cgi answers errors in VAPIX's JSON error form", async () => {
    const cases: [unknown, number][] = [
      ["{not json", 2101],
      [{ apiVersion: "1.0", method: "reboot" }, 2102],
      [{ method: "getAllProperties" }, 2103],
      [{ apiVersion: "2.0", method: "getAllProperties" }, 2100],
      [{ apiVersion: "1.0", method: "getProperties", params: { propertyList: ["Colour"] } }, 2104],
    ];
    for (const [request, code] of cases) {
      const r = await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", request);
      expect([request, r["error"]?.code]).toEqual([request, code]);
      expect(typeof r["error"].message).toBe("string");
      expect(r).not.toHaveProperty("data");
    }
  });

  it("apidiscovery.cgi lists every API served, with id, version, name and docLink", async () => {
    const r = await jsonCgi(d, "/axis-cgi/apidiscovery.cgi", { apiVersion: "1.0", method: "getApiList" });
    const list = r["data"].apiList as Record<string, string>[];
    expect(list.map((a) => a["id"])).toEqual([
      "access-control",
      "door-control",
      "idpoint",
      "io-assignment",
      "schedule",
      "user",
      "event-logger",
      "keystore",
      "third-party-credential",
      "service-discovery",
      "remote-io",
      "basic-device-info",
      "param-cgi",
      "user-management",
      "api-discovery",
    ]);
    for (const a of list) expect(Object.keys(a)).toEqual(["id", "version", "name", "docLink"]);
    expect((await jsonCgi(d, "/axis-cgi/apidiscovery.cgi", { method: "getSupportedVersions" }))["data"]).toEqual({ apiVersions: ["1.0"] });
    expect((await jsonCgi(d, "/axis-cgi/apidiscovery.cgi", { apiVersion: "1.0", method: "getThings" }))["error"].code).toBe(2102);
  });

  it("serial number, model and firmware agree in param.cgi, basicdeviceinfo.cgi and GetDeviceInformation", async () => {
    const params = paramLines((await cgi(d, "/axis-cgi/param.cgi?action=list&group=Brand,Properties")).text);
    const props = (await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", method: "getAllProperties" }))["data"].propertyList as Record<string, string>;
    const info = (await tds(d, "<tds:GetDeviceInformation/>")).el;
    expect([params["root.Properties.System.SerialNumber"], props["SerialNumber"], text(info, "SerialNumber")]).toEqual(["ACCC8E0C0CA1", "ACCC8E0C0CA1", "ACCC8E0C0CA1"]);
    expect([params["root.Brand.ProdNbr"], props["ProdNbr"], text(info, "Model")]).toEqual(["A1601", "A1601", "A1601"]);
    expect([params["root.Properties.Firmware.Version"], props["Version"], text(info, "FirmwareVersion")]).toEqual(["1.65.2", "1.65.2", "1.65.2"]);
  });
});

describe("identity quirks", () => {
  it("identity-serial-mismatch: param.cgi reports the next MAC as serial number, the others the MAC", async () => {
    await withDevice({ quirks: ["identity-serial-mismatch"] }, async (d) => {
      expect((await cgi(d, "/axis-cgi/param.cgi?action=list&group=Properties.System.SerialNumber")).text).toBe("root.Properties.System.SerialNumber=00408C184BDC\n");
      expect((await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", method: "getAllProperties" }))["data"].propertyList.SerialNumber).toBe("00408C184BDB");
      expect(text((await tds(d, "<tds:GetDeviceInformation/>")).el, "SerialNumber")).toBe("00408C184BDB");
    });
  });

  it("identity-services-incomplete: GetServices leaves out tdc, which still answers", async () => {
    await withDevice({ quirks: ["identity-services-incomplete"] }, async (d) => {
      const namespaces = children((await tds(d, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>")).el, "Service").map((s) => text(s, "Namespace"));
      expect(namespaces).not.toContain(NAMESPACES.tdc);
      expect(namespaces).toContain(NAMESPACES.axtdc);
      const r = await tds(d, `<tdc:GetServiceCapabilities xmlns:tdc="${NAMESPACES.tdc}"/>`);
      expect(r.status).toBe(200);
    });
  });

  it("identity-apidiscovery-missing-api: getApiList leaves out basic-device-info, which still answers", async () => {
    await withDevice({ quirks: ["identity-apidiscovery-missing-api"] }, async (d) => {
      const ids = ((await jsonCgi(d, "/axis-cgi/apidiscovery.cgi", { apiVersion: "1.0", method: "getApiList" }))["data"].apiList as { id: string }[]).map((a) => a.id);
      expect(ids).not.toContain("basic-device-info");
      expect(ids).toContain("api-discovery");
      expect((await jsonCgi(d, "/axis-cgi/basicdeviceinfo.cgi", { apiVersion: "1.0", method: "getAllProperties" }))["data"]).toBeDefined();
    });
  });

  it("identity-users-password-returned: GetUsers returns the passwords it was given", async () => {
    await withDevice({ quirks: ["identity-users-password-returned"] }, async (d) => {
      expect((await tds(d, `<tds:CreateUsers>${user("leaky", "User", "Secret-1")}</tds:CreateUsers>`)).status).toBe(200);
      expect(await users(d)).toEqual([
        { name: "root", level: "Administrator", password: undefined },
        { name: "leaky", level: "User", password: "Secret-1" },
      ]);
    });
  });

  it("identity-utc-time-wrong: UTCDateTime runs an hour ahead of the device clock", async () => {
    await withDevice({ quirks: ["identity-utc-time-wrong"], clock: `virtual=${T0}` }, async (d) => {
      const sdt = children((await tds(d, "<tds:GetSystemDateAndTime/>")).el, "SystemDateAndTime")[0]!;
      expect(text(sdt, "UTCDateTime", "Time", "Hour")).toBe("9");
      expect(text(sdt, "LocalDateTime", "Time", "Hour")).toBe("8");
    });
  });
});
