/**
 * `--state DIR`: the device keeps its configuration in SQLite (DIR/device.sqlite, WAL) and takes
 * it back at start. What is kept: every entity store's items (both forms), the administrative
 * accounts other than the fixed administrator, the door controller network's membership and
 * replication state, and each service's configuration outside its stores (DeviceService.settings:
 * the event logger's filters and distribution flag, the time zone, the third-party credential
 * provider's configuration), and the logs services keep row by row (DeviceService.logs: the event
 * and alarm logs, their rowids going on where they stopped). Runtime state (door modes,
 * subscriptions, a provider outage) is not: a controller that restarts starts those afresh.
 *
 * Durability: store writes are observed (DeviceState.onWrite), the accounts and the network are
 * compared with what was saved (their change counters), the settings by their JSON, the logs'
 * rows added and dropped are observed (KeptLog.observe), and everything a request changed is
 * committed in ONE transaction right before its response is written (http.ts calls `commit`), so
 * an answered change survives a crash and a batch is never half saved (synchronous=FULL: not even
 * a power loss undoes an answer). Changes made outside a request (timers of the device clock, the
 * peer heartbeat's catch-up, the invitations AddPeers sends after answering) are committed by a
 * timer within COMMIT_INTERVAL_MS.
 *
 * Schema versions: `meta.schema_version`; a database of an older version is migrated by the steps
 * of MIGRATIONS (one transaction), one written by a newer pacs-conformance is refused, and so is
 * one written for a device of another MAC or UUID. A new file is version 0: the first step makes
 * it version 1.
 *
 * better-sqlite3 is loaded only when a state directory is given: without one the device does
 * not observe anything.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Item } from "./entity.js";
import { peerNetwork, type NetworkRecord, type PeerNetwork } from "./connection/network.js";
import { deviceAccounts, type AccountLevel, type AccountStore } from "./identity/accounts.js";
import { composedServices, type KeptLog } from "./service.js";
import type { DeviceIdentity, DeviceState } from "./state.js";
import { itemKey, type EntityStore } from "./store.js";

/** The schema this code writes. */
export const SCHEMA_VERSION = 2;
export const STATE_FILE = "device.sqlite";
/** How soon a change made outside a request is committed. */
const COMMIT_INTERVAL_MS = 200;
/** How long opening waits for another process's lock before saying the directory is in use. */
const LOCK_WAIT_MS = 1000;

export class DeviceStateError extends Error {
  override readonly name = "DeviceStateError";
  readonly code = "DEVICE_STATE";
}

// ---- the part of better-sqlite3 used here (the package ships no types)

export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  transaction(fn: () => void): () => void;
  close(): void;
}

type SqliteConstructor = new (file: string, options?: { readonly timeout?: number }) => SqliteDatabase;

/** Loads better-sqlite3 (a CommonJS native module) on first use. */
export function openSqlite(file: string, options: { readonly timeout?: number } = {}): SqliteDatabase {
  const Database = createRequire(import.meta.url)("better-sqlite3") as SqliteConstructor;
  return new Database(file, options);
}

// ---- schema versions

/** One step of the schema's history: turns a database of version `index` into version `index + 1`. */
export interface MigrationStep {
  readonly doc: string;
  up(db: SqliteDatabase): void;
}

export const MIGRATIONS: readonly MigrationStep[] = [
  {
    doc: "0 → 1: the first layout (a new file is version 0)",
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS item (type TEXT NOT NULL, token TEXT NOT NULL, full_json TEXT NOT NULL, info_json TEXT, PRIMARY KEY (type, token)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS account (name TEXT PRIMARY KEY, password TEXT NOT NULL, level TEXT NOT NULL, comment TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS network (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
      `);
    },
  },
  {
    doc: "1 → 2: each service's configuration outside its stores (DeviceService.settings), by service name; the logs services keep (DeviceService.logs), row by row",
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS setting (service TEXT PRIMARY KEY, value_json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS log_row (log TEXT NOT NULL, row INTEGER NOT NULL, value_json TEXT NOT NULL, PRIMARY KEY (log, row)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log_state (log TEXT PRIMARY KEY, next_row INTEGER NOT NULL);
      `);
    },
  },
];

/** `meta.schema_version`, 0 for a file without one (new). */
export function schemaVersion(db: SqliteDatabase): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return row === undefined ? 0 : Number(row.value);
}

/** Runs the steps from version `from` to `steps.length` in one transaction: all of them or, when one throws, none. */
export function migrate(db: SqliteDatabase, from: number, steps: readonly MigrationStep[] = MIGRATIONS): void {
  if (from >= steps.length) return;
  db.transaction(() => {
    for (let v = from; v < steps.length; v++) steps[v]!.up(db);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(steps.length));
  })();
}

// ---- the saved device

interface Dirty {
  readonly store: EntityStore;
  readonly token: string;
}

/** A kept log's changes since the last commit: rows added (not yet saved) and rows dropped (saved before). */
interface PendingLog {
  readonly log: KeptLog;
  readonly added: Map<number, unknown>;
  readonly dropped: Set<number>;
  savedNext: number;
}

/** A device's state directory, open: restore once, then track until close. */
export class SavedState {
  private readonly dirty = new Map<string, Dirty>();
  private readonly accounts: AccountStore;
  private readonly network: PeerNetwork;
  private savedAccounts = -1;
  private savedNetwork = "";
  /** The JSON of each service's settings as last saved, by service name. */
  private readonly savedSettings = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly logs = new Map<string, PendingLog>();
  private closed = false;
  private readonly upsertItem: SqliteStatement;
  private readonly deleteItem: SqliteStatement;
  private readonly upsertSetting: SqliteStatement;
  private readonly upsertLogRow: SqliteStatement;
  private readonly deleteLogRow: SqliteStatement;
  private readonly upsertLogState: SqliteStatement;

  constructor(
    private readonly db: SqliteDatabase,
    /** The database file, for messages. */
    readonly file: string,
    /** Whether it holds a device (else the factory defaults are installed, then saved). */
    readonly restorable: boolean,
    private readonly state: DeviceState,
  ) {
    this.accounts = deviceAccounts(state);
    this.network = peerNetwork(state);
    this.upsertItem = db.prepare("INSERT INTO item (type, token, full_json, info_json) VALUES (?, ?, ?, ?) ON CONFLICT (type, token) DO UPDATE SET full_json = excluded.full_json, info_json = excluded.info_json");
    this.deleteItem = db.prepare("DELETE FROM item WHERE type = ? AND token = ?");
    this.upsertLogRow = db.prepare("INSERT INTO log_row (log, row, value_json) VALUES (?, ?, ?) ON CONFLICT (log, row) DO UPDATE SET value_json = excluded.value_json");
    this.deleteLogRow = db.prepare("DELETE FROM log_row WHERE log = ? AND row = ?");
    this.upsertLogState = db.prepare("INSERT INTO log_state (log, next_row) VALUES (?, ?) ON CONFLICT (log) DO UPDATE SET next_row = excluded.next_row");
    this.upsertSetting = db.prepare("INSERT INTO setting (service, value_json) VALUES (?, ?) ON CONFLICT (service) DO UPDATE SET value_json = excluded.value_json");
  }

  /**
   * Loads the saved items, accounts and network into a device whose services have attached, then
   * each service's resync brings its runtime along (door runtimes, I/O assignments, schedule
   * watches; no Configuration events: nothing changed). Types no service declares stay in the file.
   */
  restore(): void {
    this.orClose(() => this.load());
  }

  private load(): void {
    const rows = this.db.prepare("SELECT type, token, full_json, info_json FROM item ORDER BY type, token").all() as { type: string; token: string; full_json: string; info_json: string | null }[];
    for (const row of rows) {
      const store = this.state.findStore(row.type);
      if (store === undefined) continue;
      const full = this.parse(row.full_json, `item ${row.type} "${row.token}"`) as Item;
      if (row.info_json === null) store.put(row.token, full);
      else store.put(row.token, full, this.parse(row.info_json, `item ${row.type} "${row.token}" (Info)`) as Item);
    }
    const accounts = this.db.prepare("SELECT name, password, level, comment FROM account ORDER BY rowid").all() as { name: string; password: string; level: AccountLevel; comment: string }[];
    for (const a of accounts) this.accounts.put(a);
    const network = new Map((this.db.prepare("SELECT key, value_json FROM network").all() as { key: string; value_json: string }[]).map((r) => [r.key, this.parse(r.value_json, `network ${r.key}`)]));
    if (network.size > 0) {
      this.network.restore({
        members: (network.get("members") ?? []) as NetworkRecord["members"],
        networkId: String(network.get("networkId") ?? ""),
        lamport: Number(network.get("lamport") ?? 0),
        standAlone: network.get("standAlone") === true,
        versions: (network.get("versions") ?? []) as NetworkRecord["versions"],
      });
    }
    const settings = new Map((this.db.prepare("SELECT service, value_json FROM setting").all() as { service: string; value_json: string }[]).map((r) => [r.service, r.value_json]));
    for (const service of composedServices(this.state)) {
      const json = settings.get(service.name);
      if (service.settings === undefined || json === undefined) continue;
      try {
        service.settings.restore(this.state, this.parse(json, `the settings of ${service.name}`));
      } catch (err) {
        if (err instanceof DeviceStateError) throw err;
        throw new DeviceStateError(`${this.file}: the settings of ${service.name} cannot be read back (${(err as Error).message}); the file is damaged`, { cause: err });
      }
    }
    const nextRows = new Map((this.db.prepare("SELECT log, next_row FROM log_state").all() as { log: string; next_row: number }[]).map((r) => [r.log, r.next_row]));
    const readRows = this.db.prepare("SELECT row, value_json FROM log_row WHERE log = ? ORDER BY row");
    for (const [name, log] of this.keptLogs()) {
      const next = nextRows.get(name);
      // A log the file does not hold yet (a file of schema 1) is saved as it is now.
      if (next === undefined) {
        this.saveWhole(name, log);
        continue;
      }
      const rows = (readRows.all(name) as { row: number; value_json: string }[]).map((r) => ({ rowid: r.row, value: this.parse(r.value_json, `row ${r.row} of the log ${name}`) }));
      try {
        log.load(rows, next);
      } catch (err) {
        throw new DeviceStateError(`${this.file}: the log ${name} cannot be read back (${(err as Error).message}); the file is damaged`, { cause: err });
      }
    }
    this.listen();
    for (const service of composedServices(this.state)) service.resync?.(this.state);
    this.commit();
  }

  private parse(json: string, what: string): unknown {
    try {
      return JSON.parse(json);
    } catch (err) {
      throw new DeviceStateError(`${this.file}: ${what} is not JSON (${(err as Error).message}); the file is damaged`, { cause: err });
    }
  }

  /** For a database that held no device: saves the device as it is (its factory defaults) in one transaction, then tracks it. */
  track(): void {
    this.orClose(() => {
      for (const store of this.state.allStores()) for (const token of store.tokens()) this.dirty.set(itemKey(store.decl.name, token), { store, token });
      for (const [name, log] of this.keptLogs()) this.saveWhole(name, log);
      this.commitAll(true);
      this.listen();
    });
  }

  /** Runs a step of the start; when it throws, the file is closed (its lock must not outlive a failed start). */
  private orClose(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      clearInterval(this.timer);
      for (const off of this.unsubscribers.splice(0)) off();
      this.closed = true;
      this.db.close();
      throw err;
    }
  }

  private listen(): void {
    this.savedAccounts = this.accounts.revision;
    this.savedNetwork = this.network.recordStamp;
    // Restored (or, for a new file, about to be saved whole by the first commit).
    if (this.restorable) for (const [name, json] of this.settingsNow()) this.savedSettings.set(name, json);
    this.unsubscribers.push(
      this.state.onWrite((store, token) => {
        this.dirty.set(itemKey(store.decl.name, token), { store, token });
      }),
    );
    for (const [name, log] of this.keptLogs()) {
      const pending = this.logs.get(name) ?? { log, added: new Map(), dropped: new Set(), savedNext: log.nextRowid };
      this.logs.set(name, pending);
      this.unsubscribers.push(
        log.observe({
          added: (rowid, value) => pending.added.set(rowid, value),
          // A row added and dropped between two commits was never saved.
          dropped: (rowid) => (pending.added.delete(rowid) ? undefined : pending.dropped.add(rowid)),
        }),
      );
    }
    this.timer = setInterval(() => this.commitFromTimer(), COMMIT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Saves what changed since the last commit, in one transaction (nothing to do: no transaction). Throws DeviceStateError when SQLite fails; the changes stay pending. */
  commit(): void {
    this.commitAll(false);
  }

  private commitAll(first: boolean): void {
    if (this.closed) return;
    const accountsMoved = this.accounts.revision !== this.savedAccounts;
    const networkStamp = this.network.recordStamp;
    const networkMoved = networkStamp !== this.savedNetwork;
    const settingsMoved = [...this.settingsNow()].filter(([name, json]) => this.savedSettings.get(name) !== json);
    const logsMoved = [...this.logs].filter(([, p]) => p.added.size > 0 || p.dropped.size > 0 || p.log.nextRowid !== p.savedNext);
    if (this.dirty.size === 0 && !accountsMoved && !networkMoved && settingsMoved.length === 0 && logsMoved.length === 0 && !first) return;
    const accountsRevision = this.accounts.revision;
    try {
      this.db.transaction(() => {
        for (const { store, token } of this.dirty.values()) {
          const entry = store.entry(token);
          if (entry === undefined) this.deleteItem.run(store.decl.name, token);
          else this.upsertItem.run(store.decl.name, token, JSON.stringify(entry.full), entry.info === undefined ? null : JSON.stringify(entry.info));
        }
        if (accountsMoved) this.saveAccounts();
        if (networkMoved) this.saveNetwork(this.network.record());
        for (const [name, json] of settingsMoved) this.upsertSetting.run(name, json);
        for (const [name, p] of logsMoved) this.saveLog(name, p);
        if (first) this.db.prepare("INSERT INTO meta (key, value) VALUES ('initialized', ?) ON CONFLICT (key) DO NOTHING").run(new Date().toISOString());
      })();
    } catch (err) {
      throw new DeviceStateError(`${this.file}: cannot save the device's state: ${(err as Error).message}`, { cause: err });
    }
    this.dirty.clear();
    this.savedAccounts = accountsRevision;
    this.savedNetwork = networkStamp;
    for (const [name, json] of settingsMoved) this.savedSettings.set(name, json);
    for (const [, p] of logsMoved) {
      p.added.clear();
      p.dropped.clear();
      p.savedNext = p.log.nextRowid;
    }
  }

  private saveLog(name: string, p: PendingLog): void {
    for (const row of p.dropped) this.deleteLogRow.run(name, row);
    for (const [row, value] of p.added) this.upsertLogRow.run(name, row, JSON.stringify(value));
    this.upsertLogState.run(name, p.log.nextRowid);
  }

  /** Marks every row of `log` to be saved by the next commit. */
  private saveWhole(name: string, log: KeptLog): void {
    this.logs.set(name, { log, added: new Map([...log.rows()].map((r) => [r.rowid, r.value])), dropped: new Set(), savedNext: 0 });
  }

  /** Every log the services keep, by name. */
  private *keptLogs(): Generator<[string, KeptLog]> {
    for (const service of composedServices(this.state)) yield* Object.entries(service.logs?.(this.state) ?? {});
  }

  /** Each service's settings now, as JSON, by service name. */
  private *settingsNow(): Generator<[string, string]> {
    for (const service of composedServices(this.state)) if (service.settings !== undefined) yield [service.name, JSON.stringify(service.settings.save(this.state))];
  }

  private saveAccounts(): void {
    // Rewritten whole (at most MAX_ACCOUNTS): rowid order is the accounts' order.
    this.db.prepare("DELETE FROM account").run();
    const insert = this.db.prepare("INSERT INTO account (name, password, level, comment) VALUES (?, ?, ?, ?)");
    for (const a of this.accounts.all()) if (!a.fixed) insert.run(a.name, a.password, a.level, a.comment);
  }

  private saveNetwork(record: NetworkRecord): void {
    const put = this.db.prepare("INSERT INTO network (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json");
    for (const [key, value] of Object.entries(record)) put.run(key, JSON.stringify(value));
  }

  private commitFromTimer(): void {
    try {
      this.commit();
    } catch (err) {
      // No request to fail: say it, and try again at the next commit (the changes stay pending).
      process.emitWarning((err as Error).message, { code: "DEVICE_STATE" });
    }
  }

  /** Commits what is pending and closes the file (its lock goes with it). Never throws: a failed last commit is a warning. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    for (const off of this.unsubscribers.splice(0)) off();
    this.commitFromTimer();
    this.closed = true;
    this.db.close();
  }
}

/**
 * Opens (creating it when missing) the state directory of the device `state` is, once its
 * services have attached: migrates an older schema, refuses a newer one and one of another device.
 */
export function openSavedState(dir: string, state: DeviceState): SavedState {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DeviceStateError(`--state ${dir}: cannot create the directory: ${(err as Error).message}`, { cause: err });
  }
  const file = join(dir, STATE_FILE);
  const db = openSqlite(file, { timeout: LOCK_WAIT_MS });
  try {
    // Exclusive: the lock taken at the first read is held until close, so two devices never share a directory.
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const version = schemaVersion(db);
    if (!Number.isInteger(version) || version < 0) throw new DeviceStateError(`${file}: meta.schema_version is not a version number; is this a pacs-conformance state directory?`);
    if (version > SCHEMA_VERSION) {
      throw new DeviceStateError(
        `${file}: written by a newer pacs-conformance (schema version ${version}; this one reads up to ${SCHEMA_VERSION}); run that version, or give this one another --state directory`,
      );
    }
    migrate(db, version);
    checkIdentity(db, file, state.identity);
    const restorable = db.prepare("SELECT 1 FROM meta WHERE key = 'initialized'").get() !== undefined;
    return new SavedState(db, file, restorable, state);
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === "SQLITE_BUSY") throw new DeviceStateError(`${file}: another running device keeps its state here; give each device its own --state directory`, { cause: err });
    if (err instanceof DeviceStateError) throw err;
    throw new DeviceStateError(`${file}: cannot open the device's state: ${(err as Error).message}`, { cause: err });
  }
}

/** The MAC and UUID the file was written for: recorded the first time, refused when they are another device's. */
function checkIdentity(db: SqliteDatabase, file: string, identity: DeviceIdentity): void {
  const meta = new Map((db.prepare("SELECT key, value FROM meta WHERE key IN ('mac', 'uuid')").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const mac = meta.get("mac");
  const uuid = meta.get("uuid");
  if (mac === undefined) {
    const put = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db.transaction(() => {
      put.run("mac", identity.mac);
      put.run("uuid", identity.uuid);
    })();
    return;
  }
  if (mac !== identity.mac || (uuid !== undefined && uuid !== identity.uuid)) {
    throw new DeviceStateError(
      `${file}: holds the state of the device with MAC ${mac} (UUID ${uuid ?? "?"}), not of this one (MAC ${identity.mac}, UUID ${identity.uuid}); give this device its own --state directory`,
    );
  }
}
