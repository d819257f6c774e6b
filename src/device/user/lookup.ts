/**
 * Users by credential (user-service.md, GetUserInfoByCredentialToken): the link is the
 * AccessControl credential's UserToken, read from the "Credential" store and resolved at every
 * call, so it never goes stale. A removed user leaves its credentials untouched (the page is
 * silent; the User service does not own credentials): their UserToken then names no user and
 * the lookup returns an empty list.
 */
import type { Item } from "../entity.js";
import { notFound } from "../faults.js";
import { present } from "../generic-ops.js";
import type { DeviceState } from "../state.js";

/** What the `user-by-credential-stale` quirk remembers: credential token → first answer. */
function staleCache(state: DeviceState): Map<string, Item[]> {
  return state.runtime("user/stale-lookups", () => new Map<string, Item[]>());
}

/** UserInfo items (as Get<X>Info hands them out) of the users having credential `token`; NotFound when there is no such credential. */
export function usersOfCredential(state: DeviceState, token: string): Item[] {
  const users = state.store("User");
  const credential = state.findStore("Credential")?.read(token, "full");
  if (credential === undefined) {
    if (state.quirks.has("user-by-credential-unknown-returns-all")) return users.tokens().map((t) => present(state, users, t, "info")!);
    // Fault table: env:Sender/ter:InvalidArgVal/ter:NotFound ("User not found").
    throw notFound("Credential", token);
  }
  const cached = state.quirks.has("user-by-credential-stale") ? staleCache(state).get(token) : undefined;
  if (cached !== undefined) return structuredClone(cached);
  const userToken = typeof credential["UserToken"] === "string" ? credential["UserToken"] : "";
  const info = userToken === "" || state.quirks.has("user-by-credential-not-linked") ? undefined : present(state, users, userToken, "info");
  const answer = info === undefined ? [] : [info];
  if (state.quirks.has("user-by-credential-stale")) staleCache(state).set(token, structuredClone(answer));
  return answer;
}
