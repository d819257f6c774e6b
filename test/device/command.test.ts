import { describe, expect, it } from "@jest/globals";
import { deviceCommand, listQuirks, siteCommand } from "../../src/device/server.js";
import { BASIC, captureOutput } from "./helpers.js";

describe("pacs-conformance device", () => {
  const io = captureOutput();

  it("--list-quirks prints every quirk with the rule it breaks and exits 0", async () => {
    expect(await deviceCommand(["--list-quirks"])).toBe(0);
    const lines = io.out.trim().split("\n");
    expect(lines).toHaveLength(listQuirks().length);
    for (const q of listQuirks()) expect(io.out).toContain(`${q.name}`);
    expect(lines[0]).toMatch(/^ignore-limit\s+breaks: a page holds at most Limit items$/);
  });

  it.each([
    [["--port", "99999"], "--port"],
    [["--port"], "--port"],
    [["--quirk", "bogus"], "--quirk"],
    [["--max-limit", "0"], "--max-limit"],
    [["--frobnicate"], "--frobnicate"],
    [["--host", "0.0.0.0"], "--allow-remote"],
  ])("usage error %j names %s and exits 2", async (argv, named) => {
    expect(await deviceCommand(argv)).toBe(2);
    expect(io.err).toContain(named);
    expect(io.out).toBe("");
  });

  it.each([
    [["--services", "AccessControl,Frobnicator"], '--services AccessControl,Frobnicator: unknown service "Frobnicator"; valid names: AccessControl (tac, pacsaxis)'],
    [["--services", "tac,,tdc"], "--services tac,,tdc: holds an empty name"],
    [["--capability"], "--capability needs a value, for example --capability SetAccessPoint=false"],
    [["--capability", "SetAccessPoint"], '--capability "SetAccessPoint" must be NAME=VALUE'],
    [["--capability", "Frobnicate=false"], '--capability Frobnicate=false: no served service reports a capability "Frobnicate"; valid names: DisableCredential (tac)'],
    [["--capability", "SetAccessPoint=maybe"], '--capability SetAccessPoint=maybe: SetAccessPoint is an xs:boolean: give true or false, not "maybe"'],
    [["--capability", "MaxLimit=0"], "--capability MaxLimit=0: MaxLimit must be a positive integer"],
    [["--capability", "tac:MaxLimit=5"], "--capability tac:MaxLimit=5: tac:MaxLimit: every service of this device pages with one MaxLimit"],
    [["--capability", "SetDoorSupported=false", "--services", "AccessControl"], '--capability SetDoorSupported=false: no served service reports a capability "SetDoorSupported"'],
    [["--max-limit", "50", "--capability", "MaxLimit=10"], "--max-limit 50 and --capability MaxLimit=10 disagree"],
  ])("--services/--capability usage error %j says %s and exits 2", async (argv, message) => {
    expect(await deviceCommand(argv)).toBe(2);
    expect(io.err).toContain(`pacs-conformance device: ${message}`);
    expect(io.out).toBe("");
  });

  it("--help documents --services (the Device service always served) and --capability", async () => {
    expect(await deviceCommand(["--help"])).toBe(0);
    expect(io.out).toMatch(/--services LIST {2,}serve only these services/);
    expect(io.out).toMatch(/Device service \(tds\) and the\s+identity CGIs are always served/);
    expect(io.out).toMatch(/--capability NAME=VALUE {2,}report a service capability otherwise \(repeatable\)/);
  });

  it("--services and --capability reach the device: left-out paths 404, the flag reported and its operation refused", async () => {
    const done = deviceCommand(["--port", "0", "--services", "AccessControl, Events", "--capability", "SetAccessPoint=False", "--capability=MaxLimit=10"]);
    for (let i = 0; i < 200 && !io.out.includes("\n"); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(io.out)![1]!;
    const call = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: BASIC }, body: JSON.stringify(body) });
      return { status: res.status, body: res.status === 404 ? {} : ((await res.json()) as Record<string, unknown>) };
    };
    expect((await call("/vapix/pacs", { "tac:GetServiceCapabilities": {} })).body).toEqual({ Capabilities: expect.objectContaining({ SetAccessPoint: false, MaxLimit: 10 }) });
    expect(await call("/vapix/pacs", { "pacsaxis:SetAccessPoint": {} })).toEqual({ status: 500, body: expect.objectContaining({ Fault: "env:Receiver", FaultCode: "ter:ActionNotSupported" }) });
    expect((await call("/vapix/doorcontrol", { "tdc:GetDoorInfoList": {} })).status).toBe(404);
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });

  it("serves until SIGINT, printing exactly one 'listening on' line", async () => {
    const done = deviceCommand(["--port", "0", "--quirk", "stats-wrong", "--populate-credentials", "2"]);
    for (let i = 0; i < 200 && !io.out.includes("\n"); i++) await new Promise((r) => setTimeout(r, 10));
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(io.out);
    expect(match).not.toBeNull();
    const res = await fetch(`${match![1]}/vapix/pacs`, { method: "POST", headers: { authorization: BASIC }, body: '{"pacsaxis:GetCredentialStatistics":{}}' });
    expect(await res.json()).toEqual({ CredentialStatistics: { NumberOfCredentials: 3, NumberOfDisabledCredentials: 1 } });
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });

  it.each([
    [[], "--controllers"],
    [["--controllers", "34"], "--controllers"],
    [["--controllers", "0"], "--controllers"],
    [["--controllers", "3", "--port", "65534"], "--port"],
  ])("site usage error %j names %s and exits 2", async (argv, named) => {
    expect(await siteCommand(argv)).toBe(2);
    expect(io.err).toContain(named);
    expect(io.out).toBe("");
  });

  it("a joined site without the connection service cannot start, naming --unjoined", async () => {
    expect(await siteCommand(["--controllers", "2", "--services", "AccessControl"])).toBe(2);
    expect(io.err).toMatch(/^pacs-conformance site: cannot start: services leave out the connection service \(aconn\).*--unjoined/);
    expect(io.out).toBe("");
  });

  it("device refuses the site's options, naming the site command", async () => {
    expect(await deviceCommand(["--controllers", "3"])).toBe(2);
    expect(io.err).toContain("pacs-conformance site");
  });

  it("site serves joined controllers until SIGINT, one 'listening on URL (MAC)' line each", async () => {
    const done = siteCommand(["--controllers", "2"]);
    for (let i = 0; i < 300 && io.out.split("\n").length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const lines = io.out.trim().split("\n");
    expect(lines).toHaveLength(2);
    const urls = lines.map((l) => /^listening on (http:\/\/127\.0\.0\.1:\d+) \(([0-9A-F]{12})\)$/.exec(l));
    expect(urls.every((m) => m !== null)).toBe(true);
    expect(new Set(urls.map((m) => m![2])).size).toBe(2);
    const res = await fetch(`${urls[1]![1]}/vapix/aconn`, { method: "POST", headers: { authorization: BASIC }, body: '{"aconn:GetPeerList":{}}' });
    const list = (await res.json()) as { Peer: { ID: string; TrustState: string }[] };
    expect(list.Peer).toEqual([expect.objectContaining({ ID: urls[0]![2], TrustState: "InPeerNetwork" })]);
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });
});
