import { describe, expect, it } from "@jest/globals";
import { encodeElement } from "../../src/runtime/codec.js";
import {
  buildEnvelope,
  buildJsonFault,
  buildSoapFault,
  decodeEnvelope,
  parseEnvelope,
  parseJsonFault,
  SOAP12_ENV_NS,
} from "../../src/runtime/soap.js";
import { parseXml } from "../../src/runtime/xml.js";
import { GetAccessPointList, GetAccessPointListResponse, PACS } from "./descriptors.fixture.js";

const ENV = SOAP12_ENV_NS;
const TER = "http://www.onvif.org/ver10/error";

describe("envelopes", () => {
  it("buildEnvelope wraps a body element in SOAP 1.2", () => {
    const text = buildEnvelope(encodeElement(GetAccessPointList, { Limit: 2 }));
    const env = parseXml(text);
    expect([env.ns, env.local]).toEqual([ENV, "Envelope"]);
    const body = env.children[0];
    expect([body.ns, body.local]).toEqual([ENV, "Body"]);
    const op = body.children[0];
    expect([op.ns, op.local, op.children[0].local, op.children[0].text]).toEqual([PACS, "GetAccessPointList", "Limit", "2"]);
  });

  it("parseEnvelope returns the body child whatever the prefixes", () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:pacsaxis="${PACS}">
  <SOAP-ENV:Header></SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <pacsaxis:GetAccessPointList><pacsaxis:Limit>5</pacsaxis:Limit></pacsaxis:GetAccessPointList>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
    const got = parseEnvelope(text);
    if (got.kind !== "body" || got.element === undefined) throw new Error("expected a body element");
    expect([got.element.ns, got.element.local]).toEqual([PACS, "GetAccessPointList"]);
    expect(got.header?.local).toBe("Header");
  });

  it("decodeEnvelope decodes the expected response element straight from the text", () => {
    const text = `<e:Envelope xmlns:e="${ENV}"><e:Body><GetAccessPointListResponse xmlns="${PACS}"><NextStartReference>n</NextStartReference></GetAccessPointListResponse></e:Body></e:Envelope>`;
    expect(decodeEnvelope(text, GetAccessPointListResponse)).toEqual({ kind: "body", value: { NextStartReference: "n" } });
  });

  it("decodeEnvelope refuses a wrong or missing body element and non-envelopes", () => {
    const wrong = `<e:Envelope xmlns:e="${ENV}"><e:Body><x:Other xmlns:x="${PACS}"/></e:Body></e:Envelope>`;
    expect(() => decodeEnvelope(wrong, GetAccessPointListResponse)).toThrow(/expected \{http:\/\/www\.axis\.com\/vapix\/ws\/pacs\}GetAccessPointListResponse, got .*Other/);
    const wrongNs = `<e:Envelope xmlns:e="${ENV}"><e:Body><GetAccessPointListResponse xmlns="urn:other"/></e:Body></e:Envelope>`;
    expect(() => decodeEnvelope(wrongNs, GetAccessPointListResponse)).toThrow(/urn:other/);
    expect(() => decodeEnvelope(`<e:Envelope xmlns:e="${ENV}"><e:Body/></e:Envelope>`, GetAccessPointListResponse)).toThrow(/Body is empty/);
    expect(() => decodeEnvelope(`<html><body>oops</body></html>`, GetAccessPointListResponse)).toThrow(/not a SOAP 1\.2 Envelope/);
    expect(() => decodeEnvelope(`<e:Envelope xmlns:e="${ENV}"><e:Header/></e:Envelope>`, GetAccessPointListResponse)).toThrow(/no Body/);
  });
});

describe("SOAP faults", () => {
  it("parses subcodes through arbitrary prefixes, canonicalised by namespace", () => {
    const text = `<s:Envelope xmlns:s="${ENV}">
  <s:Body>
    <s:Fault xmlns:err="${TER}">
      <s:Code>
        <s:Value>s:Sender</s:Value>
        <s:Subcode>
          <s:Value>err:InvalidArgVal</s:Value>
          <s:Subcode><s:Value xmlns:e2="${TER}">e2:NotFound</s:Value></s:Subcode>
        </s:Subcode>
      </s:Code>
      <s:Reason><s:Text xml:lang="sv">Hittades inte</s:Text><s:Text xml:lang="en">Not found</s:Text></s:Reason>
      <s:Detail><s:Text>token 'x' does not exist</s:Text></s:Detail>
    </s:Fault>
  </s:Body>
</s:Envelope>`;
    const want = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "Not found", detail: "token 'x' does not exist" };
    expect(parseEnvelope(text)).toEqual({ kind: "fault", fault: want, soapVersion: "1.2" });
    expect(decodeEnvelope(text, GetAccessPointListResponse)).toEqual({ kind: "fault", fault: want });
  });

  it("keeps unknown namespaces as {uri}local", () => {
    const text = `<env:Envelope xmlns:env="${ENV}" xmlns:v="urn:vendor:errors"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>v:Busy</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">busy</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;
    const got = parseEnvelope(text);
    expect(got).toMatchObject({ kind: "fault", fault: { code: "env:Receiver", subcodes: ["{urn:vendor:errors}Busy"], reason: "busy" } });
  });

  it("understands SOAP 1.1 faults", () => {
    const text = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>Bad request</faultstring><detail><why>missing token</why></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    expect(parseEnvelope(text)).toEqual({ kind: "fault", soapVersion: "1.1", fault: { code: "env:Sender", subcodes: [], reason: "Bad request", detail: "missing token" } });
  });

  it("buildSoapFault writes a SOAP 1.2 fault that parses back (and checks codes)", () => {
    const text = buildSoapFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "No <such> token", detail: "x" });
    const env = parseXml(text);
    const fault = env.children[0].children[0];
    expect([fault.ns, fault.local]).toEqual([ENV, "Fault"]);
    expect(parseEnvelope(text)).toEqual({
      kind: "fault",
      soapVersion: "1.2",
      fault: { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "No <such> token", detail: "x" },
    });
    const vendor = parseEnvelope(buildSoapFault({ code: "env:Receiver", subcodes: ["{urn:v}Oops"], reason: "r" }));
    expect(vendor).toMatchObject({ fault: { subcodes: ["{urn:v}Oops"] } });
    expect(() => buildSoapFault({ code: "zz:Sender", reason: "r" })).toThrow(/prefix "zz"/);
  });
});

describe("JSON faults", () => {
  it("builds the VAPIX shape and parses it back", () => {
    const fault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "Not found", detail: "no token 'x'" };
    const body = buildJsonFault(fault);
    expect(JSON.stringify(body)).toBe(`{"Fault":"env:Sender","FaultCode":"ter:InvalidArgVal","FaultSubCode":"ter:NotFound","FaultReason":"Not found","FaultMsg":"no token 'x'"}`);
    expect(parseJsonFault(JSON.parse(JSON.stringify(body)))).toEqual(fault);
  });

  it("parses a device-written fault and ignores non-fault bodies", () => {
    const raw = JSON.parse(`{"Fault":"env:Sender","FaultCode":"ter:InvalidArgs","FaultSubCode":"ter:InvalidCredentialFault","FaultReason":"Invalid argument","FaultMsg":"Id data required"}`);
    expect(parseJsonFault(raw)).toEqual({ code: "env:Sender", subcodes: ["ter:InvalidArgs", "ter:InvalidCredentialFault"], reason: "Invalid argument", detail: "Id data required" });
    expect(parseJsonFault({ Fault: "env:Receiver", FaultReason: "busy" })).toEqual({ code: "env:Receiver", subcodes: [], reason: "busy" });
    expect(parseJsonFault({ AccessPoint: [] })).toBeUndefined();
    expect(parseJsonFault([1])).toBeUndefined();
  });
});
