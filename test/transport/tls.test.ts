import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import type { ConnectionError } from "../../src/runtime/errors.js";
import { createHttpTransport, createSoapBinding } from "../../src/transport/index.js";
import { GetAccessPointListOp } from "../runtime/descriptors.fixture.js";

interface Pair {
  readonly cert: string;
  readonly key: string;
}

const DAY = 24 * 60 * 60 * 1000;

/** A certificate for `names` (IP addresses and DNS names), self-signed or signed by `ca`, valid from `from` for `days`. */
async function certificate(names: readonly string[], options: { ca?: Pair; isCa?: boolean; from?: Date; days?: number } = {}): Promise<Pair> {
  const from = options.from ?? new Date(Date.now() - DAY);
  const pems = await generate([{ name: "commonName", value: names[0] ?? "test" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: from,
    notAfterDate: new Date(from.getTime() + (options.days ?? 30) * DAY),
    extensions: [
      options.isCa === true ? { name: "basicConstraints", cA: true } : { name: "basicConstraints", cA: false },
      options.isCa === true ? { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true } : { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "subjectAltName", altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  return { cert: pems.cert, key: pems.private };
}

const servers: Server[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** An HTTPS server on 127.0.0.1:0 answering "ok" to everything. */
async function serve(pair: Pair): Promise<string> {
  const server = createServer({ cert: pair.cert, key: pair.key }, (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function transport(baseUrl: string, tls: { ca?: string | Buffer; insecure?: boolean } = {}) {
  const t = createHttpTransport({ baseUrl, connectTimeoutMs: 2000, ...tls });
  closers.push(() => t.close());
  return t;
}

async function failure(p: Promise<unknown>): Promise<ConnectionError> {
  try {
    await p;
  } catch (err) {
    return err as ConnectionError;
  }
  throw new Error("expected the call to fail");
}

const GET = { method: "GET", path: "/", headers: {}, body: "" } as const;

describe("https:// base URLs", () => {
  let leaf: Pair;
  let ca: Pair;
  let signed: Pair;
  beforeAll(async () => {
    leaf = await certificate(["127.0.0.1", "localhost"]);
    ca = await certificate(["Test CA"], { isCa: true });
    signed = await certificate(["127.0.0.1"], { ca });
  });

  it("trusts a self-signed certificate given as ca, and answers over TLS", async () => {
    const url = await serve(leaf);
    const res = await transport(url, { ca: leaf.cert }).send(GET);
    expect(res.status).toBe(200);
    expect(res.body).toBe("ok");
    const viaBuffer = await transport(url.replace("127.0.0.1", "localhost"), { ca: Buffer.from(leaf.cert) }).send(GET);
    expect(viaBuffer.body).toBe("ok");
  });

  it("trusts a certificate through its issuer given as ca", async () => {
    const url = await serve(signed);
    expect((await transport(url, { ca: ca.cert }).send(GET)).body).toBe("ok");
  });

  it("insecure skips verification", async () => {
    const url = await serve(leaf);
    expect((await transport(url, { insecure: true }).send(GET)).body).toBe("ok");
  });

  it.each([
    ["a self-signed certificate without ca", "self-signed", {}, "DEPTH_ZERO_SELF_SIGNED_CERT", "not trusted"],
    ["another certificate as ca", "self-signed", { other: true }, "DEPTH_ZERO_SELF_SIGNED_CERT", "not trusted"],
    ["a certificate of an unknown issuer", "signed", {}, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "not trusted"],
    ["an expired certificate", "expired", { trusted: true }, "CERT_HAS_EXPIRED", "expired"],
    ["a certificate issued for another host", "other-host", { trusted: true }, "ERR_TLS_CERT_ALTNAME_INVALID", "issued for another host"],
  ] as const)("%s is a ConnectionError naming the certificate problem and Node's code", async (_what, kind, how, code, problem) => {
    const pair =
      kind === "self-signed" ? leaf : kind === "signed" ? signed : kind === "expired" ? await certificate(["127.0.0.1"], { from: new Date(Date.now() - 60 * DAY) }) : await certificate(["device.example"]);
    const url = await serve(pair);
    const ca = "trusted" in how ? pair.cert : "other" in how ? (await certificate(["127.0.0.1"])).cert : undefined;
    const err = await failure(transport(url, ca === undefined ? {} : { ca }).send(GET));
    expect(err.code).toBe("CONNECTION_FAILED");
    expect(err.certificate).toEqual({ code, problem });
    expect(err.message).toContain(`GET ${url}/: cannot connect (certificate ${problem}: ${code}`);
    expect(err.message).toContain("trust its issuer with the ca option, or skip verification with insecure");
  });

  it("an https:// URL to a plain HTTP port fails the handshake, suggesting http://", async () => {
    const plain = createHttpServer((_req, res) => res.end("plain"));
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise((r) => plain.close(() => r())));
    const err = await failure(transport(`https://127.0.0.1:${(plain.address() as AddressInfo).port}`).send(GET));
    expect(err.code).toBe("CONNECTION_FAILED");
    expect(err.certificate).toBeUndefined();
    expect(err.message).toMatch(/TLS handshake failed: ERR_SSL_WRONG_VERSION_NUMBER, is the port plain HTTP\? use http:\/\//);
  });

  it("a binding surfaces the certificate problem as its typed error, and works with ca", async () => {
    const url = await serve(leaf);
    const untrusted = createSoapBinding({ baseUrl: url, user: "root", password: "pass" });
    closers.push(() => untrusted.close());
    const err = await failure(untrusted.call(GetAccessPointListOp, {}));
    expect(err.code).toBe("CONNECTION_FAILED");
    expect(err.certificate?.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    const trusted = createSoapBinding({ baseUrl: url, ca: leaf.cert });
    closers.push(() => trusted.close());
    // The double answers "ok" (not SOAP): reaching it is what this shows.
    expect((await failure(trusted.call(GetAccessPointListOp, {}))).code).toBe("MALFORMED_RESPONSE");
  });
});
