import { describe, expect, it } from "@jest/globals";
import { allChecks, allEntities } from "../../conformance/cases/index.js";

describe("check registry", () => {
  it("has unique ids, a rule, spec references and a quirk on every check", () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of allChecks) {
      expect(c.id).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
      expect(c.rule.length).toBeGreaterThan(10);
      expect(c.specRefs.length).toBeGreaterThan(0);
      expect(c.quirk).toMatch(/^[a-z-]+$/);
    }
  });

  it("has at least 40 AccessControl checks per transport", () => {
    for (const t of ["soap", "json"] as const) {
      const n = allChecks.filter((c) => c.service === "AccessControl" && c.transports !== "both" && c.transports.includes(t)).length;
      expect(n).toBeGreaterThanOrEqual(40);
    }
  });

  it("pages every Get<X>List and Get<X>InfoList the entity declarations name", () => {
    const lists = allEntities.flatMap((e) => [e.full?.list, e.info?.list]).filter((x): x is string => x !== undefined);
    expect(lists.length).toBeGreaterThanOrEqual(15);
    for (const op of lists) {
      const name = op.slice(op.indexOf(":") + 4).replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
      for (const aspect of ["limit-one", "limit-random", "limit-max", "no-limit", "no-duplicates", "complete", "terminates", "invalid-start-reference"]) {
        expect(allChecks.map((c) => c.id)).toContain(`${op.slice(0, op.indexOf(":"))}.paging.${name}.${aspect}`);
      }
    }
  });

  it("keeps published ids stable", () => {
    const ids = new Set(allChecks.map((c) => c.id));
    for (const id of ["pacsaxis.paging.credential-info-list.limit-one", "tac.paging.access-point-info-list.invalid-start-reference", "pacsaxis.access-point.replace", "harness.data-preserved"]) {
      expect(ids.has(id)).toBe(true);
    }
  });
});
