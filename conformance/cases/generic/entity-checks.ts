/**
 * Set/get semantics and token rules, generated from entity declarations (intro.md#set-requests,
 * intro.md#get-requests, intro.md#common-data-fields and each operation's API reference).
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration, EntityForm } from "../../harness/entity.js";
import { itemsOf, setResponseTokens, tokenOf } from "../../harness/entity.js";
import { diffSent } from "../../harness/compare.js";
import { createOne, getByTokens, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { NOT_FOUND, TOO_MANY_ITEMS, expectFault, excerptJson, faultOf, faultChain } from "../../harness/faults.js";
import { errorCode } from "../../harness/verdict.js";
import { BOTH, entityId, lastExchange, opId, readFull, readOp, refs, sharedFieldDiffs } from "./support.js";
import { sendWithoutTokens } from "./raw.js";
import { walkList } from "../../harness/walk.js";

const INTRO_SET = "intro.md#set-requests";
const INTRO_GET = "intro.md#get-requests";
const INTRO_TOKENS = "intro.md#common-data-fields";

function ignoreFor(entity: EntityDeclaration): string[] {
  return [entity.tokenField, ...(entity.deviceFilled ?? [])];
}

async function expectStoredAs(ctx: CheckContext, entity: EntityDeclaration, token: string, sent: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
  const items = await readFull(ctx, entity, [token]);
  const found = items.filter((i) => tokenOf(entity, i) === token);
  if (found.length !== 1) {
    ctx.fail(`${what}: ${readOp(entity)} for token "${token}" returned ${found.length} matching items (${items.length} in total); expected exactly 1`, lastExchange(ctx));
  }
  const got = found[0] as Record<string, unknown>;
  const diffs = diffSent(sent, got, "", ignoreFor(entity));
  if (diffs.length > 0) ctx.fail(`${what}: the stored ${entity.typeName} differs from what was set: ${diffs.slice(0, 5).join("; ")}`, lastExchange(ctx));
  return got;
}

/** The set/get checks of one settable entity. */
export function setGetChecks(entity: EntityDeclaration): CheckDefinition[] {
  if (entity.set === undefined || entity.remove === undefined || entity.full === undefined) return [];
  const full = entity.full;
  const checks: CheckDefinition[] = [];
  const base = { service: entity.service, transports: BOTH };

  checks.push({
    ...base,
    id: entityId(entity, "create-empty-token"),
    title: `Set${entity.typeName} with an empty token creates an item under a new token`,
    rule: `If the token of a ${entity.typeName} is empty, the service allocates a token, returns it in the Set response, and the item is readable under it.`,
    specRefs: [INTRO_SET, ...refs(entity, [entity.set, readOp(entity)], [full], ["create-empty-token"])],
    quirk: "set-returns-no-tokens",
    run: async (ctx) => {
      requireOps(ctx, entity.set, readOp(entity));
      const item = sampleFor(ctx, entity, "", 1);
      const { tokens } = await setItems(ctx, entity, [item]);
      const token = tokens[0];
      if (tokens.length !== 1 || token === undefined || token === "") {
        ctx.fail(`${entity.set} with one item and an empty token answered with ${tokens.length} token(s) ${excerptJson(tokens)}; expected exactly one new, non-empty token`, lastExchange(ctx));
      }
      await expectStoredAs(ctx, entity, token, item, `reading back the allocated token "${token}"`);
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "create-client-token"),
    title: `Set${entity.typeName} with a new client token creates the item under that token`,
    rule: `A Set${entity.typeName} with a token that does not exist yet creates the item under exactly that token.`,
    specRefs: [INTRO_SET, ...refs(entity, [entity.set, readOp(entity)], [full], ["create-client-token"])],
    quirk: "ignore-client-token",
    run: async (ctx) => {
      requireOps(ctx, entity.set, readOp(entity));
      const token = ctx.newToken("cct");
      const item = sampleFor(ctx, entity, token, 2);
      const { tokens } = await setItems(ctx, entity, [item]);
      if (tokens.length > 0 && tokens[0] !== token) {
        ctx.fail(`${entity.set} with the new client token "${token}" answered with token "${tokens[0]}"; the item must be created under the client's token`, lastExchange(ctx));
      }
      await expectStoredAs(ctx, entity, token, item, `reading back client token "${token}"`);
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "replace"),
    title: `Set${entity.typeName} with an existing token replaces the item`,
    rule: `If a ${entity.typeName} with the given token exists, Set${entity.typeName} replaces its data with the data sent.`,
    specRefs: [INTRO_SET, ...refs(entity, [entity.set, readOp(entity)], [full], ["modify"])],
    quirk: "set-does-not-replace",
    run: async (ctx) => {
      requireOps(ctx, entity.set, readOp(entity));
      const token = ctx.newToken("rep");
      const first = sampleFor(ctx, entity, token, 3);
      await createOne(ctx, entity, first);
      const second = entity.modify(first, `${ctx.tokenPrefix}${entity.key}-3`);
      await setItems(ctx, entity, [second]);
      await expectStoredAs(ctx, entity, token, second, `after replacing "${token}"`);
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "set-response-tokens"),
    title: `Set${entity.typeName} answers with every token, in request order`,
    rule: `The Set${entity.typeName} response lists the token of every item sent, in the order sent, including tokens the device allocated.`,
    specRefs: [INTRO_SET, ...refs(entity, [entity.set], [full], [])],
    quirk: "set-returns-no-tokens",
    run: async (ctx) => {
      requireOps(ctx, entity.set);
      const a = ctx.newToken("srt");
      const c = ctx.newToken("srt");
      const items = [sampleFor(ctx, entity, a, 4), sampleFor(ctx, entity, "", 5), sampleFor(ctx, entity, c, 6)];
      const { tokens } = await setItems(ctx, entity, items);
      if (tokens.length !== 3) {
        ctx.fail(`${entity.set} with 3 items (client token, empty token, client token) answered with ${tokens.length} token(s) ${excerptJson(tokens)}; expected 3`, lastExchange(ctx));
      }
      const [t0, t1, t2] = tokens;
      if (t0 !== a || t2 !== c) ctx.fail(`${entity.set} answered tokens ${excerptJson(tokens)}; expected "${a}" first and "${c}" last (request order)`, lastExchange(ctx));
      if (t1 === undefined || t1 === "" || t1 === a || t1 === c) ctx.fail(`${entity.set} answered "${t1}" for the item with an empty token; expected a new, distinct token`, lastExchange(ctx));
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "remove"),
    title: `Remove${entity.typeName} deletes the item`,
    rule: `After Remove${entity.typeName}, the item is gone: Get${entity.typeName} returns nothing for its token and the list no longer contains it.`,
    specRefs: refs(entity, [entity.remove, readOp(entity), full.list], [full], ["delete"]),
    quirk: "remove-noop",
    run: async (ctx) => {
      requireOps(ctx, entity.set, entity.remove, readOp(entity));
      const token = await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("rm"), 7));
      await ctx.call(entity.remove as string, { Token: [token] });
      const left = (await readFull(ctx, entity, [token])).filter((i) => tokenOf(entity, i) === token);
      if (left.length > 0) ctx.fail(`${entity.remove} answered OK for "${token}" but ${readOp(entity)} still returns the item`, lastExchange(ctx));
      if (full.list !== undefined && full.get !== undefined) {
        const listed = (await readFullByList(ctx, entity)).includes(token);
        if (listed) ctx.fail(`${entity.remove} answered OK for "${token}" but ${full.list} still lists it`, lastExchange(ctx));
      }
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "unique-tokens"),
    title: `Set${entity.typeName} allocates a different token for every new item`,
    rule: `Tokens are unique per type: two Set${entity.typeName} calls with empty tokens create two items with different tokens, both readable.`,
    specRefs: [INTRO_TOKENS, ...refs(entity, [entity.set], [full], ["create-empty-token"])],
    quirk: "reuse-generated-token",
    run: async (ctx) => {
      requireOps(ctx, entity.set, readOp(entity));
      const one = sampleFor(ctx, entity, "", 8);
      const two = sampleFor(ctx, entity, "", 9);
      const t1 = await createOne(ctx, entity, one);
      const t2 = await createOne(ctx, entity, two);
      if (t1 === t2) ctx.fail(`two Set${entity.typeName} calls with empty tokens both got token "${t1}"; tokens must be unique per type`, lastExchange(ctx));
      await expectStoredAs(ctx, entity, t1, one, `first allocated item "${t1}"`);
      await expectStoredAs(ctx, entity, t2, two, `second allocated item "${t2}"`);
    },
  });

  checks.push({
    ...base,
    id: entityId(entity, "remove-unknown-token"),
    title: `Remove${entity.typeName} with an unknown token gives NotFound`,
    rule: `Remove${entity.typeName} for a token that does not exist returns env:Sender/ter:InvalidArgVal/ter:NotFound.`,
    specRefs: refs(entity, [entity.remove], [full], ["delete-invalid-token"]),
    quirk: "not-found-succeeds",
    notes: "Another fault than the documented one is a warning.",
    run: async (ctx) => {
      requireOps(ctx, entity.remove);
      const unknown = ctx.newToken("unknown");
      await expectFault(ctx, entity.remove as string, { Token: [unknown] }, NOT_FOUND, `${entity.remove} with unknown token "${unknown}"`);
    },
  });

  if (entity.info !== undefined && entity.info.get !== undefined) {
    const info = entity.info;
    checks.push({
      ...base,
      id: entityId(entity, "info-matches-full"),
      title: `${entity.typeName}Info agrees with the full ${entity.typeName} after a replacing Set`,
      rule: `A Set${entity.typeName} creates or replaces both forms: after it, every field of ${info.itemField} equals the same field of ${entity.typeName}.`,
      specRefs: [INTRO_SET, "intro.md#common-data-structure-types", ...refs(entity, [info.get, readOp(entity)], [info], ["get"])],
      quirk: "info-not-updated",
      run: async (ctx) => {
        requireOps(ctx, entity.set, info.get, readOp(entity));
        const token = ctx.newToken("inf");
        const first = sampleFor(ctx, entity, token, 10);
        await createOne(ctx, entity, first);
        await setItems(ctx, entity, [entity.modify(first, `${ctx.tokenPrefix}${entity.key}-10`)]);
        const infos = (await getByTokens(ctx, info, [token])).filter((i) => tokenOf(entity, i) === token);
        const infoExchange = lastExchange(ctx);
        const fulls = (await readFull(ctx, entity, [token])).filter((i) => tokenOf(entity, i) === token);
        if (infos.length !== 1 || fulls.length !== 1) {
          ctx.fail(`expected one ${info.itemField} and one ${entity.typeName} for "${token}", got ${infos.length} and ${fulls.length}`, infoExchange);
        }
        const diffs = sharedFieldDiffs(infos[0] as Record<string, unknown>, fulls[0] as Record<string, unknown>, []);
        if (diffs.length > 0) ctx.fail(`after replacing "${token}", ${info.get} and ${readOp(entity)} disagree: ${diffs.join("; ")}`, infoExchange);
      },
    });
  }
  return checks;
}

async function readFullByList(ctx: CheckContext, entity: EntityDeclaration): Promise<string[]> {
  const form = entity.full as EntityForm;
  const walk = await walkList(
    { call: (op, input) => ctx.call(op, input), lastExchange: () => lastExchange(ctx) },
    form.list as string,
    { itemField: form.itemField, tokenOf: (i) => tokenOf(entity, i), budget: 500, ...(ctx.facts.maxLimit !== undefined ? { limit: ctx.facts.maxLimit } : {}) },
  );
  return [...walk.tokens];
}

/** Token rules of one Get<X>/Get<X>Info operation. */
export function getOperationChecks(entity: EntityDeclaration, form: EntityForm): CheckDefinition[] {
  const op = form.get;
  if (op === undefined || entity.set === undefined) return [];
  const base = { service: entity.service, transports: BOTH };
  return [
    {
      ...base,
      id: opId(op, "unknown-token-ignored"),
      title: `${op} ignores unknown tokens`,
      rule: `${op} ignores tokens it cannot resolve: asking for a known and an unknown token returns just the known item, without a fault.`,
      specRefs: refs(entity, [op], [form], ["get", "get-invalid-token"]),
      quirk: "unknown-token-faults",
      run: async (ctx) => {
        requireOps(ctx, entity.set, op);
        const token = await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("unk"), 11));
        const unknown = ctx.newToken("unknown");
        let response: unknown;
        try {
          response = await ctx.call(op, { Token: [token, unknown] });
        } catch (err) {
          const f = faultOf(err);
          if (f !== undefined) ctx.fail(`${op} with tokens ["${token}", "${unknown}"] returned fault ${faultChain(f)}; unknown tokens must be ignored`, lastExchange(ctx));
          throw err;
        }
        const got = itemsOf(response, form.itemField).map((i) => tokenOf(entity, i));
        if (got.length !== 1 || got[0] !== token) {
          ctx.fail(`${op} with tokens ["${token}", "${unknown}"] returned ${excerptJson(got)}; expected exactly ["${token}"]`, lastExchange(ctx));
        }
      },
    },
    {
      ...base,
      id: opId(op, "empty-token-list"),
      title: `${op} with no token returns nothing`,
      rule: `${op} filters by the Token list; if it is left empty, no items are returned.`,
      specRefs: [INTRO_GET, ...refs(entity, [op], [form], [])],
      quirk: "empty-token-list-returns-all",
      notes: "Token is [1][unbounded], so a Sender fault for the empty list is accepted as well.",
      run: async (ctx) => {
        requireOps(ctx, entity.set, op);
        await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("etl"), 12));
        const outcome = await sendWithoutTokens(ctx, op, form.itemField);
        if (outcome.kind === "fault") {
          if (outcome.fault.code !== "env:Sender") ctx.fail(`${op} with no Token returned ${faultChain(outcome.fault)}; expected no items (or a Sender fault)`, lastExchange(ctx));
          return;
        }
        if (outcome.count > 0) ctx.fail(`${op} with no Token returned ${outcome.count} item(s); an empty token list must return nothing`, outcome.exchange ?? lastExchange(ctx));
      },
    },
    {
      ...base,
      id: opId(op, "too-many-items"),
      title: `${op} with more than MaxLimit tokens gives TooManyItems`,
      rule: `If more tokens than MaxLimit are requested, ${op} returns env:Sender/ter:InvalidArgs/ter:TooManyItems.`,
      specRefs: refs(entity, [op, "tac:GetServiceCapabilities"], [form], ["too-many-items"]),
      quirk: "no-too-many-items",
      notes: "Another fault than the documented one is a warning.",
      run: async (ctx) => {
        requireOps(ctx, op);
        const max = ctx.facts.maxLimit;
        if (max === undefined) return ctx.skip("the device reports no MaxLimit capability");
        if (max > 5000) ctx.skip(`MaxLimit ${max} is too large to exceed in one request`);
        const token = await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("tmi"), 13));
        const tokens = [token, ...Array.from({ length: max }, (_, i) => `${ctx.tokenPrefix}tmi-${i}`)];
        await expectFault(ctx, op, { Token: tokens }, TOO_MANY_ITEMS, `${op} with ${tokens.length} tokens (MaxLimit ${max})`);
      },
    },
  ];
}

/** A reference field is stored as sent (one check per declared reference with a target). */
export function referenceChecks(entity: EntityDeclaration, byKey: ReadonlyMap<string, EntityDeclaration>): CheckDefinition[] {
  if (entity.set === undefined || entity.remove === undefined) return [];
  return (entity.references ?? []).map((r) => {
    const target = r.target !== undefined ? byKey.get(r.target) : undefined;
    return {
      service: entity.service,
      transports: BOTH,
      id: entityId(entity, `reference-${r.id}`),
      title: `${r.path} is stored as set`,
      rule: `The reference ${r.path} links the items: after Set${entity.typeName} it holds exactly the token sent${target !== undefined ? ` of an existing ${target.typeName}` : ""}.`,
      specRefs: refs(entity, [entity.set, readOp(entity)], [], []).concat("intro.md#common-data-fields"),
      quirk: "drop-references",
      run: async (ctx: CheckContext) => {
        requireOps(ctx, entity.set, readOp(entity), ...(target !== undefined ? [target.set] : []));
        let targetToken: string;
        if (target !== undefined) {
          targetToken = await createOne(ctx, target, sampleFor(ctx, target, ctx.newToken("ref"), 14));
        } else {
          targetToken = `${ctx.tokenPrefix}ext-${r.id}`;
        }
        const token = ctx.newToken("src");
        const item = sampleFor(ctx, entity, token, 15, { [r.id]: targetToken });
        await createOne(ctx, entity, item);
        const stored = (await readFull(ctx, entity, [token])).find((i) => tokenOf(entity, i) === token);
        if (stored === undefined) ctx.fail(`${readOp(entity)} returned no item for "${token}"`, lastExchange(ctx));
        const got = r.read(stored);
        if (got.length !== 1 || got[0] !== targetToken) {
          ctx.fail(`${r.path} was set to "${targetToken}" but reads back as ${excerptJson(got)}`, lastExchange(ctx));
        }
      },
    };
  });
}

/** Whether an error is a transport-level failure that a check must not turn into a verdict. */
export function isTransportFailure(err: unknown): boolean {
  const c = errorCode(err);
  return c === "TIMEOUT" || c === "CONNECTION_FAILED" || c === "ABORTED" || c === "AUTH_FAILED";
}

export { setResponseTokens };
