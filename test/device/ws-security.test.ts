/**
 * WS-Security UsernameToken on the reference device (ONVIF Core "Security" and "Username token
 * profile") and the PRE_AUTH GetSystemDateAndTime. Tokens are written by hand here, not with the
 * transport's encoder, so client and device cannot share a bug unseen.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parseAuthParams } from "../../src/device/digest.js";
import type { RunningDevice } from "../../src/device/server.js";
import { startDevice } from "../../src/device/server.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, SOAP_ENV, post, soapFaultCodes, withDevice } from "./helpers.js";

const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DIGEST_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const TDS = "http://www.onvif.org/ver10/device/wsdl";
const TT = "http://www.onvif.org/ver10/schema";
const DEVICE_TIME = "2026-01-05T08:00:00Z";
const SOAP_CT = { "content-type": "application/soap+xml; charset=utf-8" };
const GET_INFO = `<tds:GetDeviceInformation xmlns:tds="${TDS}"/>`;
const GET_TIME = `<tds:GetSystemDateAndTime xmlns:tds="${TDS}"/>`;

interface TokenParts {
  user?: string;
  password?: string;
  created?: string;
  nonce?: Buffer;
  /** Leave the Nonce element out. */
  noNonce?: boolean;
}

function token(p: TokenParts = {}): string {
  const nonce = p.nonce ?? randomBytes(16);
  const created = p.created ?? DEVICE_TIME;
  const digest = createHash("sha1")
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(p.password ?? "pass")]))
    .digest("base64");
  return (
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" SOAP-ENV:mustUnderstand="true"><wsse:UsernameToken>` +
    `<wsse:Username>${p.user ?? "root"}</wsse:Username><wsse:Password Type="${DIGEST_TYPE}">${digest}</wsse:Password>` +
    (p.noNonce === true ? "" : `<wsse:Nonce>${nonce.toString("base64")}</wsse:Nonce>`) +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

function envelope(bodyXml: string, headerXml = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"><SOAP-ENV:Header>${headerXml}</SOAP-ENV:Header><SOAP-ENV:Body>${bodyXml}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

interface Answer {
  status: number;
  /** The Body's first child's local name ("Fault" for a fault). */
  what: string;
  codes: string[];
  text: string;
  challenged: boolean;
}

async function call(device: RunningDevice, bodyXml: string, headerXml = "", headers: Record<string, string> = {}, path = "/vapix/services"): Promise<Answer> {
  const r = await post(device, path, envelope(bodyXml, headerXml), { ...SOAP_CT, ...headers });
  let what = "";
  let codes: string[] = [];
  if ((r.headers.get("content-type") ?? "").includes("soap")) {
    const body = parseXml(r.text).children.find((c) => c.local === "Body")!;
    const el = body.children[0]!;
    what = el.local;
    if (what === "Fault") codes = soapFaultCodes(el);
  }
  return { status: r.status, what, codes, text: r.text, challenged: r.headers.get("www-authenticate") !== null };
}

const NOT_AUTHORIZED = ["env:Sender", "ter:NotAuthorized"];
const minutes = (n: number): string => new Date(Date.parse(DEVICE_TIME) + n * 60_000).toISOString().replace(".000Z", "Z");

describe("WS-Security UsernameToken (reference device)", () => {
  let device: RunningDevice;
  beforeAll(async () => {
    device = await startDevice({ clock: `virtual=${DEVICE_TIME}` });
  });
  afterAll(() => device.close());

  it("accepts a UsernameToken alone, with no HTTP authentication", async () => {
    const r = await call(device, GET_INFO, token());
    expect([r.status, r.what]).toEqual([200, "GetDeviceInformationResponse"]);
  });

  it("accepts a UsernameToken together with HTTP Digest", async () => {
    const first = await post(device, "/vapix/services", envelope(GET_INFO), SOAP_CT);
    expect(first.status).toBe(401);
    const ch = parseAuthParams(first.headers.get("www-authenticate")!.slice("Digest ".length));
    const md5 = (s: string): string => createHash("md5").update(s).digest("hex");
    const response = md5(`${md5(`root:${ch["realm"]}:pass`)}:${ch["nonce"]}:00000001:c0ffee00:auth:${md5("POST:/vapix/services")}`);
    const authorization = `Digest username="root", realm="${ch["realm"]}", nonce="${ch["nonce"]}", uri="/vapix/services", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee00", response="${response}", opaque="${ch["opaque"]}"`;
    const r = await call(device, GET_INFO, token(), { authorization });
    expect([r.status, r.what]).toEqual([200, "GetDeviceInformationResponse"]);
  });

  it("accepts a Created a few minutes off the device clock, either way", async () => {
    expect((await call(device, GET_INFO, token({ created: minutes(-4) }))).status).toBe(200);
    expect((await call(device, GET_INFO, token({ created: minutes(4) }))).status).toBe(200);
  });

  it.each([
    ["a wrong password", { password: "wrong" }, /wrong user or password/],
    ["an unknown user", { user: "nobody" }, /wrong user or password/],
    ["a stale Created", { created: minutes(-6) }, /more than 5 minutes from the device clock/],
    ["a Created in the future", { created: minutes(6) }, /more than 5 minutes from the device clock/],
    ["a token without a Nonce", { noNonce: true }, /Nonce/],
  ] as const)("refuses %s: HTTP 400 env:Sender/ter:NotAuthorized", async (_what, parts, why) => {
    const r = await call(device, GET_INFO, token(parts));
    expect([r.status, r.codes]).toEqual([400, NOT_AUTHORIZED]);
    expect(r.text).toMatch(why);
  });

  it("refuses a replayed nonce", async () => {
    const header = token({ nonce: randomBytes(16) });
    expect((await call(device, GET_INFO, header)).status).toBe(200);
    const again = await call(device, GET_INFO, header);
    expect([again.status, again.codes]).toEqual([400, NOT_AUTHORIZED]);
    expect(again.text).toMatch(/replay/);
  });

  it("checks the token after valid HTTP credentials too: a bad token is refused (ONVIF Core: HTTP first, then WS)", async () => {
    const r = await call(device, GET_INFO, token({ password: "wrong" }), { authorization: BASIC });
    expect([r.status, r.codes]).toEqual([400, NOT_AUTHORIZED]);
  });

  it("keeps the level check: a viewer's valid token is refused with env:Sender/ter:NotAuthorized", async () => {
    const create = `<tds:CreateUsers xmlns:tds="${TDS}" xmlns:tt="${TT}"><tds:User><tt:Username>watcher</tt:Username><tt:Password>watch1</tt:Password><tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>`;
    expect((await call(device, create, "", { authorization: BASIC })).status).toBe(200);
    const r = await call(device, GET_INFO, token({ user: "watcher", password: "watch1" }));
    expect([r.status, r.codes]).toEqual([400, NOT_AUTHORIZED]);
    expect(r.text).toMatch(/needs an admin account/);
  });

  it.each(["/vapix/services", "/onvif/device_service"])("answers GetSystemDateAndTime at %s without any authentication (PRE_AUTH)", async (path) => {
    const r = await call(device, GET_TIME, "", {}, path);
    expect([r.status, r.what]).toEqual([200, "GetSystemDateAndTimeResponse"]);
    expect(r.text).toContain("2026");
  });

  it.each([
    ["GetServices", '<tds:IncludeCapability>true</tds:IncludeCapability>', "GetServicesResponse"],
    ["GetServiceCapabilities", "", "GetServiceCapabilitiesResponse"],
    ["GetCapabilities", "", "GetCapabilitiesResponse"],
  ])("answers the PRE_AUTH %s without any authentication, as ONVIF Core classes it", async (op, content, answer) => {
    const r = await call(device, `<tds:${op} xmlns:tds="${TDS}">${content}</tds:${op}>`, "", {}, "/onvif/device_service");
    expect([r.status, r.what]).toEqual([200, answer]);
  });

  it("does not extend PRE_AUTH to another service's GetServiceCapabilities", async () => {
    const r = await call(device, `<tac:GetServiceCapabilities xmlns:tac="http://www.onvif.org/ver10/accesscontrol/wsdl"/>`);
    expect([r.status, r.challenged]).toEqual([401, true]);
  });

  it("still asks every other operation for credentials: 401 with a Digest challenge", async () => {
    const r = await call(device, GET_INFO);
    expect([r.status, r.challenged]).toEqual([401, true]);
    const wrongDigestOnly = await post(device, "/onvif/device_service", envelope(GET_INFO), { ...SOAP_CT, authorization: `Basic ${Buffer.from("root:nope").toString("base64")}` });
    expect(wrongDigestOnly.status).toBe(401);
  });
});

describe("quirk wsse-nonce-replay-accepted", () => {
  it("accepts the same UsernameToken twice", async () => {
    await withDevice({ clock: `virtual=${DEVICE_TIME}`, quirks: ["wsse-nonce-replay-accepted"] }, async (device) => {
      const header = token();
      expect((await call(device, GET_INFO, header)).status).toBe(200);
      expect((await call(device, GET_INFO, header)).status).toBe(200);
      // Only the replay rule is broken: a wrong password is still refused.
      expect((await call(device, GET_INFO, token({ password: "wrong" }))).status).toBe(400);
    });
  });
});
