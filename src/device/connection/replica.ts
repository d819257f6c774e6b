/**
 * What a door controller network replicates, seen as collections of items by token: every entity
 * type whose `sharing` is not "local", the administrative accounts (AUD, intro.md), and the
 * network's membership (network.ts). Each replicated item carries a version (a Lamport time and
 * the MAC of the controller that wrote it); a change is applied only over an older version, so
 * peers that receive the same changes in any order, or catch up from a full copy, end up alike.
 * A removal leaves its version behind (a tombstone) so that it is not undone by an older copy.
 */
import { topicSourceName, type EntityDecl, type Item } from "../entity.js";
import { deviceAccounts } from "../identity/accounts.js";
import type { DeviceState, JournaledWrite } from "../state.js";
import type { EntityStore, Stored } from "../store.js";

/** Lamport time, then the writer's MAC (a tie-break, so every controller orders versions alike). */
export type Version = readonly [number, string];

export const UNVERSIONED: Version = [0, ""];

export function newer(a: Version, b: Version): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
}

/** One replicated write: the item after it (no `full`: removed) and its version. */
export interface ItemChange {
  readonly type: string;
  readonly token: string;
  readonly v: Version;
  readonly full?: Item;
  readonly info?: Item;
}

export interface Collection {
  readonly type: string;
  /** "shared" items are replaced by the network's when the controller joins; "hardware" ones are kept. */
  readonly sharing: "shared" | "hardware";
  tokens(): readonly string[];
  read(token: string): Stored | undefined;
  /** Stores (undefined: removes) without any event. */
  write(token: string, value: Stored | undefined): void;
  /** What services must hear of a peer's change (Configuration events), once all changes are stored. */
  announce?(token: string, before: Stored | undefined, after: Stored | undefined): void;
}

function entityCollection(store: EntityStore, state: DeviceState): Collection {
  const decl: EntityDecl = store.decl;
  return {
    type: decl.name,
    sharing: decl.sharing === "hardware" ? "hardware" : "shared",
    tokens: () => store.tokens(),
    read: (token) => store.entry(token),
    write(token, value) {
      if (value === undefined) store.delete(token);
      else store.put(token, value.full, value.info);
    },
    announce(token, before, after) {
      if (decl.topic !== undefined) state.publish({ topic: `${decl.topic}/${after === undefined ? "Removed" : "Changed"}`, source: { [topicSourceName(decl)]: token } });
      if (after !== undefined) decl.onChanged?.(token, before?.full, after.full, state);
    },
  };
}

/** The administrative accounts other than the fixed administrator (each controller keeps its own). */
function accountCollection(state: DeviceState): Collection {
  const accounts = deviceAccounts(state);
  return {
    type: ACCOUNTS,
    sharing: "shared",
    tokens: () => accounts.all().filter((a) => !a.fixed).map((a) => a.name),
    read(name) {
      const a = accounts.find(name);
      return a === undefined || a.fixed ? undefined : { full: { Password: a.password, Level: a.level, Comment: a.comment } };
    },
    write(name, value) {
      if (accounts.find(name)?.fixed === true) return;
      if (value === undefined) accounts.remove([name]);
      else accounts.put({ name, password: String(value.full["Password"]), level: value.full["Level"] as "admin" | "operator" | "viewer", comment: String(value.full["Comment"] ?? "") });
    },
  };
}

/** The pseudo-type of the administrative accounts. */
export const ACCOUNTS = "#Account";

/** Every replicated collection of the device but the membership (which the network adds). */
export function replicatedCollections(state: DeviceState): Collection[] {
  const out = state
    .allStores()
    .filter((s) => s.decl.sharing !== "local")
    .map((s) => entityCollection(s, state));
  out.push(accountCollection(state));
  return out;
}

function sameStored(a: Stored | undefined, b: Stored | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The replicated items a request wrote (journal), as changes of version `v`; writes that changed nothing are left out. */
export function changesOf(writes: readonly JournaledWrite[], collections: ReadonlyMap<string, Collection>, v: Version): ItemChange[] {
  const out: ItemChange[] = [];
  for (const w of writes) {
    const coll = collections.get(w.store.decl.name);
    if (coll === undefined) continue;
    const after = coll.read(w.token);
    if (sameStored(w.before, after)) continue;
    out.push(toChange(coll.type, w.token, v, after));
  }
  return out;
}

export function toChange(type: string, token: string, v: Version, value: Stored | undefined): ItemChange {
  if (value === undefined) return { type, token, v };
  return value.info === undefined ? { type, token, v, full: value.full } : { type, token, v, full: value.full, info: value.info };
}

/** Items written from a before/after comparison (accounts: not in a store, so not journaled). */
export function diffCollection(coll: Collection, before: ReadonlyMap<string, Stored>, v: Version): ItemChange[] {
  const out: ItemChange[] = [];
  const now = new Set(coll.tokens());
  for (const token of now) {
    const after = coll.read(token);
    if (!sameStored(before.get(token), after)) out.push(toChange(coll.type, token, v, after));
  }
  for (const token of before.keys()) if (!now.has(token)) out.push({ type: coll.type, token, v });
  return out;
}

export function readAll(coll: Collection): Map<string, Stored> {
  const out = new Map<string, Stored>();
  for (const token of coll.tokens()) {
    const value = coll.read(token);
    if (value !== undefined) out.set(token, value);
  }
  return out;
}

/**
 * The controller a replicated configuration belongs to (intro.md "UUID"): the DeviceUUID of the
 * item, of an access point's door, or of the configuration of a door, IdPoint or access
 * controller; "" when none is named (this controller's).
 */
export function ownerOf(state: DeviceState, type: string, token: string): string {
  const field = (name: string, key: string): string => String(state.findStore(name)?.read(token, "full")?.[key] ?? "");
  switch (type) {
    case "Door":
      return field("DoorConfiguration", "DeviceUUID");
    case "IdPoint":
      return field("IdPointConfiguration", "DeviceUUID");
    case "AccessController":
      return field("AccessControllerConfiguration", "DeviceUUID");
    case "AccessPoint":
      return field("AccessPoint", "DoorDeviceUUID");
    default:
      return field(type, "DeviceUUID");
  }
}
