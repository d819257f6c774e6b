/** Quirks of AccessControl's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const ACCESS_CONTROL_QUIRKS: readonly QuirkInfo[] = [
  { name: "enable-disable-noop", rule: "Enable/Disable change the state", behaviour: "EnableCredential/DisableCredential/EnableAccessPoint/DisableAccessPoint answer OK but change nothing" },
  { name: "stats-wrong", rule: "GetCredentialStatistics counts credentials", behaviour: "NumberOfCredentials and NumberOfDisabledCredentials are off by one" },
  // The access decision (decision.ts and the files it uses).
  {
    name: "decision-schedule-ignored",
    rule: "access is granted only while the access profile's schedule, its policy's schedule and the authentication profile's schedule are active (else NotPermittedAtThisTime)",
    behaviour: "every schedule list counts as active in the access decision",
  },
  { name: "decision-validity-ignored", rule: "a credential outside its ValidFrom/ValidTo window is denied (CredentialNotActive/CredentialExpired)", behaviour: "the credential's validity window is not checked" },
  { name: "decision-disabled-credential-granted", rule: "a disabled credential is denied (CredentialNotEnabled)", behaviour: "the credential's Enabled and Status are not checked" },
  { name: "decision-disabled-access-point-grants", rule: "requests at a disabled access point are denied (Unauthorized)", behaviour: "a disabled access point decides like an enabled one" },
  {
    name: "decision-access-profile-state-ignored",
    rule: "a disabled access profile, or one outside its (or the credential's) validity window, gives no access (InvalidAccessProfile)",
    behaviour: "access profiles count as enabled and valid",
  },
  { name: "decision-wrong-pin-accepted", rule: "with Card + PIN the PIN must match the credential's (else InvalidCredential)", behaviour: "any PIN is accepted" },
  { name: "decision-antipassback-not-enforced", rule: "hard anti-passback denies re-entering the area the credential is in (AntiPassbackViolation)", behaviour: "anti-passback never finds a violation" },
  {
    name: "decision-duress-refused",
    rule: "a card with its duress PIN is granted at a duress-enabled access point (for a duress-enabled access profile), with the Duress event",
    behaviour: "the duress PIN is treated as a wrong PIN: denied, no Duress event",
  },
  { name: "decision-rex-refused", rule: "a REX request is granted anonymously where REXOnly (REX OperatorValueEqual Active) applies", behaviour: "OperatorValueEqual factors never match: REX is denied" },
  {
    name: "decision-profile-override-ignored",
    rule: "authentication profiles of the credential override the access profile's, which override the access point's",
    behaviour: "only the access point's authentication profiles are used",
  },
  { name: "decision-door-not-accessed", rule: "a granted request accesses the access point's door (Accessed, relocked after AccessTime)", behaviour: "grants leave the door as it was" },
  { name: "decision-verify-acts", rule: "VerifyRequest decides without acting on doors", behaviour: "a granted VerifyRequest accesses the door and publishes the events like RequestAccess" },
];
