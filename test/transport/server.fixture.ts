/** A tiny node:http device double on 127.0.0.1:0, plus an independent Digest verifier. */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: SeenRequest, res: ServerResponse) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses `Digest k=v, k="v"` (test-side, deliberately simple: values contain no quotes). */
export function digestParams(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined || !header.startsWith("Digest ")) return out;
  for (const m of header.slice(7).matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]*))/gi)) out[m[1].toLowerCase()] = m[2] ?? m[3];
  return out;
}

const HASHES: Record<string, string> = { MD5: "md5", "SHA-256": "sha256", "MD5-SESS": "md5", "SHA-256-SESS": "sha256" };

/** Recomputes the expected Digest response (RFC 7616 §3.4.1) and compares. */
export function digestValid(header: string | undefined, method: string, user: string, password: string, nonce: string): boolean {
  const p = digestParams(header);
  if (p.username !== user || p.nonce !== nonce) return false;
  const algo = (p.algorithm ?? "MD5").toUpperCase();
  const hash = HASHES[algo];
  if (hash === undefined) return false;
  const H = (s: string): string => createHash(hash).update(s).digest("hex");
  let ha1 = H(`${user}:${p.realm}:${password}`);
  if (algo.endsWith("-SESS")) ha1 = H(`${ha1}:${p.nonce}:${p.cnonce}`);
  const ha2 = H(`${method}:${p.uri}`);
  const expected = p.qop === "auth" ? H(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) : H(`${ha1}:${p.nonce}:${ha2}`);
  return expected === p.response;
}

export const SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope";
export const TER = "http://www.onvif.org/ver10/error";

export function soapResponse(bodyXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"><SOAP-ENV:Body>${bodyXml}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}
