/**
 * The third-party credential service's events (third-party-credential-service.md "Notification
 * topics", "Credential specific events", "Provider specific events"; event-logger-service.md
 * "Notification topics"), spelled as the event logger's table spells them (the service page
 * writes the same topics with every segment prefixed). Items and types as the
 * MessageDescriptions give them:
 *   …Created, …CreatedFailed, …Removed, …RemovedFailed: Source CredentialToken; Data
 *     CredentialHolderName ("FirstName LastName" of the provider's user), CredentialHolderEmail,
 *     ProviderName — plain events;
 *   …Enabled: Source CredentialToken; Data CredentialHolderEmail, CredentialFirstName,
 *     CredentialLastName, CredentialCardNumber, ProviderName — a plain event;
 *   ProviderConnection: Source ProviderName; Data Connected — a property, one instance per provider.
 */
import type { DeviceState } from "../state.js";
import type { ItemDecl, TopicDecl } from "../topics.js";
import { PROVIDERS, PROVIDER_CONNECTION_TOPIC, providerConnected } from "./provider.js";

const CREDENTIAL_TOPIC = "tns1:Configuration/Credential/tnsaxis:ThirdPartyCredential";
export const CREATED_TOPIC = `${CREDENTIAL_TOPIC}Created`;
export const CREATED_FAILED_TOPIC = `${CREDENTIAL_TOPIC}CreatedFailed`;
export const REMOVED_TOPIC = `${CREDENTIAL_TOPIC}Removed`;
export const REMOVED_FAILED_TOPIC = `${CREDENTIAL_TOPIC}RemovedFailed`;
export const ENABLED_TOPIC = `${CREDENTIAL_TOPIC}Enabled`;
export { PROVIDER_CONNECTION_TOPIC };

const SOURCE: readonly ItemDecl[] = [{ name: "CredentialToken", type: "pt:ReferenceToken" }];
const s = (name: string): ItemDecl => ({ name, type: "xs:string" });
const HOLDER: readonly ItemDecl[] = [s("CredentialHolderName"), s("CredentialHolderEmail"), s("ProviderName")];

const credentialTopic = (topic: string, doc: string, data: readonly ItemDecl[] = HOLDER): TopicDecl => ({ topic, doc, property: false, source: SOURCE, data });

export const THIRD_PARTY_CREDENTIAL_TOPICS: readonly TopicDecl[] = [
  credentialTopic(CREATED_TOPIC, "SetThirdPartyCredential created a third-party credential (its card may not be issued yet)."),
  credentialTopic(CREATED_FAILED_TOPIC, "SetThirdPartyCredential could not create a third-party credential at the provider, or the provider could not issue its card."),
  credentialTopic(REMOVED_TOPIC, "RemoveThirdPartyCredential(ByEmail) removed a third-party credential (or ForceUpdate replaced it)."),
  credentialTopic(REMOVED_FAILED_TOPIC, "RemoveThirdPartyCredential(ByEmail) could not remove a third-party credential at the provider."),
  credentialTopic(ENABLED_TOPIC, "The provider acknowledged a third-party credential and issued its card (CredentialCardNumber).", [
    s("CredentialHolderEmail"),
    s("CredentialFirstName"),
    s("CredentialLastName"),
    s("CredentialCardNumber"),
    s("ProviderName"),
  ]),
  {
    topic: PROVIDER_CONNECTION_TOPIC,
    doc: "The connection to a third-party credential provider came up or went down (a configuration set, disabled, or the provider lost).",
    property: true,
    source: [s("ProviderName")],
    data: [{ name: "Connected", type: "xs:boolean" }],
    current: (state: DeviceState) => PROVIDERS.map((p) => ({ source: { ProviderName: p }, data: { Connected: providerConnected(state, p) } })),
  },
];
