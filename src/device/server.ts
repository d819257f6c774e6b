/**
 * The reference door controller: a faithful simulated Axis network door controller serving its
 * services (services.ts) over SOAP 1.2 and VAPIX JSON with HTTP Digest auth, a simulated physical
 * world with a virtual clock and an optional test back door, plus fault injection ("quirks").
 * This is the ONLY module others import.
 */
import { createServer } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { operations as aconnOperations } from "../../generated/aconn/descriptors.js";
import { operations as axisioOperations } from "../../generated/axisio/descriptors.js";
import { operations as axissdOperations } from "../../generated/axissd/descriptors.js";
import { operations as axkeyOperations } from "../../generated/axkey/descriptors.js";
import { operations as axlocOperations } from "../../generated/axloc/descriptors.js";
import { operations as axlogOperations } from "../../generated/axlog/descriptors.js";
import { operations as axrioOperations } from "../../generated/axrio/descriptors.js";
import { operations as axschOperations } from "../../generated/axsch/descriptors.js";
import { operations as axtdcOperations } from "../../generated/axtdc/descriptors.js";
import { operations as axtidOperations } from "../../generated/axtid/descriptors.js";
import { operations as axtpcOperations } from "../../generated/axtpc/descriptors.js";
import { operations as axudbOperations } from "../../generated/axudb/descriptors.js";
import { operations as pacsaxisOperations } from "../../generated/pacsaxis/descriptors.js";
import { operations as tacOperations } from "../../generated/tac/descriptors.js";
import { operations as tdcOperations } from "../../generated/tdc/descriptors.js";
import { operations as tdsOperations } from "../../generated/tds/descriptors.js";
import { operations as tevOperations } from "../../generated/tev/descriptors.js";
import { handleBackdoor } from "./backdoor.js";
import { SystemClock, VirtualClock, parseClock, type Clock } from "./clock.js";
import { DigestAuthenticator, type DigestAlgorithm } from "./digest.js";
import { createRequestHandler } from "./http.js";
import { installAccounts } from "./identity/accounts.js";
import { servesTls } from "./identity/capabilities.js";
import { VIEWER_PATHS } from "./identity/index.js";
import { JSON_PATHS, type ServicePrefix } from "./operation.js";
import { Dispatcher, type DescriptorTable } from "./protocols.js";
import { ProfileError, deviceOperations, hideTopicsOfUnservedServices, installProfile, resolveProfile, type CapabilityValue, type DeviceProfile } from "./profile.js";
import { parseQuirks } from "./quirks.js";
import { composeServices, type PopulateOptions } from "./service.js";
import { ALL_QUIRKS, SERVICES, allEntities, allOperations } from "./services.js";
import { DeviceState, type DeviceEvent, type DeviceIdentity } from "./state.js";
import { openSavedState } from "./persistence.js";
import { createHttpsServer, keyPairProblem, selfSignedCertificate, type TlsMaterial } from "./tls.js";
import { peerNetwork } from "./connection/index.js";
import { randomBytes } from "node:crypto";

export type { DeviceEvent, DeviceIdentity } from "./state.js";
export type { PopulateOptions } from "./service.js";
export { deviceCommand, siteCommand } from "./command.js";

/** Options of startDevice; every field has a default. */
export interface DeviceOptions {
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** The fixed administrator (default "root"); pwdgrp.cgi and the ONVIF user operations add other accounts. */
  readonly user?: string;
  /** The fixed administrator's password (default "pass"). */
  readonly password?: string;
  /** Digest realm (default "AXIS_<MAC>"). */
  readonly realm?: string;
  /** Quirk names (see listQuirks); an unknown name throws UnknownQuirkError listing the valid ones. */
  readonly quirks?: readonly string[];
  /** Device identity (default mac 00408C184BDB, uuid 5581ad80-95b0-11e0-b883-00408c184bdb). */
  readonly identity?: DeviceIdentity;
  /** ServiceCapabilities MaxLimit (default 100); `capabilities` MaxLimit is the same. */
  readonly maxLimit?: number;
  /**
   * The services served, as firmware without the others would (default: all): names, apidiscovery
   * ids or prefixes of SERVICE_CATALOG (src/runtime/service-catalog.ts), e.g. ["AccessControl",
   * "door-control", "axtid"]. A name serves every prefix of its service, a prefix only itself. The
   * device service (tds) and the identity CGIs are served in any case. A left-out prefix's operations
   * answer as unknown ones (env:Sender/ter:UnknownAction), GetServices and apidiscovery.cgi leave it
   * out, its service's event topics are not advertised. An unknown name throws DeviceConfigError.
   */
  readonly services?: readonly string[];
  /**
   * Capabilities reported otherwise (default none): "Name" (every served prefix whose
   * GetServiceCapabilities has it) or "prefix:Name" → a boolean (or "true"/"false"), and "MaxLimit"
   * → a positive integer (as `maxLimit`). A flag that speaks for operations (CAPABILITY_GATES, e.g.
   * SetAccessPoint: false) also makes them answer env:Receiver/ter:ActionNotSupported. A name no
   * served prefix has, or a bad value, throws DeviceConfigError.
   */
  readonly capabilities?: Readonly<Record<string, CapabilityValue>>;
  /** Deterministic items added after the factory defaults (default none). */
  readonly populate?: PopulateOptions;
  /** Lifetime of a NextStartReference (default 10 minutes). */
  readonly startReferenceTtlMs?: number;
  /** Lifetime of a Digest nonce (default 5 minutes). */
  readonly nonceTtlMs?: number;
  /** Largest request body (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * A directory where the device keeps its configuration (SQLite, created when missing): a saved
   * device comes back instead of the factory defaults (`populate` is then ignored), and every
   * answered change is saved before its answer. Default none: all in memory.
   */
  readonly stateDir?: string;
  /** Called for every state change (the hook events will hang off). */
  readonly onEvent?: (event: DeviceEvent) => void;
  /**
   * The device clock: "system" (default, real time), "virtual" (starts now, moves only when told)
   * or "virtual=<ISO 8601 time>".
   */
  readonly clock?: string;
  /** Serve the test back door at /backdoor (world stimuli, clock). Default false. */
  readonly backdoor?: boolean;
  /** HTTP Digest algorithms challenged, in preference order (default ["MD5"], as ONVIF Core recommends). */
  readonly digestAlgorithms?: readonly DigestAlgorithm[];
  /**
   * The secret the peer protocol of door controller networks is signed with: controllers pair
   * only with controllers given the same one (default: a random one, so the device pairs with none).
   */
  readonly peerSecret?: string;
  /** Base URLs of the other controllers discovery finds (the network segment; default none). See also RunningDevice.setPeerDirectory. */
  readonly peerDirectory?: readonly string[];
  /** How often the controller greets its peers (default 1000 ms). */
  readonly peerHeartbeatMs?: number;
  /**
   * Serve HTTPS too, beside HTTP, with the same handler (default: HTTP only). `port` 0 (default)
   * picks a free one; `cert` and `key` are PEM (default: a self-signed certificate for 127.0.0.1
   * and localhost, made at start, valid 30 days).
   */
  readonly tls?: { readonly port?: number; readonly cert?: string; readonly key?: string };
}

/**
 * Canonical, JSON-serialisable copy of all stored data: entity type → items in token order (keys
 * sorted), and each service's runtime state worth preserving (e.g. door modes).
 */
export interface DeviceSnapshot {
  readonly entities: Readonly<Record<string, { readonly items: readonly unknown[]; readonly info?: readonly unknown[] }>>;
  readonly runtime: Readonly<Record<string, unknown>>;
}

export interface RunningDevice {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The HTTPS base URL when started with `tls`, e.g. https://127.0.0.1:40124 */
  readonly httpsUrl?: string;
  /** The certificate HTTPS serves (PEM), for clients to trust; set with `tls`. */
  readonly tlsCertificate?: string;
  readonly host: string;
  readonly port: number;
  readonly quirks: readonly string[];
  readonly identity: DeviceIdentity;
  /** "system" or "virtual". */
  readonly clockKind: Clock["kind"];
  readonly backdoor: boolean;
  close(): Promise<void>;
  snapshot(): DeviceSnapshot;
  /**
   * What POST /backdoor/stimulus and /backdoor/clock do, for tests embedding the device
   * (available whether or not the HTTP back door is on). Throws with the back door's message.
   */
  stimulate(stimulus: Record<string, unknown>): Record<string, unknown>;
  advanceClock(ms: number): void;
  /**
   * Runs one operation as a VAPIX JSON request to the device's own endpoint would (no HTTP, no
   * authentication): for code that embeds the device, e.g. a site forming its network. Resolves
   * the response's JSON; rejects with a DeviceConfigError carrying the fault's reason.
   */
  invoke(prefix: ServicePrefix, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Replaces the other controllers discovery finds (a site sets them once every controller listens). */
  setPeerDirectory(urls: readonly string[]): void;
}

export class DeviceConfigError extends Error {
  override readonly name = "DeviceConfigError";
  readonly code = "DEVICE_CONFIG";
}

const DEFAULT_IDENTITY: DeviceIdentity = { mac: "00408C184BDB", uuid: "5581ad80-95b0-11e0-b883-00408c184bdb" };

/** Each quirk with the rule it breaks. */
export function listQuirks(): { name: string; rule: string }[] {
  return ALL_QUIRKS.map((q) => ({ name: q.name, rule: q.rule }));
}

/** The generated descriptors decode requests and encode responses with the one codec. */
const DESCRIPTORS: DescriptorTable = {
  tac: tacOperations,
  pacsaxis: pacsaxisOperations,
  tdc: tdcOperations,
  axtdc: axtdcOperations,
  axtid: axtidOperations,
  axtpc: axtpcOperations,
  axissd: axissdOperations,
  axrio: axrioOperations,
  axisio: axisioOperations,
  axkey: axkeyOperations,
  axsch: axschOperations,
  axudb: axudbOperations,
  axlog: axlogOperations,
  axloc: axlocOperations,
  tev: tevOperations,
  tds: tdsOperations,
  aconn: aconnOperations,
};

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** The certificate and key of `tls`: both given (checked), or neither for a fresh self-signed pair. */
async function tlsMaterial(tls: NonNullable<DeviceOptions["tls"]>): Promise<TlsMaterial> {
  if (tls.cert === undefined && tls.key === undefined) return selfSignedCertificate();
  if (tls.cert === undefined || tls.key === undefined) throw new DeviceConfigError("tls.cert and tls.key go together: give both (PEM), or neither for a self-signed certificate");
  const bad = keyPairProblem({ cert: tls.cert, key: tls.key });
  if (bad !== undefined) throw new DeviceConfigError(`tls.${bad.which}: ${bad.problem}`);
  return { cert: tls.cert, key: tls.key };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startDevice(options: DeviceOptions = {}): Promise<RunningDevice> {
  const quirks = parseQuirks(options.quirks ?? [], ALL_QUIRKS);
  const identity = options.identity ?? DEFAULT_IDENTITY;
  if (!/^[0-9A-Fa-f]{12}$/.test(identity.mac)) throw new DeviceConfigError(`identity.mac "${identity.mac}" must be 12 hex digits, e.g. 00408C184BDB`);
  let profile: DeviceProfile;
  try {
    profile = resolveProfile(options);
  } catch (err) {
    if (err instanceof ProfileError) throw new DeviceConfigError(err.message, { cause: err });
    throw err;
  }
  if (options.maxLimit !== undefined && profile.maxLimit !== undefined && options.maxLimit !== profile.maxLimit) {
    throw new DeviceConfigError(`maxLimit ${options.maxLimit} and capabilities MaxLimit ${profile.maxLimit} disagree; give one of them`);
  }
  const maxLimit = profile.maxLimit ?? options.maxLimit ?? 100;
  if (!Number.isSafeInteger(maxLimit) || maxLimit < 1) throw new DeviceConfigError(`maxLimit ${maxLimit} must be a positive integer`);
  const host = options.host ?? "127.0.0.1";
  const tls = options.tls === undefined ? undefined : await tlsMaterial(options.tls);
  let clock: Clock;
  try {
    clock = options.clock === undefined ? new SystemClock() : parseClock(options.clock);
  } catch (err) {
    throw new DeviceConfigError(`clock: ${(err as Error).message}`);
  }
  const state = new DeviceState({
    identity: { ...identity, mac: identity.mac.toUpperCase() },
    maxLimit,
    startReferenceTtlMs: options.startReferenceTtlMs ?? 10 * 60_000,
    quirks,
    decls: allEntities(),
    clock,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  // The administrator of the options is the accounts' fixed one; HTTP authentication reads the accounts at every request.
  const accounts = installAccounts(state, { user: options.user ?? "root", password: options.password ?? "pass" });
  composeServices(state, SERVICES);
  installProfile(state, profile);
  servesTls(state, tls !== undefined);
  for (const service of SERVICES) state.topics.registering(service.name, () => service.attach?.(state));
  hideTopicsOfUnservedServices(state, SERVICES);
  const saved = options.stateDir === undefined ? undefined : openSavedState(options.stateDir, state);
  if (saved?.restorable === true) saved.restore();
  else {
    for (const service of SERVICES) service.installDefaults?.(state);
    if (options.populate !== undefined) for (const service of SERVICES) service.populate?.(state, options.populate);
    saved?.track();
  }

  // Every service runs inside; the device answers only what its profile serves (--services, --capability).
  const dispatcher = new Dispatcher(state, deviceOperations(state, allOperations()), DESCRIPTORS);
  const jsonPaths = new Set(Object.entries(JSON_PATHS).flatMap(([prefix, path]) => (profile.served.has(prefix as ServicePrefix) ? [path] : [])));
  const auth = new DigestAuthenticator({
    accounts,
    realm: options.realm ?? `AXIS_${state.identity.mac}`,
    ...(options.nonceTtlMs === undefined ? {} : { nonceTtlMs: options.nonceTtlMs }),
    ...(options.digestAlgorithms === undefined ? {} : { algorithms: options.digestAlgorithms }),
  });
  const backdoor = options.backdoor === true;
  const cgis = new Map(SERVICES.flatMap((s) => s.cgis ?? []).map((c) => [c.path, c]));
  const network = peerNetwork(state);
  const peers = (verb: string, signature: string | undefined, body: string): ReturnType<typeof network.handle> => network.handle(verb, signature, body);
  const handler = createRequestHandler({ auth, dispatcher, maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024, backdoor, cgis, openToViewers: VIEWER_PATHS, jsonPaths, peers, ...(saved === undefined ? {} : { commit: () => saved.commit() }) });
  const server = createServer({ keepAliveTimeout: 30_000 }, handler);
  const port = await listen(server, options.port ?? 0, host).catch((err: unknown) => {
    // The state directory's lock must not outlive a start that failed.
    saved?.close();
    throw err;
  });
  const url = `http://${hostForUrl(host)}:${port}`;
  // HTTPS beside HTTP, as deployed controllers serve it: the same handler, so the same device.
  const secure = tls === undefined ? undefined : createHttpsServer(tls, handler);
  let httpsUrl: string | undefined;
  if (secure !== undefined) {
    try {
      httpsUrl = `https://${hostForUrl(host)}:${await listen(secure, options.tls?.port ?? 0, host)}`;
    } catch (err) {
      clock.stop();
      saved?.close();
      server.close();
      server.closeAllConnections();
      throw err;
    }
  }
  network.start({
    url,
    secret: options.peerSecret ?? randomBytes(32).toString("hex"),
    directory: options.peerDirectory ?? [],
    heartbeatMs: options.peerHeartbeatMs ?? 1000,
    callTimeoutMs: 2000,
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    ...(httpsUrl === undefined || tls === undefined ? {} : { httpsUrl, tlsCertificate: tls.cert }),
    host,
    port,
    quirks: quirks.list(),
    identity: state.identity,
    clockKind: clock.kind,
    backdoor,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clock.stop();
        network.stop();
        let open = secure === undefined ? 1 : 2;
        const closed = (): void => {
          if (--open > 0) return;
          saved?.close();
          resolve();
        };
        server.close(closed);
        server.closeAllConnections();
        secure?.close(closed);
        secure?.closeAllConnections();
      });
      return closing;
    },
    stimulate(stimulus) {
      const r = handleBackdoor(state, "POST", "/backdoor/stimulus", JSON.stringify(stimulus));
      saved?.commit();
      if (r.status !== 200) throw new DeviceConfigError(String(r.body["Error"]));
      return r.body["Result"] as Record<string, unknown>;
    },
    async invoke(prefix, operation, input) {
      const path = JSON_PATHS[prefix];
      if (path === undefined) throw new DeviceConfigError(`${prefix} has no VAPIX JSON endpoint`);
      const r = await dispatcher.handleJson(JSON.stringify({ [`${prefix}:${operation}`]: input }), { path, host: `${hostForUrl(host)}:${port}`, signal: new AbortController().signal });
      saved?.commit();
      const body = JSON.parse(r.body) as Record<string, unknown>;
      if (r.status !== 200) throw new DeviceConfigError(`${prefix}:${operation} failed (HTTP ${r.status}): ${JSON.stringify(body)}`);
      return body;
    },
    setPeerDirectory(urls) {
      network.setDirectory(urls);
      void network.beat();
    },
    advanceClock(ms) {
      if (!(clock instanceof VirtualClock)) throw new DeviceConfigError("the device clock follows real time; start the device with clock: \"virtual\"");
      clock.advance(ms);
    },
    snapshot() {
      const entities: Record<string, { items: unknown[]; info?: unknown[] }> = {};
      for (const store of [...state.allStores()].sort((a, b) => (a.decl.name < b.decl.name ? -1 : 1))) {
        const tokens = store.tokens();
        const entry: { items: unknown[]; info?: unknown[] } = { items: tokens.map((t) => canonical(store.read(t, "full"))) };
        if (store.decl.info !== undefined) entry.info = tokens.map((t) => canonical(store.read(t, "info")));
        entities[store.decl.name] = entry;
      }
      const runtime: Record<string, unknown> = {};
      for (const service of SERVICES) if (service.snapshot !== undefined) runtime[service.name] = canonical(service.snapshot(state));
      return { entities, runtime };
    },
  };
}
