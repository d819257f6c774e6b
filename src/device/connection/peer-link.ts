/**
 * The peer protocol between the door controllers of a network: JSON over HTTP POST to
 * `/peer/<verb>` on each controller's own address. Every request is signed with the network's
 * shared secret (HMAC-SHA256 over verb, sender MAC, time and body, in the `X-Axis-Peer` header),
 * so only controllers given the same secret can pair; a request older than a minute, or signed
 * with another secret, is refused with 403. Clients never use this path: it is not behind the
 * Digest accounts, and its answers are the controllers' business.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const PEER_PATH = "/peer";
export const PEER_HEADER = "x-axis-peer";
/** How far a signed request's time may be from the receiver's. */
const MAX_SKEW_MS = 60_000;
/** Largest peer answer read (a full configuration of a populated network fits easily). */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

/** What a controller signs with: its own MAC and the network's secret. */
export interface PeerSigner {
  readonly mac: string;
  readonly secret: string;
}

function signature(secret: string, verb: string, mac: string, ms: number, body: string): string {
  return createHmac("sha256", secret).update(`${verb}\n${mac}\n${ms}\n${body}`).digest("hex");
}

/** A request to a peer that failed: unreachable, refused, or an answer that is not JSON. */
export class PeerCallError extends Error {
  override readonly name = "PeerCallError";
  readonly code = "PEER_CALL";
  constructor(
    message: string,
    /** The peer's HTTP status, 0 when it was not reached. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** Sends one signed request and returns the peer's JSON answer; throws PeerCallError. */
export async function callPeer(baseUrl: string, verb: string, payload: unknown, signer: PeerSigner, timeoutMs: number): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  const ms = Date.now();
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${PEER_PATH}/${verb}`, {
      method: "POST",
      headers: { "content-type": "application/json", [PEER_HEADER]: `${signer.mac} ${ms} ${signature(signer.secret, verb, signer.mac, ms, body)}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new PeerCallError(`${baseUrl} did not answer ${verb}: ${err instanceof Error ? err.message : String(err)}`, 0);
  }
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new PeerCallError(`${baseUrl} answered ${verb} with ${length} bytes`, response.status);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw new PeerCallError(`${baseUrl} broke off its answer to ${verb}: ${(err as Error).message}`, response.status);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text === "" ? "{}" : text);
  } catch {
    throw new PeerCallError(`${baseUrl} answered ${verb} with something that is not JSON (HTTP ${response.status})`, response.status);
  }
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw new PeerCallError(`${baseUrl} answered ${verb} with a JSON ${Array.isArray(answer) ? "array" : typeof answer}`, response.status);
  const record = answer as Record<string, unknown>;
  if (!response.ok) throw new PeerCallError(`${baseUrl} refused ${verb} (HTTP ${response.status}): ${String(record["Error"] ?? text)}`, response.status);
  return record;
}

/** Checks a request's signature: the sender's MAC when it is good, else why not. */
export function verifyPeer(secret: string, header: string | undefined, verb: string, body: string, now = Date.now()): { ok: true; mac: string } | { ok: false; why: string } {
  const parts = (header ?? "").split(" ");
  if (parts.length !== 3) return { ok: false, why: `peer requests carry "${PEER_HEADER}: <MAC> <ms> <signature>"` };
  const [mac, msText, given] = parts as [string, string, string];
  const ms = Number(msText);
  if (!Number.isSafeInteger(ms) || Math.abs(now - ms) > MAX_SKEW_MS) return { ok: false, why: "the request's time is more than a minute away" };
  const expected = Buffer.from(signature(secret, verb, mac, ms, body), "hex");
  const got = Buffer.from(given, "hex");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, why: "the signature does not match this network's secret" };
  return { ok: true, mac };
}
