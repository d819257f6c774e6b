/**
 * Loading inputs: relative imports/includes, the catalog for remote locations, and the errors a
 * user sees for bad input (each names the file, what is wrong and the fix).
 */
import { describe, expect, it } from "@jest/globals";
import { CodegenError } from "../../src/codegen/errors.js";
import { parseXml } from "../../src/codegen/xml.js";
import { compile, TNS, wsdl } from "./helpers.js";

const OTHER = "urn:test:other";
const otherXsd = (extra = "") => `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="${OTHER}" targetNamespace="${OTHER}" elementFormDefault="qualified">
  ${extra}
  <xs:complexType name="Thing"><xs:sequence><xs:element name="Id" type="xs:string"/></xs:sequence></xs:complexType>
</xs:schema>`;
const usesOther = (location: string) =>
  wsdl(`<xs:import namespace="${OTHER}" schemaLocation="${location}"/>
    <xs:complexType name="Holder"><xs:sequence><xs:element name="T" type="o:Thing"/></xs:sequence></xs:complexType>`).replace(
    `xmlns:tns="${TNS}"`,
    `xmlns:tns="${TNS}" xmlns:o="${OTHER}"`,
  );

async function compileError(files: Record<string, string>, options: Parameters<typeof compile>[1] = {}): Promise<CodegenError> {
  try {
    await compile(files, options);
  } catch (err) {
    expect(err).toBeInstanceOf(CodegenError);
    return err as CodegenError;
  }
  throw new Error("expected a CodegenError");
}

describe("imports and includes", () => {
  it("follows xs:import by relative path and imports the other namespace's types", async () => {
    const out = await compile({ "svc.wsdl": usesOther("xsd/other.xsd"), "xsd/other.xsd": otherXsd() });
    expect(out.program.modules.map((m) => m.prefix)).toEqual(["o", "tns"]);
    expect(out.file("tns", "types")).toContain('import type * as o from "../o/types.js";');
    expect(out.file("tns", "types")).toContain("  T: o.Thing;");
    expect(out.file("o", "types").split("\n")[0]).toContain("from xsd/other.xsd.");
  });

  it("follows xs:include (chameleon) relative to the including file", async () => {
    const out = await compile({
      "svc.wsdl": usesOther("xsd/other.xsd"),
      "xsd/other.xsd": otherXsd('<xs:include schemaLocation="parts/extra.xsd"/>').replace('type="xs:string"', 'type="o:Code"'),
      "xsd/parts/extra.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:simpleType name="Code"><xs:restriction base="xs:token"/></xs:simpleType></xs:schema>`,
    });
    expect(out.file("o", "types")).toContain("export type Code = string;");
    expect(out.field("o", "Thing", "Id")).toMatchObject({ ns: "NS", type: { xsd: "xs:token" } });
    expect(out.file("o", "descriptors")).toContain(`const NS = "${OTHER}";`);
  });

  it("resolves a remote schemaLocation through the catalog (paths relative to the catalog file)", async () => {
    const out = await compile(
      {
        "svc.wsdl": usesOther("https://schemas.example.org/other.xsd"),
        "cfg/catalog.json": JSON.stringify({ "https://schemas.example.org/other.xsd": "../copies/other.xsd" }),
        "copies/other.xsd": otherXsd(),
      },
      { inputs: ["svc.wsdl"], catalog: "cfg/catalog.json" },
    );
    expect(out.file("o", "types")).toContain("export interface Thing {");
  });

  it("an unmapped remote import is an error naming the file, the URL and the fix — never fetched or dropped", async () => {
    const err = await compileError({ "svc.wsdl": usesOther("https://schemas.example.org/other.xsd") });
    expect(err.code).toBe("IMPORT_UNRESOLVED");
    expect(err.message).toMatch(/^svc\.wsdl:\d+: import of namespace urn:test:other from https:\/\/schemas\.example\.org\/other\.xsd/);
    expect(err.message).toContain('add "https://schemas.example.org/other.xsd": "<path to a local copy>" to the catalog');

    const withCatalog = await compileError(
      { "svc.wsdl": usesOther("https://schemas.example.org/other.xsd"), "catalog.json": "{}" },
      { inputs: ["svc.wsdl"], catalog: "catalog.json" },
    );
    expect(withCatalog.message).toContain("is not in the catalog catalog.json");
  });

  it("allElements also emits the unreachable global elements of imported schemas (not their unreachable types)", async () => {
    // Like tt:Message, which a message reaches only through xs:any.
    const extra = `<xs:element name="Payload"><xs:complexType><xs:attribute name="At" type="xs:dateTime" use="required"/></xs:complexType></xs:element>
  <xs:complexType name="Unused"><xs:sequence><xs:element name="X" type="xs:int"/></xs:sequence></xs:complexType>`;
    const files = { "svc.wsdl": usesOther("other.xsd"), "other.xsd": otherXsd(extra) };
    const reachable = await compile(files);
    expect(reachable.file("o", "types")).not.toContain("Payload");
    const all = await compile(files, { allElements: true });
    expect(all.file("o", "types")).toContain("export interface Payload {");
    expect(all.field("o", "Payload", "At")).toMatchObject({ node: "attribute", required: true, type: { xsd: "xs:dateTime" } });
    expect(all.file("o", "descriptors")).toContain("export const PayloadType: TypeDescriptor = {");
    expect(all.file("o", "types")).not.toContain("Unused");
    expect(all.file("tns", "types")).toBe(reachable.file("tns", "types"));
  });

  it("an import without schemaLocation is fine when another schema supplies the namespace", async () => {
    const text = wsdl(`<xs:import namespace="${OTHER}"/><xs:complexType name="Holder"><xs:sequence><xs:element name="T" type="o:Thing"/></xs:sequence></xs:complexType>`)
      .replace(`xmlns:tns="${TNS}"`, `xmlns:tns="${TNS}" xmlns:o="${OTHER}"`)
      .replace("</wsdl:types>", `${otherXsd().replace('<?xml version="1.0"?>', "")}</wsdl:types>`);
    const out = await compile({ "svc.wsdl": text });
    expect(out.file("tns", "types")).toContain("  T: o.Thing;");
  });

  it("a missing local file names the importing line and the resolved path", async () => {
    const err = await compileError({ "svc.wsdl": usesOther("nope/other.xsd") });
    expect(err.code).toBe("FILE_NOT_FOUND");
    expect(err.message).toMatch(/^svc\.wsdl:\d+: nope\/other\.xsd → nope\/other\.xsd: cannot read \(ENOENT\)/);
  });

  it("an import whose file declares another namespace is rejected", async () => {
    const err = await compileError({ "svc.wsdl": usesOther("x.xsd"), "x.xsd": otherXsd().replace(/urn:test:other/g, "urn:wrong") });
    expect(err.code).toBe("UNKNOWN_REFERENCE");
    expect(err.message).toContain('imports namespace urn:test:other but x.xsd declares targetNamespace "urn:wrong"');
  });
});

describe("bad input gives clear errors", () => {
  it("unknown type: names file:line, the referencing component and the missing import", async () => {
    const err = await compileError({
      "svc.wsdl": wsdl(`<xs:complexType name="Door"><xs:sequence><xs:element name="Info" type="tns:Nope"/></xs:sequence></xs:complexType>`),
    });
    expect(err.code).toBe("UNKNOWN_REFERENCE");
    expect(err.message).toMatch(/^svc\.wsdl:\d+: Info uses unknown type tns:Nope \(namespace urn:test:svc is loaded but has no such type\)$/);
  });

  it("a type from a namespace nobody imports says so", async () => {
    const err = await compileError({
      "svc.wsdl": wsdl(`<xs:complexType name="Door"><xs:sequence><xs:element name="Info" type="q:Nope" xmlns:q="urn:q"/></xs:sequence></xs:complexType>`),
    });
    expect(err.message).toContain("uses unknown type q:Nope (is the schema for namespace urn:q imported?)");
  });

  it("malformed XML reports file:line:column", async () => {
    const err = await compileError({ "svc.wsdl": "<a>\n  <b></c>\n</a>" });
    expect(err.code).toBe("XML_MALFORMED");
    expect(err.message).toBe("svc.wsdl:2:6: malformed XML: </c> closes <b> opened on line 2; fix the document");
  });

  it("rpc-style parts (type=) are refused with the doc/literal fix", async () => {
    const text = wsdl(`<xs:element name="X"><xs:complexType/></xs:element><xs:element name="XResponse"><xs:complexType/></xs:element>`, ["X"]).replace(
      '<wsdl:part name="parameters" element="tns:X"/>',
      '<wsdl:part name="a" type="xs:string"/>',
    );
    const err = await compileError({ "svc.wsdl": text });
    expect(err.code).toBe("UNSUPPORTED");
    expect(err.message).toContain("uses type=, which is rpc style; use element=");
  });

  it("two different definitions of one type are an error; an identical repeat is not", async () => {
    const a = `<xs:complexType name="T"><xs:sequence><xs:element name="A" type="xs:string"/></xs:sequence></xs:complexType>`;
    const b = `<xs:complexType name="T"><xs:sequence><xs:element name="B" type="xs:string"/></xs:sequence></xs:complexType>`;
    const err = await compileError({ "one.wsdl": wsdl(a), "two.wsdl": wsdl(b) }, { inputs: ["one.wsdl", "two.wsdl"] });
    expect(err.code).toBe("DUPLICATE_DEFINITION");
    expect(err.message).toMatch(/^two\.wsdl:\d+: type T in namespace urn:test:svc is already defined differently at one\.wsdl:\d+/);
    const ok = await compile({ "one.wsdl": wsdl(a), "two.wsdl": wsdl(a) }, { inputs: ["one.wsdl", "two.wsdl"] });
    expect(ok.file("tns", "types")).toContain("export interface T {");
  });

  it("a root that is neither WSDL nor XSD is refused", async () => {
    const err = await compileError({ "x.xml": "<root/>" });
    expect(err.code).toBe("UNSUPPORTED");
    expect(err.message).toContain("neither wsdl:definitions (WSDL 1.1) nor xs:schema");
  });
});

describe("determinism", () => {
  it("the same input gives the same bytes twice", async () => {
    const files = { "svc.wsdl": usesOther("xsd/other.xsd"), "xsd/other.xsd": otherXsd() };
    const one = await compile(files);
    const two = await compile(files);
    expect([...two.files]).toEqual([...one.files]);
    expect([...one.files.values()].join("")).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});

describe("xml reader", () => {
  it("resolves namespaces, entities, CDATA and keeps line numbers", () => {
    const doc = parseXml(`<?xml version="1.0"?>\n<!-- c -->\n<r xmlns="urn:a" xmlns:p="urn:p">\n  <p:x a="1 &amp; 2">t&lt;<![CDATA[<raw>]]></p:x>\n</r>`, "f.xml");
    expect(doc).toMatchObject({ ns: "urn:a", local: "r", line: 3 });
    const x = doc.children[0]!;
    expect(x).toMatchObject({ ns: "urn:p", local: "x", prefix: "p", line: 4 });
    expect(x.attrs[0]).toMatchObject({ local: "a", value: "1 & 2" });
    expect(x.content.join("")).toBe("t<<raw>");
    expect(x.scope.get("p")).toBe("urn:p");
  });

  it("rejects undeclared prefixes and unknown entities", () => {
    expect(() => parseXml("<p:a/>", "f.xml")).toThrow('f.xml:1: element <p:a> uses undeclared prefix "p"; declare xmlns:p');
    expect(() => parseXml("<a>&nbsp;</a>", "f.xml")).toThrow("unknown entity &nbsp;");
  });
});
