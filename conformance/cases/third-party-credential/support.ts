/**
 * What the third-party credential checks share (third-party-credential-service.md): the
 * provider a request names, the run's own provider configuration, and third-party credentials of
 * the run.
 *
 * A provider configuration acts beyond the run's data: it is the site's login at the provider
 * (HID Mobile Access), and its secret cannot be read back to restore it. So the suite configures
 * a provider only on a device it owns (the built-in reference device) whose provider is not
 * configured yet, and disables it again afterwards. Creating a third-party credential needs a
 * configured provider and, on a real site, sends an invitation e-mail and takes a Mobile ID from
 * the account: those checks run on an owned device too. Every credential of the run is removed
 * after its check (RemoveThirdPartyCredential, which removes its AccessControl credential too).
 */
import type { CheckContext, CleanupCaller } from "../../harness/types.js";
import { docSections, itemsOf } from "../../harness/entity.js";
import { excerptJson, faultOf } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { lastExchange } from "../generic/support.js";

export const SERVICE = "ThirdPartyCredential";
export const TPC_DOC = "third-party-credential-service.md";
export const section = docSections(TPC_DOC);
/** The operation's reference section: `third-party-credential-service.md#getproviders-command`. */
export const opRef = (op: string): string => section(`${op.slice(op.indexOf(":") + 1).toLowerCase()}-command`);

export const GET_PROVIDERS = "axtpc:GetProviders";
export const GET_CONFIG = "axtpc:GetProviderConfiguration";
export const SET_CONFIG = "axtpc:SetProviderConfiguration";
export const SET = "axtpc:SetThirdPartyCredential";
export const LIST = "axtpc:GetThirdPartyCredentialList";
export const GET = "axtpc:GetThirdPartyCredential";
export const GET_BY_EMAIL = "axtpc:GetThirdPartyCredentialByEmail";
export const REMOVE = "axtpc:RemoveThirdPartyCredential";
export const REMOVE_BY_EMAIL = "axtpc:RemoveThirdPartyCredentialByEmail";
export const GET_CREDENTIAL = "pacsaxis:GetCredential";
export const REMOVE_CREDENTIAL = "pacsaxis:RemoveCredential";

/** The only provider the page documents. */
export const HID_MOBILE_ACCESS = "HIDMobileAccess";
export const INVALID_ARGUMENT = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidArgument"] } as const;
export const RESOURCE_EXISTS = { code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:ResourceExists"] } as const;

export const OWNED_ONLY =
  "a provider configuration is the site's login at the credential provider (its secret cannot be read back to restore it), and third-party credentials send invitations and use up the account's Mobile IDs; this runs only against the built-in reference device (pacs-conformance run without --device)";

/** The provider names GetProviders lists (the Value and Enums of its ProviderName setting). */
export async function providerNames(ctx: CheckContext): Promise<string[]> {
  const providers = itemsOf(await ctx.call(GET_PROVIDERS, {}), "Providers");
  const names = new Set<string>();
  for (const p of providers.filter((x) => x["Name"] === "ProviderName")) {
    if (typeof p["Value"] === "string" && p["Value"] !== "") names.add(p["Value"]);
    const enums = p["Enums"];
    for (const e of Array.isArray(enums) ? enums : enums === undefined ? [] : [enums]) if (typeof e === "string" && e !== "") names.add(e);
  }
  return [...names];
}

/** The provider the checks use: HIDMobileAccess when GetProviders lists it (or lists nothing readable), else its first. */
export async function providerName(ctx: CheckContext): Promise<string> {
  requireOps(ctx, GET_PROVIDERS);
  const names = await providerNames(ctx);
  return names.includes(HID_MOBILE_ACCESS) || names.length === 0 ? HID_MOBILE_ACCESS : names[0]!;
}

/** The HIDMobileConfig GetProviderConfiguration answers (empty object when it has none). */
export async function readConfig(call: (op: string, input: unknown) => Promise<unknown>, provider: string): Promise<Record<string, unknown>> {
  const r = (await call(GET_CONFIG, { ProviderName: provider })) as Record<string, unknown>;
  const config = r["Configuration"] as Record<string, unknown> | undefined;
  return (config?.["HIDMobileConfig"] as Record<string, unknown> | undefined) ?? {};
}

/** The SOAP example of "Disable a configuration": every element empty. */
export function disableInput(provider: string): Record<string, unknown> {
  return { ProviderName: provider, Configuration: { HIDMobileConfig: { ClientId: "", ClientSecret: "", ProxyURL: "", ProxyPort: "", ProxyUser: "", ProxyPassword: "", DefaultPartNumberToken: "", PortalApiURL: "", IdpURL: "", CardIdDataName: "" } } };
}

const configured = (config: Record<string, unknown>): boolean => typeof config["ClientId"] === "string" && config["ClientId"] !== "";

/** A configuration of the run: its ClientId carries the run's prefix. */
export function runConfig(ctx: CheckContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ClientId: `${ctx.tokenPrefix}client`, ClientSecret: `${ctx.tokenPrefix}secret`, ...extra };
}

/**
 * Skips unless the run owns the device and its provider is not configured (or configured by this
 * run); then registers the provider's disabling for after the check. Returns the provider's name.
 */
export async function claimProvider(ctx: CheckContext): Promise<string> {
  requireOps(ctx, GET_PROVIDERS, GET_CONFIG, SET_CONFIG);
  if (!ctx.ownsDevice) ctx.skip(OWNED_ONLY);
  const provider = await providerName(ctx);
  const before = await readConfig((op, input) => ctx.call(op, input), provider);
  // A configuration of this run (an earlier check could not disable it) is the run's to change.
  if (configured(before) && !String(before["ClientId"]).startsWith(ctx.tokenPrefix)) {
    ctx.skip(`${provider} is configured already (ClientId ${excerptJson(before["ClientId"])}); its secret cannot be read back, so the run would not be able to restore it`);
  }
  ctx.onCleanup(`disable ${provider} again`, async (call) => {
    await call(SET_CONFIG, disableInput(provider));
  });
  return provider;
}

/** claimProvider, then SetProviderConfiguration with the run's configuration. */
export async function ownProvider(ctx: CheckContext, extra: Record<string, unknown> = {}): Promise<string> {
  const provider = await claimProvider(ctx);
  await ctx.call(SET_CONFIG, { ProviderName: provider, Configuration: { HIDMobileConfig: runConfig(ctx, extra) } });
  return provider;
}

/** An e-mail address of the run (reserved domain: no invitation can reach anyone); at most 64 characters, as the ByEmail requests' pt:ReferenceToken allows. */
export function runEmail(ctx: CheckContext, label: string): string {
  return `${ctx.newToken(label)}@example.invalid`.slice(-64);
}

export interface OwnCredential {
  readonly token: string;
  readonly email: string;
  readonly sent: Record<string, unknown>;
}

/** A SetThirdPartyCredential request of the run: the guide's credential with the holder attributes (Status as the SOAP example sends it). */
export function credentialRequest(provider: string, token: string, email: string, options: { actions?: readonly string[]; partNumber?: string; attributes?: readonly Record<string, string>[] } = {}): Record<string, unknown> {
  return {
    ThirdPartyCredential: {
      Credential: {
        token,
        UserToken: "",
        Description: `${token} (third-party credential of a conformance run)`,
        Enabled: true,
        Status: "NotActivated",
        IdData: [{ Name: "PIN", Value: "4711" }],
        Attribute: options.attributes ?? [
          { type: "", Name: "Email", Value: email },
          { type: "", Name: "LastName", Value: "Conformance" },
          { type: "", Name: "FirstName", Value: "Run" },
        ],
      },
      ...(options.partNumber !== undefined ? { Options: { HIDMobileOptions: { PartNumberToken: options.partNumber } } } : {}),
    },
    ProviderActions: (options.actions ?? []).map((Name) => ({ Name })),
    ProviderName: provider,
  };
}

/** Removes a third-party credential of the run (and its AccessControl credential); gone already is fine. */
export async function removeOwn(call: CleanupCaller, provider: string, token: string): Promise<void> {
  try {
    await call(REMOVE, { Token: token, ProviderName: provider });
  } catch (err) {
    if (faultOf(err) === undefined) throw err;
  }
  try {
    await call(REMOVE_CREDENTIAL, { Token: [token] });
  } catch (err) {
    if (faultOf(err) === undefined) throw err;
  }
}

/** Registers the removal of a third-party credential of the run. */
export function removeAfterwards(ctx: CheckContext, provider: string, token: string): void {
  ctx.onCleanup(`remove third-party credential ${token}`, (call) => removeOwn(call, provider, token));
}

/** Creates a third-party credential of the run (removed after the check); fails the check when the response names another token. */
export async function createOwn(ctx: CheckContext, provider: string, label: string, options: Parameters<typeof credentialRequest>[3] = {}): Promise<OwnCredential> {
  requireOps(ctx, SET, REMOVE);
  const token = ctx.newToken(label);
  const email = runEmail(ctx, label);
  const sent = credentialRequest(provider, token, email, options);
  removeAfterwards(ctx, provider, token);
  const r = await ctx.call<Record<string, unknown>>(SET, sent);
  if (r["Token"] !== token) ctx.fail(`SetThirdPartyCredential for credential "${token}" answered Token ${excerptJson(r["Token"])}; expected the token sent`, lastExchange(ctx));
  return { token, email, sent };
}

/** GetThirdPartyCredential's ThirdPartyCredential. */
export async function getOwn(ctx: CheckContext, provider: string, token: string): Promise<Record<string, unknown>> {
  const r = await ctx.call<Record<string, unknown>>(GET, { Token: token, ProviderName: provider });
  const tpc = r["ThirdPartyCredential"] as Record<string, unknown> | undefined;
  if (tpc === undefined || typeof tpc !== "object") return ctx.fail(`GetThirdPartyCredential "${token}" answered ${excerptJson(r)}; expected a ThirdPartyCredential`, lastExchange(ctx));
  return tpc;
}

/** The Credential of a ThirdPartyCredential. */
export function credentialOf(tpc: Record<string, unknown>): Record<string, unknown> {
  return (tpc["Credential"] as Record<string, unknown> | undefined) ?? {};
}

/** The AccessControl credential of that token (pacsaxis:GetCredential), if any. */
export async function localCredential(ctx: CheckContext, token: string): Promise<Record<string, unknown> | undefined> {
  return itemsOf(await ctx.call(GET_CREDENTIAL, { Token: [token] }), "Credential").find((c) => c["token"] === token);
}
