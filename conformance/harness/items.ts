/**
 * Creating and reading entity items from checks. Everything created is registered for cleanup
 * at once: client-chosen tokens before the Set call (it may time out after the device stored
 * the item), device-allocated tokens as soon as the response names them.
 */
import type { CheckContext } from "./types.js";
import type { EntityDeclaration, EntityForm } from "./entity.js";
import { itemsOf, setResponseTokens, tokenOf } from "./entity.js";
import { lastExchange } from "./evidence.js";
import { faultOf } from "./faults.js";
import { walkList } from "./walk.js";

/** Removes items by token in chunks; unknown tokens (already gone) are not an error. */
export async function removeItems(
  call: (op: string, input: unknown) => Promise<unknown>,
  entity: EntityDeclaration,
  tokens: readonly string[],
  chunk = 50,
): Promise<void> {
  if (entity.remove === undefined) return;
  const unique = [...new Set(tokens.filter((t) => t !== ""))];
  for (let i = 0; i < unique.length; i += chunk) {
    const part = unique.slice(i, i + chunk);
    try {
      await call(entity.remove, { Token: part });
    } catch (err) {
      const f = faultOf(err);
      if (f === undefined) throw err;
      // One unknown token may fail the whole batch (NotFound); retry one by one.
      for (const t of part) {
        try {
          await call(entity.remove, { Token: [t] });
        } catch (err2) {
          if (faultOf(err2) === undefined) throw err2;
        }
      }
    }
  }
}

/** Registers `tokens` of `entity` for removal after the check (or fixture). */
export function registerCreated(ctx: CheckContext, entity: EntityDeclaration, tokens: readonly string[]): void {
  const list = tokens.filter((t) => t !== "");
  if (list.length === 0 || entity.remove === undefined) return;
  ctx.onCleanup(`remove ${entity.typeName} ${list.join(", ")}`, (call) => removeItems(call, entity, list));
}

export interface SetOutcome {
  /** Tokens the Set response listed, in response order. */
  readonly tokens: string[];
  readonly response: unknown;
}

async function listTokens(ctx: CheckContext, entity: EntityDeclaration): Promise<Set<string> | undefined> {
  const form = entity.full;
  if (form?.list === undefined) return undefined;
  const walk = await walkList({ call: (op, input) => ctx.call(op, input), lastExchange: () => undefined }, form.list, {
    itemField: form.itemField,
    tokenOf: (i) => tokenOf(entity, i),
    budget: 1000,
    ...(ctx.facts.maxLimit !== undefined ? { limit: ctx.facts.maxLimit } : {}),
  });
  return new Set(walk.tokens);
}

/**
 * Calls Set<X> with `items`, registering every token for cleanup. Items of an entity without a
 * marker field cannot be found again by their content, so when such an item is created with an
 * empty token the list is read before and after, in case the response names no token.
 */
export async function setItems(ctx: CheckContext, entity: EntityDeclaration, items: readonly Record<string, unknown>[]): Promise<SetOutcome> {
  if (entity.set === undefined || entity.setField === undefined) ctx.skip(`${entity.typeName} has no Set operation`);
  // Each token is registered once: the client tokens now, tokens the device allocated when known.
  const registered = new Set<string>();
  const register = (tokens: readonly string[]): void => {
    registerCreated(ctx, entity, tokens.filter((t) => !registered.has(t)));
    for (const t of tokens) registered.add(t);
  };
  register(items.map((i) => tokenOf(entity, i)));
  const unmarked = entity.markerField === undefined && items.some((i) => tokenOf(entity, i) === "") ? await listTokens(ctx, entity) : undefined;
  let response: unknown;
  try {
    response = await ctx.call(entity.set, { [entity.setField]: items });
  } finally {
    if (unmarked !== undefined) {
      const after = await listTokens(ctx, entity).catch(() => undefined);
      if (after !== undefined) register([...after].filter((t) => !unmarked.has(t)));
    }
  }
  const tokens = setResponseTokens(entity, response);
  register(tokens);
  return { tokens, response };
}

/**
 * Creates one item and returns the token it lives under: the client token when given (and the
 * device honoured it), else the token the response names. Fails the check when no token is known.
 */
export async function createOne(ctx: CheckContext, entity: EntityDeclaration, item: Record<string, unknown>): Promise<string> {
  const sent = tokenOf(entity, item);
  const { tokens } = await setItems(ctx, entity, [item]);
  if (tokens.length > 0 && tokens[0] !== "") return tokens[0] ?? "";
  if (sent !== "") return sent;
  return ctx.fail(`${entity.set}: created an item with an empty token but the response named no token (${tokens.length} tokens returned)`, lastExchange(ctx));
}

/** Get<X> (or Get<X>Info) by tokens. */
export async function getByTokens(ctx: CheckContext, form: EntityForm, tokens: readonly string[]): Promise<Record<string, unknown>[]> {
  if (form.get === undefined) return ctx.skip(`no Get operation for ${form.itemField}`);
  return itemsOf(await ctx.call(form.get, { Token: tokens }), form.itemField);
}

/** A sample item built with this run's label. */
export function sampleFor(ctx: CheckContext, entity: EntityDeclaration, token: string, n = 0, refs?: Record<string, string>): Record<string, unknown> {
  return entity.sample({ token, label: `${ctx.tokenPrefix}${entity.key}-${n}`, n, ...(refs !== undefined ? { refs } : {}) });
}

/** Skips the check unless every operation exists in the generated clients. */
export function requireOps(ctx: CheckContext, ...ops: (string | undefined)[]): void {
  for (const op of ops) {
    if (op === undefined) ctx.skip("the entity declares no such operation");
    if (!ctx.hasOperation(op)) ctx.skip(`${op} is not in the generated clients (not in wsdl/)`);
  }
}
