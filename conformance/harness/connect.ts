/**
 * The default connection: the generated clients (tac AccessControlClient, pacsaxis PacsClient)
 * over a src/transport binding for one protocol, plus raw HTTP for hand-built bodies.
 * Operations are addressed as "<prefix>:<Operation>" and dispatched to the client method of the
 * same name in lowerCamelCase (the generated API contract).
 */
import type { Binding, CallOptions } from "../../src/runtime/binding.js";
import { createJsonBinding, createSoapBinding } from "../../src/transport/index.js";
import { AccessControlClient } from "../../generated/tac/client.js";
import { PacsClient } from "../../generated/pacsaxis/client.js";
import type { ConnectOptions, DeviceConnection, RawRequest } from "./types.js";
import { createRawHttp } from "./raw-http.js";

type ClientMethod = (input: unknown, options?: CallOptions) => Promise<unknown>;

/** "GetAccessPointList" → "getAccessPointList". */
export function methodName(operation: string): string {
  return operation.charAt(0).toLowerCase() + operation.slice(1);
}

const DEFAULT_PATH = { soap: "/vapix/services", json: "/vapix/pacs" } as const;

export async function connectDevice(options: ConnectOptions): Promise<DeviceConnection> {
  const bindingOptions = { baseUrl: options.baseUrl, user: options.user, password: options.password, timeoutMs: options.timeoutMs };
  const binding: Binding & { close(): Promise<void> } = options.protocol === "soap" ? createSoapBinding(bindingOptions) : createJsonBinding(bindingOptions);
  const clients: Record<string, object> = { tac: new AccessControlClient(binding), pacsaxis: new PacsClient(binding) };
  const raw = createRawHttp(options);

  const methodOf = (op: string): ClientMethod | undefined => {
    const i = op.indexOf(":");
    const client = clients[op.slice(0, i)];
    if (client === undefined) return undefined;
    const fn = (client as Record<string, unknown>)[methodName(op.slice(i + 1))];
    return typeof fn === "function" ? (fn as ClientMethod).bind(client) : undefined;
  };

  return {
    protocol: options.protocol,
    baseUrl: options.baseUrl,
    hasOperation: (op) => methodOf(op) !== undefined,
    async call(op, input, callOptions) {
      const fn = methodOf(op);
      if (fn === undefined) throw new Error(`${op}: no such operation in the generated clients (generated/tac, generated/pacsaxis); check the operation name`);
      return fn(input, callOptions);
    },
    sendRaw(request: RawRequest, callOptions?: CallOptions) {
      return raw.send(request.path ?? DEFAULT_PATH[options.protocol], request.contentType, request.body, request.operation, callOptions);
    },
    close: async () => {
      await Promise.all([binding.close(), raw.close()]);
    },
  };
}
