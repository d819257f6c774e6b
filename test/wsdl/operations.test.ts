// Our WSDLs hold exactly the operations their sources document: the rows of the VAPIX
// operations.tsv for each Axis prefix (axlog plus FetchEvents3, an assumption), with operations.tsv's
// namespace and JSON path; the 7 operations of the ONVIF pull-point subset and the 10 of the ONVIF
// device management subset, with the SOAP actions ONVIF's event.wsdl / devicemgmt.wsdl bind them to.
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WSDL } from "../../src/codegen/loader.js";
import { attr, childrenOf, parseXml, textContent, type XNode } from "../../src/codegen/xml.js";

const root = join(process.cwd(), "wsdl");
const REF = join(process.cwd(), "..", "shared", "reference");
const SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
const SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/";

function load(path: string): XNode {
  return parseXml(readFileSync(path, "utf8"), path);
}

/** portType name → its operation names, in document order. */
function portTypes(def: XNode): Record<string, string[]> {
  return Object.fromEntries(childrenOf(def, WSDL, "portType").map((pt) => [attr(pt, "name")!, childrenOf(pt, WSDL, "operation").map((op) => attr(op, "name")!)]));
}

/** binding name → operation name → soapAction (SOAP 1.1 or 1.2 binding). */
function soapActions(def: XNode): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const b of childrenOf(def, WSDL, "binding")) {
    const actions: Record<string, string> = {};
    for (const op of childrenOf(b, WSDL, "operation")) {
      const soapOp = op.children.find((c) => c.local === "operation" && (c.ns === SOAP12 || c.ns === SOAP11));
      const action = soapOp === undefined ? undefined : attr(soapOp, "soapAction");
      if (action !== undefined) actions[attr(op, "name")!] = action;
    }
    out[attr(b, "name")!] = actions;
  }
  return out;
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

const operationsTsv = join(REF, "axis-vapix-pacs", "operations.tsv");
/** operations.tsv rows (prefix, namespace, json_path, operation, page, where) of one prefix. */
const tsvRows = (prefix: string): string[][] =>
  readFileSync(operationsTsv, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .map((line) => line.split("\t"))
    .filter((cols) => cols[0] === prefix);
const documented = (prefix: string): string[] => [...new Set(tsvRows(prefix).map((cols) => cols[3]!))];
const services = JSON.parse(readFileSync(join(root, "services.json"), "utf8")) as { namespaces: Record<string, { prefix: string; jsonPath?: string }> };

function expectFaultsLines(def: XNode): void {
  for (const pt of childrenOf(def, WSDL, "portType")) {
    for (const op of childrenOf(pt, WSDL, "operation")) {
      expect(`${attr(op, "name")}: ${childrenOf(op, WSDL, "documentation").map(textContent).join("")}`).toMatch(/: .+ Faults[ :(]/);
    }
  }
}

describe("wsdl/events/events.wsdl (tev)", () => {
  const def = load(join(root, "events", "events.wsdl"));

  it("has the 7 operations of the pull-point subset, in ONVIF's portTypes", () => {
    expect(portTypes(def)).toEqual({
      EventPortType: ["GetServiceCapabilities", "GetEventProperties", "CreatePullPointSubscription"],
      PullPointSubscription: ["PullMessages", "SetSynchronizationPoint"],
      SubscriptionManager: ["Renew", "Unsubscribe"],
    });
  });

  it("documents every operation with a Faults: line", () => {
    expectFaultsLines(def);
  });

  const onvifEventWsdl = join(REF, "onvif", "wsdl", "ver10", "events", "wsdl", "event.wsdl");
  (existsSync(onvifEventWsdl) ? it : it.skip)("binds each operation to the SOAP action ONVIF's event.wsdl gives it (same binding names)", () => {
    const ours = soapActions(def);
    const onvif = soapActions(load(onvifEventWsdl));
    expect(Object.keys(ours).sort()).toEqual(["EventBinding", "PullPointSubscriptionBinding", "SubscriptionManagerBinding"]);
    for (const [binding, actions] of Object.entries(ours)) {
      for (const [op, action] of Object.entries(actions)) expect(`${binding}/${op} ${action}`).toBe(`${binding}/${op} ${onvif[binding]?.[op]}`);
    }
  });
});

describe("wsdl/axis/eventlogger*.wsdl (axlog, axloc)", () => {
  const ours = (file: string): string[] => Object.values(portTypes(load(join(root, "axis", file)))).flat();

  it("axlog has FetchEvents3 besides the documented operations, axloc the ten of its reference", () => {
    expect(sorted(ours("eventlogger.wsdl"))).toEqual(["FetchAlarms", "FetchAlarms2", "FetchEvents", "FetchEvents2", "FetchEvents3", "RemoveLoggedAlarm"]);
    expect(ours("eventloggerconfig.wsdl")).toHaveLength(10);
  });

  (existsSync(operationsTsv) ? it : it.skip)("holds exactly the axlog/axloc operations of operations.tsv (+ FetchEvents3)", () => {
    expect(sorted(ours("eventlogger.wsdl"))).toEqual(sorted([...documented("axlog"), "FetchEvents3"]));
    expect(sorted(ours("eventloggerconfig.wsdl"))).toEqual(sorted(documented("axloc")));
  });
});

// The services of issue 8: each WSDL's single portType against its operations.tsv prefix.
const ISSUE8: readonly { prefix: string; file: string; portType: string; operations: number }[] = [
  { prefix: "aconn", file: "connection.wsdl", portType: "ConnectionPort", operations: 6 },
  { prefix: "axkey", file: "keystore.wsdl", portType: "KeyStorePort", operations: 4 },
  { prefix: "axtpc", file: "thirdpartycredential.wsdl", portType: "ThirdPartyCredentialPort", operations: 9 },
  { prefix: "axissd", file: "servicediscovery.wsdl", portType: "ServiceDiscoveryPort", operations: 1 },
  { prefix: "axrio", file: "remoteio.wsdl", portType: "RemoteIoPort", operations: 1 },
];

describe.each(ISSUE8)("wsdl/axis/$file ($prefix)", ({ prefix, file, portType, operations }) => {
  const def = load(join(root, "axis", file));
  const tns = attr(def, "targetNamespace")!;

  it(`has one portType ${portType} with ${operations} operation(s), each documented with a Faults: line`, () => {
    const types = portTypes(def);
    expect(Object.keys(types)).toEqual([portType]);
    expect(types[portType]).toHaveLength(operations);
    expectFaultsLines(def);
  });

  it("binds every operation to the soapAction <namespace>/<operation>", () => {
    const actions = Object.values(soapActions(def));
    expect(actions).toHaveLength(1);
    expect(actions[0]).toEqual(Object.fromEntries(portTypes(def)[portType]!.map((op) => [op, `${tns}/${op}`])));
  });

  (existsSync(operationsTsv) ? it : it.skip)("holds exactly the operations of operations.tsv, in its namespace, with its JSON path in services.json", () => {
    const rows = tsvRows(prefix);
    expect(rows.length).toBeGreaterThan(0);
    expect(sorted(Object.values(portTypes(def)).flat())).toEqual(sorted(documented(prefix)));
    expect([...new Set(rows.map((cols) => cols[1]))]).toEqual([tns]);
    expect(services.namespaces[tns]).toEqual({ prefix, jsonPath: rows[0]![2] });
  });
});

describe("wsdl/onvif/devicemgmt.wsdl (tds)", () => {
  const def = load(join(root, "onvif", "devicemgmt.wsdl"));
  const OPERATIONS = ["GetServices", "GetServiceCapabilities", "GetDeviceInformation", "GetSystemDateAndTime", "GetScopes", "GetUsers", "CreateUsers", "DeleteUsers", "SetUser", "GetCapabilities"];

  it("has the 10 operations of the subset in ONVIF's portType Device, each documented with a Faults: line", () => {
    expect(portTypes(def)).toEqual({ Device: OPERATIONS });
    expectFaultsLines(def);
  });

  it("is SOAP only: services.json gives tds no JSON path", () => {
    expect(services.namespaces["http://www.onvif.org/ver10/device/wsdl"]).toEqual({ prefix: "tds" });
  });

  const onvifDeviceWsdl = join(REF, "onvif", "wsdl", "ver10", "device", "wsdl", "devicemgmt.wsdl");
  (existsSync(onvifDeviceWsdl) ? it : it.skip)("binds each operation to the SOAP action ONVIF's devicemgmt.wsdl gives it (same binding name), and ONVIF has every one of them", () => {
    const ours = soapActions(def);
    const onvif = soapActions(load(onvifDeviceWsdl));
    expect(Object.keys(ours)).toEqual(["DeviceBinding"]);
    expect(Object.keys(ours["DeviceBinding"]!)).toEqual(OPERATIONS);
    for (const [op, action] of Object.entries(ours["DeviceBinding"]!)) expect(`${op} ${action}`).toBe(`${op} ${onvif["DeviceBinding"]?.[op]}`);
    expect(OPERATIONS.filter((op) => !(portTypes(load(onvifDeviceWsdl))["Device"] ?? []).includes(op))).toEqual([]);
  });
});
