/**
 * Administrative accounts (intro.md, "Administrative users"): VAPIX pwdgrp.cgi and the ONVIF user
 * operations manage one set of accounts, and HTTP authentication honours each change at once. The
 * checks create accounts of their own (named after the run), log in with them over raw HTTP as
 * those accounts, change and remove them, and always remove them again. Creating a login is a
 * change to the device's security: they run only against the device the run owns.
 */
import type { CheckContext, CheckDefinition, Protocol } from "../../harness/types.js";
import { faultChain, faultOf } from "../../harness/faults.js";
import { lastExchange } from "../generic/support.js";
import {
  REFS,
  SERVICE,
  accountName,
  adminRequest,
  changePassword,
  cleanupAccount,
  createAccount,
  groupsOf,
  newPassword,
  pacsRequest,
  pwdgrp,
  pwdgrpGroups,
  pwdgrpRequest,
  removeAccount,
  removeQuietly,
  requireAccountChanges,
  usersOf,
  viewerRequest,
  type Access,
  type Login,
} from "./support.js";

const SOAP: readonly Protocol[] = ["soap"];

/** Fails unless `access` was granted: the account must log in and act as an administrator. */
function expectGranted(ctx: CheckContext, access: Access, what: string): void {
  if (access.kind === "login-refused") ctx.fail(`${what}: the login was refused (${access.why})`, access.exchange);
  if (access.kind === "not-authorised") ctx.fail(`${what}: refused with ${access.why}`, access.exchange);
}

const removedRefused: CheckDefinition = {
  id: "accounts.pwdgrp.removed-account-refused",
  title: "An admin account created with pwdgrp.cgi logs in at once, and no longer once removed",
  service: SERVICE,
  rule: "HTTP authentication honours the administrative accounts at once: an admin added with pwdgrp.cgi action=add can log in and act, and after action=remove its login is refused (HTTP 401).",
  specRefs: [REFS.intro, REFS.pwdgrp],
  quirk: "users-removed-can-login",
  notes: "Logs in as the account with a raw SOAP tds:GetUsers (Digest or Basic, as the device asks).",
  transports: SOAP,
  run: async (ctx) => {
    await requireAccountChanges(ctx);
    const login = await createAccount(ctx, "rm", "admin:operator:viewer");
    try {
      expectGranted(ctx, await adminRequest(ctx, login), `admin account ${login.user} just created with pwdgrp.cgi`);
      await removeAccount(ctx, login.user);
      const { groups, exchange } = await pwdgrpGroups(ctx);
      const still = groupsOf(groups, login.user);
      if (still.length > 0) ctx.fail(`pwdgrp.cgi action=get still lists removed account ${login.user} in ${still.join(", ")}`, exchange);
      const after = await adminRequest(ctx, login);
      if (after.kind !== "login-refused") ctx.fail(`account ${login.user} was removed with pwdgrp.cgi, yet its login is still accepted (${after.kind === "granted" ? "the request was served" : after.why}); expected HTTP 401`, after.exchange);
    } finally {
      await removeQuietly(ctx, login.user);
    }
  },
};

const passwordChange: CheckDefinition = {
  id: "accounts.pwdgrp.password-change-effective",
  title: "A password changed with pwdgrp.cgi takes effect at once: the new one logs in, the old one is refused",
  service: SERVICE,
  rule: "After pwdgrp.cgi action=update with a new pwd, the account logs in with the new password only; the old one is refused (HTTP 401).",
  specRefs: [REFS.intro, REFS.pwdgrp],
  quirk: "users-password-change-ignored",
  transports: SOAP,
  run: async (ctx) => {
    await requireAccountChanges(ctx);
    const login = await createAccount(ctx, "pw", "admin:operator:viewer");
    try {
      expectGranted(ctx, await adminRequest(ctx, login), `admin account ${login.user} just created with pwdgrp.cgi`);
      const changed: Login = { user: login.user, password: newPassword(ctx) };
      await changePassword(ctx, login.user, changed.password);
      const old = await adminRequest(ctx, login);
      if (old.kind !== "login-refused") ctx.fail(`the password of ${login.user} was changed with pwdgrp.cgi, yet the old one is still accepted (${old.kind === "granted" ? "the request was served" : old.why}); expected HTTP 401`, old.exchange);
      expectGranted(ctx, await adminRequest(ctx, changed), `${login.user} with the password just set by pwdgrp.cgi action=update`);
    } finally {
      await removeQuietly(ctx, login.user);
    }
  },
};

const belowAdminRefused: CheckDefinition = {
  id: "accounts.levels.below-admin-refused",
  title: "Viewer and operator accounts log in, but are refused PACS and user-management operations",
  service: SERVICE,
  rule: "Admin level is required for every action (intro.md): a viewer or operator account authenticates (param.cgi answers it) but a PACS operation and pwdgrp.cgi are refused (HTTP 401/403, or a SOAP fault such as env:Sender/ter:NotAuthorized).",
  specRefs: [REFS.intro, REFS.pwdgrp, "ONVIF Core, fault ter:NotAuthorized"],
  quirk: "users-viewer-can-admin",
  notes: "Any refusal counts (401, 403, a 4xx fault); only a served request fails. The reference device answers SOAP/JSON with HTTP 400 env:Sender/ter:NotAuthorized and the CGIs with 401.",
  transports: SOAP,
  run: async (ctx) => {
    await requireAccountChanges(ctx);
    const logins: [string, Login][] = [];
    try {
      for (const [tag, sgrp, level] of [
        ["vw", "viewer", "viewer"],
        ["op", "operator:viewer", "operator"],
      ] as const) {
        logins.push([level, await createAccount(ctx, tag, sgrp)]);
      }
      for (const [level, login] of logins) {
        const read = await viewerRequest(ctx, login);
        if (read.kind === "login-refused") ctx.fail(`${level} account ${login.user} cannot log in at all (param.cgi action=list: ${read.why}); an account below admin still authenticates`, read.exchange);
        for (const [what, access] of [
          ["the PACS operation pacsaxis:GetAccessPointInfoList", await pacsRequest(ctx, login)],
          ["pwdgrp.cgi action=get", await pwdgrpRequest(ctx, login)],
        ] as const) {
          if (access.kind === "granted") ctx.fail(`${level} account ${login.user} was served ${what}; admin level is required for every action`, access.exchange);
        }
      }
    } finally {
      for (const [, login] of logins) await removeQuietly(ctx, login.user);
    }
  },
};

const sameAccounts: CheckDefinition = {
  id: "accounts.onvif-vapix.same-accounts",
  title: "pwdgrp.cgi and the ONVIF user operations manage the same accounts",
  service: SERVICE,
  rule: "An account added with pwdgrp.cgi is listed by GetUsers at the matching level (admin ↔ Administrator, operator ↔ Operator, viewer ↔ User) and one created with CreateUsers by pwdgrp.cgi action=get and can log in; each interface removes the other's accounts.",
  specRefs: [REFS.intro, REFS.pwdgrp, REFS.onvifUsers, "DEVICE-4-1-1", "DEVICE-4-1-9", "DEVICE-4-1-4"],
  quirk: "users-onvif-vapix-split",
  transports: SOAP,
  run: async (ctx) => {
    await requireAccountChanges(ctx);
    const vapix = await createAccount(ctx, "vx", "operator:viewer");
    const onvif: Login = { user: accountName(ctx, "ov"), password: newPassword(ctx) };
    try {
      cleanupAccount(ctx, onvif.user);
      await ctx.call("tds:CreateUsers", { User: [{ Username: onvif.user, Password: onvif.password, UserLevel: "User" }] }, "soap");
      const users = usersOf(await ctx.call<Record<string, unknown>>("tds:GetUsers", {}, "soap"));
      const usersExchange = lastExchange(ctx);
      const listed = users.find((u) => u.name === vapix.user);
      if (listed === undefined) return ctx.fail(`GetUsers does not list ${vapix.user}, added with pwdgrp.cgi (it lists ${users.map((u) => u.name).join(", ")})`, usersExchange);
      if (listed.level !== "Operator") ctx.fail(`GetUsers lists ${vapix.user} (pwdgrp.cgi sgrp=operator:viewer) as ${listed.level}; expected Operator`, usersExchange);
      const { groups, exchange } = await pwdgrpGroups(ctx);
      const inGroups = groupsOf(groups, onvif.user);
      if (inGroups.length === 0) ctx.fail(`pwdgrp.cgi action=get does not list ${onvif.user}, created with CreateUsers`, exchange);
      if (inGroups.join(",") !== "viewer") ctx.fail(`pwdgrp.cgi lists ${onvif.user} (CreateUsers level User) in ${inGroups.join(", ")}; expected viewer only`, exchange);
      const read = await viewerRequest(ctx, onvif);
      if (read.kind === "login-refused") ctx.fail(`${onvif.user}, created with CreateUsers, cannot log in (${read.why})`, read.exchange);
      try {
        await ctx.call("tds:DeleteUsers", { Username: [vapix.user] }, "soap");
      } catch (err) {
        const fault = faultOf(err);
        if (fault === undefined) throw err;
        ctx.fail(`DeleteUsers refused ${vapix.user}, added with pwdgrp.cgi: ${faultChain(fault)} ${fault.reason}`, lastExchange(ctx));
      }
      const removed = await pwdgrp(ctx, { action: "remove", user: onvif.user });
      if (removed.kind !== "answered" || removed.response.status !== 200 || /^\s*Error/i.test(removed.response.body)) {
        ctx.fail(`pwdgrp.cgi action=remove refused ${onvif.user}, created with CreateUsers: ${removed.kind === "refused" ? removed.why : `HTTP ${removed.response.status} ${removed.response.body.trim()}`}`, removed.exchange);
      }
      const left = usersOf(await ctx.call<Record<string, unknown>>("tds:GetUsers", {}, "soap")).filter((u) => u.name === vapix.user || u.name === onvif.user);
      if (left.length > 0) ctx.fail(`GetUsers still lists ${left.map((u) => u.name).join(", ")} after their removal through the other interface`, lastExchange(ctx));
      const after = await pwdgrpGroups(ctx);
      const stillListed = [vapix.user, onvif.user].filter((u) => groupsOf(after.groups, u).length > 0);
      if (stillListed.length > 0) ctx.fail(`pwdgrp.cgi still lists ${stillListed.join(", ")} after their removal through the other interface`, after.exchange);
    } finally {
      await removeQuietly(ctx, vapix.user);
      await removeQuietly(ctx, onvif.user);
    }
  },
};

export function accountCheckList(): CheckDefinition[] {
  return [removedRefused, passwordChange, belowAdminRefused, sameAccounts];
}
