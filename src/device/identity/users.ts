/**
 * The device users of the ONVIF device service (GetUsers, CreateUsers, SetUser, DeleteUsers; ONVIF
 * Core "Security", user handling), over the device's accounts (accounts.ts): the same accounts
 * pwdgrp.cgi manages and HTTP authentication honours, so a user created here logs in at once.
 * Every call is all or nothing: the whole request is checked before anything changes. The
 * administrator the device was started with is fixed: DeleteUsers and SetUser refuse it with
 * ter:FixedUser.
 */
import type { Item } from "../entity.js";
import { OperationFault, invalidArgVal } from "../faults.js";
import type { DeviceState } from "../state.js";
import { MAX_ACCOUNTS, levelOfOnvif, onvifAccounts, onvifLevel, unusableName, type Account, type AccountLevel, type AccountStore, type OnvifUserLevel } from "./accounts.js";

export type UserLevel = "Administrator" | "Operator" | "User" | "Anonymous" | "Extended";

/** The security capabilities these rules follow (GetServiceCapabilities reports the same numbers). */
export const USER_LIMITS = { MaxUsers: MAX_ACCOUNTS, MaxUserNameLength: 32, MaxPasswordLength: 64 } as const;

const prohibited = (subcode: string, reason: string): OperationFault => new OperationFault({ code: "env:Sender", subcodes: ["ter:OperationProhibited", subcode], reason });

/** A request's tt:User after shape normalisation. */
interface UserInput {
  Username: string;
  Password?: string;
  UserLevel: UserLevel;
}

function usersOf(input: Item): UserInput[] {
  return input["User"] as UserInput[];
}

/** The account level of a user whose level checkLevel accepted. */
function accountLevel(u: UserInput): AccountLevel {
  return levelOfOnvif(u.UserLevel as OnvifUserLevel);
}

/** Level rules shared by CreateUsers and SetUser. */
function checkLevel(u: UserInput): void {
  if (u.UserLevel === "Anonymous") throw prohibited("ter:AnonymousNotAllowed", `user "${u.Username}": level Anonymous is not allowed; use Administrator, Operator or User`);
  // Extended users are authorised by their roles (User/Extension); this device has none (no MaxUserRoles).
  if (u.UserLevel === "Extended") throw invalidArgVal([], `user "${u.Username}": level Extended needs user roles, which this device does not support; use Administrator, Operator or User`);
}

/** Password rules; the device cannot accept an empty password (ONVIF Core SetUser: then ter:PasswordTooWeak). */
function checkPassword(u: UserInput, weakSubcode: string): void {
  const password = u.Password ?? "";
  if (password === "") throw prohibited(weakSubcode, `user "${u.Username}": a password is required; this device does not accept an empty one`);
  if ([...password].length > USER_LIMITS.MaxPasswordLength) throw prohibited("ter:PasswordTooLong", `user "${u.Username}": the password has ${[...password].length} characters; at most ${USER_LIMITS.MaxPasswordLength} (MaxPasswordLength)`);
}

export function getUsers(state: DeviceState): Item {
  const withPasswords = state.quirks.has("identity-users-password-returned");
  // The quirk leaks the passwords users were given here or with pwdgrp.cgi; the fixed administrator's is the device's own.
  const user = (a: Account): Item => (withPasswords && !a.fixed ? { Username: a.name, Password: a.password, UserLevel: onvifLevel(a.level) } : { Username: a.name, UserLevel: onvifLevel(a.level) });
  return { User: onvifAccounts(state).all().map(user) };
}

/** ONVIF Core CreateUsers faults, in the order the request is checked. */
export function createUsers(state: DeviceState, input: Item): Item {
  const accounts = onvifAccounts(state);
  const requested = usersOf(input);
  const names = new Set<string>();
  for (const u of requested) {
    const length = [...u.Username].length;
    if (length === 0) throw prohibited("ter:UsernameTooShort", "a user name must have at least one character");
    if (length > USER_LIMITS.MaxUserNameLength) throw prohibited("ter:UsernameTooLong", `user name "${u.Username}" has ${length} characters; at most ${USER_LIMITS.MaxUserNameLength} (MaxUserNameLength)`);
    const unusable = unusableName(u.Username);
    if (unusable !== undefined) throw invalidArgVal([], `user name "${u.Username}": ${unusable}`);
    if (accounts.find(u.Username) !== undefined || names.has(u.Username)) throw prohibited("ter:UsernameClash", `user "${u.Username}" already exists${names.has(u.Username) ? " (named twice in this request)" : ""}`);
    names.add(u.Username);
    checkLevel(u);
    checkPassword(u, "ter:Password");
  }
  const count = accounts.all().length;
  if (count + requested.length > USER_LIMITS.MaxUsers) {
    throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:Action", "ter:TooManyUsers"], reason: `${count} users exist; ${requested.length} more would exceed MaxUsers ${USER_LIMITS.MaxUsers}` });
  }
  accounts.add(requested.map((u) => ({ name: u.Username, password: u.Password!, level: accountLevel(u), comment: "" })));
  return {};
}

/** ONVIF Core SetUser: new level and password of existing users. */
export function setUser(state: DeviceState, input: Item): Item {
  const accounts = onvifAccounts(state);
  const requested = usersOf(input);
  for (const u of requested) {
    const existing = accounts.find(u.Username);
    if (existing === undefined) throw invalidArgVal(["ter:UsernameMissing"], `user "${u.Username}" does not exist (see GetUsers)`);
    if (existing.fixed) throw invalidArgVal(["ter:FixedUser"], `user "${u.Username}" is the administrator the device was started with: its level and password cannot be changed here`);
    checkLevel(u);
    checkPassword(u, "ter:PasswordTooWeak");
  }
  for (const u of requested) accounts.update(u.Username, { password: u.Password!, level: accountLevel(u) });
  return {};
}

/** ONVIF Core DeleteUsers: unknown names and fixed users refuse the whole request. */
export function deleteUsers(state: DeviceState, input: Item): Item {
  const accounts = onvifAccounts(state);
  const names = input["Username"] as string[];
  for (const name of names) {
    const existing = accounts.find(name);
    if (existing === undefined) throw invalidArgVal(["ter:UsernameMissing"], `user "${name}" does not exist (see GetUsers)`);
    if (existing.fixed) throw invalidArgVal(["ter:FixedUser"], `user "${name}" is the administrator the device was started with and cannot be deleted`);
  }
  accounts.remove(names);
  return {};
}

/** What a snapshot compares: the login accounts' names and levels in ONVIF terms (no passwords). */
export function describeUsers(accounts: AccountStore): { Username: string; UserLevel: string }[] {
  return accounts.all().map((a) => ({ Username: a.name, UserLevel: onvifLevel(a.level) }));
}
