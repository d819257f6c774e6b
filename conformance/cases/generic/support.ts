/** Helpers shared by the generic, declaration-driven check builders and every service's own checks. */
import { lastExchange } from "../../harness/evidence.js";
import type { CheckContext, Exchange, Protocol } from "../../harness/types.js";
import type { EntityDeclaration, EntityForm, OnvifConcern } from "../../harness/entity.js";
import { docRef, itemsOf, kebab, opName, opPrefix, tokenOf } from "../../harness/entity.js";
import { faultOf } from "../../harness/faults.js";
import { validateExchange } from "../../harness/schema.js";
import { walkList, type WalkCaller } from "../../harness/walk.js";

/** The transports of a check that runs once over each protocol. */
export const BOTH: readonly Protocol[] = ["soap", "json"];

/** An xs:boolean as decoded (a boolean, or "true"/"false" text); undefined for anything else. */
export function xsBoolean(v: unknown): boolean | undefined {
  return typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined;
}

/** True only for an xs:boolean true (a missing or malformed flag counts as false). */
export function isTrue(v: unknown): boolean {
  return xsBoolean(v) === true;
}

export { lastExchange };

export function walkCaller(ctx: CheckContext): WalkCaller {
  return { call: (op, input) => ctx.call(op, input), lastExchange: () => lastExchange(ctx) };
}

/** Spec references: the doc sections of `ops` plus the ONVIF test ids of `concerns` (when known). */
export function refs(entity: EntityDeclaration, ops: readonly (string | undefined)[], forms: readonly (EntityForm | undefined)[], concerns: readonly OnvifConcern[]): string[] {
  const out: string[] = [];
  for (const op of ops) if (op !== undefined) out.push(docRef(entity, op));
  for (const f of forms) for (const c of concerns) {
    const id = f?.onvif?.[c];
    if (id !== undefined) out.push(id);
  }
  return [...new Set(out)];
}

/** Check id of an entity-level rule: `pacsaxis.access-point.replace`. */
export function entityId(entity: EntityDeclaration, aspect: string): string {
  return `${entity.prefix}.${entity.key}.${aspect}`;
}

/** Check id of an operation-level rule: `tac.get-access-point-info.unknown-token-ignored`. */
export function opId(op: string, aspect: string): string {
  return `${opPrefix(op)}.${kebab(opName(op))}.${aspect}`;
}

/** The fields two forms share, for Info/full comparisons (Info-only fields such as Capabilities excluded). */
export function sharedFieldDiffs(info: Record<string, unknown>, full: Record<string, unknown>, skip: readonly string[]): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (skip.includes(k) || k === "any" || k === "anyAttribute" || k === "Capabilities") continue;
    const w = full[k];
    if (JSON.stringify(v ?? null) !== JSON.stringify(w ?? null) && !(isBlank(v) && isBlank(w))) {
      out.push(`${k}: Info says ${JSON.stringify(v)}, full form says ${JSON.stringify(w)}`);
    }
  }
  return out;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

/**
 * Every item a Get<X>List lists, in page order: a bounded walk at MaxLimit (at most `budget`
 * pages); `token` names an item's token.
 */
export async function listItems(ctx: CheckContext, op: string, itemField: string, token: (item: Record<string, unknown>) => string, budget: number): Promise<Record<string, unknown>[]> {
  const walk = await walkList(walkCaller(ctx), op, {
    itemField,
    tokenOf: token,
    budget,
    ...(ctx.facts.maxLimit !== undefined ? { limit: ctx.facts.maxLimit } : {}),
  });
  return walk.pages.flatMap((p) => p.items);
}

/**
 * Reads full items by token: Get<X> when the entity has one, else a bounded walk of its list
 * (for list-only entities such as the pacsaxis AuthenticationProfile).
 */
export async function readFull(ctx: CheckContext, entity: EntityDeclaration, tokens: readonly string[]): Promise<Record<string, unknown>[]> {
  const form = entity.full;
  if (form === undefined) return ctx.skip(`${entity.typeName} has no full form`);
  if (form.get !== undefined) return itemsOf(await ctx.call(form.get, { Token: tokens }), form.itemField);
  if (form.list === undefined) return ctx.skip(`${entity.typeName} has neither Get nor List`);
  const wanted = new Set(tokens);
  return (await listItems(ctx, form.list, form.itemField, (i) => tokenOf(entity, i), 500)).filter((i) => wanted.has(tokenOf(entity, i)));
}

/** How the full form is read back, for rule texts. */
export function readOp(entity: EntityDeclaration): string | undefined {
  return entity.full?.get ?? entity.full?.list;
}

/** An operation and its input, as a schema check sends it. */
export type SchemaCall = readonly [op: string, input: unknown];

/**
 * Sends each call and judges every response it caused against the schema (JSON Schema for JSON,
 * the wsdl/ XSD for SOAP), together with `earlier` exchanges the check made itself. A fault stops
 * the check; a body the decoder rejects is judged first, then reported as undecodable.
 */
export async function expectSchemaConformance(ctx: CheckContext, calls: readonly SchemaCall[], earlier: readonly (readonly [string, Exchange])[] = []): Promise<void> {
  const judged: (readonly [string, Exchange])[] = [...earlier];
  const decodeErrors: string[] = [];
  for (const [op, input] of calls) {
    const before = ctx.exchanges.length;
    try {
      await ctx.call(op, input);
    } catch (err) {
      if (faultOf(err) !== undefined) throw err;
      decodeErrors.push(`${op}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const ex of ctx.exchanges.slice(before)) judged.push([op, ex]);
  }
  if (judged.length === 0) ctx.fail("no exchange was captured; cannot validate responses");
  for (const [op, ex] of judged) {
    const problems = await validateExchange(ctx.protocol, op, ex);
    if (problems.length > 0) ctx.fail(`${op} response violates the schema: ${problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join("; ")}`, ex);
  }
  if (decodeErrors.length > 0) ctx.fail(`responses could not be decoded although they validate: ${decodeErrors.join("; ")}`, lastExchange(ctx));
}
