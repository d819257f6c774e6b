/**
 * The runner: preflight, data snapshot, each planned check under its own deadline with cleanup
 * in a finally, fixture teardown after the last user, a sweep for leftovers, and the
 * `harness.data-preserved` verdict. Checks run one at a time: they share the device's state.
 */
import type {
  CheckCallOptions,
  CheckContext,
  CleanupCaller,
  HardwarePolicy,
  PhysicalAccess,
  CheckDefinition,
  CheckResult,
  CheckStatus,
  CheckTransport,
  DeviceConnection,
  DeviceFacts,
  Exchange,
  ExchangeExcerpt,
  PlannedCheck,
  Protocol,
  Reporter,
  RunBeginInfo,
  RunOptions,
  RunReport,
} from "./types.js";
import type { EntityDeclaration } from "./entity.js";
import { tokenOf } from "./entity.js";
import { CheckDeadlineError, CheckFailedError, CheckSkippedError, PreflightError, RunInterruptedError, UsageError, errorCode, errorMessage } from "./verdict.js";
import { defaultSeed, rngFor } from "./rng.js";
import { selectChecks } from "./select.js";
import { describeDifference, diffSnapshots, isOwnItem, restoreSnapshot, snapshotEntities, takeSnapshot, type DataSnapshot } from "./snapshot.js";
import { removeItems } from "./items.js";
import { walkList } from "./walk.js";
import { excerptExchange } from "./evidence.js";
import { discoverPhysical, noPhysicalAccess } from "./physical.js";
import { applyExpectations, compareWithBaseline, summarize, type Expectation } from "./gate.js";
import { shardChecks, suiteFingerprint, type ShardInfo } from "./shard.js";
import { discoverFeatures, withUnadvertisedTopics } from "./discovery.js";
import { applyDeclaration, describeMissing, featureView, missingFeatureOf, requirementsOf, serviceFeature, serviceVerdicts } from "./features.js";

export const TOOL_NAME = "pacs-conformance";

export const DATA_PRESERVED_ID = "harness.data-preserved";

/** The harness's own check: the device's data is the same after the run as before. */
export const dataPreservedCheck: CheckDefinition = {
  id: DATA_PRESERVED_ID,
  title: "The run leaves the device's data as it found it",
  service: "Harness",
  rule: "Every item the suite creates is removed and every change is undone: full walks of every list before and after the run are equal.",
  specRefs: ["intro.md#set-requests"],
  quirk: "remove-noop",
  transports: ["soap", "json"],
  notes: "Always runs (not affected by --grep). A difference is reported as errored, and the harness tries to restore the data.",
  run: async () => {
    // Judged by the runner from the before/after snapshots.
  },
};

export interface RunnerConfig {
  readonly deviceUrl: string;
  readonly user: string;
  readonly password: string;
  readonly transports: readonly Protocol[];
  readonly timeoutMs: number;
  /** https:// only: the PEM to trust (--ca) and whether verification is off (--insecure). */
  readonly ca: string | undefined;
  readonly insecure: boolean;
  readonly checkTimeoutMs: number;
  readonly eventWaitMs: number;
  readonly seed: number;
  readonly reporters: readonly Reporter[];
  readonly signal: AbortSignal | undefined;
  readonly checks: readonly CheckDefinition[];
  readonly entities: readonly EntityDeclaration[];
  readonly connector: NonNullable<RunOptions["connector"]>;
  readonly preserveData: boolean;
  readonly grep: string | undefined;
  readonly ids: readonly string[] | undefined;
  readonly toolVersion: string;
  readonly doors: readonly string[];
  readonly ios: readonly string[];
  readonly ownsDevice: boolean;
  readonly operator: RunOptions["operator"];
  readonly peers: readonly string[];
  readonly allowNetworkChanges: boolean;
  readonly expectations: readonly Expectation[];
  readonly baseline: RunOptions["baseline"];
  readonly declaredFeatures: RunOptions["declaredFeatures"];
  readonly shard: RunOptions["shard"];
  readonly retries: number;
  readonly shardWeights: ReadonlyMap<string, number>;
}

/** Validates library options; throws UsageError naming the option. */
export function resolveConfig(
  options: RunOptions,
  defaults: { checks: readonly CheckDefinition[]; entities: readonly EntityDeclaration[]; connector: NonNullable<RunOptions["connector"]>; toolVersion: string },
  entities?: readonly EntityDeclaration[],
): RunnerConfig {
  let url: URL;
  try {
    url = new URL(options.deviceUrl);
  } catch {
    throw new UsageError(`deviceUrl "${options.deviceUrl}" is not a URL; use for example http://192.168.0.90/`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`deviceUrl "${options.deviceUrl}" must start with http:// or https://`);
  }
  const transports = options.transports ?? ["soap", "json"];
  if (transports.length === 0 || transports.some((t) => t !== "soap" && t !== "json")) {
    throw new UsageError(`transports must be "soap", "json" or both, got ${JSON.stringify(transports)}`);
  }
  const timeoutMs = options.timeoutMs ?? 10000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  const checkTimeoutMs = options.checkTimeoutMs ?? Math.max(30000, 6 * timeoutMs);
  if (!Number.isFinite(checkTimeoutMs) || checkTimeoutMs <= 0) throw new UsageError(`checkTimeoutMs must be a positive number of milliseconds, got ${checkTimeoutMs}`);
  const eventWaitMs = options.eventWaitMs ?? 5000;
  if (!Number.isFinite(eventWaitMs) || eventWaitMs <= 0) throw new UsageError(`eventWaitMs must be a positive number of milliseconds, got ${eventWaitMs}`);
  const peers = (options.peers ?? []).map((p) => {
    try {
      const u = new URL(p);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
      return u.href;
    } catch {
      throw new UsageError(`peer "${p}" is not an http(s) URL; use for example --peer http://192.168.0.91/`);
    }
  });
  if (peers.includes(url.href)) throw new UsageError(`peer ${url.href} is the device under test itself; --peer names the other controllers of its network`);
  const retries = options.retries ?? 0;
  if (!Number.isSafeInteger(retries) || retries < 0 || retries > 10) throw new UsageError(`retries must be a whole number from 0 to 10, got ${retries}`);
  const seed = options.seed ?? defaultSeed();
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`seed must be a non-negative integer, got ${seed}`);
  return {
    deviceUrl: url.href,
    user: options.user ?? "root",
    password: options.password ?? "pass",
    transports: [...new Set(transports)],
    timeoutMs,
    ca: options.ca,
    insecure: options.insecure ?? false,
    checkTimeoutMs,
    eventWaitMs,
    seed,
    reporters: options.reporters ?? [],
    signal: options.signal,
    checks: options.checks ?? defaults.checks,
    entities: entities ?? defaults.entities,
    connector: options.connector ?? defaults.connector,
    preserveData: options.preserveData ?? true,
    grep: options.grep,
    ids: options.ids,
    toolVersion: defaults.toolVersion,
    doors: [...new Set(options.doors ?? [])],
    ios: [...new Set(options.ios ?? [])],
    ownsDevice: options.ownsDevice ?? false,
    operator: options.operator,
    peers: [...new Set(peers)],
    allowNetworkChanges: options.allowNetworkChanges ?? false,
    expectations: options.expectations ?? [],
    baseline: options.baseline,
    declaredFeatures: options.declaredFeatures,
    shard: options.shard,
    retries: options.retries ?? 0,
    shardWeights: options.shardWeights ?? new Map(),
  };
}

/** The (check, transport) pairs to run, in order: each check on each selected protocol, "both" checks once. */
export function buildPlan(checks: readonly CheckDefinition[], transports: readonly Protocol[]): PlannedCheck[] {
  const plan: PlannedCheck[] = [];
  for (const check of checks) {
    if (check.id === DATA_PRESERVED_ID) continue;
    if (check.transports === "both") {
      if (transports.includes("soap") && transports.includes("json")) plan.push({ check, transport: "both" });
      continue;
    }
    for (const t of transports) if (check.transports.includes(t)) plan.push({ check, transport: t });
  }
  return plan;
}

function newRunId(seed: number): string {
  return ((seed ^ Date.now()) >>> 0).toString(36).slice(-5).padStart(5, "0");
}

interface Cleanup {
  readonly label: string;
  readonly undo: (call: CleanupCaller) => Promise<void>;
}

interface FixtureState {
  promise: Promise<unknown>;
  readonly cleanups: Cleanup[];
}

interface Connections {
  get(p: Protocol): DeviceConnection;
}

async function callReporters(reporters: readonly Reporter[], fn: (r: Reporter) => void | Promise<void>): Promise<void> {
  for (const r of reporters) {
    try {
      await fn(r);
    } catch (err) {
      process.stderr.write(`pacs-conformance: a reporter failed: ${errorMessage(err)}\n`);
    }
  }
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
};

/** "ECONNREFUSED" → "connection refused" (other texts pass through). */
function plainNetworkError(detail: string): string {
  for (const [code, text] of Object.entries(NETWORK_ERRORS)) if (detail.includes(code)) return text;
  return detail;
}

/** What to do about a certificate TLS refused, by the problem (ConnectionError.certificate). */
const CERTIFICATE_HINTS: Readonly<Record<string, string>> = {
  "not trusted": "give its CA with --ca FILE, or --insecure to skip verification",
  expired: "renew it on the device (or check this computer's clock), or --insecure to skip verification",
  "not yet valid": "check the clocks of the device and this computer, or --insecure to skip verification",
  "issued for another host": "give --device the host name or address it was issued for, or --insecure to skip verification",
};

/** Describes a preflight failure in one line that says what to do next. */
export function describePreflightError(url: string, err: unknown): string {
  const code = errorCode(err);
  const msg = errorMessage(err);
  switch (code) {
    case "CONNECTION_FAILED": {
      const cert = (err as { certificate?: { code: string; problem: string } }).certificate;
      if (cert !== undefined) return `certificate of ${url} ${cert.problem} (${cert.code}); ${CERTIFICATE_HINTS[cert.problem] ?? CERTIFICATE_HINTS["not trusted"]}`;
      const detail = /\(([^)]*)\)/.exec(msg)?.[1] ?? msg;
      return `cannot reach ${url}: ${plainNetworkError(detail)}; check --device`;
    }
    case "AUTH_FAILED":
      return `${url} rejected the credentials (HTTP 401 after authentication); check --user/--password`;
    case "TIMEOUT":
      return `${url} did not answer GetServiceCapabilities in time (${msg}); check --device or raise --timeout`;
    case "DEVICE_FAULT":
      return `${url} answered GetServiceCapabilities with a fault (${msg}); is this a VAPIX access control device?`;
    case "HTTP_STATUS":
      return `${url} answered GetServiceCapabilities with ${msg}; check --device (is this a VAPIX access control device?)`;
    default:
      return `${url}: preflight GetServiceCapabilities failed: ${msg}; check --device`;
  }
}

/** The connector's TLS options: only those set. */
function tlsOptions(config: RunnerConfig): { ca?: string; insecure?: boolean } {
  return { ...(config.ca === undefined ? {} : { ca: config.ca }), ...(config.insecure ? { insecure: true } : {}) };
}

function classify(err: unknown): { status: CheckStatus; message: string; evidence?: Exchange } {
  if (err instanceof CheckFailedError) return { status: "failed", message: err.message, ...(err.evidence !== undefined ? { evidence: err.evidence } : {}) };
  if (err instanceof CheckSkippedError) return { status: "skipped", message: err.message };
  const code = errorCode(err);
  // A fault or an undecodable answer to a valid request is the device breaking the rule under test.
  if (code === "DEVICE_FAULT" || code === "MALFORMED_RESPONSE" || code === "HTTP_STATUS" || code === "DECODE_FAILED") {
    return { status: "failed", message: `unexpected answer to a valid request: ${errorMessage(err)}` };
  }
  return { status: "errored", message: errorMessage(err) };
}

interface ConnectedPeer {
  readonly url: string;
  readonly connections: ReadonlyMap<Protocol, DeviceConnection>;
  readonly physical: PhysicalAccess;
}

export async function runChecks(config: RunnerConfig): Promise<RunReport> {
  const startedAt = new Date();
  const conns = new Map<Protocol, DeviceConnection>();
  /** Connections besides the run's own per transport (peers, discovery's SOAP one), closed at the end. */
  const extraConns: DeviceConnection[] = [];

  /** Connects to every peer on every transport and checks each answers, as the device's preflight does (naming --peer). */
  async function connectPeers(cfg: RunnerConfig): Promise<ConnectedPeer[]> {
    const out: ConnectedPeer[] = [];
    for (const url of cfg.peers) {
      const connections = new Map<Protocol, DeviceConnection>();
      for (const protocol of cfg.transports) {
        const c = await cfg.connector({ baseUrl: url, user: cfg.user, password: cfg.password, protocol, timeoutMs: cfg.timeoutMs, ...tlsOptions(cfg) });
        extraConns.push(c);
        connections.set(protocol, c);
      }
      const first = connections.get(cfg.transports[0] as Protocol) as DeviceConnection;
      try {
        await first.call("tac:GetServiceCapabilities", {}, { timeoutMs: cfg.timeoutMs, ...(cfg.signal ? { signal: cfg.signal } : {}) });
      } catch (err) {
        throw new PreflightError(`peer ${describePreflightError(url, err).replace("check --device", "check --peer")}`, { cause: err });
      }
      out.push({ url, connections, physical: await discoverPhysical(first) });
    }
    return out;
  }
  const connections: Connections = {
    get(p) {
      const c = conns.get(p);
      if (c === undefined) throw new Error(`internal: no ${p} connection (transports: ${config.transports.join(",")})`);
      return c;
    },
  };
  try {
    for (const protocol of config.transports) {
      conns.set(protocol, await config.connector({ baseUrl: config.deviceUrl, user: config.user, password: config.password, protocol, timeoutMs: config.timeoutMs, ...tlsOptions(config) }));
    }
    const first = config.transports[0] as Protocol;
    const firstConn = connections.get(first);

    // Discovery: the first call decides "reachable and authorised"; the rest say what the device serves.
    let soapConn = conns.get("soap");
    if (soapConn === undefined) {
      soapConn = await config.connector({ baseUrl: config.deviceUrl, user: config.user, password: config.password, protocol: "soap", timeoutMs: config.timeoutMs, ...tlsOptions(config) });
      extraConns.push(soapConn);
    }
    const discovery = await discoverFeatures({
      primary: firstConn,
      soap: soapConn,
      timeoutMs: config.timeoutMs,
      signal: config.signal,
      describeFailure: (err) => (config.signal?.aborted === true ? `interrupted before the preflight call to ${config.deviceUrl} finished` : describePreflightError(config.deviceUrl, err)),
    });
    const discovered = withUnadvertisedTopics(discovery.list, config.checks.flatMap(requirementsOf));
    const featureList = config.declaredFeatures === undefined ? discovered : applyDeclaration(discovered, config.declaredFeatures.file, config.declaredFeatures.features);
    const features = featureView(featureList, discovery.exchanges);
    const capabilities = { ...discovery.accessControlCapabilities };
    const rawMax = capabilities["MaxLimit"];
    const maxLimit = typeof rawMax === "number" && rawMax > 0 ? rawMax : typeof rawMax === "string" && Number(rawMax) > 0 ? Number(rawMax) : undefined;
    const facts: DeviceFacts = { maxLimit, capabilities };

    const runId = newRunId(config.seed);
    const tokenPrefix = `pcx-${runId}-`;
    const physical = await discoverPhysical(firstConn, config.operator);
    const peers = await connectPeers(config);
    const hardware = (named: readonly string[]): HardwarePolicy => ({
      all: config.ownsDevice,
      named,
      allows: (token) => config.ownsDevice || named.includes(token) || token.startsWith(tokenPrefix),
    });
    const doors = hardware(config.doors);
    const ios = hardware(config.ios);
    const chosen = selectChecks(config.checks, config.grep, config.ids);
    const shard: ShardInfo | undefined = config.shard === undefined ? undefined : { ...config.shard, suite: suiteFingerprint(chosen, config.transports) };
    const selected = config.shard === undefined ? chosen : shardChecks(chosen, config.shard, config.shardWeights);
    const plan = buildPlan(selected, config.transports);

    const plainCaller = (p: Protocol) => ({
      call: (op: string, input: unknown) => connections.get(p).call(op, input, { timeoutMs: config.timeoutMs }),
      lastExchange: () => undefined,
    });
    // Lists of services (or behind flags) the device does not serve are not walked.
    const hasOp = (op: string) => firstConn.hasOperation(op) && missingFeatureOf(features, op) === undefined;

    let before: DataSnapshot | undefined;
    let snapshotError: string | undefined;
    if (config.preserveData) {
      try {
        before = await takeSnapshot(plainCaller(first), config.entities, maxLimit, hasOp);
      } catch (err) {
        snapshotError = errorMessage(err);
      }
    }

    const tool = { name: TOOL_NAME, version: config.toolVersion };
    // The data check is judged last, but it is part of the plan reporters see.
    const dataPlanned: PlannedCheck = { check: dataPreservedCheck, transport: first };
    const announced = config.preserveData ? [...plan, dataPlanned] : plan;
    const beginInfo: RunBeginInfo = { tool, deviceUrl: config.deviceUrl, startedAt: startedAt.toISOString(), seed: config.seed, runId, transports: config.transports, plan: announced, features: featureList, ...(config.insecure ? { insecure: true } : {}) };
    await callReporters(config.reporters, (r) => r.onBegin?.(beginInfo));

    // Fixture bookkeeping: a fixture is torn down after the last planned check that declares it.
    const lastUser = new Map<string, number>();
    plan.forEach((p, i) => p.check.uses?.forEach((k) => lastUser.set(k, i)));
    const fixtures = new Map<string, FixtureState>();

    const runCleanups = async (list: Cleanup[], protocol: Protocol, budgetMs: number): Promise<string[]> => {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), budgetMs);
      const call = (op: string, input: unknown, via?: Protocol, options?: CheckCallOptions) =>
        connections.get(via ?? protocol).call(op, input, { ...options, timeoutMs: options?.timeoutMs ?? config.timeoutMs, signal: ctl.signal });
      const problems: string[] = [];
      while (list.length > 0) {
        const c = list.pop() as Cleanup;
        if (ctl.signal.aborted) {
          problems.push(`cleanup "${c.label}" not run: cleanup budget of ${budgetMs} ms spent`);
          continue;
        }
        try {
          await c.undo(call);
        } catch (err) {
          problems.push(`cleanup "${c.label}" failed: ${errorMessage(err)}`);
        }
      }
      clearTimeout(timer);
      return problems;
    };

    const results: CheckResult[] = [];
    let interrupted = false;
    const interruptedNow = (): boolean => config.signal?.aborted === true;
    let unreachableSince: string | undefined;
    let consecutiveConnErrors = 0;

    for (let index = 0; index < plan.length; index++) {
      const planned = plan[index] as PlannedCheck;
      if (config.signal?.aborted === true) {
        interrupted = true;
        break;
      }
      await callReporters(config.reporters, (r) => r.onCaseBegin?.(planned));
      let result: CheckResult;
      if (unreachableSince !== undefined) {
        result = makeResult(planned, "errored", 0, `not run: the device stopped answering (since ${unreachableSince})`, [], []);
      } else {
        result = await runOne(planned, index);
        // --retries: a failed or errored check runs again; passing then makes it flaky, never passed.
        for (let attempt = 1; attempt <= config.retries && (result.status === "failed" || result.status === "errored") && !interruptedNow(); attempt++) {
          const again = await runOne(planned, index);
          if (again.status === "passed" || again.status === "warned") {
            result = { ...again, status: "flaky", message: `passed on retry ${attempt} of ${config.retries} after: ${result.message}`, evidence: result.evidence };
          } else result = again;
        }
        const connLevel = result.status === "errored" && /cannot connect|connect timeout|ECONNREFUSED|ECONNRESET/i.test(result.message);
        consecutiveConnErrors = connLevel ? consecutiveConnErrors + 1 : 0;
        if (consecutiveConnErrors >= 3) unreachableSince = `${planned.check.id}: ${result.message}`;
      }
      results.push(result);
      await callReporters(config.reporters, (r) => r.onCaseEnd?.(result));
      if (result.status === "errored" && result.message.startsWith("run interrupted")) {
        interrupted = true;
        break;
      }
    }

    // Everything still set up is torn down, whatever happened above.
    for (const [key, f] of fixtures) {
      await runCleanups(f.cleanups, first, config.checkTimeoutMs);
      fixtures.delete(key);
    }

    if (config.preserveData) {
      await callReporters(config.reporters, (r) => r.onCaseBegin?.(dataPlanned));
      results.push(await judgeDataPreserved());
      await callReporters(config.reporters, (r) => r.onCaseEnd?.(results[results.length - 1] as CheckResult));
    }

    const summary = summarize(results);
    const plain: RunReport = {
      tool,
      device: { url: config.deviceUrl, ...(config.peers.length === 0 ? {} : { peers: config.peers }), ...(config.insecure ? { insecure: true } : {}) },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      summary,
      checks: results,
      seed: config.seed,
      runId,
      transports: config.transports,
      interrupted,
      ...(shard === undefined ? {} : { shard }),
      features: featureList,
      services: serviceVerdicts(results, featureList),
    };
    const judged = applyExpectations(plain, config.expectations);
    // "Removed" are the baseline's checks the suite no longer has (not those this run's selection left out).
    const suiteIds = new Set(config.checks.map((c) => c.id));
    const report: RunReport =
      config.baseline === undefined ? judged : { ...judged, baseline: compareWithBaseline(judged, config.baseline.statuses, config.baseline.file, (key) => !suiteIds.has(key.slice(0, key.lastIndexOf(" [")))) };
    await callReporters(config.reporters, (r) => r.onEnd?.(report));
    return report;

    async function sweepLeftovers(): Promise<void> {
      // Items whose Set response named no token (or named another) are found by their marker.
      for (const entity of snapshotEntities(config.entities)) {
        const form = entity.full?.list !== undefined ? entity.full : entity.info;
        if (form?.list === undefined || entity.remove === undefined || !hasOp(form.list)) continue;
        try {
          const walk = await walkList(plainCaller(first), form.list, {
            itemField: form.itemField,
            tokenOf: (i) => tokenOf(entity, i),
            budget: 500,
            ...(maxLimit !== undefined ? { limit: maxLimit } : {}),
          });
          const own = walk.pages.flatMap((p) => p.items).filter((i) => isOwnItem(entity, i, tokenPrefix)).map((i) => tokenOf(entity, i));
          if (own.length > 0) await removeItems(plainCaller(first).call, entity, own);
        } catch {
          // The data-preserved comparison reports what is left.
        }
      }
    }

    async function judgeDataPreserved(): Promise<CheckResult> {
      const t0 = Date.now();
      const planned = dataPlanned;
      await sweepLeftovers();
      if (before === undefined) {
        return makeResult(planned, "errored", Date.now() - t0, `could not snapshot the device's data before the run (${snapshotError ?? "unknown error"}); changes cannot be verified`, [], []);
      }
      let after: DataSnapshot;
      try {
        after = await takeSnapshot(plainCaller(first), config.entities, maxLimit, hasOp);
      } catch (err) {
        return makeResult(planned, "errored", Date.now() - t0, `could not snapshot the device's data after the run: ${errorMessage(err)}`, [], []);
      }
      const diffs = diffSnapshots(before, after);
      const unreadable = [...before.values()].filter((s) => s.error !== undefined).map((s) => `${s.op}: ${s.error}`);
      if (diffs.length === 0) {
        const note = unreadable.length > 0 ? ` (lists not fully readable, compared as far as the device let us walk: ${unreadable.join("; ")})` : "";
        return makeResult(planned, "passed", Date.now() - t0, `device data unchanged: ${[...before.values()].reduce((n, s) => n + s.items.size, 0)} items in ${before.size} lists compared${note}`, [], []);
      }
      const restoreLog = await restoreSnapshot((op, input) => connections.get(first).call(op, input, { timeoutMs: config.timeoutMs }), diffs, tokenPrefix);
      let remaining = diffs.length;
      try {
        remaining = diffSnapshots(before, await takeSnapshot(plainCaller(first), config.entities, maxLimit, hasOp)).length;
      } catch {
        // keep the first count
      }
      const shown = diffs.slice(0, 20).map(describeDifference);
      const message =
        `DEVICE DATA CHANGED by the run: ${diffs.length} difference(s): ${shown.join("; ")}${diffs.length > shown.length ? "; …" : ""}. ` +
        `Restore attempted (${restoreLog.slice(0, 10).join("; ")}); ${remaining === 0 ? "the data now matches the snapshot" : `${remaining} difference(s) remain — check the device`}.`;
      return makeResult(planned, "errored", Date.now() - t0, message, [], []);
    }

    async function runOne(planned: PlannedCheck, index: number): Promise<CheckResult> {
      const t0 = Date.now();
      const { check } = planned;
      // A check whose feature the device does not serve is skipped before it sends anything.
      const undefinedFeatures = new Set<string>();
      if (check.judgesFeatures !== true) {
        for (const id of requirementsOf(check)) {
          const state = features.state(id);
          if (state === "not-supported") return makeResult(planned, "skipped", 0, `not supported by the device: ${describeMissing(features.get(id), id)}`, [], []);
          if (state === "undefined") undefinedFeatures.add(id);
        }
      }
      const protocols: Protocol[] = planned.transport === "both" ? [...config.transports] : [planned.transport];
      const protocol = protocols[0] as Protocol;
      const exchanges: Exchange[] = [];
      const warnings: string[] = [];
      const warnEvidence: Exchange[] = [];
      const cleanups: Cleanup[] = [];
      const controller = new AbortController();
      const onRunAbort = () => controller.abort(new RunInterruptedError());
      config.signal?.addEventListener("abort", onRunAbort, { once: true });
      const timer = setTimeout(() => controller.abort(new CheckDeadlineError(check.id, config.checkTimeoutMs)), config.checkTimeoutMs);
      let tokenCounter = 0;
      /** A call to an operation the device does not serve skips the check (unless it judges the features); an undefined service is noted. */
      const noteFeatures = (op: string): void => {
        if (check.judgesFeatures === true) return;
        const missing = missingFeatureOf(features, op);
        if (missing !== undefined) throw new CheckSkippedError(`not supported by the device: ${describeMissing(features.get(missing), missing, op)}`);
        const service = serviceFeature(op.slice(0, op.indexOf(":")));
        if (features.state(service) === "undefined" && features.get(service) !== undefined) undefinedFeatures.add(service);
      };

      const makeContext = (sink: Cleanup[]): CheckContext => {
        const ctx: CheckContext = {
          protocol,
          protocols,
          checkId: check.id,
          runId,
          tokenPrefix,
          seed: config.seed,
          rng: rngFor(config.seed, check.id, planned.transport),
          facts,
          features,
          physical,
          doors,
          ios,
          ownsDevice: config.ownsDevice,
          eventWaitMs: config.eventWaitMs,
          peers: peers.map((peer) => ({
            url: peer.url,
            physical: peer.physical,
            async call<T>(op: string, input: unknown, via?: Protocol): Promise<T> {
              if (controller.signal.aborted) throw controller.signal.reason;
              const conn = peer.connections.get(via ?? protocol) as DeviceConnection;
              return (await conn.call(op, input, { timeoutMs: config.timeoutMs, signal: controller.signal, onExchange: (ex) => exchanges.push(ex) })) as T;
            },
          })),
          allowNetworkChanges: config.allowNetworkChanges,
          signal: controller.signal,
          exchanges,
          async call<T>(op: string, input: unknown, via?: Protocol, options?: CheckCallOptions): Promise<T> {
            if (controller.signal.aborted) throw controller.signal.reason;
            noteFeatures(op);
            const conn = connections.get(via ?? protocol);
            return (await conn.call(op, input, {
              timeoutMs: options?.timeoutMs ?? config.timeoutMs,
              signal: controller.signal,
              onExchange: (ex) => exchanges.push(ex),
              ...(options?.wsAddressing === undefined ? {} : { wsAddressing: options.wsAddressing }),
              ...(options?.namespaces === undefined ? {} : { namespaces: options.namespaces }),
            })) as T;
          },
          hasOperation(op: string, via?: Protocol): boolean {
            return connections.get(via ?? protocol).hasOperation(op);
          },
          async sendRaw(request, via) {
            if (controller.signal.aborted) throw controller.signal.reason;
            return connections.get(via ?? protocol).sendRaw(request, {
              timeoutMs: config.timeoutMs,
              signal: controller.signal,
              onExchange: (ex) => exchanges.push(ex),
            });
          },
          newToken(label: string): string {
            tokenCounter++;
            return `${tokenPrefix}${label}-${planned.transport}-${index}-${tokenCounter}`;
          },
          onCleanup(label, undo) {
            sink.push({ label, undo });
          },
          async fixture<T>(key: string, setup: (c: CheckContext) => Promise<T>): Promise<T> {
            let f = fixtures.get(key);
            if (f === undefined) {
              const state: FixtureState = { promise: Promise.resolve(), cleanups: [] };
              state.promise = setup(makeContext(state.cleanups));
              fixtures.set(key, state);
              f = state;
            }
            try {
              return (await f.promise) as T;
            } catch (err) {
              if (err instanceof CheckFailedError || err instanceof CheckSkippedError) throw err;
              throw new Error(`shared set-up "${key}" failed: ${errorMessage(err)}`, { cause: err });
            }
          },
          warn(message, evidence) {
            warnings.push(message);
            if (evidence !== undefined) warnEvidence.push(evidence);
          },
          fail(message, evidence): never {
            throw new CheckFailedError(message, evidence);
          },
          skip(reason): never {
            throw new CheckSkippedError(reason);
          },
          requirePhysical(what) {
            if (physical.via === "none") throw new CheckSkippedError(noPhysicalAccess(what));
          },
          requirePeers(count, what) {
            if (peers.length < count) {
              const n = count + 1;
              throw new CheckSkippedError(`${what} needs a network of at least ${n} door controllers; give the other controllers with --peer URL (repeatable) next to --device, or run against an embedded site with --site ${Math.max(3, n)}`);
            }
          },
          requireFeature(id, what) {
            const state = features.state(id);
            if (state === "not-supported") throw new CheckSkippedError(`not supported by the device: ${describeMissing(features.get(id), id, what)}`);
            if (state === "undefined") undefinedFeatures.add(id);
          },
          requireDoor(token) {
            if (!doors.allows(token)) {
              throw new CheckSkippedError(`door commands go only to doors named with --door or created by this run; add --door "${token}" to let the suite command this door (it will lock, unlock and access it, then restore its mode)`);
            }
          },
        };
        return ctx;
      };

      const ctx = makeContext(cleanups);
      let status: CheckStatus = "passed";
      let message = "";
      let evidence: Exchange | undefined;
      const running = check.run(ctx);
      try {
        await Promise.race([
          running,
          new Promise<never>((_, reject) => {
            if (controller.signal.aborted) reject(controller.signal.reason);
            controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
          }),
        ]);
        if (warnings.length > 0) {
          status = "warned";
          message = warnings.join("; ");
          evidence = warnEvidence[0];
        } else {
          message = "ok";
        }
      } catch (err) {
        const c = classify(err);
        status = c.status;
        message = c.message;
        evidence = c.evidence;
        if (c.status === "failed" && warnings.length > 0) message += ` (also: ${warnings.join("; ")})`;
        if (controller.signal.aborted) {
          // Let the check notice the abort before its cleanups run (its calls now fail at once).
          await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 250).unref())]);
        }
      } finally {
        clearTimeout(timer);
        config.signal?.removeEventListener("abort", onRunAbort);
      }
      running.catch(() => undefined);
      // The evidence of a failure is the check's own last exchange, never a cleanup's.
      const lastOfCheck = exchanges[exchanges.length - 1];

      // Cleanup never depends on the verdict, and gets its own budget.
      const cleanupProblems = await runCleanups(cleanups, protocol, config.checkTimeoutMs);
      for (const [key, last] of lastUser) {
        if (last === index && fixtures.has(key)) {
          const f = fixtures.get(key) as FixtureState;
          try {
            await f.promise;
          } catch {
            // set-up failed; still undo what it registered
          }
          cleanupProblems.push(...(await runCleanups(f.cleanups, protocol, config.checkTimeoutMs)));
          fixtures.delete(key);
        }
      }
      if (cleanupProblems.length > 0) warnings.push(...cleanupProblems);

      const excerpts: ExchangeExcerpt[] = [];
      const ev = evidence ?? (status === "failed" || status === "errored" ? lastOfCheck : undefined);
      if (ev !== undefined) excerpts.push(excerptExchange(ev));
      if (cleanupProblems.length > 0) message += ` [${cleanupProblems.join("; ")}]`;
      const result = makeResult(planned, status, Date.now() - t0, message, excerpts, warnings);
      return undefinedFeatures.size === 0 || status === "skipped" ? result : { ...result, undefinedFeatures: [...undefinedFeatures].sort() };

    }
  } finally {
    for (const c of extraConns) {
      try {
        await c.close();
      } catch {
        // closing is best effort
      }
    }
    for (const c of conns.values()) {
      try {
        await c.close();
      } catch {
        // closing is best effort
      }
    }
  }
}

export function makeResult(
  planned: PlannedCheck,
  status: CheckStatus,
  durationMs: number,
  message: string,
  evidence: readonly ExchangeExcerpt[],
  warnings: readonly string[],
): CheckResult {
  const { check } = planned;
  const transport: CheckTransport = planned.transport;
  return {
    id: check.id,
    title: check.title,
    service: check.service,
    transport,
    status,
    durationMs,
    message,
    specRefs: check.specRefs,
    rule: check.rule,
    quirk: check.quirk,
    evidence,
    warnings,
  };
}
