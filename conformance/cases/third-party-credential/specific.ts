/**
 * Third-party credential checks (third-party-credential-service.md): the providers, the
 * provider configuration (only on a device the run owns, see support.ts), third-party
 * credentials and their link to the AccessControl credential store, lookups and removals, the
 * list's paging, the card the provider issues, and schema conformance. Read-only checks (the
 * providers, unknown providers and credentials, the schema of the reads) run on any device.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { itemsOf } from "../../harness/entity.js";
import { INVALID_START_REFERENCE, NOT_FOUND, excerptJson, expectFault, faultOf } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { walkList } from "../../harness/walk.js";
import { BOTH, expectSchemaConformance, lastExchange, type SchemaCall } from "../generic/support.js";
import {
  GET,
  GET_BY_EMAIL,
  GET_CONFIG,
  GET_CREDENTIAL,
  GET_PROVIDERS,
  INVALID_ARGUMENT,
  LIST,
  OWNED_ONLY,
  REMOVE,
  REMOVE_BY_EMAIL,
  REMOVE_CREDENTIAL,
  RESOURCE_EXISTS,
  SERVICE,
  SET,
  SET_CONFIG,
  claimProvider,
  createOwn,
  credentialOf,
  credentialRequest,
  disableInput,
  getOwn,
  localCredential,
  opRef,
  ownProvider,
  providerName,
  providerNames,
  readConfig,
  removeAfterwards,
  runConfig,
  runEmail,
  section,
} from "./support.js";

const call = (ctx: CheckContext) => (op: string, input: unknown) => ctx.call(op, input);

const listsProviders: CheckDefinition = {
  id: "axtpc.get-providers.lists-providers",
  title: "GetProviders lists the supported credential providers",
  service: SERVICE,
  rule: "GetProviders answers the supported providers as a ConfigurationInfo named ProviderName whose Value names a provider (HIDMobileAccess is the one the page documents) and whose Enums list them.",
  specRefs: [section("get-supported-providers"), opRef(GET_PROVIDERS)],
  quirk: "tpc-providers-empty",
  notes: "A list without HIDMobileAccess is a warning (the page documents it as the only provider today).",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_PROVIDERS);
    const names = await providerNames(ctx);
    if (names.length === 0) ctx.fail(`GetProviders answered ${excerptJson(await ctx.call(GET_PROVIDERS, {}))}; expected a ProviderName setting naming at least one provider`, lastExchange(ctx));
    if (!names.includes("HIDMobileAccess")) ctx.warn(`GetProviders lists ${names.join(", ")} but not HIDMobileAccess, the provider the page documents`, lastExchange(ctx));
  },
};

const unknownProvider: CheckDefinition = {
  id: "axtpc.provider-name.unknown-refused",
  title: "A ProviderName GetProviders does not list is refused",
  service: SERVICE,
  rule: "Every request names its provider (\"the correct ProviderName … need to match the name returned from GetProviders\"): GetProviderConfiguration for an unknown provider returns env:Sender/ter:InvalidArgVal/ter:NotFound, GetThirdPartyCredentialList (whose table has no NotFound) an env:Sender/ter:InvalidArgVal fault.",
  specRefs: [section("get-supported-providers"), section("configuring-a-credential-provider"), opRef(GET_CONFIG), opRef(LIST)],
  quirk: "tpc-unknown-provider-accepted",
  notes: "Another fault than the documented one is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_PROVIDERS, GET_CONFIG, LIST);
    const unknown = ctx.newToken("no-such-provider");
    if ((await providerNames(ctx)).includes(unknown)) ctx.skip(`the device has a provider named "${unknown}"`);
    await expectFault(ctx, GET_CONFIG, { ProviderName: unknown }, NOT_FOUND, `GetProviderConfiguration for unknown provider "${unknown}"`);
    await expectFault(ctx, LIST, { Limit: 1, ProviderName: unknown }, { code: "env:Sender", subcodes: ["ter:InvalidArgVal"] }, `GetThirdPartyCredentialList for unknown provider "${unknown}"`);
  },
};

const unknownCredential: CheckDefinition = {
  id: "axtpc.unknown-credential.not-found",
  title: "Getting or removing a third-party credential that does not exist gives NotFound",
  service: SERVICE,
  rule: "GetThirdPartyCredential and RemoveThirdPartyCredential for a token, and GetThirdPartyCredentialByEmail and RemoveThirdPartyCredentialByEmail for an e-mail, that no third-party credential has return env:Sender/ter:InvalidArgVal/ter:NotFound.",
  specRefs: [opRef(GET), opRef(GET_BY_EMAIL), opRef(REMOVE), opRef(REMOVE_BY_EMAIL)],
  quirk: "tpc-unknown-credential-succeeds",
  notes: "Another fault than NotFound (a provider that is not configured, say) is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET, GET_BY_EMAIL, REMOVE, REMOVE_BY_EMAIL);
    const provider = await providerName(ctx);
    const token = ctx.newToken("no-such-tpc");
    const email = runEmail(ctx, "nobody");
    await expectFault(ctx, GET, { Token: token, ProviderName: provider }, NOT_FOUND, `GetThirdPartyCredential "${token}"`);
    await expectFault(ctx, GET_BY_EMAIL, { Email: email, ProviderName: provider }, NOT_FOUND, `GetThirdPartyCredentialByEmail "${email}"`);
    await expectFault(ctx, REMOVE, { Token: token, ProviderName: provider }, NOT_FOUND, `RemoveThirdPartyCredential "${token}"`);
    await expectFault(ctx, REMOVE_BY_EMAIL, { Email: email, ProviderName: provider }, NOT_FOUND, `RemoveThirdPartyCredentialByEmail "${email}"`);
  },
};

const configurationRoundTrip: CheckDefinition = {
  id: "axtpc.set-provider-configuration.round-trip",
  title: "GetProviderConfiguration shows the configuration SetProviderConfiguration set",
  service: SERVICE,
  rule: "SetProviderConfiguration stores the provider's configuration (\"subsequent calls … will overwrite the existing one\"): GetProviderConfiguration answers the ClientId, ProxyURL and ProxyPort set, then those of a second configuration.",
  specRefs: [section("configuring-a-credential-provider"), section("retrieve-the-configuration-of-a-credential-provider"), section("hidmobileconfiguration"), opRef(SET_CONFIG), opRef(GET_CONFIG)],
  quirk: "tpc-configuration-not-stored",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. The provider is disabled again afterwards.`,
  transports: BOTH,
  run: async (ctx) => {
    const provider = await claimProvider(ctx);
    for (const [n, port] of [
      [1, "3128"],
      [2, "8080"],
    ] as const) {
      const sent = runConfig(ctx, { ClientId: `${ctx.tokenPrefix}client-${n}`, ProxyURL: `http://proxy-${n}.example.invalid`, ProxyPort: port });
      await ctx.call(SET_CONFIG, { ProviderName: provider, ProviderActions: [], Configuration: { HIDMobileConfig: sent } });
      const got = await readConfig(call(ctx), provider);
      const wrong = ["ClientId", "ProxyURL", "ProxyPort"].filter((k) => got[k] !== sent[k]);
      if (wrong.length > 0) ctx.fail(`after SetProviderConfiguration #${n}, GetProviderConfiguration shows ${wrong.map((k) => `${k} ${excerptJson(got[k])} (set ${excerptJson(sent[k])})`).join(", ")}`, lastExchange(ctx));
    }
  },
};

const secretMasked: CheckDefinition = {
  id: "axtpc.get-provider-configuration.secret-masked",
  title: "GetProviderConfiguration does not reveal the ClientSecret",
  service: SERVICE,
  rule: "GetProviderConfiguration answers the account's password masked (the page's example answers ClientSecret \"***\"), never as set.",
  specRefs: [section("retrieve-the-configuration-of-a-credential-provider"), section("hidmobileconfiguration"), opRef(GET_CONFIG)],
  quirk: "tpc-secret-revealed",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    const provider = await ownProvider(ctx);
    const secret = runConfig(ctx)["ClientSecret"];
    const got = await readConfig(call(ctx), provider);
    if (got["ClientSecret"] === secret) ctx.fail(`GetProviderConfiguration answers ClientSecret ${excerptJson(got["ClientSecret"])}, the password as set; expected it masked (e.g. "***")`, lastExchange(ctx));
  },
};

const disable: CheckDefinition = {
  id: "axtpc.set-provider-configuration.disable",
  title: "An empty configuration disables the provider",
  service: SERVICE,
  rule: "\"Providing an empty configuration will disable a third party credential configuration\": after SetProviderConfiguration with every HIDMobileConfig element empty, GetProviderConfiguration shows no ClientId.",
  specRefs: [section("disable-a-configuration"), opRef(SET_CONFIG), opRef(GET_CONFIG)],
  quirk: "tpc-disable-ignored",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    const provider = await ownProvider(ctx);
    await ctx.call(SET_CONFIG, disableInput(provider));
    const got = await readConfig(call(ctx), provider);
    if (typeof got["ClientId"] === "string" && got["ClientId"] !== "") ctx.fail(`after the empty configuration GetProviderConfiguration still shows ClientId ${excerptJson(got["ClientId"])}; expected the provider disabled (no ClientId)`, lastExchange(ctx));
  },
};

const localCredentialCheck: CheckDefinition = {
  id: "axtpc.set-third-party-credential.local-credential",
  title: "A third-party credential is an AccessControl credential too",
  service: SERVICE,
  rule: "SetThirdPartyCredential creates a Credential \"the same as the normal access control credential\": pacsaxis:GetCredential returns it under the token SetThirdPartyCredential answered, with the Description, IdData and attributes sent, as GetThirdPartyCredential does.",
  specRefs: [section("creating-third-party-credentials"), section("retrieving-third-party-credentials"), section("thirdpartycredential"), opRef(SET), opRef(GET)],
  quirk: "tpc-credential-not-local",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET, GET_CREDENTIAL);
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "tpc-local");
    const tpc = credentialOf(await getOwn(ctx, provider, own.token));
    const local = (await localCredential(ctx, own.token)) ?? ctx.fail(`pacsaxis:GetCredential does not know credential "${own.token}" that SetThirdPartyCredential created`, lastExchange(ctx));
    const sent = (own.sent["ThirdPartyCredential"] as Record<string, unknown>)["Credential"] as Record<string, unknown>;
    const problems: string[] = [];
    for (const [name, c] of [
      ["pacsaxis:GetCredential", local],
      ["GetThirdPartyCredential", tpc],
    ] as const) {
      if ((c["Description"] ?? "") !== sent["Description"]) problems.push(`${name} answers Description ${excerptJson(c["Description"])}`);
      const email = itemsOf(c, "Attribute").find((a) => a["Name"] === "Email")?.["Value"];
      if (email !== own.email) problems.push(`${name} answers the Email attribute ${excerptJson(email)}`);
      if (!itemsOf(c, "IdData").some((d) => d["Name"] === "PIN" && d["Value"] === "4711")) problems.push(`${name} answers IdData ${excerptJson(c["IdData"])} without the PIN sent`);
    }
    if (problems.length > 0) ctx.fail(`credential "${own.token}": ${problems.join("; ")} (sent ${excerptJson(sent)})`, lastExchange(ctx));
  },
};

const notActivated: CheckDefinition = {
  id: "axtpc.set-third-party-credential.not-activated",
  title: "A new third-party credential is NotActivated until its card is issued",
  service: SERVICE,
  rule: "\"After the call to SetThirdPartyCredential the Credential will get the status NotActivated until a card has been issued from the provider\": right after its creation GetThirdPartyCredential answers Status NotActivated.",
  specRefs: [section("creating-third-party-credentials"), opRef(SET), opRef(GET)],
  quirk: "tpc-status-activated-at-once",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET);
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "tpc-status");
    const status = credentialOf(await getOwn(ctx, provider, own.token))["Status"];
    if (status !== "NotActivated") ctx.fail(`GetThirdPartyCredential "${own.token}" right after SetThirdPartyCredential answers Status ${excerptJson(status)}; expected NotActivated (no card is issued yet)`, lastExchange(ctx));
  },
};

const holderRequired: CheckDefinition = {
  id: "axtpc.set-third-party-credential.holder-required",
  title: "SetThirdPartyCredential needs the holder's Email, FirstName and LastName",
  service: SERVICE,
  rule: "\"There are three attributes that needs to be set in order to create a new HID Mobile user\" (Email, FirstName, LastName): without them SetThirdPartyCredential returns env:Sender/ter:InvalidArgVal/ter:InvalidArgument and creates nothing.",
  specRefs: [section("creating-third-party-credentials"), opRef(SET)],
  quirk: "tpc-missing-holder-accepted",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. Another fault than InvalidArgument is a warning.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, SET, REMOVE);
    const provider = await ownProvider(ctx);
    const token = ctx.newToken("tpc-nameless");
    removeAfterwards(ctx, provider, token);
    const input = credentialRequest(provider, token, "", { attributes: [{ type: "", Name: "Note", Value: "no holder attributes" }] });
    await expectFault(ctx, SET, input, INVALID_ARGUMENT, `SetThirdPartyCredential "${token}" without Email, FirstName and LastName`);
  },
};

const defaultPartNumber: CheckDefinition = {
  id: "axtpc.set-third-party-credential.default-part-number",
  title: "A third-party credential without a part number gets the default one",
  service: SERVICE,
  rule: "\"If that option is not used the default part number that was configured in axtpc:SetProviderConfiguration will be used\": a credential created without Options answers HIDMobileOptions.PartNumberToken = the configured DefaultPartNumberToken (one of the PartNumbers GetProviderConfiguration lists).",
  specRefs: [section("creating-third-party-credentials"), section("retrieve-the-configuration-of-a-credential-provider"), section("hidmobileoptions"), opRef(SET)],
  quirk: "tpc-default-part-number-ignored",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. Skipped when the account lists no part numbers.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET);
    const provider = await ownProvider(ctx);
    const parts = itemsOf(await readConfig(call(ctx), provider), "PartNumbers")
      .map((p) => p["token"])
      .filter((t): t is string => typeof t === "string" && t !== "");
    if (parts.length === 0) ctx.skip("GetProviderConfiguration lists no PartNumbers of the account");
    // Not the first: a device that always takes the account's first part number is not mistaken for one that uses the default.
    const chosen = parts[parts.length - 1]!;
    await ctx.call(SET_CONFIG, { ProviderName: provider, Configuration: { HIDMobileConfig: runConfig(ctx, { DefaultPartNumberToken: chosen }) } });
    const own = await createOwn(ctx, provider, "tpc-part");
    const options = (await getOwn(ctx, provider, own.token))["Options"] as Record<string, unknown> | undefined;
    const part = (options?.["HIDMobileOptions"] as Record<string, unknown> | undefined)?.["PartNumberToken"];
    if (part !== chosen) ctx.fail(`credential "${own.token}" was created without a part number while DefaultPartNumberToken is "${chosen}"; GetThirdPartyCredential answers Options ${excerptJson(options)}`, lastExchange(ctx));
  },
};

const duplicateEmail: CheckDefinition = {
  id: "axtpc.set-third-party-credential.duplicate-email",
  title: "A second third-party credential for the same e-mail needs ForceUpdate",
  service: SERVICE,
  rule: "An e-mail identifies the provider's user (GetThirdPartyCredentialByEmail); only ForceUpdate \"will overwrite any old user that uses the same e-mail\": without it, SetThirdPartyCredential for an e-mail another third-party credential has returns env:Sender/ter:InvalidArgVal/ter:ResourceExists.",
  specRefs: [section("creating-third-party-credentials"), opRef(SET), opRef(GET_BY_EMAIL)],
  quirk: "tpc-duplicate-email-accepted",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. Another fault than ResourceExists is a warning.`,
  transports: BOTH,
  run: async (ctx) => {
    const provider = await ownProvider(ctx);
    const first = await createOwn(ctx, provider, "tpc-first");
    const token = ctx.newToken("tpc-second");
    removeAfterwards(ctx, provider, token);
    await expectFault(ctx, SET, credentialRequest(provider, token, first.email), RESOURCE_EXISTS, `SetThirdPartyCredential "${token}" with the e-mail of third-party credential "${first.token}"`);
  },
};

const byEmail: CheckDefinition = {
  id: "axtpc.get-third-party-credential-by-email.finds",
  title: "GetThirdPartyCredentialByEmail returns the third-party credential of that e-mail",
  service: SERVICE,
  rule: "GetThirdPartyCredentialByEmail with the e-mail of a third-party credential (its Email attribute) returns that credential, the same as GetThirdPartyCredential by its token.",
  specRefs: [section("retrieving-third-party-credentials"), opRef(GET_BY_EMAIL)],
  quirk: "tpc-by-email-not-found",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_BY_EMAIL);
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "tpc-mail");
    const r = await ctx.call<Record<string, unknown>>(GET_BY_EMAIL, { Email: own.email, ProviderName: provider });
    const token = credentialOf((r["ThirdPartyCredential"] as Record<string, unknown> | undefined) ?? {})["token"];
    if (token !== own.token) ctx.fail(`GetThirdPartyCredentialByEmail "${own.email}" answered credential ${excerptJson(token)}; expected "${own.token}"`, lastExchange(ctx));
  },
};

/** Whether a third-party credential is gone: GetThirdPartyCredential answers NotFound. */
async function gone(ctx: CheckContext, provider: string, token: string): Promise<boolean> {
  try {
    await ctx.call(GET, { Token: token, ProviderName: provider });
    return false;
  } catch (err) {
    if (faultOf(err) === undefined) throw err;
    return true;
  }
}

const removes: CheckDefinition = {
  id: "axtpc.remove-third-party-credential.removes-local",
  title: "Removing a third-party credential removes its AccessControl credential",
  service: SERVICE,
  rule: "RemoveThirdPartyCredential (by token) and RemoveThirdPartyCredentialByEmail remove the third-party credential and, without NoLocalModification, its AccessControl credential: afterwards GetThirdPartyCredential faults and pacsaxis:GetCredential returns nothing.",
  specRefs: [section("removing-third-party-credentials"), section("removing-credential-by-token"), section("removing-credential-by-e-mail"), opRef(REMOVE), opRef(REMOVE_BY_EMAIL)],
  quirk: "tpc-remove-keeps-local",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET, REMOVE_BY_EMAIL, GET_CREDENTIAL);
    const provider = await ownProvider(ctx);
    const byToken = await createOwn(ctx, provider, "tpc-rm");
    const byMail = await createOwn(ctx, provider, "tpc-rm-mail");
    await ctx.call(REMOVE, { Token: byToken.token, ProviderActions: [], ProviderName: provider });
    await ctx.call(REMOVE_BY_EMAIL, { Email: byMail.email, ProviderActions: [], ProviderName: provider });
    const problems: string[] = [];
    for (const [how, own] of [
      ["RemoveThirdPartyCredential", byToken],
      ["RemoveThirdPartyCredentialByEmail", byMail],
    ] as const) {
      if (!(await gone(ctx, provider, own.token))) problems.push(`after ${how}, GetThirdPartyCredential still answers "${own.token}"`);
      if ((await localCredential(ctx, own.token)) !== undefined) problems.push(`after ${how}, pacsaxis:GetCredential still answers "${own.token}"`);
    }
    if (problems.length > 0) ctx.fail(problems.join("; "), lastExchange(ctx));
  },
};

const noLocalModification: CheckDefinition = {
  id: "axtpc.remove-third-party-credential.no-local-modification",
  title: "NoLocalModification removes only the third-party credential",
  service: SERVICE,
  rule: "\"Remove operations also support the NoLocalModification option. When this is in use only the third-party credential will be removed and not the local access control credential\": afterwards GetThirdPartyCredential faults while pacsaxis:GetCredential still returns the credential.",
  specRefs: [section("removing-third-party-credentials"), opRef(REMOVE)],
  quirk: "tpc-no-local-modification-ignored",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. The remaining AccessControl credential is removed after the check.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET, GET_CREDENTIAL, REMOVE_CREDENTIAL);
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "tpc-keep");
    await ctx.call(REMOVE, { Token: own.token, ProviderActions: [{ Name: "NoLocalModification" }], ProviderName: provider });
    if (!(await gone(ctx, provider, own.token))) ctx.fail(`after RemoveThirdPartyCredential with NoLocalModification, GetThirdPartyCredential still answers "${own.token}"`, lastExchange(ctx));
    if ((await localCredential(ctx, own.token)) === undefined) ctx.fail(`RemoveThirdPartyCredential with NoLocalModification removed the AccessControl credential "${own.token}" too; pacsaxis:GetCredential no longer answers it`, lastExchange(ctx));
  },
};

const listLimit: CheckDefinition = {
  id: "axtpc.get-third-party-credential-list.limit",
  title: "GetThirdPartyCredentialList pages with Limit and NextStartReference",
  service: SERVICE,
  rule: "GetThirdPartyCredentialList answers at most Limit credentials per page and a NextStartReference while more follow (intro.md \"Get requests\"): a walk with Limit 1 ends and lists every third-party credential of the run once; an invalid StartReference returns env:Sender/ter:InvalidArgVal/ter:InvalidStartReference.",
  specRefs: [opRef(LIST), "intro.md#get-requests"],
  quirk: "tpc-list-ignores-limit",
  notes: `Skipped unless the run owns the device and its provider is not configured yet: ${OWNED_ONLY}. Another fault than InvalidStartReference is a warning.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, LIST);
    const provider = await ownProvider(ctx);
    const own = [await createOwn(ctx, provider, "tpc-page"), await createOwn(ctx, provider, "tpc-page")];
    const walk = await walkList({ call: (op, input) => ctx.call(op, { ...(input as object), ProviderName: provider }), lastExchange: () => lastExchange(ctx) }, LIST, {
      limit: 1,
      budget: 200,
      itemField: "ThirdPartyCredentials",
      tokenOf: (i) => String(credentialOf(i)["token"] ?? ""),
    });
    const big = walk.pages.find((p) => p.items.length > 1);
    if (big !== undefined) ctx.fail(`GetThirdPartyCredentialList with Limit 1 answered ${big.items.length} credentials in page ${big.index + 1}`, big.exchange);
    if (walk.stop !== "end") ctx.fail(`the GetThirdPartyCredentialList walk with Limit 1 did not end: ${walk.stopDetail}`, lastExchange(ctx));
    const missing = own.filter((o) => walk.tokens.filter((t) => t === o.token).length !== 1).map((o) => o.token);
    if (missing.length > 0) ctx.fail(`the walk with Limit 1 did not list each credential of the run once: ${missing.join(", ")} (walked ${excerptJson(walk.tokens)})`, lastExchange(ctx));
    await expectFault(ctx, LIST, { Limit: 1, StartReference: ctx.newToken("bogus-ref"), ProviderName: provider }, INVALID_START_REFERENCE, "GetThirdPartyCredentialList with an invalid StartReference");
  },
};

const cardIssued: CheckDefinition = {
  id: "axtpc.provider.card-issued",
  title: "The card the provider issues is stored in the credential, which is then active",
  service: SERVICE,
  rule: "\"Once the invitation has been accepted … a new card number will be saved to the Credential and the status will be changed\": after the holder accepts the invitation, the credential holds the card number as IdData CardNr (or the configured CardIdDataName) and its Status is no longer NotActivated.",
  specRefs: [section("creating-third-party-credentials"), section("hidmobileconfiguration"), opRef(GET)],
  quirk: "tpc-card-not-stored",
  notes: `Needs the reference device's back door (AcceptInvitation: no person can accept an invitation on demand) and, as every credential check, a device the run owns whose provider is not configured yet: ${OWNED_ONLY}.`,
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET);
    if (ctx.physical.via !== "backdoor") ctx.skip("needs the holder to accept an invitation, which only the reference device's back door can simulate on demand (AcceptInvitation)");
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "tpc-card");
    const result = await ctx.physical.stimulate({ Stimulus: "AcceptInvitation", Credential: own.token });
    const card = result["CardNumber"];
    const name = String((await readConfig(call(ctx), provider))["CardIdDataName"] ?? "") || "CardNr";
    const credential = credentialOf(await getOwn(ctx, provider, own.token));
    const stored = itemsOf(credential, "IdData").find((d) => d["Name"] === name)?.["Value"];
    if (typeof card !== "string" || card === "" || stored !== card) ctx.fail(`after the card ${excerptJson(card)} was issued, credential "${own.token}" holds IdData ${excerptJson(credential["IdData"])}; expected ${name} = the card number`, lastExchange(ctx));
    if (credential["Status"] === "NotActivated") ctx.fail(`after its card was issued, credential "${own.token}" still has Status NotActivated`, lastExchange(ctx));
  },
};

const schema: CheckDefinition = {
  id: "axtpc.schema.responses",
  title: "Third-party credential responses conform to the schema",
  service: SERVICE,
  rule: "Responses of GetProviders, GetProviderConfiguration and GetThirdPartyCredentialList (and, on a device the run owns, GetThirdPartyCredential and GetThirdPartyCredentialByEmail of a credential of the run) conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, the Credential's children in the pacsaxis namespace.",
  specRefs: [opRef(GET_PROVIDERS), opRef(GET_CONFIG), opRef(LIST), opRef(GET), opRef(GET_BY_EMAIL), section("hidmobileconfiguration"), section("thirdpartycredential")],
  quirk: "schema-invalid-response",
  notes: "On a device the run does not own only the reads of what is there are judged.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_PROVIDERS, GET_CONFIG, LIST);
    let provider = await providerName(ctx);
    const calls: SchemaCall[] = [[GET_PROVIDERS, {}]];
    if (ctx.ownsDevice && ctx.hasOperation(SET_CONFIG) && ctx.hasOperation(SET)) {
      provider = await ownProvider(ctx);
      const own = await createOwn(ctx, provider, "tpc-schema");
      calls.push([GET, { Token: own.token, ProviderName: provider }], [GET_BY_EMAIL, { Email: own.email, ProviderName: provider }]);
    }
    calls.push([GET_CONFIG, { ProviderName: provider }], [LIST, { Limit: 2, ProviderName: provider }]);
    await expectSchemaConformance(ctx, calls);
  },
};

export function thirdPartyCredentialSpecificChecks(): CheckDefinition[] {
  return [
    listsProviders,
    unknownProvider,
    unknownCredential,
    configurationRoundTrip,
    secretMasked,
    disable,
    localCredentialCheck,
    notActivated,
    holderRequired,
    defaultPartNumber,
    duplicateEmail,
    byEmail,
    removes,
    noLocalModification,
    listLimit,
    cardIssued,
    schema,
  ];
}
