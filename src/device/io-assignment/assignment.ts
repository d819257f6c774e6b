/**
 * Assigning I/Os (io-assignment-service.md, "Assign I/O to services" and "Unassign I/O:s").
 *
 * SetIoAssignment is planned on a copy and committed only when every assignment is valid (the
 * page has no fault table: failures are answered as IoAssignmentError items, and then nothing
 * changes). Rules, in request order:
 * - the I/O must exist (IoDoesNotExist) and appear once per request (DuplicateIoAssignment);
 * - no IoUser unassigns the I/O; its IoMode is then not judged (nothing is configured);
 * - the mode must be one of the I/O's (ModeNotAllowedForIo) and of every IoUser's
 *   (ModeNotAllowedForIoUser); IoUsers are matched by Type, token and Usage
 *   (IoUserServiceDoesNotExist, IoUserTokenDoesNotExist, IoUserUsageDoesNotExist);
 * - one IoUser gets one mode per request (ModeAlreadyAssignedInRequest);
 * - assigning an I/O unassigns every other I/O that uses one of its pins;
 * - afterwards an IoUser whose MultiIo is false is on at most one I/O (MultipleIoNotAllowed).
 * An assignment replaces the I/O's IoUsers ("this API will overwrite all existing configuration
 * on a certain I/O", peripherals.md).
 */
import type { IoAssignmentErrorCode } from "../../../generated/axisio/types.js";
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { IoAssignmentDecl } from "./declarations.js";
import { HARDWARE_IOS, ioByName, ioOrder, sharePins } from "./hardware.js";
import { ioUserInfos, ioUserKey, ioUserStores, isIoUserType, type IoUser, type IoUserInfo } from "./io-users.js";

/** An IoUser as a client sent it (stored assignments hold the device's own IoUser). */
export interface RequestedIoUser {
  readonly Type: string;
  readonly token: string;
  readonly Usage: string;
  readonly MultiIo: boolean;
}

/** An assignment as a client sends it, and as it is stored (then with the device's own IoUsers). */
export interface Assignment {
  readonly IoName: string;
  readonly IoMode: string;
  readonly IoUser: readonly RequestedIoUser[];
}

/** The documented codes this device answers ("Other" and "Unknown" are for future extensions). */
export type AssignmentErrorCode = Exclude<IoAssignmentErrorCode, "Other" | "Unknown">;

export interface AssignmentError {
  readonly IoName: string;
  readonly IoMode: string;
  readonly IoUser?: RequestedIoUser;
  readonly Error: AssignmentErrorCode;
}

/** The stored assignments, in GetIoInfoList order. */
export function currentAssignments(state: DeviceState): Assignment[] {
  const store = state.store(IoAssignmentDecl.name);
  return [...store.tokens()]
    .sort((a, b) => ioOrder(a) - ioOrder(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((t) => store.read(t, "full") as unknown as Assignment);
}

function same(a: Assignment | undefined, b: Assignment | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Stores `next` (IoName → assignment) in place of the current assignments, announcing each change. */
function commit(state: DeviceState, next: ReadonlyMap<string, Assignment>): void {
  const store = state.store(IoAssignmentDecl.name);
  const names = new Set([...store.tokens(), ...next.keys()]);
  for (const name of [...names].sort((a, b) => ioOrder(a) - ioOrder(b))) {
    const before = store.read(name, "full") as unknown as Assignment | undefined;
    const after = next.get(name);
    if (same(before, after)) continue;
    if (after === undefined) {
      store.delete(name);
      state.publish({ topic: `${IoAssignmentDecl.topic}/Removed`, source: { IoName: name } });
    } else {
      store.put(name, structuredClone(after) as unknown as Item);
      state.publish({ topic: `${IoAssignmentDecl.topic}/Changed`, source: { IoName: name } });
    }
  }
}

/** What reconcile last saw: the IoUsers the stored assignments were checked against. */
function seenUsers(state: DeviceState): { fingerprint: string | undefined } {
  return state.runtime("io-assignment/io-users", () => ({ fingerprint: undefined as string | undefined }));
}

function fingerprintOf(infos: readonly IoUserInfo[]): string {
  return infos.map((i) => ioUserKey(i.IoUser)).join("\n");
}

/**
 * Keeps the assignments consistent with the doors and IdPoints: IoUsers that no longer exist (a
 * removed door, a reconfigured lock) lose their I/O, and an I/O left without IoUsers is unassigned.
 * Runs on their configuration events and before the axisio operations that read or change
 * assignments (not every configuration change is announced), but acts only when the IoUsers
 * changed since the assignments were last checked; with no assignments there is nothing to do
 * (populating many doors stays linear). `known`: the current IoUsers, when the caller has them.
 */
export function reconcile(state: DeviceState, known?: readonly IoUserInfo[]): void {
  const seen = seenUsers(state);
  if (state.store(IoAssignmentDecl.name).size === 0) {
    seen.fingerprint = undefined;
    return;
  }
  const infos = known ?? ioUserInfos(state);
  const fingerprint = fingerprintOf(infos);
  if (fingerprint === seen.fingerprint) return;
  seen.fingerprint = fingerprint;
  const users = new Map(infos.map((i) => [ioUserKey(i.IoUser), i.IoUser] as const));
  const next = new Map<string, Assignment>();
  for (const a of currentAssignments(state)) {
    const kept = a.IoUser.map((u) => users.get(ioUserKey(u))).filter((u): u is IoUser => u !== undefined);
    if (kept.length > 0) next.set(a.IoName, { ...a, IoUser: kept });
  }
  commit(state, next);
}

/** Why an IoUser cannot take an assignment in `mode`, or its IoUserInfo when it can. */
function checkUser(state: DeviceState, users: ReadonlyMap<string, IoUserInfo>, u: RequestedIoUser, mode: string): AssignmentErrorCode | IoUserInfo {
  const type = u.Type;
  const entities = isIoUserType(type) ? ioUserStores(state, type).entities : undefined;
  if (entities === undefined) return "IoUserServiceDoesNotExist";
  if (!entities.has(u.token)) return "IoUserTokenDoesNotExist";
  const info = users.get(ioUserKey(u));
  if (info === undefined) return "IoUserUsageDoesNotExist";
  return info.IoMode.includes(mode) ? info : "ModeNotAllowedForIoUser";
}

/** The assignments after `requested`, or the errors that stop it (see the module comment). */
function planAssignments(state: DeviceState, requested: readonly Assignment[], infos: readonly IoUserInfo[]): { next: Map<string, Assignment>; errors: AssignmentError[] } {
  const users = new Map(infos.map((i) => [ioUserKey(i.IoUser), i] as const));
  const next = new Map(currentAssignments(state).map((a) => [a.IoName, a] as const));
  const errors: AssignmentError[] = [];
  const seen = new Set<string>();
  const modeInRequest = new Map<string, string>();
  const placed: { request: Assignment; user: RequestedIoUser }[] = [];
  for (const a of requested) {
    const fail = (Error: AssignmentErrorCode, IoUser?: RequestedIoUser): void => {
      errors.push(IoUser === undefined ? { IoName: a.IoName, IoMode: a.IoMode, Error } : { IoName: a.IoName, IoMode: a.IoMode, IoUser, Error });
    };
    const io = ioByName(a.IoName);
    if (io === undefined) {
      fail("IoDoesNotExist");
      continue;
    }
    if (seen.has(a.IoName)) {
      fail("DuplicateIoAssignment");
      continue;
    }
    seen.add(a.IoName);
    if (a.IoUser.length === 0) {
      if (!state.quirks.has("io-unassign-ignored")) next.delete(a.IoName);
      continue;
    }
    if (!io.IoMode.includes(a.IoMode)) {
      fail("ModeNotAllowedForIo");
      continue;
    }
    const assigned = new Map<string, IoUser>();
    let valid = true;
    for (const u of a.IoUser) {
      const checked = checkUser(state, users, u, a.IoMode);
      const key = ioUserKey(u);
      const earlier = modeInRequest.get(key);
      if (typeof checked === "string") fail(checked, u);
      else if (earlier !== undefined && earlier !== a.IoMode) fail("ModeAlreadyAssignedInRequest", u);
      else {
        modeInRequest.set(key, a.IoMode);
        assigned.set(key, checked.IoUser);
        placed.push({ request: a, user: u });
        continue;
      }
      valid = false;
    }
    if (!valid) continue;
    // "When an I/O is assigned, all other I/O:s using any of the pins required by the assignee, is unassigned."
    for (const other of [...next.keys()]) {
      const o = ioByName(other);
      if (o !== undefined && sharePins(io, o)) next.delete(other);
    }
    next.set(a.IoName, { IoName: a.IoName, IoMode: a.IoMode, IoUser: [...assigned.values()] });
  }
  const ioCount = new Map<string, number>();
  for (const a of next.values()) for (const u of a.IoUser) if (!u.MultiIo) ioCount.set(ioUserKey(u), (ioCount.get(ioUserKey(u)) ?? 0) + 1);
  for (const { request, user } of placed) {
    const stillThere = next.get(request.IoName)?.IoUser.some((u) => ioUserKey(u) === ioUserKey(user)) === true;
    if (stillThere && (ioCount.get(ioUserKey(user)) ?? 0) > 1) errors.push({ IoName: request.IoName, IoMode: request.IoMode, IoUser: user, Error: "MultipleIoNotAllowed" });
  }
  return { next, errors };
}

/** SetIoAssignment: all or nothing; answers the failed assignments. */
export function assign(state: DeviceState, requested: readonly Assignment[]): AssignmentError[] {
  // Reconciling changes only assignments, never the IoUsers it was given.
  const infos = ioUserInfos(state);
  reconcile(state, infos);
  const { next, errors } = planAssignments(state, requested, infos);
  // Whatever is stored now was checked against these IoUsers.
  const checked = (): void => {
    seenUsers(state).fingerprint = fingerprintOf(infos);
  };
  if (errors.length === 0) {
    commit(state, next);
    checked();
    return [];
  }
  if (state.quirks.has("io-assignment-errors-not-reported")) return [];
  if (state.quirks.has("io-assignment-failed-stored")) {
    const failed = new Set(errors.map((e) => e.IoName));
    const stored = new Map(currentAssignments(state).map((a) => [a.IoName, a] as const));
    for (const a of requested) if (failed.has(a.IoName)) stored.set(a.IoName, a);
    commit(state, stored);
    checked();
  }
  return errors;
}

/** GetIoAssignmentList: every assigned I/O with its mode and IoUsers. */
export function listAssignments(state: DeviceState): Assignment[] {
  reconcile(state);
  const assigned = currentAssignments(state);
  if (!state.quirks.has("io-assignment-list-unassigned")) return assigned;
  const names = new Set(assigned.map((a) => a.IoName));
  const unassigned: Assignment[] = HARDWARE_IOS.filter((io) => !names.has(io.IoName)).map((io) => ({ IoName: io.IoName, IoMode: "none", IoUser: [] }));
  return [...assigned, ...unassigned].sort((a, b) => ioOrder(a.IoName) - ioOrder(b.IoName));
}
