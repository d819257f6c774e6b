/**
 * The conformance suite's model: check declarations, the context a check runs in, the verdicts,
 * and the one `RunReport` every reporter renders. Checks and reporters depend on this file only.
 */
import type { CallOptions, Exchange, HttpResponse, WsAddressing } from "../../src/runtime/binding.js";
import type { BaselineComparison, Expectation } from "./gate.js";
import type { ShardInfo, ShardSpec } from "./shard.js";

export type Protocol = "soap" | "json";

/** Where a check ran: one protocol, or "both" for checks that compare the two. */
export type CheckTransport = Protocol | "both";

/**
 * A check's verdict. "expected-fail" and "unexpectedly-passed" come only from an --expect list of
 * known deviations: a listed check that failed (or errored), and one that passed after all.
 * "flaky": failed or errored, then passed when --retries ran it again (never reported passed).
 */
export type CheckStatus = "passed" | "failed" | "warned" | "skipped" | "errored" | "expected-fail" | "unexpectedly-passed" | "flaky";

export const CHECK_STATUSES: readonly CheckStatus[] = ["passed", "failed", "warned", "skipped", "errored", "expected-fail", "unexpectedly-passed", "flaky"];

/** A request sent as raw bytes, bypassing the typed encoder (malformed input, hand-built bodies). */
export interface RawRequest {
  /** Device path; default: the protocol's endpoint ("/vapix/services" for SOAP, "/vapix/pacs" for JSON). */
  readonly path?: string;
  readonly contentType: string;
  readonly body: string;
  /** Operation name for traces and reports, e.g. "pacsaxis:GetAccessPoint". */
  readonly operation?: string;
  /** Send as this account instead of the run's (--user/--password), e.g. one a check created; default the run's. */
  readonly credentials?: { readonly user: string; readonly password: string };
}

/**
 * One protocol's connection to the device under test. The default implementation
 * (harness/connect.ts) wraps the generated clients; tests may supply their own.
 */
export interface DeviceConnection {
  readonly protocol: Protocol;
  readonly baseUrl: string;
  /** True when the operation (`"<prefix>:<Name>"`) exists in the generated clients. */
  hasOperation(op: string): boolean;
  /** Calls `"<prefix>:<Name>"` with the typed input; rejects with the runtime's typed errors. */
  call(op: string, input: unknown, options?: CallOptions): Promise<unknown>;
  /** Sends a hand-built body through the same authenticated HTTP layer. */
  sendRaw(request: RawRequest, options?: CallOptions): Promise<HttpResponse>;
  /** GET through the same layer (the back door's discovery); absent on connections that cannot. */
  getRaw?(path: string, options?: CallOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  readonly protocol: Protocol;
  /** Per-call timeout in ms. */
  readonly timeoutMs: number;
  /** https:// only: the PEM certificate(s) to trust (--ca); default the system CAs. */
  readonly ca?: string;
  /** https:// only: skip certificate verification (--insecure). */
  readonly insecure?: boolean;
}

export type Connector = (options: ConnectOptions) => Promise<DeviceConnection>;

/** A feature's discovered (or declared) state: the ONVIF Device Test Tool's three. */
export type FeatureState = "supported" | "not-supported" | "undefined";

export const FEATURE_STATES: readonly FeatureState[] = ["supported", "not-supported", "undefined"];

/**
 * What a feature is: a service (one namespace prefix: "service:tac"), a capability flag or value
 * ("capability:tac.SetAccessPoint", "capability:tac.MaxLimit"), an operation a capability flag
 * speaks for ("operation:pacsaxis:SetAccessPoint"), an event topic the device advertises
 * ("topic:tns1:AccessControl/AccessGranted/Card"), an apidiscovery.cgi API ("api:basic-device-info")
 * or a capability some door has ("door:Access").
 */
export type FeatureKind = "service" | "capability" | "operation" | "topic" | "api" | "door";

/** One feature of the device and why it has its state. */
export interface Feature {
  readonly id: string;
  readonly kind: FeatureKind;
  readonly state: FeatureState;
  /** The value the device reported, when it is more than yes/no (MaxLimit 100; a flag's text). */
  readonly value?: string | number | boolean;
  /** What decided the state, one line: the answer seen and where. */
  readonly evidence: string;
  /**
   * What the device itself says, where that is not what decided `state`: GetServices' listing for
   * a service (absent when GetServices did not answer), the capability flag for an operation.
   * The consistency checks compare the two.
   */
  readonly advertised?: FeatureState;
  /** The exchange that decided it (services and capabilities), redacted. */
  readonly exchange?: ExchangeExcerpt;
  /** With --features: the state discovery found, when the declaration gave another (then `state` is the declared one). */
  readonly discovered?: FeatureState;
}

/** A declared feature (--features) whose discovered state differs. */
export interface FeatureDifference {
  readonly id: string;
  readonly declared: FeatureState;
  readonly discovered: FeatureState;
  readonly evidence: string;
}

/** The feature list of a run: what `features.json` holds and the checks' requirements are judged against. */
export interface FeatureList {
  /** Sorted by id. */
  readonly features: readonly Feature[];
  /** The --features file the states were taken from; absent when every state was discovered. */
  readonly declaredFrom?: string;
  /** Declared states discovery contradicts (only with --features). */
  readonly differences: readonly FeatureDifference[];
  /** Wrong answers discovery met and read leniently (a capability that is not schema-valid, …); the consistency checks judge them. */
  readonly problems: readonly string[];
}

/** The feature list as checks read it. */
export interface FeatureView {
  readonly list: FeatureList;
  /** The feature, when discovery (or the declaration) knows it. */
  get(id: string): Feature | undefined;
  /** Its state; "undefined" for a feature nobody knows. */
  state(id: string): FeatureState;
  /** The exchanges discovery had for a feature (full, for a check's evidence). */
  exchange(id: string): Exchange | undefined;
}

/** One service's line in the summary: whether the device serves it, and how its checks went. */
export interface ServiceVerdict {
  /** As the checks name it: "AccessControl", "DoorControl", … */
  readonly service: string;
  /** The state of its namespaces: "partial" when some are served and some not. */
  readonly support: FeatureState | "partial";
  /** Counts by outcome; `other` is errored, flaky, unexpectedly-passed. */
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly other: number;
  /**
   * "conformant": served, every run check passed (or warned, or expected-fail);
   * "deviations": some failed or errored; "not-supported": not served, its checks skipped;
   * "not-run": no check of it ran.
   */
  readonly verdict: "conformant" | "deviations" | "not-supported" | "not-run";
}

/** Service-level facts the checks need, read once by the preflight call. */
export interface DeviceFacts {
  /** tac:ServiceCapabilities MaxLimit; undefined when the device did not report one. */
  readonly maxLimit: number | undefined;
  /** The raw GetServiceCapabilities response. */
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/**
 * One stimulus of the physical world, as the reference device's back door names it (README,
 * "The back door"): {"Stimulus": "OpenDoor", "Door": "<token>"}, {"Stimulus": "PresentCard",
 * "IdPoint": "<token>", "Card": "12345678"}, …
 */
export type Stimulus = { readonly Stimulus: string } & Readonly<Record<string, unknown>>;

/** How checks act on the physical world: the device's test back door, an operator, or not at all. */
export interface PhysicalAccess {
  /** "backdoor": the device serves /backdoor; "operator": a person answers prompts (--interactive); "none". */
  readonly via: "backdoor" | "operator" | "none";
  /** The device clock as the back door reports it ("unknown" without a back door). */
  readonly clock: "virtual" | "system" | "unknown";
  /** Applies a stimulus (the back door answers with its result); an operator is asked and must confirm. */
  stimulate(stimulus: Stimulus): Promise<Record<string, unknown>>;
  /**
   * Lets `ms` of device time pass: a virtual clock is advanced at once, otherwise this waits in
   * real time (checks keep such waits short).
   */
  elapse(ms: number): Promise<void>;
}

/**
 * Which existing hardware of one kind a run may act on: doors (door commands move real doors,
 * --door) or I/Os (assigning one rewires lock outputs and reader lines, --io).
 */
export interface HardwarePolicy {
  /** True for the embedded reference device: all of it is the suite's to use. */
  readonly all: boolean;
  /** Named with the flag (--door TOKEN, --io NAME). */
  readonly named: readonly string[];
  /** All of it, one named with the flag, or one this run created (its token carries the run's prefix). */
  allows(token: string): boolean;
}

/** Seeded pseudo-random numbers (reproducible with `--seed`). */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
}

/** A short, redacted request/response pair kept as evidence for a verdict. */
export interface ExchangeExcerpt {
  readonly operation?: string;
  readonly request: { readonly method: string; readonly url: string; readonly body: string };
  readonly response?: { readonly status: number; readonly body: string };
  readonly error?: string;
}

/** Calls an operation during cleanup (own budget, not the check's deadline). */
export type CleanupCaller = (op: string, input: unknown, via?: Protocol, options?: CheckCallOptions) => Promise<unknown>;

/** Per-call options a check may set (the check's deadline and trace still apply). */
export interface CheckCallOptions {
  /** This call's timeout, e.g. longer than a PullMessages Timeout (default: the run's --timeout). */
  readonly timeoutMs?: number;
  /** Send as a WS-Addressing message to an endpoint the device handed out (see CallOptions.wsAddressing). */
  readonly wsAddressing?: WsAddressing;
  /** SOAP only: extra namespace declarations on the Envelope (see CallOptions.namespaces). */
  readonly namespaces?: Readonly<Record<string, string>>;
}

/**
 * Another door controller of the device's network, as the run reaches it (--peer URL, or the
 * embedded site of --site N): the network checks read and act through it.
 */
export interface PeerController {
  readonly url: string;
  /** Calls an operation on this peer (recorded with the check's exchanges). */
  call<T = Record<string, unknown>>(op: string, input: unknown, via?: Protocol): Promise<T>;
  /** Its back door (stimuli such as TakeOffline), when it serves one. */
  readonly physical: PhysicalAccess;
}

/** What a check gets to talk to the device and to declare its verdict. */
export interface CheckContext {
  /** The protocol this run of the check uses (for "both" checks: the first selected). */
  readonly protocol: Protocol;
  /** Protocols available to this check (both, for "both" checks). */
  readonly protocols: readonly Protocol[];
  readonly checkId: string;
  readonly runId: string;
  /** Every token this run creates starts with this (`pcx-<runid>-`). */
  readonly tokenPrefix: string;
  readonly seed: number;
  /** Seeded from (seed, check id, protocol): the same seed gives the same values. */
  readonly rng: Rng;
  readonly facts: DeviceFacts;
  /** What the device serves (discovered before any check, or declared with --features). */
  readonly features: FeatureView;
  /** Acting on the physical world (see requirePhysical). */
  readonly physical: PhysicalAccess;
  /** Which doors this run may command (see requireDoor). */
  readonly doors: HardwarePolicy;
  /** Which I/Os this run may assign and unassign. */
  readonly ios: HardwarePolicy;
  /**
   * The device is the run's own (the embedded reference device): settings that act beyond the
   * run's own data (e.g. event distribution across a network) may be changed and restored.
   */
  readonly ownsDevice: boolean;
  /** How long to wait for an expected event before the check fails (--event-wait). */
  readonly eventWaitMs: number;
  /** The other controllers of the device's network the run was given (--peer, --site); empty for a lone device. */
  readonly peers: readonly PeerController[];
  /** Network membership may be changed (peers removed and added again): --allow-network-changes. */
  readonly allowNetworkChanges: boolean;
  /** Aborted when the check's deadline passes or the run is interrupted. */
  readonly signal: AbortSignal;
  /** Exchanges captured during this check so far. */
  readonly exchanges: readonly Exchange[];

  /** Calls an operation (`"pacsaxis:GetAccessPointList"`) over `via` (default: `protocol`). */
  call<T = Record<string, unknown>>(op: string, input: unknown, via?: Protocol, options?: CheckCallOptions): Promise<T>;
  hasOperation(op: string, via?: Protocol): boolean;
  sendRaw(request: RawRequest, via?: Protocol): Promise<HttpResponse>;

  /** A fresh token with the run prefix, e.g. `pcx-k3x9-area-4`. */
  newToken(label: string): string;
  /**
   * Registers an undo action; runs after the check (also when it fails or times out), last
   * registered first. It gets its own caller: the check's signal may already be aborted.
   */
  onCleanup(label: string, undo: (call: CleanupCaller) => Promise<void>): void;
  /**
   * A value shared by several checks (e.g. a paging data set), created on first use and torn down
   * after the last planned check that declares the key in `uses`. Cleanups registered inside
   * `setup` belong to the fixture.
   */
  fixture<T>(key: string, setup: (ctx: CheckContext) => Promise<T>): Promise<T>;

  /** Records a warning (the check ends "warned" unless it fails). */
  warn(message: string, evidence?: Exchange): void;
  /** Ends the check as failed: the rule was broken. Say what was seen vs expected. */
  fail(message: string, evidence?: Exchange): never;
  /** Ends the check as skipped, with the reason. */
  skip(reason: string): never;
  /**
   * Skips the check unless stimuli can be applied (back door or --interactive), naming `what` it
   * needs and how to enable it.
   */
  requirePhysical(what: string): void;
  /** Skips the check unless `token` is a door this run may command, naming the flag that allows it. */
  requireDoor(token: string): void;
  /** Skips the check unless the run has at least `count` peers, naming --site and --peer. */
  requirePeers(count: number, what: string): void;
  /** Skips the check when the feature is not-supported, naming it and the evidence; an undefined feature runs and is noted in the result. */
  requireFeature(id: string, what: string): void;
}

export interface CheckDefinition {
  /** Stable id; never changes once published, e.g. `pacsaxis.paging.credential-info-list.limit-one`. */
  readonly id: string;
  readonly title: string;
  /** Service name, e.g. "AccessControl". */
  readonly service: string;
  /** The documented rule, one sentence. */
  readonly rule: string;
  /** Doc sections (`access-control-service.md#…`) and ONVIF test case ids. */
  readonly specRefs: readonly string[];
  /** The reference-device quirk that breaks this check (metadata; the suite never imports the device). */
  readonly quirk: string;
  /** Protocols it runs on (once each), or "both": once, comparing the two. */
  readonly transports: readonly Protocol[] | "both";
  /** Fixture keys this check shares; the runner tears a fixture down after its last user. */
  readonly uses?: readonly string[];
  /** Verdict semantics worth knowing (e.g. when it warns instead of failing). */
  readonly notes?: string;
  /**
   * Features the check needs (ids as in `Feature`): a not-supported one skips it before it runs.
   * Default: the service of the id's first segment ("pacsaxis.…" needs "service:pacsaxis"). Besides,
   * a call to an operation of a service (or behind a capability flag) the device does not support
   * skips the check when made.
   */
  readonly requires?: readonly string[];
  /**
   * The check judges the features themselves (advertised vs actual): the harness neither skips it
   * for a missing feature nor its calls to one.
   */
  readonly judgesFeatures?: boolean;
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly service: string;
  readonly transport: CheckTransport;
  readonly status: CheckStatus;
  readonly durationMs: number;
  readonly message: string;
  readonly specRefs: readonly string[];
  readonly rule: string;
  readonly quirk: string;
  /** The exchanges that show the verdict (the offending request/response), most relevant first. */
  readonly evidence: readonly ExchangeExcerpt[];
  /** Warnings recorded along the way (also for failed checks). */
  readonly warnings: readonly string[];
  /** Features it needed whose state discovery left undefined (it ran anyway). */
  readonly undefinedFeatures?: readonly string[];
}

export type RunSummary = Record<CheckStatus, number>;

export interface RunReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** `insecure`: TLS verification was off (--insecure); present only then. */
  readonly device: { readonly url: string; readonly peers?: readonly string[]; readonly insecure?: boolean };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: RunSummary;
  readonly checks: readonly CheckResult[];
  readonly seed: number;
  readonly runId: string;
  readonly transports: readonly Protocol[];
  /** True when the run was stopped (SIGINT) before every planned check ran. */
  readonly interrupted: boolean;
  /** The comparison with an earlier run (--baseline). */
  readonly baseline?: BaselineComparison;
  /** Which shard of the selection this run was (--shard i/n); index 0 with `merged` for a merged report. */
  readonly shard?: ShardInfo & { readonly merged?: number };
  /** What the device serves, as discovery found it (or --features declared it); also written as features.json. */
  readonly features?: FeatureList;
  /** Per service: served or not, and how its checks went. */
  readonly services?: readonly ServiceVerdict[];
}

/** One planned (check, transport) pair, in run order. */
export interface PlannedCheck {
  readonly check: CheckDefinition;
  readonly transport: CheckTransport;
}

export interface RunBeginInfo {
  readonly tool: { readonly name: string; readonly version: string };
  readonly deviceUrl: string;
  readonly startedAt: string;
  readonly seed: number;
  readonly runId: string;
  readonly transports: readonly Protocol[];
  readonly plan: readonly PlannedCheck[];
  /** TLS verification is off (--insecure); absent otherwise. */
  readonly insecure?: boolean;
  /** The feature list discovery produced, before any check ran. */
  readonly features?: FeatureList;
}

/**
 * Renders a run. Hook order: `onBegin` once (after the preflight succeeded), then
 * `onCaseBegin`/`onCaseEnd` for each planned check in plan order, then `onEnd` once with the
 * final report (also after an interruption). A failing reporter never stops the run.
 */
export interface Reporter {
  onBegin?(info: RunBeginInfo): void | Promise<void>;
  onCaseBegin?(planned: PlannedCheck): void | Promise<void>;
  onCaseEnd?(result: CheckResult): void | Promise<void>;
  onEnd?(report: RunReport): void | Promise<void>;
}

export interface RunOptions {
  /** Device base URL, e.g. "http://127.0.0.1:8080/". */
  readonly deviceUrl: string;
  /** Default "root". */
  readonly user?: string;
  /** Default "pass". */
  readonly password?: string;
  /** Default ["soap", "json"]. */
  readonly transports?: readonly Protocol[];
  /** Case-insensitive substring of id or title; default: every check. */
  readonly grep?: string;
  /** Exact check ids to run (combined with grep); default: every check. */
  readonly ids?: readonly string[];
  /** Per-call timeout in ms (default 10000). */
  readonly timeoutMs?: number;
  /** https:// devices: the PEM certificate(s) to trust, e.g. the device's self-signed one (--ca); default the system CAs. */
  readonly ca?: string;
  /** https:// devices: skip certificate verification (--insecure); the report says so. Default false. */
  readonly insecure?: boolean;
  /** How long an event check waits for an expected event before failing (default 5000, --event-wait). */
  readonly eventWaitMs?: number;
  /** Deadline per check in ms (default: max(30000, 6 × timeoutMs)). */
  readonly checkTimeoutMs?: number;
  /** Seed for random choices (default: derived from the clock; always reported). */
  readonly seed?: number;
  readonly reporters?: readonly Reporter[];
  /** Aborting stops the run after cleanup; the report has `interrupted: true`. */
  readonly signal?: AbortSignal;
  /** The checks to choose from (default: the built-in registry). */
  readonly checks?: readonly CheckDefinition[];
  /** How to connect (default: generated clients over src/transport). */
  readonly connector?: Connector;
  /** Turns the before/after data snapshot off (unit tests with fake devices). Default true. */
  readonly preserveData?: boolean;
  /** Doors door-command checks may use, besides the ones the run creates (--door). Default none. */
  readonly doors?: readonly string[];
  /** Free I/Os the I/O assignment checks may assign and unassign again (--io). Default none. */
  readonly ios?: readonly string[];
  /** The device is the suite's own (the embedded reference device): every door and I/O may be used. Default false. */
  readonly ownsDevice?: boolean;
  /**
   * Asks an operator to apply stimuli the device has no back door for (--interactive): resolves
   * true once done, false to decline. Default: none, such checks are skipped.
   */
  readonly operator?: (instruction: string) => Promise<boolean>;
  /** Base URLs of other controllers in the device's network (same credentials); the network checks need them. Default none. */
  readonly peers?: readonly string[];
  /** Let network checks remove a peer from the network and add it again (--allow-network-changes). Default false. */
  readonly allowNetworkChanges?: boolean;
  /** Known deviations (--expect): their failures are reported expected-fail, their passes unexpectedly-passed. */
  readonly expectations?: readonly Expectation[];
  /** Runs a failed or errored check again up to this many times; one that then passes is "flaky" (--retries). Default 0. */
  readonly retries?: number;
  /** Run only this shard of the selected checks (--shard i/n), balanced by `shardWeights`. */
  readonly shard?: ShardSpec;
  /** Check id → recorded duration, to balance shards (from the --baseline results.json); default: every check weighs the same. */
  readonly shardWeights?: ReadonlyMap<string, number>;
  /**
   * A vendor's feature declaration (--features FILE, read): its states decide what runs instead of
   * the discovered ones; discovery still runs and differences are reported.
   */
  readonly declaredFeatures?: { readonly file: string; readonly features: ReadonlyMap<string, FeatureState> };
  /** An earlier run's results.json, read (--baseline): the report compares with it. */
  readonly baseline?: { readonly file: string; readonly statuses: ReadonlyMap<string, string> };
}

export type { CallOptions, Exchange, HttpResponse };
