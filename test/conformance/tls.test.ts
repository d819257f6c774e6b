import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../conformance/cli.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";

const QUICK = "pacsaxis.get-access-point.too-many-items";

function io() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
}

describe("pacs-conformance run against an https:// device", () => {
  let device: RunningDevice;
  let dir: string;
  let certFile: string;
  beforeAll(async () => {
    device = await startDevice({ host: "127.0.0.1", port: 0, maxLimit: 10, clock: "virtual=2026-01-05T08:00:00Z", tls: {} });
    dir = await mkdtemp(join(tmpdir(), "pcx-tls-run-"));
    certFile = join(dir, "device.pem");
    await writeFile(certFile, device.tlsCertificate!);
  });
  afterAll(async () => {
    await device.close();
  });

  it("--ca FILE trusts the device's certificate: the run passes", async () => {
    const { out, io: cio } = io();
    const reportDir = await mkdtemp(join(dir, "ca-"));
    expect(await runCommand(["--device", device.httpsUrl!, "--grep", QUICK, "--ca", certFile, "--report-dir", reportDir, "--reporter", "console,json"], cio)).toBe(0);
    expect(out.stdout).toContain(`checks against ${device.httpsUrl}/ over soap+json`);
    expect(out.stdout).not.toContain("TLS verification OFF");
    const results = JSON.parse(await readFile(join(reportDir, "results.json"), "utf8")) as { device: Record<string, unknown>; summary: Record<string, number> };
    expect(results.device).toEqual({ url: `${device.httpsUrl}/` });
    expect(results.summary.passed).toBeGreaterThanOrEqual(3);
  });

  it("without --ca: one line naming the certificate problem and the two ways out, exit 2", async () => {
    const { out, io: cio } = io();
    expect(await runCommand(["--device", device.httpsUrl!, "--grep", QUICK, "--report-dir", join(dir, "none")], cio)).toBe(2);
    expect(out.stderr).toBe(`pacs-conformance run: certificate of ${device.httpsUrl}/ not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); give its CA with --ca FILE, or --insecure to skip verification\n`);
    expect(out.stdout).toBe("");
  });

  it("--insecure: the run passes, and the reports say verification was off", async () => {
    const { out, io: cio } = io();
    const reportDir = await mkdtemp(join(dir, "insecure-"));
    expect(await runCommand(["--device", device.httpsUrl!, "--grep", QUICK, "--insecure", "--report-dir", reportDir, "--reporter", "console,json,html"], cio)).toBe(0);
    expect(out.stdout.split("\n")[0]).toMatch(/ \(TLS verification OFF: --insecure\)$/);
    const text = await readFile(join(reportDir, "results.json"), "utf8");
    const results = JSON.parse(text) as { device: Record<string, unknown> };
    expect(results.device).toEqual({ url: `${device.httpsUrl}/`, insecure: true });
    const mod = (await import("ajv/dist/2020.js")) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } } };
    const schema = JSON.parse(await readFile(new URL("../../schemas/results.schema.json", import.meta.url), "utf8")) as object;
    const validate = new mod.default({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
    expect(validate(results) ? [] : validate.errors).toEqual([]);
    expect(await readFile(join(reportDir, "index.html"), "utf8")).toContain("(TLS verification OFF: --insecure)");
  });

  it("a certificate issued for another host: one line saying so, exit 2", async () => {
    const { generate } = await import("selfsigned");
    const pems = await generate([{ name: "commonName", value: "door.example" }], { keySize: 2048, algorithm: "sha256", extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "door.example" }] }] });
    const other = await startDevice({ tls: { cert: pems.cert, key: pems.private } });
    try {
      const file = join(dir, "door.pem");
      await writeFile(file, pems.cert);
      const { out, io: cio } = io();
      expect(await runCommand(["--device", other.httpsUrl!, "--grep", QUICK, "--ca", file, "--report-dir", join(dir, "other")], cio)).toBe(2);
      expect(out.stderr).toBe(
        `pacs-conformance run: certificate of ${other.httpsUrl}/ issued for another host (ERR_TLS_CERT_ALTNAME_INVALID); give --device the host name or address it was issued for, or --insecure to skip verification\n`,
      );
    } finally {
      await other.close();
    }
  });

  it.each<[string[], string, "https" | "http" | "none"]>([
    [["--insecure", "--ca", "CERT"], "--insecure skips certificate verification, so --ca would not be used", "https"],
    [["--insecure"], "--insecure is for an https:// device", "http"],
    [["--ca", "CERT"], "--ca is for an https:// device", "none"],
    [["--ca", "JUNK"], "--ca JUNK: holds no PEM certificate", "https"],
    [["--ca", "MISSING"], "--ca MISSING: cannot read it (ENOENT)", "https"],
  ])("usage: %j is refused in one line, exit 2", async (flags, message, target) => {
    const junk = join(dir, "junk.pem");
    await writeFile(junk, "not a certificate\n");
    const files: Record<string, string> = { CERT: certFile, JUNK: junk, MISSING: join(dir, "missing.pem") };
    const targetArgs = target === "https" ? ["--device", device.httpsUrl!] : target === "http" ? ["--device", device.url] : [];
    const { out, io: cio } = io();
    expect(await runCommand([...targetArgs, ...flags.map((f) => files[f] ?? f), "--report-dir", join(dir, "usage")], cio)).toBe(2);
    const expected = Object.entries(files).reduce((m, [k, v]) => m.replace(k, v), message);
    expect(out.stderr).toContain(expected);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });
});
