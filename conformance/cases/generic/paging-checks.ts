/**
 * Paging rules for every Get<X>List / Get<X>InfoList (access-control-service.md
 * #retrieving-system-configuration and each list command): pages respect Limit and MaxLimit,
 * full walks are complete and duplicate-free at Limit = 1, MaxLimit and a seeded random Limit,
 * the walk ends, and an invalid StartReference gives InvalidStartReference.
 *
 * The data set is shared: one fixture per entity creates MaxLimit + 3 own items in ONE Set call
 * (removed after the last paging check of that entity), and each walk is done once per
 * (operation, protocol, Limit) and judged by several checks.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration, EntityForm } from "../../harness/entity.js";
import { itemsOf, kebab, opName, opPrefix, tokenOf } from "../../harness/entity.js";
import { INVALID_START_REFERENCE, expectFault } from "../../harness/faults.js";
import { requireOps, sampleFor, setItems } from "../../harness/items.js";
import { describeLimit, duplicatesOf, pageBudget, walkList, type WalkResult } from "../../harness/walk.js";
import { BOTH, lastExchange, refs, walkCaller } from "./support.js";

const PAGING_DOC = "access-control-service.md#retrieving-system-configuration";
/** Used when the device reports no MaxLimit. */
const FALLBACK_MAX = 10;
/** Never create more than this many items for paging (a very large MaxLimit is not exceeded then). */
const MAX_OWN_ITEMS = 300;

export interface PagingData {
  /** Tokens of the items this run created for paging. */
  readonly own: readonly string[];
  /** How the items were made (for messages). */
  readonly note: string;
}

/** Declares the shared data set of an entity; how to create it depends on the entity. */
export interface PagingSource {
  readonly entity: EntityDeclaration;
  /** Fixture key, also listed in each paging check's `uses`. */
  readonly key: string;
  create(ctx: CheckContext, count: number): Promise<PagingData>;
}

/** The default data set: MaxLimit + 3 samples in one Set call. */
export function samplePagingSource(entity: EntityDeclaration): PagingSource {
  return {
    entity,
    key: `paging-items:${entity.prefix}:${entity.key}`,
    async create(ctx, count) {
      const items = Array.from({ length: count }, (_, i) => sampleFor(ctx, entity, `${ctx.tokenPrefix}pg-${entity.key.slice(0, 12)}-${i}`, 100 + i));
      const { tokens } = await setItems(ctx, entity, items);
      const own = tokens.length === count ? tokens : items.map((i) => tokenOf(entity, i));
      return { own, note: `${count} ${entity.typeName} items created in one ${entity.set} call` };
    },
  };
}

type LimitKind = "one" | "max" | "random" | "above-max" | "none";

interface Walks {
  readonly data: PagingData;
  readonly maxLimit: number;
  readonly reportedMax: boolean;
  readonly randomLimit: number;
  readonly byKind: Map<LimitKind, WalkResult>;
}

function ownCount(ctx: CheckContext): number {
  return Math.min((ctx.facts.maxLimit ?? FALLBACK_MAX) + 3, MAX_OWN_ITEMS);
}

async function pagingData(ctx: CheckContext, source: PagingSource): Promise<PagingData> {
  return ctx.fixture(source.key, (fctx) => source.create(fctx, ownCount(fctx)));
}

/** Walks `op` with one Limit kind, once per (op, protocol, kind); bounded by the data set size. */
async function walkFor(ctx: CheckContext, source: PagingSource, form: EntityForm, kind: LimitKind): Promise<Walks> {
  const op = form.list as string;
  const data = await pagingData(ctx, source);
  const reportedMax = ctx.facts.maxLimit !== undefined;
  const maxLimit = ctx.facts.maxLimit ?? FALLBACK_MAX;
  const estimate = await ctx.fixture(`paging-estimate:${op}:${ctx.protocol}`, async (fctx) => {
    // The cheapest walk sizes the others' page budgets.
    const w = await walkList(walkCaller(fctx), op, {
      itemField: form.itemField,
      tokenOf: (i) => tokenOf(source.entity, i),
      limit: maxLimit,
      budget: pageBudget(data.own.length + 2000, maxLimit, maxLimit),
    });
    return { walk: w, items: Math.max(new Set(w.tokens).size, data.own.length) };
  });
  const randomLimit = deriveRandomLimit(ctx.seed, op, ctx.protocol, maxLimit, estimate.items);
  const byKind = new Map<LimitKind, WalkResult>();
  const limitOf: Record<LimitKind, number | undefined> = { one: 1, max: maxLimit, random: randomLimit, "above-max": maxLimit + 1, none: undefined };
  const limit = limitOf[kind];
  const walk =
    kind === "max"
      ? estimate.walk
      : await ctx.fixture(`paging-walk:${op}:${ctx.protocol}:${kind}`, (fctx) =>
          walkList(walkCaller(fctx), op, {
            itemField: form.itemField,
            tokenOf: (i) => tokenOf(source.entity, i),
            ...(limit !== undefined ? { limit } : {}),
            budget: pageBudget(estimate.items, Math.min(limit ?? maxLimit, maxLimit), maxLimit, 3 + Math.ceil(estimate.items / 10)),
          }),
        );
  byKind.set(kind, walk);
  return { data, maxLimit, reportedMax, randomLimit, byKind };
}

/** A seeded Limit in [2, MaxLimit − 1] (or 2 when that range is empty), the same for every check of the op. */
function deriveRandomLimit(seed: number, op: string, protocol: string, maxLimit: number, items: number): number {
  let h = seed >>> 0;
  for (const ch of `${op}/${protocol}`) h = (Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0);
  const hi = Math.max(2, Math.min(maxLimit - 1, items - 1));
  return 2 + (h % (hi - 1));
}

function pageOver(walk: WalkResult, max: number): { index: number; count: number } | undefined {
  const p = walk.pages.find((pg) => pg.tokens.length > max);
  return p === undefined ? undefined : { index: p.index, count: p.tokens.length };
}

/** The paging checks of one list operation of an entity. */
export function pagingChecks(source: PagingSource, form: EntityForm): CheckDefinition[] {
  const entity = source.entity;
  const op = form.list;
  if (op === undefined) return [];
  const listName = kebab(opName(op).replace(/^Get/, ""));
  const id = (aspect: string) => `${opPrefix(op)}.paging.${listName}.${aspect}`;
  const base = { service: entity.service, transports: BOTH, uses: [source.key] };
  const ensure = (ctx: CheckContext) => requireOps(ctx, op, entity.set);
  const limitRefs = [PAGING_DOC, ...refs(entity, [op], [form], ["list-limit", "list-start-reference"])];

  const pageLimitCheck = (kind: "one" | "random", aspect: string, title: string): CheckDefinition => ({
    ...base,
    id: id(aspect),
    title: `${op}: ${title}`,
    rule: `The number of items returned by ${op} is not greater than the Limit parameter.`,
    specRefs: limitRefs,
    quirk: "ignore-limit",
    run: async (ctx) => {
      ensure(ctx);
      const w = await walkFor(ctx, source, form, kind);
      const walk = w.byKind.get(kind) as WalkResult;
      const limit = walk.limit as number;
      const over = pageOver(walk, limit);
      if (over !== undefined) {
        ctx.fail(`${op} with Limit=${limit}${kind === "random" ? ` (seeded random; seed ${ctx.seed})` : ""}: page ${over.index + 1} held ${over.count} items; expected at most ${limit}`, walk.pages[over.index]?.exchange);
      }
      if (new Set(walk.tokens).size <= limit) ctx.fail(`${op} with Limit=${limit} returned only ${new Set(walk.tokens).size} item(s) in total although ${w.data.own.length} were created; the Limit could not be tested`, walk.pages[0]?.exchange);
    },
  });

  const checks: CheckDefinition[] = [
    pageLimitCheck("one", "limit-one", "pages hold at most Limit = 1 item"),
    pageLimitCheck("random", "limit-random", "pages hold at most a seeded random Limit of items"),
    {
      ...base,
      id: id("limit-max"),
      title: `${op}: Limit = MaxLimit and Limit > MaxLimit give pages of at most MaxLimit`,
      rule: `The device never returns more than MaxLimit items in a single response, whatever Limit asks for.`,
      specRefs: [PAGING_DOC, "access-control-service.md#servicecapabilities-data-structure", ...refs(entity, [op], [form], ["list-limit"])],
      quirk: "exceed-max-limit",
      run: async (ctx) => {
        ensure(ctx);
        for (const kind of ["max", "above-max"] as const) {
          const w = await walkFor(ctx, source, form, kind);
          const walk = w.byKind.get(kind) as WalkResult;
          const over = pageOver(walk, w.maxLimit);
          if (over !== undefined) {
            ctx.fail(`${op} with ${describeLimit(walk.limit)}: page ${over.index + 1} held ${over.count} items; MaxLimit is ${w.maxLimit}${w.reportedMax ? "" : " (assumed; the device reports none)"}`, walk.pages[over.index]?.exchange);
          }
        }
      },
    },
    {
      ...base,
      id: id("no-limit"),
      title: `${op}: without Limit, pages hold at most MaxLimit items`,
      rule: `Without Limit the number of items is determined by the device, but a page never holds more than MaxLimit items.`,
      specRefs: [PAGING_DOC, "access-control-service.md#servicecapabilities-data-structure", ...refs(entity, [op], [form], ["list-no-limit"])],
      quirk: "exceed-max-limit",
      run: async (ctx) => {
        ensure(ctx);
        const w = await walkFor(ctx, source, form, "none");
        const walk = w.byKind.get("none") as WalkResult;
        const over = pageOver(walk, w.maxLimit);
        if (over !== undefined) ctx.fail(`${op} without Limit: page ${over.index + 1} held ${over.count} items; MaxLimit is ${w.maxLimit}`, walk.pages[over.index]?.exchange);
        if (walk.tokens.length === 0) ctx.fail(`${op} without Limit returned no items although ${w.data.own.length} were created`, walk.pages[0]?.exchange);
      },
    },
    {
      ...base,
      id: id("no-duplicates"),
      title: `${op}: a full walk returns every item once`,
      rule: `Following NextStartReference to the end returns each item exactly once (Limit = 1, MaxLimit and a seeded random Limit).`,
      specRefs: limitRefs,
      quirk: "duplicate-across-pages",
      run: async (ctx) => {
        ensure(ctx);
        for (const kind of ["one", "max", "random"] as const) {
          const walk = (await walkFor(ctx, source, form, kind)).byKind.get(kind) as WalkResult;
          const dups = duplicatesOf(walk);
          if (dups.length > 0) {
            const d = dups[0] as { token: string; pages: number[] };
            const page = walk.pages[(d.pages[1] ?? 1) - 1];
            ctx.fail(`${op} walk with ${describeLimit(walk.limit)}${kind === "random" ? ` (seed ${ctx.seed})` : ""}: ${dups.length} item(s) returned more than once, e.g. "${d.token}" on pages ${d.pages.join(", ")}`, page?.exchange);
          }
        }
      },
    },
    {
      ...base,
      id: id("complete"),
      title: `${op}: full walks at every page size return the same, complete set`,
      rule: `Walks with Limit = 1, MaxLimit and a random Limit return the same set of items, including every item created, and equal to what the token-based get returns for those tokens.`,
      specRefs: limitRefs,
      quirk: "skip-across-pages",
      run: async (ctx) => {
        ensure(ctx);
        const walks: WalkResult[] = [];
        let data: PagingData | undefined;
        for (const kind of ["one", "max", "random"] as const) {
          const w = await walkFor(ctx, source, form, kind);
          data = w.data;
          walks.push(w.byKind.get(kind) as WalkResult);
        }
        const union = new Set<string>(data?.own ?? []);
        for (const w of walks) for (const t of w.tokens) union.add(t);
        for (const w of walks) {
          const got = new Set(w.tokens);
          const missing = [...union].filter((t) => !got.has(t));
          if (missing.length > 0) {
            ctx.fail(`${op} walk with ${describeLimit(w.limit)} missed ${missing.length} of ${union.size} items (e.g. ${missing.slice(0, 3).map((t) => `"${t}"`).join(", ")}); other walks or the created set contain them`, w.pages[1]?.exchange ?? w.pages[0]?.exchange);
          }
        }
        if (form.get !== undefined) {
          const all = [...union];
          const chunk = Math.max(1, ctx.facts.maxLimit ?? FALLBACK_MAX);
          const fromGet = new Set<string>();
          for (let i = 0; i < all.length; i += chunk) {
            for (const item of itemsOf(await ctx.call(form.get, { Token: all.slice(i, i + chunk) }), form.itemField)) fromGet.add(tokenOf(entity, item));
          }
          const notGettable = all.filter((t) => !fromGet.has(t));
          if (notGettable.length > 0 || fromGet.size !== union.size) {
            ctx.fail(`${form.get} for the ${union.size} walked tokens returned ${fromGet.size} items; not returned: ${notGettable.slice(0, 3).join(", ")}`, lastExchange(ctx));
          }
        }
      },
    },
    {
      ...base,
      id: id("terminates"),
      title: `${op}: the walk ends with a page without NextStartReference`,
      rule: `NextStartReference is absent when there are no more items, so a walk ends within ceil(items / Limit) pages (plus slack).`,
      specRefs: limitRefs,
      quirk: "endless-paging",
      run: async (ctx) => {
        ensure(ctx);
        for (const kind of ["max", "one", "random", "none"] as const) {
          const walk = (await walkFor(ctx, source, form, kind)).byKind.get(kind) as WalkResult;
          if (walk.stop !== "end") ctx.fail(`${op} walk with ${describeLimit(walk.limit)} did not end: ${walk.stopDetail}`, walk.pages[walk.pages.length - 1]?.exchange);
        }
      },
    },
    {
      ...base,
      id: id("invalid-start-reference"),
      title: `${op}: an invalid StartReference gives InvalidStartReference`,
      rule: `A StartReference that is invalid or timed out returns env:Sender/ter:InvalidArgVal/ter:InvalidStartReference.`,
      specRefs: [PAGING_DOC, ...refs(entity, [op], [form], ["list-start-reference"])],
      quirk: "accept-invalid-start-reference",
      notes: "Another fault than the documented one is a warning.",
      uses: [],
      run: async (ctx) => {
        requireOps(ctx, op);
        const bogus = `${ctx.tokenPrefix}no-such-start-reference`;
        await expectFault(ctx, op, { Limit: 1, StartReference: bogus }, INVALID_START_REFERENCE, `${op} with StartReference "${bogus}"`);
      },
    },
  ];
  return checks;
}
