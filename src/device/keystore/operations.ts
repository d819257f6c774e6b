/** The four axkey operations (keystore-service.md, "Keystore service API"). */
import type { Item } from "../entity.js";
import { entityOperations, tokenFound } from "../generic-ops.js";
import type { OperationDef, SyncOperationDef } from "../operation.js";
import { TOKEN, list1, obj } from "../shape.js";
import { EncryptionKeyDecl, KEYSTORE_ENTITIES } from "./declarations.js";
import { withHiddenKey } from "./keys.js";

/** The generic GetEncryptionKeyList (paging, StartReference faults) with every key value hidden. */
function hidingKeys(op: SyncOperationDef): SyncOperationDef {
  return {
    ...op,
    handle(input, state, ctx) {
      const out = op.handle(input, state, ctx);
      const items = (out[EncryptionKeyDecl.name] as Item[] | undefined) ?? [];
      return { ...out, [EncryptionKeyDecl.name]: items.map((i) => withHiddenKey(state, i, "list")) };
    },
  };
}

/**
 * GetEncryptionKey: Token [1][unbounded]. Unlike the generic Get<X> it does not ignore unknown
 * tokens: its fault table gives env:Sender/ter:InvalidArgVal/ter:NotFound ("EncryptionKey not
 * found"). The page documents no MaxLimit for the keystore, so no TooManyItems either.
 */
const getEncryptionKey: SyncOperationDef = {
  prefix: "axkey",
  name: "GetEncryptionKey",
  input: obj("GetEncryptionKey", [list1("Token", TOKEN)]),
  handle(input, state) {
    const store = state.store(EncryptionKeyDecl.name);
    const seen = new Set<string>();
    const items: Item[] = [];
    for (const t of input["Token"] as string[]) {
      if (seen.has(t)) continue;
      seen.add(t);
      // False only under the `not-found-succeeds` quirk: the unknown token is then skipped.
      if (!tokenFound(state, EncryptionKeyDecl.name, t)) continue;
      items.push(withHiddenKey(state, store.read(t, "full")!, "get"));
    }
    return { EncryptionKey: items };
  },
};

/** RemoveEncryptionKeyRequest: Token [1][unbounded], so an empty request is refused (the generic Remove<X> takes none). */
function atLeastOneToken(op: SyncOperationDef): SyncOperationDef {
  return { ...op, input: obj(op.name, [list1("Token", TOKEN)]) };
}

export function keystoreOperations(): OperationDef[] {
  const generic = KEYSTORE_ENTITIES.flatMap(entityOperations).map((op) => {
    if (op.name === "GetEncryptionKeyList") return hidingKeys(op);
    if (op.name === "RemoveEncryptionKey") return atLeastOneToken(op);
    return op;
  });
  return [...generic, getEncryptionKey];
}
