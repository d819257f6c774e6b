import { describe, expect, it } from "@jest/globals";
import { escapeXmlAttr, escapeXmlText, parseXml, serializeXmlElement, XmlWriter } from "../../src/runtime/xml.js";
import type { XmlParseError } from "../../src/runtime/errors.js";

function parseError(text: string, options?: { maxDepth?: number }): XmlParseError {
  try {
    parseXml(text, options);
  } catch (err) {
    return err as XmlParseError;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text.slice(0, 60))}`);
}

const PACS = "http://www.axis.com/vapix/ws/pacs";

describe("parseXml: well-formed documents", () => {
  it("resolves prefixes, attributes, entities, CDATA and character references", () => {
    const doc = `<?xml version="1.0" encoding="UTF-8"?>
<!-- controller list -->
<?app hint?>
<pacsaxis:AccessController xmlns:pacsaxis="${PACS}" token='Door &amp; Gate'>
  <pacsaxis:Name>Entrance &lt;A&gt; &#x41;&#66;</pacsaxis:Name>
  <pacsaxis:Description><![CDATA[<not markup> & raw]]></pacsaxis:Description>
  <pacsaxis:AccessPoint/>
</pacsaxis:AccessController>
<!-- trailing comment -->`;
    const root = parseXml(doc);
    expect(root).toMatchObject({ ns: PACS, local: "AccessController", prefix: "pacsaxis" });
    expect(root.attrs).toEqual([{ ns: "", local: "token", prefix: "", value: "Door & Gate" }]);
    expect(root.nsDecls).toEqual({ pacsaxis: PACS });
    expect(root.children.map((c) => c.local)).toEqual(["Name", "Description", "AccessPoint"]);
    expect(root.children[0].text).toBe("Entrance <A> AB");
    expect(root.children[1].text).toBe("<not markup> & raw");
    expect(root.children[2].children).toEqual([]);
  });

  it("handles default namespace, un-declaration and prefixed attributes", () => {
    const root = parseXml(`<a xmlns="urn:d" xmlns:x="urn:x"><b x:flag="1" plain="2"><c xmlns=""><d/></c></b></a>`);
    const b = root.children[0];
    expect(b.ns).toBe("urn:d");
    expect(b.attrs).toEqual([
      { ns: "urn:x", local: "flag", prefix: "x", value: "1" },
      { ns: "", local: "plain", prefix: "", value: "2" },
    ]);
    const c = b.children[0];
    expect(c.ns).toBe("");
    expect(c.children[0].ns).toBe("");
  });

  it("matches by namespace whatever the prefix", () => {
    const a = parseXml(`<p:X xmlns:p="urn:same"><p:Y/></p:X>`);
    const b = parseXml(`<X xmlns="urn:same"><q:Y xmlns:q="urn:same"/></X>`);
    expect([a.ns, a.local, a.children[0].ns]).toEqual([b.ns, b.local, b.children[0].ns]);
  });

  it("strips a BOM, normalizes line ends and attribute whitespace", () => {
    const root = parseXml(`\uFEFF<a v="x\ty\nz" w="a&#10;b">line1\r\nline2\rline3</a>`);
    expect(root.text).toBe("line1\nline2\nline3");
    expect(root.attrs[0].value).toBe("x y z");
    expect(root.attrs[1].value).toBe("a\nb");
  });

  it("accepts astral characters and non-ASCII names", () => {
    const root = parseXml(`<été a="😀">&#x1F600;</été>`);
    expect(root.local).toBe("été");
    expect(root.text).toBe("😀");
    expect(root.attrs[0].value).toBe("😀");
  });

  it("accepts nesting up to the depth limit", () => {
    const deep = "<a>".repeat(64) + "</a>".repeat(64);
    expect(parseXml(deep).local).toBe("a");
  });
});

describe("parseXml: hostile and malformed input", () => {
  it("refuses any DOCTYPE, including billion laughs and XXE", () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>`;
    const xxe = `<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`;
    for (const doc of [laughs, xxe, `<!DOCTYPE a><a/>`]) {
      const err = parseError(doc);
      expect(err.code).toBe("XML_DTD_FORBIDDEN");
    }
    expect(parseError(laughs).line).toBe(2);
  });

  it("refuses entities that only a DTD could define", () => {
    const err = parseError(`<a>&nbsp;</a>`);
    expect(err.code).toBe("XML_MALFORMED");
    expect(err.message).toContain("&nbsp;");
  });

  it("limits depth (default 64, configurable)", () => {
    expect(parseError("<a>".repeat(65) + "</a>".repeat(65)).code).toBe("XML_TOO_DEEP");
    expect(parseError("<a><b><c/></b></a>", { maxDepth: 2 }).code).toBe("XML_TOO_DEEP");
    // Far deeper than any stack: fails fast on the limit, no recursion overflow.
    expect(parseError("<a>".repeat(100000)).code).toBe("XML_TOO_DEEP");
  });

  it("reports mismatched tags with line and column", () => {
    const err = parseError(`<a>\n  <b>\n  </c>\n</a>`);
    expect(err.code).toBe("XML_MALFORMED");
    expect([err.line, err.column]).toEqual([3, 3]);
    expect(err.message).toContain("</c>");
    expect(err.message).toContain("expected </b>");
  });

  it("refuses unbound prefixes on elements and attributes", () => {
    expect(parseError(`<p:a/>`).message).toContain('prefix "p" is not declared');
    expect(parseError(`<a q:x="1"/>`).message).toContain('prefix "q" is not declared');
    // Scope ends with the element that declared it.
    expect(parseError(`<r><a xmlns:p="urn:p"/><p:b/></r>`).code).toBe("XML_MALFORMED");
  });

  it("refuses duplicate attributes, by name and by expanded name", () => {
    expect(parseError(`<a x="1" x="2"/>`).message).toContain('duplicate attribute "x"');
    expect(parseError(`<a xmlns:p="urn:n" xmlns:q="urn:n" p:x="1" q:x="2"/>`).message).toContain("duplicate attribute {urn:n}x");
  });

  it.each([
    ["junk after the root", `<a/>junk`],
    ["a second root", `<a/><b/>`],
    ["text before the root", `hello<a/>`],
    ["an empty document", ``],
    ["an unclosed element", `<a><b></b>`],
    ["an unterminated start tag", `<a x="1"`],
    ["an unquoted attribute", `<a x=1/>`],
    ["'<' in an attribute value", `<a x="<"/>`],
    ["a bare ampersand", `<a>fish & chips</a>`],
    ["a NUL character reference", `<a>&#0;</a>`],
    ["a surrogate character reference", `<a>&#xD800;</a>`],
    ["a bad hex character reference", `<a>&#xZZ;</a>`],
    ["a raw control character", `<a>\u0001</a>`],
    ["a control character in a long text", `<a>${"x".repeat(100)}\u0002</a>`],
    ["a control character in an attribute", `<a v="x\u0003"/>`],
    ["a control character in a comment", `<a><!-- \u0004 --></a>`],
    ["a control character in CDATA", `<a><![CDATA[\u0005]]></a>`],
    ["U+FFFE in text", `<a>\uFFFE</a>`],
    ["']]>' in text", `<a>]]></a>`],
    ["'--' in a comment", `<a><!-- a -- b --></a>`],
    ["an XML declaration not at the start", `<a/><?xml version="1.0"?>`],
    ["an empty prefixed namespace declaration", `<a xmlns:p=""/>`],
    ["the xmlns prefix on an element", `<xmlns:a/>`],
    ["a colon at the end of a name", `<a:/>`],
    ["two colons in a name", `<a:b:c xmlns:a="urn:a"/>`],
    ["missing whitespace between attributes", `<a x="1"y="2"/>`],
    ["an invalid XML declaration", `<?xml versio="1.0"?><a/>`],
  ])("refuses %s", (_what, doc) => {
    const err = parseError(doc);
    expect(err.code).toBe("XML_MALFORMED");
    expect(err.line).toBeGreaterThanOrEqual(1);
    expect(err.column).toBeGreaterThanOrEqual(1);
  });

  it("stays linear on pathological input", () => {
    // Many '&' without ';' and many unclosed names would be quadratic with naive scanning.
    expect(parseError(`<a>${"&".repeat(200000)}</a>`).code).toBe("XML_MALFORMED");
    const wide = `<a ${Array.from({ length: 2000 }, (_, i) => `a${i}="${i}"`).join(" ")} a5="dup"/>`;
    expect(parseError(wide).message).toContain('duplicate attribute "a5"');
  });
});

describe("escaping and writing", () => {
  it("escapes text and attribute values", () => {
    expect(escapeXmlText(`a<b & c>d\r`)).toBe("a&lt;b &amp; c&gt;d&#13;");
    expect(escapeXmlText("plain")).toBe("plain");
    expect(escapeXmlAttr(`"q" <&>\t\n`)).toBe("&quot;q&quot; &lt;&amp;&gt;&#9;&#10;");
  });

  it("escaped values survive a parse unchanged", () => {
    const nasty = `<&>"'\t\n\r x ]]>`;
    const root = parseXml(`<a v="${escapeXmlAttr(nasty)}">${escapeXmlText(nasty)}</a>`);
    expect(root.attrs[0].value).toBe(nasty);
    expect(root.text).toBe(nasty);
  });

  it("serializes a parsed element with the declarations it needs", () => {
    const root = parseXml(`<r xmlns:p="urn:p" xmlns:t="urn:types"><p:Ext t:kind="x" n="1"><p:V>t:Value</p:V></p:Ext></r>`);
    const xml = serializeXmlElement(root.children[0]);
    const again = parseXml(xml);
    expect(again).toMatchObject({ ns: "urn:p", local: "Ext" });
    expect(again.attrs.map((a) => [a.ns, a.local, a.value])).toEqual([["urn:types", "kind", "x"], ["", "n", "1"]]);
    expect(again.children[0].text).toBe("t:Value");
  });

  it("XmlWriter builds nested elements", () => {
    const w = new XmlWriter().start("p:a", { "xmlns:p": "urn:p" }).attr("k", "<v>").start("p:b").text("x&y").end().start("p:c").end().end();
    expect(w.toString()).toBe(`<p:a xmlns:p="urn:p" k="&lt;v&gt;"><p:b>x&amp;y</p:b><p:c/></p:a>`);
    expect(() => new XmlWriter().start("a").toString()).toThrow(/still open/);
  });
});
