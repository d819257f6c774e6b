/**
 * Hand-built requests for what the typed encoder will not send (a Get<X> without the required
 * Token, malformed bodies), and a minimal reading of their answers.
 */
import type { CheckContext, Exchange, Protocol } from "../../harness/types.js";
import type { DeviceFault } from "../../../src/runtime/errors.js";
import { parseXml } from "../../../src/runtime/xml.js";
import { errorCode } from "../../harness/verdict.js";
import { faultOf } from "../../harness/faults.js";
import { lastExchange } from "./support.js";

export { SOAP_ENV, rawRequestFor, readFault, readJsonFault, readSoapFault, soapEnvelope } from "../../harness/raw-messages.js";
import { SOAP_ENV, rawRequestFor, readFault } from "../../harness/raw-messages.js";

/** Number of `itemField` items in a raw success response. */
export function countItems(protocol: Protocol, body: string, itemField: string): number {
  if (protocol === "json") {
    const v = JSON.parse(body) as Record<string, unknown>;
    const items = v[itemField];
    return Array.isArray(items) ? items.length : items === undefined || items === null ? 0 : 1;
  }
  const root = parseXml(body);
  const bodyEl = root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body");
  const response = bodyEl?.children[0];
  return response === undefined ? 0 : response.children.filter((c) => c.local === itemField).length;
}

export type NoTokenOutcome = { kind: "items"; count: number; exchange?: Exchange } | { kind: "fault"; fault: DeviceFault };

/**
 * Calls a Get<X> with no Token. The typed client is tried first (`Token: []`); when the encoder
 * refuses (Token is required by the schema) the request is sent by hand.
 */
export async function sendWithoutTokens(ctx: CheckContext, op: string, itemField: string): Promise<NoTokenOutcome> {
  try {
    const response = await ctx.call(op, { Token: [] });
    const items = response !== null && typeof response === "object" ? (response as Record<string, unknown>)[itemField] : undefined;
    const ex = lastExchange(ctx);
    return { kind: "items", count: Array.isArray(items) ? items.length : items === undefined ? 0 : 1, ...(ex !== undefined ? { exchange: ex } : {}) };
  } catch (err) {
    const f = faultOf(err);
    if (f !== undefined) return { kind: "fault", fault: f };
    if (errorCode(err) !== "ENCODE_FAILED") throw err;
  }
  const req = rawRequestFor(ctx.protocol, op, undefined);
  const res = await ctx.sendRaw(req);
  const fault = readFault(ctx.protocol, res);
  if (fault !== undefined) return { kind: "fault", fault };
  if (res.status >= 300) return ctx.fail(`${op} with no Token answered HTTP ${res.status} without a fault body`, lastExchange(ctx));
  const ex = lastExchange(ctx);
  return { kind: "items", count: countItems(ctx.protocol, res.body, itemField), ...(ex !== undefined ? { exchange: ex } : {}) };
}
