/**
 * Advertised against actual: what a device says it serves (GetServices, apidiscovery.cgi, the
 * capability flags) is what it answers, and what it says is schema-valid. Feature discovery
 * (harness/discovery.ts) recorded what the device says; these checks probe again over their own
 * transport and judge. They judge the features themselves, so the harness neither skips them for a
 * missing feature nor their calls to one.
 */
import { CAPABILITY_GATES, SERVICE_CATALOG } from "../../../src/runtime/service-catalog.js";
import { capabilityTextProblems, harmlessRead, namespaceOfPrefix, prefixOfNamespace, probeOperation, rawCapabilities, type Outcome } from "../../harness/discovery.js";
import { capabilityFeature, serviceFeature } from "../../harness/features.js";
import { operationDescriptor } from "../../harness/operations.js";
import { faultOf } from "../../harness/faults.js";
import { errorCode, errorMessage } from "../../harness/verdict.js";
import { parseXml } from "../../../src/runtime/xml.js";
import type { XmlElement } from "../../../src/runtime/model.js";
import type { CheckContext, CheckDefinition, Exchange, Protocol } from "../../harness/types.js";
import { lastExchange } from "../generic/support.js";
import { API_DISCOVERY_CGI, SERVICE, VAPIX_REF, jsonApi } from "../identity/support.js";

const BOTH: readonly Protocol[] = ["soap", "json"];
const FEATURE_DISCOVERY = "ONVIF Device Test Specification Description, feature discovery";

/** An operation without a VAPIX JSON flavour (the device service, events): probed over SOAP only. */
const soapOnly = (op: string): boolean => operationDescriptor(op)?.jsonPath === undefined;

/** The catalogue's prefixes the suite has a harmless read for, with that read. */
function probeable(): { prefix: string; op: string }[] {
  return SERVICE_CATALOG.flatMap((s) => s.prefixes).flatMap((prefix) => {
    const read = harmlessRead(namespaceOfPrefix(prefix) ?? "");
    return read === undefined ? [] : [{ prefix, op: `${prefix}:${read.name}` }];
  });
}

/** Probes an operation over the check's transport (SOAP for the SOAP-only services), recording the exchange. */
async function probe(ctx: CheckContext, op: string): Promise<{ outcome: Outcome; exchange: Exchange | undefined }> {
  const via: Protocol = soapOnly(op) ? "soap" : ctx.protocol;
  const outcome = await probeOperation(via, (req) => ctx.sendRaw(req, via), op);
  return { outcome, exchange: lastExchange(ctx) };
}

/** Fails with every problem found, the first one's exchange as evidence. */
function judge(ctx: CheckContext, what: string, problems: readonly { text: string; exchange: Exchange | undefined }[]): void {
  if (problems.length === 0) return;
  ctx.fail(`${what}: ${problems.map((p) => p.text).join("; ")}`, problems[0]!.exchange);
}

/** A service's GetServices listing as discovery recorded it; skips the check when GetServices did not answer. */
function requireListing(ctx: CheckContext): void {
  const any = SERVICE_CATALOG.some((s) => s.prefixes.some((p) => ctx.features.get(serviceFeature(p))?.advertised !== undefined));
  if (!any) ctx.skip(`GetServices did not answer during feature discovery (${ctx.features.get(serviceFeature("tds"))?.evidence ?? "no evidence"}); there is no listing to compare`);
}

/**
 * Probes every service GetServices says is `listed` (supported) or not (not-supported) over the
 * check's transport, and fails on each whose answer says the opposite.
 */
async function compareListing(ctx: CheckContext, listed: "supported" | "not-supported", what: string, describe: (prefix: string, how: string) => string): Promise<void> {
  requireListing(ctx);
  const problems: { text: string; exchange: Exchange | undefined }[] = [];
  for (const { prefix, op } of probeable()) {
    if (ctx.features.get(serviceFeature(prefix))?.advertised !== listed) continue;
    if (ctx.protocol === "json" && soapOnly(op)) continue;
    const { outcome, exchange } = await probe(ctx, op);
    const opposite = listed === "supported" ? "not-supported" : "supported";
    if (outcome.state === opposite) problems.push({ text: describe(prefix, outcome.how), exchange });
  }
  judge(ctx, what, problems);
}

const advertisedServed: CheckDefinition = {
  id: "discovery.services.advertised-served",
  title: "Every service GetServices lists answers its operations",
  service: SERVICE,
  rule: "A service GetServices lists is served: its GetServiceCapabilities (or another read that needs no input) does not answer ter:ActionNotSupported, ter:UnknownAction or HTTP 404/405, over SOAP and over its VAPIX JSON path.",
  specRefs: ["DEVICE-1-1-13", FEATURE_DISCOVERY],
  quirk: "discovery-advertises-unserved-service",
  notes: "Services the suite has no read without input for (service discovery, remote I/O) are not judged. The device and event services are probed over SOAP only.",
  transports: BOTH,
  judgesFeatures: true,
  run: (ctx) => compareListing(ctx, "supported", "listed but not served", (prefix, how) => `GetServices lists ${prefix} but ${how}`),
};

const servedAdvertised: CheckDefinition = {
  id: "discovery.services.served-advertised",
  title: "Every service the device answers is listed by GetServices",
  service: SERVICE,
  rule: "A service whose GetServiceCapabilities (or another read that needs no input) answers is listed by GetServices: clients find services through GetServices only.",
  specRefs: ["DEVICE-1-1-13", "DEVICE-1-1-24", FEATURE_DISCOVERY],
  quirk: "discovery-hides-served-service",
  notes: "Judged on the namespaces the suite has generated code for; the device and event services over SOAP only.",
  transports: BOTH,
  judgesFeatures: true,
  run: (ctx) => compareListing(ctx, "not-supported", "served but not listed", (prefix, how) => `GetServices does not list ${prefix}, yet ${how}`),
};

const operationsHonoured: CheckDefinition = {
  id: "discovery.capabilities.operations-honoured",
  title: "Capability flags say truly which operations are served",
  service: SERVICE,
  rule: "A capability flag that names operations (\"True if SetAccessPoint operations is supported\") is honoured both ways: with the flag true the operations do not answer ter:ActionNotSupported or ter:UnknownAction; with it false they do not answer as served operations.",
  specRefs: ["ACCESSCONTROL-1-1-1", "DOORCONTROL-1-1-1", "access-control-service.md#servicecapabilities-data-structure", "door-control-service.md#getservicecapabilities-command", "idpoint-service.md#service-capabilities-data-structure", "schedule-service.md#getservicecapabilities-command", FEATURE_DISCOVERY],
  quirk: "discovery-capability-flag-lies",
  notes: "Each operation is probed with an empty request (no item named: nothing changes); a fault about the input shows the operation is served. Flags the device does not report are not judged.",
  transports: BOTH,
  judgesFeatures: true,
  run: async (ctx) => {
    const problems: { text: string; exchange: Exchange | undefined }[] = [];
    let judged = 0;
    for (const gate of CAPABILITY_GATES) {
      const flag = ctx.features.get(capabilityFeature(gate.prefix, gate.capability));
      if (flag === undefined || flag.state === "undefined") continue;
      for (const op of gate.operations) {
        if (ctx.features.state(serviceFeature(op.slice(0, op.indexOf(":")))) === "not-supported") continue;
        judged++;
        const { outcome, exchange } = await probe(ctx, op);
        if (flag.state === "supported" && outcome.state === "not-supported") problems.push({ text: `${gate.prefix} ${gate.capability} is true, but ${outcome.how}`, exchange });
        if (flag.state === "not-supported" && outcome.state === "supported") problems.push({ text: `${gate.prefix} ${gate.capability} is false, but ${outcome.how}`, exchange });
      }
    }
    if (judged === 0) ctx.skip("the device reports none of the capability flags that name operations (AccessControl, DoorControl, IdPoint, Schedule)");
    judge(ctx, "capability flags and operations disagree", problems);
  },
};

const apiDiscoveryAgrees: CheckDefinition = {
  id: "discovery.api-discovery.agrees-with-get-services",
  title: "apidiscovery.cgi and GetServices list the same services",
  service: SERVICE,
  rule: "apidiscovery.cgi's getApiList lists a VAPIX service's API exactly when GetServices lists one of the service's namespaces.",
  specRefs: [VAPIX_REF.apiDiscovery, "DEVICE-1-1-13", FEATURE_DISCOVERY],
  quirk: "discovery-apidiscovery-disagrees",
  notes:
    "The API ids are the reference device's naming (access-control, door-control, idpoint, io-assignment, schedule, user, event-logger, keystore, third-party-credential, service-discovery, remote-io); a device that lists none of them names its APIs otherwise, and the check only warns.",
  transports: ["soap"],
  judgesFeatures: true,
  run: async (ctx) => {
    requireListing(ctx);
    const list = await jsonApi(ctx, API_DISCOVERY_CGI, "getApiList");
    if (!list.ok) return ctx.skip(`apidiscovery.cgi getApiList answered ${list.why}; the identity checks judge that`);
    const apis = list.data["apiList"];
    const ids = new Set((Array.isArray(apis) ? apis : []).map((a) => String((a as Record<string, unknown> | null)?.["id"] ?? "").trim()));
    const known = SERVICE_CATALOG.filter((s) => s.apiId !== undefined);
    if (!known.some((s) => ids.has(s.apiId!))) {
      ctx.warn(`getApiList lists none of the API ids this suite knows (${[...ids].join(", ")}); the device names its APIs otherwise, so the two lists are not compared`, list.exchange);
      return;
    }
    const problems: string[] = [];
    for (const s of known) {
      const listedBy = s.prefixes.filter((p) => ctx.features.get(serviceFeature(p))?.advertised === "supported");
      const inApis = ids.has(s.apiId!);
      if (listedBy.length > 0 && !inApis) problems.push(`GetServices lists ${listedBy.join(", ")} but getApiList has no ${s.apiId}`);
      if (listedBy.length === 0 && inApis) problems.push(`getApiList lists ${s.apiId} but GetServices lists none of ${s.prefixes.join(", ")}`);
    }
    if (problems.length > 0) ctx.fail(problems.join("; "), list.exchange);
  },
};

const capabilitiesValid: CheckDefinition = {
  id: "discovery.capabilities.schema-valid",
  title: "Every service's GetServiceCapabilities answer is schema-valid",
  service: SERVICE,
  rule: "GetServiceCapabilities of every served service answers Capabilities that validate against the service's schema: booleans are xs:boolean (true, false, 1, 0), numbers are numbers, required attributes are present.",
  specRefs: ["ACCESSCONTROL-1-1-1", "DOORCONTROL-1-1-1", "DEVICE-1-1-24", FEATURE_DISCOVERY],
  quirk: "capabilities-invalid-boolean",
  notes:
    "Feature discovery reads a wrong answer leniently so that the run goes on; this check is where it is judged. Over VAPIX JSON a boolean may be a JSON boolean or the text true, false, 1 or 0 (\"True\" fails). The device and event services are asked over SOAP only.",
  transports: BOTH,
  judgesFeatures: true,
  run: async (ctx) => {
    const problems: { text: string; exchange: Exchange | undefined }[] = [];
    let asked = 0;
    for (const s of SERVICE_CATALOG) {
      for (const prefix of s.prefixes) {
        const op = `${prefix}:GetServiceCapabilities`;
        if (!ctx.hasOperation(op) || ctx.features.state(serviceFeature(prefix)) !== "supported") continue;
        if (ctx.protocol === "json" && soapOnly(op)) continue;
        asked++;
        try {
          const via: Protocol = soapOnly(op) ? "soap" : ctx.protocol;
          await ctx.call(op, {}, via);
          // The JSON decoder reads "True" as true; the text itself is judged here.
          const exchange = lastExchange(ctx);
          if (via === "json" && exchange?.response !== undefined) {
            for (const text of capabilityTextProblems(prefix, rawCapabilities("json", exchange.response.body) ?? {})) problems.push({ text, exchange });
          }
        } catch (err) {
          const code = errorCode(err);
          if (code === "DECODE_FAILED" || code === "MALFORMED_RESPONSE") problems.push({ text: `${op}: ${errorMessage(err)}`, exchange: lastExchange(ctx) });
          else throw err;
        }
      }
    }
    if (asked === 0) ctx.skip("the device serves no service with GetServiceCapabilities");
    judge(ctx, "capabilities not schema-valid", problems);
  },
};

/**
 * A capabilities element as "path → value": its own attributes by name, a child's as
 * "Child@Name" (the device service's Network, Security, System, Misc), text content as "Child".
 */
function capabilityValues(el: XmlElement, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of el.attrs) if (a.ns === "") out.set(`${path}@${a.local}`.replace(/^@/, ""), a.value.trim().replace(/\s+/g, " "));
  for (const c of el.children) for (const [k, v] of capabilityValues(c, path === "" ? c.local : `${path}/${c.local}`)) out.set(k, v);
  if (el.children.length === 0 && el.text.trim() !== "" && path !== "") out.set(path, el.text.trim().replace(/\s+/g, " "));
  return out;
}

/** Two capability values are the same: equal text, the same xs:boolean (1 = true), or the same number. */
function sameValue(a: string, b: string): boolean {
  const bool = (t: string): boolean | undefined => (t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : undefined);
  if (a === b) return true;
  if (bool(a) !== undefined && bool(a) === bool(b)) return true;
  return /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b) && Number(a) === Number(b);
}

/** The differences between what GetServices says of a service's capabilities and what its GetServiceCapabilities says. */
function capabilityDifferences(prefix: string, listed: Map<string, string>, own: Map<string, string>): string[] {
  const out: string[] = [];
  for (const name of new Set([...listed.keys(), ...own.keys()])) {
    const [a, b] = [listed.get(name), own.get(name)];
    if (a !== undefined && b !== undefined) {
      if (!sameValue(a, b)) out.push(`${prefix} ${name}: GetServices "${a}", GetServiceCapabilities "${b}"`);
    } else {
      // An optional flag left out is false: leaving it out on one side and sending false on the other agrees.
      const present = (a ?? b)!;
      if (present === "false" || present === "0") continue;
      out.push(`${prefix} ${name}="${present}" only in ${a === undefined ? "GetServiceCapabilities" : "GetServices"}`);
    }
  }
  return out;
}

const getServicesCapabilitiesAgree: CheckDefinition = {
  id: "discovery.capabilities.get-services-agrees",
  title: "GetServices carries the same capabilities as each service's GetServiceCapabilities",
  service: SERVICE,
  rule: "For every service GetServices (IncludeCapability=true) lists that has its own GetServiceCapabilities, the Capabilities element it carries holds the same attributes with the same values as GetServiceCapabilities answers: a value that differs, or an attribute sent by only one of them, is a deviation (a flag left out and a flag sent as false agree).",
  specRefs: ["ACCESSCONTROL-1-1-2", "DOORCONTROL-1-1-2", "SCHEDULE-1-1-2", "CREDENTIAL-1-1-2", "EVENT-5-1-2", "DEVICE-1-1-19", FEATURE_DISCOVERY],
  quirk: "discovery-capabilities-disagree",
  notes:
    "GetServices is a device-service operation, so the check runs over SOAP and asks each service's GetServiceCapabilities over SOAP too; both answers are compared as sent (attributes and child elements), not as decoded. A service GetServices lists without a Capabilities element while its own GetServiceCapabilities answers one is a deviation too. Services without their own GetServiceCapabilities (IdPoint) have nothing to compare.",
  transports: ["soap"],
  judgesFeatures: true,
  run: async (ctx) => {
    let listing: Record<string, unknown>;
    try {
      listing = await ctx.call<Record<string, unknown>>("tds:GetServices", { IncludeCapability: true }, "soap");
    } catch (err) {
      return ctx.skip(`tds:GetServices (IncludeCapability=true) answered ${errorMessage(err)}; the device-service checks judge that`);
    }
    const listingExchange = lastExchange(ctx);
    const services = listing["Service"];
    const problems: { text: string; exchange: Exchange | undefined }[] = [];
    let compared = 0;
    for (const s of (Array.isArray(services) ? services : services === undefined ? [] : [services]) as Record<string, unknown>[]) {
      const prefix = prefixOfNamespace(String(s["Namespace"] ?? "").trim());
      if (prefix === undefined) continue;
      const op = `${prefix}:GetServiceCapabilities`;
      if (!ctx.hasOperation(op) || ctx.features.state(serviceFeature(prefix)) === "not-supported") continue;
      let own: XmlElement | undefined;
      try {
        await ctx.call(op, {}, "soap");
        const body = lastExchange(ctx)?.response?.body;
        own = body === undefined ? undefined : parseXml(body).children.find((c) => c.local === "Body")?.children[0]?.children.find((c) => c.local === "Capabilities");
      } catch (err) {
        // Not served, or not schema-valid: the listing and schema-valid checks judge those.
        if (faultOf(err) !== undefined || errorCode(err) === "DECODE_FAILED" || errorCode(err) === "MALFORMED_RESPONSE" || errorCode(err) === "HTTP_STATUS") continue;
        throw err;
      }
      if (own === undefined) continue;
      compared++;
      const any = (s["Capabilities"] as { any?: unknown } | undefined)?.any;
      const listed = (Array.isArray(any) ? any[0] : undefined) as XmlElement | undefined;
      if (listed === undefined) {
        problems.push({ text: `GetServices lists ${prefix} without its Capabilities, though ${op} answers them`, exchange: listingExchange });
        continue;
      }
      for (const text of capabilityDifferences(prefix, capabilityValues(listed), capabilityValues(own))) problems.push({ text, exchange: listingExchange });
    }
    if (compared === 0) ctx.skip("GetServices lists no service whose own GetServiceCapabilities answers; there is nothing to compare");
    judge(ctx, "GetServices and GetServiceCapabilities disagree", problems);
  },
};

export const discoveryChecks: readonly CheckDefinition[] = [advertisedServed, servedAdvertised, operationsHonoured, apiDiscoveryAgrees, capabilitiesValid, getServicesCapabilitiesAgree];

