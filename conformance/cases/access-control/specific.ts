/**
 * AccessControl rules that are not generic set/get/paging: enable/disable, access point state,
 * credential statistics, anti-passback data, NotFound faults of the state operations, malformed
 * input, tokens shared across types, schema conformance and SOAP/JSON parity.
 */
import type { CheckContext, CheckDefinition, Protocol } from "../../harness/types.js";
import type { EntityDeclaration } from "../../harness/entity.js";
import { docRef, itemsOf, kebab, opName, opPrefix, tokenOf } from "../../harness/entity.js";
import { INVALID_START_REFERENCE, NOT_FOUND, TOO_MANY_ITEMS, excerptJson, faultChain, faultOf, matchesFault, type ExpectedFault } from "../../harness/faults.js";
import { createOne, getByTokens, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { stableJson } from "../../harness/compare.js";
import { walkList } from "../../harness/walk.js";
import { BOTH, expectSchemaConformance, lastExchange, listItems, readFull, walkCaller, xsBoolean, type SchemaCall } from "../generic/support.js";
import { rawRequestFor, readFault } from "../generic/raw.js";
import { unknownTokenCheck } from "../generic/unknown-token.js";
import { DOC, SERVICE, accessControlEntities, accessController, accessPoint, accessProfile, antipassbackData, area, credential } from "./entities.js";


function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined;
}

async function accessPointEnabled(ctx: CheckContext, token: string): Promise<{ state: boolean | undefined; full: boolean | undefined }> {
  const state = await ctx.call("tac:GetAccessPointState", { Token: token });
  const s = (state as Record<string, unknown>)["AccessPointState"] as Record<string, unknown> | undefined;
  const full = (await readFull(ctx, accessPoint, [token])).find((i) => tokenOf(accessPoint, i) === token);
  return { state: xsBoolean(s?.["Enabled"]), full: xsBoolean(full?.["Enabled"]) };
}

async function credentialEnabled(ctx: CheckContext, token: string): Promise<boolean | undefined> {
  const info = credential.info;
  if (info === undefined) return undefined;
  const item = (await getByTokens(ctx, info, [token])).find((i) => tokenOf(credential, i) === token);
  return xsBoolean(item?.["Enabled"]);
}

const enableDisable: CheckDefinition[] = [
  {
    id: "tac.access-point.enable-disable",
    title: "DisableAccessPoint/EnableAccessPoint change the access point's state",
    service: SERVICE,
    rule: "DisableAccessPoint disables and EnableAccessPoint enables the access point: GetAccessPointState and GetAccessPoint show the new Enabled value.",
    specRefs: [docRef(accessPoint, "tac:DisableAccessPoint"), docRef(accessPoint, "tac:EnableAccessPoint"), docRef(accessPoint, "tac:GetAccessPointState"), "ACCESSCONTROL-2-1-9", "ACCESSCONTROL-2-1-7"],
    quirk: "enable-disable-noop",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, "tac:DisableAccessPoint", "tac:EnableAccessPoint", "tac:GetAccessPointState", accessPoint.set, "tac:GetAccessPointInfo");
      const token = await createOne(ctx, accessPoint, sampleFor(ctx, accessPoint, ctx.newToken("ed"), 20));
      const info = (await getByTokens(ctx, accessPoint.info!, [token]))[0];
      const caps = (info?.["Capabilities"] ?? {}) as Record<string, unknown>;
      if (xsBoolean(caps["DisableAccessPoint"]) !== true) ctx.skip(`access point "${token}" reports Capabilities.DisableAccessPoint=${String(caps["DisableAccessPoint"])} (ACCESSCONTROL-2-1-10 territory)`);
      const initial = await accessPointEnabled(ctx, token);
      if (initial.state !== true) ctx.fail(`a new access point set with Enabled=true reports GetAccessPointState Enabled=${String(initial.state)}`, lastExchange(ctx));
      await ctx.call("tac:DisableAccessPoint", { Token: token });
      const off = await accessPointEnabled(ctx, token);
      if (off.state !== false || off.full !== false) ctx.fail(`after DisableAccessPoint "${token}": GetAccessPointState Enabled=${String(off.state)}, GetAccessPoint Enabled=${String(off.full)}; expected false for both`, lastExchange(ctx));
      await ctx.call("tac:EnableAccessPoint", { Token: token });
      const on = await accessPointEnabled(ctx, token);
      if (on.state !== true || on.full !== true) ctx.fail(`after EnableAccessPoint "${token}": GetAccessPointState Enabled=${String(on.state)}, GetAccessPoint Enabled=${String(on.full)}; expected true for both`, lastExchange(ctx));
    },
  },
  {
    id: "pacsaxis.credential.enable-disable",
    title: "DisableCredential/EnableCredential change the credential's Enabled state",
    service: SERVICE,
    rule: "DisableCredential disables and EnableCredential enables the credential, as GetCredentialInfo shows.",
    specRefs: [docRef(credential, "pacsaxis:DisableCredential"), docRef(credential, "pacsaxis:EnableCredential"), `${DOC}#disable-a-credential`, "CREDENTIAL-4-1-2"],
    quirk: "enable-disable-noop",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, "pacsaxis:DisableCredential", "pacsaxis:EnableCredential", credential.set, credential.info?.get);
      if (xsBoolean(ctx.facts.capabilities["DisableCredential"]) === false) ctx.skip("the DisableCredential capability is false");
      const token = await createOne(ctx, credential, sampleFor(ctx, credential, ctx.newToken("ed"), 21));
      await ctx.call("pacsaxis:DisableCredential", { Token: token, Status: "Disabled" });
      const off = await credentialEnabled(ctx, token);
      if (off !== false) ctx.fail(`after DisableCredential "${token}", GetCredentialInfo reports Enabled=${String(off)}; expected false`, lastExchange(ctx));
      await ctx.call("pacsaxis:EnableCredential", { Token: token });
      const on = await credentialEnabled(ctx, token);
      if (on !== true) ctx.fail(`after EnableCredential "${token}", GetCredentialInfo reports Enabled=${String(on)}; expected true`, lastExchange(ctx));
    },
  },
];

const notFound: CheckDefinition[] = [
  unknownTokenCheck("tac:GetAccessPointState", { service: SERVICE, docPage: DOC, onvif: "ACCESSCONTROL-2-1-8" }),
  unknownTokenCheck("tac:EnableAccessPoint", { service: SERVICE, docPage: DOC, onvif: "ACCESSCONTROL-2-1-11" }),
  unknownTokenCheck("tac:DisableAccessPoint", { service: SERVICE, docPage: DOC, onvif: "ACCESSCONTROL-2-1-12" }),
  unknownTokenCheck("pacsaxis:EnableCredential", { service: SERVICE, docPage: DOC, onvif: "CREDENTIAL-4-1-4" }),
  unknownTokenCheck("pacsaxis:DisableCredential", { service: SERVICE, docPage: DOC, onvif: "CREDENTIAL-4-1-5" }),
];

const documentedSubcodes: CheckDefinition = {
  id: "tac.faults.documented-subcodes",
  title: "Faults carry exactly the documented code and subcode chain",
  service: SERVICE,
  rule: "Each documented fault carries its documented code and subcode chain: NotFound, InvalidStartReference and TooManyItems as in the fault tables.",
  specRefs: [docRef(accessPoint, "tac:GetAccessPointState"), docRef(area, "pacsaxis:GetAreaList"), docRef(area, "pacsaxis:GetArea"), "ACCESSCONTROL-2-1-8", "ACCESSCONTROL-15-1-9"],
  quirk: "wrong-fault-subcode",
  notes: "Strict: unlike the per-operation fault checks (which warn), any other fault chain fails here.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tac:GetAccessPointState", area.full?.list, area.full?.get);
    const unknown = ctx.newToken("unknown");
    const max = ctx.facts.maxLimit;
    const cases: [string, string, unknown, ExpectedFault][] = [
      ["GetAccessPointState with an unknown token", "tac:GetAccessPointState", { Token: unknown }, NOT_FOUND],
      ["GetAreaList with an invalid StartReference", area.full!.list!, { Limit: 1, StartReference: unknown }, INVALID_START_REFERENCE],
      ...(max !== undefined && max <= 5000
        ? ([["GetArea with more than MaxLimit tokens", area.full!.get!, { Token: Array.from({ length: max + 1 }, (_, i) => `${unknown}-${i}`) }, TOO_MANY_ITEMS]] as [string, string, unknown, ExpectedFault][])
        : []),
    ];
    const wrong: string[] = [];
    let evidence = lastExchange(ctx);
    for (const [what, op, input, expected] of cases) {
      try {
        await ctx.call(op, input);
        wrong.push(`${what}: no fault (expected ${faultChain(expected)})`);
        evidence = lastExchange(ctx);
      } catch (err) {
        const f = faultOf(err);
        if (f === undefined) throw err;
        if (!matchesFault(f, expected)) {
          wrong.push(`${what}: ${faultChain(f)} (expected ${faultChain(expected)})`);
          evidence = lastExchange(ctx);
        }
      }
    }
    if (wrong.length > 0) ctx.fail(wrong.join("; "), evidence);
  },
};

async function countCredentials(ctx: CheckContext): Promise<{ total: number; disabled: number; complete: boolean }> {
  const form = credential.full!;
  const walk = await walkList(walkCaller(ctx), form.list!, {
    itemField: form.itemField,
    tokenOf: (i) => tokenOf(credential, i),
    budget: 5000,
    ...(ctx.facts.maxLimit !== undefined ? { limit: ctx.facts.maxLimit } : {}),
  });
  const byToken = new Map<string, Record<string, unknown>>();
  for (const p of walk.pages) for (const i of p.items) byToken.set(tokenOf(credential, i), i);
  const disabled = [...byToken.values()].filter((i) => xsBoolean(i["Enabled"]) === false).length;
  return { total: byToken.size, disabled, complete: walk.stop === "end" };
}

async function statistics(ctx: CheckContext): Promise<{ total: number | undefined; disabled: number | undefined }> {
  const r = (await ctx.call("pacsaxis:GetCredentialStatistics", {})) as Record<string, unknown>;
  const s = (r["CredentialStatistics"] ?? {}) as Record<string, unknown>;
  return { total: num(s["NumberOfCredentials"]), disabled: num(s["NumberOfDisabledCredentials"]) };
}

const credentialStatistics: CheckDefinition = {
  id: "pacsaxis.credential-statistics.counts",
  title: "GetCredentialStatistics counts credentials and disabled credentials",
  service: SERVICE,
  rule: "NumberOfCredentials is the number of credentials and NumberOfDisabledCredentials the number of disabled ones; creating credentials moves them by exactly that much.",
  specRefs: [docRef(credential, "pacsaxis:GetCredentialStatistics"), `${DOC}#credential-statistics`, `${DOC}#credentialstatistics-data-structure`],
  quirk: "stats-wrong",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "pacsaxis:GetCredentialStatistics", credential.full?.list, credential.set);
    const counted = await countCredentials(ctx);
    const before = await statistics(ctx);
    const statsExchange = lastExchange(ctx);
    if (counted.complete && (before.total !== counted.total || before.disabled !== counted.disabled)) {
      ctx.fail(`GetCredentialStatistics reports ${before.total} credentials / ${before.disabled} disabled, but GetCredentialList lists ${counted.total} / ${counted.disabled} disabled`, statsExchange);
    }
    const enabledOne = sampleFor(ctx, credential, ctx.newToken("st"), 22);
    const disabledOne = { ...sampleFor(ctx, credential, ctx.newToken("st"), 23), Enabled: false, Status: "Disabled" };
    await setItems(ctx, credential, [enabledOne, disabledOne]);
    const after = await statistics(ctx);
    if (before.total === undefined || after.total === undefined || after.total - before.total !== 2) {
      ctx.fail(`after creating 2 credentials NumberOfCredentials went from ${before.total} to ${after.total}; expected +2`, lastExchange(ctx));
    }
    if (before.disabled === undefined || after.disabled === undefined || after.disabled - before.disabled !== 1) {
      ctx.fail(`after creating 1 disabled credential NumberOfDisabledCredentials went from ${before.disabled} to ${after.disabled}; expected +1`, lastExchange(ctx));
    }
  },
};

const antipassbackRoundTrip: CheckDefinition = {
  id: "pacsaxis.antipassback-data.round-trip",
  title: "SetAntipassbackData stores the data and replaces it on the next Set",
  service: SERVICE,
  rule: "Anti-passback data set for a credential is listed by GetAntipassbackDataList as sent, and a second SetAntipassbackData for the same credential replaces it.",
  specRefs: [docRef(antipassbackData, "pacsaxis:SetAntipassbackData"), docRef(antipassbackData, "pacsaxis:GetAntipassbackDataList"), `${DOC}#list-and-set-anti-passback`],
  quirk: "set-does-not-replace",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, antipassbackData.set, antipassbackData.full?.list, credential.set);
    // The data hangs off a credential of our own; removing the credential removes the data.
    const cred = await createOne(ctx, credential, sampleFor(ctx, credential, ctx.newToken("apb"), 24));
    const first = antipassbackData.sample({ token: cred, label: ctx.tokenPrefix, n: 0, refs: { credential: cred } });
    const second = antipassbackData.modify(first, ctx.tokenPrefix);
    for (const [step, sent] of [["first", first], ["replacing", second]] as const) {
      await ctx.call(antipassbackData.set!, { AntipassbackData: [sent] });
      const listed = await listItems(ctx, antipassbackData.full!.list!, "AntipassbackData", (i) => tokenOf(antipassbackData, i), 5000);
      const found = listed.filter((i) => tokenOf(antipassbackData, i) === cred);
      if (found.length !== 1) ctx.fail(`after the ${step} SetAntipassbackData for credential "${cred}", GetAntipassbackDataList listed ${found.length} entries for it; expected 1`, lastExchange(ctx));
      const got = found[0] as Record<string, unknown>;
      const diffs = (["PassOkThreshold", "CurrentArea", "ByTime"] as const).filter((k) => String(got[k] ?? "") !== String(sent[k] ?? ""));
      if (diffs.length > 0) ctx.fail(`after the ${step} SetAntipassbackData for "${cred}": ${diffs.map((k) => `${k} sent ${excerptJson(sent[k])}, listed ${excerptJson(got[k])}`).join("; ")}`, lastExchange(ctx));
    }
  },
};

const malformedInput: CheckDefinition = {
  id: "pacsaxis.malformed-request.rejected",
  title: "A malformed SetArea body gets a 4xx fault and changes nothing",
  service: SERVICE,
  rule: "A request body that is not well-formed is answered with an HTTP 4xx fault, and the device's data is unchanged.",
  specRefs: ["intro.md#code-examples", docRef(area, "pacsaxis:SetArea")],
  quirk: "malformed-input-accepted",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, area.full?.get);
    const token = ctx.newToken("bad");
    // Cleanup in case the device stored something from the broken body.
    ctx.onCleanup(`remove Area ${token}`, async (call) => {
      await call(area.remove!, { Token: [token] }).catch(() => undefined);
    });
    const ns = "http://www.axis.com/vapix/ws/pacs";
    const inner =
      ctx.protocol === "soap"
        ? `<p:SetArea xmlns:p="${ns}"><p:Area token="${token}"><p:Name>${token}</p:Name></p:Area>`
        : `{"pacsaxis:SetArea": {"Area": [{"token": "${token}", "Name": "${token}"}]`;
    const req = rawRequestFor(ctx.protocol, "pacsaxis:SetArea", ctx.protocol === "soap" ? undefined : inner);
    const body = ctx.protocol === "soap" ? req.body.replace(/<p:SetArea[^]*$/, inner) : req.body;
    const res = await ctx.sendRaw({ ...req, body });
    const ex = lastExchange(ctx);
    if (res.status < 400 || res.status >= 500) ctx.fail(`a truncated ${ctx.protocol.toUpperCase()} SetArea body was answered with HTTP ${res.status}; expected a 4xx fault`, ex);
    if (readFault(ctx.protocol, res) === undefined) ctx.fail(`a truncated ${ctx.protocol.toUpperCase()} SetArea body got HTTP ${res.status} without a fault body`, ex);
    const stored = itemsOf(await ctx.call(area.full!.get!, { Token: [token] }), "Area");
    if (stored.length > 0) ctx.fail(`the malformed SetArea was rejected, but Area "${token}" exists afterwards`, lastExchange(ctx));
  },
};

const sameTokenAcrossTypes: CheckDefinition = {
  id: "pacsaxis.tokens.same-token-across-types",
  title: "Different entity types may use the same token",
  service: SERVICE,
  rule: "Tokens are unique per type only: an Area, AccessPoint, AccessProfile, AccessController and Credential can all be created with one and the same client token.",
  specRefs: ["intro.md#common-data-fields", docRef(area, "pacsaxis:SetArea"), docRef(accessPoint, "pacsaxis:SetAccessPoint")],
  quirk: "token-unique-across-types",
  transports: BOTH,
  run: async (ctx) => {
    const types = [area, accessPoint, accessProfile, accessController, credential];
    requireOps(ctx, ...types.flatMap((t) => [t.set, t.full?.get]));
    const token = ctx.newToken("shared");
    for (const [i, e] of types.entries()) {
      const item = sampleFor(ctx, e, token, 30 + i);
      try {
        await setItems(ctx, e, [item]);
      } catch (err) {
        const code = (err as { fault?: { code?: string; subcodes?: string[] } }).fault;
        if (code !== undefined) ctx.fail(`${e.set} with token "${token}" (already used by ${types.slice(0, i).map((t) => t.typeName).join(", ") || "nothing"}) returned fault ${[code.code, ...(code.subcodes ?? [])].join("/")}`, lastExchange(ctx));
        throw err;
      }
    }
    for (const e of types) {
      const got = (await readFull(ctx, e, [token])).filter((i) => tokenOf(e, i) === token);
      if (got.length !== 1) ctx.fail(`${e.full?.get} for the shared token "${token}" returned ${got.length} items; expected 1`, lastExchange(ctx));
    }
  },
};

/** Structures whose section heading is not "<Name> data structure" on the page. */
const STRUCTURE_ANCHOR: Readonly<Record<string, string>> = { AccessControllerInfo: "accesscontrollerinfo" };

/** Info types the schema checks cover (each has required elements a broken device may omit). */
function schemaCheck(entity: EntityDeclaration): CheckDefinition | undefined {
  const info = entity.info;
  if (info === undefined || info.get === undefined || info.list === undefined || entity.set === undefined) return undefined;
  const ops = [info.get, info.list, entity.full?.get, entity.full?.list].filter((o): o is string => o !== undefined);
  return {
    id: `${opPrefix(info.get)}.schema.${kebab(info.itemField)}`,
    title: `${info.itemField} and ${entity.typeName} responses conform to the schema`,
    service: SERVICE,
    rule: `Responses of ${ops.map(opName).join(", ")} conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, types and facets respected.`,
    specRefs: [...ops.map((o) => docRef(entity, o)), `${DOC}#${STRUCTURE_ANCHOR[info.itemField] ?? `${info.itemField.toLowerCase()}-data-structure`}`],
    quirk: "schema-invalid-response",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, entity.set, ...ops);
      const token = await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("sch"), 40));
      const calls: SchemaCall[] = [
        [info.get!, { Token: [token] }],
        [info.list!, { Limit: 2 }],
        ...(entity.full?.get !== undefined ? [[entity.full.get, { Token: [token] }] as const] : []),
        ...(entity.full?.list !== undefined ? [[entity.full.list, { Limit: 2 }] as const] : []),
      ];
      await expectSchemaConformance(ctx, calls);
    },
  };
}

/** SOAP and JSON show the same items for one list operation. */
function parityCheck(entity: EntityDeclaration, op: string, itemField: string): CheckDefinition {
  return {
    id: `${opPrefix(op)}.parity.${kebab(opName(op).replace(/^Get/, ""))}`,
    title: `${op} shows the same items over SOAP and JSON`,
    service: SERVICE,
    rule: "SOAP and VAPIX JSON are two encodings of one service: the same list operation returns the same items with the same values over both.",
    specRefs: ["intro.md#code-examples", docRef(entity, op)],
    quirk: "json-diverges",
    transports: "both",
    run: async (ctx) => {
      requireOps(ctx, op, entity.set);
      if (!ctx.protocols.includes("soap") || !ctx.protocols.includes("json")) ctx.skip("needs both transports");
      await createOne(ctx, entity, sampleFor(ctx, entity, ctx.newToken("par"), 41));
      const views = new Map<Protocol, Map<string, string>>();
      for (const p of ["soap", "json"] as const) {
        const walk = await walkList({ call: (o, i) => ctx.call(o, i, p), lastExchange: () => lastExchange(ctx) }, op, {
          itemField,
          tokenOf: (i) => tokenOf(entity, i),
          budget: 2000,
          ...(ctx.facts.maxLimit !== undefined ? { limit: ctx.facts.maxLimit } : {}),
        });
        views.set(p, new Map(walk.pages.flatMap((pg) => pg.items).map((i) => [tokenOf(entity, i), stableJson(i)])));
      }
      const soap = views.get("soap")!;
      const json = views.get("json")!;
      const onlySoap = [...soap.keys()].filter((t) => !json.has(t));
      const onlyJson = [...json.keys()].filter((t) => !soap.has(t));
      if (onlySoap.length > 0 || onlyJson.length > 0) ctx.fail(`${op}: tokens only over SOAP: ${excerptJson(onlySoap)}; only over JSON: ${excerptJson(onlyJson)}`);
      for (const [t, s] of soap) {
        const j = json.get(t);
        if (j !== s) ctx.fail(`${op}: item "${t}" differs: SOAP ${s.slice(0, 200)} vs JSON ${String(j).slice(0, 200)}`, lastExchange(ctx));
      }
    },
  };
}

export function accessControlSpecificChecks(): CheckDefinition[] {
  const schema = accessControlEntities.map(schemaCheck).filter((c): c is CheckDefinition => c !== undefined);
  const parity: CheckDefinition[] = [];
  for (const e of accessControlEntities) {
    if (e.markerField !== "Name" && e.markerField !== "Description") continue;
    for (const form of [e.full, e.info]) if (form?.list !== undefined) parity.push(parityCheck(e, form.list, form.itemField));
  }
  return [...enableDisable, ...notFound, documentedSubcodes, credentialStatistics, antipassbackRoundTrip, malformedInput, sameTokenAcrossTypes, ...schema, ...parity];
}
