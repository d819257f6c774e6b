import { describe, expect, it } from "@jest/globals";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configArgs, listCommand, parseRunArgs, runCommand } from "../../conformance/cli.js";

describe("run --config (and pacs-conformance.config.json)", () => {
  it("turns the config into defaults that flags override, with paths relative to the config file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pcx-config-"));
    await writeFile(join(dir, "pacs-conformance.config.json"), JSON.stringify({ device: "http://192.0.2.10/", user: "admin", timeoutMs: 2500, doors: ["front", "back"], expect: "known.yaml", strict: true, reporters: ["dot", "junit"] }));
    const { argv } = await configArgs(["--timeout", "4000"], dir);
    const args = parseRunArgs(argv, {});
    expect(args).toMatchObject({ device: "http://192.0.2.10/", user: "admin", timeoutMs: 4000, doors: ["front", "back"], expect: join(dir, "known.yaml"), strict: true, reporters: ["dot", "junit"] });
    const explicit = await configArgs(["--config", join(dir, "pacs-conformance.config.json"), "--user", "other"], "/");
    expect(parseRunArgs(explicit.argv, {}).user).toBe("other");
  });

  it.each([
    [{ device: "http://192.0.2.10/", pasword: "x" }, /key "pasword" is not a setting/],
    [{ timeoutMs: "soon" }, /key "timeoutMs" must be integer/],
    [{ transport: "http" }, /key "transport" must be equal to one of the allowed values/],
  ])("refuses %j naming the key", async (config, message) => {
    const dir = await mkdtemp(join(tmpdir(), "pcx-config-"));
    const file = join(dir, "c.json");
    await writeFile(file, JSON.stringify(config));
    await expect(configArgs(["--config", file], dir)).rejects.toThrow(message);
  });
});

describe("list --json", () => {
  it("prints the catalogue as one JSON document: id, title, service, rule, spec refs, transports, quirk", async () => {
    const { out, io: cio } = io();
    expect(await listCommand(["--json", "--grep", "aconn.network"], cio)).toBe(0);
    const doc = JSON.parse(out.stdout) as { checks: { id: string; service: string; quirk: string; specRefs: string[]; transports: unknown }[] };
    expect(doc.checks.length).toBeGreaterThan(5);
    for (const c of doc.checks) {
      expect(c.id).toMatch(/^aconn\.network\./);
      expect(c.service).toBe("Connection");
      expect(c.quirk).not.toBe("");
      expect(c.specRefs.length).toBeGreaterThan(0);
    }
  });
});

describe("run: the password may come from PACS_PASSWORD", () => {
  it("uses PACS_PASSWORD when --password is not given, and --password over it", () => {
    expect(parseRunArgs([], { PACS_PASSWORD: "s3cret" }).password).toBe("s3cret");
    expect(parseRunArgs(["--password", "given"], { PACS_PASSWORD: "s3cret" }).password).toBe("given");
    expect(parseRunArgs([], {}).password).toBe("pass");
  });
});

function io() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } },
  };
}

describe("run: usage errors exit 2 and name the flag", () => {
  const cases: [string[], RegExp][] = [
    [["--timeout", "soon"], /--timeout "soon" must be a positive whole number/],
    [["--timeout", "0"], /--timeout/],
    [["--timeout"], /--timeout needs a value/],
    [["--event-wait", "5s"], /--event-wait "5s" must be a positive whole number, for example --event-wait 5000/],
    [["--transport", "http"], /--transport "http" must be soap, json or both/],
    [["--seed", "-3"], /--seed/],
    [["--device", "192.168.0.90"], /--device "192.168.0.90" is not an http\(s\) URL/],
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["--grep", ""], /--grep needs a non-empty TEXT/],
    [["stray"], /unexpected argument "stray"/],
    [["--user", "a", "--user", "b"], /--user given twice/],
    [["--device", "http://127.0.0.1:9/vapix/services"], /--device .* must be the device origin only/],
    [["--device", "http://root:pass@127.0.0.1:9/"], /--device must not contain a user or password/],
    [["--grep", "no-such-check-zzzz"], /no check matches --grep "no-such-check-zzzz"/],
    [["--door", "front"], /--door names doors of a device given with --device/],
    [["--device", "http://10.0.0.5", "--door", " "], /--door needs a door token/],
    [["--io", "Port 3"], /--io names I\/Os of a device given with --device/],
    [["--device", "http://10.0.0.5", "--io", ""], /--io needs the IoName of a free I\/O/],
    [["--interactive=yes"], /--interactive takes no value/],
    [["--fail-on", "some"], /--fail-on "some" must be any or new/],
    [["--fail-on", "new"], /--fail-on new judges new failures against a baseline; give --baseline/],
    [["--strict-expect"], /--strict-expect judges an --expect list; give --expect FILE/],
    [["--expect", "/no/such/file.yaml"], /--expect \/no\/such\/file.yaml: cannot read it \(ENOENT\)/],
    [["--baseline", "/no/such/results.json"], /--baseline \/no\/such\/results.json: cannot read it/],
    [["--site", "1"], /--site 1 must be 2 to 33 controllers/],
    [["--site", "3", "--device", "http://10.0.0.5"], /--site starts its own controllers/],
    [["--peer", "http://10.0.0.6"], /--peer names other controllers of the network of --device/],
    [["--device", "http://10.0.0.5", "--peer", "10.0.0.6"], /--peer "10.0.0.6" is not an http\(s\) URL/],
  ];
  for (const [argv, pattern] of cases) {
    it(`${argv.join(" ") || "(none)"}`, async () => {
      const { out, io: cio } = io();
      expect(await runCommand(argv, cio)).toBe(2);
      expect(out.stderr).toMatch(pattern);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
    });
  }
});

describe("run: argument parsing", () => {
  it("applies the documented defaults", () => {
    expect(parseRunArgs([])).toMatchObject({ user: "root", password: "pass", transports: ["soap", "json"], reportDir: "reports/latest", timeoutMs: 10000 });
  });

  it("takes --door more than once, and --interactive", () => {
    expect(parseRunArgs(["--device", "http://10.0.0.5", "--door", "front", "--door=back", "--interactive"])).toMatchObject({ doors: ["front", "back"], interactive: true });
    expect(parseRunArgs([])).toMatchObject({ doors: [], ios: [], interactive: false });
    expect(parseRunArgs(["--device", "http://10.0.0.5", "--io", "Port 3", "--io=Port 4"])).toMatchObject({ ios: ["Port 3", "Port 4"] });
  });

  it("accepts --flag value and --flag=value", () => {
    expect(parseRunArgs(["--transport=json", "--seed", "42", "--grep", "paging", "--device", "http://10.0.0.5"])).toMatchObject({
      transports: ["json"],
      seed: 42,
      grep: "paging",
      device: "http://10.0.0.5/",
    });
  });

  it("prints help with exit 0", async () => {
    const { out, io: cio } = io();
    expect(await runCommand(["--help"], cio)).toBe(0);
    expect(out.stdout).toContain("--report-dir DIR");
  });
});

describe("list", () => {
  it("prints id, title and spec references of the selected checks", async () => {
    const { out, io: cio } = io();
    expect(await listCommand(["--grep", "paging.credential-info-list.limit-one"], cio)).toBe(0);
    expect(out.stdout).toContain("pacsaxis.paging.credential-info-list.limit-one");
    expect(out.stdout).toContain("spec: access-control-service.md#retrieving-system-configuration");
    expect(out.stdout).toContain("CREDENTIAL-2-1-2");
    expect(out.stdout).toContain("1 check(s)");
  });

  it("rejects unknown options with exit 2", async () => {
    const { out, io: cio } = io();
    expect(await listCommand(["--device", "x"], cio)).toBe(2);
    expect(out.stderr).toContain('unknown option "--device"');
  });
});
