/**
 * The VAPIX JSON binding: POST `{"<prefix>:<Operation>": input}` to the operation's jsonPath;
 * the response is the output message's content (or a {"Fault": …} body).
 */
import type { Binding, CallOptions } from "../runtime/binding.js";
import { encodeJson, normalizeJson } from "../runtime/codec.js";
import { decodeJsonFast } from "../runtime/json-reader.js";
import { DecodeError } from "../runtime/codec-errors.js";
import { DeviceFaultError, EncodeError, MalformedResponseError } from "../runtime/errors.js";
import type { OperationDescriptor } from "../runtime/model.js";
import { parseJsonFault, toDeviceFault } from "../runtime/soap.js";
import { buildStack, excerptOf, makeRequest, statusError, unauthorized, wrapBodyError, type BindingOptions } from "./binding-common.js";

const JSON_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json", accept: "application/json" };
/** JSON pieces end right after a `,`. */
const COMMA = 0x2c;

/** Creates the VAPIX JSON binding. Operations without a jsonPath are refused with EncodeError. */
export function createJsonBinding(options: BindingOptions): Binding & { close(): Promise<void> } {
  if (options.auth === "ws-username-token") {
    throw new TypeError('createJsonBinding: BindingOptions.auth "ws-username-token" is SOAP-only (a WS-Security header has no place in a VAPIX JSON request); use auth "digest", "basic" or "auto", or the SOAP binding');
  }
  const stack = buildStack(options);

  async function call(op: OperationDescriptor, input: unknown, callOptions?: CallOptions): Promise<unknown> {
    const name = `${op.prefix}:${op.name}`;
    if (op.jsonPath === undefined) {
      throw new EncodeError(name, "this operation has no VAPIX JSON endpoint (no jsonPath); use the SOAP binding");
    }
    const where = `${name} (POST ${op.jsonPath})`;
    const body = JSON.stringify({ [name]: encodeJson(op.input, input ?? {}, { path: op.input.name }) });
    const res = await stack.transport.send(makeRequest(stack, op, "json", op.jsonPath, JSON_HEADERS, body, callOptions));
    if (res.status === 401) throw unauthorized(where, res);
    if (res.status >= 200 && res.status < 300) {
      // The fast path returns exactly what the code below would, or declines (json-reader.ts).
      const fast = decodeJsonFast(res.received?.pieces(COMMA) ?? res.body, op.output.type());
      if (fast !== undefined) return fast;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch (err) {
      if (res.status < 200 || res.status >= 300) throw statusError(where, res);
      throw new MalformedResponseError(where, `invalid JSON (HTTP ${res.status}): ${(err as Error).message}`, excerptOf(res.body), { cause: err });
    }
    const fault = parseJsonFault(parsed);
    if (fault !== undefined) throw new DeviceFaultError(name, toDeviceFault(fault, "json", res.status));
    if (res.status < 200 || res.status >= 300) throw statusError(where, res);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new MalformedResponseError(where, `expected a JSON object, got ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed}`, excerptOf(res.body));
    }
    try {
      return normalizeJson(parsed, op.output.type(), { path: op.output.name });
    } catch (err) {
      if (err instanceof DecodeError) throw wrapBodyError(where, err, res);
      throw err;
    }
  }

  return { protocol: "json", call, close: () => stack.close() };
}
