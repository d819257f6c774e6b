/**
 * Whitelists of Smart Intego locks (idpoint-service.md "WhiteList functions", peripherals.md
 * "Enable whitelist doors"). A credential is on the whitelist of an IdPoint when one of its access
 * profiles carries the AxisWhitelist attribute and has a policy for an access point that uses the
 * IdPoint; the IdData named by the attribute (Card when empty) is what is downloaded, and only
 * when it matches the IdPoint's IdPoint.Whitelist.IdDataName. Entries are uploaded to the lock one
 * by one: PendingAdd → Active, PendingRemove → gone, one every UPLOAD_MS of device time. What
 * the lock itself reports (a whitelisted access, a failed update) comes through WHITELIST_STIMULI.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import type { Timer } from "../clock.js";
import { stringArg, type StimulusKind } from "../world.js";
import { idPointFor } from "./physical.js";
import { TOPIC } from "./runtime.js";
import { WHITELIST_ID_DATA_NAME, hardwareOf, settingValue } from "./settings.js";

/** Device time one entry takes to reach (or leave) the lock. */
const UPLOAD_MS = 1000;

interface Entry {
  IdData: { Name: string; Value: string };
  State: string;
}

interface Sync {
  dirty: boolean;
  scheduled?: Timer;
  uploads: Map<string, Timer>;
}

function syncState(state: DeviceState): Sync {
  return state.runtime<Sync>("idpoint.whitelist", () => ({ dirty: false, uploads: new Map() }));
}

const key = (d: { Name: string; Value: string }): string => `${d.Name}\u0000${d.Value}`;

function isWhitelistAttribute(a: Item): boolean {
  return String(a["Name"]).toLowerCase() === "axiswhitelist";
}

/** The IdData each whitelist-capable IdPoint should hold, by IdPoint token. */
function desired(state: DeviceState): Map<string, Map<string, { Name: string; Value: string }>> {
  const out = new Map<string, Map<string, { Name: string; Value: string }>>();
  const configs = state.store("IdPointConfiguration");
  const idPoints = state.store("IdPoint");
  // The service does nothing with half an IdPoint (guide "Setting up an IdPoint").
  const capable = configs.tokens().filter((t) => idPoints.has(t) && hardwareOf(configs.read(t, "full")).whitelist);
  for (const t of capable) out.set(t, new Map());
  if (capable.length === 0 || state.quirks.has("idpoint-whitelist-empty")) return out;
  // The IdData each IdPoint downloads (IdPoint.Whitelist.IdDataName).
  const idDataName = new Map(capable.map((t) => [t, settingValue(configs.read(t, "full"), WHITELIST_ID_DATA_NAME)] as const));

  const aps = state.store("AccessPoint");
  const apIdPoints = new Map<string, string[]>();
  for (const t of aps.tokens()) {
    const devices = (aps.read(t, "full")!["IdPointDevice"] as { IdPoint: string }[]).map((d) => d.IdPoint).filter((p) => out.has(p));
    if (devices.length > 0) apIdPoints.set(t, devices);
  }
  if (apIdPoints.size === 0) return out;
  const profiles = state.store("AccessProfile");
  const profileTargets = new Map<string, { name: string; idPoints: string[] }>();
  for (const t of profiles.tokens()) {
    const p = profiles.read(t, "full")!;
    const attr = (p["Attribute"] as Item[]).find(isWhitelistAttribute);
    if (attr === undefined) continue;
    const name = String(attr["Value"] ?? "") || "Card";
    const reached = (p["AccessPolicy"] as Item[]).flatMap((pol) => apIdPoints.get(pol["AccessPoint"] as string) ?? []).filter((ip) => idDataName.get(ip) === name);
    if (reached.length > 0) profileTargets.set(t, { name, idPoints: reached });
  }
  if (profileTargets.size === 0) return out;
  const creds = state.store("Credential");
  for (const t of creds.tokens()) {
    const c = creds.read(t, "full")!;
    if (c["Enabled"] === false) continue;
    for (const cap of c["CredentialAccessProfile"] as Item[]) {
      const target = profileTargets.get(cap["AccessProfile"] as string);
      if (target === undefined) continue;
      const value = (c["IdData"] as { Name: string; Value: string }[]).find((d) => d.Name === target.name)?.Value;
      if (value === undefined) continue;
      for (const p of target.idPoints) out.get(p)!.set(key({ Name: target.name, Value: value }), { Name: target.name, Value: value });
    }
  }
  return out;
}

function pending(entries: readonly Entry[]): boolean {
  return entries.some((e) => e.State === "PendingAdd" || e.State === "PendingRemove");
}

function store(state: DeviceState, token: string, entries: Entry[]): void {
  const wl = state.store("IdPointWhiteList");
  const before = wl.read(token, "full")?.["WhiteListEntry"] as Entry[] | undefined;
  wl.put(token, { token, WhiteListEntry: entries });
  if (before === undefined || pending(before) !== pending(entries)) {
    state.publish({ topic: TOPIC.whitelistOngoing, source: { IdPointToken: token }, data: { Ongoing: pending(entries) } });
  }
}

/** Whether each whitelist still has entries to upload or remove (the WhitelistSync/Ongoing property), by IdPoint token. */
export function whitelistsOngoing(state: DeviceState): [string, boolean][] {
  const wl = state.store("IdPointWhiteList");
  return wl.tokens().map((t) => [t, pending((wl.read(t, "full")?.["WhiteListEntry"] as Entry[] | undefined) ?? [])]);
}

/** Uploads (or removes) the next pending entry of an IdPoint's whitelist, one per UPLOAD_MS. */
function scheduleUpload(state: DeviceState, token: string): void {
  const sync = syncState(state);
  if (sync.uploads.has(token)) return;
  const entries = state.store("IdPointWhiteList").read(token, "full")?.["WhiteListEntry"] as Entry[] | undefined;
  if (entries === undefined || !pending(entries)) return;
  sync.uploads.set(
    token,
    state.clock.at(state.now() + UPLOAD_MS, `IdPoint ${token} whitelist upload`, () => {
      sync.uploads.delete(token);
      const current = state.store("IdPointWhiteList").read(token, "full")?.["WhiteListEntry"] as Entry[] | undefined;
      if (current === undefined) return;
      const i = current.findIndex((e) => e.State === "PendingAdd" || e.State === "PendingRemove");
      if (i < 0) return;
      const next = current.map((e) => ({ ...e }));
      if (next[i]!.State === "PendingAdd") next[i]!.State = "Active";
      else next.splice(i, 1);
      store(state, token, next);
      scheduleUpload(state, token);
    }),
  );
}

/** Brings every whitelist in line with the AccessControl data (runs once per batch of changes). */
function syncWhitelists(state: DeviceState): void {
  const sync = syncState(state);
  sync.dirty = false;
  state.clock.cancel(sync.scheduled);
  delete sync.scheduled;
  const want = desired(state);
  const wl = state.store("IdPointWhiteList");
  for (const t of [...wl.tokens()]) {
    if (want.has(t)) continue;
    wl.delete(t);
    state.clock.cancel(sync.uploads.get(t));
    sync.uploads.delete(t);
  }
  for (const [t, entries] of want) {
    const old = (wl.read(t, "full")?.["WhiteListEntry"] as Entry[] | undefined) ?? [];
    const next: Entry[] = [];
    for (const e of old) {
      const wanted = entries.has(key(e.IdData));
      if (wanted) next.push({ IdData: e.IdData, State: e.State === "PendingRemove" ? "Active" : e.State });
      else if (e.State === "Active") next.push({ IdData: e.IdData, State: "PendingRemove" });
      // A PendingAdd entry no longer wanted never reached the lock: it simply goes.
    }
    const held = new Set(old.map((e) => key(e.IdData)));
    for (const [k, d] of entries) if (!held.has(k)) next.push({ IdData: { ...d }, State: "PendingAdd" });
    if (wl.has(t) && JSON.stringify(old) === JSON.stringify(next)) continue;
    store(state, t, next);
    scheduleUpload(state, t);
  }
}

/** Marks the whitelists stale; they are recomputed once, right after the current request. */
export function markWhitelistsDirty(state: DeviceState): void {
  const sync = syncState(state);
  if (sync.dirty) return;
  sync.dirty = true;
  sync.scheduled = state.clock.at(state.now(), "IdPoint whitelist sync", () => syncWhitelists(state));
}

/** Recomputes now if something changed since the last sync (before a whitelist is read). */
export function ensureWhitelistsFresh(state: DeviceState): void {
  if (syncState(state).dirty) syncWhitelists(state);
}

/** Event topics whose changes can move a credential on or off a whitelist. */
export function affectsWhitelists(topic: string): boolean {
  return (
    topic.startsWith("tns1:Configuration/Credential/") ||
    topic.startsWith("tns1:Configuration/AccessProfile/") ||
    topic.startsWith("tns1:Configuration/AccessPoint/") ||
    topic === "tns1:Credential/State/Enabled" ||
    topic.startsWith(`${TOPIC.idPoint}/`) ||
    topic.startsWith(`${TOPIC.configuration}/`)
  );
}

const WHITELIST_IDPOINT = "token of a Smart Intego IdPoint (IdPoint.Reader.Type TCPIP, IdPoint.TCPIP.Protocol SmartIntego)";

/**
 * The lock's side of a whitelist: a presented credential the lock holds (Active, or PendingRemove:
 * not yet taken off) lets the holder in without asking the controller, which then hears of it as
 * tns1:IdPoint/tnsaxis:PreAuthorization/tnsaxis:IdData instead of a Request event (peripherals.md
 * "Enable whitelist doors"); a sync failure is tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error.
 * Both carry the IdData as a Data item named after it (IdPoint.Whitelist.IdDataName, Card by default).
 */
export const WHITELIST_STIMULI: readonly StimulusKind[] = [
  {
    name: "WhitelistAccess",
    doc: "A credential is presented at a Smart Intego lock whose whitelist holds it: the lock lets the holder in by itself and tells the controller (no access decision, no DoorMode change).",
    args: { IdPoint: WHITELIST_IDPOINT, Card: "the presented IdData value, as the credential holds it (the whitelist's IdData, Card by default)" },
    apply(args, state) {
      const { token } = idPointFor(state, args, "whitelist", "a whitelist access");
      const value = stringArg(args, "Card");
      ensureWhitelistsFresh(state);
      const entries = (state.store("IdPointWhiteList").read(token, "full")?.["WhiteListEntry"] as Entry[] | undefined) ?? [];
      const onLock = entries.find((e) => (e.State === "Active" || e.State === "PendingRemove") && e.IdData.Value.toLowerCase() === value.toLowerCase());
      if (onLock === undefined) {
        const waiting = entries.some((e) => e.State === "PendingAdd" && e.IdData.Value.toLowerCase() === value.toLowerCase());
        return { Granted: false, Reason: waiting ? "not on the lock yet: its whitelist entry is PendingAdd (advance the clock)" : "the lock's whitelist does not hold it" };
      }
      state.publish({ topic: TOPIC.preAuthorization, source: { IdPointToken: token }, data: { [onLock.IdData.Name]: onLock.IdData.Value } });
      return { Granted: true, IdData: { ...onLock.IdData } };
    },
  },
  {
    name: "WhitelistSyncError",
    doc: "Updating a Smart Intego lock's whitelist with one IdData value failed (the entry's state is not changed).",
    args: { IdPoint: WHITELIST_IDPOINT, Card: "the IdData value that could not be written to or removed from the lock" },
    apply(args, state) {
      const { token, config } = idPointFor(state, args, "whitelist", "a whitelist sync error");
      const idData = { Name: settingValue(config, WHITELIST_ID_DATA_NAME), Value: stringArg(args, "Card") };
      state.publish({ topic: TOPIC.whitelistError, source: { IdPointToken: token }, data: { [idData.Name]: idData.Value } });
      return { IdPoint: token, IdData: idData };
    },
  },
];
