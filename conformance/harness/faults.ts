/**
 * Fault expectations. Verdict policy (ONVIF "other fault acceptable, specified preferable"):
 * - the documented code and subcode chain (device may append further subcodes) → passed;
 * - any other device fault (different code or subcodes) → warned, naming both chains;
 * - no fault at all, or a non-fault error (HTTP status without a fault body, bad body) → failed.
 */
import type { DeviceFault } from "../../src/runtime/errors.js";
import { lastExchange } from "./evidence.js";
import type { CheckContext } from "./types.js";
import { errorCode, errorMessage } from "./verdict.js";

export interface ExpectedFault {
  readonly code: string;
  readonly subcodes: readonly string[];
}

export const NOT_FOUND: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"] };
export const INVALID_START_REFERENCE: ExpectedFault = {
  code: "env:Sender",
  subcodes: ["ter:InvalidArgVal", "ter:InvalidStartReference"],
};
export const TOO_MANY_ITEMS: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgs", "ter:TooManyItems"] };

export function faultChain(f: Pick<DeviceFault, "code" | "subcodes">): string {
  return [f.code, ...f.subcodes].join("/");
}

/** The DeviceFault carried by an error (checked by code, not instanceof). */
export function faultOf(err: unknown): DeviceFault | undefined {
  if (errorCode(err) !== "DEVICE_FAULT") return undefined;
  const f = (err as { fault?: unknown }).fault;
  return f !== null && typeof f === "object" ? (f as DeviceFault) : undefined;
}

export function matchesFault(actual: Pick<DeviceFault, "code" | "subcodes">, expected: ExpectedFault): boolean {
  if (actual.code !== expected.code) return false;
  return expected.subcodes.every((s, i) => actual.subcodes[i] === s);
}

/**
 * Calls `op` and applies the fault policy above. `what` names the situation for messages,
 * e.g. `GetAccessPointState with unknown token "pcx-…"`.
 */
export async function expectFault(
  ctx: CheckContext,
  op: string,
  input: unknown,
  expected: ExpectedFault,
  what: string,
): Promise<void> {
  let response: unknown;
  try {
    response = await ctx.call(op, input);
  } catch (err) {
    if (errorCode(err) === "CHECK_DEADLINE" || errorCode(err) === "RUN_INTERRUPTED" || errorCode(err) === "ABORTED") throw err;
    const fault = faultOf(err);
    if (fault === undefined) {
      const code = errorCode(err);
      if (code === "TIMEOUT" || code === "CONNECTION_FAILED" || code === "AUTH_FAILED" || code === "ENCODE_FAILED") throw err;
      ctx.fail(`${what}: expected fault ${faultChain(expected)}, got ${errorMessage(err)}`, lastExchange(ctx));
    }
    if (matchesFault(fault, expected)) {
      if (expected.code === "env:Sender" && (fault.httpStatus < 400 || fault.httpStatus >= 500)) {
        ctx.warn(`${what}: the Sender fault came with HTTP ${fault.httpStatus}; expected a 4xx status`, lastExchange(ctx));
      }
      return;
    }
    ctx.warn(
      `${what}: got fault ${faultChain(fault)}; the documented fault is ${faultChain(expected)} (other faults are acceptable, the documented one is preferable)`,
      lastExchange(ctx),
    );
    return;
  }
  ctx.fail(`${what}: expected fault ${faultChain(expected)}, got a normal response ${excerptJson(response)}`, lastExchange(ctx));
}

/** Short JSON rendering of a value for messages. */
export function excerptJson(value: unknown, max = 160): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
