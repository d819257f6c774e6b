/**
 * Given/want tables per XSD/WSDL construct: a small inline schema → the TS it must produce and
 * the descriptor properties the runtime codec will read.
 */
import { describe, expect, it } from "@jest/globals";
import { compile, TNS, wsdl } from "./helpers.js";

interface Case {
  name: string;
  schema: string;
  ops?: string[];
  schemaAttrs?: string;
  /** Fragments that must appear in tns/types.ts. */
  types?: string[];
  /** Fragments that must not. */
  notTypes?: string[];
  /** [type, field name, expected subset of the field descriptor]. */
  fields?: [string, string, Record<string, unknown>][];
  /** [type, expected subset of the type descriptor]. */
  descriptors?: [string, Record<string, unknown>][];
  /** Fragments that must appear in tns/schemas.ts. */
  schemas?: string[];
}

const STR = { kind: "scalar", js: "string", xsd: "xs:string" };

const cases: Case[] = [
  {
    name: "sequence: required and optional elements in order",
    schema: `<xs:complexType name="Pair"><xs:sequence>
        <xs:element name="A" type="xs:string"/><xs:element name="B" type="xs:int" minOccurs="0"/>
      </xs:sequence></xs:complexType>`,
    types: ["export interface Pair {", "  A: string;", "  B?: number;"],
    fields: [
      ["Pair", "A", { node: "element", ns: "NS", type: STR, min: 1, max: 1, many: false }],
      ["Pair", "B", { node: "element", type: { kind: "scalar", js: "number", xsd: "xs:int" }, min: 0, max: 1, many: false }],
    ],
  },
  {
    name: "choice: every branch is optional; a repeated branch is an array",
    schema: `<xs:complexType name="Id"><xs:choice>
        <xs:element name="Card" type="xs:string"/><xs:element name="Pin" type="xs:string" maxOccurs="3"/>
      </xs:choice></xs:complexType>`,
    types: ["  Card?: string;", "  Pin?: string[];"],
    fields: [
      ["Id", "Card", { min: 0, max: 1, many: false }],
      ["Id", "Pin", { min: 0, max: 3, many: true }],
    ],
  },
  {
    name: "repeated choice and repeated sequence make their elements arrays",
    schema: `<xs:complexType name="Rep"><xs:sequence>
        <xs:choice maxOccurs="unbounded"><xs:element name="X" type="xs:string"/><xs:element name="Y" type="xs:string"/></xs:choice>
        <xs:sequence minOccurs="1" maxOccurs="2"><xs:element name="Z" type="xs:boolean"/></xs:sequence>
      </xs:sequence></xs:complexType>`,
    types: ["  X?: string[];", "  Y?: string[];", "  Z: boolean[];"],
    fields: [
      ["Rep", "X", { min: 0, max: "unbounded", many: true }],
      ["Rep", "Z", { min: 1, max: 2, many: true }],
    ],
  },
  {
    name: "nested sequence inside a choice is optional",
    schema: `<xs:complexType name="Nest"><xs:choice>
        <xs:sequence><xs:element name="From" type="xs:dateTime"/><xs:element name="To" type="xs:dateTime"/></xs:sequence>
        <xs:element name="Always" type="xs:boolean"/>
      </xs:choice></xs:complexType>`,
    types: ["  From?: string;", "  To?: string;", "  Always?: boolean;"],
    fields: [["Nest", "From", { min: 0, type: { kind: "scalar", js: "string", xsd: "xs:dateTime" } }]],
  },
  {
    name: "all",
    schema: `<xs:complexType name="Every"><xs:all><xs:element name="P" type="xs:float"/><xs:element name="Q" type="xs:long" minOccurs="0"/></xs:all></xs:complexType>`,
    types: ["  P: number;", "  Q?: number;"],
    fields: [["Every", "P", { type: { kind: "scalar", js: "number", xsd: "xs:float" }, min: 1 }]],
  },
  {
    name: "complexContent extension: TS extends, descriptor flattens (inherited first) and names the base",
    schema: `<xs:complexType name="Base"><xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence>
        <xs:attribute name="token" type="xs:string" use="required"/></xs:complexType>
      <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base">
        <xs:sequence><xs:element name="Extra" type="xs:string" minOccurs="0"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>`,
    types: ["export interface Derived extends Base {\n  Extra?: string;\n}"],
    descriptors: [["Derived", { name: "Derived", ns: "NS", base: `{${TNS}}Base` }]],
    fields: [["Derived", "token", { node: "attribute", required: true, ns: "" }]],
  },
  {
    name: "complexContent restriction restates content, keeps attributes, no extends",
    schema: `<xs:complexType name="Wide"><xs:sequence><xs:element name="A" type="xs:string"/><xs:element name="B" type="xs:string" minOccurs="0"/></xs:sequence>
        <xs:attribute name="id" type="xs:string"/></xs:complexType>
      <xs:complexType name="Narrow"><xs:complexContent><xs:restriction base="tns:Wide">
        <xs:sequence><xs:element name="A" type="xs:string"/></xs:sequence>
      </xs:restriction></xs:complexContent></xs:complexType>`,
    types: ["export interface Narrow {\n  A: string;\n  id?: string;\n}"],
    notTypes: ["Narrow extends"],
  },
  {
    name: "simpleContent extension → value + attributes",
    schema: `<xs:complexType name="Text"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute name="lang" type="xs:language"/></xs:extension></xs:simpleContent></xs:complexType>`,
    types: ["export interface Text {", "  value: string;", "  lang?: string;"],
    fields: [["Text", "value", { node: "text", type: { kind: "scalar", js: "string", xsd: "xs:string" } }]],
  },
  {
    name: "enumeration → string-literal union; descriptor keeps the values",
    schema: `<xs:simpleType name="Color"><xs:restriction base="xs:string">
        <xs:enumeration value="Red"/><xs:enumeration value="Green"><xs:annotation><xs:documentation>Go.</xs:documentation></xs:annotation></xs:enumeration>
      </xs:restriction></xs:simpleType>
      <xs:complexType name="Light"><xs:sequence><xs:element name="C" type="tns:Color"/></xs:sequence></xs:complexType>`,
    types: ['export type Color = "Red" | "Green";', "  C: Color;", " * - `Green`: Go."],
    fields: [["Light", "C", { type: { kind: "scalar", js: "string", xsd: "xs:string", enum: ["Red", "Green"] } }]],
  },
  {
    name: "other facets are kept (length, pattern, range)",
    schema: `<xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="8"/><xs:pattern value="[A-Z]+"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Percent"><xs:restriction base="xs:int"><xs:minInclusive value="0"/><xs:maxInclusive value="100"/></xs:restriction></xs:simpleType>
      <xs:complexType name="F"><xs:sequence><xs:element name="C" type="tns:Code"/><xs:element name="P" type="tns:Percent"/></xs:sequence></xs:complexType>`,
    types: ["export type Code = string;", "export type Percent = number;"],
    fields: [
      ["F", "C", { type: { kind: "scalar", js: "string", xsd: "xs:string", maxLength: 8, pattern: "[A-Z]+" } }],
      ["F", "P", { type: { kind: "scalar", js: "number", xsd: "xs:int", minInclusive: 0, maxInclusive: 100 } }],
    ],
  },
  {
    name: "list → array; union → string",
    schema: `<xs:simpleType name="Tokens"><xs:list itemType="xs:string"/></xs:simpleType>
      <xs:simpleType name="Ints"><xs:list itemType="xs:int"/></xs:simpleType>
      <xs:simpleType name="Either"><xs:union memberTypes="xs:int xs:boolean"/></xs:simpleType>
      <xs:complexType name="L"><xs:sequence><xs:element name="E" type="tns:Either"/></xs:sequence>
        <xs:attribute name="kinds" type="tns:Tokens"/><xs:attribute name="nums" type="tns:Ints"/></xs:complexType>`,
    types: ["export type Tokens = string[];", "export type Ints = number[];", "export type Either = string;", "  kinds?: Tokens;"],
    fields: [
      ["L", "kinds", { node: "attribute", type: { kind: "list", item: STR }, required: false }],
      ["L", "nums", { type: { kind: "list", item: { kind: "scalar", js: "number", xsd: "xs:int" } } }],
      ["L", "E", { type: STR }],
    ],
  },
  {
    name: "attributes are typed fields; token above all",
    schema: `<xs:simpleType name="ReferenceToken"><xs:restriction base="xs:string"><xs:maxLength value="64"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Entity"><xs:sequence/><xs:attribute name="token" type="tns:ReferenceToken" use="required"/>
        <xs:attribute name="Enabled" type="xs:boolean" default="true"/></xs:complexType>`,
    types: ["  token: ReferenceToken;", "  Enabled?: boolean;"],
    fields: [["Entity", "token", { node: "attribute", name: "token", ns: "", type: { kind: "scalar", js: "string", xsd: "xs:string", maxLength: 64 }, required: true }]],
  },
  {
    name: "minOccurs/maxOccurs: repeated is always an array, required is not optional",
    schema: `<xs:complexType name="Occ"><xs:sequence>
        <xs:element name="Many" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="Some" type="xs:string" minOccurs="2" maxOccurs="5"/>
        <xs:element name="One" type="xs:string"/>
        <xs:element name="Never" type="xs:string" maxOccurs="0"/>
      </xs:sequence></xs:complexType>`,
    types: ["  Many?: string[];", "  Some: string[];", "  One: string;"],
    notTypes: ["Never"],
    fields: [["Occ", "Some", { min: 2, max: 5, many: true }]],
  },
  {
    name: "element ref takes the global element's name, namespace and type",
    schemaAttrs: 'elementFormDefault="unqualified"',
    schema: `<xs:element name="Tag" type="xs:string"/>
      <xs:complexType name="R"><xs:sequence><xs:element ref="tns:Tag" maxOccurs="unbounded"/><xs:element name="Local" type="xs:string"/></xs:sequence></xs:complexType>`,
    types: ["  Tag: string[];", "export type Tag = string;"],
    fields: [
      ["R", "Tag", { ns: "NS", many: true }],
      ["R", "Local", { ns: "" }],
    ],
  },
  {
    name: "xs:any and xs:anyAttribute",
    schema: `<xs:complexType name="Open"><xs:sequence><xs:element name="K" type="xs:string"/>
        <xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence><xs:anyAttribute processContents="lax"/></xs:complexType>`,
    types: ['import type { XmlElement } from "', "  any?: XmlElement[];", "  anyAttribute?: Record<string, string>;"],
    fields: [
      ["Open", "any", { node: "any", min: 0, max: "unbounded", namespace: "##other" }],
      ["Open", "anyAttribute", { node: "anyAttribute" }],
    ],
  },
  {
    name: "elementFormDefault unqualified vs per-element form",
    schemaAttrs: 'elementFormDefault="unqualified"',
    schema: `<xs:complexType name="Forms"><xs:sequence><xs:element name="U" type="xs:string"/><xs:element name="Q" type="xs:string" form="qualified"/></xs:sequence>
        <xs:attribute name="qa" type="xs:string" form="qualified"/></xs:complexType>`,
    fields: [
      ["Forms", "U", { ns: "" }],
      ["Forms", "Q", { ns: "NS" }],
      ["Forms", "qa", { ns: "NS" }],
    ],
  },
  {
    name: "nillable → | null and nillable: true",
    schema: `<xs:complexType name="N"><xs:sequence><xs:element name="V" type="xs:int" nillable="true"/></xs:sequence></xs:complexType>`,
    types: ["  V: number | null;"],
    fields: [["N", "V", { nillable: true }]],
  },
  {
    name: "anonymous types are named after their element, with the parent as prefix when taken",
    schema: `<xs:complexType name="Item"><xs:sequence/></xs:complexType>
      <xs:complexType name="Box"><xs:sequence>
        <xs:element name="Lid"><xs:complexType><xs:attribute name="open" type="xs:boolean"/></xs:complexType></xs:element>
        <xs:element name="Item"><xs:complexType><xs:sequence><xs:element name="N" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
      </xs:sequence></xs:complexType>`,
    types: ["export interface Lid {", "export interface BoxItem {", "  Item: BoxItem;", "  Lid: Lid;", "export interface Item {}"],
    descriptors: [["BoxItem", { name: "BoxItem" }]],
  },
  {
    name: "group and attributeGroup refs are expanded in place",
    schema: `<xs:group name="G"><xs:sequence><xs:element name="GA" type="xs:string"/><xs:element name="GB" type="xs:string" minOccurs="0"/></xs:sequence></xs:group>
      <xs:attributeGroup name="AG"><xs:attribute name="x" type="xs:int" use="required"/></xs:attributeGroup>
      <xs:complexType name="UsesGroups"><xs:sequence><xs:element name="First" type="xs:string"/><xs:group ref="tns:G" maxOccurs="unbounded"/></xs:sequence>
        <xs:attributeGroup ref="tns:AG"/></xs:complexType>`,
    types: ["  First: string;", "  GA: string[];", "  GB?: string[];", "  x: number;"],
    descriptors: [["UsesGroups", { fields: expect.arrayContaining([expect.objectContaining({ name: "GA", many: true })]) }]],
  },
  {
    name: "documentation becomes JSDoc, with */ escaped",
    schema: `<xs:complexType name="Doc"><xs:annotation><xs:documentation>Ends a comment */ early.</xs:documentation></xs:annotation><xs:sequence/></xs:complexType>`,
    types: ["/** Ends a comment *\\/ early. */\nexport interface Doc {}"],
  },
  {
    name: "JSON Schema: integers, enums, arrays, required, additionalProperties",
    ops: ["Put"],
    schema: `<xs:simpleType name="Mode"><xs:restriction base="xs:string"><xs:enumeration value="On"/><xs:enumeration value="Off"/></xs:restriction></xs:simpleType>
      <xs:element name="Put"><xs:complexType><xs:sequence>
        <xs:element name="Count" type="xs:unsignedShort"/><xs:element name="Mode" type="tns:Mode" minOccurs="0"/>
        <xs:element name="Tags" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence><xs:attribute name="token" type="xs:string" use="required"/></xs:complexType></xs:element>
      <xs:element name="PutResponse"><xs:complexType><xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>`,
    schemas: [
      'Count: { type: "integer", minimum: 0, maximum: 65535 }',
      'Mode: { type: "string", enum: ["On", "Off"] }',
      'Tags: { type: "array", items: { type: "string" } }',
      'required: ["Count", "token"]',
      '$id: "urn:pacs-conformance:tns:Put"',
    ],
  },
];

describe("XSD constructs → TS types and descriptors", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const out = await compile({ "svc.wsdl": wsdl(c.schema, c.ops ?? [], c.schemaAttrs) });
    const types = out.file("tns", "types");
    for (const t of c.types ?? []) expect(types).toContain(t);
    for (const t of c.notTypes ?? []) expect(types).not.toContain(t);
    for (const [type, name, want] of c.fields ?? []) expect(out.field("tns", type, name)).toMatchObject(want);
    for (const [type, want] of c.descriptors ?? []) expect(out.descriptor("tns", type)).toMatchObject(want);
    for (const s of c.schemas ?? []) expect(out.file("tns", "schemas")).toContain(s);
  });

  it("extension lists inherited fields first, in schema order", async () => {
    const out = await compile({
      "svc.wsdl": wsdl(`<xs:complexType name="A"><xs:sequence><xs:element name="A1" type="xs:string"/></xs:sequence><xs:attribute name="a" type="xs:string"/></xs:complexType>
        <xs:complexType name="B"><xs:complexContent><xs:extension base="tns:A"><xs:sequence><xs:element name="B1" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
        <xs:complexType name="C"><xs:complexContent><xs:extension base="tns:B"><xs:sequence><xs:element name="C1" type="xs:string"/></xs:sequence><xs:attribute name="c" type="xs:int"/></xs:extension></xs:complexContent></xs:complexType>`),
    });
    const names = (out.descriptor("tns", "C")["fields"] as { name: string }[]).map((f) => f.name);
    expect(names).toEqual(["A1", "a", "B1", "C1", "c"]);
    expect(out.file("tns", "types")).toContain("export interface C extends B {\n  C1: string;\n  c?: number;\n}");
  });

  it("complex references are thunks to the type's descriptor const", async () => {
    const out = await compile({
      "svc.wsdl": wsdl(`<xs:complexType name="Node"><xs:sequence><xs:element name="Child" type="tns:Node" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>`),
    });
    expect(out.field("tns", "Node", "Child")).toMatchObject({ type: { kind: "complex", type: "() => NodeType" }, many: true });
    expect(out.file("tns", "descriptors")).toContain("export const NodeType: TypeDescriptor = {");
  });
});

describe("WSDL → operations and clients", () => {
  const schema = `<xs:element name="GetThing"><xs:complexType><xs:sequence><xs:element name="Limit" type="xs:int" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="GetThingResponse"><xs:complexType><xs:sequence><xs:element name="Thing" type="xs:string" maxOccurs="unbounded" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="SetThing"><xs:complexType><xs:sequence><xs:element name="Thing" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="SetThingResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>`;

  it("emits one client class per portType, one method per operation, defaulting input when nothing is required", async () => {
    const out = await compile({ "svc.wsdl": wsdl(schema, ["GetThing", "SetThing"]) });
    const client = out.file("tns", "client");
    expect(client).toContain("export class SvcClient {\n  constructor(private readonly binding: Binding) {}");
    expect(client).toContain("  getThing(input: GetThing = {}, options?: CallOptions): Promise<GetThingResponse> {\n    return invoke(this.binding, d.GetThing, input, options);\n  }");
    expect(client).toContain("  setThing(input: SetThing, options?: CallOptions): Promise<SetThingResponse> {");
    expect(client).toContain("   * Does GetThing.\n   *\n   * @generated from operation tns:GetThing");
    expect(client.split("\n")[0]).toBe("// @generated by pacs-conformance codegen from svc.wsdl. Do not edit; run `npm run generate`.");
  });

  it("operation descriptors carry soapAction from the binding, prefix, messages, doc; `operations` lists them", async () => {
    const out = await compile({ "svc.wsdl": wsdl(schema, ["GetThing", "SetThing"]) });
    const d = out.file("tns", "descriptors");
    expect(d).toContain(`export const GetThing: OperationDescriptor = {
  name: "GetThing",
  ns: NS,
  prefix: "tns",
  soapAction: "urn:test:svc/action/GetThing",
  input: GetThingMessage,
  output: GetThingResponseMessage,
  doc: "Does GetThing.",
};`);
    expect(d).toContain('export const GetThingMessage: MessageDescriptor = { name: "GetThing", ns: NS, type: () => GetThingType };');
    expect(d).toContain("export const operations = {\n  GetThing,\n  SetThing,\n} as const satisfies Readonly<Record<string, OperationDescriptor>>;");
    expect(out.file("tns", "schemas")).toContain('export const schemas: Readonly<Record<"GetThing" | "GetThingResponse" | "SetThing" | "SetThingResponse", JsonSchema>>');
  });

  it("services config sets the folder prefix and the JSON path; without a binding the soapAction defaults", async () => {
    const text = wsdl(schema, ["GetThing"]).replace(/<wsdl:binding[\s\S]*<\/wsdl:binding>/, "");
    const out = await compile(
      { "svc.wsdl": text, "services.json": JSON.stringify({ namespaces: { [TNS]: { prefix: "svc", jsonPath: "/vapix/svc" } } }) },
      { inputs: ["svc.wsdl"], services: "services.json" },
    );
    const d = out.file("svc", "descriptors");
    expect(d).toContain('  prefix: "svc",\n  soapAction: "urn:test:svc/GetThing",\n  jsonPath: "/vapix/svc",');
    expect([...out.files.keys()]).toEqual(["index.ts", "svc/client.ts", "svc/descriptors.ts", "svc/schemas.ts", "svc/types.ts"]);
    expect(out.warnings.join("\n")).toContain("has no binding");
  });

  it("PortType and Port suffixes are stripped from client names", async () => {
    const text = wsdl(schema, ["GetThing"]).replace(/SvcPort/g, "AccessControlPortType");
    const out = await compile({ "svc.wsdl": text });
    expect(out.file("tns", "client")).toContain("export class AccessControlClient {");
  });

  it("index.ts re-exports every module under its prefix", async () => {
    const out = await compile({ "svc.wsdl": wsdl(schema, ["GetThing"]) });
    const index = out.files.get("index.ts")!;
    expect(index).toContain('export * as tns from "./tns/client.js";');
    expect(index).toContain('export type * as tnsTypes from "./tns/types.js";');
    expect(index).toContain('export * as tnsDescriptors from "./tns/descriptors.js";');
    expect(index).toContain('export * as tnsSchemas from "./tns/schemas.js";');
  });

  it("takes soapAction from a SOAP 1.1 binding, prefers SOAP 1.2 when both exist, and emits one class per portType", async () => {
    const two = wsdl(schema, ["GetThing", "SetThing"])
      .replace(/<wsdl:binding[\s\S]*<\/wsdl:binding>/, "")
      .replace(
        /<wsdl:portType name="SvcPort">([\s\S]*?)(<wsdl:operation name="SetThing">[\s\S]*?<\/wsdl:operation>)\s*<\/wsdl:portType>/,
        '<wsdl:portType name="ReadPort">$1</wsdl:portType><wsdl:portType name="WritePort">$2</wsdl:portType>',
      )
      .replace(
        "</wsdl:definitions>",
        `<wsdl:binding name="R11" type="tns:ReadPort" xmlns:soap11="http://schemas.xmlsoap.org/wsdl/soap/"><soap11:binding style="document"/>
           <wsdl:operation name="GetThing"><soap11:operation soapAction="urn:soap11/GetThing"/></wsdl:operation></wsdl:binding>
         <wsdl:binding name="W11" type="tns:WritePort" xmlns:soap11="http://schemas.xmlsoap.org/wsdl/soap/"><soap11:binding style="document"/>
           <wsdl:operation name="SetThing"><soap11:operation soapAction="urn:soap11/SetThing"/></wsdl:operation></wsdl:binding>
         <wsdl:binding name="W12" type="tns:WritePort"><soap:binding style="document"/>
           <wsdl:operation name="SetThing"><soap:operation soapAction="urn:soap12/SetThing"/></wsdl:operation></wsdl:binding>
         </wsdl:definitions>`,
      );
    const out = await compile({ "svc.wsdl": two });
    const client = out.file("tns", "client");
    expect(client).toContain("export class ReadClient {");
    expect(client).toContain("export class WriteClient {");
    const d = out.file("tns", "descriptors");
    expect(d).toContain('soapAction: "urn:soap11/GetThing"');
    expect(d).toContain('soapAction: "urn:soap12/SetThing"');
  });
});
