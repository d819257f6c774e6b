/**
 * `--state DIR` (persistence.ts): a device keeps its configuration across restarts and crashes,
 * refuses another device's state and a newer schema, migrates an older one, and without --state
 * writes nothing anywhere.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { migrate, MIGRATIONS, openSqlite, schemaVersion, SCHEMA_VERSION, STATE_FILE, type MigrationStep } from "../../src/device/persistence.js";
import { startDevice, type DeviceOptions, type RunningDevice } from "../../src/device/server.js";
import { siteIdentity, startSite, type RunningSite } from "../../src/device/site.js";
import { BASIC, ok } from "./helpers.js";

const CLOCK = "virtual=2026-01-05T08:00:00Z";
const dirs: string[] = [];
const devices: RunningDevice[] = [];
const sites: RunningSite[] = [];
const children: ChildProcess[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pacs-state-"));
  dirs.push(dir);
  return dir;
}

async function start(options: DeviceOptions): Promise<RunningDevice> {
  const device = await startDevice({ clock: CLOCK, ...options });
  devices.push(device);
  return device;
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all(sites.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  jest.restoreAllMocks();
});

async function pwdgrp(device: RunningDevice, args: Record<string, string>): Promise<{ status: number; text: string }> {
  const r = await fetch(`${device.url}/axis-cgi/pwdgrp.cgi?${new URLSearchParams(args).toString()}`, { headers: { authorization: BASIC } });
  return { status: r.status, text: await r.text() };
}

/** Starts `pacs-conformance device` as a child process; resolves its base URL from the "listening on" line. */
function spawnDevice(args: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "src/cli.ts"), "device", "--port", "0", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("exit", (code) => reject(new Error(`device exited (${code}) before listening: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Polls `probe` until `done` holds or 5 s pass; the last value, for the assertion that follows. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function areaNames(device: RunningDevice): string[] {
  return (device.snapshot().entities["Area"]?.items ?? []).map((a) => (a as { Name: string }).Name);
}

describe("device --state", () => {
  it("brings back items of several types and accounts instead of the factory defaults", async () => {
    const dir = await tempDir();
    const first = await start({ stateDir: dir });
    const area = (name: string): Record<string, unknown> => ({ token: "", Name: name, Description: "", Attribute: [] });
    await ok(first, "pacsaxis:SetArea", { Area: [area("Lobby"), area("Lab")] });
    await ok(first, "axudb:SetUser", { User: [{ token: "user-1", Name: "Freeman, Gordon", Attribute: [] }] });
    await ok(first, "pacsaxis:SetCredential", { Credential: [{ token: "cred-1", Description: "", UserToken: "user-1", Enabled: true, IdData: [{ Name: "Card", Value: "1234" }], Attribute: [], CredentialAccessProfile: [] }] });
    await ok(first, "axsch:RemoveSchedule", { Token: ["standard_weekends"] });
    await ok(first, "tac:RemoveAuthenticationProfile", { Token: ["CardOnly"] });
    expect((await pwdgrp(first, { action: "add", user: "alice", pwd: "Secret-1", grp: "users", sgrp: "operator", comment: "front desk" })).status).toBe(200);
    expect((await pwdgrp(first, { action: "update", user: "alice", comment: "back office" })).status).toBe(200);
    const accounts = (await pwdgrp(first, { action: "get" })).text;
    const before = first.snapshot();
    await first.close();

    const second = await start({ stateDir: dir });
    expect(second.snapshot()).toEqual(before);
    expect((await pwdgrp(second, { action: "get" })).text).toBe(accounts);
    expect(accounts).toContain("alice");
    // Removed factory defaults stay removed; the restored user logs in.
    expect((await ok(second, "axsch:GetScheduleInfo", { Token: ["standard_weekends"] })).ScheduleInfo).toEqual([]);
    expect((await ok(second, "pacsaxis:GetAuthenticationProfileList")).AuthenticationProfile).toHaveLength(3);
    const login = await fetch(`${second.url}/vapix/pacs`, { method: "POST", headers: { authorization: `Basic ${Buffer.from("alice:Secret-1").toString("base64")}` }, body: "{}" });
    expect(login.status).not.toBe(401);
    await second.close();

    // A restart with `populate` keeps the saved device as it is (the populated items would be defaults).
    const third = await start({ stateDir: dir, populate: { credentials: 3 } });
    expect(third.snapshot()).toEqual(before);
  });

  it("brings back its door controller network: the peers, the network, the Lamport clock", async () => {
    const dir = await tempDir();
    const [A, B] = [siteIdentity(0), siteIdentity(1)];
    const common = { peerSecret: "persistence-test", peerHeartbeatMs: 100, backdoor: true };
    const b = await start({ ...common, identity: B });
    const a = await start({ ...common, identity: A, stateDir: dir, peerDirectory: [b.url] });
    await a.invoke("aconn", "AddPeers", { Peer: [{ ID: B.mac, ExpectedAddress: "127.0.0.1" }] });
    const peers = async (d: RunningDevice): Promise<string[]> => ((await d.invoke("aconn", "GetPeerList", {}))["Peer"] as { ID: string; TrustState: string; ConnectionState: string }[]).map((p) => `${p.ID} ${p.TrustState} ${p.ConnectionState}`);
    const clock = async (d: RunningDevice): Promise<number> => ((await (await fetch(`${d.url}/backdoor`, { headers: { authorization: BASIC } })).json()) as { World: { PeerNetwork: { Clock: number } } }).World.PeerNetwork.Clock;
    expect(await eventually(() => peers(a), (p) => p.includes(`${B.mac} InPeerNetwork Connected`))).toContain(`${B.mac} InPeerNetwork Connected`);
    const area = { token: "area-net", Name: "Before", Description: "", Attribute: [] };
    await a.invoke("pacsaxis", "SetArea", { Area: [area] });
    const lamport = await clock(a);
    expect(lamport).toBeGreaterThan(0);
    await a.close();

    // B away (nothing to catch up from) and no discovery: what A knows of its network comes from its state.
    b.stimulate({ Stimulus: "TakeOffline" });
    const again = await start({ ...common, identity: A, stateDir: dir });
    expect(await clock(again)).toBe(lamport);
    expect(await peers(again)).toEqual([`${B.mac} InPeerNetwork Disconnected`]);
    b.stimulate({ Stimulus: "BringOnline" });
    expect(await eventually(() => peers(again), (p) => p.includes(`${B.mac} InPeerNetwork Connected`))).toEqual([`${B.mac} InPeerNetwork Connected`]);
    await again.invoke("pacsaxis", "SetArea", { Area: [{ ...area, Name: "After" }] });
    expect((await b.invoke("pacsaxis", "GetArea", { Token: ["area-net"] }))["Area"]).toEqual([{ ...area, Name: "After" }]);
  });

  it("brings back each service's configuration outside its stores: log filters and distribution, the time zone, the provider's configuration", async () => {
    const dir = await tempDir();
    const first = await start({ stateDir: dir });
    const filters = [
      { KeyValues: [{ Key: "topic0", Value: "Door" }], UUIDs: [] },
      { KeyValues: [{ Key: "topic1" }], UUIDs: [first.identity.uuid] },
    ];
    await ok(first, "axloc:SetIgnoreFilter", { Filter: filters });
    await ok(first, "axloc:SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "topic2", Value: "Forced" }], UUIDs: [] }] });
    await ok(first, "axloc:DisableGlobalDistribution", {});
    await ok(first, "axtpc:SetProviderConfiguration", { ProviderName: "HIDMobileAccess", ProviderActions: [], Configuration: { HIDMobileConfig: { ClientId: "client-1", ClientSecret: "s3cret" } } });
    first.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" });
    const read = async (d: RunningDevice): Promise<unknown[]> => [
      await ok(d, "axloc:GetIgnoreFilterList"),
      await ok(d, "axloc:GetAlarmFilterList"),
      await ok(d, "axloc:GetEventDistributionConfig"),
      await ok(d, "axtpc:GetProviderConfiguration", { ProviderName: "HIDMobileAccess" }),
    ];
    const before = await read(first);
    const snapshot = first.snapshot();
    expect(JSON.stringify(before)).toContain("client-1");
    await first.close();

    const second = await start({ stateDir: dir });
    expect(await read(second)).toEqual(before);
    expect(second.snapshot()).toEqual(snapshot);
    expect(second.snapshot().runtime["Schedule"]).toEqual({ TimeZone: "Europe/Stockholm" });
    // Creation order is kept (the first matching filter wins), and a removal is saved too.
    await ok(second, "axloc:RemoveIgnoreFilter", { Token: [((before[0] as { Filter: { token: string }[] }).Filter[0]!).token] });
    await second.close();
    const third = await start({ stateDir: dir });
    const kept = ((await ok(third, "axloc:GetIgnoreFilterList")).Filter as { token: string }[]).map((f) => f.token);
    expect(kept).toHaveLength(1);
    // The virtual clock starts at the same time again: a new filter still gets a new token, sorting after the kept ones.
    const added = ((await ok(third, "axloc:SetIgnoreFilter", { Filter: [{ KeyValues: [{ Key: "topic0" }], UUIDs: [] }] })).Token as string[])[0]!;
    expect(((await ok(third, "axloc:GetIgnoreFilterList")).Filter as { token: string }[]).map((f) => f.token)).toEqual([...kept, added]);
    expect(added > kept[0]!).toBe(true);
  });

  it("brings back the event and alarm logs, their rowids going on where they stopped", async () => {
    const dir = await tempDir();
    const first = await start({ stateDir: dir });
    const area = (token: string): Record<string, unknown> => ({ token, Name: token, Description: "", Attribute: [] });
    await ok(first, "axloc:SetAlarmFilter", { Filter: [{ KeyValues: [{ Key: "topic1", Value: "Area" }], UUIDs: [] }] });
    await ok(first, "pacsaxis:SetArea", { Area: [area("area-1"), area("area-2"), area("area-3")] });
    type Row = { token: string; rowid: number };
    const fetch = async (d: RunningDevice, op: string, key: string): Promise<Row[]> => ((await ok(d, op, { Limit: 1000 }))[key] ?? []) as Row[];
    const alarms = await fetch(first, "axlog:FetchAlarms", "Alarm");
    expect(alarms).toHaveLength(3);
    // The newest alarm acknowledged: its rowid is never given again.
    await ok(first, "axlog:RemoveLoggedAlarm", { Token: [alarms[2]!.token] });
    const before = { events: await fetch(first, "axlog:FetchEvents", "Event"), alarms: await fetch(first, "axlog:FetchAlarms", "Alarm") };
    expect(before.events.length).toBeGreaterThanOrEqual(6);
    await first.close();

    // The saved rows come first; what the restarted controller logs as it starts (schedule states) follows them.
    const second = await start({ stateDir: dir });
    expect({ events: (await fetch(second, "axlog:FetchEvents", "Event")).slice(0, before.events.length), alarms: await fetch(second, "axlog:FetchAlarms", "Alarm") }).toEqual(before);
    await ok(second, "pacsaxis:SetArea", { Area: [area("area-4")] });
    const events = await fetch(second, "axlog:FetchEvents", "Event");
    const newest = events.at(-1)!;
    expect(newest.rowid).toBeGreaterThan(before.events.at(-1)!.rowid);
    // The virtual clock restarted at the same time: tokens still rise.
    expect(newest.token > before.events.at(-1)!.token).toBe(true);
    expect((await fetch(second, "axlog:FetchAlarms", "Alarm")).map((a) => a.rowid)).toEqual([alarms[0]!.rowid, alarms[1]!.rowid, alarms[2]!.rowid + 1]);
    await second.close();
    const third = await start({ stateDir: dir });
    expect((await fetch(third, "axlog:FetchEvents", "Event")).slice(0, events.length)).toEqual(events);
  });

  it("refuses damaged settings, naming the service", async () => {
    const dir = await tempDir();
    const first = await start({ stateDir: dir });
    first.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" });
    await first.close();
    const db = openSqlite(join(dir, STATE_FILE));
    db.prepare("UPDATE setting SET value_json = '{\"TimeZone\": 7}' WHERE service = 'Schedule'").run();
    db.close();
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject({ code: "DEVICE_STATE", message: expect.stringMatching(/the settings of Schedule cannot be read back \(TimeZone is 7, not a time zone name\); the file is damaged/) });
  });

  it("refuses a damaged log, naming it and the row", async () => {
    const dir = await tempDir();
    const first = await start({ stateDir: dir });
    await ok(first, "pacsaxis:SetArea", { Area: [{ token: "area-1", Name: "A", Description: "", Attribute: [] }] });
    await first.close();
    const db = openSqlite(join(dir, STATE_FILE));
    db.prepare("UPDATE log_row SET value_json = '{\"token\": 1}' WHERE log = 'EventLogger.events'").run();
    db.close();
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject({ code: "DEVICE_STATE", message: expect.stringMatching(/the log EventLogger\.events cannot be read back \(row \d+ is not a logged event with that rowid/) });
  });

  it("a crash (SIGKILL) loses no answered batch and never keeps half of one", async () => {
    const dir = await tempDir();
    const { child, url } = await spawnDevice(["--state", dir]);
    const BATCH = 5;
    const KILL_AFTER = 60;
    const WORKERS = 8;
    const batches: { names: string[]; status: number | "failed" | undefined }[] = [];
    let answered = 0;
    const worker = async (): Promise<void> => {
      for (let stop = false; !stop; ) {
        const n = batches.length;
        const entry: (typeof batches)[number] = { names: Array.from({ length: BATCH }, (_, i) => `batch-${n}-${i}`), status: undefined };
        batches.push(entry);
        const body = JSON.stringify({ "pacsaxis:SetArea": { Area: entry.names.map((Name) => ({ token: "", Name, Description: "", Attribute: [] })) } });
        try {
          const r = await fetch(`${url}/vapix/pacs`, { method: "POST", headers: { authorization: BASIC }, body });
          await r.text();
          entry.status = r.status;
          // The workers keep sending after the kill until the dead device refuses them, so some
          // batches are always unanswered, however fast the device answered the ones in flight.
          if (r.status === 200 && ++answered === KILL_AFTER) child.kill("SIGKILL");
        } catch {
          entry.status = "failed";
          stop = true;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, () => worker()));
    await exited(child);
    expect(child.signalCode).toBe("SIGKILL");
    // Every worker ended on a batch the dead device never answered.
    expect(batches.filter((b) => b.status !== 200).length).toBeGreaterThanOrEqual(WORKERS);

    const restarted = await start({ stateDir: dir, clock: "system" });
    const present = new Set(areaNames(restarted));
    for (const b of batches) {
      const kept = b.names.filter((name) => present.has(name)).length;
      expect({ batch: b.names[0], status: b.status, kept }).toEqual({ batch: b.names[0], status: b.status, kept: b.status === 200 ? BATCH : kept === 0 ? 0 : BATCH });
    }
    // Answers already on their way when the kill came still arrive: at least KILL_AFTER were answered.
    expect(batches.filter((b) => b.status === 200).length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(present.size).toBeGreaterThanOrEqual(KILL_AFTER * BATCH);
  });

  it("refuses the state of a device with another MAC", async () => {
    const dir = await tempDir();
    await (await start({ stateDir: dir })).close();
    await expect(startDevice({ stateDir: dir, identity: { mac: "00408C184C1F", uuid: "5581ad80-95b0-11e0-b883-00408c184c1f" } })).rejects.toMatchObject({
      code: "DEVICE_STATE",
      message: expect.stringMatching(/holds the state of the device with MAC 00408C184BDB .*not of this one \(MAC 00408C184C1F/),
    });
  });

  it("refuses a state written by a newer pacs-conformance", async () => {
    const dir = await tempDir();
    await (await start({ stateDir: dir })).close();
    const db = openSqlite(join(dir, STATE_FILE));
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    db.close();
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject({ code: "DEVICE_STATE", message: expect.stringContaining(`written by a newer pacs-conformance (schema version ${SCHEMA_VERSION + 1}`) });
  });

  it("refuses a directory another running device keeps its state in", async () => {
    const dir = await tempDir();
    await start({ stateDir: dir });
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject({ code: "DEVICE_STATE", message: expect.stringContaining("another running device keeps its state here") });
  });

  it("refuses a damaged item, naming it, and lets go of the directory", async () => {
    const dir = await tempDir();
    await (await start({ stateDir: dir })).close();
    const db = openSqlite(join(dir, STATE_FILE));
    db.prepare("UPDATE item SET full_json = '{broken' WHERE type = 'Schedule' AND token = 'standard_weekends'").run();
    db.close();
    const damaged = { code: "DEVICE_STATE", message: expect.stringContaining('item Schedule "standard_weekends" is not JSON') };
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject(damaged);
    // Not "another running device": the failed start closed the file.
    await expect(startDevice({ stateDir: dir })).rejects.toMatchObject(damaged);
  });

  it("migrates a version-0 database to the current schema", async () => {
    const dir = await tempDir();
    const file = join(dir, STATE_FILE);
    const old = openSqlite(file);
    old.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '0'), ('mac', '00408C184BDB');");
    old.close();
    const device = await start({ stateDir: dir });
    expect(device.snapshot().entities["Door"]?.items).toHaveLength(2);
    await ok(device, "pacsaxis:SetArea", { Area: [{ token: "area-1", Name: "Kept", Description: "", Attribute: [] }] });
    await device.close();
    const db = openSqlite(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT full_json FROM item WHERE type = 'Area' AND token = 'area-1'").get()).toEqual({ full_json: JSON.stringify({ token: "area-1", Name: "Kept", Description: "", Attribute: [] }) });
    db.close();
  });

  it("runs migration steps in order, in one transaction: all of them or none", async () => {
    const dir = await tempDir();
    const db = openSqlite(join(dir, "steps.sqlite"));
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '0'); CREATE TABLE old_area (name TEXT);  INSERT INTO old_area VALUES ('Lobby');");
    const steps: MigrationStep[] = [
      { doc: "0 → 1: areas get tokens", up: (d) => d.exec("CREATE TABLE area (token TEXT, name TEXT); INSERT INTO area SELECT 'area-' || name, name FROM old_area; DROP TABLE old_area;") },
      { doc: "1 → 2: areas get a description", up: (d) => d.exec("ALTER TABLE area ADD COLUMN description TEXT NOT NULL DEFAULT '';") },
    ];
    const failing: MigrationStep[] = [steps[0]!, { doc: "1 → 2: fails", up: () => { throw new Error("disk on fire"); } }];
    expect(() => migrate(db, 0, failing)).toThrow("disk on fire");
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM old_area").all()).toEqual([{ name: "Lobby" }]);
    migrate(db, schemaVersion(db), steps);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare("SELECT token, name, description FROM area").all()).toEqual([{ token: "area-Lobby", name: "Lobby", description: "" }]);
    // The real history starts at version 0 (a new file) and ends at the version this code writes.
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
    db.close();
  });

  it("without --state writes nothing anywhere and never loads SQLite", async () => {
    const cwd = await tempDir();
    const home = join(cwd, "home");
    const script = [
      `import { createRequire } from "node:module";`,
      `import { startDevice } from ${JSON.stringify(join(process.cwd(), "src/device/server.ts"))};`,
      `const d = await startDevice();`,
      `const r = await fetch(d.url + "/vapix/pacs", { method: "POST", headers: { authorization: ${JSON.stringify(BASIC)} }, body: JSON.stringify({ "pacsaxis:SetArea": { Area: [{ token: "", Name: "A" }] } }) });`,
      `await d.close();`,
      `const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("better-sqlite3"));`,
      `console.log(JSON.stringify({ status: r.status, loaded }));`,
    ].join("\n");
    // tsx by path: the child runs in an empty directory, where the package is not found.
    const tsx = pathToFileURL(join(process.cwd(), "node_modules/tsx/dist/loader.mjs")).href;
    const child = spawn(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], { cwd, env: { ...process.env, HOME: home, TMPDIR: home, TSX_DISABLE_CACHE: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
    await exited(child);
    expect({ code: child.exitCode, err }).toEqual({ code: 0, err: "" });
    expect(JSON.parse(out)).toEqual({ status: 200, loaded: [] });
    expect(await readdir(cwd)).toEqual([]);
  });

  it("site --state: a site started again is the same network, with its configuration, on new ports", async () => {
    const dir = await tempDir();
    const options = { controllers: 3, stateDir: dir, peerHeartbeatMs: 100 } as const;
    const first = await startSite(options);
    const [a, b] = first.controllers as [RunningDevice, RunningDevice, RunningDevice];
    await ok(a, "pacsaxis:SetArea", { Area: [{ token: "area-site", Name: "Kept", Description: "", Attribute: [] }] });
    expect((await ok(b, "pacsaxis:GetArea", { Token: ["area-site"] })).Area).toHaveLength(1);
    const ports = first.controllers.map((d) => d.url);
    await first.close();
    expect((await readdir(dir)).sort()).toEqual(["00408C18A000", "00408C18A001", "00408C18A002", "peer-secret"]);

    const again = await startSite(options);
    sites.push(again);
    expect(again.controllers.map((d) => d.url).some((u, i) => u !== ports[i])).toBe(true);
    const [a2, b2, c2] = again.controllers as [RunningDevice, RunningDevice, RunningDevice];
    const members = async (d: RunningDevice): Promise<string[]> => (((await d.invoke("aconn", "GetPeerList", {}))["Peer"] as { ID: string; TrustState: string; ConnectionState: string }[]) ?? []).filter((p) => p.ID !== d.identity.mac).map((p) => `${p.ID} ${p.TrustState} ${p.ConnectionState}`).sort();
    // startSite came back once every controller saw the others in the network and connected, at their new addresses.
    expect(await members(c2)).toEqual([`${a2.identity.mac} InPeerNetwork Connected`, `${b2.identity.mac} InPeerNetwork Connected`]);
    expect((await ok(c2, "pacsaxis:GetArea", { Token: ["area-site"] })).Area).toEqual([{ token: "area-site", Name: "Kept", Description: "", Attribute: [] }]);
    await ok(b2, "pacsaxis:SetArea", { Area: [{ token: "area-site", Name: "Changed after the restart", Description: "", Attribute: [] }] });
    expect(((await ok(a2, "pacsaxis:GetArea", { Token: ["area-site"] })).Area as { Name: string }[])[0]!.Name).toBe("Changed after the restart");
  });

  it("site --state refuses a directory whose peer-secret is not one", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "peer-secret"), "not a secret\n");
    await expect(startSite({ controllers: 2, stateDir: dir })).rejects.toThrow(/peer-secret does not hold a peer secret \(64 hexadecimal digits\)/);
  });
});
