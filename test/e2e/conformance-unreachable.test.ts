import { describe, expect, it } from "@jest/globals";
import { createServer, type Socket } from "node:net";
import { rm } from "node:fs/promises";
import { runCommand } from "../../conformance/cli.js";
import { startTestDevice, tempDir } from "./helpers.js";

/** A localhost port nothing listens on: bind port 0, note it, close it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await tempDir();
  const out = { stdout: "", stderr: "" };
  try {
    const code = await runCommand([...argv, "--report-dir", dir], {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    });
    return { code, ...out };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("run: device unreachable or credentials rejected", () => {
  it("exits 2 with one line when nothing listens at --device", async () => {
    const port = await freePort();
    const r = await run(["--device", `http://127.0.0.1:${port}/`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`cannot reach http://127.0.0.1:${port}/`);
    expect(r.stderr).toContain("check --device");
    expect(r.stdout).toBe("");
  });

  it("exits 2 with one line when the password is wrong", async () => {
    const device = await startTestDevice();
    try {
      const r = await run(["--device", device.url, "--password", "not-the-password"]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("check --user/--password");
      expect(r.stdout).toBe("");
    } finally {
      await device.close();
    }
  });

  it("exits 2 with one line when the device accepts connections but never answers (no hang)", async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await run(["--device", `http://127.0.0.1:${port}/`, "--timeout", "300"]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`http://127.0.0.1:${port}/ did not answer GetServiceCapabilities in time`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
