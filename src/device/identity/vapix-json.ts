/**
 * The request/response envelope of VAPIX's JSON CGIs (basicdeviceinfo.cgi, apidiscovery.cgi):
 * `{"apiVersion": "1.0", "context": …, "method": "…", "params": {…}}` in,
 * `{"apiVersion": "1.0", "context": …, "method": "…", "data": {…}}` or `… "error": {"code", "message"}` out.
 * Errors use VAPIX's general JSON API codes and, as those APIs do, HTTP status 200.
 */
import type { CgiRequest, CgiResponse } from "../service.js";

/** The one API version these CGIs implement. */
export const API_VERSION = "1.0";

export const ERROR = {
  versionNotSupported: 2100,
  invalidJson: 2101,
  methodNotSupported: 2102,
  parameterMissing: 2103,
  invalidParameter: 2104,
} as const;

export interface JsonCall {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Echoed in the answer when the request had one. */
  readonly context: unknown;
}

export class JsonApiError extends Error {
  override readonly name = "JsonApiError";
  readonly code = "JSON_API_ERROR";
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

function reply(body: Record<string, unknown>): CgiResponse {
  return { status: 200, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
}

function envelope(method: string | undefined, context: unknown): Record<string, unknown> {
  return { apiVersion: API_VERSION, ...(context === undefined ? {} : { context }), ...(method === undefined ? {} : { method }) };
}

/**
 * Reads the request, runs `methods[method]` and answers. `versionFree` methods (getSupportedVersions)
 * need no apiVersion; every other one needs a major version this API has ("1", "1.0", "1.2" …).
 */
export function handleJsonApi(request: CgiRequest, api: string, methods: Readonly<Record<string, (call: JsonCall) => Record<string, unknown>>>, versionFree: readonly string[]): CgiResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch (err) {
    return reply({ ...envelope(undefined, undefined), error: { code: ERROR.invalidJson, message: `${api}: the body is not JSON (${(err as Error).message}); send {"apiVersion": "${API_VERSION}", "method": "…"}` } });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return reply({ ...envelope(undefined, undefined), error: { code: ERROR.invalidJson, message: `${api}: the body must be a JSON object like {"apiVersion": "${API_VERSION}", "method": "…"}` } });
  }
  const o = parsed as Record<string, unknown>;
  const context = o["context"];
  const method = typeof o["method"] === "string" ? o["method"] : undefined;
  const fail = (code: number, message: string): CgiResponse => reply({ ...envelope(method, context), error: { code, message: `${api}: ${message}` } });
  if (method === undefined) return fail(ERROR.parameterMissing, `"method" is missing; methods: ${Object.keys(methods).join(", ")}`);
  const run = methods[method];
  if (run === undefined) return fail(ERROR.methodNotSupported, `method "${method}" is not supported; methods: ${Object.keys(methods).join(", ")}`);
  if (!versionFree.includes(method)) {
    const version = o["apiVersion"];
    if (version === undefined) return fail(ERROR.parameterMissing, `"apiVersion" is missing; this API implements ${API_VERSION}`);
    if (typeof version !== "string" || !/^\d+(\.\d+)?$/.test(version)) return fail(ERROR.invalidParameter, `"apiVersion" ${JSON.stringify(version)} must be "<major>.<minor>", e.g. "${API_VERSION}"`);
    if (version.split(".")[0] !== API_VERSION.split(".")[0]) return fail(ERROR.versionNotSupported, `apiVersion "${version}" is not supported; this API implements ${API_VERSION}`);
  }
  const params = o["params"];
  if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) return fail(ERROR.invalidParameter, `"params" must be an object`);
  try {
    return reply({ ...envelope(method, context), data: run({ method, params: (params ?? {}) as Record<string, unknown>, context }) });
  } catch (err) {
    if (err instanceof JsonApiError) return fail(err.errorCode, err.message);
    throw err;
  }
}
