/**
 * "Every response conforms to its schema": JSON bodies against the generated JSON Schemas (ajv),
 * SOAP Body children against wsdl/*.xsd (libxml2). Validators load once per process.
 */
import type { Exchange, Protocol } from "./types.js";
import { XsdResponseValidator, type SchemaProblem } from "./schema-xsd.js";
import { JsonResponseValidator } from "./schema-json.js";

export type { SchemaProblem };

let xsd: Promise<XsdResponseValidator> | undefined;
let json: Promise<JsonResponseValidator> | undefined;

export function xsdValidator(): Promise<XsdResponseValidator> {
  xsd ??= XsdResponseValidator.load();
  return xsd;
}

export function jsonValidator(): Promise<JsonResponseValidator> {
  json ??= JsonResponseValidator.load();
  return json;
}

/**
 * Validates the response of one exchange. `op` is "<prefix>:<Operation>"; faults and non-2xx
 * answers are not judged here (other checks own them).
 */
export async function validateExchange(protocol: Protocol, op: string, ex: Exchange): Promise<SchemaProblem[]> {
  const res = ex.response;
  if (res === undefined || res.status < 200 || res.status >= 300) return [];
  if (protocol === "soap") return (await xsdValidator()).validateEnvelope(res.body);
  return (await jsonValidator()).validate(op, res.body);
}
