import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { deviceCommand, listQuirks } from "../../src/device/server.js";
import { BASIC } from "./helpers.js";

describe("pacs-conformance device", () => {
  let out: string;
  let err: string;
  beforeEach(() => {
    out = "";
    err = "";
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("--list-quirks prints every quirk with the rule it breaks and exits 0", async () => {
    expect(await deviceCommand(["--list-quirks"])).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(listQuirks().length);
    for (const q of listQuirks()) expect(out).toContain(`${q.name}`);
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
    expect(err).toContain(named);
    expect(out).toBe("");
  });

  it("serves until SIGINT, printing exactly one 'listening on' line", async () => {
    const done = deviceCommand(["--port", "0", "--quirk", "stats-wrong", "--populate-credentials", "2"]);
    for (let i = 0; i < 200 && !out.includes("\n"); i++) await new Promise((r) => setTimeout(r, 10));
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
    expect(match).not.toBeNull();
    const res = await fetch(`${match![1]}/vapix/pacs`, { method: "POST", headers: { authorization: BASIC }, body: '{"pacsaxis:GetCredentialStatistics":{}}' });
    expect(await res.json()).toEqual({ CredentialStatistics: { NumberOfCredentials: 3, NumberOfDisabledCredentials: 1 } });
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });
});
