/**
 * How the event suite causes the third-party credential topics (events/catalogue.ts;
 * third-party-credential-service.md "Notification topics"): on a device the run owns whose
 * provider is not configured yet (support.ts), the run configures the provider, creates and
 * removes credentials of its own; the failures and the issued card need the reference device's
 * back door (LoseProviderConnection, AcceptInvitation). Everything is undone after the check:
 * the connection restored, the credentials removed, the provider disabled.
 */
import type { CheckContext } from "../../harness/types.js";
import { faultOf } from "../../harness/faults.js";
import type { Cause, CausePlan } from "../events/causes.js";
import { activate, requireBackdoor, stimulate } from "../events/causes.js";
import { REMOVE, SET, SET_CONFIG, claimProvider, createOwn, credentialRequest, ownProvider, removeAfterwards, runConfig, runEmail } from "./support.js";

const OWNED = "on a device the run owns whose provider is not configured: ";

/** A call the event is caused by that the device is expected to refuse (the …Failed events); its answer is not judged here. */
async function refused(ctx: CheckContext, op: string, input: unknown): Promise<void> {
  try {
    await ctx.call(op, input);
  } catch (err) {
    if (faultOf(err) === undefined) throw err;
  }
}

/** The provider unreachable until the check ends (LoseProviderConnection). */
/** The provider connection lost (back door), restored after the check. */
function loseProvider(ctx: CheckContext): Promise<void> {
  return activate(ctx, { Stimulus: "LoseProviderConnection" });
}

const api = (how: string, prepare: (ctx: CheckContext) => Promise<CausePlan>): Cause => ({ via: "api", how: `${OWNED}${how}`, prepare });
const backdoor = (how: string, prepare: (ctx: CheckContext) => Promise<CausePlan>): Cause => ({
  via: "backdoor",
  how: `${OWNED}${how}`,
  prepare: (ctx) => {
    requireBackdoor(ctx, how);
    return prepare(ctx);
  },
});

export const thirdPartyCredentialCauses: Readonly<Record<"Created" | "CreatedFailed" | "Removed" | "RemovedFailed" | "Enabled" | "ProviderConnection", Cause>> = {
  Created: api("SetThirdPartyCredential creating a third-party credential of the run", async (ctx) => {
    const provider = await ownProvider(ctx);
    const token = ctx.newToken("ev-tpc");
    const input = credentialRequest(provider, token, runEmail(ctx, "ev-tpc"));
    removeAfterwards(ctx, provider, token);
    return { about: token, tokens: { CredentialToken: token }, stimulus: `SetThirdPartyCredential creating "${token}"`, trigger: async () => void (await ctx.call(SET, input)) };
  }),
  CreatedFailed: backdoor("LoseProviderConnection, then SetThirdPartyCredential for a credential of the run", async (ctx) => {
    const provider = await ownProvider(ctx);
    const token = ctx.newToken("ev-tpc-fail");
    removeAfterwards(ctx, provider, token);
    await loseProvider(ctx);
    const input = credentialRequest(provider, token, runEmail(ctx, "ev-tpc-fail"));
    return { about: token, tokens: { CredentialToken: token }, stimulus: `SetThirdPartyCredential "${token}" while the provider cannot be reached`, trigger: () => refused(ctx, SET, input) };
  }),
  Removed: api("RemoveThirdPartyCredential on a third-party credential of the run", async (ctx) => {
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "ev-tpc-rm");
    return { about: own.token, tokens: { CredentialToken: own.token }, stimulus: `RemoveThirdPartyCredential "${own.token}"`, trigger: async () => void (await ctx.call(REMOVE, { Token: own.token, ProviderName: provider })) };
  }),
  RemovedFailed: backdoor("LoseProviderConnection, then RemoveThirdPartyCredential on a third-party credential of the run", async (ctx) => {
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "ev-tpc-rmf");
    await loseProvider(ctx);
    return { about: own.token, tokens: { CredentialToken: own.token }, stimulus: `RemoveThirdPartyCredential "${own.token}" while the provider cannot be reached`, trigger: () => refused(ctx, REMOVE, { Token: own.token, ProviderName: provider }) };
  }),
  Enabled: backdoor("AcceptInvitation for a third-party credential of the run (the provider issues its card)", async (ctx) => {
    const provider = await ownProvider(ctx);
    const own = await createOwn(ctx, provider, "ev-tpc-card");
    return { about: own.token, tokens: { CredentialToken: own.token }, stimulus: `AcceptInvitation for "${own.token}"`, trigger: async () => void (await stimulate(ctx, { Stimulus: "AcceptInvitation", Credential: own.token })) };
  }),
  ProviderConnection: api("SetProviderConfiguration with a configuration of the run (the provider connects)", async (ctx) => {
    const provider = await claimProvider(ctx);
    const input = { ProviderName: provider, Configuration: { HIDMobileConfig: runConfig(ctx) } };
    return { about: provider, tokens: { ProviderName: provider }, stimulus: `SetProviderConfiguration of ${provider}`, trigger: async () => void (await ctx.call(SET_CONFIG, input)) };
  }),
};
