/**
 * `npm run bench`: one run prints
 *  1. the generated stub's round trip against a raw HTTP POST of the same bytes to the same device,
 *     at 1 and 1,000 items per response (ratio = raw time / stub time; 1.0 = no overhead), and
 *     node-soap on the same operation;
 *  2. the time to page through 10,000 credentials with Limit 100 over SOAP and over JSON.
 * A benchmark, not a test: it asserts nothing and is never part of `npm test`.
 */
import { Pool } from "undici";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { startDevice } from "../src/device/server.js";
import { createJsonBinding, createSoapBinding } from "../src/transport/index.js";
import { PacsClient } from "../generated/pacsaxis/client.js";
import type { Binding, Exchange } from "../src/runtime/index.js";

const USER = "root";
const PASSWORD = "pass";
const CREDENTIALS = 10_000;
const ROUNDS = 7;

interface Timing {
  medianMs: number;
}

/** Median per-call time over ROUNDS rounds of `calls` calls each, after a warm-up round. */
async function measure(calls: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.max(3, calls); i++) await fn();
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    perCall.push(Number(process.hrtime.bigint() - start) / 1e6 / calls);
  }
  perCall.sort((a, b) => a - b);
  return { medianMs: perCall[Math.floor(perCall.length / 2)]! };
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const device = await startDevice({ maxLimit: 1000, populate: { credentials: CREDENTIALS } });
  const baseUrl = device.url;
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
  const pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  let lastRequest: Exchange["request"] | undefined;
  const soapBinding = createSoapBinding({
    baseUrl,
    user: USER,
    password: PASSWORD,
    auth: "basic",
    onExchange: (e) => {
      lastRequest = e.request;
    },
  });
  const jsonBinding = createJsonBinding({ baseUrl, user: USER, password: PASSWORD, auth: "basic" });
  const soapClient = new PacsClient(soapBinding);
  const jsonClient = new PacsClient(jsonBinding);

  console.log(`pacs-conformance bench — node ${process.version}, device ${baseUrl}, ${CREDENTIALS} credentials, median of ${ROUNDS} rounds`);
  console.log("");
  console.log("1. Stub round trip vs raw HTTP POST of the same bytes (GetCredentialList over SOAP 1.2, Basic auth)");

  const nodeSoap = await createNodeSoapClient(baseUrl).catch((err: unknown) => err as Error);
  const replay = await startReplayServer();
  for (const items of [1, 1000]) {
    const calls = items === 1 ? 400 : 20;
    const stubCall = () => soapClient.getCredentialList({ Limit: items });
    const probe = await stubCall();
    const got = probe.Credential?.length ?? 0;
    const req = lastRequest!;
    const headers = { "content-type": req.headers["content-type"]!, authorization: basic };
    const rawCall = async () => {
      const res = await pool.request({ method: "POST", path: "/vapix/services", headers, body: req.body });
      return res.body.text();
    };
    const responseBody = await rawCall();
    const raw = await measure(calls, rawCall);
    const stub = await measure(calls, stubCall);
    console.log(`   N=${items} (${got} items, ${(responseBody.length / 1024).toFixed(1)} KiB response)`);
    console.log(`     vs the reference device:  raw ${fmt(raw.medianMs)}, stub ${fmt(stub.medianMs)} → ${(raw.medianMs / stub.medianMs).toFixed(2)}× the raw floor`);
    if (nodeSoap instanceof Error) {
      console.log(`     node-soap: unavailable (${nodeSoap.message.split("\n")[0]})`);
    } else {
      const nsCall = () => nodeSoap.GetCredentialListAsync({ Limit: items });
      const nsItems = countNodeSoapItems(await nsCall());
      const ns = await measure(Math.max(5, Math.floor(calls / 4)), nsCall);
      console.log(`     node-soap (same op/device): ${fmt(ns.medianMs)} → ${(raw.medianMs / ns.medianMs).toFixed(2)}× the raw floor (${nsItems} items decoded); the stub is ${(ns.medianMs / stub.medianMs).toFixed(1)}× faster`);
    }
    // The same response bytes replayed by a server that does no work: the client's own overhead.
    replay.body = responseBody;
    const replayClient = new PacsClient(createSoapBinding({ baseUrl: replay.url, user: USER, password: PASSWORD, auth: "basic" }));
    const replayPool = new Pool(replay.url, { connections: 1 });
    const rawReplay = await measure(calls, async () => (await replayPool.request({ method: "POST", path: "/vapix/services", headers, body: req.body })).body.text());
    const stubReplay = await measure(calls, () => replayClient.getCredentialList({ Limit: items }));
    console.log(`     vs a replay server:       raw ${fmt(rawReplay.medianMs)}, stub ${fmt(stubReplay.medianMs)} → ${(rawReplay.medianMs / stubReplay.medianMs).toFixed(2)}× (client overhead only)`);
    await replayPool.close();
  }
  await replay.close();

  console.log("");
  console.log(`2. Paging through ${CREDENTIALS} credentials with Limit 100 (GetCredentialList)`);
  for (const [name, client] of [["SOAP", soapClient], ["JSON", jsonClient]] as const) {
    const walk = async () => {
      let count = 0;
      let start: string | undefined;
      do {
        const page = await client.getCredentialList(start === undefined ? { Limit: 100 } : { Limit: 100, StartReference: start });
        count += page.Credential?.length ?? 0;
        start = page.NextStartReference;
      } while (start !== undefined);
      return count;
    };
    const seen = await walk();
    const t = await measure(1, walk);
    console.log(`   ${name}: ${fmt(t.medianMs)} for ${seen} credentials (${Math.ceil(seen / 100)} pages)`);
  }

  await closeAll([soapBinding, jsonBinding]);
  await pool.close();
  await device.close();
}

async function closeAll(bindings: (Binding & { close(): Promise<void> })[]): Promise<void> {
  await Promise.all(bindings.map((b) => b.close()));
}

/** A server that answers every POST with the same bytes, so only the client's work is measured. */
async function startReplayServer(): Promise<{ url: string; body: string; close(): Promise<void> }> {
  const state = { body: "" };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/soap+xml; charset=utf-8", "content-length": Buffer.byteLength(state.body) });
      res.end(state.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get body() {
      return state.body;
    },
    set body(value: string) {
      state.body = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function countNodeSoapItems(result: unknown): number {
  const body = Array.isArray(result) ? (result[0] as { Credential?: unknown }) : undefined;
  const items = body?.Credential;
  return Array.isArray(items) ? items.length : items === undefined ? 0 : 1;
}

interface NodeSoapClient {
  GetCredentialListAsync(args: unknown): Promise<unknown>;
}

async function createNodeSoapClient(baseUrl: string): Promise<NodeSoapClient> {
  const soap = await import("soap");
  const wsdl = fileURLToPath(new URL("../wsdl/axis/pacs.wsdl", import.meta.url));
  const client = await soap.createClientAsync(wsdl, { endpoint: `${baseUrl}/vapix/services`, forceSoap12Headers: true });
  client.setSecurity(new soap.BasicAuthSecurity(USER, PASSWORD));
  return client as unknown as NodeSoapClient;
}

await main();
