/** The AccessControl service's checks: generic ones from the entity declarations, then the specific ones. */
import type { CheckDefinition } from "../../harness/types.js";
import type { EntityDeclaration } from "../../harness/entity.js";
import { tokenOf } from "../../harness/entity.js";
import { sampleFor, setItems } from "../../harness/items.js";
import { declaredChecks } from "../generic/declared.js";
import { samplePagingSource, type PagingSource } from "../generic/paging-checks.js";
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

export const accessControlChecks: readonly CheckDefinition[] = [...declaredChecks(accessControlEntities, pagingSourceFor), ...accessControlSpecificChecks()];

export { accessControlEntities };
