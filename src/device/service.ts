/**
 * One service of the reference door controller (AccessControl, DoorControl, …). Each lives in its
 * own folder with the same parts (shapes.ts, declarations.ts, operations.ts, the service's
 * behaviour, defaults, quirks) and exports one of these; server.ts composes them all.
 */
import type { EntityDecl } from "./entity.js";
import type { OperationDef, ServicePrefix } from "./operation.js";
import type { QuirkInfo } from "./quirks.js";
import type { DeviceState } from "./state.js";

/** Deterministic extra items for tests and benchmarks (`--populate-credentials`, `populate`). */
export interface PopulateOptions {
  readonly credentials?: number;
  readonly accessPoints?: number;
  readonly accessProfiles?: number;
  readonly areas?: number;
  readonly users?: number;
  readonly schedules?: number;
  readonly doors?: number;
  readonly idPoints?: number;
}

/** A plain HTTP request to a VAPIX CGI (`/axis-cgi/…`), after authentication. */
export interface CgiRequest {
  readonly method: string;
  /** The query string's parameters. */
  readonly query: URLSearchParams;
  readonly body: string;
  /** The Content-Type header ("" when absent). */
  readonly contentType: string;
  /** The Host header as sent. */
  readonly host: string;
}

/** A CGI's arguments: the query string's, then those of a form-encoded POST body (VAPIX CGIs take either). */
export function cgiArguments(request: CgiRequest): URLSearchParams {
  const args = new URLSearchParams(request.query);
  if (request.method === "POST" && request.body.trim() !== "") for (const [k, v] of new URLSearchParams(request.body.trim())) args.append(k, v);
  return args;
}

export interface CgiResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A VAPIX CGI a service answers, e.g. `/axis-cgi/param.cgi`. */
export interface CgiEndpoint {
  readonly path: string;
  /** Methods it answers; others get 405. */
  readonly methods: readonly ("GET" | "POST")[];
  handle(request: CgiRequest, state: DeviceState): CgiResponse;
}

const COMPOSITION = "device.services";

/** Records which services make up the device (server.ts, before any service attaches). */
export function composeServices(state: DeviceState, services: readonly DeviceService[]): void {
  state.runtime(COMPOSITION, () => services);
}

/** The services the device is made of (for GetServices and apidiscovery: what it serves). */
export function composedServices(state: DeviceState): readonly DeviceService[] {
  return state.runtime<readonly DeviceService[]>(COMPOSITION, () => []);
}

export interface DeviceService {
  /** Service name as documented, e.g. "DoorControl". */
  readonly name: string;
  /** The namespace prefixes whose operations this service answers. */
  readonly prefixes: readonly ServicePrefix[];
  /** Entity types: their stores and generic Get/List/Set/Remove operations. */
  readonly entities: readonly EntityDecl[];
  /** The rules this service's quirks break (names unique across services, never renamed). */
  readonly quirks: readonly QuirkInfo[];
  /** Every operation: the entities' generic ones plus the service's own. */
  operations(): OperationDef[];
  /**
   * Wires the service into the device once its stores exist: registers stimuli and world views,
   * starts clock-driven behaviour. Runs for every service before any defaults are installed.
   */
  attach?(state: DeviceState): void;
  /** Factory-default data; services install in registry order (services.ts). */
  installDefaults?(state: DeviceState): void;
  populate?(state: DeviceState, options: PopulateOptions): void;
  /** VAPIX CGIs the service answers besides its SOAP/JSON operations (identity, discovery). */
  readonly cgis?: readonly CgiEndpoint[];
  /**
   * Brings the service's runtime up to date after its stores were changed from outside its own
   * operations (a change a peer of the network replicated), e.g. door runtimes and I/O assignments.
   */
  resync?(state: DeviceState): void;
  /** Runtime state worth comparing before and after a conformance run (e.g. door modes), JSON-serialisable. */
  snapshot?(state: DeviceState): unknown;
  /**
   * Configuration the service keeps outside its entity stores (the event logger's filters, the
   * time zone, a provider's configuration): what `--state` saves and gives back at start.
   */
  readonly settings?: ServiceSettings;
  /** Logs the service keeps row by row (the event logger's event and alarm logs), by a name unique on the device: what `--state` saves and gives back. */
  logs?(state: DeviceState): Readonly<Record<string, KeptLog>>;
}

/** What a kept log tells its observer: a row added (its rowid and a JSON-serialisable value), or one dropped (oldest out, or removed). */
export interface LogObserver {
  added(rowid: number, value: unknown): void;
  dropped(rowid: number): void;
}

/** A log as `--state` keeps it: rows by rowid, the next rowid to give, every change observed. */
export interface KeptLog {
  /** The rowid the next row will get (rowids are never reused, even after the newest row is removed). */
  readonly nextRowid: number;
  /** Every row, in rowid order. */
  rows(): Iterable<{ readonly rowid: number; readonly value: unknown }>;
  /** Replaces the log with saved rows (rowid order) and the next rowid to give; throws on rows it cannot hold (the file is damaged). */
  load(rows: readonly { readonly rowid: number; readonly value: unknown }[], nextRowid: number): void;
  /** Tells `observer` of every change from now on; returns the unsubscribe. */
  observe(observer: LogObserver): () => void;
}

/** Saved settings read back as an object; throws naming `what` when they are something else. */
export function savedObject(saved: unknown, what: string): Readonly<Record<string, unknown>> {
  if (saved === null || typeof saved !== "object" || Array.isArray(saved)) throw new Error(`${what} is ${JSON.stringify(saved)}, not an object`);
  return saved as Readonly<Record<string, unknown>>;
}

/** A service's configuration outside its stores, as `--state` keeps it (persistence.ts). */
export interface ServiceSettings {
  /** The configuration now, JSON-serialisable; saved whenever its JSON changes. */
  save(state: DeviceState): unknown;
  /**
   * Puts saved configuration back, before the services' resync and without announcing anything
   * (nothing changed). Throws on a value it cannot read (the file is damaged).
   */
  restore(state: DeviceState, saved: unknown): void;
}
