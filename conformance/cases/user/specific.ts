/**
 * User rules that are not generic set/get/paging: the MaxLimit capability, the user of a
 * credential (GetUserInfoByCredentialToken) and schema conformance of the User responses.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docRef, itemsOf, tokenOf } from "../../harness/entity.js";
import { NOT_FOUND, TOO_MANY_ITEMS, excerptJson, expectFault, faultChain, faultOf, matchesFault } from "../../harness/faults.js";
import { createOne, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { BOTH, expectSchemaConformance, lastExchange } from "../generic/support.js";
import { credential } from "../access-control/entities.js";
import { USER_DOC, user } from "./entities.js";

const SERVICE = "User";
const LOOKUP = "axudb:GetUserInfoByCredentialToken";

/** A user of this run and a credential of this run whose UserToken names it. */
async function userWithCredential(ctx: CheckContext, n: number): Promise<{ user: string; sent: Record<string, unknown>; credential: string }> {
  requireOps(ctx, user.set, credential.set, LOOKUP);
  const sent = sampleFor(ctx, user, ctx.newToken("usr"), n);
  const userToken = await createOne(ctx, user, sent);
  const credentialToken = await createOne(ctx, credential, { ...sampleFor(ctx, credential, ctx.newToken("cred"), n), UserToken: userToken });
  return { user: userToken, sent, credential: credentialToken };
}

/** The UserInfo items GetUserInfoByCredentialToken answers; a NotFound fault counts as none. */
async function lookup(ctx: CheckContext, credentialToken: string): Promise<Record<string, unknown>[]> {
  try {
    return itemsOf(await ctx.call(LOOKUP, { CredentialToken: credentialToken }), "UserInfo");
  } catch (err) {
    const f = faultOf(err);
    if (f !== undefined && matchesFault(f, NOT_FOUND)) return [];
    throw err;
  }
}

function describeUsers(items: readonly Record<string, unknown>[]): string {
  return excerptJson(items.map((i) => ({ token: i["token"], Name: i["Name"] })));
}

const maxLimit: CheckDefinition = {
  id: "axudb.capabilities.max-limit",
  title: "The User service's MaxLimit is the limit its get requests apply",
  service: SERVICE,
  rule: "GetServiceCapabilities reports MaxLimit, the most items one request may ask for: GetUserInfo with MaxLimit tokens is answered, with MaxLimit + 1 it returns env:Sender/ter:InvalidArgs/ter:TooManyItems.",
  specRefs: [`${USER_DOC}#servicecapabilities-data-structure`, docRef(user, "axudb:GetServiceCapabilities"), docRef(user, "axudb:GetUserInfo")],
  quirk: "user-max-limit-wrong",
  notes: "Another fault than TooManyItems for MaxLimit + 1 tokens is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "axudb:GetServiceCapabilities", user.info?.get);
    const caps = ((await ctx.call("axudb:GetServiceCapabilities", {})) as Record<string, unknown>)["Capabilities"] as Record<string, unknown> | undefined;
    const max = Number(caps?.["MaxLimit"]);
    if (!Number.isSafeInteger(max) || max < 1) ctx.fail(`GetServiceCapabilities reports MaxLimit ${excerptJson(caps?.["MaxLimit"])}; expected a positive integer`, lastExchange(ctx));
    if (max > 5000) ctx.skip(`MaxLimit ${max} is too large to send in one request`);
    const tokens = Array.from({ length: max + 1 }, (_, i) => `${ctx.tokenPrefix}max-${i}`);
    try {
      // Unknown tokens are ignored, so this asks for nothing but exercises the limit.
      await ctx.call(user.info!.get!, { Token: tokens.slice(0, max) });
    } catch (err) {
      const f = faultOf(err);
      if (f !== undefined) ctx.fail(`GetUserInfo with MaxLimit = ${max} tokens returned fault ${faultChain(f)}; up to MaxLimit tokens must be accepted`, lastExchange(ctx));
      throw err;
    }
    await expectFault(ctx, user.info!.get!, { Token: tokens }, TOO_MANY_ITEMS, `GetUserInfo with MaxLimit + 1 = ${max + 1} tokens`);
  },
};

const findsUser: CheckDefinition = {
  id: "axudb.get-user-info-by-credential-token.finds-user",
  title: "GetUserInfoByCredentialToken returns the user a credential is linked to",
  service: SERVICE,
  rule: "A credential whose UserToken is a user's token is linked to that user: GetUserInfoByCredentialToken returns exactly that user's UserInfo.",
  specRefs: [`${USER_DOC}#setting-the-user`, docRef(user, LOOKUP), `${USER_DOC}#userinfo-data-structure`],
  quirk: "user-by-credential-not-linked",
  transports: BOTH,
  run: async (ctx) => {
    const linked = await userWithCredential(ctx, 30);
    const got = await lookup(ctx, linked.credential);
    if (got.length !== 1 || tokenOf(user, got[0]) !== linked.user) {
      ctx.fail(`GetUserInfoByCredentialToken for credential "${linked.credential}" (UserToken "${linked.user}") returned ${describeUsers(got)}; expected exactly user "${linked.user}"`, lastExchange(ctx));
    }
    const info = got[0]!;
    if (info["Name"] !== linked.sent["Name"] || (info["Description"] ?? "") !== linked.sent["Description"]) {
      ctx.fail(`GetUserInfoByCredentialToken returned Name ${excerptJson(info["Name"])}, Description ${excerptJson(info["Description"])}; the user was set with ${excerptJson(linked.sent["Name"])}, ${excerptJson(linked.sent["Description"])}`, lastExchange(ctx));
    }
  },
};

const unknownCredential: CheckDefinition = {
  id: "axudb.get-user-info-by-credential-token.unknown-credential",
  title: "GetUserInfoByCredentialToken returns no user for an unknown credential",
  service: SERVICE,
  rule: "For a credential token that does not exist no user matches: GetUserInfoByCredentialToken returns env:Sender/ter:InvalidArgVal/ter:NotFound (an empty list is accepted too).",
  specRefs: [docRef(user, LOOKUP)],
  quirk: "user-by-credential-unknown-returns-all",
  notes: "Another fault than NotFound is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, user.set, LOOKUP);
    // A user of our own, so that answering "every user" shows on an otherwise empty device.
    await createOne(ctx, user, sampleFor(ctx, user, ctx.newToken("usr"), 31));
    const unknown = ctx.newToken("no-such-credential");
    let response: unknown;
    try {
      response = await ctx.call(LOOKUP, { CredentialToken: unknown });
    } catch (err) {
      const f = faultOf(err);
      if (f === undefined) throw err;
      if (!matchesFault(f, NOT_FOUND)) ctx.warn(`GetUserInfoByCredentialToken for unknown credential "${unknown}" returned ${faultChain(f)}; the documented fault is ${faultChain(NOT_FOUND)}`, lastExchange(ctx));
      return;
    }
    const got = itemsOf(response, "UserInfo");
    if (got.length > 0) ctx.fail(`GetUserInfoByCredentialToken for unknown credential "${unknown}" returned ${got.length} user(s) ${describeUsers(got)}; expected none (NotFound)`, lastExchange(ctx));
  },
};

const followsChanges: CheckDefinition = {
  id: "axudb.get-user-info-by-credential-token.follows-user-changes",
  title: "GetUserInfoByCredentialToken shows the user as it is now",
  service: SERVICE,
  rule: "The credential's user is looked up as it is now: after SetUser replaces the user GetUserInfoByCredentialToken shows the new Name, and after RemoveUser it returns no user.",
  specRefs: [docRef(user, LOOKUP), docRef(user, "axudb:SetUser"), docRef(user, "axudb:RemoveUser")],
  quirk: "user-by-credential-stale",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, user.remove);
    const linked = await userWithCredential(ctx, 32);
    await lookup(ctx, linked.credential);
    const replaced = user.modify(linked.sent, `${ctx.tokenPrefix}user-32`);
    await setItems(ctx, user, [replaced]);
    const renamed = await lookup(ctx, linked.credential);
    if (renamed.length !== 1 || renamed[0]!["Name"] !== replaced["Name"]) {
      ctx.fail(`after SetUser renamed user "${linked.user}" to ${excerptJson(replaced["Name"])}, GetUserInfoByCredentialToken for its credential returned ${describeUsers(renamed)}`, lastExchange(ctx));
    }
    await ctx.call(user.remove!, { Token: [linked.user] });
    const removed = await lookup(ctx, linked.credential);
    if (removed.length > 0) ctx.fail(`after RemoveUser "${linked.user}", GetUserInfoByCredentialToken for its credential still returned ${describeUsers(removed)}`, lastExchange(ctx));
  },
};

const schema: CheckDefinition = {
  id: "axudb.schema.user-info",
  title: "UserInfo and User responses conform to the schema",
  service: SERVICE,
  rule: "Responses of GetUserInfo, GetUserInfoList, GetUser, GetUserList and GetUserInfoByCredentialToken conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, types and facets respected.",
  specRefs: [`${USER_DOC}#userinfo-data-structure`, `${USER_DOC}#user-data-structure`, docRef(user, "axudb:GetUserInfo"), docRef(user, "axudb:GetUserList"), docRef(user, LOOKUP)],
  quirk: "schema-invalid-response",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, user.info?.list, user.full?.get, user.full?.list);
    const linked = await userWithCredential(ctx, 33);
    await expectSchemaConformance(ctx, [
      [user.info!.get!, { Token: [linked.user] }],
      [user.info!.list!, { Limit: 2 }],
      [user.full!.get!, { Token: [linked.user] }],
      [user.full!.list!, { Limit: 2 }],
      [LOOKUP, { CredentialToken: linked.credential }],
    ]);
  },
};

export function userSpecificChecks(): CheckDefinition[] {
  return [maxLimit, findsUser, unknownCredential, followsChanges, schema];
}
