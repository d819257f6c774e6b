/** The AccessControl service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration } from "../../harness/entity.js";
import { tokenOf } from "../../harness/entity.js";
import { sampleFor, setItems } from "../../harness/items.js";
import { getOperationChecks, referenceChecks, setGetChecks } from "../generic/entity-checks.js";
import { pagingChecks, samplePagingSource, type PagingSource } from "../generic/paging-checks.js";
import { accessControlEntities, antipassbackData, credential } from "./entities.js";
import { accessControlSpecificChecks } from "./specific.js";

/** Anti-passback data exists per credential: the data set is own credentials, each with data. */
const antipassbackPagingSource: PagingSource = {
  entity: antipassbackData,
  key: "paging-items:pacsaxis:antipassback-data",
  async create(ctx, count) {
    const creds = Array.from({ length: count }, (_, i) => sampleFor(ctx, credential, `${ctx.tokenPrefix}pg-apb-${i}`, 200 + i));
    const { tokens } = await setItems(ctx, credential, creds);
    const own = tokens.length === count ? tokens : creds.map((c) => tokenOf(credential, c));
    await ctx.call(antipassbackData.set as string, {
      AntipassbackData: own.map((t, n) => antipassbackData.sample({ token: t, label: ctx.tokenPrefix, n, refs: { credential: t } })),
    });
    return { own, note: `${count} credentials with anti-passback data` };
  },
};

function pagingSourceFor(entity: EntityDeclaration): PagingSource {
  return entity === antipassbackData ? antipassbackPagingSource : samplePagingSource(entity);
}

export const accessControlChecks: readonly CheckDefinition[] = (() => {
  const byKey = new Map(accessControlEntities.filter((e) => e.prefix === "pacsaxis").map((e) => [e.key, e] as const));
  const out: CheckDefinition[] = [];
  for (const e of accessControlEntities) {
    out.push(...setGetChecks(e));
    for (const form of [e.full, e.info]) if (form !== undefined) out.push(...getOperationChecks(e, form));
    out.push(...referenceChecks(e, byKey));
    const source = pagingSourceFor(e);
    for (const form of [e.full, e.info]) if (form !== undefined) out.push(...pagingChecks(source, form));
  }
  out.push(...accessControlSpecificChecks());
  return out;
})();

export { accessControlEntities };
