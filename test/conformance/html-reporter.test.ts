import { describe, expect, it } from "@jest/globals";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceVerdicts } from "../../conformance/harness/features.js";
import { CHECK_STATUSES, type CheckResult, type Feature, type FeatureList, type RunReport, type RunSummary, type ServiceVerdict } from "../../conformance/harness/types.js";
import { HTML_FILE, HtmlReporter, renderHtmlReport } from "../../conformance/reporters/index.js";
import { prettyBody } from "../../conformance/reporters/html-reporter.js";

const SOAP_REQUEST =
  '<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><wsse:Security><wsse:UsernameToken><wsse:Username>root</wsse:Username><wsse:Password Type="#PasswordText">s3cret-pw</wsse:Password></wsse:UsernameToken></wsse:Security></env:Header><env:Body><pacsaxis:GetAreaList xmlns:pacsaxis="http://www.axis.com/vapix/ws/pacs"><pacsaxis:Limit>1</pacsaxis:Limit></pacsaxis:GetAreaList></env:Body></env:Envelope>';
const SOAP_RESPONSE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><pacsaxis:GetAreaListResponse xmlns:pacsaxis="http://www.axis.com/vapix/ws/pacs"><pacsaxis:Area token="a"><pacsaxis:Name>Lobby &amp; hall</pacsaxis:Name></pacsaxis:Area><pacsaxis:Area token="b"/></pacsaxis:GetAreaListResponse></env:Body></env:Envelope>';
const JSON_REQUEST = '{"pacsaxis:GetAreaList":{"Limit":1}}';
const JSON_RESPONSE = '{"Area":[{"token":"a","Name":"</script><script>alert(1)</script>"},{"token":"b"}]}';

function result(id: string, status: CheckResult["status"], overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    title: `title of ${id}`,
    service: "AccessControl",
    transport: "soap",
    status,
    durationMs: 12,
    message: "ok",
    specRefs: ["access-control-service.md#getarealist-command", "ACCESSCONTROL-15-1-2"],
    rule: "pacsaxis:GetAreaList pages hold at most Limit items.",
    quirk: "ignore-limit",
    evidence: [],
    warnings: [],
    ...overrides,
  };
}

const checks: CheckResult[] = [
  result("tac.area.get", "passed", { service: "AccessControl", transport: "json", durationMs: 1500 }),
  result("pacsaxis.paging.area-list.limit-one", "failed", {
    title: "Paging <script>alert('t')</script> & limits",
    message: "page 1 held 2 items; expected at most 1 </script><b>x</b> & more",
    warnings: ["slow answer <i>(3 s)</i>"],
    evidence: [
      {
        operation: "pacsaxis:GetAreaList",
        request: { method: "POST", url: "http://root:s3cret-pw@127.0.0.1:1/vapix/services", body: SOAP_REQUEST },
        response: { status: 200, body: SOAP_RESPONSE },
      },
      {
        operation: "pacsaxis:GetAreaList",
        request: { method: "POST", url: "http://127.0.0.1:1/vapix/pacs", body: JSON_REQUEST },
        response: { status: 200, body: JSON_RESPONSE },
        error: "retried after Authorization: Basic cm9vdDpzM2NyZXQtcHc=",
      },
    ],
  }),
  result("tdc.door.lock", "skipped", { service: "DoorControl", transport: "both", message: "needs a door this run may command (--door TOKEN)" }),
];

function summarize(cs: readonly CheckResult[]): RunSummary {
  return Object.fromEntries(CHECK_STATUSES.map((s) => [s, cs.filter((c) => c.status === s).length])) as RunSummary;
}

const report: RunReport = {
  tool: { name: "pacs-conformance", version: "0.1.0" },
  device: { url: "http://127.0.0.1:1/", peers: ["http://127.0.0.1:2/"] },
  startedAt: "2024-01-01T00:00:00.000Z",
  finishedAt: "2024-01-01T00:00:01.500Z",
  summary: summarize(checks),
  checks,
  seed: 42,
  runId: "abcde",
  transports: ["soap", "json"],
  interrupted: false,
};

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const DATA_SCRIPT = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/;

function embedded(html: string): { checks: CheckResult[]; device: { url: string } } {
  const m = DATA_SCRIPT.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as { checks: CheckResult[]; device: { url: string } };
}

/** `data-index` of each check row in page order. */
function rowOrder(html: string): number[] {
  return [...html.matchAll(/<details class="check s-[\w-]+" id="c-(\d+)" data-index="(\d+)"/g)].map((m) => Number(m[2]));
}

describe("renderHtmlReport", () => {
  const html = renderHtmlReport(report);

  it("escapes every text: no markup from the data reaches the page", () => {
    // The only script elements are the embedded data and the page's own code.
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain("<b>x</b>");
    expect(html).not.toContain("<i>(3 s)</i>");
    expect(html).toContain("Paging &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; limits");
    expect(html).toContain("expected at most 1 &lt;/script&gt;&lt;b&gt;x&lt;/b&gt; &amp; more");
    expect(html).toContain("slow answer &lt;i&gt;(3 s)&lt;/i&gt;");
  });

  it("embeds the report as JSON with < escaped, so </script> inside data cannot end the element", () => {
    const m = DATA_SCRIPT.exec(html);
    expect(m![1]).not.toContain("<");
    expect(m![1]).toContain("\\u003c/script>");
    const data = embedded(html);
    expect(data.checks.map((c) => c.id)).toEqual(checks.map((c) => c.id));
    expect(data.checks[1]!.title).toBe(checks[1]!.title);
    expect(data.checks[1]!.evidence[1]!.response!.body).toBe(JSON_RESPONSE);
  });

  it("has a header, a service × verdict summary with totals, the filters and a count", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    for (const text of ["http://127.0.0.1:1/", "http://127.0.0.1:2/", "<code>42</code>", "<code>abcde</code>", "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.500Z", "soap, json", "1.50 s"]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<dt>Interrupted<\/dt><dd>no<\/dd>/);
    expect(html).not.toContain('class="banner"');
    const summary = /<table class="summary">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(summary.match(/<th scope="col">([^<]*)<\/th>/g)!.map((t) => t.replace(/<[^>]+>/g, ""))).toEqual(["Service", "Passed", "Failed", "Warned", "Skipped", "Errored", "Total"]);
    expect(summary.match(/<th scope="row">([^<]*)<\/th>/g)!.map((t) => t.replace(/<[^>]+>/g, ""))).toEqual(["AccessControl", "DoorControl", "All services"]);
    expect(summary).toMatch(/All services<\/th>(?:<td[^>]*>(?:<button[^>]*>)?\d+(?:<\/button>)?<\/td>){6}/);
    for (const s of ["passed", "failed", "warned", "skipped", "errored"]) expect(html).toContain(`name="verdict" value="${s}" checked`);
    expect(html).toMatch(/<select id="f-service"><option value="">all<\/option><option value="AccessControl">AccessControl<\/option><option value="DoorControl">DoorControl<\/option><\/select>/);
    expect(html).toMatch(/<select id="f-transport"><option value="">all<\/option><option value="both">both<\/option><option value="json">json<\/option><option value="soap">soap<\/option><\/select>/);
    expect(html).toContain('<input type="search" id="f-text"');
    expect(html).toContain("Showing 3 of 3 checks");
  });

  it("lists failures first, then skips, then passes, each row with id, title, transport, verdict, duration and message", () => {
    expect(rowOrder(html)).toEqual([1, 2, 0]);
    const row = /<details class="check s-failed"[\s\S]*?<\/details>/.exec(html)![0];
    expect(row).toContain('<span class="c-id">pacsaxis.paging.area-list.limit-one</span>');
    expect(row).toContain('<span class="c-transport">soap</span>');
    expect(row).toContain('<span class="verdict v-failed">Failed</span>');
    expect(row).toContain('<span class="c-duration">12 ms</span>');
    expect(row).toContain("<dt>Rule</dt><dd>pacsaxis:GetAreaList pages hold at most Limit items.</dd>");
    expect(row).toContain("quirk <code>ignore-limit</code>");
  });

  it("pretty-prints the evidence: XML indented, JSON with two-space indent, both escaped", () => {
    const row = /<details class="check s-failed"[\s\S]*?<\/details>/.exec(html)![0];
    expect(row).toContain(escapeHtml(JSON.stringify(JSON.parse(JSON_RESPONSE), null, 2)));
    expect(row).toContain(escapeHtml(JSON.stringify(JSON.parse(JSON_REQUEST), null, 2)));
    expect(row).toContain(escapeHtml('\n    <pacsaxis:GetAreaListResponse xmlns:pacsaxis="http://www.axis.com/vapix/ws/pacs">\n      <pacsaxis:Area token="a">\n        <pacsaxis:Name>Lobby &amp; hall</pacsaxis:Name>\n      </pacsaxis:Area>\n      <pacsaxis:Area token="b"/>'));
    expect(row).toContain("HTTP <b class=\"http-ok\">200</b>");
    // Passing checks have no evidence block.
    expect(/<details class="check s-passed"[\s\S]*?<\/details>/.exec(html)![0]).not.toContain("Evidence");
  });

  it("redacts credentials in URLs, wsse:Password and Authorization values, on the page and in the embedded data", () => {
    expect(html).not.toContain("s3cret-pw");
    expect(html).not.toContain("cm9vdDpzM2NyZXQtcHc=");
    expect(html).toContain("http://[redacted]@127.0.0.1:1/vapix/services");
    expect(html).toContain(escapeHtml('<wsse:Password Type="#PasswordText">[redacted]</wsse:Password>'));
    expect(html).toContain("Authorization: Basic [redacted]");
  });

  it("loads nothing from the network: no external stylesheet, script, link or url(); every http(s) URL is report data", () => {
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<(?:img|iframe|object|embed|audio|video|source)\b/i);
    expect(html).not.toMatch(/\b(?:href|src|action|srcset|poster)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    const dataUrls = new Set(JSON.stringify(report).match(/https?:\/\/[^\s"'<>\\]*/g));
    const redactedUrls = [...dataUrls].map((u) => u.replace(/\/\/[^/@]+@/, "//[redacted]@"));
    const foreign = (html.match(/https?:\/\/[^\s"'<>&\\()]*/g) ?? []).filter((url) => !redactedUrls.some((d) => d.startsWith(url)));
    expect(foreign).toEqual([]);
  });

  it("shows spec references as text unless the doc exists locally, then links to ../../docs/", () => {
    expect(html).toContain("<code>access-control-service.md#getarealist-command</code>");
    expect(html).toContain("<code>ACCESSCONTROL-15-1-2</code>");
    expect(html).not.toContain("<a href=\"../../docs/");
    const linked = renderHtmlReport(report, { localDocs: ["access-control-service.md"] });
    expect(linked).toContain('<a href="../../docs/access-control-service.md#getarealist-command">access-control-service.md#getarealist-command</a>');
    expect(linked).toContain("<code>ACCESSCONTROL-15-1-2</code>");
  });

  it("is deterministic", () => {
    expect(renderHtmlReport(report)).toBe(html);
  });

  it("flags an interrupted run", () => {
    expect(renderHtmlReport({ ...report, interrupted: true })).toMatch(/<p class="banner" role="alert">Interrupted/);
  });

  it("adds the verdicts of an --expect list only when a check has them", () => {
    const gated = [...checks, result("tac.area.list", "expected-fail", { message: "known <deviation>" })];
    const page = renderHtmlReport({ ...report, checks: gated, summary: summarize(gated) });
    expect(page).toContain('name="verdict" value="expected-fail" checked');
    expect(page).not.toContain('value="unexpectedly-passed"');
    expect(html).not.toContain('value="expected-fail"');
    expect(rowOrder(page)).toEqual([1, 3, 2, 0]);
  });
});

describe("baseline comparison", () => {
  const baseline = {
    file: "reports/main/results.json",
    newFailures: ["pacsaxis.paging.area-list.limit-one [soap]"],
    fixed: ["tac.area.get [json]"],
    stillFailing: [],
    added: ["tdc.door.lock [both]"],
    removed: ["tac.gone <x> [soap]"],
  };
  // Read defensively: the page must not depend on RunReport's exact baseline type.
  const html = renderHtmlReport({ ...report, baseline } as unknown as RunReport);

  it("shows new failures first, linking each key to its row, and marks the row", () => {
    const section = /<section class="baseline" id="baseline">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(section).toContain("Compared with baseline <code>reports/main/results.json</code>");
    const headings = section.match(/<h3>[^<]*<\/h3>/g)!.map((h) => h.replace(/<[^>]+>/g, ""));
    expect(headings).toEqual(["New failures (1)", "Fixed (1)", "Added (1)", "Removed (1)"]);
    expect(section).toContain('<a class="jump" href="#c-1"><code>pacsaxis.paging.area-list.limit-one [soap]</code></a>');
    expect(section).toContain("<li><code>tac.gone &lt;x&gt; [soap]</code></li>");
    expect(/<details class="check s-failed"[\s\S]*?<\/summary>/.exec(html)![0]).toContain('class="new-badge"');
  });

  it("ignores a missing or malformed baseline", () => {
    expect(renderHtmlReport(report)).not.toContain('id="baseline"');
    const odd = renderHtmlReport({ ...report, baseline: { newFailures: "x", fixed: [1, "tac.area.get [json]"] } } as unknown as RunReport);
    expect(odd).toContain("Fixed (1)");
    expect(odd).not.toContain("New failures");
  });
});

describe("prettyBody", () => {
  it("indents truncated XML without losing text, keeps truncated JSON and plain text as they are", () => {
    expect(prettyBody("<a><b>1</b><c><d/></c></a>")).toBe("<a>\n  <b>1</b>\n  <c>\n    <d/>\n  </c>\n</a>");
    expect(prettyBody('<a x="1>2"><b>te… (40 more characters)')).toBe('<a x="1>2">\n  <b>\n    te… (40 more characters)');
    expect(prettyBody("<a><b>1</b></… (9 more characters)")).toBe("<a>\n  <b>1</b>\n  </… (9 more characters)");
    expect(prettyBody('{"a":[1,… (9 more characters)')).toBe('{"a":[1,… (9 more characters)');
    expect(prettyBody("Unauthorized")).toBe("Unauthorized");
  });
});

describe("HtmlReporter", () => {
  it("writes index.html into the report dir, linking spec references to docs that exist two levels up", async () => {
    const root = await mkdtemp(join(tmpdir(), "pcx-html-"));
    try {
      const dir = join(root, "reports", "latest");
      await new HtmlReporter(dir).onEnd(report);
      const plain = await readFile(join(dir, HTML_FILE), "utf8");
      expect(plain).toBe(renderHtmlReport(report));

      await mkdir(join(root, "docs"));
      await writeFile(join(root, "docs", "access-control-service.md"), "# Access control\n");
      await new HtmlReporter(dir).onEnd(report);
      expect(await readFile(join(dir, HTML_FILE), "utf8")).toContain('<a href="../../docs/access-control-service.md#getarealist-command">');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("services and features", () => {
  const feature = (id: string, state: Feature["state"], evidence: string, extra: Partial<Feature> = {}): Feature => ({ id, kind: id.slice(0, id.indexOf(":")) as Feature["kind"], state, evidence, ...extra });
  const features: FeatureList = {
    features: [
      feature("capability:tac.MaxLimit", "supported", "tac:GetServiceCapabilities: MaxLimit=100", { value: 100 }),
      feature("capability:tac.SetArea", "not-supported", 'tac:GetServiceCapabilities: SetArea="<b>false</b>"', { value: "<b>false</b>" }),
      feature("capability:tdc.SetDoorSupported", "supported", 'tdc:GetServiceCapabilities: SetDoorSupported="false"', { value: false, discovered: "not-supported" }),
      feature("operation:axtdc:GetDoor", "supported", "axtdc:GetDoor answered HTTP 200", { advertised: "supported" }),
      feature("operation:axtdc:SetDoor", "not-supported", "axtdc:SetDoor answered env:Receiver/ter:ActionNotSupported", { advertised: "supported" }),
      feature("service:axtpc", "not-supported", "axtpc:GetServiceCapabilities: HTTP 404 from http://root:s3cret-pw@127.0.0.1:1/vapix/axtpc", {
        exchange: { operation: "axtpc:GetServiceCapabilities", request: { method: "POST", url: "http://127.0.0.1:1/vapix/axtpc", body: '{"axtpc:GetServiceCapabilities":{},"Password":"s3cret-pw"}' }, response: { status: 404, body: "<html>Not Found</html>" } },
      }),
      feature("service:pacsaxis", "supported", "pacsaxis:GetServiceCapabilities answered"),
      feature("service:tac", "supported", "tac:GetServiceCapabilities answered"),
      feature("service:tdc", "supported", "tdc:GetServiceCapabilities answered"),
      feature("topic:tns1:AccessControl/AccessGranted/Card", "undefined", "GetEventProperties did not answer"),
    ],
    declaredFrom: "vendor <features>.json",
    differences: [{ id: "capability:tdc.SetDoorSupported", declared: "supported", discovered: "not-supported", evidence: 'tdc:GetServiceCapabilities: SetDoorSupported="false"' }],
    problems: ["tdc:GetServiceCapabilities <tdc:Capabilities> is not schema-valid & was read leniently"],
  };
  const featureChecks: CheckResult[] = [
    ...checks.map((c, i) => (i === 0 ? { ...c, undefinedFeatures: ["topic:tns1:AccessControl/AccessGranted/Card"] } : c)),
    result("axtpc.list", "skipped", { service: "ThirdPartyCredential", message: "service:axtpc is not supported: HTTP 404" }),
  ];
  const services = serviceVerdicts(featureChecks, features);
  const withFeatures: RunReport = { ...report, checks: featureChecks, summary: summarize(featureChecks), features, services };
  const html = renderHtmlReport(withFeatures);
  const section = (id: string): string => new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";
  const cells = (row: string): string[] => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
  const rows = (table: string): string[][] => [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!));

  it("shows a Services table, one row per ServiceVerdict, and the closing sentence", () => {
    expect(services.map((v: ServiceVerdict) => [v.service, v.verdict])).toEqual([
      ["AccessControl", "deviations"],
      ["DoorControl", "not-run"],
      ["ThirdPartyCredential", "not-supported"],
    ]);
    const table = /<table class="services">([\s\S]*?)<\/table>/.exec(section("services"))![1]!;
    expect(rows(table)).toEqual([
      ["Service", "Support", "Verdict", "Passed", "Failed", "Skipped", "Other"],
      ["AccessControl", "supported", "deviations", "1", "1", "0", "0"],
      ["DoorControl", "supported", "not-run", "0", "0", "1", "0"],
      ["ThirdPartyCredential", "not-supported", "not-supported", "0", "0", "1", "0"],
    ]);
    expect(section("services")).toContain('<p class="services-verdict">Deviations in 1 of 2 served services (AccessControl); no check ran for 1 (DoorControl); 1 service not supported (ThirdPartyCredential).</p>');
  });

  it("shows the features: counts, the declaration, differences and problems, and every feature in a collapsed table", () => {
    const f = section("features");
    expect(f).toContain('<p class="f-counts">6 supported, 3 not-supported, 1 undefined</p>');
    expect(f).toContain("States declared in <code>vendor &lt;features&gt;.json</code>");
    expect(f).toContain("1 check ran on undefined features");
    expect(rows(/<table class="f-differences">([\s\S]*?)<\/table>/.exec(f)![1]!)).toEqual([
      ["Feature", "Declared", "Discovered", "Evidence"],
      ["capability:tdc.SetDoorSupported", "supported", "not-supported", 'tdc:GetServiceCapabilities: SetDoorSupported=&quot;false&quot;'],
    ]);
    expect(f).toContain("<li>tdc:GetServiceCapabilities &lt;tdc:Capabilities&gt; is not schema-valid &amp; was read leniently</li>");
    expect(f).toMatch(/<details class="features" id="feature-list"><summary>All 10 features<\/summary>/);
    expect(f).not.toMatch(/<details class="features"[^>]* open/);
    const table = rows(/<table class="features">([\s\S]*?)<\/table>/.exec(f)![1]!.replace(/<details class="f-exchange">[\s\S]*?<\/details>/g, ""));
    expect(table[0]).toEqual(["Feature", "State", "Value", "Evidence"]);
    expect(table.slice(1).map((r) => r[0])).toEqual(features.features.map((x) => x.id));
    expect(table[1]).toEqual(["capability:tac.MaxLimit", "supported", "100", "tac:GetServiceCapabilities: MaxLimit=100"]);
    expect(table[2]).toEqual(["capability:tac.SetArea", "not-supported", "&lt;b&gt;false&lt;/b&gt;", "tac:GetServiceCapabilities: SetArea=&quot;&lt;b&gt;false&lt;/b&gt;&quot;"]);
    expect(table[3]).toEqual(["capability:tdc.SetDoorSupported", "supported (discovered not-supported)", "false", 'tdc:GetServiceCapabilities: SetDoorSupported=&quot;false&quot;']);
    // What the device advertises is noted only where it disagrees with the state.
    expect(table[4]).toEqual(["operation:axtdc:GetDoor", "supported", "", "axtdc:GetDoor answered HTTP 200"]);
    expect(table[5]).toEqual(["operation:axtdc:SetDoor", "not-supported (advertised supported)", "", "axtdc:SetDoor answered env:Receiver/ter:ActionNotSupported"]);
    expect(f).toContain('<tr class="fs-not-supported"><td><code>service:axtpc</code></td>');
  });

  it("keeps the feature's exchange behind its own toggle, escaped and redacted", () => {
    const f = section("features");
    const exchange = /<details class="f-exchange">([\s\S]*?)<\/details>/.exec(f)![1]!;
    expect(exchange).toContain("<code>axtpc:GetServiceCapabilities</code>");
    expect(exchange).toContain("&lt;html&gt;Not Found&lt;/html&gt;");
    expect(html).not.toContain("s3cret-pw");
    expect(f).toContain("HTTP 404 from http://[redacted]@127.0.0.1:1/vapix/axtpc");
    expect(html).not.toContain("<b>false</b>");
  });

  it("names the undefined features in the check's row", () => {
    const row = /<details class="check s-passed"[\s\S]*?<\/details>/.exec(html)![0];
    expect(row).toContain('<dt>Undefined features</dt><dd class="undefined-features">ran though discovery left <code>topic:tns1:AccessControl/AccessGranted/Card</code> undefined</dd>');
  });

  it("embeds features and services with the report data, redacted", () => {
    const data = JSON.parse(DATA_SCRIPT.exec(html)![1]!) as { features: FeatureList; services: ServiceVerdict[] };
    expect(data.services).toEqual(services);
    expect(data.features.features.map((x) => x.id)).toEqual(features.features.map((x) => x.id));
    expect(data.features.features[5]!.exchange!.request.body).toBe('{"axtpc:GetServiceCapabilities":{},"Password":"[redacted]"}');
    expect(data.features.differences).toEqual(features.differences);
  });

  it("keeps the page self-contained, the checks' selectors unchanged, and is deterministic", () => {
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html).not.toMatch(/\b(?:href|src|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html.match(/<details class="check /g)).toHaveLength(featureChecks.length);
    expect(html).toContain(`Showing ${featureChecks.length} of ${featureChecks.length} checks`);
    expect(renderHtmlReport(withFeatures)).toBe(html);
  });

  it("has neither section for a run without a feature list", () => {
    const plain = renderHtmlReport(report);
    expect(plain).not.toContain('id="services"');
    expect(plain).not.toContain('id="features"');
    expect(JSON.parse(DATA_SCRIPT.exec(plain)![1]!)).not.toHaveProperty("features");
  });
});
