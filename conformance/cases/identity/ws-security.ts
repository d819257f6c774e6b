/**
 * WS-Security UsernameToken replay (ONVIF Core "Security": a request may authenticate on the web
 * service level; [WS-UsernameToken] nonces exist so a captured token cannot be sent again).
 * SOAP only. Raw requests always carry the run's HTTP login, so the token rides with valid HTTP
 * credentials: ONVIF Core has the device check those first and then the WS-level credentials, so
 * the replayed token must still be refused.
 */
import type { CheckDefinition, Protocol } from "../../harness/types.js";
import { readSoapFault, soapEnvelope } from "../generic/raw.js";
import { lastExchange } from "../generic/support.js";
import { faultChain } from "../../harness/faults.js";
import { cleanupAccount, newPassword } from "../accounts/support.js";
import { deviceUtcOf, usernameTokenHeader } from "../../../src/runtime/wsse.js";
import { SERVICE, SOAP_PATH, TDS_NS } from "./support.js";

const SOAP: readonly Protocol[] = ["soap"];
const GET_INFO_CT = `application/soap+xml; charset=utf-8; action="${TDS_NS}/GetDeviceInformation"`;

/** A GetDeviceInformation envelope whose header is `headerXml`. */
function withHeader(headerXml: string): string {
  return soapEnvelope(`<tds:GetDeviceInformation xmlns:tds="${TDS_NS}"/>`).replace("<env:Body>", `<env:Header>${headerXml}</env:Header><env:Body>`);
}

export const nonceReplayRefused: CheckDefinition = {
  id: "tds.ws-security.nonce-replay-refused",
  title: "A WS-Security UsernameToken sent a second time (same Nonce) is refused",
  service: SERVICE,
  rule: "A request whose UsernameToken repeats the Nonce of a token already accepted (within the Created tolerance) is refused, with env:Sender/ter:NotAuthorized, also when it carries valid HTTP credentials (ONVIF Core Security: HTTP credentials are validated first, then those of the WS level).",
  specRefs: ["ONVIF Core, Security (Authentication over HTTP and HTTPS; Username token profile)"],
  quirk: "wsse-nonce-replay-accepted",
  notes:
    "Needs an account whose password the check knows: on a device the run owns (the built-in reference device) it creates an Administrator of its own with CreateUsers and deletes it afterwards; on any other device it is skipped. Created is stamped on the device clock read with GetSystemDateAndTime. Skipped when the device does not accept the first token at all (no WS-Security).",
  transports: SOAP,
  run: async (ctx) => {
    if (!ctx.ownsDevice) ctx.skip("needs an account of its own (CreateUsers), which only a device the run owns may get");
    const user = `${ctx.tokenPrefix.replace(/[^A-Za-z0-9]/g, "")}w`.slice(0, 16);
    const password = newPassword(ctx);
    cleanupAccount(ctx, user);
    await ctx.call("tds:CreateUsers", { User: [{ Username: user, Password: password, UserLevel: "Administrator" }] }, "soap");
    const before = Date.now();
    const time = await ctx.sendRaw({ path: SOAP_PATH, contentType: `application/soap+xml; charset=utf-8; action="${TDS_NS}/GetSystemDateAndTime"`, body: soapEnvelope(`<tds:GetSystemDateAndTime xmlns:tds="${TDS_NS}"/>`), operation: "tds:GetSystemDateAndTime" }, "soap");
    const deviceNow = deviceUtcOf(time.body);
    if (deviceNow === undefined) return ctx.fail("GetSystemDateAndTime has no readable UTCDateTime to stamp the token's Created with", lastExchange(ctx));
    const created = new Date(deviceNow + (Date.now() - before) / 2);
    const body = withHeader(usernameTokenHeader(user, password, created));
    const send = () => ctx.sendRaw({ path: SOAP_PATH, contentType: GET_INFO_CT, body, operation: "tds:GetDeviceInformation (UsernameToken)" }, "soap");
    const first = await send();
    if (first.status < 200 || first.status >= 300) {
      const f = readSoapFault(first.body, first.status);
      ctx.skip(`the device does not accept the first UsernameToken (HTTP ${first.status}${f === undefined ? "" : `, ${faultChain(f)}`}); it may not support WS-Security`);
    }
    const again = await send();
    const evidence = lastExchange(ctx);
    if (again.status >= 200 && again.status < 300) ctx.fail(`the same UsernameToken (same Nonce and Created) was accepted twice (HTTP ${again.status}); a replayed nonce must be refused`, evidence);
    const fault = readSoapFault(again.body, again.status);
    const chain = fault === undefined ? undefined : faultChain(fault);
    if (chain !== "env:Sender/ter:NotAuthorized") ctx.warn(`the replay was refused with HTTP ${again.status} ${chain ?? "without a SOAP fault"}; expected env:Sender/ter:NotAuthorized`, evidence);
  },
};
