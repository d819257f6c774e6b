import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { parseXml } from "../../src/runtime/xml.js";
import { PACS, SOAP_ENV, TAC, accessPoint, attr, children, ok, post, soap, soapFaultCodes } from "./helpers.js";

describe("SOAP 1.2 at /vapix/services", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice();
  });
  afterAll(() => device.close());

  it("accepts any prefixes, unqualified children and alphabetical child order (as the doc's SOAP examples)", async () => {
    // From the guide's SetCredential example: children alphabetical and unqualified.
    const set = await soap(
      device,
      `<pacsaxis:SetCredential xmlns:pacsaxis="${PACS}"><Credential token="Axis-00408c184bdb:1351593020.016190000"><CredentialAccessProfile><AccessProfile>Axis-00408c184bdb:1351591416.539133000</AccessProfile><ValidFrom>1997-01-01T00:00:00Z</ValidFrom><ValidTo>2038-01-01T00:00:00Z</ValidTo></CredentialAccessProfile><Description>Credential description</Description><Enabled>true</Enabled><IdData Name="Card" Value="12345678" /><IdData Name="PIN" Value="1234" /><Status>Enabled</Status><UserToken>user_token1</UserToken><ValidFrom>1997-01-01T00:00:00Z</ValidFrom><ValidTo>2038-01-01T00:00:00Z</ValidTo></Credential></pacsaxis:SetCredential>`,
    );
    expect(set.status).toBe(200);
    expect(set.el.ns).toBe(PACS);
    expect(set.el.local).toBe("SetCredentialResponse");
    expect(children(set.el, "Token").map((t) => t.text)).toEqual(["Axis-00408c184bdb:1351593020.016190000"]);

    // Read back through another prefix; the response is in schema order.
    const got = await soap(device, `<zz:GetCredential xmlns:zz="${PACS}"><zz:Token>Axis-00408c184bdb:1351593020.016190000</zz:Token></zz:GetCredential>`);
    const cred = children(got.el, "Credential")[0]!;
    expect(cred.ns).toBe(PACS);
    expect(cred.children.map((c) => c.local)).toEqual(["UserToken", "Description", "ValidFrom", "ValidTo", "Enabled", "Status", "IdData", "IdData", "CredentialAccessProfile"]);
    expect(children(cred, "IdData").map((d) => `${attr(d, "Name")}=${attr(d, "Value")}`)).toEqual(["Card=12345678", "PIN=1234"]);

    // One state: JSON sees what SOAP wrote.
    const viaJson = await ok(device, "pacsaxis:GetCredentialInfo", { Token: "Axis-00408c184bdb:1351593020.016190000" });
    expect(viaJson.CredentialInfo).toEqual([
      { token: "Axis-00408c184bdb:1351593020.016190000", UserToken: "user_token1", Description: "Credential description", ValidFrom: "1997-01-01T00:00:00Z", ValidTo: "2038-01-01T00:00:00Z", Enabled: true, Status: "Enabled" },
    ]);
  });

  it("dispatches on namespace, not prefix: the same local name in tac and pacsaxis", async () => {
    const tac = await soap(device, `<p:GetAuthenticationProfileList xmlns:p="${TAC}"><p:Limit>1</p:Limit></p:GetAuthenticationProfileList>`);
    expect(tac.el.ns).toBe(TAC);
    expect(children(tac.el, "AuthenticationProfile")).toHaveLength(1);
    expect(children(tac.el, "NextStartReference")).toHaveLength(1);
    const pacs = await soap(device, `<tac:GetAuthenticationProfileList xmlns:tac="${PACS}"/>`);
    expect(pacs.el.ns).toBe(PACS);
    expect(children(pacs.el, "AuthenticationProfile")).toHaveLength(4);
  });

  it("declares the prefix of QName values such as EntityType axtdc:Door", async () => {
    await ok(device, "pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("ap-qname")] });
    const r = await soap(device, `<t:GetAccessPointInfo xmlns:t="${TAC}"><t:Token>ap-qname</t:Token></t:GetAccessPointInfo>`);
    expect(children(children(r.el, "AccessPointInfo")[0]!, "EntityType")[0]!.text).toBe("axtdc:Door");
    expect(parseXml(r.text).nsDecls?.["axtdc"]).toBe("http://www.axis.com/vapix/ws/DoorControl");
    await ok(device, "pacsaxis:RemoveAccessPoint", { Token: ["ap-qname"] });
  });

  it("answers faults as SOAP 1.2 Faults with the documented subcodes and HTTP 400", async () => {
    const r = await soap(device, `<t:GetAccessPointState xmlns:t="${TAC}"><t:Token>missing</t:Token></t:GetAccessPointState>`);
    expect(r.status).toBe(400);
    expect(r.el.ns).toBe(SOAP_ENV);
    expect(r.el.local).toBe("Fault");
    expect(soapFaultCodes(r.el)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]);
    expect(r.text).toContain('xmlns:ter="http://www.onvif.org/ver10/error"');
  });

  it("faults an unknown body element with env:Sender/ter:UnknownAction", async () => {
    const r = await soap(device, `<x:GetDoorOrchestra xmlns:x="http://www.onvif.org/ver10/doorcontrol/wsdl"/>`);
    expect(r.status).toBe(400);
    expect(soapFaultCodes(r.el)).toEqual(["env:Sender", "ter:UnknownAction"]);
  });

  it("answers malformed XML, a DTD, a non-SOAP root and SOAP 1.1 with 4xx faults and no state change", async () => {
    const before = device.snapshot();
    const bodies = [
      `<env:Envelope xmlns:env="${SOAP_ENV}"><env:Body><p:SetArea xmlns:p="${PACS}"><p:Area token="x"><p:Name>a</p:Name></p:SetArea></env:Body></env:Envelope>`,
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><env:Envelope xmlns:env="${SOAP_ENV}"><env:Body><p:SetArea xmlns:p="${PACS}"><p:Area token="dtd"><p:Name>&lol;</p:Name></p:Area></p:SetArea></env:Body></env:Envelope>`,
      `<p:SetArea xmlns:p="${PACS}"><p:Area token="bare"><p:Name>a</p:Name></p:Area></p:SetArea>`,
      `<env:Envelope xmlns:env="${SOAP_ENV}"><env:Body/></env:Envelope>`,
      `<env:Envelope xmlns:env="${SOAP_ENV}"><env:Body><p:SetArea xmlns:p="${PACS}"><p:Area token="x"/></p:SetArea></env:Body></env:Envelope>`,
    ];
    for (const body of bodies) {
      const r = await post(device, "/vapix/services", body);
      expect(r.status).toBe(400);
      expect(r.text).toContain("Fault");
    }
    const v11 = await post(device, "/vapix/services", `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:GetAreaList xmlns:p="${PACS}"/></s:Body></s:Envelope>`);
    expect(v11.status).toBe(400);
    expect(v11.text).toContain("env:VersionMismatch");
    expect(device.snapshot()).toEqual(before);
  });
});
