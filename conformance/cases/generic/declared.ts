/**
 * The generic checks a service's entity declarations imply, in one place for every service:
 * set/get and token rules, the Get operations, stored references and paging of each list.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import type { CheckDefinition } from "../../harness/types.js";
import { getOperationChecks, referenceChecks, setGetChecks } from "./entity-checks.js";
import { pagingChecks, samplePagingSource, type PagingSource } from "./paging-checks.js";

/**
 * Checks for each declaration, in declaration order. A reference's target is the declaration of
 * that key which can be set (the last one, where a service declares a key twice); `pagingSource`
 * builds the data a list is paged over (sample items of the entity unless a service says otherwise).
 */
export function declaredChecks(entities: readonly EntityDeclaration[], pagingSource: (e: EntityDeclaration) => PagingSource = samplePagingSource): CheckDefinition[] {
  const byKey = new Map(entities.filter((e) => e.set !== undefined).map((e) => [e.key, e] as const));
  const out: CheckDefinition[] = [];
  for (const e of entities) {
    out.push(...setGetChecks(e));
    for (const form of [e.full, e.info]) if (form !== undefined) out.push(...getOperationChecks(e, form));
    out.push(...referenceChecks(e, byKey));
    const source = pagingSource(e);
    for (const form of [e.full, e.info]) if (form !== undefined) out.push(...pagingChecks(source, form));
  }
  return out;
}
