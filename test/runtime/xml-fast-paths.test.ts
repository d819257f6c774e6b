/**
 * The streaming decoder's fast paths (per-field name cache, compiled leaf patterns) and
 * piecewise reading must change speed only: every document here decodes to what the tree
 * decoder gives, or fails the same way, however it is cut into pieces.
 */
import { describe, expect, it } from "@jest/globals";
import { decodeElement, decodeXml } from "../../src/runtime/codec.js";
import type { MessageDescriptor } from "../../src/runtime/model.js";
import { decodeEnvelope, decodeRequestFast } from "../../src/runtime/soap.js";
import { parseXml } from "../../src/runtime/xml.js";
import { AccessPoint, GetAccessPointListResponse, PACS, SetCredential } from "./descriptors.fixture.js";

const XSI = "http://www.w3.org/2001/XMLSchema-instance";
const LIST = GetAccessPointListResponse;

type Outcome = { value: unknown } | { error: string };

function outcome(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { error: `${e.code ?? e.name}` };
  }
}

function exact(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function list(items: string, decls = ""): string {
  return `<p:GetAccessPointListResponse xmlns:p="${PACS}" xmlns:xsi="${XSI}"${decls}>${items}</p:GetAccessPointListResponse>`;
}

const plain = (i: number, name = `door ${i}`): string =>
  `<p:AccessPoint token="ap-${i}"><p:Name>${name}</p:Name><p:Entity>e-${i}</p:Entity><p:Enabled>true</p:Enabled><p:AuthenticationProfile>a</p:AuthenticationProfile><p:AuthenticationProfile>b</p:AuthenticationProfile></p:AccessPoint>`;

/** Documents where a cached name or a leaf pattern would be wrong to trust blindly. */
const DOCUMENTS: Record<string, string> = {
  "plain list": list([0, 1, 2, 3].map((i) => plain(i)).join("")),
  "entities, CDATA, ] and > in leaf text": list(plain(0) + plain(1, "a &amp; b") + plain(2, "<![CDATA[x<y]]>") + plain(3, "a]b") + plain(4, "1 > 0") + plain(5, "&#x1F600;")),
  "empty leaves, spaced end tags, comments": list(plain(0) + `<p:AccessPoint token="x"><p:Name/><p:Entity></p:Entity ><p:Enabled><!-- c -->false</p:Enabled></p:AccessPoint>` + plain(1)),
  "xsi:nil and attributes on a cached leaf": list(plain(0) + `<p:AccessPoint token="x"><p:Name xsi:nil="true"/><p:Entity>e</p:Entity></p:AccessPoint>` + plain(1)),
  "a child rebinds the prefix": list(plain(0) + `<p:AccessPoint token="x"><p:Name xmlns:p="urn:other">n</p:Name><p:Entity>e</p:Entity></p:AccessPoint>` + plain(1)),
  "a sibling rebinds the prefix for its children": list(plain(0) + `<q:AccessPoint xmlns:q="${PACS}" xmlns:p="urn:other" token="x"><p:Name>n</p:Name><q:Entity>e</q:Entity></q:AccessPoint>` + plain(1)),
  "default namespace after prefixed items": list(plain(0) + `<AccessPoint xmlns="${PACS}" token="x"><Name>n</Name><Entity>e</Entity></AccessPoint>` + plain(1)),
  "same names in another namespace": list(plain(0) + `<p:AccessPoint token="x"><o:Name xmlns:o="urn:other">n</o:Name><p:Entity>e</p:Entity></p:AccessPoint>`),
  "mismatched end tag after cached leaves": list(plain(0) + `<p:AccessPoint token="x"><p:Name>n</p:Nam><p:Entity>e</p:Entity></p:AccessPoint>`),
  "end tag with a longer name": list(plain(0) + `<p:AccessPoint token="x"><p:Name>n</p:NameX><p:Entity>e</p:Entity></p:AccessPoint>`),
  "forbidden character in leaf text": list(plain(0) + plain(1, "bad\u0001char")),
  "']]>' in leaf text": list(plain(0) + plain(1, "a]]>b")),
  "undefined entity in leaf text": list(plain(0) + plain(1, "&nope;")),
  "out of schema order after a cached sibling": list(plain(0) + `<p:AccessPoint token="x"><p:Entity>e</p:Entity><p:Name>n</p:Name></p:AccessPoint>`),
  "a single-valued field twice": list(plain(0) + `<p:AccessPoint token="x"><p:Name>a</p:Name><p:Name>b</p:Name><p:Entity>e</p:Entity></p:AccessPoint>`),
  "bad boolean in a cached leaf": list(plain(0) + `<p:AccessPoint token="x"><p:Entity>e</p:Entity><p:Enabled>yes</p:Enabled></p:AccessPoint>`),
  "attributes: plain, with entities, tabs, single quotes": list(plain(0) + `<p:AccessPoint token='a&amp;b'><p:Entity>e</p:Entity><p:Attribute Name="x\ty" Value='v'/></p:AccessPoint>`),
  "attribute tags spelt differently after the first": list(
    [
      `<p:AccessPoint token="a"><p:Entity>e</p:Entity><p:Attribute Name="n" Value="v"/><p:Attribute Name="n2" Value="v2"></p:Attribute></p:AccessPoint>`,
      `<p:AccessPoint token="b" ><p:Entity>e</p:Entity><p:Attribute Value="v" Name="n"/><p:Attribute Name = "n" Value="v"/><p:Attribute type="t" Name="n" Value="v"/></p:AccessPoint>`,
      `<p:AccessPoint token="c&amp;d"><p:Entity>e</p:Entity><p:Attribute Name="x>y" Value=""/><p:Attribute Name="n" Value="v" xsi:nil="true"/><p:Attribute xsi:nil="true"/></p:AccessPoint>`,
    ].join(""),
  ),
  "a shaped tag missing a required attribute": list(plain(0) + `<p:AccessPoint token="a"><p:Entity>e</p:Entity><p:Attribute Name="n" Value="v"/><p:Attribute Name="n"/></p:AccessPoint>`),
  "a shaped tag with a duplicate attribute": list(plain(0) + `<p:AccessPoint token="a"><p:Entity>e</p:Entity><p:Attribute Name="n" Value="v"/><p:Attribute Name="n" Value="v" Value="w"/></p:AccessPoint>`),
  "a shaped tag with a child where none was before": list(plain(0) + `<p:AccessPoint token="x"><p:Entity>e</p:Entity><p:Attribute Name="n" Value="v"><p:Extra/></p:Attribute></p:AccessPoint>`),
  "'>' in attribute values, comments and PIs": list(plain(0) + `<p:AccessPoint token="a>b"><!-- x > y --><?pi a > b?><p:Entity>e</p:Entity></p:AccessPoint>` + plain(1)),
  "unterminated document": list(plain(0) + plain(1)).slice(0, -30),
};

describe("streaming decode with the name cache equals the tree decoder", () => {
  for (const [name, doc] of Object.entries(DOCUMENTS)) {
    it(name, () => {
      const tree = outcome(() => decodeElement(parseXml(doc), LIST.type()));
      // Several times: the first run fills the caches, the next ones use them.
      for (let i = 0; i < 3; i++) expect(outcome(() => decodeXml(doc, LIST))).toEqual(tree);
    });
  }

  it("lenient mode too", () => {
    for (const doc of Object.values(DOCUMENTS)) {
      const tree = outcome(() => decodeElement(parseXml(doc), LIST.type(), { lenient: true }));
      for (let i = 0; i < 2; i++) expect(outcome(() => decodeXml(doc, LIST, { lenient: true }))).toEqual(tree);
    }
  });
});

/** Every way of cutting `doc` into two pieces right after a `>`. */
function cuts(doc: string): string[][] {
  const out: string[][] = [];
  for (let i = doc.indexOf(">"); i !== -1 && i < doc.length - 1; i = doc.indexOf(">", i + 1)) out.push([doc.slice(0, i + 1), doc.slice(i + 1)]);
  return out;
}

describe("piecewise reading gives the whole-text result, value or error", () => {
  for (const [name, doc] of Object.entries(DOCUMENTS)) {
    it(name, () => {
      const whole = exact(() => decodeXml(doc, LIST));
      for (const pieces of cuts(doc)) expect(exact(() => decodeXml(pieces, LIST))).toEqual(whole);
    });
  }

  it("through decodeEnvelope, with three pieces and an xs:any child", () => {
    const body = `<p:AccessPoint xmlns:p="${PACS}" xmlns:v="urn:v" token="t"><p:Entity>e</p:Entity><v:Extra a="1">x<v:In/></v:Extra></p:AccessPoint>`;
    const env = `<?xml version="1.0"?>\r\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><h>1</h></env:Header><env:Body>${body}</env:Body></env:Envelope>\r\n<!-- end -->`;
    const msg: MessageDescriptor = { name: "AccessPoint", ns: PACS, type: () => AccessPoint };
    const whole = exact(() => decodeEnvelope(env, msg));
    expect("value" in whole).toBe(true);
    const gts = [...env.matchAll(/>/g)].map((m) => m.index + 1);
    for (let a = 0; a < gts.length; a += 2) {
      for (let b = a + 1; b < gts.length; b += 3) {
        const pieces = [env.slice(0, gts[a]), env.slice(gts[a], gts[b]), env.slice(gts[b])];
        expect(exact(() => decodeEnvelope(pieces, msg))).toEqual(whole);
      }
    }
  });

  it("reports an unknown child once, even when the piecewise attempt is retried whole", () => {
    const doc = `<p:AccessPointInfo xmlns:p="${PACS}" token="a>b"><p:Entity>e</p:Entity><p:Surprise/><p:Capabilities DisableAccessPoint="true"/></p:AccessPointInfo>`;
    const msg: MessageDescriptor = { name: "AccessPointInfo", ns: PACS, type: () => AccessPoint };
    for (const pieces of cuts(doc)) {
      const seen: string[] = [];
      decodeXml(pieces, msg, { onUnknown: (path, child) => seen.push(`${path} ${child}`) });
      expect(seen.length).toBeLessThanOrEqual(2);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });
});

describe("decodeRequestFast (the device's streamed request path)", () => {
  const ENV = "http://www.w3.org/2003/05/soap-envelope";
  const request = (body: string, header = ""): string => `<e:Envelope xmlns:e="${ENV}">${header}<e:Body>${body}</e:Body></e:Envelope>`;
  const setCredential = `<p:SetCredential xmlns:p="${PACS}" xmlns:t="http://www.onvif.org/ver10/pacs"><p:Credential token="c1"><t:CredentialHolderReference>u</t:CredentialHolderReference><t:CredentialIdentifier><t:Type>Card</t:Type><t:ExemptedFromAuthentication>false</t:ExemptedFromAuthentication><t:Value>1</t:Value></t:CredentialIdentifier></p:Credential></p:SetCredential>`;
  const typeOf = (ns: string, local: string) => (ns === PACS && local === "SetCredential" ? { type: SetCredential.type(), path: "SetCredential" } : undefined);

  it("decodes a plain request exactly as the tree path does, and hands over its Header", () => {
    const text = request(setCredential, `<e:Header><x/></e:Header>`);
    const fast = decodeRequestFast(text, typeOf, { lenient: true });
    const root = parseXml(text);
    const tree = decodeElement(root.children[1]!.children[0]!, SetCredential.type(), { lenient: true, path: "SetCredential" });
    expect(fast).toEqual({ ns: PACS, local: "SetCredential", value: tree, header: root.children[0] });
    expect(decodeRequestFast(request(setCredential), typeOf, { lenient: true })).toEqual({ ns: PACS, local: "SetCredential", value: tree });
  });

  it("declines whatever the tree path must judge", () => {
    const declined = [
      request(setCredential + setCredential),
      request(`text${setCredential}`),
      request(""),
      request(`<p:Unknown xmlns:p="${PACS}"/>`),
      request(setCredential.replace("<t:Value>1</t:Value>", "")).replace("</e:Envelope>", "</e:Envelope><more/>"),
      request(setCredential).replace(ENV, "http://schemas.xmlsoap.org/soap/envelope/"),
      request(setCredential).slice(0, -5),
      `<!DOCTYPE x [<!ENTITY a "b">]>${request(setCredential)}`,
    ];
    for (const text of declined) expect(decodeRequestFast(text, typeOf, { lenient: true })).toBeUndefined();
  });
});

describe("decodeEnvelope resumes after a known envelope prefix", () => {
  const ENV = "http://www.w3.org/2003/05/soap-envelope";
  const msg: MessageDescriptor = { name: "GetAccessPointListResponse", ns: PACS, type: () => GetAccessPointListResponse.type() };
  const envelope = (items: string, prefix = "p", decl = `xmlns:${prefix}="${PACS}"`): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="${ENV}" xmlns:x="urn:x"><env:Body><${prefix}:GetAccessPointListResponse ${decl}>${items}</${prefix}:GetAccessPointListResponse></env:Body></env:Envelope>`;
  const fault = `<env:Envelope xmlns:env="${ENV}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">no</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;

  it("gives the same results as a fresh parse, whatever came before", () => {
    const docs = [
      envelope(plain(0) + plain(1)),
      envelope(plain(2)),
      envelope(plain(3).replaceAll("p:", "q:"), "q"),
      envelope(plain(4)),
      envelope(`<p:AccessPoint token="x"><o:Name xmlns:o="urn:other">n</o:Name><p:Entity>e</p:Entity></p:AccessPoint>`),
      envelope(plain(5)).replace("<p:AccessPoint", "<p:Bogus/><p:AccessPoint"),
      envelope(plain(6)).slice(0, -20),
      fault,
      envelope(plain(7)),
    ];
    const fresh = docs.map((d) => exact(() => decodeElement(parseXml(d).children[0]!.children[0]!, msg.type())));
    for (let round = 0; round < 3; round++) {
      docs.forEach((d, i) => {
        const got = exact(() => decodeEnvelope(d, msg));
        if (d === fault) expect(got).toMatchObject({ value: { kind: "fault" } });
        else if ("value" in fresh[i]) expect(got).toEqual({ value: { kind: "body", value: (fresh[i] as { value: unknown }).value } });
        else expect("error" in got).toBe(true);
      });
    }
  });

  it("still applies the depth limit to the part it skips", () => {
    const doc = envelope("");
    expect(decodeEnvelope(doc, msg)).toEqual({ kind: "body", value: {} });
    expect(() => decodeEnvelope(doc, msg, { maxDepth: 2 })).toThrow(expect.objectContaining({ code: "XML_TOO_DEEP" }));
  });
});
