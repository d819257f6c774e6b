import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { allChecks, allEntities } from "../../conformance/cases/index.js";
import { PROJECT_ROOT } from "../../src/codegen/generate.js";

const PAGES = join(PROJECT_ROOT, "..", "shared", "reference", "axis-vapix-pacs");
const TESTSPECS = join(PROJECT_ROOT, "..", "shared", "reference", "onvif-testspecs");
const haveRef = existsSync(PAGES) && existsSync(TESTSPECS);
if (!haveRef) process.stdout.write(`spec reference tests skipped: ${PAGES} is absent (the shared reference folder is not next to the project)\n`);

/** The anchors a documentation page offers: `{#explicit-id}` or the heading, lower-cased and dashed. */
function anchorsOf(page: string): Set<string> {
  const out = new Set<string>();
  for (const m of readFileSync(join(PAGES, page), "utf8").matchAll(/^#{1,6} (.+)$/gm)) {
    const heading = m[1]!;
    const explicit = /\{#?([a-z0-9-]+)\}\s*$/.exec(heading);
    out.add(explicit !== null ? explicit[1]! : heading.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-"));
  }
  return out;
}

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

  (haveRef ? it : it.skip)("cites only sections and ONVIF test cases that exist in the references", () => {
    const anchors = new Map<string, Set<string>>();
    const testspecs = readdirSync(TESTSPECS).map((f) => readFileSync(join(TESTSPECS, f), "utf8")).join("\n");
    const missing = new Set<string>();
    for (const c of allChecks) {
      for (const ref of c.specRefs) {
        const [page, anchor] = ref.split("#") as [string, string | undefined];
        if (page.endsWith(".md")) {
          if (!existsSync(join(PAGES, page))) missing.add(`${c.id}: ${ref} (no such page)`);
          else if (anchor !== undefined) {
            if (!anchors.has(page)) anchors.set(page, anchorsOf(page));
            if (!anchors.get(page)!.has(anchor)) missing.add(`${c.id}: ${ref}`);
          }
        } else if (/^[A-Z_]+-\d+(-\d+)+$/.test(ref) && !testspecs.includes(ref)) missing.add(`${c.id}: ${ref} (no such ONVIF test case)`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
