import { afterEach, describe, expect, it } from "@jest/globals";
import type { Exchange } from "../../src/runtime/binding.js";
import type { AuthError } from "../../src/runtime/errors.js";
import { parseChallenges } from "../../src/transport/digest-auth.js";
import { createSoapBinding, type BindingOptions } from "../../src/transport/index.js";
import { GetAccessPointListOp, PACS } from "../runtime/descriptors.fixture.js";
import { digestParams, digestValid, send, soapResponse, startServer, type TestServer } from "./server.fixture.js";

const USER = "root";
const PASSWORD = "pass";
const OK_BODY = soapResponse(`<pacsaxis:GetAccessPointListResponse xmlns:pacsaxis="${PACS}"><pacsaxis:NextStartReference>n</pacsaxis:NextStartReference></pacsaxis:GetAccessPointListResponse>`);

let server: TestServer | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await server?.close();
  server = undefined;
});

interface DigestDevice {
  /** WWW-Authenticate value for a nonce (and stale flag). */
  challenge(nonce: string, stale: boolean): string;
  password?: string;
  /** Invalidate the current nonce after this many successful requests. */
  nonceLifetime?: number;
}

async function digestDevice(opts: DigestDevice): Promise<TestServer> {
  let nonce = "nonce-1";
  let served = 0;
  let generation = 1;
  return startServer((req, res) => {
    const auth = req.headers.authorization;
    const p = digestParams(auth);
    if (auth === undefined || !auth.startsWith("Digest ")) {
      send(res, 401, "text/plain", "auth", { "www-authenticate": opts.challenge(nonce, false) });
      return;
    }
    if (p.nonce !== nonce) {
      // A nonce we issued earlier: stale, not wrong credentials.
      send(res, 401, "text/plain", "stale", { "www-authenticate": opts.challenge(nonce, true) });
      return;
    }
    if (!digestValid(auth, req.method, USER, opts.password ?? PASSWORD, nonce)) {
      send(res, 401, "text/plain", "denied", { "www-authenticate": opts.challenge(nonce, false) });
      return;
    }
    served++;
    if (opts.nonceLifetime !== undefined && served % opts.nonceLifetime === 0) nonce = `nonce-${++generation}`;
    send(res, 200, "application/soap+xml", OK_BODY);
  });
}

const md5Challenge = (nonce: string, stale: boolean): string => `Digest realm="AXIS_ACCC8E000001", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ", stale=true" : ""}`;

function binding(url: string, extra: Partial<BindingOptions> = {}) {
  const b = createSoapBinding({ baseUrl: url, user: USER, password: PASSWORD, ...extra });
  closers.push(() => b.close());
  return b;
}

describe("parseChallenges", () => {
  it("splits several challenges and keeps quoted commas", () => {
    const got = parseChallenges(`Digest realm="AXIS, door", qop="auth,auth-int", nonce="a\\"b", algorithm=SHA-256, Digest realm="x", nonce="n2", algorithm=MD5, Basic realm="AXIS, basic"`);
    expect(got.map((c) => c.scheme)).toEqual(["Digest", "Digest", "Basic"]);
    expect(got[0].params).toEqual({ realm: "AXIS, door", qop: "auth,auth-int", nonce: 'a"b', algorithm: "SHA-256" });
    expect(got[1].params.algorithm).toBe("MD5");
    expect(got[2].params.realm).toBe("AXIS, basic");
  });

  it("reads token68 challenges and ignores junk", () => {
    expect(parseChallenges("Negotiate abc123==, Basic realm=r")).toEqual([
      { scheme: "Negotiate", params: {}, token68: "abc123==" },
      { scheme: "Basic", params: { realm: "r" } },
    ]);
    expect(parseChallenges("")).toEqual([]);
  });
});

describe("Digest auth", () => {
  it("401 → challenge → 200 with MD5", async () => {
    server = await digestDevice({ challenge: md5Challenge });
    const value = await binding(server.url).call(GetAccessPointListOp, {});
    expect(value).toEqual({ NextStartReference: "n" });
    expect(server.requests.map((r) => r.headers.authorization === undefined)).toEqual([true, false]);
    expect(digestParams(server.requests[1].headers.authorization)).toMatchObject({ algorithm: "MD5", qop: "auth", nc: "00000001", uri: "/vapix/services" });
  });

  it("prefers SHA-256 when the device offers it next to MD5", async () => {
    server = await digestDevice({
      challenge: (n, stale) => `Digest realm="AXIS, door", nonce="${n}", qop="auth", algorithm=MD5, Digest realm="AXIS, door", nonce="${n}", qop="auth", algorithm=SHA-256${stale ? ", stale=true" : ""}`,
    });
    await binding(server.url).call(GetAccessPointListOp, {});
    expect(digestParams(server.requests[1].headers.authorization)).toMatchObject({ algorithm: "SHA-256", realm: "AXIS, door" });
  });

  it("reuses the nonce with a rising nc: no 401 on later calls", async () => {
    server = await digestDevice({ challenge: md5Challenge });
    const b = binding(server.url);
    await b.call(GetAccessPointListOp, {});
    await b.call(GetAccessPointListOp, {});
    await b.call(GetAccessPointListOp, {});
    expect(server.requests).toHaveLength(4);
    expect(server.requests.map((r) => digestParams(r.headers.authorization).nc)).toEqual([undefined, "00000001", "00000002", "00000003"]);
    const cnonces = server.requests.slice(1).map((r) => digestParams(r.headers.authorization).cnonce);
    expect(new Set(cnonces).size).toBe(3);
  });

  it("retries once with the new nonce when the device says stale=true", async () => {
    server = await digestDevice({ challenge: md5Challenge, nonceLifetime: 1 });
    const b = binding(server.url);
    await b.call(GetAccessPointListOp, {});
    const exchanges: Exchange[] = [];
    await expect(b.call(GetAccessPointListOp, {}, { onExchange: (e) => exchanges.push(e) })).resolves.toEqual({ NextStartReference: "n" });
    expect(exchanges.map((e) => e.response?.status)).toEqual([401, 200]);
    expect(digestParams(server.requests[3].headers.authorization)).toMatchObject({ nonce: "nonce-2", nc: "00000001" });
  });

  it.each([
    ["MD5-sess", (n: string, st: boolean) => `Digest realm="r", nonce="${n}", qop="auth", algorithm=MD5-sess${st ? ", stale=true" : ""}`],
    ["SHA-256 only", (n: string, st: boolean) => `Digest realm="r", nonce="${n}", qop="auth", algorithm=SHA-256${st ? ", stale=true" : ""}`],
    ["no qop (RFC 2069)", (n: string, st: boolean) => `Digest realm="r", nonce="${n}"${st ? ", stale=true" : ""}`],
  ])("computes a response the device accepts: %s", async (_name, challenge) => {
    server = await digestDevice({ challenge });
    await expect(binding(server.url).call(GetAccessPointListOp, {})).resolves.toEqual({ NextStartReference: "n" });
    expect(server.requests.map((r) => r.headers.authorization === undefined)).toEqual([true, false]);
  });

  it("wrong password → AuthError naming the realm", async () => {
    server = await digestDevice({ challenge: md5Challenge, password: "other" });
    const err = (await binding(server.url).call(GetAccessPointListOp, {}).catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe("AUTH_FAILED");
    expect(err.message).toContain('realm "AXIS_ACCC8E000001"');
    expect(server.requests).toHaveLength(2);
  });

  it("mode digest refuses a Basic-only device", async () => {
    server = await startServer((_req, res) => send(res, 401, "text/plain", "", { "www-authenticate": 'Basic realm="b"' }));
    const err = (await binding(server.url, { auth: "digest" }).call(GetAccessPointListOp, {}).catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe("AUTH_FAILED");
    expect(err.message).toContain("Basic");
  });

  it("without a user a 401 is an AuthError", async () => {
    server = await digestDevice({ challenge: md5Challenge });
    const b = createSoapBinding({ baseUrl: server.url });
    closers.push(() => b.close());
    await expect(b.call(GetAccessPointListOp, {})).rejects.toMatchObject({ code: "AUTH_FAILED" });
  });
});

describe("Basic auth and redaction", () => {
  const expectedBasic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;

  it("mode basic sends credentials preemptively", async () => {
    server = await startServer((req, res) =>
      req.headers.authorization === expectedBasic ? send(res, 200, "application/soap+xml", OK_BODY) : send(res, 401, "text/plain", "", { "www-authenticate": 'Basic realm="b"' }),
    );
    await binding(server.url, { auth: "basic" }).call(GetAccessPointListOp, {});
    expect(server.requests).toHaveLength(1);
  });

  it("mode auto follows a Basic challenge and then stays preemptive", async () => {
    server = await startServer((req, res) =>
      req.headers.authorization === expectedBasic ? send(res, 200, "application/soap+xml", OK_BODY) : send(res, 401, "text/plain", "", { "www-authenticate": 'Basic realm="b"' }),
    );
    const b = binding(server.url);
    await b.call(GetAccessPointListOp, {});
    await b.call(GetAccessPointListOp, {});
    expect(server.requests.map((r) => r.headers.authorization ?? "none")).toEqual(["none", expectedBasic, expectedBasic]);
  });

  it("onExchange sees every exchange, 401 round included, with credentials redacted", async () => {
    server = await digestDevice({ challenge: md5Challenge });
    const bindingLevel: Exchange[] = [];
    const perCall: Exchange[] = [];
    const b = binding(server.url, { onExchange: (e) => bindingLevel.push(e) });
    await b.call(GetAccessPointListOp, { Limit: 1 }, { onExchange: (e) => perCall.push(e) });
    expect(perCall).toEqual(bindingLevel);
    expect(bindingLevel.map((e) => e.response?.status)).toEqual([401, 200]);
    const [first, second] = bindingLevel;
    expect(first).toMatchObject({ operation: "pacsaxis:GetAccessPointList", protocol: "soap", request: { method: "POST", url: `${server.url}/vapix/services` } });
    expect(first.request.body).toContain("<pacsaxis:Limit>1</pacsaxis:Limit>");
    expect(first.response?.headers["www-authenticate"]).toContain('realm="AXIS_ACCC8E000001"');
    const auth = second.request.headers.authorization;
    const realResponse = digestParams(server.requests[1].headers.authorization).response;
    expect(auth).toContain('username="root"');
    expect(auth).toContain('response="<redacted>"');
    expect(auth).not.toContain(realResponse);
    expect(second.durationMs).toBeGreaterThanOrEqual(0);

    server.requests.length = 0;
    const basicSeen: Exchange[] = [];
    await binding(server.url, { auth: "basic", onExchange: (e) => basicSeen.push(e) }).call(GetAccessPointListOp, {}).catch(() => undefined);
    expect(basicSeen[0].request.headers.authorization).toBe("Basic <redacted>");
    expect(JSON.stringify(basicSeen)).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString("base64"));
  });
});
