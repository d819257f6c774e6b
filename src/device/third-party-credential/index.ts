/**
 * The third-party credential service (axtpc, /vapix/axtpc): credentials issued by a third-party
 * provider — HID Mobile Access Mobile IDs — on top of the AccessControl credential store.
 * Behaviour follows third-party-credential-service.md: the simulated provider (configuration,
 * connection, part numbers, card numbers) in provider.ts, the credentials in credentials.ts, the
 * events in topics.ts, the back door's stimuli in stimuli.ts. A factory-new device has no
 * provider configured.
 */
import { savedObject, type DeviceService } from "../service.js";
import { THIRD_PARTY_CREDENTIAL_ENTITIES } from "./declarations.js";
import { thirdPartyCredentialOperations } from "./operations.js";
import { PROVIDERS, providerSettings, providerState, restoreProviderSettings } from "./provider.js";
import { THIRD_PARTY_CREDENTIAL_QUIRKS } from "./quirks.js";
import { THIRD_PARTY_CREDENTIAL_STIMULI, describeThirdParty } from "./stimuli.js";
import { THIRD_PARTY_CREDENTIAL_TOPICS } from "./topics.js";

export const thirdPartyCredentialService: DeviceService = {
  name: "ThirdPartyCredential",
  prefixes: ["axtpc"],
  entities: THIRD_PARTY_CREDENTIAL_ENTITIES,
  quirks: THIRD_PARTY_CREDENTIAL_QUIRKS,
  operations: thirdPartyCredentialOperations,
  attach(state) {
    state.topics.register(...THIRD_PARTY_CREDENTIAL_TOPICS);
    for (const kind of THIRD_PARTY_CREDENTIAL_STIMULI) state.world.register(kind);
    state.world.registerView("ThirdPartyCredential", describeThirdParty);
  },
  // The provider configuration acts beyond the run's own data: a run must leave it as it found it.
  snapshot: (state) => {
    const p = providerState(state);
    return { [PROVIDERS[0]!]: { Configuration: p.config ?? null, Outage: p.outage ?? null } };
  },
  // The provider's configuration is the controller's; the simulated account behind it (part numbers, cards issued) is not.
  settings: {
    save: providerSettings,
    restore: (state, saved) => restoreProviderSettings(state, savedObject(saved, "the third-party credential provider's settings")),
  },
};
