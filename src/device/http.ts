/**
 * The HTTP front: Digest/Basic on every path (SOAP requests may instead carry a WS-Security
 * UsernameToken, ws-security.ts, or call a PRE_AUTH operation), POST /vapix/services and the subscription addresses
 * below it (SOAP 1.2), the VAPIX JSON
 * endpoints (/vapix/pacs, /vapix/doorcontrol, …: operation.ts JSON_PATHS), the back door when
 * enabled, a request body limit, 404 elsewhere.
 *
 * Levels (intro.md, Administrative users: admin is required for every action): an account below
 * admin may call only the read-only CGIs of `openToViewers`. Elsewhere it is refused as each
 * interface does: the SOAP and JSON services answer HTTP 400 with env:Sender/ter:NotAuthorized
 * (ONVIF Core's fault for a sender that lacks the authorisation; 401 would tell a Digest client
 * its credentials are wrong), the other CGIs and the back door 401 with a fresh challenge, as a
 * web server refusing a group does (VAPIX CGIs).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BACKDOOR_PATH, handleBackdoor } from "./backdoor.js";
import type { AccountLevel, DigestAuthenticator } from "./digest.js";
import { JSON_PATHS } from "./operation.js";
import type { Dispatcher, ProtocolResponse } from "./protocols.js";
import { PEER_HEADER, PEER_PATH } from "./connection/peer-link.js";
import { OperationFault } from "./faults.js";
import type { CgiEndpoint, CgiResponse } from "./service.js";
import { soapCredentials, usernameTokenVerifier } from "./ws-security.js";

export const SOAP_PATH = "/vapix/services";
/** ONVIF's device service address (GetServices and the device management operations), also SOAP. */
export const ONVIF_DEVICE_PATH = "/onvif/device_service";
const JSON_ENDPOINTS: ReadonlySet<string> = new Set(Object.values(JSON_PATHS));

/** The SOAP endpoint, the subscription addresses the event service hands out below it, and ONVIF's device service address. */
function isSoapPath(path: string): boolean {
  return path === SOAP_PATH || path.startsWith(`${SOAP_PATH}/`) || path === ONVIF_DEVICE_PATH;
}

export interface HttpConfig {
  readonly auth: DigestAuthenticator;
  readonly dispatcher: Dispatcher;
  /** Largest accepted request body (default 4 MiB); larger → 413 with a fault. */
  readonly maxBodyBytes: number;
  /** Serve the test back door (backdoor.ts) at /backdoor. */
  readonly backdoor: boolean;
  /** VAPIX CGIs by path (the services' `cgis`). */
  readonly cgis?: ReadonlyMap<string, CgiEndpoint>;
  /** CGI paths any account may call (default none: every path needs admin). */
  readonly openToViewers?: ReadonlySet<string>;
  /** The VAPIX JSON endpoints served (default every one of JSON_PATHS); a path whose every service is left out (--services) answers 404 like any unknown path. */
  readonly jsonPaths?: ReadonlySet<string>;
  /** The peer protocol of door controller networks (connection/peer-link.ts): POST /peer/<verb>, signed instead of Digest. */
  readonly peers?: (verb: string, signature: string | undefined, body: string) => Promise<{ readonly status: number; readonly body: Record<string, unknown> }>;
  /**
   * Makes what requests changed durable (persistence.ts, `--state`); called right before every
   * response is written, so no answer is ahead of the saved state. Throws when saving fails (500).
   */
  readonly commit?: () => void;
}

/** Bodies beyond this are not even drained: the connection is dropped after the 413. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
/** A peer's full copy of a populated network's configuration may exceed a client request's limit. */
const PEER_BODY_LIMIT = 48 * 1024 * 1024;

function write(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string): void {
  const buf = Buffer.from(body, "utf8");
  res.writeHead(status, { ...headers, "Content-Length": String(buf.length) });
  res.end(buf);
}

/** Reads the body; resolves null when it exceeds `limit` (the rest is drained, up to DRAIN_LIMIT). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT) {
          resolve(null);
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function belowAdmin(user: string, level: AccountLevel, path: string): string {
  return `account "${user}" is ${level === "operator" ? "an operator" : "a viewer"}; ${path} needs an admin account (admin is required for every action)`;
}

export function createRequestHandler(config: HttpConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const { auth, dispatcher } = config;
  const jsonEndpoints = config.jsonPaths ?? JSON_ENDPOINTS;
  /** Every answer leaves through here: SOAP, JSON, CGIs, the peer protocol and the back door alike. */
  const send = (res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string): void => {
    config.commit?.();
    write(res, status, headers, body);
  };
  const sendProtocol = (res: ServerResponse, r: ProtocolResponse): void => send(res, r.status, { "Content-Type": r.contentType }, r.body);
  return (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // Not through `send`: a failed commit must not fail again here (what is pending is saved with the next one).
      if (!res.headersSent) write(res, 500, { "Content-Type": "text/plain; charset=utf-8" }, `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0]!;
    if (config.peers !== undefined && method === "POST" && path.startsWith(`${PEER_PATH}/`)) {
      const limit = Math.max(config.maxBodyBytes, PEER_BODY_LIMIT);
      const body = await readBody(req, limit);
      const header = req.headers[PEER_HEADER];
      const r = body === null ? { status: 413, body: { Error: `request body exceeds ${limit} bytes` } } : await config.peers(path.slice(PEER_PATH.length + 1), Array.isArray(header) ? header[0] : header, body);
      send(res, r.status, { "Content-Type": "application/json; charset=utf-8" }, JSON.stringify(r.body));
      return;
    }
    const verdict = auth.verify(method, req.headers.authorization);
    const refuseHttp = (why: string, stale: boolean): void => {
      req.resume();
      send(res, 401, { "WWW-Authenticate": auth.challenges(stale), "Content-Type": "text/plain; charset=utf-8" }, `401 Unauthorized: ${why}\n`);
    };
    // A SOAP request may authenticate in its body instead (WS-Security UsernameToken) or need none (PRE_AUTH): decided once the body is read.
    const soapPost = method === "POST" && isSoapPath(path);
    if (!verdict.ok && !soapPost) {
      refuseHttp(verdict.why, verdict.stale);
      return;
    }
    const level = verdict.ok ? verdict.level : "viewer";
    /** Refuses a CGI or back-door request of an account below admin: 401, as a web server refusing its group (only authenticated requests get here). */
    const refusedBelowAdmin = (): boolean => {
      if (level === "admin" || !verdict.ok) return false;
      refuseHttp(belowAdmin(verdict.user, level, path), false);
      return true;
    };
    /** ONVIF Core's fault for a request refused at the WS or access-policy level: HTTP 400, env:Sender/ter:NotAuthorized. */
    const notAuthorized = (protocol: "soap" | "json", reason: string): void =>
      sendProtocol(res, dispatcher.protocolFault(protocol, 400, { code: "env:Sender", subcodes: ["ter:NotAuthorized"], reason }));
    if (config.backdoor && (path === BACKDOOR_PATH || path.startsWith(`${BACKDOOR_PATH}/`))) {
      if (refusedBelowAdmin()) return;
      const body = method === "POST" ? await readBody(req, config.maxBodyBytes) : (req.resume(), "");
      const r = body === null ? { status: 413, body: { Error: `request body exceeds ${config.maxBodyBytes} bytes` } } : handleBackdoor(dispatcher.state, method, path, body);
      send(res, r.status, { "Content-Type": "application/json; charset=utf-8" }, JSON.stringify(r.body));
      return;
    }
    const cgi = config.cgis?.get(path);
    if (cgi !== undefined) {
      if (!(cgi.methods as readonly string[]).includes(method)) {
        req.resume();
        send(res, 405, { Allow: cgi.methods.join(", "), "Content-Type": "text/plain; charset=utf-8" }, `405 Method Not Allowed: use ${cgi.methods.join(" or ")} ${path}\n`);
        return;
      }
      if (!(config.openToViewers?.has(path) ?? false) && refusedBelowAdmin()) return;
      const body = method === "POST" ? await readBody(req, config.maxBodyBytes) : (req.resume(), "");
      if (body === null) {
        send(res, 413, { "Content-Type": "text/plain; charset=utf-8" }, `413 Payload Too Large: the body exceeds ${config.maxBodyBytes} bytes\n`);
        return;
      }
      const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
      const state = dispatcher.state;
      const run = (): CgiResponse => cgi.handle({ method, query, body, contentType: req.headers["content-type"] ?? "", host: req.headers.host ?? "127.0.0.1" }, state);
      let r: CgiResponse;
      try {
        // In a door controller network, what a CGI changes (accounts: AUD) reaches the peers too.
        r = await state.change(path, false, run);
      } catch (err) {
        if (!(err instanceof OperationFault)) throw err;
        r = { status: 503, contentType: "text/plain; charset=utf-8", body: `503 Service Unavailable: ${err.fault.reason}\n` };
      }
      send(res, r.status, { "Content-Type": r.contentType }, r.body);
      return;
    }
    // Subscription addresses the event service hands out live below the SOAP path; ONVIF clients find the device service at its own address.
    const protocol = isSoapPath(path) ? "soap" : jsonEndpoints.has(path) ? "json" : undefined;
    if (protocol === undefined) {
      req.resume();
      send(res, 404, { "Content-Type": "text/plain; charset=utf-8" }, `404 Not Found: ${path}; the services are POST ${SOAP_PATH} (SOAP 1.2)${jsonEndpoints.size === 0 ? "" : ` and VAPIX JSON at POST ${[...jsonEndpoints].sort().join(", ")}`}\n`);
      return;
    }
    if (method !== "POST") {
      req.resume();
      send(res, 405, { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" }, `405 Method Not Allowed: use POST ${path}\n`);
      return;
    }
    if (protocol === "soap") {
      const body = await readBody(req, config.maxBodyBytes);
      if (body === null && !verdict.ok) return refuseHttp(verdict.why, verdict.stale);
      if (body !== null && !authorizedSoap(body)) return;
      return dispatch(protocol, body, path, req, res);
    }
    if (verdict.ok && level !== "admin") {
      req.resume();
      notAuthorized(protocol, belowAdmin(verdict.user, level, path));
      return;
    }
    return dispatch(protocol, await readBody(req, config.maxBodyBytes), path, req, res);

    /**
     * Whether a SOAP request may run; when not, the refusal has been sent (ONVIF Core "Security"):
     * valid HTTP credentials are checked first, then a UsernameToken in the header if there is one;
     * a request with neither gets the Digest challenge (401); a refused token gets HTTP 400 with
     * env:Sender/ter:NotAuthorized, ONVIF Core's fault for a refusal at the WS level. PRE_AUTH
     * operations need no authentication; the others need an admin, as before.
     */
    function authorizedSoap(body: string): boolean {
      const { token, preAuth } = soapCredentials(body);
      if (preAuth) return true;
      let who: { readonly user: string; readonly level: AccountLevel } | undefined = verdict.ok ? verdict : undefined;
      if (token !== undefined) {
        const checked = usernameTokenVerifier(dispatcher.state).verify(token);
        if (!checked.ok) {
          notAuthorized("soap", `WS-Security UsernameToken refused: ${checked.why}`);
          return false;
        }
        who = checked;
      }
      if (who === undefined) {
        // Only a failed HTTP verdict leaves no one: refuse with its reason.
        if (!verdict.ok) refuseHttp(verdict.why, verdict.stale);
        return false;
      }
      if (who.level !== "admin") {
        notAuthorized("soap", belowAdmin(who.user, who.level, path));
        return false;
      }
      return true;
    }
  }

  async function dispatch(protocol: "soap" | "json", body: string | null, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (body === null) {
      sendProtocol(
        res,
        dispatcher.protocolFault(protocol, 413, { code: "env:Sender", subcodes: ["ter:InvalidArgs"], reason: `request body exceeds ${config.maxBodyBytes} bytes; split the request (e.g. fewer items per Set)` }),
      );
      return;
    }
    // A long-polling operation stops waiting when the client goes away.
    const gone = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    const meta = { path, host: req.headers.host ?? "127.0.0.1", signal: gone.signal, ...((req.socket as { encrypted?: boolean }).encrypted === true ? { scheme: "https" as const } : {}) };
    sendProtocol(res, protocol === "soap" ? await dispatcher.handleSoap(body, meta) : await dispatcher.handleJson(body, meta));
  }
}
