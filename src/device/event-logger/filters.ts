/**
 * Ignore and alarm filters (event-logger-service.md "Ignore filter", "Alarm filter"): each is a
 * list of key-value pairs that must all be present in an event (a pair without Value matches
 * the key with any value) and the UUIDs of the door controllers it applies to (none = all).
 */
import { invalidArgVal, notFound } from "../faults.js";
import { conditionHolds, type KeyValueCondition, type LoggedKeyValue } from "./record.js";

/** A stored filter, as Get…FilterList returns it. */
export interface StoredFilter {
  readonly token: string;
  readonly KeyValues: readonly KeyValueCondition[];
  readonly UUIDs: readonly string[];
}

/** A filter as Set…Filter receives it (normalised request shape). */
export interface FilterInput {
  readonly token?: string;
  readonly KeyValues: readonly { readonly Key?: string; readonly Value?: string }[];
  readonly UUIDs: readonly string[];
}

export class FilterTable {
  private readonly byToken = new Map<string, StoredFilter>();
  private newest: string | undefined;

  /** `what` names the kind in fault reasons ("ignore filter"). */
  constructor(readonly what: string) {}

  /**
   * Creates (no or unknown token) or replaces (known token) each filter; validates the whole batch
   * first, so an invalid filter changes nothing. Returns the tokens in request order.
   */
  set(filters: readonly FilterInput[], allocate: () => string): string[] {
    filters.forEach((f, i) => {
      if (f.KeyValues.length === 0) throw invalidArgVal([], `Filter[${i}]: an ${this.what} needs at least one KeyValues pair (Key, optional Value)`);
      f.KeyValues.forEach((kv, k) => {
        if (kv.Key === undefined || kv.Key === "") throw invalidArgVal([], `Filter[${i}].KeyValues[${k}]: Key is empty; give the key to match (e.g. "topic0")`);
      });
    });
    const fresh = (): string => {
      for (;;) {
        const token = allocate();
        if (!this.byToken.has(token)) return token;
      }
    };
    return filters.map((f) => {
      const token = f.token === undefined || f.token === "" ? fresh() : f.token;
      if (!this.byToken.has(token)) this.newest = token;
      const KeyValues = f.KeyValues.map((kv) => (kv.Value === undefined ? { Key: kv.Key! } : { Key: kv.Key!, Value: kv.Value }));
      this.byToken.set(token, { token, KeyValues, UUIDs: [...f.UUIDs] });
      return token;
    });
  }

  /** Puts saved filters back in their creation order (none of them counts as newly created). */
  load(filters: readonly StoredFilter[]): void {
    this.byToken.clear();
    this.newest = undefined;
    for (const f of filters) this.byToken.set(f.token, { token: f.token, KeyValues: f.KeyValues.map((kv) => ({ ...kv })), UUIDs: [...f.UUIDs] });
  }

  /** Removes every token; unknown tokens fault before anything is removed unless `lenient`. */
  remove(tokens: readonly string[], lenient: boolean): void {
    if (!lenient) for (const t of tokens) if (!this.byToken.has(t)) throw notFound(this.what, t);
    for (const t of tokens) {
      this.byToken.delete(t);
      if (this.newest === t) this.newest = undefined;
    }
  }

  /** Every filter in creation order; `hideNewest` leaves out the most recently created one (a quirk). */
  list(hideNewest = false): StoredFilter[] {
    const all = [...this.byToken.values()];
    return hideNewest ? all.filter((f) => f.token !== this.newest) : all;
  }

  get size(): number {
    return this.byToken.size;
  }

  /** The first filter that applies to an event from device `uuid` with these key-values. */
  firstMatch(kvs: readonly LoggedKeyValue[], uuid: string): StoredFilter | undefined {
    for (const f of this.byToken.values()) {
      if (f.UUIDs.length > 0 && !f.UUIDs.includes(uuid)) continue;
      if (f.KeyValues.every((c) => conditionHolds(kvs, c))) return f;
    }
    return undefined;
  }
}
