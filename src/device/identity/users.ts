/**
 * The device users of the ONVIF device service (GetUsers, CreateUsers, SetUser, DeleteUsers; ONVIF
 * Core "Security", user handling): an in-memory list, seeded with the administrator. Every call is
 * all or nothing: the whole request is checked before the list changes.
 *
 * NOT wired to HTTP authentication (a later task): the Digest/Basic authenticator (digest.ts)
 * knows only the user and password server.ts gives it, so a user created here cannot log in, and
 * the administrator's password is not known here. That is also why the administrator is a fixed
 * user: DeleteUsers and SetUser refuse it with ter:FixedUser rather than pretend to change the
 * login that actually protects the device.
 */
import type { Item } from "../entity.js";
import { OperationFault } from "../faults.js";
import type { DeviceState } from "../state.js";

export type UserLevel = "Administrator" | "Operator" | "User" | "Anonymous" | "Extended";

export interface DeviceUser {
  readonly Username: string;
  readonly UserLevel: UserLevel;
  /** Undefined for the administrator (the authenticator holds its password). */
  readonly Password?: string;
  /** Fixed users cannot be deleted or changed. */
  readonly fixed: boolean;
}

/** The administrator server.ts starts the authenticator with by default ("root"); the identity service cannot see another name given in the options. */
export const ADMIN_USER = "root";

/** The security capabilities these rules follow (GetServiceCapabilities reports the same numbers). */
export const USER_LIMITS = { MaxUsers: 100, MaxUserNameLength: 32, MaxPasswordLength: 64 } as const;

/** The user list, created with the administrator on first use. */
export function deviceUsers(state: DeviceState): DeviceUser[] {
  return state.runtime<DeviceUser[]>("users", () => [{ Username: ADMIN_USER, UserLevel: "Administrator", fixed: true }]);
}

const prohibited = (subcode: string, reason: string): OperationFault => new OperationFault({ code: "env:Sender", subcodes: ["ter:OperationProhibited", subcode], reason });
const invalidArgVal = (subcode: string, reason: string): OperationFault => new OperationFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", subcode], reason });

/** A request's tt:User after shape normalisation. */
interface UserInput {
  Username: string;
  Password?: string;
  UserLevel: UserLevel;
}

function usersOf(input: Item): UserInput[] {
  return input["User"] as UserInput[];
}

function find(users: readonly DeviceUser[], name: string): DeviceUser | undefined {
  return users.find((u) => u.Username === name);
}

/** Level rules shared by CreateUsers and SetUser. */
function checkLevel(u: UserInput): void {
  if (u.UserLevel === "Anonymous") throw prohibited("ter:AnonymousNotAllowed", `user "${u.Username}": level Anonymous is not allowed; use Administrator, Operator or User`);
  // Extended users are authorised by their roles (User/Extension); this device has none (no MaxUserRoles).
  if (u.UserLevel === "Extended") throw new OperationFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal"], reason: `user "${u.Username}": level Extended needs user roles, which this device does not support; use Administrator, Operator or User` });
}

/** Password rules; the device cannot accept an empty password (ONVIF Core SetUser: then ter:PasswordTooWeak). */
function checkPassword(u: UserInput, weakSubcode: string): void {
  const password = u.Password ?? "";
  if (password === "") throw prohibited(weakSubcode, `user "${u.Username}": a password is required; this device does not accept an empty one`);
  if ([...password].length > USER_LIMITS.MaxPasswordLength) throw prohibited("ter:PasswordTooLong", `user "${u.Username}": the password has ${[...password].length} characters; at most ${USER_LIMITS.MaxPasswordLength} (MaxPasswordLength)`);
}

export function getUsers(state: DeviceState): Item {
  const withPasswords = state.quirks.has("identity-users-password-returned");
  const users = deviceUsers(state).map((u): Item => (withPasswords && u.Password !== undefined ? { Username: u.Username, Password: u.Password, UserLevel: u.UserLevel } : { Username: u.Username, UserLevel: u.UserLevel }));
  return { User: users };
}

/** ONVIF Core CreateUsers faults, in the order the request is checked. */
export function createUsers(state: DeviceState, input: Item): Item {
  const users = deviceUsers(state);
  const requested = usersOf(input);
  const names = new Set<string>();
  for (const u of requested) {
    const length = [...u.Username].length;
    if (length === 0) throw prohibited("ter:UsernameTooShort", "a user name must have at least one character");
    if (length > USER_LIMITS.MaxUserNameLength) throw prohibited("ter:UsernameTooLong", `user name "${u.Username}" has ${length} characters; at most ${USER_LIMITS.MaxUserNameLength} (MaxUserNameLength)`);
    if (find(users, u.Username) !== undefined || names.has(u.Username)) throw prohibited("ter:UsernameClash", `user "${u.Username}" already exists${names.has(u.Username) ? " (named twice in this request)" : ""}`);
    names.add(u.Username);
    checkLevel(u);
    checkPassword(u, "ter:Password");
  }
  if (users.length + requested.length > USER_LIMITS.MaxUsers) {
    throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:Action", "ter:TooManyUsers"], reason: `${users.length} users exist; ${requested.length} more would exceed MaxUsers ${USER_LIMITS.MaxUsers}` });
  }
  for (const u of requested) users.push({ Username: u.Username, UserLevel: u.UserLevel, Password: u.Password!, fixed: false });
  return {};
}

/** ONVIF Core SetUser: new level and password of existing users. */
export function setUser(state: DeviceState, input: Item): Item {
  const users = deviceUsers(state);
  const requested = usersOf(input);
  for (const u of requested) {
    const existing = find(users, u.Username);
    if (existing === undefined) throw invalidArgVal("ter:UsernameMissing", `user "${u.Username}" does not exist (see GetUsers)`);
    if (existing.fixed) throw invalidArgVal("ter:FixedUser", `user "${u.Username}" is fixed: its level and password cannot be changed here`);
    checkLevel(u);
    checkPassword(u, "ter:PasswordTooWeak");
  }
  for (const u of requested) {
    const i = users.findIndex((x) => x.Username === u.Username);
    users[i] = { Username: u.Username, UserLevel: u.UserLevel, Password: u.Password!, fixed: false };
  }
  return {};
}

/** ONVIF Core DeleteUsers: unknown names and fixed users refuse the whole request. */
export function deleteUsers(state: DeviceState, input: Item): Item {
  const users = deviceUsers(state);
  const names = input["Username"] as string[];
  for (const name of names) {
    const existing = find(users, name);
    if (existing === undefined) throw invalidArgVal("ter:UsernameMissing", `user "${name}" does not exist (see GetUsers)`);
    if (existing.fixed) throw invalidArgVal("ter:FixedUser", `user "${name}" is fixed and cannot be deleted`);
  }
  const gone = new Set(names);
  const kept = users.filter((u) => !gone.has(u.Username));
  users.splice(0, users.length, ...kept);
  return {};
}

/** What a snapshot compares: names and levels (no passwords). */
export function describeUsers(state: DeviceState): { Username: string; UserLevel: string }[] {
  return deviceUsers(state).map((u) => ({ Username: u.Username, UserLevel: u.UserLevel }));
}
