/**
 * The simulated third-party credential provider: HID Mobile Access, the only provider the page
 * documents ("HID Mobile Access is currently the only supported third-party credential
 * provider"), as a cloud account the door controller talks to.
 *
 * - Configuration (SetProviderConfiguration): one per provider, a new one replaces the old. A
 *   configuration whose ClientId and ClientSecret are both empty disables the provider ("Providing
 *   an empty configuration will disable"); only one of them empty is an invalid argument. Any
 *   non-empty pair logs in: the simulated account has no password of its own.
 * - Connection: the provider is connected while it is configured and reachable. The back door's
 *   LoseProviderConnection makes it unreachable with one of the documented failures; each change,
 *   and a new configuration of a connected provider (a new login), is announced on
 *   ProviderConnection.
 * - Which operations contact the provider: the writes (SetProviderConfiguration with a
 *   configuration, SetThirdPartyCredential, the removals) always; the reads only with the
 *   ForceUpdate action ("the information is stored locally"). Contacting a disabled provider is
 *   env:Receiver/ter:CredentialProviderError/ter:Unavailable; an unreachable one answers the
 *   outage's fault.
 * - The account's part numbers (GetProviderConfiguration PartNumbers): fixed for the simulation;
 *   each new third-party credential takes one Mobile ID of its part number (Quantity), and a
 *   part number with none left fails the creation (GeneralProviderError). The default part
 *   number is the configured DefaultPartNumberToken, else the account's first.
 * - Secrets: GetProviderConfiguration masks ClientSecret (the page's example answers "***") and,
 *   by the same reasoning, a non-empty ProxyPassword.
 */
import { createHash } from "node:crypto";
import type { Item } from "../entity.js";
import { OperationFault, invalidArgVal, notFound } from "../faults.js";
import type { DeviceState } from "../state.js";

export const HID_MOBILE_ACCESS = "HIDMobileAccess";
/** Every provider GetProviders names, in its order. */
export const PROVIDERS: readonly string[] = [HID_MOBILE_ACCESS];
/** The IdData a card number is stored in unless CardIdDataName says otherwise. */
export const DEFAULT_CARD_ID_DATA_NAME = "CardNr";
/** The provider's connection state topic (topics.ts declares it). */
export const PROVIDER_CONNECTION_TOPIC = "tnsaxis:ThirdPartyCredential/Status/ProviderConnection";
/** What GetProviderConfiguration shows instead of a secret. */
export const MASK = "***";

/** The documented provider failures (the fault tables' NetworkError and CredentialProviderError rows). */
export const FAILURES = ["ConnectionError", "Timeout", "Unavailable", "AuthenticationFailed", "GeneralProviderError"] as const;
export type ProviderFailure = (typeof FAILURES)[number];

export interface PartNumber {
  readonly token: string;
  readonly Name: string;
  readonly Description: string;
  Quantity: number;
}

interface ProviderState {
  /** The stored HIDMobileConfig (normalized request value); undefined: not configured or disabled. */
  config: Item | undefined;
  /** Set while the back door keeps the provider unreachable. */
  outage: ProviderFailure | undefined;
  /** Connected as last announced on ProviderConnection. */
  announced: boolean;
  readonly partNumbers: PartNumber[];
  nextCard: number;
  invitations: number;
}

export function providerState(state: DeviceState): ProviderState {
  return state.runtime("third-party-credential/provider", () => ({
    config: undefined,
    outage: undefined,
    announced: false,
    partNumbers: [
      { token: "MID-STANDARD", Name: "Mobile ID", Description: "Mobile IDs of the simulated HID Mobile Access account", Quantity: 100 },
      { token: "MID-VISITOR", Name: "Visitor Mobile ID", Description: "A small batch of Mobile IDs for visitors", Quantity: 2 },
    ],
    nextCard: 20001,
    invitations: 0,
  }));
}

// ---- faults (the fault tables' codes)

export const invalidArgument = (reason: string): OperationFault => invalidArgVal(["ter:InvalidArgument"], reason);
export const resourceExists = (reason: string): OperationFault => invalidArgVal(["ter:ResourceExists"], reason);

export function providerFault(failure: ProviderFailure, reason: string): OperationFault {
  switch (failure) {
    case "ConnectionError":
    case "Timeout":
      return new OperationFault({ code: "env:Receiver", subcodes: ["ter:NetworkError", `ter:${failure}`], reason });
    case "AuthenticationFailed":
      return new OperationFault({ code: "env:Sender", subcodes: ["ter:CredentialProviderError", "ter:AuthenticationFailed"], reason });
    default:
      return new OperationFault({ code: "env:Receiver", subcodes: ["ter:CredentialProviderError", `ter:${failure}`], reason });
  }
}

const FAILURE_REASONS: Readonly<Record<ProviderFailure, string>> = {
  ConnectionError: "failed to connect to the provider",
  Timeout: "the request to the provider timed out",
  Unavailable: "the provider is currently unavailable",
  AuthenticationFailed: "the provider refused the login; check ClientId and ClientSecret",
  GeneralProviderError: "the provider answered with an error",
};

/**
 * The provider a request names. Unknown: env:Sender/ter:InvalidArgVal/ter:NotFound where the
 * operation's fault table has NotFound, else ter:InvalidArgument (GetThirdPartyCredentialList).
 */
export function resolveProvider(state: DeviceState, name: string, unknown: "NotFound" | "InvalidArgument"): string {
  if (PROVIDERS.includes(name)) return name;
  if (state.quirks.has("tpc-unknown-provider-accepted")) return HID_MOBILE_ACCESS;
  const reason = `provider "${name}" is not supported; GetProviders lists ${PROVIDERS.join(", ")}`;
  if (unknown === "NotFound") throw invalidArgVal(["ter:NotFound"], reason);
  throw invalidArgument(reason);
}

export function providerConnected(state: DeviceState, name: string): boolean {
  const p = providerState(state);
  return name === HID_MOBILE_ACCESS && p.config !== undefined && p.outage === undefined;
}

/** Throws what the provider answers when it cannot be reached (disabled, or the back door's outage). */
export function contactProvider(state: DeviceState, name: string, what: string): void {
  const p = providerState(state);
  if (p.config === undefined) throw providerFault("Unavailable", `${what}: ${name} is not configured; set a configuration with ClientId and ClientSecret first (SetProviderConfiguration)`);
  if (p.outage !== undefined) throw providerFault(p.outage, `${what}: ${FAILURE_REASONS[p.outage]}`);
}

/** The provider's configuration as `--state` keeps it (null: not configured). */
export function providerSettings(state: DeviceState): { readonly Configuration: Item | null } {
  return { Configuration: providerState(state).config ?? null };
}

/** Puts a saved configuration back: the provider is connected again, as it was, without an announcement (nothing changed). */
export function restoreProviderSettings(state: DeviceState, saved: Readonly<Record<string, unknown>>): void {
  const config = saved["Configuration"];
  if (config !== null && (typeof config !== "object" || Array.isArray(config))) throw new Error(`Configuration is ${JSON.stringify(config)}, not an HIDMobileConfig or null`);
  const p = providerState(state);
  p.config = config === null ? undefined : structuredClone(config as Item);
  p.announced = providerConnected(state, HID_MOBILE_ACCESS);
}

/** Announces ProviderConnection when Connected changed, or (`relogin`) when a connected provider logged in anew. */
export function announceConnection(state: DeviceState, relogin = false): void {
  const p = providerState(state);
  const connected = providerConnected(state, HID_MOBILE_ACCESS);
  if (connected === p.announced && !(relogin && connected)) return;
  p.announced = connected;
  state.publish({ topic: PROVIDER_CONNECTION_TOPIC, source: { ProviderName: HID_MOBILE_ACCESS }, data: { Connected: connected } });
}

/** The back door's outage: the provider becomes unreachable with `failure`, or (undefined) reachable again. */
export function setOutage(state: DeviceState, failure: ProviderFailure | undefined): boolean {
  const p = providerState(state);
  const changed = p.outage !== failure;
  p.outage = failure;
  announceConnection(state);
  return changed;
}

export function findPartNumber(state: DeviceState, token: string): PartNumber | undefined {
  return providerState(state).partNumbers.find((n) => n.token === token);
}

/** The part number a credential gets when it names none: the configured default, else the account's first. */
export function defaultPartNumber(state: DeviceState): string {
  const p = providerState(state);
  const configured = p.config?.["DefaultPartNumberToken"];
  return typeof configured === "string" && configured !== "" ? configured : (p.partNumbers[0]?.token ?? "");
}

/** The IdData the issued card number goes to (CardIdDataName, default CardNr). */
export function cardIdDataName(state: DeviceState): string {
  const name = providerState(state).config?.["CardIdDataName"];
  return typeof name === "string" && name !== "" ? name : DEFAULT_CARD_ID_DATA_NAME;
}

/**
 * SetProviderConfiguration for HID Mobile Access (`config` = the request's HIDMobileConfig):
 * validate, log in (unless it disables), store, announce the connection.
 */
export function configureProvider(state: DeviceState, config: Item | undefined): void {
  if (config === undefined) throw invalidArgument(`Configuration has no HIDMobileConfig; ${HID_MOBILE_ACCESS} is configured with one (all its elements empty disable the provider)`);
  const id = config["ClientId"] as string;
  const secret = config["ClientSecret"] as string;
  const disable = id === "" && secret === "";
  const p = providerState(state);
  if (!disable) {
    if (id === "" || secret === "") throw invalidArgument(`HIDMobileConfig.${id === "" ? "ClientId" : "ClientSecret"} is empty; give both ClientId and ClientSecret, or neither to disable the provider`);
    const def = config["DefaultPartNumberToken"];
    if (typeof def === "string" && def !== "" && findPartNumber(state, def) === undefined) {
      throw invalidArgVal(["ter:NotFound"], `DefaultPartNumberToken "${def}" is not a part number of the account; GetProviderConfiguration lists its PartNumbers (${p.partNumbers.map((n) => n.token).join(", ")})`);
    }
    if (p.outage !== undefined) throw providerFault(p.outage, `SetProviderConfiguration: ${FAILURE_REASONS[p.outage]}; the configuration was not changed`);
  }
  if (state.quirks.has("tpc-configuration-not-stored")) return;
  if (disable && state.quirks.has("tpc-disable-ignored")) return;
  const changed = JSON.stringify(p.config) !== JSON.stringify(disable ? undefined : config);
  p.config = disable ? undefined : structuredClone(config);
  announceConnection(state, changed);
}

/** GetProviderConfiguration's HIDMobileConfig: secrets masked, the account's part numbers, the effective CardIdDataName. */
export function presentConfiguration(state: DeviceState): Item {
  const p = providerState(state);
  // The generic quirk: a response without one required element.
  const invalid = state.quirks.has("schema-invalid-response");
  if (p.config === undefined) return invalid ? { ClientId: "" } : { ClientId: "", ClientSecret: "" };
  const out: Item = structuredClone(p.config);
  const mask = (k: string): void => {
    if (typeof out[k] === "string" && out[k] !== "" && !state.quirks.has("tpc-secret-revealed")) out[k] = MASK;
  };
  mask("ClientSecret");
  mask("ProxyPassword");
  out["PartNumbers"] = p.partNumbers.map((n) => ({ ...n }));
  out["CardIdDataName"] = cardIdDataName(state);
  if (invalid) delete out["ClientSecret"];
  return out;
}

/** A new invitation code in the format of the page's example (four groups of four). */
export function newInvitationCode(state: DeviceState, token: string): string {
  const p = providerState(state);
  p.invitations += 1;
  const hash = createHash("sha256").update(`${state.identity.mac}/${token}/${p.invitations}`).digest();
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const chars = [...hash.subarray(0, 16)].map((b) => alphabet[b % alphabet.length]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** The next card number the provider issues, skipping any a credential already holds under `idDataName`. */
export function nextCardNumber(state: DeviceState, idDataName: string): string {
  const p = providerState(state);
  const used = new Set<string>();
  const credentials = state.findStore("Credential");
  for (const t of credentials?.tokens() ?? []) {
    for (const d of (credentials!.read(t, "full")?.["IdData"] as { Name: string; Value: string }[] | undefined) ?? []) if (d.Name === idDataName) used.add(d.Value);
  }
  while (used.has(String(p.nextCard))) p.nextCard += 1;
  const card = String(p.nextCard);
  p.nextCard += 1;
  return card;
}

/** `notFound` of the fault tables for a part number. */
export const partNumberNotFound = (token: string): OperationFault => notFound("Part number", token);
