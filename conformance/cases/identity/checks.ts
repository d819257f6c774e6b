/**
 * Identity and discovery, as integrations call them first: who the device says it is (the same
 * serial number, model and firmware in param.cgi, basicdeviceinfo.cgi and GetDeviceInformation),
 * what it says it serves (GetServices, apidiscovery.cgi) against what it answers, its clock
 * (GetSystemDateAndTime) and its users (GetUsers never returns a password). SOAP only: the device
 * service has no VAPIX JSON flavour, and the CGIs are plain HTTP over the same connection.
 */
import type { CheckContext, CheckDefinition, Protocol } from "../../harness/types.js";
import { excerptJson, faultOf } from "../../harness/faults.js";
import { isTrue, lastExchange } from "../generic/support.js";
import { subscribe } from "../events/subscription.js";
import { cleanupAccount, newPassword, usersOf } from "../accounts/support.js";
import {
  API_DISCOVERY_CGI,
  BASIC_DEVICE_INFO_CGI,
  SERVICE,
  SERVICE_API_IDS,
  SOAP_PATH,
  TDS_NS,
  VAPIX_REF,
  harmlessRead,
  jsonApi,
  knownNamespaces,
  listedServices,
  paramList,
  probe,
  requireJsonApi,
} from "./support.js";

const SOAP: readonly Protocol[] = ["soap"];

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : String(v).trim());

const consistent: CheckDefinition = {
  id: "identity.device-information.consistent",
  title: "param.cgi, basicdeviceinfo.cgi and GetDeviceInformation report the same serial number, model and firmware",
  service: SERVICE,
  rule: "The serial number (Properties.System.SerialNumber, SerialNumber), model (Brand.ProdNbr, ProdNbr, contained in Model), firmware version (Properties.Firmware.Version, Version, FirmwareVersion) and brand (Brand.Brand, Brand, Manufacturer) are the same in param.cgi, basicdeviceinfo.cgi getAllProperties and tds:GetDeviceInformation.",
  specRefs: ["DEVICE-3-1-9", VAPIX_REF.param, VAPIX_REF.basicDeviceInfo],
  quirk: "identity-serial-mismatch",
  notes: "Model may be the product number or a longer name containing it (\"A1601\", \"AXIS A1601\"); brand and manufacturer are compared ignoring case.",
  transports: SOAP,
  run: async (ctx) => {
    const info = await ctx.call<Record<string, unknown>>("tds:GetDeviceInformation", {}, "soap");
    const infoExchange = lastExchange(ctx);
    const params = await paramList(ctx, ["Brand", "Properties"]);
    const basic = await requireJsonApi(ctx, BASIC_DEVICE_INFO_CGI, "getAllProperties");
    const props = (basic.data["propertyList"] ?? {}) as Record<string, unknown>;
    const p = (name: string): string => params.values.get(`root.${name}`)?.trim() ?? "";
    const missing = [
      ...["Properties.System.SerialNumber", "Brand.ProdNbr", "Properties.Firmware.Version", "Brand.Brand"].filter((n) => p(n) === "").map((n) => `param.cgi root.${n}`),
      ...["SerialNumber", "ProdNbr", "Version", "Brand"].filter((n) => str(props[n]) === "").map((n) => `basicdeviceinfo ${n}`),
      ...["SerialNumber", "Model", "FirmwareVersion", "Manufacturer"].filter((n) => str(info[n]) === "").map((n) => `GetDeviceInformation ${n}`),
    ];
    if (missing.length > 0) ctx.fail(`no value for ${missing.join(", ")}`, missing[0]!.startsWith("param") ? params.exchange : missing[0]!.startsWith("basic") ? basic.exchange : infoExchange);
    const wrong: string[] = [];
    const same = (what: string, values: [string, string][], eq: (a: string, b: string) => boolean = (a, b) => a === b): void => {
      if (values.some(([, v]) => !eq(v, values[0]![1]))) wrong.push(`${what} differs: ${values.map(([where, v]) => `${where} "${v}"`).join(", ")}`);
    };
    same("serial number", [
      ["GetDeviceInformation SerialNumber", str(info["SerialNumber"])],
      ["param.cgi Properties.System.SerialNumber", p("Properties.System.SerialNumber")],
      ["basicdeviceinfo SerialNumber", str(props["SerialNumber"])],
    ]);
    same("product number", [
      ["param.cgi Brand.ProdNbr", p("Brand.ProdNbr")],
      ["basicdeviceinfo ProdNbr", str(props["ProdNbr"])],
    ]);
    if (!str(info["Model"]).toLowerCase().includes(p("Brand.ProdNbr").toLowerCase())) wrong.push(`GetDeviceInformation Model "${str(info["Model"])}" does not name the product number "${p("Brand.ProdNbr")}" (param.cgi Brand.ProdNbr)`);
    same("firmware version", [
      ["GetDeviceInformation FirmwareVersion", str(info["FirmwareVersion"])],
      ["param.cgi Properties.Firmware.Version", p("Properties.Firmware.Version")],
      ["basicdeviceinfo Version", str(props["Version"])],
    ]);
    same(
      "brand",
      [
        ["GetDeviceInformation Manufacturer", str(info["Manufacturer"])],
        ["param.cgi Brand.Brand", p("Brand.Brand")],
        ["basicdeviceinfo Brand", str(props["Brand"])],
      ],
      (a, b) => a.toLowerCase() === b.toLowerCase(),
    );
    if (wrong.length > 0) ctx.fail(wrong.join("; "), wrong[0]!.includes("param.cgi") ? params.exchange : basic.exchange);
  },
};

const listsServed: CheckDefinition = {
  id: "tds.get-services.lists-served",
  title: "GetServices lists exactly the services the device answers",
  service: SERVICE,
  rule: "GetServices lists the device service and every other service the device answers, each namespace once, at an XAddr where it answers: a listed service whose harmless read (GetServiceCapabilities or an empty Get…List) answers ter:UnknownAction/ter:ActionNotSupported or is not found at its XAddr, or a service that answers but is not listed, breaks the rule.",
  specRefs: ["DEVICE-1-1-13", "DEVICE-1-1-24", "DEVICE-1-1-25", "DEVICE-1-1-31"],
  quirk: "identity-services-incomplete",
  notes:
    "Only namespaces the suite has generated code for are probed (a listed namespace it does not know, e.g. a media service, is not judged), and only with reads that need no input; a namespace without such a read (Axis service discovery, remote I/O) is not judged either. Listed services are probed at the path of their XAddr (host and scheme are the device's own), the others at /vapix/services.",
  transports: SOAP,
  run: async (ctx) => {
    const listed = await listedServices(ctx);
    const listing = lastExchange(ctx);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const s of listed) {
      if (seen.has(s.namespace)) problems.push(`${s.namespace} is listed twice`);
      seen.add(s.namespace);
    }
    if (!seen.has(TDS_NS)) problems.push(`the device service ${TDS_NS} is not listed`);
    let evidence = listing;
    for (const s of listed) {
      const op = harmlessRead(s.namespace);
      if (op === undefined) continue;
      let path: string;
      try {
        path = new URL(s.xaddr).pathname;
      } catch {
        problems.push(`${s.namespace} is listed with XAddr ${excerptJson(s.xaddr)}, which is not an absolute URL`);
        continue;
      }
      const outcome = await probe(ctx, op, path);
      if (!outcome.answers) {
        problems.push(`${s.namespace} is listed (XAddr ${s.xaddr}) but ${outcome.how}`);
        evidence = outcome.exchange;
      }
    }
    for (const ns of knownNamespaces().filter((n) => !seen.has(n))) {
      const op = harmlessRead(ns);
      if (op === undefined) continue;
      const outcome = await probe(ctx, op, SOAP_PATH);
      if (outcome.answers) {
        problems.push(`${ns} is not listed, yet ${outcome.how}`);
        evidence = listing;
      }
    }
    if (problems.length > 0) ctx.fail(`GetServices: ${problems.join("; ")}`, evidence);
  },
};

const listsApis: CheckDefinition = {
  id: "identity.api-discovery.lists-served-apis",
  title: "apidiscovery.cgi lists every API the device serves",
  service: SERVICE,
  rule: "getApiList lists each API with id, version and name: api-discovery itself, basic-device-info when basicdeviceinfo.cgi answers, param-cgi when param.cgi answers, and the API of each VAPIX service GetServices lists.",
  specRefs: [VAPIX_REF.apiDiscovery, VAPIX_REF.basicDeviceInfo, "DEVICE-1-1-13"],
  quirk: "identity-apidiscovery-missing-api",
  notes:
    "A missing api-discovery or basic-device-info (both answered in this check) fails. A missing param-cgi or service API id is a warning: those ids are the reference device's naming (access-control, door-control, idpoint, io-assignment, schedule, user, event-logger, keystore, third-party-credential), with no public list to hold a device to.",
  transports: SOAP,
  run: async (ctx) => {
    const list = await requireJsonApi(ctx, API_DISCOVERY_CGI, "getApiList");
    const apis = list.data["apiList"];
    if (!Array.isArray(apis)) ctx.fail(`getApiList answered ${excerptJson(list.data)}; expected data.apiList, a list`, list.exchange);
    const malformed = (apis as unknown[]).filter((a) => a === null || typeof a !== "object" || str((a as Record<string, unknown>)["id"]) === "" || str((a as Record<string, unknown>)["version"]) === "" || str((a as Record<string, unknown>)["name"]) === "");
    if (malformed.length > 0) ctx.fail(`getApiList entries without id, version or name: ${excerptJson(malformed)}`, list.exchange);
    const ids = new Set((apis as Record<string, unknown>[]).map((a) => str(a["id"])));
    const missing: string[] = [];
    if (!ids.has("api-discovery")) missing.push("api-discovery (apidiscovery.cgi answered this very request)");
    const basic = await jsonApi(ctx, BASIC_DEVICE_INFO_CGI, "getAllProperties");
    if (basic.ok && !ids.has("basic-device-info")) missing.push("basic-device-info (basicdeviceinfo.cgi answers getAllProperties)");
    if (missing.length > 0) ctx.fail(`getApiList lists ${[...ids].join(", ")}; missing ${missing.join(", ")}`, list.exchange);
    const params = await paramList(ctx, ["Brand.ProdNbr"]);
    const expected = new Map<string, string>();
    if (params.values.size > 0) expected.set("param-cgi", "param.cgi answers action=list");
    for (const s of await listedServices(ctx)) {
      const id = SERVICE_API_IDS[s.namespace];
      if (id !== undefined && !expected.has(id)) expected.set(id, `GetServices lists ${s.namespace}`);
    }
    const absent = [...expected].filter(([id]) => !ids.has(id));
    if (absent.length > 0) ctx.warn(`getApiList lists ${[...ids].join(", ")}; not among them: ${absent.map(([id, why]) => `${id} (${why})`).join(", ")}`, list.exchange);
  },
};

/** tt:DateTime → epoch ms; undefined when a field is missing. */
function instantOf(dt: unknown): number | undefined {
  const o = (dt ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const n = (part: string, f: string): number => Number(o[part]?.[f]);
  const fields = [n("Date", "Year"), n("Date", "Month"), n("Date", "Day"), n("Time", "Hour"), n("Time", "Minute"), n("Time", "Second")];
  if (fields.some((f) => !Number.isInteger(f))) return undefined;
  const [y, mo, d, h, mi, s] = fields as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Second granularity of tt:DateTime plus a generous margin for one device's two answers. */
const CLOCK_SLACK_MS = 2000;

const utcTime: CheckDefinition = {
  id: "tds.get-system-date-and-time.utc",
  title: "GetSystemDateAndTime gives the device clock in UTC",
  service: SERVICE,
  rule: "GetSystemDateAndTime answers DateTimeType Manual or NTP and a UTCDateTime (the Core requires it although the schema keeps it optional) that is the device's own time: it agrees with the UTC CurrentTime the event service answers, allowing the real time between the two requests plus 2 s.",
  specRefs: ["DEVICE-3-1-1", "EVENT-3-1-9"],
  quirk: "identity-utc-time-wrong",
  notes: "The device's own notion of now is CreatePullPointSubscription's CurrentTime (the subscription is removed afterwards); skipped when the device has no event service. A device clock that is simply wrong passes as long as both answers agree.",
  transports: SOAP,
  run: async (ctx) => {
    const started = Date.now();
    let currentTime: string;
    try {
      currentTime = (await subscribe(ctx, { initialTerminationTime: "PT60S" })).currentTime;
    } catch (err) {
      const f = faultOf(err);
      if (f !== undefined && (f.subcodes.includes("ter:UnknownAction") || f.subcodes.includes("ter:ActionNotSupported"))) ctx.skip("the device has no ONVIF event service to compare the clock with");
      throw err;
    }
    const r = await ctx.call<Record<string, unknown>>("tds:GetSystemDateAndTime", {}, "soap");
    const elapsed = Date.now() - started;
    const evidence = lastExchange(ctx);
    const sdt = (r["SystemDateAndTime"] ?? {}) as Record<string, unknown>;
    const type = str(sdt["DateTimeType"]);
    if (type !== "Manual" && type !== "NTP") ctx.fail(`DateTimeType is ${excerptJson(sdt["DateTimeType"])}; expected Manual or NTP`, evidence);
    if (sdt["UTCDateTime"] === undefined) ctx.fail("GetSystemDateAndTime has no UTCDateTime; ONVIF Core requires it (optional in the schema only for backward compatibility)", evidence);
    const utc = instantOf(sdt["UTCDateTime"]);
    if (utc === undefined) return ctx.fail(`UTCDateTime ${excerptJson(sdt["UTCDateTime"])} is not a complete date and time`, evidence);
    const reference = Date.parse(currentTime);
    if (!/(Z|[+-]00:00)$/.test(currentTime) || Number.isNaN(reference)) ctx.skip(`the event service's CurrentTime "${currentTime}" is not a UTC xs:dateTime to compare with (judged by the event checks)`);
    const skew = utc - reference;
    if (Math.abs(skew) > elapsed + CLOCK_SLACK_MS) {
      ctx.fail(`UTCDateTime is ${new Date(utc).toISOString()}, ${(skew / 1000).toFixed(0)} s from the device's CurrentTime ${currentTime} (CreatePullPointSubscription, ${elapsed} ms earlier in real time); expected the same clock in UTC`, evidence);
    }
  },
};

/** A user name of this run that fits a short MaxUserNameLength: "pcx" + run id + "u". */
function ownUserName(ctx: CheckContext, max: number): string {
  return `${ctx.tokenPrefix.replace(/[^A-Za-z0-9]/g, "")}u`.slice(0, Math.max(1, max));
}

const noPasswords: CheckDefinition = {
  id: "tds.get-users.no-passwords",
  title: "GetUsers never returns a password",
  service: SERVICE,
  rule: "GetUsers lists the users with their levels and never a password, also for a user created with one (ONVIF Core GetUsers: the password shall not be included).",
  specRefs: ["DEVICE-4-1-1", "DEVICE-4-1-9"],
  quirk: "identity-users-password-returned",
  notes:
    "On a device the run owns (the built-in reference device) the check first creates a user of its own (level User, a random password) with CreateUsers and deletes it afterwards; on any other device it only reads the existing users, since adding a login is not the suite's to do there. Skipped when the device reports UserConfigNotSupported.",
  transports: SOAP,
  run: async (ctx) => {
    const caps = ((await ctx.call<Record<string, unknown>>("tds:GetServiceCapabilities", {}, "soap"))["Capabilities"] ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const notSupported = caps["System"]?.["UserConfigNotSupported"];
    if (isTrue(notSupported)) ctx.skip("GetServiceCapabilities reports UserConfigNotSupported");
    let own: string | undefined;
    if (ctx.ownsDevice) {
      const max = Number(caps["Security"]?.["MaxUserNameLength"] ?? 32);
      own = ownUserName(ctx, Number.isInteger(max) && max > 0 ? max : 32);
      const password = newPassword(ctx);
      cleanupAccount(ctx, own);
      await ctx.call("tds:CreateUsers", { User: [{ Username: own, Password: password, UserLevel: "User" }] }, "soap");
    }
    const users = usersOf(await ctx.call<Record<string, unknown>>("tds:GetUsers", {}, "soap"));
    const evidence = lastExchange(ctx);
    const leaking = users.filter((u) => u.hasPassword);
    if (leaking.length > 0) ctx.fail(`GetUsers returns a Password for ${leaking.map((u) => `"${u.name}"`).join(", ")}; passwords must never be returned`, evidence);
    if (own !== undefined && !users.some((u) => u.name === own)) ctx.fail(`GetUsers does not list user "${own}" just created with CreateUsers (got ${users.map((u) => `"${u.name}"`).join(", ")})`, evidence);
  },
};

export function identityCheckList(): CheckDefinition[] {
  return [consistent, listsServed, listsApis, utcTime, noPasswords];
}
