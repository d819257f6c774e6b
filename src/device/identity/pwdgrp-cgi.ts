/**
 * GET or POST (form-encoded) /axis-cgi/pwdgrp.cgi — VAPIX user management over the device's
 * accounts (accounts.ts), the same ones the ONVIF user operations manage and HTTP authentication
 * honours. intro.md names it as the VAPIX interface to the administrative users; the arguments
 * are VAPIX's:
 *
 * - `action=get`: one `<group>="<user>,<user>"` line per security group, admin, operator and
 *   viewer. Groups are cumulative, as accounts added with the usual `sgrp=admin:operator:viewer`
 *   show them: an admin is listed in all three, an operator in operator and viewer.
 * - `action=add&user=…&pwd=…&grp=users&sgrp=…[&comment=…]`: `Created account <user>.`
 * - `action=update&user=…[&pwd=…][&sgrp=…][&comment=…]`: `Modified account <user>.`
 * - `action=remove&user=…`: `Removed account <user>.`
 *
 * `sgrp` is a colon-separated list of security groups; the account gets the highest of admin,
 * operator and viewer named (`ptz` is accepted and has no effect: this device has no PTZ). New
 * names follow VAPIX's rule (1 to 14 letters a-z, A-Z or digits); passwords 1 to 64 printable
 * ASCII characters (codes 32 to 126). The administrator the device was started with cannot be
 * changed or removed.
 *
 * Every refusal is HTTP 400 with one `Error: …` line saying what to send instead, and changes
 * nothing (this device's choice: a client that only reads the status sees the refusal too).
 * The CGI needs an admin account (http.ts answers 401 to the others).
 */
import { cgiArguments, type CgiEndpoint, type CgiRequest, type CgiResponse } from "../service.js";
import type { DeviceState } from "../state.js";
import { LEVELS, MAX_ACCOUNTS, deviceAccounts, hasLevel, type AccountLevel, type AccountStore } from "./accounts.js";

const TEXT = "text/plain; charset=utf-8";
const MAX_NAME = 14;
const MAX_PASSWORD = 64;
const MAX_COMMENT = 64;
const ACTIONS = ["get", "add", "update", "remove"] as const;
/** Security groups sgrp may name besides the levels. */
const IGNORED_GROUPS = new Set(["ptz"]);

/** A refused request (HTTP 400). */
class PwdgrpError extends Error {
  override readonly name = "PwdgrpError";
  readonly code = "PWDGRP_REFUSED";
}

const ok = (body: string): CgiResponse => ({ status: 200, contentType: TEXT, body: `${body}\n` });


/** The one value of an argument; undefined when absent, refused when given twice. */
function single(args: URLSearchParams, name: string): string | undefined {
  const values = args.getAll(name);
  if (values.length > 1) throw new PwdgrpError(`${name} is given ${values.length} times; give it once`);
  return values[0];
}

function required(args: URLSearchParams, name: string, action: string, what: string): string {
  const value = single(args, name);
  if (value === undefined || value === "") throw new PwdgrpError(`action=${action} needs ${name}=<${what}>`);
  return value;
}

function checkNewName(name: string): void {
  if (name.length > MAX_NAME) throw new PwdgrpError(`user name "${name}" has ${name.length} characters; at most ${MAX_NAME}`);
  if (!/^[A-Za-z0-9]+$/.test(name)) throw new PwdgrpError(`user name "${name}" may hold only the letters a-z, A-Z and the digits 0-9`);
}

function checkPassword(password: string): void {
  if (password.length > MAX_PASSWORD) throw new PwdgrpError(`the password has ${password.length} characters; at most ${MAX_PASSWORD}`);
  if (!/^[\x20-\x7e]+$/.test(password)) throw new PwdgrpError("the password may hold only printable ASCII characters (codes 32 to 126)");
}

function checkComment(comment: string): void {
  if (comment.length > MAX_COMMENT) throw new PwdgrpError(`the comment has ${comment.length} characters; at most ${MAX_COMMENT}`);
  if (!/^[\x20-\x7e]*$/.test(comment)) throw new PwdgrpError("the comment may hold only printable ASCII characters (codes 32 to 126)");
}

/** sgrp=admin:operator:viewer → the highest level named. */
function levelOf(sgrp: string): AccountLevel {
  const groups = sgrp.split(":").map((g) => g.trim().toLowerCase());
  const unknown = groups.filter((g) => !(LEVELS as readonly string[]).includes(g) && !IGNORED_GROUPS.has(g));
  if (unknown.length > 0) throw new PwdgrpError(`sgrp names unknown security group${unknown.length === 1 ? "" : "s"} ${unknown.map((g) => `"${g}"`).join(", ")}; use admin, operator or viewer, e.g. sgrp=admin:operator:viewer`);
  const level = LEVELS.find((l) => groups.includes(l));
  if (level === undefined) throw new PwdgrpError(`sgrp=${sgrp} names no level; add admin, operator or viewer, e.g. sgrp=viewer`);
  return level;
}

function checkGroup(grp: string | undefined, action: string): void {
  if (grp === undefined) {
    if (action === "add") throw new PwdgrpError("action=add needs grp=users");
    return;
  }
  if (grp !== "users") throw new PwdgrpError(`grp=${grp} is not a group accounts can be in; use grp=users`);
}

/** An existing account that may be changed or removed. */
function changeable(accounts: AccountStore, name: string, action: string): void {
  const account = accounts.find(name);
  if (account === undefined) throw new PwdgrpError(`there is no account "${name}" (action=get lists them)`);
  if (account.fixed) throw new PwdgrpError(`"${name}" is the administrator the device was started with; action=${action} cannot change it (restart the device with other --user/--password)`);
}

function list(accounts: AccountStore): string {
  return LEVELS.map((group) => `${group}="${accounts.all().filter((a) => hasLevel(a.level, group)).map((a) => a.name).join(",")}"`).join("\n");
}

function run(args: URLSearchParams, accounts: AccountStore): CgiResponse {
  const action = single(args, "action")?.toLowerCase();
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    throw new PwdgrpError(`${action === undefined ? "no action" : `action=${action}`}; use action=get, add, update or remove`);
  }
  if (action === "get") return ok(list(accounts));
  const user = required(args, "user", action, "name");
  if (action === "remove") {
    changeable(accounts, user, action);
    accounts.remove([user]);
    return ok(`Removed account ${user}.`);
  }
  const pwd = action === "add" ? required(args, "pwd", action, "password") : single(args, "pwd");
  const sgrp = action === "add" ? required(args, "sgrp", action, "admin|operator|viewer") : single(args, "sgrp");
  const comment = single(args, "comment");
  checkGroup(single(args, "grp"), action);
  if (pwd !== undefined) {
    if (pwd === "") throw new PwdgrpError("pwd is empty; a password needs 1 to 64 characters");
    checkPassword(pwd);
  }
  const level = sgrp === undefined ? undefined : levelOf(sgrp);
  if (comment !== undefined) checkComment(comment);
  if (action === "add") {
    if (accounts.find(user) !== undefined) throw new PwdgrpError(`an account "${user}" already exists; use action=update to change it`);
    checkNewName(user);
    if (accounts.all().length >= MAX_ACCOUNTS) throw new PwdgrpError(`the device holds ${MAX_ACCOUNTS} accounts, its most; remove one first`);
    accounts.add([{ name: user, password: pwd!, level: level!, comment: comment ?? "" }]);
    return ok(`Created account ${user}.`);
  }
  changeable(accounts, user, action);
  if (pwd === undefined && level === undefined && comment === undefined) throw new PwdgrpError("action=update needs at least one of pwd, sgrp and comment");
  accounts.update(user, { ...(pwd === undefined ? {} : { password: pwd }), ...(level === undefined ? {} : { level }), ...(comment === undefined ? {} : { comment }) });
  return ok(`Modified account ${user}.`);
}

function handle(request: CgiRequest, state: DeviceState): CgiResponse {
  try {
    return run(cgiArguments(request), deviceAccounts(state));
  } catch (err) {
    if (err instanceof PwdgrpError) return { status: 400, contentType: TEXT, body: `Error: ${err.message}\n` };
    throw err;
  }
}

export const pwdgrpCgi: CgiEndpoint = { path: "/axis-cgi/pwdgrp.cgi", methods: ["GET", "POST"], handle };
