/**
 * A bounded paging walk over a Get<X>List operation. It never hangs: it stops when the device
 * omits NextStartReference (the documented end), when a NextStartReference repeats, after two
 * consecutive empty pages that still carry a NextStartReference, or when the page budget
 * (ceil(expected items / limit) + slack) is spent. What it saw is recorded page by page so each
 * paging rule can be judged from the same walk, with the offending exchange as evidence.
 */
import type { Exchange } from "./types.js";
import { itemsOf } from "./entity.js";

export interface WalkPage {
  readonly index: number;
  readonly startReference: string | undefined;
  readonly tokens: readonly string[];
  readonly items: readonly Record<string, unknown>[];
  readonly next: string | undefined;
  readonly exchange: Exchange | undefined;
}

export type WalkStop = "end" | "repeated-reference" | "empty-pages" | "budget";

export interface WalkResult {
  readonly op: string;
  /** The Limit sent on every page; undefined = no Limit. */
  readonly limit: number | undefined;
  readonly pages: readonly WalkPage[];
  /** Every token in page order, duplicates included. */
  readonly tokens: readonly string[];
  readonly stop: WalkStop;
  /** Human-readable reason when `stop` is not "end". */
  readonly stopDetail: string;
  readonly budget: number;
}

export interface WalkCaller {
  call(op: string, input: unknown): Promise<unknown>;
  /** The exchange of the latest call, if the caller captures them. */
  lastExchange(): Exchange | undefined;
}

export interface WalkOptions {
  readonly limit?: number;
  /** Maximum number of pages before the walk gives up. */
  readonly budget: number;
  readonly itemField: string;
  readonly tokenOf: (item: Record<string, unknown>) => string;
}

/** Pages a well-behaved device needs for `items` items at `limit` per page, plus slack. */
export function pageBudget(items: number, limit: number | undefined, maxLimit: number | undefined, slack = 3): number {
  const per = Math.max(1, limit ?? maxLimit ?? 1);
  return Math.ceil(Math.max(items, 1) / per) + slack;
}

export async function walkList(caller: WalkCaller, op: string, options: WalkOptions): Promise<WalkResult> {
  const pages: WalkPage[] = [];
  const tokens: string[] = [];
  const seenRefs = new Set<string>();
  let start: string | undefined;
  let emptyWithNext = 0;
  const finish = (stop: WalkStop, stopDetail: string): WalkResult => ({
    op,
    limit: options.limit,
    pages,
    tokens,
    stop,
    stopDetail,
    budget: options.budget,
  });
  for (let index = 0; ; index++) {
    if (index >= options.budget) {
      return finish("budget", `gave up after ${options.budget} pages (the page budget for this data set); the device kept returning NextStartReference`);
    }
    const input: Record<string, unknown> = {};
    if (options.limit !== undefined) input["Limit"] = options.limit;
    if (start !== undefined) input["StartReference"] = start;
    const response = await caller.call(op, input);
    const items = itemsOf(response, options.itemField);
    const pageTokens = items.map(options.tokenOf);
    const nextRaw = response !== null && typeof response === "object" ? (response as Record<string, unknown>)["NextStartReference"] : undefined;
    const next = typeof nextRaw === "string" && nextRaw !== "" ? nextRaw : undefined;
    pages.push({ index, startReference: start, tokens: pageTokens, items, next, exchange: caller.lastExchange() });
    tokens.push(...pageTokens);
    if (next === undefined) return finish("end", "");
    if (seenRefs.has(next) || next === start) {
      return finish("repeated-reference", `page ${index + 1} returned NextStartReference "${next}", which an earlier page already returned`);
    }
    seenRefs.add(next);
    emptyWithNext = items.length === 0 ? emptyWithNext + 1 : 0;
    if (emptyWithNext >= 2) {
      return finish("empty-pages", `pages ${index} and ${index + 1} were empty but still carried a NextStartReference ("${next}")`);
    }
    start = next;
  }
}

/** Tokens that occur more than once in a walk, with the pages they occur on (1-based). */
export function duplicatesOf(walk: WalkResult): { token: string; pages: number[] }[] {
  const where = new Map<string, number[]>();
  for (const p of walk.pages) for (const t of p.tokens) where.set(t, [...(where.get(t) ?? []), p.index + 1]);
  return [...where.entries()].filter(([, ps]) => ps.length > 1).map(([token, ps]) => ({ token, pages: ps }));
}

export function describeLimit(limit: number | undefined): string {
  return limit === undefined ? "no Limit" : `Limit=${limit}`;
}
