/**
 * Section 4 of `npm run bench`: the reference device's own request decoding, timed in-process on
 * the exact runtime calls the device makes for a request body (no HTTP, no state change), for a
 * SetCredential carrying 1,000 credentials. A plain request is decoded straight from the text
 * (decodeRequestFast, decodeJsonRequestFast); anything unusual takes the exact path (a tree for
 * SOAP, JSON.parse + normalizeJson for JSON), timed for reference.
 */
import { SetCredentialMessage } from "../generated/pacsaxis/descriptors.js";
import { decodeElement, encodeElement, encodeJson, normalizeJson } from "../src/runtime/codec.js";
import { decodeJsonRequestFast } from "../src/runtime/json-reader.js";
import { buildEnvelope, decodeRequestFast } from "../src/runtime/soap.js";
import { parseXml } from "../src/runtime/xml.js";
import { measureSync } from "./measure.js";

export interface DecodeFigure {
  readonly case: string;
  readonly requestBytes: number;
  readonly medianMs: number;
}

function credentials(n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      token: `bench-${i}`,
      UserToken: `user-${i}`,
      Description: `Bench credential ${i}`,
      Enabled: true,
      Status: "Enabled",
      IdData: [{ Name: "Card", Value: String(10_000_000 + i) }, { Name: "PIN", Value: String(1000 + (i % 9000)) }],
    });
  }
  return out;
}

export function benchDeviceDecoding(rounds: number): DecodeFigure[] {
  const input = { Credential: credentials(1000) };
  const soap = buildEnvelope(encodeElement(SetCredentialMessage, input, { prefixes: { [SetCredentialMessage.ns]: "pacsaxis" } }));
  const json = JSON.stringify({ "pacsaxis:SetCredential": encodeJson(SetCredentialMessage, input) });
  const type = SetCredentialMessage.type();
  const soapT = measureSync(rounds, 10, () => {
    const req = decodeRequestFast(soap, () => ({ type, path: "SetCredential" }), { lenient: true });
    if (req === undefined) throw new Error("bench: the device's fast path declined the SetCredential request");
    return req;
  });
  const treeT = measureSync(rounds, 10, () => {
    const root = parseXml(soap);
    const el = root.children[0]!.children[0]!;
    return decodeElement(el, type, { lenient: true, path: "SetCredential" });
  });
  const jsonT = measureSync(rounds, 10, () => {
    const req = decodeJsonRequestFast(json, () => type);
    if (req === undefined) throw new Error("bench: the device's fast path declined the JSON SetCredential request");
    return req;
  });
  const parseT = measureSync(rounds, 10, () => {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    return normalizeJson(parsed["pacsaxis:SetCredential"], type, { lenient: true, path: "SetCredential" });
  });
  const fig = (name: string, body: string, t: { medianMs: number }): DecodeFigure => ({ case: name, requestBytes: Buffer.byteLength(body), medianMs: Math.round(t.medianMs * 10000) / 10000 });
  return [
    fig("SOAP SetCredential, 1,000 credentials (streamed)", soap, soapT),
    fig("SOAP SetCredential, 1,000 credentials (tree: the exact fallback)", soap, treeT),
    fig("JSON SetCredential, 1,000 credentials (streamed)", json, jsonT),
    fig("JSON SetCredential, 1,000 credentials (JSON.parse + normalize: the exact fallback)", json, parseT),
  ];
}
