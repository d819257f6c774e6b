/**
 * The HTML report of a real run, opened from disk (file://) in headless Chromium: the filters,
 * the count, the expandable evidence, and no network use. Needs Debian's Chromium at
 * /usr/bin/chromium (playwright-core drives it; no browser download); without it the tests skip.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { RunReport } from "../../conformance/harness/types.js";
import { HTML_FILE, HtmlReporter } from "../../conformance/reporters/index.js";
import { runSuite, startTestDevice } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = fileURLToPath(new URL("../../reports/html-report.png", import.meta.url));

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`html-report-browser: skipped, ${CHROMIUM} not found. Install Debian's Chromium to run it: sudo apt-get install chromium`);
}
const describeWithChromium = haveChromium ? describe : describe.skip;

describeWithChromium("the HTML report in headless Chromium", () => {
  let dir: string;
  let report: RunReport;
  let browser: Browser;
  let page: Page;
  const offDisk: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // ignore-limit breaks the Limit = 1 and random-Limit paging checks; the MaxLimit one still passes.
    const device = await startTestDevice({ quirks: ["ignore-limit"] });
    try {
      report = await runSuite(device, { grep: "access-point-list.limit" });
    } finally {
      await device.close();
    }
    dir = await mkdtemp(join(tmpdir(), "pcx-html-"));
    await new HtmlReporter(dir).onEnd(report);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) offDisk.push(r.url());
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.goto(pathToFileURL(join(dir, HTML_FILE)).href);
  });

  // Each test starts from the unfiltered page.
  beforeEach(async () => {
    await page.click("#f-reset");
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Rows the filters let through (optionally of one verdict), or `inner` elements of them. */
  const shown = (verdict = "", inner = "") => page.locator(`details.check${verdict === "" ? "" : `.s-${verdict}`}:not([hidden]) ${inner}`.trim());
  const countText = () => page.locator("#shown-count").textContent();
  const setVerdicts = async (only: readonly string[] | "all") => {
    for (const box of await page.locator("input[name=verdict]").all()) {
      await box.setChecked(only === "all" || only.includes(await box.getAttribute("value") ?? ""));
    }
  };

  it("the run has failed and passed checks, all listed with failures first", async () => {
    const failed = report.checks.filter((c) => c.status === "failed").length;
    const passed = report.checks.filter((c) => c.status === "passed").length;
    expect(failed).toBeGreaterThan(0);
    expect(passed).toBeGreaterThan(0);
    expect(await countText()).toBe(`Showing ${report.checks.length} of ${report.checks.length} checks`);
    const classes = await page.locator("details.check").evaluateAll((rows) => rows.map((r) => r.className));
    expect(classes.slice(0, failed).every((c) => c.includes("s-failed"))).toBe(true);
  });

  it('filtering by verdict "failed" hides the passed rows and updates the count', async () => {
    const failed = report.checks.filter((c) => c.status === "failed").length;
    await setVerdicts(["failed"]);
    expect(await countText()).toBe(`Showing ${failed} of ${report.checks.length} checks`);
    expect(await shown("passed").count()).toBe(0);
    expect(await page.locator("details.check.s-passed").first().isHidden()).toBe(true);
    expect(await shown("failed").count()).toBe(failed);
    await setVerdicts("all");
    expect(await shown().count()).toBe(report.checks.length);
  });

  it("the text filter matches ids, titles and messages", async () => {
    await page.fill("#f-text", "limit-max");
    const limitMax = report.checks.filter((c) => c.id.includes("limit-max")).length;
    expect(limitMax).toBeGreaterThan(0);
    expect(await countText()).toBe(`Showing ${limitMax} of ${report.checks.length} checks`);
    expect(await shown("", ".c-id").allTextContents()).toEqual(Array(limitMax).fill("pacsaxis.paging.access-point-list.limit-max"));
    await page.fill("#f-text", "expected at most 1");
    const byMessage = report.checks.filter((c) => c.message.includes("expected at most 1")).length;
    expect(byMessage).toBeGreaterThan(0);
    expect(await countText()).toBe(`Showing ${byMessage} of ${report.checks.length} checks`);
    await page.fill("#f-text", "no check has this text");
    expect(await countText()).toBe(`Showing 0 of ${report.checks.length} checks`);
    expect(await page.locator("#none-shown").isVisible()).toBe(true);
    await page.click("#f-reset");
    expect(await countText()).toBe(`Showing ${report.checks.length} of ${report.checks.length} checks`);
  });

  it("the service and transport selects filter too", async () => {
    await page.selectOption("#f-transport", "json");
    const json = report.checks.filter((c) => c.transport === "json").length;
    expect(await countText()).toBe(`Showing ${json} of ${report.checks.length} checks`);
    expect(await shown("", ".c-transport").allTextContents()).toEqual(Array(json).fill("json"));
    await page.selectOption("#f-service", "AccessControl");
    expect(await countText()).toBe(`Showing ${report.checks.filter((c) => c.transport === "json" && c.service === "AccessControl").length} of ${report.checks.length} checks`);
    await page.click("#f-reset");
  });

  it("expanding a failed check shows its request and response, XML indented", async () => {
    const row = page.locator("details.check.s-failed").first();
    const exchange = row.locator(".exchange").first();
    expect(await exchange.isVisible()).toBe(false);
    await row.locator("summary").click();
    expect(await row.getAttribute("open")).not.toBeNull();
    expect(await exchange.isVisible()).toBe(true);
    const text = (await exchange.textContent()) ?? "";
    expect(text).toMatch(/Request\s+POST\s+http:\/\/127\.0\.0\.1:\d+\/vapix\//);
    expect(text).toContain("GetAccessPointList");
    expect(text).toMatch(/Response\s+HTTP 200/);
    expect(await row.locator("dd").first().textContent()).toBe(report.checks.find((c) => c.status === "failed")!.rule);
    const bodies = await exchange.locator("pre.body").allTextContents();
    expect(bodies).toHaveLength(2);
    // Pretty-printed: one element per line, nested ones indented.
    expect(bodies.every((b) => b.split("\n").length > 3 && /\n {2,}</.test(b))).toBe(true);

    await mkdir(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it("loads nothing but the file itself and runs without script errors", () => {
    expect(offDisk).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
