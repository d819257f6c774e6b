/**
 * Event logger configuration beyond filters: global event distribution (toggled only on a device
 * the run owns) and schema conformance of the event logger's responses, capabilities included.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { excerptJson } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, expectSchemaConformance, lastExchange, xsBoolean, type SchemaCall } from "../generic/support.js";
import { FETCH_ALARMS, FETCH_EVENTS, LIST_ALARM, LIST_IGNORE, SERVICE, areaEvents, areaFilter, opRef, ownArea, section } from "./support.js";

const CAPABILITIES = "axloc:GetServiceCapabilities";
const GET_DISTRIBUTION = "axloc:GetEventDistributionConfig";
const ENABLE = "axloc:EnableGlobalDistribution";
const DISABLE = "axloc:DisableGlobalDistribution";

/** GlobalDistributionEnabled of a GetEventDistributionConfig answer (one item, or a list of one as in the JSON example). */
async function distributionEnabled(call: (op: string, input: unknown) => Promise<unknown>): Promise<{ value: boolean | undefined; raw: unknown }> {
  const r = (await call(GET_DISTRIBUTION, {})) as Record<string, unknown>;
  const config = r["EventDistributionConfig"];
  const item = (Array.isArray(config) ? config[0] : config) as Record<string, unknown> | undefined;
  return { value: xsBoolean(item?.["GlobalDistributionEnabled"]), raw: config };
}

/** The EventLoggerConfig capabilities (axloc:ServiceCapabilities). */
async function capabilities(ctx: CheckContext): Promise<Record<string, unknown>> {
  const r = await ctx.call<Record<string, unknown>>(CAPABILITIES, {});
  const caps = r["Capabilities"];
  if (caps === null || typeof caps !== "object") ctx.fail(`GetServiceCapabilities answered ${excerptJson(r)}; expected Capabilities`, lastExchange(ctx));
  return caps as Record<string, unknown>;
}

const distribution: CheckDefinition = {
  id: "axloc.global-distribution.toggle",
  title: "Disable/EnableGlobalDistribution change GetEventDistributionConfig",
  service: SERVICE,
  rule: "With EnableGlobalEvents in the capabilities, DisableGlobalDistribution makes GetEventDistributionConfig report GlobalDistributionEnabled false, and EnableGlobalDistribution true again.",
  specRefs: [section("event-distribution"), opRef(GET_DISTRIBUTION), opRef(DISABLE), opRef(ENABLE), section("servicecapabilities-data-structure")],
  quirk: "eventlog-distribution-not-toggled",
  notes:
    "Toggling changes how a whole door-controller network shares its events, so it runs only on a device the run owns (the built-in reference device: pacs-conformance run without --device) and is skipped otherwise; the original setting is restored after the check. Skipped when the capabilities do not report EnableGlobalEvents.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, CAPABILITIES, GET_DISTRIBUTION, ENABLE, DISABLE);
    if (!ctx.ownsDevice) {
      ctx.skip("toggling global event distribution changes what every door controller of the network logs; it runs only against the built-in reference device (pacs-conformance run without --device)");
    }
    const caps = await capabilities(ctx);
    if (xsBoolean(caps["EnableGlobalEvents"]) !== true) ctx.skip(`GetServiceCapabilities reports EnableGlobalEvents ${excerptJson(caps["EnableGlobalEvents"])}; the distribution operations are optional`);
    const original = await distributionEnabled((op, input) => ctx.call(op, input));
    if (original.value === undefined) ctx.fail(`GetEventDistributionConfig answered EventDistributionConfig ${excerptJson(original.raw)}; expected GlobalDistributionEnabled true or false`, lastExchange(ctx));
    ctx.onCleanup(`restore global distribution ${original.value ? "enabled" : "disabled"}`, async (call) => {
      if ((await distributionEnabled(call)).value !== original.value) await call(original.value ? ENABLE : DISABLE, {});
    });
    const wrong: string[] = [];
    const steps: [string, boolean][] = original.value ? [[DISABLE, false], [ENABLE, true]] : [[ENABLE, true], [DISABLE, false]];
    for (const [op, want] of steps) {
      await ctx.call(op, {});
      const now = await distributionEnabled((o, input) => ctx.call(o, input));
      if (now.value !== want) wrong.push(`after ${op.slice(6)} GlobalDistributionEnabled is ${excerptJson(now.value ?? now.raw)}; expected ${want}`);
    }
    if (wrong.length > 0) ctx.fail(wrong.join("; "), lastExchange(ctx));
  },
};

const schema: CheckDefinition = {
  id: "axloc.schema.responses",
  title: "Event logger responses and capabilities conform to the schema",
  service: SERVICE,
  rule: "GetServiceCapabilities, GetEventDistributionConfig, GetIgnoreFilterList, GetAlarmFilterList, FetchEvents and FetchAlarms answer with responses that conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP).",
  specRefs: [opRef(CAPABILITIES), section("servicecapabilities-data-structure"), section("fetchevents-response"), opRef(FETCH_EVENTS), opRef(FETCH_ALARMS), opRef(LIST_IGNORE), opRef(GET_DISTRIBUTION)],
  quirk: "schema-invalid-response",
  notes: "FetchEvents is asked for an event of an Area the run creates, so at least one event is judged. GetEventDistributionConfig is judged only when the capabilities report EnableGlobalEvents.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, CAPABILITIES, FETCH_EVENTS);
    const token = await ownArea(ctx, 90);
    await areaEvents(ctx, token, 1);
    const before = ctx.exchanges.length;
    const global = xsBoolean((await capabilities(ctx))["EnableGlobalEvents"]) === true;
    const calls: SchemaCall[] = [
      [FETCH_EVENTS, { Filters: areaFilter(token), Limit: 2 }],
      ...([
        ...(global ? [[GET_DISTRIBUTION, {}]] : []),
        [LIST_IGNORE, {}],
        [LIST_ALARM, {}],
        [FETCH_ALARMS, { Limit: 2 }],
      ] as SchemaCall[]).filter(([op]) => ctx.hasOperation(op)),
    ];
    await expectSchemaConformance(ctx, calls, ctx.exchanges.slice(before).map((ex) => [CAPABILITIES, ex] as const));
  },
};

export function configChecks(): CheckDefinition[] {
  return [distribution, schema];
}
