/**
 * The device's data before and after a run (full walks of every list, full forms), the
 * difference, and a best-effort restore. A live site must look the same after the suite ran.
 */
import type { EntityDeclaration } from "./entity.js";
import { STATE_KEY, tokenOf } from "./entity.js";
import { stableJson } from "./compare.js";
import { walkList, type WalkCaller } from "./walk.js";
import { errorMessage } from "./verdict.js";

export interface EntitySnapshot {
  readonly entity: EntityDeclaration;
  readonly op: string;
  readonly items: ReadonlyMap<string, Record<string, unknown>>;
  /** Set when the list could not be read completely. */
  readonly error?: string;
}

export type DataSnapshot = ReadonlyMap<string, EntitySnapshot>;

export interface SnapshotDifference {
  readonly entity: EntityDeclaration;
  readonly token: string;
  readonly kind: "added" | "removed" | "changed";
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
}

/** The entities whose lists make up the snapshot (aliases of another entity are read once). */
export function snapshotEntities(entities: readonly EntityDeclaration[]): EntityDeclaration[] {
  return entities.filter((e) => e.snapshot !== false && e.aliasOf === undefined && (e.full?.list ?? e.info?.list) !== undefined);
}

export function entityId(e: EntityDeclaration): string {
  return `${e.prefix}:${e.key}`;
}

export async function takeSnapshot(
  caller: WalkCaller,
  entities: readonly EntityDeclaration[],
  maxLimit: number | undefined,
  hasOperation: (op: string) => boolean,
): Promise<DataSnapshot> {
  const out = new Map<string, EntitySnapshot>();
  for (const entity of snapshotEntities(entities)) {
    const form = entity.full?.list !== undefined ? entity.full : entity.info;
    const op = form?.list;
    if (form === undefined || op === undefined || !hasOperation(op)) continue;
    const items = new Map<string, Record<string, unknown>>();
    try {
      const walk = await walkList(caller, op, {
        itemField: form.itemField,
        tokenOf: (i) => tokenOf(entity, i),
        budget: 2000,
        ...(maxLimit !== undefined ? { limit: maxLimit } : {}),
      });
      for (const p of walk.pages) for (const item of p.items) items.set(tokenOf(entity, item), item);
      if (entity.state !== undefined && hasOperation(entity.state.op)) {
        for (const [token, item] of items) {
          const r = (await caller.call(entity.state.op, { Token: token })) as Record<string, unknown> | undefined;
          items.set(token, { ...item, [STATE_KEY]: r?.[entity.state.field] ?? null });
        }
      }
      out.set(entityId(entity), { entity, op, items, ...(walk.stop === "end" ? {} : { error: walk.stopDetail }) });
    } catch (err) {
      out.set(entityId(entity), { entity, op, items, error: errorMessage(err) });
    }
  }
  return out;
}

export function diffSnapshots(before: DataSnapshot, after: DataSnapshot): SnapshotDifference[] {
  const diffs: SnapshotDifference[] = [];
  for (const [id, b] of before) {
    const a = after.get(id);
    if (a === undefined) continue;
    for (const [token, item] of b.items) {
      const now = a.items.get(token);
      if (now === undefined) diffs.push({ entity: b.entity, token, kind: "removed", before: item });
      else if (stableJson(now) !== stableJson(item)) diffs.push({ entity: b.entity, token, kind: "changed", before: item, after: now });
    }
    for (const [token, item] of a.items) {
      if (!b.items.has(token)) diffs.push({ entity: b.entity, token, kind: "added", after: item });
    }
  }
  return diffs;
}

export function describeDifference(d: SnapshotDifference): string {
  return `${d.entity.typeName} "${d.token}" ${d.kind}`;
}

/** True when an item carries this run's marker (token prefix in its token or marker field). */
export function isOwnItem(entity: EntityDeclaration, item: Readonly<Record<string, unknown>>, tokenPrefix: string): boolean {
  if (tokenOf(entity, item).startsWith(tokenPrefix)) return true;
  if (entity.markerField === undefined) return false;
  const m = item[entity.markerField];
  return typeof m === "string" && m.includes(tokenPrefix);
}

/**
 * Puts back what the run changed: re-sets removed and changed items as they were, removes
 * added items that carry this run's marker (never someone else's new data). Returns one line
 * per action, including failed ones.
 */
export async function restoreSnapshot(
  call: (op: string, input: unknown) => Promise<unknown>,
  diffs: readonly SnapshotDifference[],
  tokenPrefix: string,
): Promise<string[]> {
  const log: string[] = [];
  for (const d of diffs) {
    const e = d.entity;
    try {
      const { [STATE_KEY]: stateBefore, ...itemBefore } = d.before ?? {};
      const { [STATE_KEY]: stateAfter, ...itemAfter } = d.after ?? {};
      const stateOnly = d.kind === "changed" && stableJson(itemBefore) === stableJson(itemAfter);
      if (stateOnly) {
        log.push(`cannot restore the state of ${e.typeName} "${d.token}" (${JSON.stringify(stateBefore)} → ${JSON.stringify(stateAfter)}); the check that changed it should have`);
      } else if ((d.kind === "removed" || d.kind === "changed") && d.before !== undefined && e.set !== undefined && e.setField !== undefined) {
        await call(e.set, { [e.setField]: [itemBefore] });
        log.push(`re-set ${e.typeName} "${d.token}"`);
      } else if (d.kind === "added" && d.after !== undefined && e.remove !== undefined && isOwnItem(e, d.after, tokenPrefix)) {
        await call(e.remove, { Token: [d.token] });
        log.push(`removed leftover ${e.typeName} "${d.token}"`);
      } else {
        log.push(`cannot restore ${describeDifference(d)} (no operation for it, or not ours)`);
      }
    } catch (err) {
      log.push(`restoring ${describeDifference(d)} failed: ${errorMessage(err)}`);
    }
  }
  return log;
}
