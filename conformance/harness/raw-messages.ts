/**
 * Hand-built SOAP and VAPIX JSON messages and a minimal reading of their faults: what the typed
 * encoder will not send (an operation without its required fields), for discovery's probes and
 * the checks' malformed-input requests.
 */
import type { HttpResponse, Protocol } from "./types.js";
import type { DeviceFault } from "../../src/runtime/errors.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { parseXml } from "../../src/runtime/xml.js";
import { defaultRawPath, operationDescriptor } from "./operations.js";

export const SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope";

/** Namespace URI of an operation's prefix, from its generated descriptor ("" when unknown). */
function namespaceOf(op: string): string {
  return operationDescriptor(op)?.ns ?? "";
}

export function soapEnvelope(bodyXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP_ENV}"><env:Body>${bodyXml}</env:Body></env:Envelope>`;
}

/** A raw request for `op` with the given inner body (XML of the Body child, or the JSON input object text). */
export function rawRequestFor(protocol: Protocol, op: string, inner: string | undefined): { path: string; contentType: string; body: string; operation: string } {
  const name = op.slice(op.indexOf(":") + 1);
  const ns = namespaceOf(op);
  if (protocol === "soap") {
    const body = soapEnvelope(inner ?? `<p:${name} xmlns:p="${ns}"/>`);
    return { path: defaultRawPath("soap", op), contentType: `application/soap+xml; charset=utf-8; action="${ns}/${name}"`, body, operation: op };
  }
  return { path: defaultRawPath("json", op), contentType: "application/json", body: inner ?? JSON.stringify({ [op]: {} }), operation: op };
}

/** Canonical prefixes by local name: the codes are env:, every subcode is ter: (matched by meaning, not prefix). */
function canonical(text: string, isCode: boolean): string {
  const t = text.trim();
  const local = t.slice(t.indexOf(":") + 1);
  return isCode ? `env:${local}` : `ter:${local}`;
}

/** Reads a SOAP 1.2 fault body; undefined when the body holds no env:Fault. */
export function readSoapFault(body: string, httpStatus: number): DeviceFault | undefined {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch {
    return undefined;
  }
  const bodyEl = root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body");
  const fault = bodyEl?.children.find((c) => c.ns === SOAP_ENV && c.local === "Fault");
  if (fault === undefined) return undefined;
  const codeEl = fault.children.find((c) => c.local === "Code");
  const code = codeEl?.children.find((c) => c.local === "Value")?.text ?? "";
  const subcodes: string[] = [];
  let sub = codeEl?.children.find((c) => c.local === "Subcode");
  while (sub !== undefined) {
    const v = sub.children.find((c) => c.local === "Value");
    if (v !== undefined) subcodes.push(canonical(v.text, false));
    sub = sub.children.find((c) => c.local === "Subcode");
  }
  const reason = fault.children.find((c) => c.local === "Reason")?.children.find((c) => c.local === "Text")?.text ?? "";
  return { code: canonical(code, true), subcodes, reason, protocol: "soap", httpStatus };
}

/** Reads a VAPIX JSON fault body; undefined when it holds none. */
export function readJsonFault(body: string, httpStatus: number): DeviceFault | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== "object" || !("Fault" in v)) return undefined;
  const o = v as Record<string, unknown>;
  const subcodes = [o["FaultCode"], o["FaultSubCode"]].filter((x): x is string => typeof x === "string" && x !== "");
  return { code: String(o["Fault"]), subcodes, reason: String(o["FaultReason"] ?? ""), protocol: "json", httpStatus };
}

export function readFault(protocol: Protocol, res: HttpResponse): DeviceFault | undefined {
  return protocol === "soap" ? readSoapFault(res.body, res.status) : readJsonFault(res.body, res.status);
}

