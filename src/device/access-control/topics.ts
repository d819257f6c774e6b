/**
 * The AccessControl service's events (event-logger-service.md "Notification topics";
 * access-control-service.md "Send access request", "Disable selected parts of a service",
 * "Anti-passback notifications"; the MessageDescriptions of the ONVIF Access Control and
 * Credential specifications). Decisions and passages are announced by outcome.ts, the state of
 * access points and credentials by entity-state.ts, anti-passback by antipassback.ts.
 * Configuration Changed/Removed of the entity types are registered with them.
 */
import type { DeviceState } from "../state.js";
import type { ItemDecl, TopicDecl } from "../topics.js";

const AP: readonly ItemDecl[] = [{ name: "AccessPointToken", type: "pt:ReferenceToken" }];
const EXTERNAL: ItemDecl = { name: "External", type: "xs:boolean" };
const CREDENTIAL: readonly ItemDecl[] = [
  { name: "CredentialToken", type: "pt:ReferenceToken" },
  { name: "CredentialHolderName", type: "xs:string" },
];
const REASON: ItemDecl = { name: "Reason", type: "xs:string" };

function decision(topic: string, doc: string, data: readonly ItemDecl[]): TopicDecl {
  return { topic: `tns1:AccessControl/${topic}`, doc, property: false, source: AP, data };
}

// External is true only after tac:ExternalAuthorization (the ONVIF spec makes it optional otherwise);
// CredentialToken and CredentialHolderName are empty when several credentials matched (a shared PIN).
export const ACCESS_CONTROL_TOPICS: readonly TopicDecl[] = [
  decision("AccessGranted/Anonymous", "Someone without a credential (a REX press) was granted access at an access point.", [EXTERNAL]),
  decision("AccessGranted/Credential", "A credential passed every check and was granted access at an access point.", [EXTERNAL, ...CREDENTIAL]),
  decision("AccessTaken/Anonymous", "After an anonymous grant the door was opened.", []),
  decision("AccessTaken/Credential", "After a credential's grant the door was opened.", CREDENTIAL),
  decision("AccessNotTaken/Anonymous", "After an anonymous grant the door was not opened before it relocked (or it refused the access).", []),
  decision("AccessNotTaken/Credential", "After a credential's grant the door was not opened before it relocked (or it refused the access).", CREDENTIAL),
  decision("Denied/Anonymous", "Someone without a credential (a REX press) was denied access; Reason says why.", [EXTERNAL, REASON]),
  decision("Denied/Authentication/InvalidPIN", "A credential was denied access because the PIN entered with it was wrong.", [...CREDENTIAL, REASON]),
  decision("Denied/Credential", "A known credential was denied access; Reason says why (CredentialNotEnabled, CredentialExpired, Unauthorized, AntiPassbackViolation, …).", [EXTERNAL, ...CREDENTIAL, REASON]),
  decision("Denied/CredentialNotFound/Card", "A card (or other id data) matching no stored credential was presented; Card carries the presented value.", [{ name: "Card", type: "xs:string" }]),
  // The PIN itself is never announced.
  decision("Denied/CredentialNotFound/PIN", "A PIN matching no stored credential was entered.", []),
  decision("Duress", "A credential was granted with its duress PIN: access under duress.", [...CREDENTIAL, REASON]),
  {
    topic: "tns1:AccessPoint/State/Enabled",
    doc: "An access point was enabled or disabled (also announced when it is added).",
    property: true,
    source: AP,
    data: [{ name: "State", type: "xs:boolean" }],
    current: (state: DeviceState) => {
      const aps = state.store("AccessPoint");
      return aps.tokens().map((t) => ({ source: { AccessPointToken: t }, data: { State: aps.read(t, "full")!["Enabled"] !== false } }));
    },
  },
  {
    // Not in the event logger's table; the ONVIF Credential specification's topic.
    topic: "tns1:Credential/State/Enabled",
    doc: "A credential was enabled or disabled, or its Status changed; Reason is its Status, ClientUpdated is true (a client asked).",
    property: false,
    source: [{ name: "CredentialToken", type: "pt:ReferenceToken" }],
    data: [
      { name: "State", type: "xs:boolean" },
      REASON,
      { name: "ClientUpdated", type: "xs:boolean" },
    ],
  },
  {
    // access-control-service.md shows CredentialHolderName as a Source item, as this device sends it.
    topic: "tns1:Credential/State/ApbViolation",
    doc: "A credential entered or left anti-passback violation (ApbViolation); ClientUpdated tells a client's reset or removal from the device's own decision or timer.",
    property: false,
    source: [
      { name: "CredentialToken", type: "pt:ReferenceToken" },
      { name: "CredentialHolderName", type: "xs:string" },
    ],
    data: [
      REASON,
      { name: "ApbViolation", type: "xs:boolean" },
      { name: "ClientUpdated", type: "xs:boolean" },
    ],
  },
];
