// Our event WSDLs hold exactly the operations their sources document: the axlog/axloc rows of the
// VAPIX operations.tsv (plus FetchEvents3, an assumption), and the 7 operations of the ONVIF
// pull-point subset with the SOAP actions ONVIF's event.wsdl binds them to.
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
    for (const pt of childrenOf(def, WSDL, "portType")) {
      for (const op of childrenOf(pt, WSDL, "operation")) {
        expect(`${attr(op, "name")}: ${childrenOf(op, WSDL, "documentation").map(textContent).join("")}`).toMatch(/: .+ Faults[ :(]/);
      }
    }
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
  const operationsTsv = join(REF, "axis-vapix-pacs", "operations.tsv");
  const documented = (prefix: string): string[] =>
    readFileSync(operationsTsv, "utf8")
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .map((line) => line.split("\t"))
      .filter((cols) => cols[0] === prefix)
      .map((cols) => cols[3]!);
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
