import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { X509Certificate } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { operations as tac } from "../../generated/tac/descriptors.js";
import { operations as tds } from "../../generated/tds/descriptors.js";
import { deviceCommand, startDevice } from "../../src/device/server.js";
import { selfSignedCertificate } from "../../src/device/tls.js";
import { createJsonBinding, createSoapBinding } from "../../src/transport/index.js";
import { captureOutput } from "./helpers.js";

const io = captureOutput();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** Starts `pacs-conformance device` with argv; resolves its two URLs once both "listening on" lines are io.out. */
async function startCommand(argv: string[]): Promise<{ http: string; https: string; done: Promise<number> }> {
  const done = deviceCommand(argv);
  for (let i = 0; i < 500 && io.out.split("\n").length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\nlistening on (https:\/\/127\.0\.0\.1:\d+)\n$/.exec(io.out);
  if (m === null) throw new Error(`unexpected output: ${JSON.stringify(io.out)} (stderr ${JSON.stringify(io.err)})`);
  return { http: m[1]!, https: m[2]!, done };
}

/** The certificate the server at `httpsUrl` presents (read without verifying it). */
function servedCertificate(httpsUrl: string): Promise<X509Certificate> {
  const { hostname, port } = new URL(httpsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert === undefined) reject(new Error("no certificate"));
      else resolve(cert);
    });
    socket.on("error", reject);
  });
}

/** GetServiceCapabilities over SOAP and JSON with Digest (auth "digest": no Basic fallback). */
async function capabilities(baseUrl: string, ca?: string): Promise<unknown[]> {
  const options = { baseUrl, user: "root", password: "pass", auth: "digest" as const, ...(ca === undefined ? {} : { ca }) };
  const soap = createSoapBinding(options);
  const json = createJsonBinding(options);
  try {
    return [await soap.call(tac.GetServiceCapabilities, {}), await json.call(tac.GetServiceCapabilities, {})];
  } finally {
    await soap.close();
    await json.close();
  }
}

describe("pacs-conformance device --tls", () => {
  it("serves HTTPS beside HTTP with a self-signed certificate for 127.0.0.1 and localhost: both answer the same GetServiceCapabilities with Digest", async () => {
    const { http, https, done } = await startCommand(["--tls"]);
    const cert = await servedCertificate(https);
    expect(cert.subject).toBe("CN=127.0.0.1");
    expect(cert.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost");
    expect(cert.publicKey.asymmetricKeyType).toBe("rsa");
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    const overHttp = await capabilities(http);
    expect(overHttp[0]).toHaveProperty("Capabilities");
    expect(await capabilities(https, cert.toString())).toEqual(overHttp);
    expect(await capabilities(https.replace("127.0.0.1", "localhost"), cert.toString())).toEqual(overHttp);
    // Not trusted without the certificate: the transport's typed error, with Node's code.
    await expect(capabilities(https)).rejects.toMatchObject({ code: "CONNECTION_FAILED", certificate: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } });

    process.emit("SIGINT");
    expect(await done).toBe(0);
    // Both listeners are closed.
    for (const url of [http, https]) await expect(fetch(url)).rejects.toThrow();
  });

  it("serves the --cert/--key files given, on --tls-port", async () => {
    const pair = await selfSignedCertificate();
    const dir = await mkdtemp(join(tmpdir(), "pcx-tls-"));
    await writeFile(join(dir, "device.crt"), pair.cert);
    await writeFile(join(dir, "device.key"), pair.key);
    const probe = await startDevice({ tls: {} });
    const free = Number(new URL(probe.httpsUrl!).port);
    await probe.close();

    const { https, done } = await startCommand(["--tls", "--tls-port", String(free), "--cert", join(dir, "device.crt"), "--key", join(dir, "device.key")]);
    expect(Number(new URL(https).port)).toBe(free);
    expect((await servedCertificate(https)).fingerprint256).toBe(new X509Certificate(pair.cert).fingerprint256);
    expect((await capabilities(https, pair.cert))[0]).toHaveProperty("Capabilities");
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });

  describe("bad certificate and key files: one usage line naming the flag, exit 2", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "pcx-tls-"));
      const [a, b] = [await selfSignedCertificate(), await selfSignedCertificate()];
      await writeFile(join(dir, "a.crt"), a.cert);
      await writeFile(join(dir, "a.key"), a.key);
      await writeFile(join(dir, "b.key"), b.key);
      await writeFile(join(dir, "junk.pem"), "not a certificate\n");
    });

    it.each([
      [["--cert", "missing.crt", "--key", "a.key"], /^--cert \S+missing\.crt: cannot read it \(ENOENT\)$/],
      [["--cert", "junk.pem", "--key", "a.key"], /^--cert \S+junk\.pem: not a PEM certificate \(.+\)$/],
      [["--cert", "a.crt", "--key", "junk.pem"], /^--key \S+junk\.pem: not a PEM private key \(.+\)$/],
      [["--cert", "a.crt", "--key", "b.key"], /^--key \S+b\.key: is not the private key of the certificate in --cert \S+a\.crt$/],
      [["--cert", "a.crt"], /^--cert needs --key FILE too/],
      [["--key", "a.key"], /^--key needs --cert FILE too/],
    ])("--tls %j", async (flags, message) => {
      const argv = ["--tls", ...flags.map((f, i) => (i % 2 === 1 ? join(dir, f) : f))];
      expect(await deviceCommand(argv)).toBe(2);
      expect(io.out).toBe("");
      const lines = io.err.split("\n").filter((l) => l !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]!.replace(/^pacs-conformance device: /, "")).toMatch(message);
    });

    it.each([["--tls-port", "8443"], ["--cert", "a.crt"]])("%s without --tls asks for --tls", async (flag, value) => {
      expect(await deviceCommand([flag, value])).toBe(2);
      expect(io.err).toBe(`pacs-conformance device: ${flag} configures HTTPS, which only --tls turns on; add --tls\n`);
    });

    it("site reads --cert/--key the same way, naming the site command", async () => {
      const { siteCommand } = await import("../../src/device/server.js");
      expect(await siteCommand(["--controllers", "2", "--tls", "--cert", join(dir, "missing.crt"), "--key", join(dir, "a.key")])).toBe(2);
      expect(io.err).toMatch(/^pacs-conformance site: --cert \S+missing\.crt: cannot read it \(ENOENT\)\n$/);
    });

    it("site --tls-port leaves room for every controller", async () => {
      const { siteCommand } = await import("../../src/device/server.js");
      expect(await siteCommand(["--controllers", "3", "--tls", "--tls-port", "65534"])).toBe(2);
      expect(io.err).toMatch(/--tls-port 65534 leaves no room for 3 consecutive ports; choose a lower --tls-port/);
    });
  });
});

describe("pacs-conformance site --tls", () => {
  it("every controller serves HTTPS too, with one certificate; the site still joins over HTTP", async () => {
    const { siteCommand } = await import("../../src/device/server.js");
    const done = siteCommand(["--controllers", "2", "--tls"]);
    for (let i = 0; i < 3000 && io.out.split("\n").length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+) \((\w+)\)\nlistening on (http:\/\/127\.0\.0\.1:\d+) \((\w+)\)\nlistening on (https:\/\/127\.0\.0\.1:\d+) \(\2\)\nlistening on (https:\/\/127\.0\.0\.1:\d+) \(\4\)\n$/.exec(io.out);
    if (m === null) throw new Error(`unexpected output: ${JSON.stringify(io.out)} (stderr ${JSON.stringify(io.err)})`);
    const [, http1, , , , https1, https2] = m;
    const [c1, c2] = [await servedCertificate(https1!), await servedCertificate(https2!)];
    expect(c1.fingerprint256).toBe(c2.fingerprint256);
    expect(await capabilities(https2!, c1.toString())).toEqual(await capabilities(http1!));
    // The second controller is in the first one's network (joined over the HTTP peer protocol).
    const soap = createSoapBinding({ baseUrl: https1!, user: "root", password: "pass", ca: c1.toString() });
    try {
      const { operations: aconn } = await import("../../generated/aconn/descriptors.js");
      const peers = ((await soap.call(aconn.GetPeerList, {})) as { Peer?: { TrustState: string }[] }).Peer ?? [];
      expect(peers.map((p) => p.TrustState)).toContain("InPeerNetwork");
    } finally {
      await soap.close();
    }
    process.emit("SIGINT");
    expect(await done).toBe(0);
  });
});

describe("startDevice({ tls })", () => {
  it("exposes httpsUrl and the certificate; addresses handed out over HTTPS are https://", async () => {
    const device = await startDevice({ tls: {} });
    closers.push(() => device.close());
    expect(device.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(device.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(new X509Certificate(device.tlsCertificate!).subject).toBe("CN=127.0.0.1");
    const soap = createSoapBinding({ baseUrl: device.httpsUrl!, user: "root", password: "pass", ca: device.tlsCertificate! });
    closers.push(() => soap.close());
    const services = (await soap.call(tds.GetServices, { IncludeCapability: false })) as { Service: { XAddr: string }[] };
    expect(services.Service.length).toBeGreaterThan(1);
    for (const s of services.Service) expect(s.XAddr.startsWith(`${device.httpsUrl}/`)).toBe(true);
    // The device service says it speaks TLS 1.2 (and not the old versions).
    const caps = (await soap.call(tds.GetServiceCapabilities, {})) as { Capabilities: { Security: Record<string, unknown> } };
    expect([caps.Capabilities.Security["TLS1.0"], caps.Capabilities.Security["TLS1.1"], caps.Capabilities.Security["TLS1.2"]]).toEqual([false, false, true]);
  });

  it("without tls serves HTTP only", async () => {
    const device = await startDevice();
    closers.push(() => device.close());
    expect(device.httpsUrl).toBeUndefined();
    expect(device.tlsCertificate).toBeUndefined();
  });

  it("refuses a key that is not the certificate's, naming tls.key", async () => {
    const [a, b] = [await selfSignedCertificate(), await selfSignedCertificate()];
    await expect(startDevice({ tls: { cert: a.cert, key: b.key } })).rejects.toMatchObject({ code: "DEVICE_CONFIG", message: "tls.key: is not the private key of the certificate" });
    await expect(startDevice({ tls: { cert: a.cert } })).rejects.toMatchObject({ code: "DEVICE_CONFIG" });
  });
});
