/** Quirks of the third-party credential service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const THIRD_PARTY_CREDENTIAL_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "tpc-providers-empty",
    rule: "GetProviders lists the supported providers (a ProviderName setting whose Value and Enums name them)",
    behaviour: "GetProviders answers an empty Providers list",
  },
  {
    name: "tpc-unknown-provider-accepted",
    rule: "a ProviderName that GetProviders does not list is refused (env:Sender/ter:InvalidArgVal/ter:NotFound, or ter:InvalidArgument where the table has no NotFound)",
    behaviour: "any ProviderName is taken for HIDMobileAccess",
  },
  {
    name: "tpc-unknown-credential-succeeds",
    rule: "GetThirdPartyCredential(ByEmail) and RemoveThirdPartyCredential(ByEmail) of a credential that does not exist give env:Sender/ter:InvalidArgVal/ter:NotFound",
    behaviour: "the removals answer OK, the gets an empty NotActivated credential under the token asked for",
  },
  {
    name: "tpc-configuration-not-stored",
    rule: "SetProviderConfiguration replaces the provider's configuration (GetProviderConfiguration shows it)",
    behaviour: "SetProviderConfiguration answers OK and keeps the previous configuration",
  },
  {
    name: "tpc-secret-revealed",
    rule: "GetProviderConfiguration never reveals the ClientSecret (it is masked)",
    behaviour: "GetProviderConfiguration returns the ClientSecret as set",
  },
  {
    name: "tpc-disable-ignored",
    rule: "an empty configuration (ClientId and ClientSecret empty) disables the provider",
    behaviour: "an empty configuration is answered OK and the previous one stays in force",
  },
  {
    name: "tpc-credential-not-local",
    rule: "SetThirdPartyCredential writes its Credential to the AccessControl credential store (pacsaxis:GetCredential shows it)",
    behaviour: "only the third-party record is kept; pacsaxis:GetCredential does not know the credential",
  },
  {
    name: "tpc-status-activated-at-once",
    rule: "a new third-party credential has Status NotActivated until the provider has issued its card",
    behaviour: "the credential is stored with Status Enabled at once",
  },
  {
    name: "tpc-missing-holder-accepted",
    rule: "SetThirdPartyCredential needs the Email, FirstName and LastName attributes (env:Sender/ter:InvalidArgVal/ter:InvalidArgument without them)",
    behaviour: "a credential without them is created",
  },
  {
    name: "tpc-default-part-number-ignored",
    rule: "a third-party credential created without a PartNumberToken option uses the configured DefaultPartNumberToken (its Options show it)",
    behaviour: "its Options show no PartNumberToken",
  },
  {
    name: "tpc-duplicate-email-accepted",
    rule: "without ForceUpdate, SetThirdPartyCredential for an e-mail another third-party credential has gives env:Sender/ter:InvalidArgVal/ter:ResourceExists",
    behaviour: "a second third-party credential with the same e-mail is created",
  },
  {
    name: "tpc-by-email-not-found",
    rule: "GetThirdPartyCredentialByEmail returns the third-party credential with that e-mail",
    behaviour: "it answers env:Sender/ter:InvalidArgVal/ter:NotFound for every e-mail",
  },
  {
    name: "tpc-remove-keeps-local",
    rule: "RemoveThirdPartyCredential (without NoLocalModification) removes the AccessControl credential too",
    behaviour: "the third-party record goes, the AccessControl credential stays",
  },
  {
    name: "tpc-no-local-modification-ignored",
    rule: "RemoveThirdPartyCredential with NoLocalModification keeps the AccessControl credential",
    behaviour: "the AccessControl credential is removed all the same",
  },
  {
    name: "tpc-list-ignores-limit",
    rule: "a GetThirdPartyCredentialList page holds at most Limit items",
    behaviour: "every third-party credential comes in one page whatever the Limit",
  },
  {
    name: "tpc-card-not-stored",
    rule: "once the provider issues the card, the credential holds its number (IdData CardNr, or CardIdDataName) and is Enabled",
    behaviour: "the ThirdPartyCredentialEnabled event is sent but the credential stays NotActivated without the card",
  },
];
