/**
 * The simulated world around the provider (the back door, backdoor.ts):
 *   LoseProviderConnection  {"Active"?: true|false, "Failure"?: "ConnectionError"|"Timeout"|
 *                           "Unavailable"|"AuthenticationFailed"|"GeneralProviderError"}
 *       the provider cannot be reached (Active false: it can again); operations that contact it
 *       answer the failure's fault, ProviderConnection reports the change.
 *   AcceptInvitation        {"Credential"?: token, "Email"?: e-mail} (one of them)
 *       the holder accepts the invitation now: the provider issues the card at once instead of
 *       INVITATION_ACCEPTED_MS of device time after the invitation.
 * The view "ThirdPartyCredential" shows each provider's configuration state, connection, outage
 * and part number quantities, and the invitations not yet accepted.
 */
import type { DeviceState } from "../state.js";
import { StimulusError, boolArg, type StimulusKind } from "../world.js";
import { findByEmail, issueCard, pendingInvitations, readRecord } from "./credentials.js";
import { FAILURES, HID_MOBILE_ACCESS, PROVIDERS, providerConnected, providerState, setOutage, type ProviderFailure } from "./provider.js";

function failureArg(args: Readonly<Record<string, unknown>>): ProviderFailure {
  const v = args["Failure"];
  if (v === undefined) return "ConnectionError";
  if (typeof v !== "string" || !(FAILURES as readonly string[]).includes(v)) throw new StimulusError(`"Failure" must be one of ${FAILURES.join(", ")}; got ${JSON.stringify(v)}`);
  return v as ProviderFailure;
}

export const THIRD_PARTY_CREDENTIAL_STIMULI: readonly StimulusKind[] = [
  {
    name: "LoseProviderConnection",
    doc: "The door controller cannot reach the third-party credential provider (HID Mobile Access) any more (Active false: it can again); operations that contact the provider answer Failure's fault.",
    args: {
      Active: "true, or false when the provider can be reached again; default true (optional)",
      Failure: `what contacting the provider answers meanwhile: ${FAILURES.join(", ")}; default ConnectionError (optional)`,
    },
    apply(args, state) {
      const lost = boolArg(args, "Active", true);
      const failure = failureArg(args);
      const changed = setOutage(state, lost ? failure : undefined);
      return { ProviderName: HID_MOBILE_ACCESS, Connected: providerConnected(state, HID_MOBILE_ACCESS), Changed: changed };
    },
  },
  {
    name: "AcceptInvitation",
    doc: "The holder of a third-party credential accepts the provider's invitation now: the provider issues the card number at once.",
    args: { Credential: "token of a third-party credential; or give Email (optional)", Email: "e-mail of a third-party credential; or give Credential (optional)" },
    apply(args, state) {
      const token = args["Credential"];
      const email = args["Email"];
      if (token === undefined && email === undefined) throw new StimulusError('AcceptInvitation needs "Credential" (a third-party credential\'s token) or "Email"');
      if ((token !== undefined && typeof token !== "string") || (email !== undefined && typeof email !== "string")) throw new StimulusError('"Credential" and "Email" must be strings');
      const rec = typeof token === "string" ? readRecord(state, token) : findByEmail(state, email as string);
      if (rec === undefined) throw new StimulusError(`no third-party credential ${typeof token === "string" ? `"${token}"` : `with e-mail "${String(email)}"`}`);
      if (rec.IssueAt === 0) throw new StimulusError(`third-party credential "${rec.token}" already has its card (${rec.CardNumber})`);
      if (!providerConnected(state, rec.ProviderName)) throw new StimulusError(`${rec.ProviderName} is not connected (not configured, or LoseProviderConnection is active); the card cannot be issued now`);
      const card = issueCard(state, rec.token);
      return { CredentialToken: rec.token, CardNumber: card ?? "" };
    },
  },
];

/** The back door's view of the providers and pending invitations. */
export function describeThirdParty(state: DeviceState): Record<string, unknown> {
  const p = providerState(state);
  return {
    Providers: PROVIDERS.map((name) => ({
      ProviderName: name,
      Configured: p.config !== undefined,
      Connected: providerConnected(state, name),
      Outage: p.outage ?? null,
      PartNumbers: p.partNumbers.map((n) => ({ token: n.token, Quantity: n.Quantity })),
    })),
    PendingInvitations: pendingInvitations(state),
  };
}
