/**
 * The default connection: every generated operation descriptor (generated/index.ts, one table
 * per namespace prefix) over a src/transport binding for one protocol, plus raw HTTP for
 * hand-built bodies. Operations are addressed as "<prefix>:<Operation>"; a call goes through the
 * same `binding.call(descriptor, input)` the generated client methods make, so a service added
 * to wsdl/ is reachable here without code changes.
 */
import type { Binding, CallOptions } from "../../src/runtime/binding.js";
import type { OperationDescriptor } from "../../src/runtime/model.js";
import { createJsonBinding, createSoapBinding } from "../../src/transport/index.js";
import { generatedByPrefix } from "./generated.js";
import type { ConnectOptions, DeviceConnection, RawRequest } from "./types.js";
import { createRawHttp } from "./raw-http.js";

/** prefix → operation name → descriptor, from every `<prefix>Descriptors` module. */
const OPERATIONS: ReadonlyMap<string, Readonly<Record<string, OperationDescriptor>>> = generatedByPrefix("Descriptors", "operations");

/** The descriptor of `"<prefix>:<Operation>"`, if the generated code has it. */
export function operationDescriptor(op: string): OperationDescriptor | undefined {
  const i = op.indexOf(":");
  return i < 0 ? undefined : OPERATIONS.get(op.slice(0, i))?.[op.slice(i + 1)];
}

const SOAP_PATH = "/vapix/services";
const JSON_FALLBACK_PATH = "/vapix/pacs";

/** Where a raw request goes when it names no path: SOAP's endpoint, or the operation's JSON path. */
export function defaultRawPath(protocol: "soap" | "json", operation: string | undefined): string {
  if (protocol === "soap") return SOAP_PATH;
  return (operation === undefined ? undefined : operationDescriptor(operation)?.jsonPath) ?? JSON_FALLBACK_PATH;
}

export async function connectDevice(options: ConnectOptions): Promise<DeviceConnection> {
  const bindingOptions = { baseUrl: options.baseUrl, user: options.user, password: options.password, timeoutMs: options.timeoutMs, ca: options.ca, insecure: options.insecure };
  const binding: Binding & { close(): Promise<void> } = options.protocol === "soap" ? createSoapBinding(bindingOptions) : createJsonBinding(bindingOptions);
  const raw = createRawHttp(options);

  return {
    protocol: options.protocol,
    baseUrl: options.baseUrl,
    hasOperation: (op) => operationDescriptor(op) !== undefined,
    async call(op, input, callOptions?: CallOptions) {
      const descriptor = operationDescriptor(op);
      if (descriptor === undefined) {
        throw new Error(`${op}: no such operation in the generated code (generated/<prefix>/descriptors.ts); check the prefix and operation name`);
      }
      return binding.call(descriptor, input, callOptions);
    },
    async sendRaw(request: RawRequest, callOptions?: CallOptions) {
      const path = request.path ?? defaultRawPath(options.protocol, request.operation);
      if (request.credentials === undefined) return raw.send(path, request.contentType, request.body, request.operation, callOptions);
      // Another account: a stack of its own for this one request (no nonce or connection shared with the run's login).
      const as = createRawHttp({ ...options, ...request.credentials });
      try {
        return await as.send(path, request.contentType, request.body, request.operation, callOptions);
      } finally {
        await as.close();
      }
    },
    getRaw(path: string, callOptions?: CallOptions) {
      return raw.get(path, callOptions);
    },
    close: async () => {
      await Promise.all([binding.close(), raw.close()]);
    },
  };
}
