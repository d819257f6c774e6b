/**
 * The administrative accounts: one set that HTTP authentication (Digest and Basic), VAPIX
 * pwdgrp.cgi and the ONVIF user operations share. Requests are written by hand (the Digest
 * response too) and answers read raw; then the levels, pwdgrp.cgi's answers and refusals, the
 * sameness of both interfaces and every users-… quirk.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parseAuthParams } from "../../src/device/digest.js";
import { NAMESPACES } from "../../src/device/operation.js";
import { startDevice, type DeviceOptions, type RunningDevice } from "../../src/device/server.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { parseXml } from "../../src/runtime/xml.js";
import { SOAP_ENV, children, envelope, jsonFaultCodes, soapFaultCodes, withDevice } from "./helpers.js";

const TDS = NAMESPACES.tds;
const PWDGRP = "/axis-cgi/pwdgrp.cgi";
const SOAP_TYPE = "application/soap+xml; charset=utf-8";
const FORM_TYPE = "application/x-www-form-urlencoded";

interface Login {
  readonly user: string;
  readonly password: string;
  /** Default "digest". */
  readonly scheme?: "digest" | "basic";
}

const ROOT: Login = { user: "root", password: "pass", scheme: "basic" };

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * One request as `login`: Basic sent at once, or Digest (MD5, qop=auth) computed here from the
 * challenge of an unauthenticated first request.
 */
async function send(d: RunningDevice, login: Login, method: string, path: string, body = "", contentType = FORM_TYPE): Promise<Answer> {
  const go = async (authorization?: string): Promise<Answer> => {
    const withBody = method !== "GET";
    const headers: Record<string, string> = { ...(authorization === undefined ? {} : { authorization }), ...(withBody ? { "content-type": contentType } : {}) };
    const res = await fetch(`${d.url}${path}`, { method, headers, ...(withBody ? { body } : {}) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  if (login.scheme === "basic") return go(`Basic ${Buffer.from(`${login.user}:${login.password}`).toString("base64")}`);
  const first = await go();
  expect(first.status).toBe(401);
  const ch = parseAuthParams(first.headers.get("www-authenticate")!.slice("Digest ".length));
  const md5 = (s: string): string => createHash("md5").update(s).digest("hex");
  const uri = path;
  const cnonce = "5ccc069c403ebaf9";
  const response = md5(`${md5(`${login.user}:${ch["realm"]}:${login.password}`)}:${ch["nonce"]}:00000001:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return go(`Digest username="${login.user}", realm="${ch["realm"]}", nonce="${ch["nonce"]}", uri="${uri}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}", response="${response}", opaque="${ch["opaque"]}"`);
}

/** pwdgrp.cgi with the arguments in the query string (GET), as `login` (default the fixed administrator). */
function pwdgrp(d: RunningDevice, args: Record<string, string>, login: Login = ROOT): Promise<Answer> {
  return send(d, login, "GET", `${PWDGRP}?${new URLSearchParams(args).toString()}`);
}

/** pwdgrp.cgi action=get → group → names. */
async function groups(d: RunningDevice): Promise<Record<string, string[]>> {
  const r = await pwdgrp(d, { action: "get" });
  expect(r.status).toBe(200);
  return Object.fromEntries(
    r.text
      .trim()
      .split("\n")
      .map((line) => {
        const m = /^([a-z]+)="([^"]*)"$/.exec(line);
        if (m === null) throw new Error(`pwdgrp.cgi action=get line "${line}" is not group="a,b"`);
        return [m[1]!, m[2] === "" ? [] : m[2]!.split(",")];
      }),
  );
}

async function add(d: RunningDevice, user: string, password: string, sgrp: string): Promise<void> {
  const r = await pwdgrp(d, { action: "add", user, pwd: password, grp: "users", sgrp });
  expect([r.status, r.text]).toEqual([200, `Created account ${user}.\n`]);
}

/** A SOAP tds request as `login`: status and the Body's child. */
async function tds(d: RunningDevice, body: string, login: Login = ROOT): Promise<{ status: number; el: XmlElement }> {
  const r = await send(d, login, "POST", "/vapix/services", envelope(body, ` xmlns:tds="${TDS}" xmlns:tt="http://www.onvif.org/ver10/schema"`), SOAP_TYPE);
  if (r.status === 401) return { status: 401, el: { ns: "", local: "none", prefix: "", attrs: [], children: [], text: r.text } };
  const root = parseXml(r.text);
  return { status: r.status, el: root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!.children[0]! };
}

const onvifUser = (name: string, level: string, password: string): string => `<tds:User><tt:Username>${name}</tt:Username><tt:Password>${password}</tt:Password><tt:UserLevel>${level}</tt:UserLevel></tds:User>`;

async function onvifUsers(d: RunningDevice): Promise<[string, string][]> {
  const r = await tds(d, "<tds:GetUsers/>");
  expect(r.status).toBe(200);
  const text = (u: XmlElement, local: string): string => children(u, local)[0]?.text ?? "";
  return children(r.el, "User").map((u) => [text(u, "Username"), text(u, "UserLevel")]);
}

/** True when `login` authenticates and may act as an administrator (SOAP GetUsers answers 200). */
async function actsAsAdmin(d: RunningDevice, login: Login): Promise<boolean> {
  return (await tds(d, "<tds:GetUsers/>", login)).status === 200;
}

/** The HTTP status of a request that any account may make (param.cgi list): 200 when `login` authenticates. */
async function loginStatus(d: RunningDevice, login: Login): Promise<number> {
  return (await send(d, login, "GET", "/axis-cgi/param.cgi?action=list&group=Brand.ProdNbr")).status;
}

describe("one set of accounts for HTTP authentication, pwdgrp.cgi and the ONVIF users", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ backdoor: true });
  });
  afterAll(() => d.close());

  it("has the fixed administrator of the options, logging in with Digest and Basic as before", async () => {
    expect(await groups(d)).toEqual({ admin: ["root"], operator: ["root"], viewer: ["root"] });
    expect(await onvifUsers(d)).toEqual([["root", "Administrator"]]);
    for (const scheme of ["digest", "basic"] as const) {
      expect(await actsAsAdmin(d, { user: "root", password: "pass", scheme })).toBe(true);
      expect(await loginStatus(d, { user: "root", password: "wrong", scheme })).toBe(401);
    }
  });

  it.each(["digest", "basic"] as const)("lets an admin created with pwdgrp.cgi log in at once (%s), takes a changed password at once and refuses a removed account", async (scheme) => {
    const name = `adm${scheme}`;
    await add(d, name, "First-pass1", "admin:operator:viewer");
    expect(await actsAsAdmin(d, { user: name, password: "First-pass1", scheme })).toBe(true);
    expect(await actsAsAdmin(d, { user: name, password: "Other-pass", scheme })).toBe(false);

    const update = await pwdgrp(d, { action: "update", user: name, pwd: "Second-pass2" });
    expect([update.status, update.text]).toEqual([200, `Modified account ${name}.\n`]);
    expect(await loginStatus(d, { user: name, password: "First-pass1", scheme })).toBe(401);
    expect(await actsAsAdmin(d, { user: name, password: "Second-pass2", scheme })).toBe(true);

    const remove = await pwdgrp(d, { action: "remove", user: name });
    expect([remove.status, remove.text]).toEqual([200, `Removed account ${name}.\n`]);
    expect(await loginStatus(d, { user: name, password: "Second-pass2", scheme })).toBe(401);
    expect((await groups(d))["admin"]).toEqual(["root"]);
  });

  it("lets a user created with CreateUsers log in, takes SetUser's password and refuses it once DeleteUsers removed it", async () => {
    expect((await tds(d, `<tds:CreateUsers>${onvifUser("onvifadm", "Administrator", "Onvif-pass1")}</tds:CreateUsers>`)).status).toBe(200);
    expect(await actsAsAdmin(d, { user: "onvifadm", password: "Onvif-pass1" })).toBe(true);
    expect((await tds(d, `<tds:SetUser>${onvifUser("onvifadm", "Administrator", "Onvif-pass2")}</tds:SetUser>`)).status).toBe(200);
    expect(await loginStatus(d, { user: "onvifadm", password: "Onvif-pass1" })).toBe(401);
    expect(await actsAsAdmin(d, { user: "onvifadm", password: "Onvif-pass2" })).toBe(true);
    expect((await tds(d, "<tds:DeleteUsers><tds:Username>onvifadm</tds:Username></tds:DeleteUsers>")).status).toBe(200);
    expect(await loginStatus(d, { user: "onvifadm", password: "Onvif-pass2" })).toBe(401);
  });

  it("shows the same accounts in pwdgrp.cgi and GetUsers (admin ↔ Administrator, operator ↔ Operator, viewer ↔ User), and either interface removes the other's", async () => {
    await add(d, "vapixop", "Vapix-pass1", "operator:viewer");
    expect((await tds(d, `<tds:CreateUsers>${onvifUser("onvif-viewer", "User", "Onvif-pass1")}${onvifUser("onvifboss", "Administrator", "Onvif-pass2")}</tds:CreateUsers>`)).status).toBe(200);
    expect(await groups(d)).toEqual({
      admin: ["root", "onvifboss"],
      operator: ["root", "vapixop", "onvifboss"],
      viewer: ["root", "vapixop", "onvif-viewer", "onvifboss"],
    });
    expect(await onvifUsers(d)).toEqual([
      ["root", "Administrator"],
      ["vapixop", "Operator"],
      ["onvif-viewer", "User"],
      ["onvifboss", "Administrator"],
    ]);
    expect(d.snapshot().runtime["Device"]).toEqual({
      users: [
        { UserLevel: "Administrator", Username: "root" },
        { UserLevel: "Operator", Username: "vapixop" },
        { UserLevel: "User", Username: "onvif-viewer" },
        { UserLevel: "Administrator", Username: "onvifboss" },
      ],
    });
    // sgrp changes the level GetUsers shows; SetUser the groups pwdgrp.cgi lists.
    expect((await pwdgrp(d, { action: "update", user: "vapixop", sgrp: "viewer" })).status).toBe(200);
    expect((await tds(d, `<tds:SetUser>${onvifUser("onvifboss", "Operator", "Onvif-pass3")}</tds:SetUser>`)).status).toBe(200);
    expect(await onvifUsers(d)).toContainEqual(["vapixop", "User"]);
    expect((await groups(d))["admin"]).toEqual(["root"]);
    // A name pwdgrp.cgi would not create (a hyphen) is still its to remove.
    expect((await pwdgrp(d, { action: "remove", user: "onvif-viewer" })).status).toBe(200);
    expect((await tds(d, "<tds:DeleteUsers><tds:Username>vapixop</tds:Username><tds:Username>onvifboss</tds:Username></tds:DeleteUsers>")).status).toBe(200);
    expect(await groups(d)).toEqual({ admin: ["root"], operator: ["root"], viewer: ["root"] });
    expect(await onvifUsers(d)).toEqual([["root", "Administrator"]]);
  });

  it("refuses the fixed administrator's change and removal through both interfaces", async () => {
    for (const args of [
      { action: "remove", user: "root" },
      { action: "update", user: "root", pwd: "Hijack-1" },
      { action: "update", user: "root", sgrp: "viewer" },
    ]) {
      const r = await pwdgrp(d, args);
      expect([args, r.status, r.text]).toEqual([args, 400, expect.stringMatching(/^Error: "root" is the administrator the device was started with/)]);
    }
    const fault = async (body: string): Promise<string[]> => soapFaultCodes((await tds(d, body)).el);
    expect(await fault("<tds:DeleteUsers><tds:Username>root</tds:Username></tds:DeleteUsers>")).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:FixedUser"]);
    expect(await fault(`<tds:SetUser>${onvifUser("root", "User", "Hijack-1")}</tds:SetUser>`)).toEqual(["env:Sender", "ter:InvalidArgVal", "ter:FixedUser"]);
    expect(await actsAsAdmin(d, ROOT)).toBe(true);
  });

  it("refuses a user name that cannot log in through CreateUsers (a colon, a control character)", async () => {
    for (const name of ["a:b", "tab\u0009bed"]) {
      const r = await tds(d, `<tds:CreateUsers>${onvifUser(name, "User", "Secret-1")}</tds:CreateUsers>`);
      expect([name, r.status, soapFaultCodes(r.el)]).toEqual([name, 400, ["env:Sender", "ter:InvalidArgVal"]]);
    }
    expect(await onvifUsers(d)).toEqual([["root", "Administrator"]]);
  });

  it("shares MaxUsers: pwdgrp.cgi refuses the 101st account however the others were made", async () => {
    const many = Array.from({ length: 99 }, (_, i) => onvifUser(`bulk${i}`, "User", "Secret-1")).join("");
    expect((await tds(d, `<tds:CreateUsers>${many}</tds:CreateUsers>`)).status).toBe(200);
    const r = await pwdgrp(d, { action: "add", user: "onetoomany", pwd: "Secret-1", grp: "users", sgrp: "viewer" });
    expect([r.status, r.text]).toEqual([400, expect.stringMatching(/^Error: the device holds 100 accounts/)]);
    const names = Array.from({ length: 99 }, (_, i) => `<tds:Username>bulk${i}</tds:Username>`).join("");
    expect((await tds(d, `<tds:DeleteUsers>${names}</tds:DeleteUsers>`)).status).toBe(200);
  });
});

describe("a device started with another administrator", () => {
  it("has that one as its fixed administrator, and no root", async () => {
    await withDevice({ user: "boss", password: "Boss-pass1" }, async (d) => {
      const boss: Login = { user: "boss", password: "Boss-pass1" };
      expect(await actsAsAdmin(d, boss)).toBe(true);
      expect(await loginStatus(d, { user: "root", password: "pass" })).toBe(401);
      expect((await pwdgrp(d, { action: "get" }, boss)).text).toBe('admin="boss"\noperator="boss"\nviewer="boss"\n');
      expect((await tds(d, "<tds:DeleteUsers><tds:Username>boss</tds:Username></tds:DeleteUsers>", boss)).status).toBe(400);
    });
  });
});

describe("levels: viewer and operator accounts log in, but only admin acts (intro.md)", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice({ backdoor: true });
    await add(d, "viewer1", "Viewer-pass1", "viewer");
    await add(d, "operator1", "Operator-pass1", "operator:viewer:ptz");
  });
  afterAll(() => d.close());

  const LOWER: readonly Login[] = [
    { user: "viewer1", password: "Viewer-pass1" },
    { user: "operator1", password: "Operator-pass1" },
  ];

  it.each(LOWER)("lets $user read the identity CGIs (param.cgi, basicdeviceinfo.cgi, apidiscovery.cgi)", async (login) => {
    expect((await send(d, login, "GET", "/axis-cgi/param.cgi?action=list&group=Brand")).status).toBe(200);
    for (const [path, method] of [
      ["/axis-cgi/basicdeviceinfo.cgi", "getAllProperties"],
      ["/axis-cgi/apidiscovery.cgi", "getApiList"],
    ] as const) {
      const r = await send(d, login, "POST", path, JSON.stringify({ apiVersion: "1.0", method }), "application/json");
      expect([path, r.status, JSON.parse(r.text)]).toEqual([path, 200, expect.objectContaining({ data: expect.any(Object) })]);
    }
  });

  it.each(LOWER)("refuses $user every SOAP and JSON operation with HTTP 400 env:Sender/ter:NotAuthorized", async (login) => {
    const soapAnswer = await tds(d, "<tds:GetDeviceInformation/>", login);
    expect([soapAnswer.status, soapFaultCodes(soapAnswer.el)]).toEqual([400, ["env:Sender", "ter:NotAuthorized"]]);
    expect(children(soapAnswer.el, "Reason")[0]?.children[0]?.text).toContain("needs an admin account");
    const jsonAnswer = await send(d, login, "POST", "/vapix/pacs", JSON.stringify({ "pacsaxis:GetAccessPointInfoList": {} }), "application/json");
    expect([jsonAnswer.status, jsonFaultCodes(JSON.parse(jsonAnswer.text) as Record<string, unknown>)]).toEqual([400, ["env:Sender", "ter:NotAuthorized"]]);
  });

  it.each(LOWER)("refuses $user pwdgrp.cgi and the back door with 401 and a fresh challenge", async (login) => {
    for (const path of [`${PWDGRP}?action=get`, "/backdoor"]) {
      const r = await send(d, login, "GET", path);
      expect([path, r.status]).toEqual([path, 401]);
      expect(r.headers.get("www-authenticate")).toMatch(/^Digest /);
      expect(r.text).toContain(`account "${login.user}" is`);
    }
  });

  it("takes a level change at once, through either interface", async () => {
    const op: Login = { user: "operator1", password: "Operator-pass1" };
    expect((await pwdgrp(d, { action: "update", user: "operator1", sgrp: "admin:operator:viewer" })).status).toBe(200);
    expect(await actsAsAdmin(d, op)).toBe(true);
    expect((await tds(d, `<tds:SetUser>${onvifUser("operator1", "Operator", "Operator-pass1")}</tds:SetUser>`)).status).toBe(200);
    expect(await actsAsAdmin(d, op)).toBe(false);
    expect(await loginStatus(d, op)).toBe(200);
  });
});

describe("pwdgrp.cgi answers and refusals", () => {
  let d: RunningDevice;
  beforeAll(async () => {
    d = await startDevice();
  });
  afterAll(() => d.close());

  it("reads its arguments from a form-encoded POST body as well, with a comment, and answers text/plain", async () => {
    const r = await send(d, ROOT, "POST", PWDGRP, new URLSearchParams({ action: "add", user: "Formed1", pwd: "with spaces & signs!", grp: "users", sgrp: "viewer", comment: "front desk" }).toString());
    expect([r.status, r.headers.get("content-type"), r.text]).toEqual([200, "text/plain; charset=utf-8", "Created account Formed1.\n"]);
    expect(await loginStatus(d, { user: "Formed1", password: "with spaces & signs!" })).toBe(200);
    expect((await send(d, ROOT, "POST", PWDGRP, "action=remove&user=Formed1")).text).toBe("Removed account Formed1.\n");
    expect((await send(d, ROOT, "PUT", PWDGRP, "")).status).toBe(405);
  });

  it.each([
    [{}, /^Error: no action/],
    [{ action: "rename" }, /^Error: action=rename; use action=get, add, update or remove/],
    [{ action: "add", pwd: "Secret-1", grp: "users", sgrp: "viewer" }, /needs user=/],
    [{ action: "add", user: "nopwd", grp: "users", sgrp: "viewer" }, /needs pwd=/],
    [{ action: "add", user: "nogrp", pwd: "Secret-1", sgrp: "viewer" }, /needs grp=users/],
    [{ action: "add", user: "badgrp", pwd: "Secret-1", grp: "admin", sgrp: "viewer" }, /grp=admin is not a group/],
    [{ action: "add", user: "nosgrp", pwd: "Secret-1", grp: "users" }, /needs sgrp=/],
    [{ action: "add", user: "badsgrp", pwd: "Secret-1", grp: "users", sgrp: "viewer:superuser" }, /unknown security group "superuser"/],
    [{ action: "add", user: "ptzonly", pwd: "Secret-1", grp: "users", sgrp: "ptz" }, /names no level/],
    [{ action: "add", user: "fifteencharsxyz", pwd: "Secret-1", grp: "users", sgrp: "viewer" }, /has 15 characters; at most 14/],
    [{ action: "add", user: "has-hyphen", pwd: "Secret-1", grp: "users", sgrp: "viewer" }, /only the letters a-z, A-Z and the digits 0-9/],
    [{ action: "add", user: "longpwd", pwd: "p".repeat(65), grp: "users", sgrp: "viewer" }, /65 characters; at most 64/],
    [{ action: "add", user: "umlaut", pwd: "pässword", grp: "users", sgrp: "viewer" }, /printable ASCII/],
    [{ action: "add", user: "twice", pwd: "Secret-1", grp: "users", sgrp: "viewer", comment: "c".repeat(65) }, /comment has 65 characters/],
    [{ action: "add", user: "root", pwd: "Secret-1", grp: "users", sgrp: "viewer" }, /an account "root" already exists/],
    [{ action: "update", user: "ghost", pwd: "Secret-1" }, /there is no account "ghost"/],
    [{ action: "remove", user: "ghost" }, /there is no account "ghost"/],
    [{ action: "remove" }, /needs user=/],
  ])("refuses %j with HTTP 400 and one Error line, changing nothing", async (args, message) => {
    const before = await groups(d);
    const r = await pwdgrp(d, args as Record<string, string>);
    expect([r.status, r.text]).toEqual([400, expect.stringMatching(message)]);
    expect(r.text).toMatch(/^Error: [^\n]+\n$/);
    expect(await groups(d)).toEqual(before);
  });

  it("refuses an update that changes nothing, and an argument given twice", async () => {
    await add(d, "keeper", "Secret-1", "viewer");
    expect((await pwdgrp(d, { action: "update", user: "keeper" })).text).toMatch(/^Error: action=update needs at least one of pwd, sgrp and comment/);
    const twice = await send(d, ROOT, "GET", `${PWDGRP}?action=update&user=keeper&pwd=One-1&pwd=Two-2`);
    expect([twice.status, twice.text]).toEqual([400, expect.stringMatching(/pwd is given 2 times/)]);
    expect(await loginStatus(d, { user: "keeper", password: "Secret-1" })).toBe(200);
    expect((await pwdgrp(d, { action: "remove", user: "keeper" })).status).toBe(200);
  });
});

/** One device per quirk, the fixed administrator creating what the quirk is about. */
async function withQuirk(quirk: string, fn: (d: RunningDevice) => Promise<void>, options: DeviceOptions = {}): Promise<void> {
  await withDevice({ ...options, quirks: [quirk] }, async (d) => {
    expect(d.quirks).toEqual([quirk]);
    await fn(d);
  });
}

describe("users quirks", () => {
  it("users-removed-can-login: a removed account is gone from both lists but still authenticates", async () => {
    await withQuirk("users-removed-can-login", async (d) => {
      await add(d, "leaver", "Leaver-pass1", "admin");
      expect((await pwdgrp(d, { action: "remove", user: "leaver" })).status).toBe(200);
      expect((await groups(d))["admin"]).toEqual(["root"]);
      expect(await onvifUsers(d)).toEqual([["root", "Administrator"]]);
      expect(await actsAsAdmin(d, { user: "leaver", password: "Leaver-pass1" })).toBe(true);
    });
  });

  it("users-password-change-ignored: the change is acknowledged, the old password still works and the new one is refused", async () => {
    await withQuirk("users-password-change-ignored", async (d) => {
      await add(d, "stubborn", "Old-pass1", "admin");
      expect((await pwdgrp(d, { action: "update", user: "stubborn", pwd: "New-pass2" })).text).toBe("Modified account stubborn.\n");
      expect(await actsAsAdmin(d, { user: "stubborn", password: "Old-pass1" })).toBe(true);
      expect(await loginStatus(d, { user: "stubborn", password: "New-pass2" })).toBe(401);
    });
  });

  it("users-viewer-can-admin: a viewer calls admin operations, pwdgrp.cgi included", async () => {
    await withQuirk("users-viewer-can-admin", async (d) => {
      await add(d, "peeker", "Peeker-pass1", "viewer");
      const peeker: Login = { user: "peeker", password: "Peeker-pass1" };
      expect(await actsAsAdmin(d, peeker)).toBe(true);
      expect((await pwdgrp(d, { action: "add", user: "made", pwd: "Made-pass1", grp: "users", sgrp: "admin" }, peeker)).status).toBe(200);
      // The lists still tell the truth about its level.
      expect((await groups(d))["admin"]).toEqual(["root", "made"]);
    });
  });

  it("users-onvif-vapix-split: pwdgrp.cgi and GetUsers show different accounts, and ONVIF's cannot log in", async () => {
    await withQuirk("users-onvif-vapix-split", async (d) => {
      await add(d, "vapixonly", "Vapix-pass1", "admin");
      expect((await tds(d, `<tds:CreateUsers>${onvifUser("onvifonly", "Administrator", "Onvif-pass1")}</tds:CreateUsers>`)).status).toBe(200);
      expect(await onvifUsers(d)).toEqual([
        ["root", "Administrator"],
        ["onvifonly", "Administrator"],
      ]);
      expect((await groups(d))["admin"]).toEqual(["root", "vapixonly"]);
      expect(await actsAsAdmin(d, { user: "vapixonly", password: "Vapix-pass1" })).toBe(true);
      expect(await loginStatus(d, { user: "onvifonly", password: "Onvif-pass1" })).toBe(401);
    });
  });
});
