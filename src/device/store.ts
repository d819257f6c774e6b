/**
 * Generic storage of one entity type, kept in token order so list walks can continue AFTER the
 * last returned token (a removal never causes a skip, an addition never a duplicate), and the
 * paging engine with opaque, expiring StartReferences bound to one list.
 */
import { randomBytes } from "node:crypto";
import type { EntityDecl, Form, Item } from "./entity.js";
import { invalidStartReference } from "./faults.js";
import type { QuirkSet } from "./quirks.js";

/** One item of one entity type, as a single map key ("<type>\0<token>"). */
export function itemKey(type: string, token: string): string {
  return `${type}\u0000${token}`;
}

/** One stored item: its full form and, for types with an Info form, that too. */
export interface Stored {
  readonly full: Item;
  readonly info?: Item;
}

export class EntityStore {
  private readonly items = new Map<string, Stored>();
  /** Tokens sorted by UTF-16 code unit order. */
  private readonly order: string[] = [];
  /** Told of every write, with the item as it was before it (DeviceState's journal). */
  observer: ((store: EntityStore, token: string, before: Stored | undefined) => void) | undefined;

  constructor(readonly decl: EntityDecl) {}

  /** Both forms as stored (not copies), or undefined. */
  entry(token: string): Stored | undefined {
    return this.items.get(token);
  }

  get size(): number {
    return this.items.size;
  }

  has(token: string): boolean {
    return this.items.has(token);
  }

  /** The stored form (not a copy: callers clone before handing it out). */
  read(token: string, form: Form): Item | undefined {
    const s = this.items.get(token);
    if (s === undefined) return undefined;
    return form === "info" ? (s.info ?? s.full) : s.full;
  }

  put(token: string, full: Item, info?: Item): void {
    this.observer?.(this, token, this.items.get(token));
    if (!this.items.has(token)) this.order.splice(this.lowerBound(token), 0, token);
    this.items.set(token, info === undefined ? { full } : { full, info });
  }

  delete(token: string): boolean {
    const before = this.items.get(token);
    if (before === undefined) return false;
    this.observer?.(this, token, before);
    this.items.delete(token);
    this.order.splice(this.lowerBound(token), 1);
    return true;
  }

  tokens(): readonly string[] {
    return this.order;
  }

  /** Index of the first token strictly after `after` (0 for null). */
  indexAfter(after: string | null): number {
    if (after === null) return 0;
    const i = this.lowerBound(after);
    return this.order[i] === after ? i + 1 : i;
  }

  private lowerBound(token: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]! < token) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface PageRequest {
  readonly Limit?: number;
  readonly StartReference?: string;
}

export interface Page {
  readonly tokens: readonly string[];
  readonly next?: string;
}

interface Reference {
  readonly list: string;
  /** Continue after this token; null = from the beginning. */
  readonly after: string | null;
  readonly expires: number;
}

/** Bounded so a client that never finishes its walks cannot grow the device without limit. */
const MAX_LIVE_REFERENCES = 10_000;

export class Pager {
  private readonly refs = new Map<string, Reference>();
  private seq = 0;
  private readonly salt = randomBytes(6).toString("hex");

  constructor(
    private readonly maxLimit: number,
    private readonly ttlMs: number,
    private readonly quirks: QuirkSet,
    private readonly now: () => number,
  ) {}

  page(store: EntityStore, form: Form, req: PageRequest): Page {
    const list = `${store.decl.name}/${form}`;
    const q = this.quirks;
    let after: string | null = null;
    let continued = false;
    if (req.StartReference !== undefined) {
      const ref = this.refs.get(req.StartReference);
      const problem =
        ref === undefined ? "StartReference is unknown" : ref.list !== list ? "StartReference belongs to another list" : ref.expires <= this.now() ? "StartReference has expired" : undefined;
      if (problem !== undefined) {
        if (!q.has("accept-invalid-start-reference")) throw invalidStartReference(problem);
      } else {
        after = ref!.after;
        continued = true;
      }
    }

    let limit = req.Limit === undefined || req.Limit < 1 || req.Limit > this.maxLimit ? this.maxLimit : req.Limit;
    if (q.has("ignore-limit")) limit = this.maxLimit;
    if (q.has("exceed-max-limit") && (req.Limit === undefined || req.Limit > this.maxLimit)) limit = Number.MAX_SAFE_INTEGER;

    const order = store.tokens();
    let start = store.indexAfter(after);
    const tokens: string[] = [];
    if (continued && after !== null && q.has("duplicate-across-pages") && store.has(after)) {
      tokens.push(after);
      limit = Math.max(1, limit - 1);
    }
    if (continued && q.has("skip-across-pages")) start += 1;
    const end = Math.min(order.length, start + limit);
    for (let i = start; i < end; i++) tokens.push(order[i]!);

    const last = tokens.length > 0 ? tokens[tokens.length - 1]! : after;
    const more = end < order.length;
    if (more || q.has("endless-paging")) return { tokens, next: this.issue(list, last) };
    return { tokens };
  }

  private issue(list: string, after: string | null): string {
    if (this.refs.size >= MAX_LIVE_REFERENCES) {
      const oldest = this.refs.keys().next().value;
      if (oldest !== undefined) this.refs.delete(oldest);
    }
    this.seq += 1;
    const ref = `${this.salt}-${this.seq.toString(36)}-${randomBytes(4).toString("hex")}`;
    this.refs.set(ref, { list, after, expires: this.now() + this.ttlMs });
    return ref;
  }
}
