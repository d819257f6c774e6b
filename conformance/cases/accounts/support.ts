/**
 * What the account checks share: VAPIX pwdgrp.cgi over the connection's raw HTTP (form-encoded
 * POST, which VAPIX accepts like a GET), requests sent as an account a check created (RawRequest
 * `credentials`), and the run's own accounts, named after the run and always removed again.
 */
import type { CheckContext, Exchange, HttpResponse, RawRequest } from "../../harness/types.js";
import { errorCode } from "../../harness/verdict.js";
import { excerptJson, faultChain } from "../../harness/faults.js";
import { lastExchange } from "../generic/support.js";
import { readSoapFault, soapEnvelope } from "../generic/raw.js";

export const SERVICE = "Device";
export const PWDGRP_CGI = "/axis-cgi/pwdgrp.cgi";
const PARAM_CGI = "/axis-cgi/param.cgi";
const SOAP_PATH = "/vapix/services";
const FORM = "application/x-www-form-urlencoded";
const TDS_NS = "http://www.onvif.org/ver10/device/wsdl";
const PACS_NS = "http://www.axis.com/vapix/ws/pacs";

/** Spec references (pwdgrp.cgi's page lies outside the PACS documentation: named, not linked). */
export const REFS = {
  intro: "intro.md#administrative-users",
  pwdgrp: "VAPIX System settings, user management (pwdgrp.cgi)",
  onvifUsers: "ONVIF Core, user handling (GetUsers, CreateUsers, SetUser, DeleteUsers)",
} as const;

export const OWNED_ONLY =
  "creates, changes and removes administrative accounts, a change to the device's security; this runs only against the built-in reference device (pacs-conformance run without --device)";

export interface Login {
  readonly user: string;
  readonly password: string;
}

export type Outcome =
  /** The device answered (any status but a refused login). */
  | { readonly kind: "answered"; readonly response: HttpResponse; readonly exchange: Exchange | undefined }
  /** HTTP 401 after authentication: the credentials were not accepted. */
  | { readonly kind: "refused"; readonly why: string; readonly exchange: Exchange | undefined };

/** A raw request, as `login` when given (else as the run's account); a 401 after authentication is an outcome, not an error. */
export async function sendAs(ctx: CheckContext, request: RawRequest, login?: Login): Promise<Outcome> {
  try {
    const response = await ctx.sendRaw(login === undefined ? request : { ...request, credentials: login }, "soap");
    return { kind: "answered", response, exchange: lastExchange(ctx) };
  } catch (err) {
    if (errorCode(err) === "AUTH_FAILED") return { kind: "refused", why: (err as Error).message, exchange: lastExchange(ctx) };
    throw err;
  }
}

/** pwdgrp.cgi with these arguments, as the run's account (an admin) unless `login` is given. */
export function pwdgrp(ctx: CheckContext, args: Record<string, string>, login?: Login): Promise<Outcome> {
  return sendAs(ctx, { path: PWDGRP_CGI, contentType: FORM, body: new URLSearchParams(args).toString(), operation: `pwdgrp.cgi ${args["action"] ?? ""}`.trim() }, login);
}

/** pwdgrp.cgi as the run's account; fails the check unless it answers 200. */
async function pwdgrpOk(ctx: CheckContext, args: Record<string, string>, what: string): Promise<HttpResponse> {
  const r = await pwdgrp(ctx, args);
  if (r.kind === "refused") return ctx.fail(`${what}: pwdgrp.cgi refused the run's own login (${r.why})`, r.exchange);
  if (r.response.status !== 200 || /^\s*Error/i.test(r.response.body)) ctx.fail(`${what}: pwdgrp.cgi action=${args["action"]} answered HTTP ${r.response.status}: ${excerptJson(r.response.body)}`, r.exchange);
  return r.response;
}

/** pwdgrp.cgi action=get: group → account names (`admin="root,alice"` lines). */
export async function pwdgrpGroups(ctx: CheckContext): Promise<{ groups: ReadonlyMap<string, readonly string[]>; exchange: Exchange | undefined }> {
  const response = await pwdgrpOk(ctx, { action: "get" }, "listing the accounts");
  const groups = new Map<string, string[]>();
  for (const line of response.body.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (m !== null) groups.set(m[1]!.toLowerCase(), m[2]!.split(",").map((n) => n.trim()).filter((n) => n !== ""));
  }
  return { groups, exchange: lastExchange(ctx) };
}

/** The group names pwdgrp.cgi lists `user` in, e.g. ["operator", "viewer"]. */
export function groupsOf(groups: ReadonlyMap<string, readonly string[]>, user: string): string[] {
  return ["admin", "operator", "viewer"].filter((g) => groups.get(g)?.includes(user) ?? false);
}

/**
 * A name of this run that fits pwdgrp.cgi's rule (1 to 14 letters and digits): the run prefix's
 * letters and digits ("pcx" + run id), then `tag`.
 */
export function accountName(ctx: CheckContext, tag: string): string {
  return `${ctx.tokenPrefix.replace(/[^A-Za-z0-9]/g, "").slice(0, 14 - tag.length)}${tag}`;
}

/** A fresh password from the run's seeded numbers (printable ASCII, well within 64 characters). */
export function newPassword(ctx: CheckContext): string {
  return `Pcx-${ctx.rng.int(100000, 999999)}-${ctx.rng.int(100000, 999999)}`;
}

/** Skips unless the run owns the device, and unless the device serves pwdgrp.cgi. */
export async function requireAccountChanges(ctx: CheckContext): Promise<void> {
  if (!ctx.ownsDevice) ctx.skip(OWNED_ONLY);
  const r = await pwdgrp(ctx, { action: "get" });
  if (r.kind === "answered" && r.response.status === 404) ctx.skip(`the device does not serve ${PWDGRP_CGI} (HTTP 404)`);
}

/**
 * Removes the account whatever happened: with pwdgrp.cgi and, if GetUsers still lists it, with
 * DeleteUsers. For `finally` blocks; errors are ignored (a cleanup registered by createAccount
 * reports an account that stays).
 */
export async function removeQuietly(ctx: CheckContext, user: string): Promise<void> {
  await pwdgrp(ctx, { action: "remove", user }).catch(() => undefined);
  try {
    const users = usersOf(await ctx.call<Record<string, unknown>>("tds:GetUsers", {}, "soap"));
    if (users.some((u) => u.name === user)) await ctx.call("tds:DeleteUsers", { Username: [user] }, "soap");
  } catch {
    // The cleanup below tries once more.
  }
}

/** GetUsers' users: name, level, and whether a Password came along (it never may). */
export function usersOf(response: Record<string, unknown>): { name: string; level: string; hasPassword: boolean }[] {
  const u = response["User"];
  const list = (Array.isArray(u) ? u : u === undefined ? [] : [u]) as Record<string, unknown>[];
  return list.map((x) => ({ name: String(x["Username"] ?? "").trim(), level: String(x["UserLevel"] ?? "").trim(), hasPassword: x["Password"] !== undefined }));
}

/** Registers the removal of `user` after the check (GetUsers, then DeleteUsers when it is still listed). */
export function cleanupAccount(ctx: CheckContext, user: string): void {
  ctx.onCleanup(`remove account ${user}`, async (call) => {
    const users = usersOf((await call("tds:GetUsers", {}, "soap")) as Record<string, unknown>);
    if (users.some((u) => u.name === user)) await call("tds:DeleteUsers", { Username: [user] }, "soap");
  });
}

/** Creates an account of this run with pwdgrp.cgi action=add (removed after the check). */
export async function createAccount(ctx: CheckContext, tag: string, sgrp: string): Promise<Login> {
  const login = { user: accountName(ctx, tag), password: newPassword(ctx) };
  cleanupAccount(ctx, login.user);
  await pwdgrpOk(ctx, { action: "add", user: login.user, pwd: login.password, grp: "users", sgrp, comment: "conformance run" }, `creating account ${login.user} (sgrp=${sgrp})`);
  return login;
}

export async function changePassword(ctx: CheckContext, user: string, password: string): Promise<void> {
  await pwdgrpOk(ctx, { action: "update", user, pwd: password }, `changing the password of ${user}`);
}

export async function removeAccount(ctx: CheckContext, user: string): Promise<void> {
  await pwdgrpOk(ctx, { action: "remove", user }, `removing account ${user}`);
}

/** How a request made as an account ended. */
export type Access =
  | { readonly kind: "granted"; readonly exchange: Exchange | undefined }
  | { readonly kind: "login-refused"; readonly why: string; readonly exchange: Exchange | undefined }
  | { readonly kind: "not-authorised"; readonly why: string; readonly exchange: Exchange | undefined };

/** 2xx is granted; a refused login is login-refused; any other answer is not-authorised, with what it was. */
function accessOf(outcome: Outcome): Access {
  if (outcome.kind === "refused") return { kind: "login-refused", why: outcome.why, exchange: outcome.exchange };
  const { status, body } = outcome.response;
  if (status >= 200 && status < 300) return { kind: "granted", exchange: outcome.exchange };
  const fault = readSoapFault(body, status);
  const why = fault === undefined ? `HTTP ${status}: ${excerptJson(body)}` : `HTTP ${status} with fault ${faultChain(fault)}`;
  return { kind: "not-authorised", why, exchange: outcome.exchange };
}

/** An administrator's request, as `login`: SOAP tds:GetUsers. */
export async function adminRequest(ctx: CheckContext, login: Login): Promise<Access> {
  return accessOf(await sendAs(ctx, { path: SOAP_PATH, contentType: "application/soap+xml; charset=utf-8", body: soapEnvelope(`<tds:GetUsers xmlns:tds="${TDS_NS}"/>`), operation: "tds:GetUsers" }, login));
}

/** A PACS operation, as `login`: SOAP pacsaxis:GetAccessPointInfoList (a read; admin needed all the same). */
export async function pacsRequest(ctx: CheckContext, login: Login): Promise<Access> {
  return accessOf(
    await sendAs(ctx, { path: SOAP_PATH, contentType: "application/soap+xml; charset=utf-8", body: soapEnvelope(`<p:GetAccessPointInfoList xmlns:p="${PACS_NS}"/>`), operation: "pacsaxis:GetAccessPointInfoList" }, login),
  );
}

/** pwdgrp.cgi action=get (an administrator's CGI), as `login`. */
export async function pwdgrpRequest(ctx: CheckContext, login: Login): Promise<Access> {
  return accessOf(await pwdgrp(ctx, { action: "get" }, login));
}

/** A request any account may make, as `login`: param.cgi action=list of Brand.ProdNbr. Granted when the login is accepted. */
export async function viewerRequest(ctx: CheckContext, login: Login): Promise<Access> {
  return accessOf(await sendAs(ctx, { path: PARAM_CGI, contentType: FORM, body: "action=list&group=Brand.ProdNbr", operation: "param.cgi list" }, login));
}
