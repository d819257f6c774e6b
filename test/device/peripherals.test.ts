/**
 * Peripherals over raw VAPIX JSON and SOAP: service discovery (axissd:GetServiceProviderList on
 * the simulated network, its Type/IO/Address filters and polled Timeout), remote I/O
 * (axrio:SetDevice: token allocation, validation, the limit of two, storage in the snapshot), the
 * RemoteDevice/Connection/Status events, the back door's stimuli and the service's quirks.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axissdSchemas } from "../../generated/axissd/schemas.js";
import { schemas as axrioSchemas } from "../../generated/axrio/schemas.js";
import { peripheralsOperations } from "../../src/device/peripherals/operations.js";
import { PERIPHERALS_QUIRKS } from "../../src/device/peripherals/quirks.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { attr, children, composedState, json, jsonFaultCodes, ok, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXISSD = "http://www.axis.com/vapix/ws/AxisServiceDiscovery";
const AXRIO = "http://www.axis.com/vapix/ws/axrio";
const STATUS = "tnsaxis:RemoteDevice/Connection/Status";
const VIRTUAL = "virtual=2026-01-05T08:00:00Z";
/** The factory network's two remote I/O modules. */
const MODULE_1 = { ip: "192.0.2.21", mac: "00:40:8c:a9:18:21" };
const MODULE_2 = { ip: "192.0.2.22", mac: "00:40:8c:a9:18:22" };
const INVALID_ARG_VAL = ["env:Sender", "ter:InvalidArgVal"];

type Body = Record<string, any>;

/** The guide's search for remote I/O modules on Eth0, with more attributes when given. */
function search(type = "RIO", more: { Name: string; Value: string }[] = [], timeout = 10): Body {
  return { Timeout: timeout, Type: type, Attributes: [{ Name: "IO", type: "string", Value: "Eth0" }, ...more.map((a) => ({ ...a, type: "string" }))] };
}

async function providers(d: RunningDevice, input: Body = search()): Promise<Body[]> {
  return (await ok(d, "axissd:GetServiceProviderList", input)).ServiceProviderList as Body[];
}

const ipOf = (p: Body): string | undefined => (p.Attributes as Body[]).find((a) => a.Name === "IP")?.Value;
const ips = (list: Body[]): (string | undefined)[] => list.map(ipOf);

/** A SetDevice Device as the guide sends it (no token unless given). */
function device(ip: string, extra: Body = {}): Body {
  return { Name: "Elevator I/O", Username: "user", Password: "pass", IPAddress: ip, ...extra };
}

async function setDevice(d: RunningDevice, ...devices: Body[]): Promise<string> {
  return (await ok(d, "axrio:SetDevice", { Device: devices })).Token as string;
}

async function fault(d: RunningDevice, op: string, input: unknown): Promise<[number, string[]]> {
  const r = await json(d, op, input);
  return [r.status, jsonFaultCodes(r.body)];
}

const statusEvents = (events: readonly DeviceEvent[], from = 0): [Readonly<Record<string, string>>, unknown][] =>
  events.slice(from).filter((e) => e.topic === STATUS).map((e) => [e.source, e.data["Status"]]);

describe("Service discovery over VAPIX JSON (/vapix/axissd)", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ clock: VIRTUAL, backdoor: true });
  });
  afterAll(() => d.close());

  it("finds the two remote I/O modules of the simulated network, not added: empty Id and NiceName, Status NotAdded, IP and MAC, no services", async () => {
    expect(await providers(d)).toEqual(
      [MODULE_1, MODULE_2].map((m) => ({
        Id: "",
        NiceName: "",
        Status: "NotAdded",
        Attributes: [
          { Name: "IP", Value: m.ip, type: "string" },
          { Name: "MAC", Value: m.mac, type: "string" },
        ],
        ServiceList: [],
      })),
    );
  });

  it("lists only providers of the requested Type", async () => {
    expect(await providers(d, search("NoSuchType"))).toEqual([]);
    d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.30", Type: "Intercom" });
    expect(ips(await providers(d, search("Intercom")))).toEqual(["192.0.2.30"]);
    expect(ips(await providers(d, search("RIO")))).toEqual([MODULE_1.ip, MODULE_2.ip]);
    // Types compare without case.
    expect(ips(await providers(d, search("rio")))).toEqual([MODULE_1.ip, MODULE_2.ip]);
    d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.30" });
  });

  it("searches the interface the IO attribute names (only Eth0 has providers) and narrows to an Address (IP or MAC)", async () => {
    expect(await providers(d, { Timeout: 10, Type: "RIO", Attributes: [{ Name: "IO", Value: "Eth1" }] })).toEqual([]);
    expect(ips(await providers(d, { Timeout: 10, Type: "RIO" }))).toEqual([MODULE_1.ip, MODULE_2.ip]);
    expect(ips(await providers(d, search("RIO", [{ Name: "Address", Value: MODULE_2.ip }])))).toEqual([MODULE_2.ip]);
    expect(ips(await providers(d, search("RIO", [{ Name: "Address", Value: MODULE_1.mac.toUpperCase().replace(/:/g, "-") }])))).toEqual([MODULE_1.ip]);
    expect(await providers(d, search("RIO", [{ Name: "Address", Value: "192.0.2.99" }]))).toEqual([]);
  });

  it("is polled: what a running discovery found stays listed until Timeout passes without a call", async () => {
    const input = search("RIO", [], 10);
    d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.40" });
    expect(ips(await providers(d, input))).toContain("192.0.2.40");
    d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.40" });
    d.advanceClock(9_000);
    expect(ips(await providers(d, input))).toContain("192.0.2.40");
    // Each call keeps the discovery running for Timeout more.
    d.advanceClock(9_000);
    expect(ips(await providers(d, input))).toContain("192.0.2.40");
    d.advanceClock(10_000);
    expect(ips(await providers(d, input))).toEqual([MODULE_1.ip, MODULE_2.ip]);
    // Timeout 0: every call is a discovery of its own.
    d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.41" });
    expect(ips(await providers(d, search("RIO", [], 0)))).toContain("192.0.2.41");
    d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.41" });
    expect(ips(await providers(d, search("RIO", [], 0)))).toEqual([MODULE_1.ip, MODULE_2.ip]);
  });

  it("refuses a negative Timeout and a request without Type (env:Sender/ter:InvalidArgs)", async () => {
    expect(await fault(d, "axissd:GetServiceProviderList", { Timeout: -1, Type: "RIO" })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
    expect(await fault(d, "axissd:GetServiceProviderList", { Timeout: 10 })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
  });

  it("serves axissd at /vapix/axissd only", async () => {
    const r = await json(d, "axissd:GetServiceProviderList", search());
    expect(r.status).toBe(200);
    const elsewhere = await fetch(`${d.url}/vapix/pacs`, { method: "POST", headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` }, body: JSON.stringify({ "axissd:GetServiceProviderList": search() }) });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("/vapix/axissd");
  });
});

describe("Remote I/O over VAPIX JSON (/vapix/axrio)", () => {
  let d: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    d = await startDevice({ clock: VIRTUAL, backdoor: true, onEvent: (e) => events.push(e) });
  });
  afterAll(() => d.close());

  it("adds a discovered module without a token: an Axis token is allocated, discovery then shows it added with its outputs, and the snapshot holds it", async () => {
    const n = events.length;
    const token = await setDevice(d, device(MODULE_1.ip, { Name: "AXIS A9188", MACAddress: MODULE_1.mac }));
    expect(token).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
    expect(statusEvents(events, n)).toEqual([[{ RemoteDeviceToken: token }, true]]);
    const [added, other] = await providers(d);
    expect(added).toMatchObject({ Id: token, NiceName: "AXIS A9188", Status: "OK" });
    expect(added!.Attributes).toEqual([
      { Name: "IP", Value: MODULE_1.ip, type: "string" },
      { Name: "MAC", Value: MODULE_1.mac, type: "string" },
    ]);
    expect(added!.ServiceList).toHaveLength(8);
    expect(added!.ServiceList[0]).toEqual({ Id: `remote/${token}/8`, NiceName: "Output 1", Attributes: [] });
    expect(added!.ServiceList[7]).toEqual({ Id: `remote/${token}/15`, NiceName: "Output 8", Attributes: [] });
    // The module is listed once, as added; the other stays NotAdded.
    expect(other).toMatchObject({ Id: "", Status: "NotAdded" });
    expect(ips(await providers(d, search("RIO", [{ Name: "Address", Value: token }])))).toEqual([MODULE_1.ip]);
    expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([{ token, Name: "AXIS A9188", Username: "user", Password: "pass", MACAddress: MODULE_1.mac, IPAddress: MODULE_1.ip }]);
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: token });
    expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([]);
    expect(ips(await providers(d))).toEqual([MODULE_1.ip, MODULE_2.ip]);
  });

  it("keeps a client's token, replaces the device on a second SetDevice with it, and connects (announces) again each time", async () => {
    const n = events.length;
    expect(await setDevice(d, device(MODULE_2.ip, { token: "rio-2" }))).toBe("rio-2");
    expect(await setDevice(d, device(MODULE_2.ip, { token: "rio-2", Name: "Floor 2" }))).toBe("rio-2");
    expect(statusEvents(events, n)).toEqual([
      [{ RemoteDeviceToken: "rio-2" }, true],
      [{ RemoteDeviceToken: "rio-2" }, true],
    ]);
    expect((await providers(d, search("RIO", [{ Name: "Address", Value: "rio-2" }])))[0]).toMatchObject({ Id: "rio-2", NiceName: "Floor 2" });
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: "rio-2" });
  });

  it("adds a device that is not on the network: Status NotConnected, no MAC learnt, no services; its connection follows the network", async () => {
    const n = events.length;
    const token = await setDevice(d, device("192.0.2.50", { token: "far" }));
    expect((await providers(d, search("RIO", [{ Name: "Address", Value: "far" }])))[0]).toEqual({ Id: "far", NiceName: "Elevator I/O", Status: "NotConnected", Attributes: [{ Name: "IP", Value: "192.0.2.50", type: "string" }], ServiceList: [] });
    expect(d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.50" })).toMatchObject({ Changed: true, ConnectionChanged: ["far"] });
    expect((await providers(d, search("RIO", [{ Name: "Address", Value: "far" }])))[0]).toMatchObject({ Status: "OK", Attributes: [{ Name: "IP" }, { Name: "MAC", Value: "00:40:8c:00:02:32" }] });
    // The same provider again: no change, nothing announced.
    expect(d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.50" })).toMatchObject({ Changed: false, ConnectionChanged: [] });
    d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.50" });
    expect(statusEvents(events, n)).toEqual([
      [{ RemoteDeviceToken: token }, false],
      [{ RemoteDeviceToken: token }, true],
      [{ RemoteDeviceToken: token }, false],
    ]);
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: token });
  });

  it("is not connected with the wrong MAC or a user the module does not accept", async () => {
    d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.60", Username: "installer", Password: "secret" });
    const n = events.length;
    await setDevice(d, device("192.0.2.60", { token: "locked", Username: "installer", Password: "wrong" }));
    await setDevice(d, device("192.0.2.60", { token: "locked", Username: "installer", Password: "secret", MACAddress: "00:40:8c:00:00:01" }));
    await setDevice(d, device("192.0.2.60", { token: "locked", Username: "installer", Password: "secret" }));
    expect(statusEvents(events, n).map(([, up]) => up)).toEqual([false, false, true]);
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: "locked" });
    d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.60" });
  });

  it("refuses addresses that are not a device's with env:Sender/ter:InvalidArgVal, and stores and announces nothing", async () => {
    const n = events.length;
    for (const ip of ["192.0.2.999", "192.0.2", "192.0.2.01", "io-module.example", "", "127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255"]) {
      expect([ip, await fault(d, "axrio:SetDevice", { Device: [device(ip)] })]).toEqual([ip, [400, INVALID_ARG_VAL]]);
    }
    for (const mac of ["00:40:8c:18:64", "00408c186407", "00:40:8c:18:64:0g", "00:00:00:00:00:00", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff"]) {
      expect([mac, await fault(d, "axrio:SetDevice", { Device: [device(MODULE_1.ip, { MACAddress: mac })] })]).toEqual([mac, [400, INVALID_ARG_VAL]]);
    }
    // The whole batch is refused.
    expect(await fault(d, "axrio:SetDevice", { Device: [device(MODULE_1.ip, { token: "good" }), device("300.1.2.3")] })).toEqual([400, INVALID_ARG_VAL]);
    expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([]);
    expect(statusEvents(events, n)).toEqual([]);
    // An empty MAC is no MAC; a hyphenated upper-case one is a MAC.
    expect(await setDevice(d, device(MODULE_1.ip, { token: "ok-mac", MACAddress: "" }))).toBe("ok-mac");
    expect(await setDevice(d, device(MODULE_1.ip, { token: "ok-mac", MACAddress: "00-40-8C-A9-18-21" }))).toBe("ok-mac");
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: "ok-mac" });
  });

  it("refuses a request without IPAddress or credentials (schema: env:Sender/ter:InvalidArgs)", async () => {
    expect(await fault(d, "axrio:SetDevice", { Device: [{ Username: "u", Password: "p" }] })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
    expect(await fault(d, "axrio:SetDevice", { Device: [{ IPAddress: MODULE_1.ip }] })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
    expect(await fault(d, "axrio:SetDevice", { Device: [] })).toEqual([400, ["env:Sender", "ter:InvalidArgs"]]);
  });

  it("holds at most two remote devices (env:Receiver/ter:CapabilityViolated) and adds one module only once", async () => {
    await setDevice(d, device(MODULE_1.ip, { token: "a" }));
    expect(await fault(d, "axrio:SetDevice", { Device: [device(MODULE_1.ip, { token: "twin" })] })).toEqual([400, INVALID_ARG_VAL]);
    expect(await setDevice(d, device(MODULE_2.ip, { token: "b" }), device(MODULE_1.ip, { token: "a", Name: "renamed" }))).toBe("b");
    expect(await fault(d, "axrio:SetDevice", { Device: [device("192.0.2.70", { token: "c" })] })).toEqual([500, ["env:Receiver", "ter:CapabilityViolated"]]);
    // Changing an added device is no third one.
    expect(await setDevice(d, device("192.0.2.70", { token: "a" }))).toBe("a");
    expect(d.snapshot().entities["RemoteDevice"]?.items.map((i) => (i as Body)["token"])).toEqual(["a", "b"]);
    for (const t of ["a", "b"]) d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: t });
  });

  it("answers with the first device's token when several are set", async () => {
    expect(await setDevice(d, device(MODULE_1.ip, { token: "first" }), device(MODULE_2.ip))).toBe("first");
    const added = d.snapshot().entities["RemoteDevice"]!.items.map((i) => (i as Body)["token"] as string);
    expect(added).toHaveLength(2);
    for (const t of added) d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: t });
  });

  it("advertises the topic as a property with the device's token as Source and Status as Data", async () => {
    const body = await soap(d, `<tev:GetEventProperties xmlns:tev="http://www.onvif.org/ver10/events/wsdl"/>`);
    expect(body.text).toMatch(/<tnsaxis:RemoteDevice[^>]*><Connection><Status wstop:topic="true"><tt:MessageDescription IsProperty="true"/);
    expect(body.text).toMatch(/Name="RemoteDeviceToken" Type="pt:ReferenceToken"/);
    expect(body.text).toMatch(/<Status wstop:topic="true">.*?Name="Status" Type="xs:boolean"/);
  });

  it("gives each added device's connection as the property's current value (the Initialized messages)", () => {
    const state = composedState({ defaults: false });
    const set = peripheralsOperations().find((o) => o.name === "SetDevice")!;
    const ctx = { protocol: "json", path: "/vapix/axrio", host: "127.0.0.1", signal: new AbortController().signal } as const;
    set.handle({ Device: [{ token: "near", Username: "u", Password: "p", IPAddress: MODULE_1.ip }, { token: "far", Username: "u", Password: "p", IPAddress: "192.0.2.50" }] }, state, ctx);
    expect(state.topics.get(STATUS)!.current!(state)).toEqual([
      { source: { RemoteDeviceToken: "near" }, data: { Status: true } },
      { source: { RemoteDeviceToken: "far" }, data: { Status: false } },
    ]);
  });
});

describe("the back door's peripheral stimuli", () => {
  it("check their arguments and show the network in the world view", async () => {
    await withDevice({ clock: VIRTUAL, backdoor: true }, async (d) => {
      expect(() => d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.300" })).toThrow(/not an IPv4 address/);
      expect(() => d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.90", MAC: "01:00:5e:00:00:01" })).toThrow(/group/);
      expect(() => d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.90", Password: "x" })).toThrow(/needs "Username"/);
      expect(() => d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: "ghost" })).toThrow(/no remote device "ghost"/);
      expect(d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: "192.0.2.91" })).toEqual({ Address: "192.0.2.91", Changed: false, ConnectionChanged: [] });
      expect(d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.90", Username: "u" })).toMatchObject({ MAC: "00:40:8c:00:02:5a", Type: "RIO", Changed: true });
      const res = await fetch(`${d.url}/backdoor`, { headers: { authorization: `Basic ${Buffer.from("root:pass").toString("base64")}` } });
      const view = ((await res.json()) as { World: { Peripherals: Body } }).World.Peripherals;
      expect(view["Network"]).toEqual([
        { Address: MODULE_1.ip, MAC: MODULE_1.mac, Type: "RIO" },
        { Address: MODULE_2.ip, MAC: MODULE_2.mac, Type: "RIO" },
        { Address: "192.0.2.90", MAC: "00:40:8c:00:02:5a", Type: "RIO", Username: "u" },
      ]);
      expect(view["RemoteDevices"]).toEqual([]);
    });
  });
});

describe("Peripherals over SOAP (/vapix/services)", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ clock: VIRTUAL, backdoor: true });
  });
  afterAll(() => d.close());

  it("answers the guide's GetServiceProviderList request with ServiceProviderList items in the response wrapper", async () => {
    const r = await soap(
      d,
      `<axissd:GetServiceProviderList xmlns:axissd="${AXISSD}"><axissd:Timeout>10</axissd:Timeout><axissd:Attributes type="string"><axissd:Name>IO</axissd:Name><axissd:Value>Eth0</axissd:Value></axissd:Attributes><axissd:Type>RIO</axissd:Type></axissd:GetServiceProviderList>`,
    );
    expect(r.status).toBe(200);
    expect([r.el.ns, r.el.local]).toEqual([AXISSD, "GetServiceProviderListResponse"]);
    const items = children(r.el, "ServiceProviderList");
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.children.map((c) => c.local)).toEqual(["Id", "NiceName", "Status", "Attributes", "Attributes"]);
    expect(children(first, "Status")[0]!.text).toBe("NotAdded");
    const ip = children(first, "Attributes")[0]!;
    expect([attr(ip, "type"), children(ip, "Name")[0]!.text, children(ip, "Value")[0]!.text]).toEqual(["string", "IP", MODULE_1.ip]);
  });

  it("adds a device with SetDevice (token attribute) and answers its Token; faults a bad address", async () => {
    const r = await soap(
      d,
      `<axrio:SetDevice xmlns:axrio="${AXRIO}"><axrio:Device token="soap-rio"><axrio:Name>AXIS A9188</axrio:Name><axrio:Username>user</axrio:Username><axrio:Password>pass</axrio:Password><axrio:MACAddress>${MODULE_2.mac}</axrio:MACAddress><axrio:IPAddress>${MODULE_2.ip}</axrio:IPAddress></axrio:Device></axrio:SetDevice>`,
    );
    expect(r.status).toBe(200);
    expect([r.el.ns, r.el.local, children(r.el, "Token")[0]!.text]).toEqual([AXRIO, "SetDeviceResponse", "soap-rio"]);
    const listed = await soap(
      d,
      `<axissd:GetServiceProviderList xmlns:axissd="${AXISSD}"><axissd:Timeout>10</axissd:Timeout><axissd:Attributes type="string"><axissd:Name>Address</axissd:Name><axissd:Value>soap-rio</axissd:Value></axissd:Attributes><axissd:Type>RIO</axissd:Type></axissd:GetServiceProviderList>`,
    );
    const item = children(listed.el, "ServiceProviderList");
    expect(item).toHaveLength(1);
    expect(children(item[0]!, "Id")[0]!.text).toBe("soap-rio");
    expect(children(item[0]!, "ServiceList")).toHaveLength(8);
    const bad = await soap(d, `<axrio:SetDevice xmlns:axrio="${AXRIO}"><axrio:Device><axrio:Username>u</axrio:Username><axrio:Password>p</axrio:Password><axrio:IPAddress>192.0.2.999</axrio:IPAddress></axrio:Device></axrio:SetDevice>`);
    expect(bad.status).toBe(400);
    expect(soapFaultCodes(bad.el)).toEqual(INVALID_ARG_VAL);
    d.stimulate({ Stimulus: "RemoveRemoteDevice", Token: "soap-rio" });
  });
});

describe("JSON responses conform to the generated JSON Schemas", () => {
  it("for GetServiceProviderList (not added and added providers) and SetDevice", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((v: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    await withDevice({ clock: VIRTUAL }, async (d) => {
      const set = await ok(d, "axrio:SetDevice", { Device: [device(MODULE_1.ip)] });
      const list = await ok(d, "axissd:GetServiceProviderList", search());
      for (const [schema, value] of [
        [(axrioSchemas as Record<string, object>)["SetDeviceResponse"], set],
        [(axissdSchemas as Record<string, object>)["GetServiceProviderListResponse"], list],
      ] as const) {
        const validate = ajv.compile(schema!);
        expect([validate(value), validate.errors ?? null]).toEqual([true, null]);
      }
    });
  });
});

describe("Peripherals quirks", () => {
  it("names each quirk it tests", () => {
    expect(PERIPHERALS_QUIRKS.map((q) => q.name).sort()).toEqual(
      ["peripherals-connection-status-not-sent", "peripherals-invalid-ip-accepted", "peripherals-invalid-mac-accepted", "peripherals-provider-attributes-missing", "peripherals-set-device-not-stored", "peripherals-type-filter-ignored"].sort(),
    );
  });

  it("peripherals-provider-attributes-missing: providers come without their IP and MAC", async () => {
    await withDevice({ quirks: ["peripherals-provider-attributes-missing"] }, async (d) => {
      const list = await providers(d);
      expect(list).toHaveLength(2);
      expect(list.map((p) => p.Attributes)).toEqual([[], []]);
    });
  });

  it("peripherals-type-filter-ignored: every type is listed whatever the Type", async () => {
    await withDevice({ quirks: ["peripherals-type-filter-ignored"], backdoor: true }, async (d) => {
      d.stimulate({ Stimulus: "ConnectRemoteDevice", Address: "192.0.2.30", Type: "Intercom" });
      expect(ips(await providers(d, search("NoSuchType")))).toEqual([MODULE_1.ip, MODULE_2.ip, "192.0.2.30"]);
    });
  });

  it("peripherals-invalid-ip-accepted: a bad IPAddress is stored", async () => {
    await withDevice({ quirks: ["peripherals-invalid-ip-accepted"] }, async (d) => {
      expect(await setDevice(d, device("192.0.2.999", { token: "bad-ip" }))).toBe("bad-ip");
      expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([expect.objectContaining({ token: "bad-ip", IPAddress: "192.0.2.999" })]);
    });
  });

  it("peripherals-invalid-mac-accepted: a bad MACAddress is stored", async () => {
    await withDevice({ quirks: ["peripherals-invalid-mac-accepted"] }, async (d) => {
      expect(await setDevice(d, device("192.0.2.100", { token: "bad-mac", MACAddress: "00:40:8c:18:64" }))).toBe("bad-mac");
      expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([expect.objectContaining({ token: "bad-mac", MACAddress: "00:40:8c:18:64" })]);
      // The IP address is still checked.
      expect(await fault(d, "axrio:SetDevice", { Device: [device("192.0.2.999")] })).toEqual([400, INVALID_ARG_VAL]);
    });
  });

  it("peripherals-set-device-not-stored: SetDevice answers a token and keeps nothing", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ quirks: ["peripherals-set-device-not-stored"], onEvent: (e) => events.push(e) }, async (d) => {
      expect(await setDevice(d, device(MODULE_1.ip))).toMatch(/^Axis-00408c184bdb:/);
      expect(await setDevice(d, device(MODULE_1.ip, { token: "kept?" }))).toBe("kept?");
      expect(d.snapshot().entities["RemoteDevice"]?.items).toEqual([]);
      expect((await providers(d)).map((p) => p.Status)).toEqual(["NotAdded", "NotAdded"]);
      expect(statusEvents(events)).toEqual([]);
    });
  });

  it("peripherals-connection-status-not-sent: the device is added and connected, but no Status event is sent", async () => {
    const events: DeviceEvent[] = [];
    await withDevice({ quirks: ["peripherals-connection-status-not-sent"], backdoor: true, onEvent: (e) => events.push(e) }, async (d) => {
      const token = await setDevice(d, device(MODULE_1.ip));
      d.stimulate({ Stimulus: "DisconnectRemoteDevice", Address: MODULE_1.ip });
      expect((await providers(d, search("RIO", [{ Name: "Address", Value: token }])))[0]).toMatchObject({ Id: token, Status: "NotConnected" });
      expect(statusEvents(events)).toEqual([]);
    });
  });
});
