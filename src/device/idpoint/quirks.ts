/** Quirks of the IdPoint service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const IDPOINT_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "idpoint-capabilities-static",
    rule: "IdPointCapabilities follow the hardware configuration (no reader: no SupportCard; no REX input: no SupportREX)",
    behaviour: "GetIdPointCapabilities and IdPointInfo.Capabilities report card, PIN and REX support whatever is configured",
  },
  {
    name: "idpoint-configuration-replaces-all",
    rule: "SetIdPointConfiguration on an existing token replaces only the settings supplied",
    behaviour: "settings not in the request are dropped",
  },
  {
    name: "idpoint-configuration-no-defaults",
    rule: "a new IdPointConfiguration gets the default (first documented value) of every setting not supplied",
    behaviour: "only the settings sent are stored",
  },
  {
    name: "idpoint-configuration-invalid-value-accepted",
    rule: "SetIdPointConfiguration with a value outside a setting's documented values gives env:Sender/ter:InvalidArgVal/ter:InvalidIdPointConfigurationFault",
    behaviour: "the value is stored",
  },
  { name: "idpoint-configuration-info-stale", rule: "GetIdPointConfigurationInfo reports each setting's current value", behaviour: "it reports the defaults, whatever is configured" },
  { name: "idpoint-device-uuid-not-filled", rule: "an empty IdPointConfiguration.DeviceUUID is filled in with the device's UUID", behaviour: "DeviceUUID stays empty" },
  { name: "idpoint-feedback-not-stored", rule: "FeedbackMessage sets the profile GetFeedbackMessage reports", behaviour: "FeedbackMessage answers OK and changes nothing" },
  { name: "idpoint-whitelist-empty", rule: "a credential with a whitelist access profile appears in the whitelist of the IdPoints its access points use", behaviour: "whitelists never have entries" },
  {
    name: "idpoint-remote-activity-params-unchecked",
    rule: "IndicateRemoteActivities rejects a PIN activity without a PIN param and a REX activity with params",
    behaviour: "such activities are accepted",
  },
  {
    name: "idpoint-last-credential-not-decoded",
    rule: "GetLastCredential parses the card with the IdPoint's IdDataConfiguration (its fields, then Card and BitCount)",
    behaviour: "only Card and BitCount are returned",
  },
  { name: "idpoint-remove-keeps-configuration", rule: "RemoveIdPoint removes the IdPointConfiguration with the same token as well", behaviour: "the configuration stays" },
  {
    name: "idpoint-card-format-map-unchecked",
    rule: "SetIdDataConfiguration with an IdDataFieldMap outside InputBitlength gives env:Sender/ter:InvalidArgVal/ter:InvalidConfigurationFault",
    behaviour: "the configuration is stored",
  },
  { name: "idpoint-no-default-card-formats", rule: "a factory-new device provides card formats such as Wiegand 26-bit H10301", behaviour: "the device starts without IdDataConfigurations" },
];
