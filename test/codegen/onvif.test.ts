/**
 * Third-party input: ONVIF's own WSDLs from ../shared/reference compile, and the output
 * type-checks under the project's compiler options. Output goes to a temp folder inside the
 * project (so the relative runtime imports resolve) and is removed afterwards.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generateWithReport, writeOutput, PROJECT_ROOT } from "../../src/codegen/generate.js";
import { typeCheck, withHelpers } from "./helpers.js";

const REF = join(PROJECT_ROOT, "..", "shared", "reference");
const haveRef = existsSync(join(REF, "onvif", "wsdl", "ver10", "pacs", "accesscontrol.wsdl"));
if (!haveRef) process.stdout.write(`ONVIF codegen tests skipped: ${REF} is absent (the shared reference folder is not next to the project)\n`);
const offlineEvents = join(REF, "onvif-wsdl-offline", "events.wsdl");
const haveOfflineEvents = existsSync(offlineEvents);

const outRoot = join(PROJECT_ROOT, "test", "codegen", `.out-onvif-${process.pid}`);
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

async function compileTo(name: string, wsdl: string[], catalog?: string) {
  const outDir = join(outRoot, name);
  const result = await generateWithReport({ wsdl, outDir, ...(catalog !== undefined ? { catalog } : {}) });
  writeOutput(outDir, result.files);
  return { ...withHelpers(result), outDir, written: [...result.files.keys()].map((f) => join(outDir, f)) };
}

(haveRef ? describe : describe.skip)("ONVIF WSDLs", () => {
  it("official accesscontrol.wsdl + doorcontrol.wsdl compile to tac/tdc/pt and type-check", async () => {
    const pacs = join(REF, "onvif", "wsdl", "ver10", "pacs");
    const out = await compileTo("pacs", [join(pacs, "accesscontrol.wsdl"), join(pacs, "doorcontrol.wsdl")]);
    expect(out.program.modules.map((m) => m.prefix)).toEqual(["pt", "tac", "tdc"]);
    expect(out.file("tac", "client")).toContain("export class PACSClient {");
    expect(out.file("tac", "client")).toContain("getAccessPointInfoList(input: GetAccessPointInfoList = {}, options?: CallOptions): Promise<GetAccessPointInfoListResponse> {");
    expect(out.file("tdc", "client")).toContain("export class DoorControlClient {");
    expect(out.file("tac", "types")).toContain("export interface AccessPoint extends AccessPointInfo {");
    expect(out.file("tac", "types")).toContain('export type Decision = "Granted" | "Denied";');
    expect(out.field("tac", "AccessPointInfo", "token")).toMatchObject({ node: "attribute", required: true, type: { maxLength: 64 } });
    expect(out.field("tac", "GetAccessPointInfoListResponse", "AccessPointInfo")).toMatchObject({ min: 0, max: "unbounded", many: true });
    expect(out.file("tac", "descriptors")).toContain('soapAction: "http://www.onvif.org/ver10/accesscontrol/wsdl/GetAccessPointList"');
    expect(typeCheck(out.written)).toEqual([]);
  });

  it("the offline copy of accesscontrol.wsdl (relative imports only) compiles and type-checks", async () => {
    const out = await compileTo("offline", [join(REF, "onvif-wsdl-offline", "accesscontrol.wsdl")]);
    expect(out.program.modules.map((m) => m.prefix)).toEqual(["pt", "tac"]);
    expect(typeCheck(out.written)).toEqual([]);
  });

  (haveOfflineEvents ? it : it.skip)("the offline copy of events.wsdl (relative imports only, no catalog) compiles to tev/wsnt/wsa/wstop and type-checks", async () => {
    const out = await compileTo("offline-events", [offlineEvents]);
    expect(out.warnings).toEqual([]);
    expect(out.program.modules.map((m) => m.prefix)).toEqual(expect.arrayContaining(["tev", "wsa", "wsnt", "wstop"]));
    expect(out.file("tev", "client")).toContain("export class EventClient {");
    expect(out.file("tev", "client")).toContain("export class PullPointSubscriptionClient {");
    expect(out.file("tev", "client")).toContain("pullMessages(input: PullMessages, options?: CallOptions): Promise<PullMessagesResponse> {");
    expect(out.file("tev", "descriptors")).toContain('soapAction: "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest"');
    expect(out.field("tev", "PullMessagesResponse", "NotificationMessage")).toMatchObject({ ns: "http://docs.oasis-open.org/wsn/b-2", min: 0, many: true });
    expect(out.field("tev", "CreatePullPointSubscriptionResponse", "SubscriptionReference")).toMatchObject({ ns: "NS", min: 1, many: false });
    expect(typeCheck(out.written)).toEqual([]);
  });

  it("devicemgmt.wsdl + event.wsdl resolve remote OASIS/W3C imports through onvif-catalog.json and emit only reachable onvif.xsd types", async () => {
    const ver10 = join(REF, "onvif", "wsdl", "ver10");
    const out = await compileTo(
      "device",
      [join(ver10, "device", "wsdl", "devicemgmt.wsdl"), join(ver10, "events", "wsdl", "event.wsdl")],
      join(PROJECT_ROOT, "test", "codegen", "onvif-catalog.json"),
    );
    const prefixes = out.program.modules.map((m) => m.prefix);
    expect(prefixes).toEqual(expect.arrayContaining(["tds", "tev", "tt", "wsnt"]));
    const tt = out.program.modules.find((m) => m.prefix === "tt")!;
    // onvif.xsd defines well over a thousand types; only what the two services reach is emitted.
    expect(tt.complex.length + tt.simple.length).toBeLessThan(400);
    expect(tt.complex.some((c) => c.name === "PTZConfiguration")).toBe(false);
    expect(out.file("tev", "client")).toContain("export class EventClient {");
    expect(typeCheck(out.written)).toEqual([]);
  });
});
