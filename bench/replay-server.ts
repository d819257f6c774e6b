/**
 * The replay server of `npm run bench`, run in its own process (as a real device is on another
 * machine): it answers every POST with the bytes the parent last gave it over IPC, and does no
 * other work, so a client timed against it pays only for its own work and the network stack.
 *
 * IPC: the parent sends `{ respond: { status, contentType, body } }` and waits for `{ ok: true }`;
 * once listening, this process sends `{ url }`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What the replay server answers with. */
export interface ReplayResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type ReplayCommand = { readonly respond: ReplayResponse } | { readonly stop: true };

let status = 200;
let headers: Record<string, string | number> = {};
let payload = Buffer.alloc(0);

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(status, headers);
    res.end(payload);
  });
});

process.on("message", (msg: ReplayCommand) => {
  if ("stop" in msg) {
    server.close(() => process.exit(0));
    return;
  }
  status = msg.respond.status;
  payload = Buffer.from(msg.respond.body, "utf8");
  headers = { "content-type": msg.respond.contentType, "content-length": payload.length };
  process.send?.({ ok: true });
});
// The parent's exit closes the IPC channel: never outlive it.
process.on("disconnect", () => process.exit(0));

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
