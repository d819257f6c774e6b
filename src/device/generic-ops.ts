/**
 * Get / GetList / GetInfo / GetInfoList / Set / Remove for any declared entity type, with the
 * documented rules (intro.md "Set requests"/"Get requests", the per-command fault tables) and the
 * quirks that break them.
 */
import { itemField, topicSourceName, type EntityDecl, type EntityOp, type Form, type Item } from "./entity.js";
import { OperationFault, invalidArgVal, notFound, tooManyItems } from "./faults.js";
import { splitOp, type SyncOperationDef } from "./operation.js";
import { TOKEN, int, list, list1, normalize, obj, opt, str } from "./shape.js";
import type { DeviceState } from "./state.js";
import type { EntityStore } from "./store.js";

/**
 * The form handed out to a client: a shallow copy (the protocol layer projects it onto the
 * response descriptor, building new objects, and never mutates nested values), with the schema
 * quirk applied to Info forms.
 */
export function present(state: DeviceState, store: EntityStore, token: string, form: Form): Item | undefined {
  const stored = store.read(token, form);
  if (stored === undefined) return undefined;
  const copy = { ...stored };
  const info = store.decl.info;
  if (form === "info" && info !== undefined && state.quirks.has("schema-invalid-response")) delete copy[info.schemaQuirkOmits];
  return copy;
}

function listOp(decl: EntityDecl, form: Form, qname: string): SyncOperationDef {
  const { prefix, name } = splitOp(qname);
  const field = itemField(decl, form);
  return {
    prefix,
    name,
    input: obj(name, [opt("Limit", int()), opt("StartReference", str())]),
    handle(input, state) {
      const store = state.store(decl.name);
      const page = state.pager.page(store, form, input as { Limit?: number; StartReference?: string });
      const items: Item[] = [];
      for (const t of page.tokens) {
        const item = present(state, store, t, form);
        if (item !== undefined) items.push(item);
      }
      return page.next === undefined ? { [field]: items } : { [field]: items, NextStartReference: page.next };
    },
  };
}

function getOp(decl: EntityDecl, form: Form, qname: string): SyncOperationDef {
  const { prefix, name } = splitOp(qname);
  const field = itemField(decl, form);
  return {
    prefix,
    name,
    input: obj(name, [list("Token", TOKEN)]),
    handle(input, state) {
      const store = state.store(decl.name);
      const q = state.quirks;
      let tokens = input["Token"] as string[];
      // intro.md: Get<DataType> filters by Token; "if left empty, no elements will be returned".
      if (tokens.length === 0 && q.has("empty-token-list-returns-all")) tokens = [...store.tokens()];
      else if (tokens.length > state.maxLimit && !q.has("no-too-many-items")) throw tooManyItems(tokens.length, state.maxLimit);
      const seen = new Set<string>();
      const items: Item[] = [];
      for (const t of tokens) {
        if (seen.has(t)) continue;
        seen.add(t);
        const item = present(state, store, t, form);
        // Spec: "The device shall ignore tokens it cannot resolve".
        if (item === undefined) {
          if (q.has("unknown-token-faults")) throw notFound(decl.what, t);
          continue;
        }
        items.push(item);
      }
      return { [field]: items };
    },
  };
}

/**
 * True when entity type `name` holds `token`; otherwise the documented NotFound fault, or false
 * (the operation answers OK and does nothing) under the `not-found-succeeds` quirk.
 */
export function tokenFound(state: DeviceState, name: string, token: string): boolean {
  const store = state.store(name);
  if (store.has(token)) return true;
  if (state.quirks.has("not-found-succeeds")) return false;
  throw notFound(store.decl.what, token);
}

/** A semantically invalid item in Set<X>, with the subcodes the doc's fault table gives for that Set. */
export function setFault(decl: EntityDecl, reason: string): OperationFault {
  return new OperationFault({ code: "env:Sender", subcodes: decl.setFault, reason });
}

/** Changes one stored item in place (Enable/Disable) and re-derives its Info form. */
export function updateItem(decl: EntityDecl, token: string, state: DeviceState, change: (item: Item) => void): void {
  const store = state.store(decl.name);
  const full = store.read(token, "full");
  if (full === undefined) return;
  const item = structuredClone(full);
  change(item);
  store.put(token, item, deriveInfo(decl, item));
  announceChanged(decl, token, full, item, state);
}

/** The Changed event of a stored item, then the type's `onChanged` hook with the item before and after. */
function announceChanged(decl: EntityDecl, token: string, before: Readonly<Item> | undefined, after: Readonly<Item>, state: DeviceState): void {
  if (decl.topic !== undefined) state.publish({ topic: `${decl.topic}/Changed`, source: { [topicSourceName(decl)]: token } });
  decl.onChanged?.(token, before, after, state);
}

/** Stores reference fields empty (the `drop-references` quirk). Paths: "Entity", "AccessPolicy[].AccessPoint". */
function dropReferences(item: Item, paths: readonly string[]): void {
  for (const path of paths) {
    const parts = path.split(".");
    const walk = (node: Item, i: number): void => {
      const part = parts[i]!;
      const isList = part.endsWith("[]");
      const key = isList ? part.slice(0, -2) : part;
      const v = node[key];
      if (i === parts.length - 1) {
        if (Array.isArray(v)) node[key] = [];
        else if (v !== undefined) node[key] = "";
        return;
      }
      if (isList && Array.isArray(v)) for (const child of v) walk(child as Item, i + 1);
      else if (!isList && typeof v === "object" && v !== null) walk(v as Item, i + 1);
    };
    walk(item, 0);
  }
}

/** Tokens of every other entity type (for the `token-unique-across-types` quirk). */
function usedByOtherType(state: DeviceState, decl: EntityDecl, token: string): string | undefined {
  for (const other of state.allStores()) {
    if (other.decl === decl || !other.decl.sharesTokenSpace || decl.linkedWith?.includes(other.decl.name) === true) continue;
    if (other.has(token)) return other.decl.name;
  }
  return undefined;
}

function deriveInfo(decl: EntityDecl, full: Item): Item | undefined {
  if (decl.info === undefined) return undefined;
  const out: Item = {};
  for (const k of decl.info.fields) if (full[k] !== undefined) out[k] = structuredClone(full[k]);
  return decl.info.derive === undefined ? out : { ...out, ...decl.info.derive(full) };
}

/**
 * Set: validate and plan the whole batch first, then commit, so a batch whose 4th item is
 * invalid changes nothing. Empty or unknown token creates; an existing token replaces both the
 * full and the Info form.
 */
export function applySet(decl: EntityDecl, items: readonly Item[], state: DeviceState): string[] {
  const store = state.store(decl.name);
  const q = state.quirks;
  const plan: { token: string; item: Item; keep: boolean }[] = [];
  const batch: Item[] = [];
  for (const original of items) {
    const item = structuredClone(original);
    const given = String(item[decl.tokenField] ?? "");
    let token: string;
    let keep = false;
    if (given === "") {
      if (!decl.allocateTokens) throw setFault(decl, `${decl.name}.${decl.tokenField} is empty; give the token of the item to set`);
      token = state.allocateToken(store);
    } else if (store.has(given)) {
      token = given;
      keep = q.has("set-does-not-replace");
    } else {
      token = q.has("ignore-client-token") && decl.allocateTokens ? state.allocateToken(store) : given;
    }
    if (q.has("token-unique-across-types") && decl.sharesTokenSpace && given !== "") {
      const other = usedByOtherType(state, decl, given);
      if (other !== undefined) throw invalidArgVal([], `token "${given}" is already used by a ${other}`);
    }
    item[decl.tokenField] = token;
    decl.prepare?.(item, state);
    if (q.has("drop-references") && decl.references !== undefined) dropReferences(item, decl.references);
    plan.push({ token, item, keep });
    batch.push(item);
  }
  if (decl.check !== undefined) for (const [index, item] of batch.entries()) decl.check(item, state, batch, index);

  for (const { token, item, keep } of plan) {
    if (keep) continue;
    let info = deriveInfo(decl, item);
    const before = store.read(token, "full");
    const old = store.read(token, "info");
    if (info !== undefined && old !== undefined && store.has(token) && q.has("info-not-updated")) {
      info = { ...info };
      for (const k of ["Name", "Description"]) {
        if (old[k] === undefined) delete info[k];
        else info[k] = old[k];
      }
    }
    store.put(token, item, info);
    announceChanged(decl, token, before, item, state);
  }
  return plan.map((p) => p.token);
}

/**
 * Items written in code (factory defaults, `populate`) stored as a Set request would store them:
 * normalized against the shape first (defaults filled, schema order). Returns the tokens.
 */
export function installItems(decl: EntityDecl, items: readonly Item[], state: DeviceState): string[] {
  if (items.length === 0) return [];
  return applySet(
    decl,
    items.map((i) => normalize(i, decl.shape, decl.name) as Item),
    state,
  );
}

function setOp(decl: EntityDecl, qname: string): SyncOperationDef {
  const { prefix, name } = splitOp(qname);
  return {
    prefix,
    name,
    input: obj(name, [list1(decl.name, decl.shape)]),
    handle(input, state) {
      const tokens = applySet(decl, input[decl.name] as Item[], state);
      if (decl.setResponse === "empty" || state.quirks.has("set-returns-no-tokens")) return {};
      return { Token: tokens };
    },
  };
}

/**
 * Removes one stored item as Remove<X> does: deletes it, runs the type's `onRemoved` cascade and
 * publishes its Configuration Removed event. False (and nothing happens) when it is not stored.
 */
export function removeItem(decl: EntityDecl, token: string, state: DeviceState): boolean {
  if (!state.store(decl.name).delete(token)) return false;
  decl.onRemoved?.(token, state);
  if (decl.topic !== undefined) state.publish({ topic: `${decl.topic}/Removed`, source: { [topicSourceName(decl)]: token } });
  return true;
}

function removeOp(decl: EntityDecl, qname: string): SyncOperationDef {
  const { prefix, name } = splitOp(qname);
  return {
    prefix,
    name,
    input: obj(name, [list("Token", TOKEN)]),
    handle(input, state) {
      const tokens = (input["Token"] as string[]).filter((t) => tokenFound(state, decl.name, t));
      if (state.quirks.has("remove-noop")) return {};
      for (const t of tokens) removeItem(decl, t, state);
      return {};
    },
  };
}

export function entityOperations(decl: EntityDecl): SyncOperationDef[] {
  return decl.ops.map((op: EntityOp) => {
    switch (op.kind) {
      case "list":
        return listOp(decl, op.form, op.op);
      case "get":
        return getOp(decl, op.form, op.op);
      case "set":
        return setOp(decl, op.op);
      case "remove":
        return removeOp(decl, op.op);
    }
  });
}
