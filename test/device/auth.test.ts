import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { parseAuthParams } from "../../src/device/digest.js";
import { BASIC, post } from "./helpers.js";

const BODY = JSON.stringify({ "pacsaxis:GetAccessControllerList": {} });
const PATH = "/vapix/pacs";

function challengeFor(header: string, algorithm: string): Record<string, string> {
  // Two challenges in one header line (fetch joins them): split before each "Digest ".
  const one = header.split(/,?\s*(?=Digest )/).find((c) => new RegExp(`algorithm=${algorithm}(,|$)`).test(c));
  if (one === undefined) throw new Error(`no ${algorithm} challenge in ${header}`);
  return parseAuthParams(one.slice("Digest ".length));
}

function digestHeader(ch: Record<string, string>, algorithm: "MD5" | "SHA-256", nc: number, password = "pass", nonce = ch["nonce"]!): string {
  const h = (s: string): string => createHash(algorithm === "MD5" ? "md5" : "sha256").update(s).digest("hex");
  const ncHex = nc.toString(16).padStart(8, "0");
  const cnonce = "0a4f113b";
  const ha1 = h(`root:${ch["realm"]}:${password}`);
  const ha2 = h(`POST:${PATH}`);
  const response = h(`${ha1}:${nonce}:${ncHex}:${cnonce}:auth:${ha2}`);
  return `Digest username="root", realm="${ch["realm"]}", nonce="${nonce}", uri="${PATH}", algorithm=${algorithm}, qop=auth, nc=${ncHex}, cnonce="${cnonce}", response="${response}", opaque="${ch["opaque"]}"`;
}

describe("HTTP authentication (SHA-256 and MD5 offered)", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ identity: { mac: "00408C184BDB", uuid: "5581ad80-95b0-11e0-b883-00408c184bdb" }, digestAlgorithms: ["SHA-256", "MD5"] });
  });
  afterAll(() => device.close());

  async function challenge(): Promise<string> {
    const r = await post(device, PATH, BODY, {});
    expect(r.status).toBe(401);
    return r.headers.get("www-authenticate")!;
  }

  it("answers 401 with SHA-256 and MD5 Digest challenges in that order, qop=auth, the AXIS realm", async () => {
    const header = await challenge();
    expect(header.indexOf("algorithm=SHA-256")).toBeLessThan(header.indexOf("algorithm=MD5"));
    for (const alg of ["SHA-256", "MD5"]) {
      const ch = challengeFor(header, alg);
      expect(ch["realm"]).toBe("AXIS_00408C184BDB");
      expect(ch["qop"]).toBe("auth");
      expect(ch["nonce"]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it.each(["MD5", "SHA-256"] as const)("accepts Digest %s and reuses the nonce with a rising nc", async (alg) => {
    const ch = challengeFor(await challenge(), alg);
    for (const nc of [1, 2, 3]) {
      const r = await post(device, PATH, BODY, { authorization: digestHeader(ch, alg, nc) });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toHaveProperty("AccessController");
    }
  });

  it("refuses a replayed nonce count", async () => {
    const ch = challengeFor(await challenge(), "SHA-256");
    expect((await post(device, PATH, BODY, { authorization: digestHeader(ch, "SHA-256", 1) })).status).toBe(200);
    const replay = await post(device, PATH, BODY, { authorization: digestHeader(ch, "SHA-256", 1) });
    expect(replay.status).toBe(401);
    expect(replay.text).toContain("replay");
  });

  it("answers stale=true for a correct response over a nonce it does not know (expired/forgotten)", async () => {
    const ch = challengeFor(await challenge(), "MD5");
    const r = await post(device, PATH, BODY, { authorization: digestHeader(ch, "MD5", 1, "pass", "0123456789abcdef0123456789abcdef") });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toContain("stale=true");
  });

  it("answers stale=true once a nonce outlives nonceTtlMs", async () => {
    const shortLived = await startDevice({ nonceTtlMs: -1, digestAlgorithms: ["SHA-256"] });
    try {
      const first = await post(shortLived, PATH, BODY, {});
      const ch = challengeFor(first.headers.get("www-authenticate")!, "SHA-256");
      const r = await post(shortLived, PATH, BODY, { authorization: digestHeader(ch, "SHA-256", 1) });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toContain("stale=true");
    } finally {
      await shortLived.close();
    }
  });

  it("rejects a wrong password without stale", async () => {
    const ch = challengeFor(await challenge(), "SHA-256");
    const r = await post(device, PATH, BODY, { authorization: digestHeader(ch, "SHA-256", 1, "wrong") });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).not.toContain("stale=true");
  });

  it("accepts preemptive Basic and rejects a wrong Basic password", async () => {
    expect((await post(device, PATH, BODY, { authorization: BASIC })).status).toBe(200);
    const bad = `Basic ${Buffer.from("root:nope").toString("base64")}`;
    expect((await post(device, PATH, BODY, { authorization: bad })).status).toBe(401);
  });

  it("requires credentials on every path, then answers 404 for unknown paths and 405 for GET", async () => {
    expect((await post(device, "/axis-cgi/nothing", "", {})).status).toBe(401);
    expect((await post(device, "/axis-cgi/nothing", "", { authorization: BASIC })).status).toBe(404);
    const get = await fetch(`${device.url}/vapix/pacs`, { headers: { authorization: BASIC } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

/** Python's standard library, when the machine has it (CI machines may have only Node). */
const PYTHON = ["python3", "python"].find((cmd) => spawnSync(cmd, ["--version"], { encoding: "utf8" }).status === 0);

describe("HTTP Digest by default: MD5 alone, as ONVIF Core recommends", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice();
  });
  afterAll(() => device.close());

  it("challenges MD5 only, and refuses a SHA-256 response it did not offer", async () => {
    const first = await post(device, PATH, BODY, {});
    const header = first.headers.get("www-authenticate")!;
    expect(header.match(/Digest /g)).toHaveLength(1);
    const ch = challengeFor(header, "MD5");
    expect((await post(device, PATH, BODY, { authorization: digestHeader(ch, "MD5", 1) })).status).toBe(200);
    const sha = await post(device, PATH, BODY, { authorization: digestHeader(ch, "SHA-256", 2) });
    expect(sha.status).toBe(401);
    expect(sha.text).toContain("algorithm SHA-256 is not offered (offered: MD5)");
  });

  (PYTHON === undefined ? it.skip : it)("lets Python's urllib (which reads only the first challenge) log in", async () => {
    const script = [
      "import sys, urllib.request",
      "url = sys.argv[1]",
      "mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()",
      "mgr.add_password(None, url, 'root', 'pass')",
      "opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr))",
      "req = urllib.request.Request(url, data=sys.argv[2].encode(), headers={'Content-Type': 'application/json'})",
      "print(opener.open(req, timeout=10).read().decode())",
    ].join("\n");
    // Asynchronous: the device answers from this very process.
    const run = (): Promise<{ status: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        execFile(PYTHON!, ["-c", script, `${device.url}${PATH}`, BODY], { encoding: "utf8", timeout: 20_000 }, (err, stdout, stderr) =>
          resolve({ status: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
        );
      });
    const r = await run();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("AccessController");
  });
});

if (PYTHON === undefined) process.stdout.write("HTTP auth: the Python urllib login test is skipped: no python3 on this machine\n");
