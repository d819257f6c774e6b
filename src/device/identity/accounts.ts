/**
 * The device's administrative accounts: one list that HTTP authentication (digest.ts reads it
 * through AccountLookup at every request), VAPIX pwdgrp.cgi (pwdgrp-cgi.ts) and the ONVIF user
 * operations (users.ts) all read and change. An account created, changed or removed through
 * either interface counts at once, for the other interface and for logins.
 *
 * Levels are intro.md's ("Administrative users": viewer, operator and admin; admin is needed for
 * every action); ONVIF's user levels map one to one: Administrator ↔ admin, Operator ↔ operator,
 * User ↔ viewer.
 *
 * The administrator the device was started with (--user/--password, default root/pass) is fixed:
 * neither interface removes or changes it (restart the device with other options instead), so
 * the login that protects the device, and that a conformance run uses, never goes away under it.
 */
import type { AccountLevel, AccountLookup } from "../digest.js";
import type { QuirkSet } from "../quirks.js";
import type { DeviceState } from "../state.js";

export type { AccountLevel } from "../digest.js";
export type OnvifUserLevel = "Administrator" | "Operator" | "User";

export interface Account {
  readonly name: string;
  readonly password: string;
  readonly level: AccountLevel;
  /** pwdgrp.cgi's comment ("" when none, and for accounts ONVIF created). */
  readonly comment: string;
  /** The administrator from the device options: never removed or changed. */
  readonly fixed: boolean;
}

/** At most this many accounts, the fixed administrator included (GetServiceCapabilities MaxUsers). */
export const MAX_ACCOUNTS = 100;

/** Levels from highest to lowest: an account of a level has the rights of those after it. */
export const LEVELS: readonly AccountLevel[] = ["admin", "operator", "viewer"];

const TO_ONVIF: Readonly<Record<AccountLevel, OnvifUserLevel>> = { admin: "Administrator", operator: "Operator", viewer: "User" };

export function onvifLevel(level: AccountLevel): OnvifUserLevel {
  return TO_ONVIF[level];
}

export function levelOfOnvif(level: OnvifUserLevel): AccountLevel {
  return level === "Administrator" ? "admin" : level === "Operator" ? "operator" : "viewer";
}

/** True when an account of `level` has the rights `needed` asks for. */
export function hasLevel(level: AccountLevel, needed: AccountLevel): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(needed);
}

/**
 * Why a name cannot be a login whatever the interface: Basic credentials end the name at the
 * first colon, and control characters cannot travel in an HTTP header. Undefined when it can.
 */
export function unusableName(name: string): string | undefined {
  if (name.includes(":")) return "a colon cannot be part of a user name (HTTP Basic credentials end the name at the first one)";
  if (/\p{Cc}/u.test(name)) return "a user name cannot hold control characters";
  return undefined;
}

/** The administrator the device was started with. */
export interface FixedAdministrator {
  readonly user: string;
  readonly password: string;
}

/** Where the accounts of the quirk `users-onvif-vapix-split` (ONVIF's own list) are kept. */
const SPLIT_KEY = "users.onvif";
const KEY = "users";

export class AccountStore implements AccountLookup {
  private readonly accounts: Account[];
  /** Logins that outlive their account (quirk users-removed-can-login). */
  private readonly ghosts = new Map<string, Account>();
  private changes = 0;

  constructor(
    readonly administrator: FixedAdministrator,
    private readonly quirks: QuirkSet,
  ) {
    this.accounts = [{ name: administrator.user, password: administrator.password, level: "admin", comment: "", fixed: true }];
  }

  /** Rises at every change of the accounts (persistence.ts saves them when it has moved). */
  get revision(): number {
    return this.changes;
  }

  /** Every account, the fixed administrator first, then in the order they were created. */
  all(): readonly Account[] {
    return this.accounts;
  }

  find(name: string): Account | undefined {
    return this.accounts.find((a) => a.name === name);
  }

  /** Adds accounts the caller has checked (new names, room left). */
  add(accounts: readonly Omit<Account, "fixed">[]): void {
    this.changes += 1;
    for (const a of accounts) {
      this.ghosts.delete(a.name);
      this.accounts.push({ ...a, fixed: false });
    }
  }

  /** Adds or replaces a non-fixed account as another controller of the network wrote it (AUD). */
  put(account: Omit<Account, "fixed">): void {
    this.changes += 1;
    const i = this.accounts.findIndex((a) => a.name === account.name);
    if (i < 0) this.add([account]);
    else if (!this.accounts[i]!.fixed) this.accounts[i] = { ...account, fixed: false };
  }

  /** Changes an existing, non-fixed account the caller has checked. */
  update(name: string, change: { readonly password?: string; readonly level?: AccountLevel; readonly comment?: string }): void {
    this.changes += 1;
    const i = this.accounts.findIndex((a) => a.name === name);
    const old = this.accounts[i]!;
    // The quirk: the login keeps the old password.
    const password = change.password === undefined || this.quirks.has("users-password-change-ignored") ? old.password : change.password;
    this.accounts[i] = { ...old, password, level: change.level ?? old.level, comment: change.comment ?? old.comment };
  }

  /** Removes existing, non-fixed accounts the caller has checked. */
  remove(names: readonly string[]): void {
    this.changes += 1;
    const gone = new Set(names);
    for (const a of this.accounts) if (gone.has(a.name) && this.quirks.has("users-removed-can-login")) this.ghosts.set(a.name, a);
    const kept = this.accounts.filter((a) => !gone.has(a.name));
    this.accounts.splice(0, this.accounts.length, ...kept);
  }

  password(user: string): string | undefined {
    return (this.find(user) ?? this.ghosts.get(user))?.password;
  }

  level(user: string): AccountLevel | undefined {
    const account = this.find(user) ?? this.ghosts.get(user);
    if (account === undefined) return undefined;
    // The quirk: every account is authorised as an administrator.
    return this.quirks.has("users-viewer-can-admin") ? "admin" : account.level;
  }
}

/** Creates the device's accounts with its fixed administrator (server.ts, before anything reads them). */
export function installAccounts(state: DeviceState, administrator: FixedAdministrator): AccountStore {
  return state.runtime(KEY, () => new AccountStore(administrator, state.quirks));
}

/** The accounts HTTP authentication honours (root/pass when the device was built without installAccounts). */
export function deviceAccounts(state: DeviceState): AccountStore {
  return state.runtime(KEY, () => new AccountStore({ user: "root", password: "pass" }, state.quirks));
}

/**
 * The accounts the ONVIF user operations manage: the same ones, except with the quirk
 * `users-onvif-vapix-split`, where ONVIF keeps a list of its own that nothing logs in with.
 */
export function onvifAccounts(state: DeviceState): AccountStore {
  const accounts = deviceAccounts(state);
  if (!state.quirks.has("users-onvif-vapix-split")) return accounts;
  return state.runtime(SPLIT_KEY, () => new AccountStore(accounts.administrator, state.quirks));
}
