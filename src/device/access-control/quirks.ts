/** Quirks of AccessControl's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const ACCESS_CONTROL_QUIRKS: readonly QuirkInfo[] = [
  { name: "enable-disable-noop", rule: "Enable/Disable change the state", behaviour: "EnableCredential/DisableCredential/EnableAccessPoint/DisableAccessPoint answer OK but change nothing" },
  { name: "stats-wrong", rule: "GetCredentialStatistics counts credentials", behaviour: "NumberOfCredentials and NumberOfDisabledCredentials are off by one" },
];
