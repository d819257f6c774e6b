/**
 * The SOAP 1.2 binding: encodes the operation's input element into an envelope, POSTs it to the
 * device's SOAP endpoint and decodes the response by namespace (never by prefix).
 */
import type { Binding, CallOptions } from "../runtime/binding.js";
import { encodeElement } from "../runtime/codec.js";
import { DeviceFaultError } from "../runtime/errors.js";
import type { OperationDescriptor } from "../runtime/model.js";
import { buildEnvelope, decodeEnvelope, toDeviceFault } from "../runtime/soap.js";
import { buildStack, makeRequest, statusError, unauthorized, wrapBodyError, type BindingOptions } from "./binding-common.js";

export const DEFAULT_SOAP_PATH = "/vapix/services";

/** XML pieces end right after a `>`. */
const GT = 0x3e;

interface OpCache {
  readonly headers: Readonly<Record<string, string>>;
  readonly prefixes: Readonly<Record<string, string>>;
  readonly where: string;
}

/** Creates the SOAP 1.2 binding (POST soapPath, default /vapix/services). */
export function createSoapBinding(options: BindingOptions): Binding & { close(): Promise<void> } {
  const stack = buildStack(options);
  const path = options.soapPath ?? DEFAULT_SOAP_PATH;
  // Per-operation constants, computed once.
  const cache = new WeakMap<OperationDescriptor, OpCache>();
  const opInfo = (op: OperationDescriptor): OpCache => {
    let c = cache.get(op);
    if (c === undefined) {
      c = {
        headers: {
          "content-type": `application/soap+xml; charset=utf-8; action="${op.soapAction}"`,
          accept: "application/soap+xml, text/xml",
        },
        prefixes: { [op.ns]: op.prefix },
        where: `${op.prefix}:${op.name} (POST ${path})`,
      };
      cache.set(op, c);
    }
    return c;
  };

  async function call(op: OperationDescriptor, input: unknown, callOptions?: CallOptions): Promise<unknown> {
    const info = opInfo(op);
    const body = buildEnvelope(encodeElement(op.input, input ?? {}, { prefixes: info.prefixes, path: op.input.name }));
    const res = await stack.transport.send(makeRequest(stack, op, "soap", path, info.headers, body, callOptions));
    if (res.status === 401) throw unauthorized(info.where, res);
    let decoded;
    try {
      // A large response is decoded in pieces, never built into one string (text-pieces.ts).
      decoded = decodeEnvelope(res.received?.pieces(GT) ?? res.body, op.output, { path: op.output.name });
    } catch (err) {
      // A non-2xx without a readable envelope is an HTTP error, not a malformed SOAP message.
      if (res.status < 200 || res.status >= 300) throw statusError(info.where, res);
      throw wrapBodyError(info.where, err, res);
    }
    if (decoded.kind === "fault") throw new DeviceFaultError(`${op.prefix}:${op.name}`, toDeviceFault(decoded.fault, "soap", res.status));
    if (res.status < 200 || res.status >= 300) throw statusError(info.where, res);
    return decoded.value;
  }

  return { protocol: "soap", call, close: () => stack.close() };
}
