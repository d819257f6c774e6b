import { describe, expect, it } from "@jest/globals";
import { decodeElement, decodeXml, encodeElement, encodeJson, normalizeJson } from "../../src/runtime/codec.js";
import type { DecodeError } from "../../src/runtime/codec-errors.js";
import type { EncodeError } from "../../src/runtime/errors.js";
import { parseXml } from "../../src/runtime/xml.js";
import {
  AccessPoint,
  AccessPointInfo,
  GetAccessPoint,
  GetAccessPointList,
  GetAccessPointListResponse,
  PACS,
  PT,
  SetCredential,
} from "./descriptors.fixture.js";

function thrown<T extends Error>(fn: () => unknown): T {
  try {
    fn();
  } catch (err) {
    return err as T;
  }
  throw new Error("expected an error");
}

// Shaped after the VAPIX AccessPoint example (pacsaxis prefix, empty elements, attributes).
const ACCESS_POINT_XML = `<pacsaxis:AccessPoint xmlns:pacsaxis="${PACS}" token="Axis-00408c184bdb:1353665591.412364000">
    <pacsaxis:Name />
    <pacsaxis:Description />
    <pacsaxis:AreaFrom />
    <pacsaxis:AreaTo />
    <pacsaxis:EntityType>axtdc:Door</pacsaxis:EntityType>
    <pacsaxis:Entity>Axis-00408c184bdb:1353665586.846691000</pacsaxis:Entity>
    <pacsaxis:Enabled>true</pacsaxis:Enabled>
    <pacsaxis:DoorDeviceUUID>5581ad80-95b0-11e0-b883-00408c184bdb</pacsaxis:DoorDeviceUUID>
    <pacsaxis:IdPointDevice>
        <pacsaxis:IdPoint>Axis-00408c184bdb:1353665586.923475000</pacsaxis:IdPoint>
        <pacsaxis:DeviceUUID />
    </pacsaxis:IdPointDevice>
    <pacsaxis:AuthenticationProfile>Axis-00408c184bdb:1353665638.159357000</pacsaxis:AuthenticationProfile>
    <pacsaxis:Attribute Name="Direction" Value="out" type="" />
    <pacsaxis:Action>Access</pacsaxis:Action>
</pacsaxis:AccessPoint>`;

const EXPECTED_ACCESS_POINT = {
  token: "Axis-00408c184bdb:1353665591.412364000",
  Name: "",
  Description: "",
  AreaFrom: "",
  AreaTo: "",
  EntityType: "axtdc:Door",
  Entity: "Axis-00408c184bdb:1353665586.846691000",
  Enabled: true,
  DoorDeviceUUID: "5581ad80-95b0-11e0-b883-00408c184bdb",
  IdPointDevice: [{ IdPoint: "Axis-00408c184bdb:1353665586.923475000", DeviceUUID: "" }],
  AuthenticationProfile: ["Axis-00408c184bdb:1353665638.159357000"],
  Attribute: [{ type: "", Name: "Direction", Value: "out" }],
  Action: "Access",
};

describe("decodeElement (tree) and decodeXml (streaming) from raw XML", () => {
  it("decodes a VAPIX-style AccessPoint", () => {
    expect(decodeElement(parseXml(ACCESS_POINT_XML), AccessPoint)).toEqual(EXPECTED_ACCESS_POINT);
    const msg = { name: "AccessPoint", ns: PACS, type: () => AccessPoint };
    expect(decodeXml(ACCESS_POINT_XML, msg)).toEqual(EXPECTED_ACCESS_POINT);
  });

  it("matches by namespace URI, not by prefix (default namespace works the same)", () => {
    const other = ACCESS_POINT_XML.replaceAll("pacsaxis:", "").replace(`xmlns:pacsaxis=`, "xmlns=");
    expect(decodeElement(parseXml(other), AccessPoint)).toEqual(EXPECTED_ACCESS_POINT);
  });

  it("decodes attributes-only types, repeated fields and a list response", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<r:GetAccessPointListResponse xmlns:r="${PACS}">
  <r:NextStartReference>page-2</r:NextStartReference>
  <r:AccessPoint token="ap1"><r:Entity>door1</r:Entity></r:AccessPoint>
  <r:AccessPoint token="ap2"><r:Entity>door2</r:Entity><r:AuthenticationProfile>p1</r:AuthenticationProfile><r:AuthenticationProfile>p2</r:AuthenticationProfile></r:AccessPoint>
</r:GetAccessPointListResponse>`;
    const want = {
      NextStartReference: "page-2",
      AccessPoint: [
        { token: "ap1", Entity: "door1" },
        { token: "ap2", Entity: "door2", AuthenticationProfile: ["p1", "p2"] },
      ],
    };
    expect(decodeXml(xml, GetAccessPointListResponse)).toEqual(want);
    expect(decodeElement(parseXml(xml), GetAccessPointListResponse.type())).toEqual(want);
  });

  it("an empty response has no array keys (empty repeated fields are absent)", () => {
    const value = decodeXml(`<GetAccessPointListResponse xmlns="${PACS}"/>`, GetAccessPointListResponse);
    expect(value).toEqual({});
    expect(Object.keys(value)).toEqual([]);
  });

  it("decodes boolean attributes in 1/0 and true/false forms", () => {
    const xml = `<p:AccessPointInfo xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Capabilities AccessTaken="1" DisableAccessPoint="false"/></p:AccessPointInfo>`;
    expect(decodeElement(parseXml(xml), AccessPointInfo)).toEqual({ token: "t", Entity: "e", Capabilities: { AccessTaken: true, DisableAccessPoint: false } });
  });

  it("keeps xs:any children raw and anyAttribute values", () => {
    const xml = `<p:AccessPoint xmlns:p="${PACS}" xmlns:v="urn:vendor" token="t"><p:Entity>e</p:Entity><v:Extra level="2">x</v:Extra></p:AccessPoint>`;
    const ap = decodeElement(parseXml(xml), AccessPoint) as { any: { ns: string; local: string; text: string }[] };
    expect(ap.any).toHaveLength(1);
    expect(ap.any[0]).toMatchObject({ ns: "urn:vendor", local: "Extra", text: "x" });
    const streamed = decodeXml(xml, { name: "AccessPoint", ns: PACS, type: () => AccessPoint }) as typeof ap;
    expect(streamed.any[0]).toMatchObject({ ns: "urn:vendor", local: "Extra" });

    const caps = `<p:AccessPointInfo xmlns:p="${PACS}" xmlns:v="urn:vendor" token="t"><p:Entity>e</p:Entity><p:Capabilities DisableAccessPoint="true" v:Beta="on" Extra="1"/></p:AccessPointInfo>`;
    expect(decodeElement(parseXml(caps), AccessPointInfo)).toMatchObject({ Capabilities: { DisableAccessPoint: true, anyAttribute: { "{urn:vendor}Beta": "on", Extra: "1" } } });
  });

  it("reports unknown children when the type has no xs:any, and ignores them", () => {
    const seen: string[] = [];
    const xml = `<p:AccessPointInfo xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Surprise/><p:Capabilities DisableAccessPoint="true"/></p:AccessPointInfo>`;
    const value = decodeElement(parseXml(xml), AccessPointInfo, { onUnknown: (path, name) => seen.push(`${path} ${name}`) });
    expect(value).toEqual({ token: "t", Entity: "e", Capabilities: { DisableAccessPoint: true } });
    expect(seen).toEqual([`AccessPointInfo {${PACS}}Surprise`]);
  });

  it("treats xsi:nil elements as absent", () => {
    const xml = `<p:AccessPoint xmlns:p="${PACS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" token="t"><p:Name xsi:nil="true"/><p:Entity>e</p:Entity></p:AccessPoint>`;
    expect(decodeElement(parseXml(xml), AccessPoint)).toEqual({ token: "t", Entity: "e" });
  });

  it("decodes numbers, lists and simpleContent", () => {
    const xml = `<c:Credential xmlns:c="${PT}" token="c1">
      <c:CredentialHolderReference>user-1</c:CredentialHolderReference>
      <c:CredentialIdentifier><c:Type>pt:Card</c:Type><c:ExemptedFromAuthentication>0</c:ExemptedFromAuthentication><c:Value>AB12</c:Value></c:CredentialIdentifier>
      <c:Weight> -1.5E2 </c:Weight>
      <c:Zones> 1  2
        3 </c:Zones>
      <c:Note lang="en">Lobby &amp; hall</c:Note>
      <Local>unqualified</Local>
    </c:Credential>`;
    const type = SetCredential.type().fields[0];
    if (type.node !== "element" || type.type.kind !== "complex") throw new Error("fixture");
    expect(decodeElement(parseXml(xml), type.type.type())).toEqual({
      token: "c1",
      CredentialHolderReference: "user-1",
      CredentialIdentifier: [{ Type: "pt:Card", ExemptedFromAuthentication: false, Value: "AB12" }],
      Weight: -150,
      Zones: [1, 2, 3],
      Note: { lang: "en", value: "Lobby & hall" },
      Local: "unqualified",
    });
  });
});

describe("strict vs lenient decoding", () => {
  const outOfOrder = `<p:AccessPoint xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Name>n</p:Name></p:AccessPoint>`;

  it("strict: children out of schema order fail with the path", () => {
    const err = thrown<DecodeError>(() => decodeElement(parseXml(outOfOrder), AccessPoint));
    expect(err.code).toBe("DECODE_FAILED");
    expect(err.message).toContain("Name is out of schema order");
  });

  it("lenient: any order, and local-name matching across namespaces", () => {
    expect(decodeElement(parseXml(outOfOrder), AccessPoint, { lenient: true })).toEqual({ token: "t", Entity: "e", Name: "n" });
    const wrongNs = `<AccessPoint xmlns="urn:wrong" token="t"><Entity>e</Entity></AccessPoint>`;
    expect(decodeElement(parseXml(wrongNs), AccessPoint, { lenient: true })).toEqual({ token: "t", Entity: "e" });
    expect(thrown<DecodeError>(() => decodeElement(parseXml(wrongNs), AccessPoint)).message).toContain("required element Entity is missing");
  });

  it("strict: missing required fields name the path", () => {
    const xml = `<r:GetAccessPointListResponse xmlns:r="${PACS}"><r:AccessPoint token="a"><r:Entity>x</r:Entity></r:AccessPoint><r:AccessPoint><r:Entity>x</r:Entity></r:AccessPoint></r:GetAccessPointListResponse>`;
    const err = thrown<DecodeError>(() => decodeXml(xml, GetAccessPointListResponse));
    expect(err.path).toBe("GetAccessPointListResponse.AccessPoint[1]");
    expect(err.message).toContain('required attribute "token" is missing');
    expect(decodeXml(xml, GetAccessPointListResponse, { lenient: true })).toMatchObject({ AccessPoint: [{ token: "a" }, { Entity: "x" }] });
  });

  it("strict: a bad number or boolean fails; lenient: a bad number stays the text sent", () => {
    const bad = `<GetAccessPointList xmlns="${PACS}"><Limit>ten</Limit></GetAccessPointList>`;
    const err = thrown<DecodeError>(() => decodeXml(bad, GetAccessPointList));
    expect(err.path).toBe("GetAccessPointList.Limit");
    expect(err.message).toContain("is not a number (xs:int)");
    expect(decodeXml(bad, GetAccessPointList, { lenient: true })).toEqual({ Limit: "ten" });
    expect(decodeXml(`<GetAccessPointList xmlns="${PACS}"><Limit>1.5</Limit></GetAccessPointList>`, GetAccessPointList, { lenient: true })).toEqual({ Limit: "1.5" });
    const boolXml = `<p:AccessPoint xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Enabled>yes</p:Enabled></p:AccessPoint>`;
    expect(thrown<DecodeError>(() => decodeElement(parseXml(boolXml), AccessPoint)).path).toBe("AccessPoint.Enabled");
  });

  it("lenient JSON (the device's path) keeps a bad number as the text sent, as the XML path does", () => {
    expect(normalizeJson({ Limit: "abc" }, GetAccessPointList.type(), { lenient: true })).toEqual({ Limit: "abc" });
  });

  it("lenient accepts True/FALSE booleans; strict does not", () => {
    const xml = `<p:AccessPoint xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Enabled>True</p:Enabled></p:AccessPoint>`;
    expect(decodeElement(parseXml(xml), AccessPoint, { lenient: true })).toMatchObject({ Enabled: true });
    expect(() => decodeElement(parseXml(xml), AccessPoint)).toThrow(/boolean/);
  });

  it("strict: a single-valued field twice fails", () => {
    const xml = `<p:AccessPoint xmlns:p="${PACS}" token="t"><p:Entity>e</p:Entity><p:Entity>f</p:Entity></p:AccessPoint>`;
    expect(() => decodeElement(parseXml(xml), AccessPoint)).toThrow(/more than once/);
    expect(decodeElement(parseXml(xml), AccessPoint, { lenient: true })).toMatchObject({ Entity: "f" });
  });

  it("a wrong root element is refused by decodeXml", () => {
    expect(() => decodeXml(`<Other xmlns="${PACS}"/>`, GetAccessPointList)).toThrow(/expected root element/);
  });
});

describe("encodeElement", () => {
  function childNames(xml: string): string[] {
    return parseXml(xml).children.map((c) => c.local);
  }

  it("writes children in schema order whatever the key order", () => {
    const xml = encodeElement(GetAccessPointList, { StartReference: "s", Limit: 10 });
    expect(childNames(xml)).toEqual(["Limit", "StartReference"]);
    const ap = encodeElement({ name: "AccessPoint", ns: PACS, type: AccessPoint }, { Action: "Access", Entity: "e", token: "t", Name: "n" });
    expect(childNames(ap)).toEqual(["Name", "Entity", "Action"]);
  });

  it("declares each namespace once on the element, with conventional or given prefixes", () => {
    const xml = encodeElement(
      SetCredential,
      { Credential: [{ token: "c1", CredentialHolderReference: "u", CredentialIdentifier: [{ Type: "pt:Card", ExemptedFromAuthentication: false, Value: "1" }], Local: "l" }] },
    );
    expect(xml.startsWith(`<pacsaxis:SetCredential xmlns:pacsaxis="${PACS}" xmlns:pt="${PT}">`)).toBe(true);
    expect(xml.match(/xmlns:/g)).toHaveLength(2);
    expect(xml).toContain("<Local>l</Local>");
    const root = parseXml(xml);
    const cred = root.children[0];
    expect([cred.ns, cred.local, cred.attrs[0].value]).toEqual([PACS, "Credential", "c1"]);
    expect(cred.children.map((c) => `${c.ns}|${c.local}`)).toEqual([`${PT}|CredentialHolderReference`, `${PT}|CredentialIdentifier`, `|Local`]);

    const custom = encodeElement(GetAccessPointList, { Limit: 1 }, { prefixes: { [PACS]: "ax" } });
    expect(custom).toBe(`<ax:GetAccessPointList xmlns:ax="${PACS}"><ax:Limit>1</ax:Limit></ax:GetAccessPointList>`);
    const generated = encodeElement({ name: "X", ns: "urn:unknown", type: { name: "X", ns: "urn:unknown", fields: [] } }, {});
    expect(generated).toBe(`<ns0:X xmlns:ns0="urn:unknown"/>`);
  });

  it("encodes scalars: booleans, special numbers, lists, escaping, simpleContent", () => {
    const xml = encodeElement(SetCredential, {
      Credential: [
        {
          token: `a"b<c>&`,
          CredentialHolderReference: "x & y < z",
          CredentialIdentifier: [{ Type: "t", ExemptedFromAuthentication: true, Value: "v" }],
          Weight: -Infinity,
          Zones: [1, 2, 3],
          Note: { lang: "en", value: "a<b" },
        },
      ],
    });
    const cred = parseXml(xml).children[0];
    expect(cred.attrs[0].value).toBe(`a"b<c>&`);
    const text = Object.fromEntries(cred.children.map((c) => [c.local, c.text]));
    expect(text).toMatchObject({ CredentialHolderReference: "x & y < z", Weight: "-INF", Zones: "1 2 3", Note: "a<b" });
    expect(cred.children[1].children.map((c) => c.text)).toEqual(["t", "true", "v"]);
    const nan = encodeElement(SetCredential, { Credential: [{ token: "t", CredentialHolderReference: "u", CredentialIdentifier: [{ Type: "t", ExemptedFromAuthentication: false, Value: "v" }], Weight: NaN }] });
    expect(nan).toContain(">NaN<");
    expect(nan).toContain(">false<");
  });

  it("missing required field → EncodeError naming the path", () => {
    const err = thrown<EncodeError>(() =>
      encodeElement(SetCredential, { Credential: [{ CredentialHolderReference: "u", CredentialIdentifier: [{ Type: "t", ExemptedFromAuthentication: false, Value: "v" }] }] }),
    );
    expect(err.code).toBe("ENCODE_FAILED");
    expect(err.path).toBe("SetCredential.Credential[0].token");
    expect(() => encodeElement(GetAccessPoint, {})).toThrow(/GetAccessPoint\.Token: required element Token is missing/);
  });

  it("unknown keys and wrong types are errors, not silently dropped", () => {
    expect(thrown<EncodeError>(() => encodeElement(GetAccessPointList, { Limt: 5 })).path).toBe("GetAccessPointList.Limt");
    expect(() => encodeElement(GetAccessPointList, { Limit: "5" })).toThrow(/expected a number/);
    expect(() => encodeElement(GetAccessPointList, { Limit: 1.5 })).toThrow(/must be an integer/);
    expect(() => encodeElement(GetAccessPoint, { Token: "abc" })).toThrow(/expected an array/);
    expect(() => encodeElement(GetAccessPointList, { StartReference: "bad\u0001" })).toThrow(/control character/);
  });

  it("encodeJson validates the same way and keeps the typed shape", () => {
    expect(encodeJson(GetAccessPointList, { Limit: 5, StartReference: undefined })).toEqual({ Limit: 5 });
    expect(() => encodeJson(GetAccessPointList, { Limt: 5 })).toThrow(/unknown field "Limt"/);
    expect(() => encodeJson(GetAccessPoint, {})).toThrow(/required element Token/);
  });
});

describe("normalizeJson", () => {
  it("lenient (the device) reads members written with a namespace prefix, as the guides' JSON examples do; strict does not", () => {
    expect(normalizeJson({ "pacsaxis:Token": ["abc"] }, GetAccessPoint.type(), { lenient: true })).toEqual({ Token: ["abc"] });
    // The plain name wins when both are sent.
    expect(normalizeJson({ Limit: 3, "x:Limit": 9 }, GetAccessPointList.type(), { lenient: true })).toEqual({ Limit: 3 });
    expect(() => normalizeJson({ "pacsaxis:Token": ["abc"] }, GetAccessPoint.type())).toThrow(/required element Token is missing/);
  });

  it("accepts what real clients send", () => {
    expect(normalizeJson({ Token: "abc" }, GetAccessPoint.type())).toEqual({ Token: ["abc"] });
    expect(normalizeJson({ Limit: "25", StartReference: null }, GetAccessPointList.type())).toEqual({ Limit: 25 });
    const ap = normalizeJson(
      {
        token: "t",
        Entity: "e",
        Enabled: "true",
        IdPointDevice: { IdPoint: "i", DeviceUUID: "" },
        AuthenticationProfile: [],
        Attribute: [{ type: "", Name: "Direction", Value: "in" }],
        ActionArgument: [],
      },
      AccessPoint,
    );
    expect(ap).toEqual({ token: "t", Entity: "e", Enabled: true, IdPointDevice: [{ IdPoint: "i", DeviceUUID: "" }], Attribute: [{ type: "", Name: "Direction", Value: "in" }] });
  });

  it("the JSON and XML flavours of one AccessPoint decode to equal values", () => {
    const json = {
      token: "Axis-00408c184bdb:1353665591.412364000",
      Name: "",
      Description: "",
      AreaFrom: "",
      AreaTo: "",
      EntityType: "axtdc:Door",
      Entity: "Axis-00408c184bdb:1353665586.846691000",
      Enabled: true,
      DoorDeviceUUID: "5581ad80-95b0-11e0-b883-00408c184bdb",
      IdPointDevice: [{ IdPoint: "Axis-00408c184bdb:1353665586.923475000", DeviceUUID: "" }],
      AuthenticationProfile: ["Axis-00408c184bdb:1353665638.159357000"],
      Attribute: [{ type: "", Name: "Direction", Value: "out" }],
      ActionArgument: [],
      Action: "Access",
    };
    expect(normalizeJson(json, AccessPoint)).toEqual(decodeElement(parseXml(ACCESS_POINT_XML), AccessPoint));
  });

  it("invalid shapes fail with the path", () => {
    const err = thrown<DecodeError>(() => normalizeJson({ token: "t", Entity: { nested: true } }, AccessPoint));
    expect(err.code).toBe("DECODE_FAILED");
    expect(err.path).toBe("AccessPoint.Entity");
    expect(thrown<DecodeError>(() => normalizeJson({ Limit: "many" }, GetAccessPointList.type())).path).toBe("GetAccessPointList.Limit");
    expect(() => normalizeJson({ token: "t", Entity: "e", IdPointDevice: ["x"] }, AccessPoint)).toThrow(/AccessPoint\.IdPointDevice\[0\]: expected an object/);
    expect(() => normalizeJson({ Entity: "e" }, AccessPoint)).toThrow(/required attribute "token"/);
    expect(normalizeJson({ Entity: "e" }, AccessPoint, { lenient: true })).toEqual({ Entity: "e" });
    expect(() => normalizeJson([1], AccessPoint)).toThrow(/expected an object/);
  });

  it("reports unknown keys", () => {
    const seen: string[] = [];
    normalizeJson({ Limit: 1, Limt: 2 }, GetAccessPointList.type(), { onUnknown: (p, k) => seen.push(`${p}.${k}`) });
    expect(seen).toEqual(["GetAccessPointList.Limt"]);
  });
});
