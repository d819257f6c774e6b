/**
 * A fake DeviceConnection for runner and CLI tests: answers GetServiceCapabilities and whatever
 * a test registers, records every call, and never touches the network.
 */
import type { CallOptions, Connector, DeviceConnection, Exchange, Protocol, RawRequest } from "../../conformance/harness/types.js";

export type Handler = (input: unknown, protocol: Protocol) => unknown;

export interface FakeDevice {
  readonly calls: { protocol: Protocol; op: string; input: unknown }[];
  readonly handlers: Map<string, Handler>;
  /** Bodies POSTed to the back door (with `backdoor`), path → parsed bodies in order. */
  readonly backdoorPosts: { path: string; body: unknown }[];
  connector: Connector;
}

export function fakeDevice(options: { maxLimit?: number; preflightError?: Error; backdoor?: { clock: "virtual" | "system" } } = {}): FakeDevice {
  const calls: FakeDevice["calls"] = [];
  const backdoorPosts: FakeDevice["backdoorPosts"] = [];
  const handlers = new Map<string, Handler>();
  handlers.set("tac:GetServiceCapabilities", () => {
    if (options.preflightError !== undefined) throw options.preflightError;
    return { Capabilities: { MaxLimit: options.maxLimit ?? 10 } };
  });
  const connector: Connector = async ({ protocol, baseUrl }) => {
    const conn: DeviceConnection = {
      protocol,
      baseUrl,
      hasOperation: (op) => handlers.has(op),
      async call(op: string, input: unknown, callOptions?: CallOptions) {
        calls.push({ protocol, op, input });
        if (callOptions?.signal?.aborted === true) throw callOptions.signal.reason;
        const h = handlers.get(op);
        if (h === undefined) throw Object.assign(new Error(`fake: no handler for ${op}`), { code: "TEST_NO_HANDLER" });
        const started = Date.now();
        const response = await h(input, protocol);
        const ex: Exchange = {
          operation: op,
          protocol,
          request: { method: "POST", url: `${baseUrl}vapix/pacs`, headers: {}, body: JSON.stringify({ [op]: input }) },
          response: { status: 200, headers: {}, body: JSON.stringify(response) },
          durationMs: Date.now() - started,
        };
        callOptions?.onExchange?.(ex);
        return response;
      },
      async sendRaw(request: RawRequest) {
        if (options.backdoor !== undefined && request.path?.startsWith("/backdoor/") === true) {
          const body = JSON.parse(request.body) as Record<string, unknown>;
          backdoorPosts.push({ path: request.path, body });
          if (request.path === "/backdoor/stimulus" && body["Stimulus"] === "Explode") return { status: 400, headers: {}, body: JSON.stringify({ Error: "unknown stimulus \"Explode\"" }) };
          return { status: 200, headers: {}, body: JSON.stringify({ Result: { Echo: body } }) };
        }
        return { status: 400, headers: {}, body: request.body };
      },
      ...(options.backdoor !== undefined
        ? {
            async getRaw(path: string) {
              if (path !== "/backdoor") return { status: 404, headers: {}, body: "" };
              return { status: 200, headers: {}, body: JSON.stringify({ Clock: { Kind: options.backdoor!.clock }, Stimuli: [], World: {} }) };
            },
          }
        : {}),
      async close() {},
    };
    return conn;
  };
  return { calls, handlers, backdoorPosts, connector };
}
