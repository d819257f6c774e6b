export { ConsoleReporter, type ConsoleReporterOptions } from "./console-reporter.js";
export { JsonReporter, RESULTS_FILE, renderFeaturesJson, renderResultsJson } from "./json-reporter.js";
export { FEATURES_FILE } from "../harness/features.js";
export { JunitReporter, JUNIT_FILE, renderJunitXml } from "./junit-reporter.js";
export { HtmlReporter, HTML_FILE, renderHtmlReport, type HtmlReportOptions } from "./html-reporter.js";
