/**
 * `index.html`: one static, self-contained page (inline CSS and JS, no network) rendering the
 * RunReport: header, a service × verdict summary, the per-service verdicts, the feature list
 * (collapsed; differences and problems shown), filters applied in the browser, and one
 * expandable row per (check, transport) with the rule, spec references, quirk, warnings and the
 * evidence exchanges pretty-printed. The redacted report is embedded as JSON; the rows are
 * rendered here, so the page reads without JS and the filters only hide rows.
 */
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CHECK_STATUSES, type CheckResult, type CheckStatus, type ExchangeExcerpt, type Feature, type FeatureList, type Reporter, type RunReport, type ServiceVerdict } from "../harness/types.js";
import { describeCounts, servicesSentence, undefinedFeatureChecks } from "./feature-summary.js";

export const HTML_FILE = "index.html";

/** Where `*.md` spec references point from index.html (reports/<run>/ → the repo's docs/). */
export const DOCS_HREF = "../../docs/";

/** How renderHtmlReport links spec references. */
export interface HtmlReportOptions {
  /** Doc files (`access-control-service.md`) that exist next to index.html under `docsHref`; default none, every reference is text. */
  readonly localDocs?: readonly string[];
  /** Where those files are, relative to index.html; default DOCS_HREF ("../../docs/"). */
  readonly docsHref?: string;
}

/** The baseline comparison another reporter may attach to the report; keys are `"<id> [<transport>]"`. */
interface Baseline {
  /** The earlier run's results.json, when named. */
  readonly file?: string;
  readonly newFailures: readonly string[];
  readonly fixed: readonly string[];
  readonly stillFailing: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Escaping and redaction

// Characters an HTML document should not carry (device bodies may contain them).
const NOT_HTML = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_REPLACEMENTS: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(NOT_HTML, "\uFFFD").replace(HTML_SPECIAL, (ch) => HTML_REPLACEMENTS[ch] ?? ch);
}

const REDACTED = "[redacted]";

/**
 * Hides credentials should any reach a report: URL user info, Authorization header values (raw
 * or as a JSON member), and the text of XML Password elements (wsse:Password) and JSON
 * "Password" members. Exchanges are redacted at capture already; this is the second line.
 */
export function redactCredentials(s: string): string {
  return s
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`)
    .replace(/("(?:proxy-)?authorization"\s*:\s*")(?:[^"\\]|\\.)*"/gi, `$1${REDACTED}"`)
    .replace(/\b((?:proxy-)?authorization\s*:\s*)(basic|bearer|digest|negotiate|ntlm)\b[^\r\n]*/gi, `$1$2 ${REDACTED}`)
    .replace(/(<(?:[\w.-]+:)?(?:Proxy)?Password(?:\s[^<>]*)?(?<!\/)>)[^<]+/g, `$1${REDACTED}`)
    .replace(/("Password"\s*:\s*")(?:[^"\\]|\\.)*"/g, `$1${REDACTED}"`);
}

function redactExcerpt(ex: ExchangeExcerpt): ExchangeExcerpt {
  return {
    ...(ex.operation !== undefined ? { operation: ex.operation } : {}),
    request: { method: ex.request.method, url: redactCredentials(ex.request.url), body: redactCredentials(ex.request.body) },
    ...(ex.response !== undefined ? { response: { status: ex.response.status, body: redactCredentials(ex.response.body) } } : {}),
    ...(ex.error !== undefined ? { error: redactCredentials(ex.error) } : {}),
  };
}

function redactCheck(c: CheckResult): CheckResult {
  return {
    ...c,
    message: redactCredentials(c.message),
    warnings: c.warnings.map(redactCredentials),
    evidence: c.evidence.map(redactExcerpt),
  };
}

function redactFeature(f: Feature): Feature {
  return {
    ...f,
    ...(typeof f.value === "string" ? { value: redactCredentials(f.value) } : {}),
    evidence: redactCredentials(f.evidence),
    ...(f.exchange !== undefined ? { exchange: redactExcerpt(f.exchange) } : {}),
  };
}

function redactFeatureList(list: FeatureList): FeatureList {
  return {
    features: list.features.map(redactFeature),
    ...(list.declaredFrom !== undefined ? { declaredFrom: redactCredentials(list.declaredFrom) } : {}),
    differences: list.differences.map((d) => ({ ...d, evidence: redactCredentials(d.evidence) })),
    problems: list.problems.map(redactCredentials),
  };
}

// ---------------------------------------------------------------------------------------------
// Pretty-printing bodies

// Comments, CDATA, declarations/PIs, tags (quoted attribute values may hold ">"), text, and a
// tag cut off by truncation ("</pacsaxis:Ac… (N more characters)") kept whole.
const XML_TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<\/?[^\s<>/"']+(?:"[^"]*"|'[^']*'|[^<>"'])*>|[^<]+|<[^<]*/g;

/**
 * Indents XML two spaces per level; an element holding only text stays on one line. Tolerant by
 * design: excerpts are truncated mid-document ("… (N more characters)") and may be malformed.
 */
export function indentXml(xml: string): string {
  const tokens = xml.match(XML_TOKEN) ?? [];
  const lines: string[] = [];
  let depth = 0;
  const pad = (): string => "  ".repeat(depth);
  const isTag = (t: string | undefined): boolean => t !== undefined && /^<[^\s<>/?!]/.test(t) && t.endsWith(">");
  const isClose = (t: string | undefined): boolean => t !== undefined && t.startsWith("</") && t.endsWith(">");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.trim() === "") continue;
    if (isClose(t)) {
      depth = Math.max(0, depth - 1);
      lines.push(pad() + t);
    } else if (isTag(t) && !t.endsWith("/>")) {
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsWith("<") && isClose(tokens[i + 2])) {
        lines.push(pad() + t + next + tokens[i + 2]!);
        i += 2;
      } else if (isClose(next)) {
        lines.push(pad() + t + next!);
        i += 1;
      } else {
        lines.push(pad() + t);
        depth++;
      }
    } else {
      lines.push(pad() + (t.startsWith("<") ? t : t.trim()));
    }
  }
  return lines.join("\n");
}

/** A body as a reader wants it: JSON re-serialized with two-space indent, XML indented, anything else (or truncated JSON) as is. */
export function prettyBody(body: string): string {
  const t = body.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return body;
    }
  }
  return t.startsWith("<") ? indentXml(t) : body;
}

// ---------------------------------------------------------------------------------------------
// Page model

/**
 * Default order: failures first, then errors, unexpected passes, warnings, expected failures,
 * skips, passes; run order within each. Statuses unknown here sort with the skips.
 */
const ORDER: Readonly<Record<string, number>> = { failed: 0, errored: 1, "unexpectedly-passed": 2, flaky: 3, warned: 4, "expected-fail": 5, skipped: 6, passed: 7 };

/** The verdicts every report shows; the others (from --expect) appear when a check has them. */
const CORE_STATUSES: readonly string[] = ["passed", "failed", "warned", "skipped", "errored"];

function rank(status: CheckStatus): number {
  return ORDER[status] ?? ORDER["skipped"]!;
}

/** "expected-fail" → "Expected fail". */
function statusLabel(status: string): string {
  const words = status.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function checkKey(c: Pick<CheckResult, "id" | "transport">): string {
  return `${c.id} [${c.transport}]`;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

/** `report.baseline` when present and shaped like one (it is not part of RunReport's type yet). */
function readBaseline(report: RunReport): Baseline | undefined {
  const raw: unknown = (report as unknown as Record<string, unknown>)["baseline"];
  if (raw === null || typeof raw !== "object") return undefined;
  const b = raw as Record<string, unknown>;
  return {
    ...(typeof b["file"] === "string" ? { file: b["file"] } : {}),
    newFailures: stringList(b["newFailures"]),
    fixed: stringList(b["fixed"]),
    stillFailing: stringList(b["stillFailing"]),
    added: stringList(b["added"]),
    removed: stringList(b["removed"]),
  };
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function elapsed(startedAt: string, finishedAt: string): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : "";
}

const DOC_REF = /^((?:[\w-][\w.-]*\/)*[\w-][\w.-]*\.md)(#[\w.~%-]*)?$/;

function renderSpecRef(ref: string, docs: ReadonlySet<string>, docsHref: string): string {
  const m = DOC_REF.exec(ref);
  if (m !== null && docs.has(m[1]!)) return `<a href="${escapeHtml(docsHref + m[1]! + (m[2] ?? ""))}">${escapeHtml(ref)}</a>`;
  return `<code>${escapeHtml(ref)}</code>`;
}

function renderExchange(ex: ExchangeExcerpt, n: number): string {
  const out = [`<div class="exchange">`, `<div class="ex-title">Exchange ${n}${ex.operation !== undefined ? ` · <code>${escapeHtml(ex.operation)}</code>` : ""}</div>`];
  out.push(`<div class="ex-line"><span class="ex-dir">Request</span> <b>${escapeHtml(ex.request.method)}</b> <code class="url">${escapeHtml(ex.request.url)}</code></div>`);
  out.push(ex.request.body === "" ? `<div class="muted">(empty body)</div>` : `<pre class="body">${escapeHtml(prettyBody(ex.request.body))}</pre>`);
  if (ex.response !== undefined) {
    const cls = ex.response.status >= 200 && ex.response.status < 300 ? "http-ok" : "http-bad";
    out.push(`<div class="ex-line"><span class="ex-dir">Response</span> HTTP <b class="${cls}">${ex.response.status}</b></div>`);
    out.push(ex.response.body === "" ? `<div class="muted">(empty body)</div>` : `<pre class="body">${escapeHtml(prettyBody(ex.response.body))}</pre>`);
  }
  if (ex.error !== undefined) out.push(`<div class="ex-line ex-error"><span class="ex-dir">Error</span> ${escapeHtml(ex.error)}</div>`);
  out.push(`</div>`);
  return out.join("\n");
}

function renderCheck(c: CheckResult, index: number, isNewFailure: boolean, docs: ReadonlySet<string>, docsHref: string): string {
  const details: string[] = [];
  details.push(`<dl>`);
  details.push(`<dt>Rule</dt><dd>${escapeHtml(c.rule)}</dd>`);
  details.push(`<dt>Result</dt><dd class="message-full">${escapeHtml(c.message)}</dd>`);
  details.push(`<dt>Service</dt><dd>${escapeHtml(c.service)}</dd>`);
  if (c.specRefs.length > 0) details.push(`<dt>Spec</dt><dd class="refs">${c.specRefs.map((r) => renderSpecRef(r, docs, docsHref)).join(" ")}</dd>`);
  if (c.quirk !== "") details.push(`<dt>Broken by</dt><dd>reference-device quirk <code>${escapeHtml(c.quirk)}</code></dd>`);
  if (c.warnings.length > 0) details.push(`<dt>Warnings</dt><dd><ul class="warnings">${c.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></dd>`);
  if (c.undefinedFeatures !== undefined && c.undefinedFeatures.length > 0) {
    details.push(`<dt>Undefined features</dt><dd class="undefined-features">ran though discovery left ${c.undefinedFeatures.map((f) => `<code>${escapeHtml(f)}</code>`).join(" ")} undefined</dd>`);
  }
  details.push(`</dl>`);
  if (c.evidence.length > 0) {
    details.push(`<div class="evidence"><div class="ev-title">Evidence</div>`);
    c.evidence.forEach((ex, i) => details.push(renderExchange(ex, i + 1)));
    details.push(`</div>`);
  }
  const badge = `<span class="verdict v-${c.status}">${statusLabel(c.status)}</span>`;
  const isNew = isNewFailure ? ` <span class="new-badge" title="failed now, passed in the baseline">new</span>` : "";
  return [
    `<details class="check s-${c.status}" id="c-${index}" data-index="${index}" data-rank="${rank(c.status)}">`,
    `<summary><span class="c-verdict">${badge}</span>`,
    `<span class="c-name"><span class="c-id">${escapeHtml(c.id)}</span>${isNew}<span class="c-title">${escapeHtml(c.title)}</span></span>`,
    `<span class="c-transport">${escapeHtml(c.transport)}</span>`,
    `<span class="c-duration">${escapeHtml(formatDuration(c.durationMs))}</span>`,
    `<span class="c-message">${escapeHtml(c.message)}</span></summary>`,
    `<div class="details">`,
    ...details,
    `</div>`,
    `</details>`,
  ].join("\n");
}

function renderSummary(checks: readonly CheckResult[], statuses: readonly CheckStatus[]): string {
  const services = [...new Set(checks.map((c) => c.service))].sort();
  const cell = (service: string, status: CheckStatus | "", n: number): string =>
    n === 0
      ? `<td class="zero">0</td>`
      : `<td class="${status === "" ? "total" : `n-${status}`}"><button type="button" class="count" data-service="${escapeHtml(service)}" data-status="${status}" title="show these checks">${n}</button></td>`;
  const row = (label: string, service: string, rs: readonly CheckResult[]): string =>
    `<tr><th scope="row">${escapeHtml(label)}</th>${statuses.map((s) => cell(service, s, rs.filter((c) => c.status === s).length)).join("")}${cell(service, "", rs.length)}</tr>`;
  return [
    `<table class="summary">`,
    `<thead><tr><th scope="col">Service</th>${statuses.map((s) => `<th scope="col">${statusLabel(s)}</th>`).join("")}<th scope="col">Total</th></tr></thead>`,
    `<tbody>`,
    ...services.map((s) => row(s, s, checks.filter((c) => c.service === s))),
    `</tbody>`,
    `<tfoot>${row("All services", "", checks)}</tfoot>`,
    `</table>`,
  ].join("\n");
}

function renderBaseline(baseline: Baseline, rowOf: ReadonlyMap<string, number>): string {
  const item = (key: string): string => {
    const row = rowOf.get(key);
    return row === undefined ? `<li><code>${escapeHtml(key)}</code></li>` : `<li><a class="jump" href="#c-${row}"><code>${escapeHtml(key)}</code></a></li>`;
  };
  const groups: [string, string, readonly string[]][] = [
    ["New failures", "b-new", baseline.newFailures],
    ["Still failing", "b-still", baseline.stillFailing],
    ["Fixed", "b-fixed", baseline.fixed],
    ["Added", "b-added", baseline.added],
    ["Removed", "b-removed", baseline.removed],
  ];
  const from = baseline.file === undefined ? "" : ` <code>${escapeHtml(redactCredentials(baseline.file))}</code>`;
  const out = [`<section class="baseline" id="baseline"><h2>Compared with baseline${from}</h2>`];
  if (groups.every(([, , keys]) => keys.length === 0)) out.push(`<p class="muted">No differences from the baseline.</p>`);
  for (const [label, cls, keys] of groups) {
    if (keys.length === 0) continue;
    out.push(`<div class="b-group ${cls}"><h3>${label} (${keys.length})</h3><ul>${keys.map(item).join("")}</ul></div>`);
  }
  out.push(`</section>`);
  return out.join("\n");
}

/** The per-service verdicts and the sentence that sums them up. */
function renderServices(services: readonly ServiceVerdict[], interrupted: boolean): string {
  const row = (v: ServiceVerdict): string =>
    `<tr><th scope="row">${escapeHtml(v.service)}</th><td><span class="support su-${escapeHtml(v.support)}">${escapeHtml(v.support)}</span></td>` +
    `<td><span class="sverdict sv-${escapeHtml(v.verdict)}">${escapeHtml(v.verdict)}</span></td>` +
    [v.passed, v.failed, v.skipped, v.other].map((n) => `<td class="${n === 0 ? "zero" : "n"}">${n}</td>`).join("") +
    `</tr>`;
  return [
    `<section id="services"><h2>Services</h2>`,
    `<table class="services">`,
    `<thead><tr><th scope="col">Service</th><th scope="col">Support</th><th scope="col">Verdict</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Other</th></tr></thead>`,
    `<tbody>`,
    ...services.map(row),
    `</tbody>`,
    `</table>`,
    `<p class="services-verdict">${escapeHtml(servicesSentence(services, interrupted))}</p>`,
    `</section>`,
  ].join("\n");
}

function renderFeatureRow(f: Feature): string {
  const notes = [
    ...(f.discovered === undefined ? [] : [`discovered ${f.discovered}`]),
    ...(f.advertised === undefined || f.advertised === f.state ? [] : [`advertised ${f.advertised}`]),
  ];
  const declared = notes.length === 0 ? "" : ` <span class="muted">(${escapeHtml(notes.join("; "))})</span>`;
  const exchange = f.exchange === undefined ? "" : `<details class="f-exchange"><summary>exchange</summary>\n${renderExchange(f.exchange, 1)}\n</details>`;
  return (
    `<tr class="fs-${escapeHtml(f.state)}"><td><code>${escapeHtml(f.id)}</code></td><td><span class="fstate">${escapeHtml(f.state)}</span>${declared}</td>` +
    `<td>${f.value === undefined ? "" : `<code>${escapeHtml(String(f.value))}</code>`}</td><td class="f-evidence">${escapeHtml(f.evidence)}${exchange}</td></tr>`
  );
}

/** The feature list: counts, differences and problems in view, every feature in a collapsed table. */
function renderFeatures(list: FeatureList, undefinedChecks: number): string {
  const out = [`<section id="features"><h2>Features</h2>`, `<p class="f-counts">${escapeHtml(describeCounts(list))}</p>`];
  if (list.declaredFrom !== undefined) out.push(`<p>States declared in <code>${escapeHtml(list.declaredFrom)}</code> (--features); discovery's own finding is shown where it differs.</p>`);
  if (undefinedChecks > 0) out.push(`<p class="muted">${undefinedChecks === 1 ? "1 check" : `${undefinedChecks} checks`} ran on undefined features (named in their rows).</p>`);
  if (list.differences.length > 0) {
    out.push(`<h3>Declared vs discovered (${list.differences.length})</h3>`);
    out.push(`<table class="f-differences"><thead><tr><th scope="col">Feature</th><th scope="col">Declared</th><th scope="col">Discovered</th><th scope="col">Evidence</th></tr></thead><tbody>`);
    for (const d of list.differences) out.push(`<tr><td><code>${escapeHtml(d.id)}</code></td><td>${escapeHtml(d.declared)}</td><td>${escapeHtml(d.discovered)}</td><td>${escapeHtml(d.evidence)}</td></tr>`);
    out.push(`</tbody></table>`);
  }
  if (list.problems.length > 0) {
    out.push(`<h3>Problems discovery met (${list.problems.length})</h3>`, `<p class="muted">Read leniently; the consistency checks judge them.</p>`);
    out.push(`<ul class="f-problems">${list.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>`);
  }
  out.push(`<details class="features" id="feature-list"><summary>All ${list.features.length} features</summary>`);
  out.push(`<table class="features"><thead><tr><th scope="col">Feature</th><th scope="col">State</th><th scope="col">Value</th><th scope="col">Evidence</th></tr></thead><tbody>`);
  out.push(...list.features.map(renderFeatureRow));
  out.push(`</tbody></table>`, `</details>`, `</section>`);
  return out.join("\n");
}

/** The embedded data: `<` escaped so no `</script>` (nor `<!--`) inside it can end the element. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** The complete index.html for a report (deterministic: same report and options, same bytes). */
export function renderHtmlReport(report: RunReport, options: HtmlReportOptions = {}): string {
  const docs = new Set(options.localDocs ?? []);
  const docsHref = options.docsHref ?? DOCS_HREF;
  const checks = report.checks.map(redactCheck);
  const deviceUrl = redactCredentials(report.device.url);
  const peers = (report.device.peers ?? []).map(redactCredentials);
  const baseline = readBaseline(report);
  const features = report.features === undefined ? undefined : redactFeatureList(report.features);
  const newFailures = new Set(baseline?.newFailures ?? []);
  const rowOf = new Map<string, number>();
  checks.forEach((c, i) => {
    if (!rowOf.has(checkKey(c))) rowOf.set(checkKey(c), i);
  });
  const order = checks.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.status) - rank(b.c.status) || a.i - b.i);
  const count = (s: CheckStatus): number => checks.filter((c) => c.status === s).length;
  const failedCount = count("failed") + count("errored");
  const statuses = CHECK_STATUSES.filter((s) => CORE_STATUSES.includes(s) || checks.some((c) => c.status === s));
  const services = [...new Set(checks.map((c) => c.service))].sort();
  const transports = [...new Set(checks.map((c) => c.transport))].sort();

  const data = {
    tool: report.tool,
    device: { url: deviceUrl, ...(peers.length > 0 ? { peers } : {}), ...(report.device.insecure === true ? { insecure: true } : {}) },
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
    seed: report.seed,
    runId: report.runId,
    transports: report.transports,
    interrupted: report.interrupted,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(features !== undefined ? { features } : {}),
    ...(report.services !== undefined ? { services: report.services } : {}),
    checks,
  };

  const meta: [string, string][] = [
    ["Device", `<code>${escapeHtml(deviceUrl)}</code>${report.device.insecure === true ? " (TLS verification OFF: --insecure)" : ""}`],
    ...(peers.length > 0 ? [["Peers", peers.map((p) => `<code>${escapeHtml(p)}</code>`).join(" ")] as [string, string]] : []),
    ["Transports", escapeHtml(report.transports.join(", "))],
    ["Seed", `<code>${escapeHtml(String(report.seed))}</code>`],
    ["Run id", `<code>${escapeHtml(report.runId)}</code>`],
    ["Started", `<time>${escapeHtml(report.startedAt)}</time>`],
    ["Finished", `<time>${escapeHtml(report.finishedAt)}</time>${elapsed(report.startedAt, report.finishedAt) === "" ? "" : ` (${escapeHtml(elapsed(report.startedAt, report.finishedAt))})`}`],
    ["Interrupted", report.interrupted ? `<b class="http-bad">yes</b>` : "no"],
  ];
  const title = `${report.tool.name} ${report.tool.version}: ${failedCount === 0 ? "no failures" : `${failedCount} failed or errored`} (${deviceUrl})`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.tool.name)} <span class="muted">${escapeHtml(report.tool.version)}</span> conformance report</h1>
${report.interrupted ? `<p class="banner" role="alert">Interrupted: the run was stopped before every planned check ran; the results below are partial.</p>` : ""}
<dl class="meta">
${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("\n")}
</dl>
</header>
<main>
<section id="summary"><h2>Summary</h2>
${renderSummary(checks, statuses)}
</section>
${report.services !== undefined && report.services.length > 0 ? renderServices(report.services, report.interrupted) : ""}
${baseline !== undefined ? renderBaseline(baseline, rowOf) : ""}
${features !== undefined ? renderFeatures(features, undefinedFeatureChecks(checks)) : ""}
<section id="checks"><h2>Checks</h2>
<noscript><p class="muted">Filters need JavaScript; every check is listed below.</p></noscript>
<form class="filters" id="filters">
<fieldset class="verdicts"><legend>Verdict</legend>
${statuses.map((s) => `<label class="v-${s}-label"><input type="checkbox" name="verdict" value="${s}" checked> ${statusLabel(s)} <span class="muted">(${count(s)})</span></label>`).join("\n")}
</fieldset>
<label>Service <select id="f-service"><option value="">all</option>${services.map((s) => `<option value="${escapeHtml(s)}">${escapeHtml(s)}</option>`).join("")}</select></label>
<label>Transport <select id="f-transport"><option value="">all</option>${transports.map((t) => `<option value="${escapeHtml(t)}">${escapeHtml(t)}</option>`).join("")}</select></label>
<label>Text <input type="search" id="f-text" placeholder="id, title or message" autocomplete="off"></label>
<label>Order <select id="f-order"><option value="failures">failures first</option><option value="run">run order</option><option value="slowest">slowest first</option></select></label>
<button type="button" id="f-reset">Reset</button>
<button type="button" id="f-expand">Expand shown</button>
<button type="button" id="f-collapse">Collapse all</button>
</form>
<p class="count" id="shown-count" aria-live="polite">Showing ${checks.length} of ${checks.length} checks</p>
<div class="list-head" aria-hidden="true"><span>Verdict</span><span>Check</span><span>Transport</span><span>Duration</span></div>
<div class="list" id="check-list">
${order.map(({ c, i }) => renderCheck(c, i, newFailures.has(checkKey(c)), docs, docsHref)).join("\n")}
</div>
<p class="muted" id="none-shown" hidden>No check matches the filters.</p>
</section>
</main>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>
${SCRIPT}
</script>
</body>
</html>
`;
}

// Plain ES2017 for any browser; written without template literals so it embeds verbatim.
const SCRIPT = `(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var list = document.getElementById("check-list");
  var rows = Array.prototype.slice.call(list.querySelectorAll("details.check"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=verdict]"));
  var service = document.getElementById("f-service");
  var transport = document.getElementById("f-transport");
  var text = document.getElementById("f-text");
  var order = document.getElementById("f-order");
  var count = document.getElementById("shown-count");
  var none = document.getElementById("none-shown");
  function check(row) { return data.checks[Number(row.getAttribute("data-index"))]; }
  function apply() {
    var verdicts = {};
    boxes.forEach(function (b) { if (b.checked) verdicts[b.value] = true; });
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var c = check(row);
      var hay = (c.id + "\\n" + c.title + "\\n" + c.message).toLowerCase();
      var ok = verdicts[c.status] === true &&
        (service.value === "" || c.service === service.value) &&
        (transport.value === "" || c.transport === transport.value) &&
        hay.indexOf(needle) !== -1;
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " checks";
    none.hidden = shown > 0;
  }
  function sort() {
    var key = order.value;
    rows.slice().sort(function (a, b) {
      var ca = check(a), cb = check(b);
      var d = key === "failures" ? Number(a.getAttribute("data-rank")) - Number(b.getAttribute("data-rank")) : key === "slowest" ? cb.durationMs - ca.durationMs : 0;
      return d || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
    }).forEach(function (row) { list.appendChild(row); });
  }
  function reset() {
    boxes.forEach(function (b) { b.checked = true; });
    service.value = ""; transport.value = ""; text.value = "";
    apply();
  }
  function reveal(id) {
    var row = document.getElementById(id);
    if (!row || !row.classList.contains("check")) return;
    if (row.hidden) reset();
    row.open = true;
    row.scrollIntoView({ block: "start" });
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  service.addEventListener("change", apply);
  transport.addEventListener("change", apply);
  text.addEventListener("input", apply);
  order.addEventListener("change", sort);
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("f-reset").addEventListener("click", reset);
  document.getElementById("f-expand").addEventListener("click", function () { rows.forEach(function (r) { if (!r.hidden) r.open = true; }); });
  document.getElementById("f-collapse").addEventListener("click", function () { rows.forEach(function (r) { r.open = false; }); });
  Array.prototype.forEach.call(document.querySelectorAll("button.count"), function (btn) {
    btn.addEventListener("click", function () {
      var s = btn.getAttribute("data-status");
      boxes.forEach(function (b) { b.checked = s === "" || b.value === s; });
      service.value = btn.getAttribute("data-service");
      transport.value = ""; text.value = "";
      apply();
      document.getElementById("checks").scrollIntoView({ block: "start" });
    });
  });
  window.addEventListener("hashchange", function () { reveal(location.hash.slice(1)); });
  if (location.hash) reveal(location.hash.slice(1));
  apply();
})();`;

const STYLE = `:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6570; --bg: #fff; --panel: #f5f7f9; --line: #d8dde3;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #6e7781; --err: #8250df; --link: #0a58ca; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9aa5b1; --bg: #0d1117; --panel: #161b22; --line: #30363d;
  --pass: #3fb950; --fail: #f85149; --warn: #d29922; --skip: #8b949e; --err: #a371f7; --link: #58a6ff; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; } h3 { font-size: 1rem; margin: .5rem 0 .25rem; }
a { color: var(--link); }
code, pre, .c-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.banner { background: var(--fail); color: #fff; padding: .5rem .75rem; border-radius: 4px; font-weight: 600; }
.meta { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0; }
.meta div { display: flex; gap: .4rem; } .meta dt { color: var(--muted); } .meta dd { margin: 0; overflow-wrap: anywhere; }
table.summary { border-collapse: collapse; min-width: 32rem; }
.summary th, .summary td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: right; }
.summary th[scope=row], .summary thead th:first-child { text-align: left; }
.summary thead, .summary tfoot { background: var(--panel); font-weight: 600; }
.summary td.zero { color: var(--muted); }
.summary button.count { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; text-decoration: underline dotted; }
.n-expected-fail { color: var(--skip); } .n-unexpectedly-passed { color: var(--warn); }
.n-passed { color: var(--pass); } .n-failed { color: var(--fail); } .n-warned { color: var(--warn); } .n-skipped { color: var(--skip); } .n-errored { color: var(--err); }
table.services, table.features, table.f-differences { border-collapse: collapse; }
.services th, .services td, .features th, .features td, .f-differences th, .f-differences td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
.services thead, .features thead, .f-differences thead { background: var(--panel); font-weight: 600; }
.services td.n, .services td.zero { text-align: right; font-variant-numeric: tabular-nums; } .services td.zero { color: var(--muted); }
.sverdict { font-weight: 600; } .sv-conformant { color: var(--pass); } .sv-deviations { color: var(--fail); } .sv-not-supported, .sv-not-run { color: var(--skip); }
.su-not-supported, .su-undefined { color: var(--skip); } .su-partial { color: var(--warn); }
.services-verdict { font-weight: 600; }
details.features > summary { cursor: pointer; margin: .25rem 0; }
.features td.f-evidence { overflow-wrap: anywhere; } .fs-not-supported .fstate { color: var(--skip); font-weight: 600; } .fs-undefined .fstate { color: var(--warn); }
.f-problems { color: var(--warn); }
details.f-exchange > summary { cursor: pointer; color: var(--muted); }
.baseline .b-group ul { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
.b-new h3 { color: var(--fail); } .b-fixed h3 { color: var(--pass); }
.filters { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem .75rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; position: sticky; top: 0; z-index: 1; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: .75rem; align-items: center; }
.filters legend { float: left; margin-right: .5rem; color: var(--muted); }
.filters select, .filters input[type=search], .filters button { font: inherit; }
.filters input[type=search] { width: 16rem; }
p.count { margin: .5rem 0; color: var(--muted); }
.list-head, details.check > summary { display: grid; grid-template-columns: 5.5rem minmax(0, 1fr) 5rem 5.5rem; gap: 0 .75rem; align-items: baseline; }
.list-head { padding: .25rem .75rem .25rem 1.75rem; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); }
details.check { border-bottom: 1px solid var(--line); }
details.check > summary { padding: .4rem .75rem .4rem 1.75rem; cursor: pointer; list-style: none; position: relative; }
details.check > summary::-webkit-details-marker { display: none; }
details.check > summary::before { content: "\\25B8"; position: absolute; left: .6rem; top: .4rem; color: var(--muted); }
details.check[open] > summary::before { content: "\\25BE"; }
details.check > summary:hover { background: var(--panel); }
.c-name { display: flex; flex-wrap: wrap; gap: 0 .6rem; min-width: 0; }
.c-id { font-weight: 600; overflow-wrap: anywhere; } .c-title { color: var(--muted); }
.c-duration { text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
.c-message { grid-column: 2 / -1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.s-failed .c-message, .s-errored .c-message { color: var(--fail); }
.verdict { display: inline-block; min-width: 4.6rem; max-width: 100%; text-align: center; padding: 0 .4rem; border-radius: 3px; color: #fff; font-size: 12px; font-weight: 600; }
.v-passed { background: var(--pass); } .v-failed { background: var(--fail); } .v-warned { background: var(--warn); } .v-skipped { background: var(--skip); } .v-errored { background: var(--err); }
.v-expected-fail { background: var(--skip); outline: 2px solid var(--fail); outline-offset: -2px; } .v-unexpectedly-passed { background: var(--warn); outline: 2px solid var(--pass); outline-offset: -2px; }
.new-badge { background: var(--fail); color: #fff; border-radius: 3px; padding: 0 .3rem; font-size: 11px; font-weight: 700; text-transform: uppercase; }
.details { padding: .25rem .75rem .75rem 1.75rem; }
.details dl { display: grid; grid-template-columns: 7rem minmax(0, 1fr); gap: .2rem .75rem; margin: 0 0 .5rem; }
.details dt { color: var(--muted); } .details dd { margin: 0; overflow-wrap: anywhere; }
.message-full { white-space: pre-wrap; }
.refs code, .refs a { margin-right: .5rem; }
.warnings { margin: 0; padding-left: 1.1rem; color: var(--warn); }
.ev-title { font-weight: 600; margin: .25rem 0; }
.exchange { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; margin: .4rem 0; background: var(--panel); }
.ex-title { font-weight: 600; margin-bottom: .2rem; }
.ex-line { margin: .2rem 0; overflow-wrap: anywhere; } .ex-dir { display: inline-block; width: 5.2rem; color: var(--muted); }
.ex-error { color: var(--fail); }
pre.body { margin: .2rem 0 .4rem; padding: .4rem .5rem; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 28rem; overflow: auto; }
.http-ok { color: var(--pass); } .http-bad { color: var(--fail); }`;

// ---------------------------------------------------------------------------------------------
// Reporter

/** Doc files named by `*.md` spec references that exist under `docsDir`. */
async function findLocalDocs(checks: readonly CheckResult[], docsDir: string): Promise<string[]> {
  const files = new Set<string>();
  for (const c of checks) {
    for (const ref of c.specRefs) {
      const m = DOC_REF.exec(ref);
      if (m !== null) files.add(m[1]!);
    }
  }
  const found: string[] = [];
  for (const f of [...files].sort()) {
    try {
      await access(join(docsDir, f));
      found.push(f);
    } catch {
      // Not present locally: the reference stays text.
    }
  }
  return found;
}

/** Writes index.html into the report dir (next to results.json) at the end of the run. */
export class HtmlReporter implements Reporter {
  constructor(private readonly dir: string) {}

  async onEnd(report: RunReport): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const localDocs = await findLocalDocs(report.checks, join(this.dir, DOCS_HREF));
    await writeFile(join(this.dir, HTML_FILE), renderHtmlReport(report, { localDocs }), "utf8");
  }
}
