/**
 * The User service (axudb) over raw VAPIX JSON and SOAP: documented defaults and faults, the
 * link user ← credential (Credential.UserToken), populated users, and the service's quirks.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as axudbSchemas } from "../../generated/axudb/schemas.js";
import { startDevice, type DeviceEvent, type RunningDevice } from "../../src/device/server.js";
import { attr, children, credential, json, jsonFaultCodes, ok, soap, soapFaultCodes, withDevice } from "./helpers.js";

const AXUDB = "http://www.axis.com/vapix/ws/user";

/** The guide's "Setting the user" example. */
const GUIDE_USER = {
  token: "user_token1",
  Name: "Name, User",
  Description: "User description",
  Attribute: [
    { type: "string", Name: "First name", Value: "User" },
    { type: "string", Name: "Last name", Value: "Name" },
  ],
};

describe("User service over VAPIX JSON (/vapix/pacs)", () => {
  let device: RunningDevice;
  const events: DeviceEvent[] = [];
  beforeAll(async () => {
    device = await startDevice({ onEvent: (e) => events.push(e) });
  });
  afterAll(() => device.close());

  it("reports MaxLimit and stores no users when factory-new", async () => {
    expect(await ok(device, "axudb:GetServiceCapabilities")).toEqual({ Capabilities: { MaxLimit: 100 } });
    expect(await ok(device, "axudb:GetUserList")).toEqual({ User: [] });
    expect(await ok(device, "axudb:GetUserInfoList", { Limit: 5 })).toEqual({ UserInfo: [] });
  });

  it("sets, replaces, reads (full and Info form) and removes users, announcing nothing", async () => {
    const before = events.length;
    const created = await ok(device, "axudb:SetUser", { User: [GUIDE_USER, { Name: "Freeman, Gordon", Description: "" }] });
    const [given, allocated] = created.Token as string[];
    expect(given).toBe("user_token1");
    expect(allocated).toMatch(/^Axis-00408c184bdb:\d+\.\d{9}$/);
    expect((await ok(device, "axudb:GetUser", { Token: ["user_token1"] })).User).toEqual([GUIDE_USER]);
    expect((await ok(device, "axudb:GetUserInfo", { Token: ["user_token1", "no-such-user"] })).UserInfo).toEqual([{ token: "user_token1", Name: "Name, User", Description: "User description" }]);

    await ok(device, "axudb:SetUser", { User: [{ token: "user_token1", Name: "Renamed, User", Attribute: [] }] });
    expect((await ok(device, "axudb:GetUser", { Token: ["user_token1"] })).User).toEqual([{ token: "user_token1", Name: "Renamed, User", Attribute: [] }]);
    expect((await ok(device, "axudb:GetUserInfoList")).UserInfo).toEqual(
      expect.arrayContaining([{ token: "user_token1", Name: "Renamed, User" }, { token: allocated, Name: "Freeman, Gordon", Description: "" }]),
    );

    expect(await ok(device, "axudb:RemoveUser", { Token: ["user_token1", allocated] })).toEqual({});
    expect(await ok(device, "axudb:GetUserList")).toEqual({ User: [] });
    // user-service.md: "No events are available from this service."
    expect(events.slice(before).filter((e) => e.topic.includes("User"))).toEqual([]);
  });

  it("answers the documented faults and changes nothing on an invalid batch", async () => {
    const remove = await json(device, "axudb:RemoveUser", { Token: ["ghost"] });
    expect([remove.status, jsonFaultCodes(remove.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
    const tooMany = await json(device, "axudb:GetUser", { Token: Array.from({ length: 101 }, (_, i) => `u${i}`) });
    expect(jsonFaultCodes(tooMany.body)).toEqual(["env:Sender", "ter:InvalidArgs", "ter:TooManyItems"]);
    // The second user has no Name (required): the whole SetUser is refused.
    const bad = await json(device, "axudb:SetUser", { User: [{ token: "ok-user", Name: "Fine" }, { token: "bad-user", Description: "no name" }] });
    expect([bad.status, jsonFaultCodes(bad.body)[0], jsonFaultCodes(bad.body)[1]]).toEqual([400, "env:Sender", "ter:InvalidArgs"]);
    const long = await json(device, "axudb:SetUser", { User: [{ token: "long-user", Name: "x".repeat(65) }] });
    expect(long.status).toBe(400);
    expect((await ok(device, "axudb:GetUser", { Token: ["ok-user", "bad-user", "long-user"] })).User).toEqual([]);
    expect(await ok(device, "axudb:GetUser", {})).toEqual({ User: [] });
  });

  it("pages GetUserInfoList with Limit and StartReference", async () => {
    const users = Array.from({ length: 5 }, (_, i) => ({ token: `page-${i}`, Name: `Page ${i}` }));
    await ok(device, "axudb:SetUser", { User: users });
    const first = await ok(device, "axudb:GetUserInfoList", { Limit: 3 });
    expect((first.UserInfo as { token: string }[]).map((u) => u.token)).toEqual(["page-0", "page-1", "page-2"]);
    const rest = await ok(device, "axudb:GetUserInfoList", { Limit: 3, StartReference: first.NextStartReference });
    expect((rest.UserInfo as { token: string }[]).map((u) => u.token)).toEqual(["page-3", "page-4"]);
    expect(rest.NextStartReference).toBeUndefined();
    const stale = await json(device, "axudb:GetUserList", { StartReference: "not-a-reference" });
    expect(jsonFaultCodes(stale.body)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:InvalidStartReference"]);
    await ok(device, "axudb:RemoveUser", { Token: users.map((u) => u.token) });
  });

  it("finds the user of a credential through its UserToken, resolved at every call", async () => {
    await ok(device, "axudb:SetUser", { User: [GUIDE_USER] });
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-linked", "4711"), credential("cred-alone", "4712", { UserToken: "" })] });
    const lookup = (token: string) => json(device, "axudb:GetUserInfoByCredentialToken", { CredentialToken: token });

    // The guide's response.
    expect((await lookup("cred-linked")).body).toEqual({ UserInfo: [{ token: "user_token1", Name: "Name, User", Description: "User description" }] });
    expect((await lookup("cred-alone")).body).toEqual({ UserInfo: [] });
    const unknown = await lookup("no-such-credential");
    expect([unknown.status, jsonFaultCodes(unknown.body)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);

    await ok(device, "axudb:SetUser", { User: [{ ...GUIDE_USER, Name: "Other, Name" }] });
    expect(((await lookup("cred-linked")).body["UserInfo"] as { Name: string }[])[0]?.Name).toBe("Other, Name");

    // A removed user leaves its credentials as they are; they then name no user.
    await ok(device, "axudb:RemoveUser", { Token: ["user_token1"] });
    expect(((await ok(device, "pacsaxis:GetCredential", { Token: ["cred-linked"] })).Credential as { UserToken: string }[])[0]?.UserToken).toBe("user_token1");
    expect((await lookup("cred-linked")).body).toEqual({ UserInfo: [] });
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["cred-linked", "cred-alone"] });
  });

  it("answers every operation with JSON that validates against the generated schema", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-schema", "4713", { UserToken: "schema-user" })] });
    const calls: [string, unknown][] = [
      ["axudb:GetServiceCapabilities", {}],
      ["axudb:SetUser", { User: [{ ...GUIDE_USER, token: "schema-user" }] }],
      ["axudb:GetUserInfoList", { Limit: 1 }],
      ["axudb:GetUserInfo", { Token: ["schema-user"] }],
      ["axudb:GetUserList", {}],
      ["axudb:GetUser", { Token: ["schema-user"] }],
      ["axudb:GetUserInfoByCredentialToken", { CredentialToken: "cred-schema" }],
      ["axudb:RemoveUser", { Token: ["schema-user"] }],
    ];
    const failures: string[] = [];
    for (const [op, input] of calls) {
      const r = await json(device, op, input);
      const validate = ajv.compile((axudbSchemas as Record<string, object>)[`${op.slice(op.indexOf(":") + 1)}Response`]!);
      if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    await ok(device, "pacsaxis:RemoveCredential", { Token: ["cred-schema"] });
  });
});

describe("User service over SOAP", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice();
  });
  afterAll(() => device.close());

  it("takes the guide's SetUser and answers GetUserInfoByCredentialToken as the guide shows", async () => {
    const set = await soap(
      device,
      `<axudb:SetUser xmlns:axudb="${AXUDB}"><axudb:User token="user_token1"><axudb:Name>Name, User</axudb:Name><axudb:Description>User description</axudb:Description><axudb:Attribute type="string" Name="First name" Value="User" /><axudb:Attribute type="string" Name="Last name" Value="Name" /></axudb:User></axudb:SetUser>`,
    );
    expect([set.status, set.el.local, children(set.el, "Token").map((t) => t.text)]).toEqual([200, "SetUserResponse", ["user_token1"]]);
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("Axis-00408c184bdb:1351593020.016190000", "12345678")] });

    const got = await soap(device, `<axudb:GetUserInfoByCredentialToken xmlns:axudb="${AXUDB}"><axudb:CredentialToken>Axis-00408c184bdb:1351593020.016190000</axudb:CredentialToken></axudb:GetUserInfoByCredentialToken>`);
    expect([got.el.ns, got.el.local]).toEqual([AXUDB, "GetUserInfoByCredentialTokenResponse"]);
    const info = children(got.el, "UserInfo");
    expect(info.map((i) => [attr(i, "token"), i.children.map((c) => `${c.local}=${c.text}`)])).toEqual([["user_token1", ["Name=Name, User", "Description=User description"]]]);

    const user = children((await soap(device, `<u:GetUser xmlns:u="${AXUDB}"><u:Token>user_token1</u:Token></u:GetUser>`)).el, "User")[0]!;
    expect(user.children.map((c) => c.local)).toEqual(["Name", "Description", "Attribute", "Attribute"]);
    expect(children(user, "Attribute").map((a) => `${attr(a, "Name")}=${attr(a, "Value")}`)).toEqual(["First name=User", "Last name=Name"]);

    const caps = await soap(device, `<u:GetServiceCapabilities xmlns:u="${AXUDB}"/>`);
    expect(attr(children(caps.el, "Capabilities")[0]!, "MaxLimit")).toBe("100");

    const fault = await soap(device, `<u:GetUserInfoByCredentialToken xmlns:u="${AXUDB}"><u:CredentialToken>ghost</u:CredentialToken></u:GetUserInfoByCredentialToken>`);
    expect([fault.status, soapFaultCodes(fault.el)]).toEqual([400, ["env:Sender", "ter:InvalidArgVal", "ter:NotFound"]]);
  });
});

describe("populated users", () => {
  it("match the UserToken of the populated credentials", async () => {
    await withDevice({ populate: { users: 3, credentials: 3 } }, async (device) => {
      expect((await ok(device, "axudb:GetUser", { Token: ["user-0001"] })).User).toEqual([
        {
          token: "user-0001",
          Name: "Last0001, First0001",
          Description: "Populated user 1",
          Attribute: [
            { type: "string", Name: "FirstName", Value: "First0001" },
            { type: "string", Name: "LastName", Value: "Last0001" },
          ],
        },
      ]);
      expect((await ok(device, "axudb:GetUserInfoList")).UserInfo).toHaveLength(3);
      expect(await ok(device, "axudb:GetUserInfoByCredentialToken", { CredentialToken: "credential-0003" })).toEqual({
        UserInfo: [{ token: "user-0003", Name: "Last0003, First0003", Description: "Populated user 3" }],
      });
    });
  });
});

describe("User quirks", () => {
  const setUp = async (device: RunningDevice): Promise<void> => {
    await ok(device, "axudb:SetUser", { User: [GUIDE_USER] });
    await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-q", "4714")] });
  };
  const lookup = async (device: RunningDevice, token: string): Promise<unknown> => (await json(device, "axudb:GetUserInfoByCredentialToken", { CredentialToken: token })).body;

  it("user-max-limit-wrong reports one more than the limit applied", async () => {
    await withDevice({ quirks: ["user-max-limit-wrong"], maxLimit: 10 }, async (device) => {
      expect(await ok(device, "axudb:GetServiceCapabilities")).toEqual({ Capabilities: { MaxLimit: 11 } });
      expect((await json(device, "axudb:GetUserInfo", { Token: Array.from({ length: 11 }, (_, i) => `u${i}`) })).status).toBe(400);
    });
  });

  it("user-by-credential-not-linked, -unknown-returns-all and -stale break the lookup", async () => {
    await withDevice({ quirks: ["user-by-credential-not-linked"] }, async (device) => {
      await setUp(device);
      expect(await lookup(device, "cred-q")).toEqual({ UserInfo: [] });
    });
    await withDevice({ quirks: ["user-by-credential-unknown-returns-all"] }, async (device) => {
      await setUp(device);
      expect(await lookup(device, "ghost")).toEqual({ UserInfo: [{ token: "user_token1", Name: "Name, User", Description: "User description" }] });
    });
    await withDevice({ quirks: ["user-by-credential-stale"] }, async (device) => {
      await setUp(device);
      await lookup(device, "cred-q");
      await ok(device, "axudb:RemoveUser", { Token: ["user_token1"] });
      expect(await lookup(device, "cred-q")).toEqual({ UserInfo: [{ token: "user_token1", Name: "Name, User", Description: "User description" }] });
    });
  });
});
