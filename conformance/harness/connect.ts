/**
 * The default connection: every generated operation descriptor (generated/index.ts, one table
 * per namespace prefix) over a src/transport binding for one protocol, plus raw HTTP for
 * hand-built bodies. Operations are addressed as "<prefix>:<Operation>"; a call goes through the
 * same `binding.call(descriptor, input)` the generated client methods make, so a service added
 * to wsdl/ is reachable here without code changes.
 */
import type { Binding, CallOptions } from "../../src/runtime/binding.js";
import { createJsonBinding, createSoapBinding } from "../../src/transport/index.js";
import { defaultRawPath, operationDescriptor } from "./operations.js";
import type { ConnectOptions, DeviceConnection, RawRequest } from "./types.js";
import { createRawHttp } from "./raw-http.js";

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
