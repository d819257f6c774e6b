/** Quirks of the User service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const USER_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "user-max-limit-wrong",
    rule: "the User service's MaxLimit capability is the limit its operations apply",
    behaviour: "axudb:GetServiceCapabilities reports a MaxLimit one above the limit GetUser/GetUserInfo and the lists apply",
  },
  {
    name: "user-by-credential-not-linked",
    rule: "GetUserInfoByCredentialToken returns the user whose token is the credential's UserToken",
    behaviour: "it answers an empty UserInfo list for every existing credential",
  },
  {
    name: "user-by-credential-unknown-returns-all",
    rule: "GetUserInfoByCredentialToken for a credential that does not exist returns no user (env:Sender/ter:InvalidArgVal/ter:NotFound)",
    behaviour: "it returns every user",
  },
  {
    name: "user-by-credential-stale",
    rule: "GetUserInfoByCredentialToken shows the users as they are now",
    behaviour: "each credential's first answer is cached: a later SetUser or RemoveUser of that user is not reflected",
  },
];
