/** The nine axtpc operations (third-party-credential-service.md, "Third party credential service API"). */
import type { Item } from "../entity.js";
import type { OperationDef } from "../operation.js";
import { TOKEN, emptyRequest, int, obj, opt, req, str } from "../shape.js";
import type { DeviceState } from "../state.js";
import { actionNames, findByEmail, getOne, listPage, readRecord, removeThirdPartyCredential, setThirdPartyCredential } from "./credentials.js";
import { PROVIDERS, configureProvider, contactProvider, presentConfiguration, providerState, resolveProvider } from "./provider.js";
import { ProviderConfigurationInfoShape, ThirdPartyCredentialShape, providerActions, providerName } from "./shapes.js";

/** The provider a request names, refused as its fault table says (see resolveProvider). */
const provider = (input: Item, state: DeviceState, unknown: "NotFound" | "InvalidArgument" = "NotFound"): string => resolveProvider(state, input["ProviderName"] as string, unknown);

export function thirdPartyCredentialOperations(): OperationDef[] {
  return [
    {
      prefix: "axtpc",
      name: "GetProviders",
      input: emptyRequest("GetProviders"),
      // The page's example: one setting named ProviderName whose Value and Enums name the providers.
      handle: (_in, state) => ({
        Providers: state.quirks.has("tpc-providers-empty") ? [] : [{ Name: "ProviderName", Value: PROVIDERS[0]!, Type: "string", Enums: [...PROVIDERS] }],
      }),
    },
    {
      prefix: "axtpc",
      name: "GetProviderConfiguration",
      input: obj("GetProviderConfiguration", [providerName, providerActions]),
      handle(input, state) {
        const name = provider(input, state);
        // Part numbers and quantities are kept locally; ForceUpdate asks a configured provider again.
        if (actionNames(input).has("ForceUpdate") && providerState(state).config !== undefined) contactProvider(state, name, "GetProviderConfiguration");
        return { Configuration: { HIDMobileConfig: presentConfiguration(state) } };
      },
    },
    {
      prefix: "axtpc",
      name: "SetProviderConfiguration",
      input: obj("SetProviderConfiguration", [providerName, providerActions, req("Configuration", ProviderConfigurationInfoShape)]),
      handle(input, state) {
        provider(input, state);
        configureProvider(state, (input["Configuration"] as Item)["HIDMobileConfig"] as Item | undefined);
        return {};
      },
    },
    {
      prefix: "axtpc",
      name: "SetThirdPartyCredential",
      input: obj("SetThirdPartyCredential", [req("ThirdPartyCredential", ThirdPartyCredentialShape), providerActions, providerName]),
      handle: (input, state) => ({ Token: setThirdPartyCredential(state, provider(input, state), input) }),
    },
    {
      prefix: "axtpc",
      name: "GetThirdPartyCredentialList",
      input: obj("GetThirdPartyCredentialList", [opt("Limit", int()), opt("StartReference", str()), providerActions, providerName]),
      // Its fault table has no NotFound: an unknown provider is an invalid argument.
      handle: (input, state) => listPage(state, provider(input, state, "InvalidArgument"), input, actionNames(input)),
    },
    {
      prefix: "axtpc",
      name: "GetThirdPartyCredential",
      input: obj("GetThirdPartyCredential", [req("Token", TOKEN), providerActions, providerName]),
      handle(input, state) {
        const name = provider(input, state);
        const token = input["Token"] as string;
        return { ThirdPartyCredential: getOne(state, name, readRecord(state, token), token, actionNames(input), "GetThirdPartyCredential") };
      },
    },
    {
      prefix: "axtpc",
      name: "GetThirdPartyCredentialByEmail",
      input: obj("GetThirdPartyCredentialByEmail", [req("Email", TOKEN), providerActions, providerName]),
      handle(input, state) {
        const name = provider(input, state);
        const email = input["Email"] as string;
        const rec = state.quirks.has("tpc-by-email-not-found") ? undefined : findByEmail(state, email);
        return { ThirdPartyCredential: getOne(state, name, rec, email, actionNames(input), "GetThirdPartyCredentialByEmail") };
      },
    },
    {
      prefix: "axtpc",
      name: "RemoveThirdPartyCredential",
      input: obj("RemoveThirdPartyCredential", [req("Token", TOKEN), providerActions, providerName]),
      handle(input, state) {
        const name = provider(input, state);
        const token = input["Token"] as string;
        removeThirdPartyCredential(state, name, readRecord(state, token), token, actionNames(input), "RemoveThirdPartyCredential");
        return {};
      },
    },
    {
      prefix: "axtpc",
      name: "RemoveThirdPartyCredentialByEmail",
      input: obj("RemoveThirdPartyCredentialByEmail", [req("Email", TOKEN), providerActions, providerName]),
      handle(input, state) {
        const name = provider(input, state);
        const email = input["Email"] as string;
        removeThirdPartyCredential(state, name, findByEmail(state, email), email, actionNames(input), "RemoveThirdPartyCredentialByEmail");
        return {};
      },
    },
  ];
}
