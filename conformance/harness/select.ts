/** Which checks a run includes: `--grep` (case-insensitive substring of id or title) and/or exact ids. */
import type { CheckDefinition } from "./types.js";

export function matchesGrep(check: Pick<CheckDefinition, "id" | "title">, grep: string | undefined): boolean {
  if (grep === undefined || grep === "") return true;
  const needle = grep.toLowerCase();
  return check.id.toLowerCase().includes(needle) || check.title.toLowerCase().includes(needle);
}

export function selectChecks(
  checks: readonly CheckDefinition[],
  grep: string | undefined,
  ids: readonly string[] | undefined,
): CheckDefinition[] {
  const idSet = ids === undefined ? undefined : new Set(ids);
  return checks.filter((c) => matchesGrep(c, grep) && (idSet === undefined || idSet.has(c.id)));
}
