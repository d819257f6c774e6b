/**
 * Third-party credentials (third-party-credential-service.md, "Managing third-party
 * credentials"): "a normal access control credential as well as additional information from the
 * third-party provider".
 *
 * - The credential part IS the AccessControl credential: SetThirdPartyCredential writes it to the
 *   AccessControl "Credential" store the way SetCredential does (its checks, cascades and
 *   Configuration/Credential events), so pacsaxis:GetCredential shows it and access decisions
 *   use it. The provider part (the HID user's e-mail and names, part number, invitation, card)
 *   is this service's record, keyed by the same token. Get answers the AccessControl credential
 *   as it is now; once a client removed it there (pacsaxis:RemoveCredential), the credential as
 *   this service last wrote it.
 * - Creating: Email, FirstName and LastName attributes are required (the HID user). The status
 *   is NotActivated until the card is issued, whatever the client sends. The token is the
 *   client's or allocated; a token of an AccessControl credential that is not a third-party one,
 *   a third-party credential's token, or an e-mail another third-party credential has, is
 *   ter:ResourceExists — except with ForceUpdate, which replaces the third-party credential with
 *   that token and overwrites the provider's user with that e-mail (a different third-party
 *   credential of that e-mail is removed). SendInvitationOnly writes nothing locally: it sends
 *   a new invitation for the existing third-party credential of that token (or e-mail).
 *   NoLocalModification: the card, once issued, is announced but not written to the credential.
 * - The card: the simulated holder accepts the invitation INVITATION_ACCEPTED_MS of device time
 *   after it is sent ("generally takes a couple of minutes"), or at once through the back door's
 *   AcceptInvitation. The provider then issues a card number: stored as IdData CardIdDataName
 *   (default CardNr, replacing a client's value of that name), Status Enabled (Disabled when the
 *   credential is not Enabled), announced with ThirdPartyCredentialEnabled. A provider that is
 *   not connected then is asked again after the same delay.
 * - Removing (by token or e-mail) removes the provider's user, the record and the AccessControl
 *   credential; with NoLocalModification the AccessControl credential stays.
 * - Provider failures answer the fault and announce …CreatedFailed / …RemovedFailed.
 */
import type { Item } from "../entity.js";
import { notFound, OperationFault } from "../faults.js";
import { applySet, removeItem } from "../generic-ops.js";
import type { Timer } from "../clock.js";
import type { DeviceState } from "../state.js";
import type { EntityStore } from "../store.js";
import { ThirdPartyCredentialDecl } from "./declarations.js";
import {
  cardIdDataName,
  contactProvider,
  defaultPartNumber,
  findPartNumber,
  invalidArgument,
  newInvitationCode,
  nextCardNumber,
  partNumberNotFound,
  providerConnected,
  providerFault,
  resourceExists,
} from "./provider.js";
import { CREATED_FAILED_TOPIC, CREATED_TOPIC, ENABLED_TOPIC, REMOVED_FAILED_TOPIC, REMOVED_TOPIC } from "./topics.js";

/** Device time from the invitation to the issued card (and between tries while the provider is away). */
export const INVITATION_ACCEPTED_MS = 2 * 60_000;

/** The AccessControl store the credential part lives in. */
const LOCAL = "Credential";

/** A stored third-party record (shapes.ts ThirdPartyRecordShape). */
export interface ThirdPartyRecord {
  token: string;
  ProviderName: string;
  Email: string;
  FirstName: string;
  LastName: string;
  PartNumberToken: string;
  InvitationCode: string;
  CardNumber: string;
  NoLocalModification: boolean;
  IssueAt: number;
  Credential: Item;
}

export function records(state: DeviceState): EntityStore {
  return state.store(ThirdPartyCredentialDecl.name);
}

/** A copy of the record, to change and put back or hand out. */
export function readRecord(state: DeviceState, token: string): ThirdPartyRecord | undefined {
  const r = storedRecord(records(state), token);
  return r === undefined ? undefined : structuredClone(r);
}

/** The record as stored (not a copy): for looking at, e.g. to choose which ones to copy. */
function storedRecord(store: EntityStore, token: string): Readonly<ThirdPartyRecord> | undefined {
  return store.read(token, "full") as unknown as ThirdPartyRecord | undefined;
}

function putRecord(state: DeviceState, rec: ThirdPartyRecord): void {
  records(state).put(rec.token, structuredClone(rec) as unknown as Item);
}

/** The third-party credential whose provider user has `email` (e-mail addresses compare case-insensitively). */
export function findByEmail(state: DeviceState, email: string): ThirdPartyRecord | undefined {
  const want = email.toLowerCase();
  const store = records(state);
  for (const t of store.tokens()) {
    if (storedRecord(store, t)!.Email.toLowerCase() === want) return readRecord(state, t);
  }
  return undefined;
}

/** Names of the request's ProviderActions (soapUI placeholders with an empty Name are no action). */
export function actionNames(input: Item): Set<string> {
  return new Set(((input["ProviderActions"] as { Name: string }[] | undefined) ?? []).map((a) => a.Name).filter((n) => n !== ""));
}

// ---- the clock: invitations accepted, cards issued

function timers(state: DeviceState): Map<string, Timer> {
  return state.runtime("third-party-credential/timers", () => new Map<string, Timer>());
}

function schedule(state: DeviceState, rec: ThirdPartyRecord): void {
  unschedule(state, rec.token);
  if (rec.IssueAt === 0) return;
  timers(state).set(
    rec.token,
    state.clock.at(rec.IssueAt, `third-party credential "${rec.token}": the holder accepts the invitation, the provider issues the card`, () => {
      timers(state).delete(rec.token);
      issueCard(state, rec.token);
    }),
  );
}

function unschedule(state: DeviceState, token: string): void {
  const t = timers(state);
  state.clock.cancel(t.get(token));
  t.delete(token);
}

// ---- the AccessControl credential

/** Writes the credential part as SetCredential would (all its checks); its faults become the table's InvalidArgument. */
function writeLocal(state: DeviceState, item: Item): string {
  const store = state.findStore(LOCAL);
  if (store === undefined) return item["token"] === "" ? state.allocateToken(records(state)) : (item["token"] as string);
  try {
    return applySet(store.decl, [item], state)[0]!;
  } catch (err) {
    if (err instanceof OperationFault) throw invalidArgument(`ThirdPartyCredential.Credential: ${err.fault.reason}`);
    throw err;
  }
}

/** Removes the AccessControl credential as RemoveCredential would (cascades, Configuration/Credential/Removed). */
function removeLocal(state: DeviceState, token: string): void {
  const store = state.findStore(LOCAL);
  if (store !== undefined) removeItem(store.decl, token, state);
}

function localCredential(state: DeviceState, token: string): Item | undefined {
  const c = state.findStore(LOCAL)?.read(token, "full");
  return c === undefined ? undefined : structuredClone(c);
}

// ---- events

function holder(rec: Pick<ThirdPartyRecord, "FirstName" | "LastName" | "Email" | "ProviderName">): Record<string, unknown> {
  return { CredentialHolderName: [rec.FirstName, rec.LastName].filter((n) => n !== "").join(" "), CredentialHolderEmail: rec.Email, ProviderName: rec.ProviderName };
}

function announce(state: DeviceState, topic: string, token: string, data: Record<string, unknown>): void {
  state.publish({ topic, source: { CredentialToken: token }, data });
}

// ---- operations

/** GetThirdPartyCredential(ByEmail)'s ThirdPartyCredential. */
export function present(state: DeviceState, rec: Readonly<ThirdPartyRecord>): Item {
  const options: Item = rec.PartNumberToken === "" ? { InvitationCode: rec.InvitationCode } : { PartNumberToken: rec.PartNumberToken, InvitationCode: rec.InvitationCode };
  return { Credential: localCredential(state, rec.token) ?? structuredClone(rec.Credential), Options: { HIDMobileOptions: options } };
}

/** What the `tpc-unknown-credential-succeeds` quirk answers for a credential that does not exist. */
function madeUp(token: string): Item {
  return { Credential: { token, Enabled: true, Status: "NotActivated", IdData: [], Attribute: [], AuthenticationProfile: [], CredentialAccessProfile: [] } };
}

/** GetThirdPartyCredential / GetThirdPartyCredentialByEmail. */
export function getOne(state: DeviceState, provider: string, rec: ThirdPartyRecord | undefined, key: string, actions: ReadonlySet<string>, what: string): Item {
  if (rec === undefined) {
    if (state.quirks.has("tpc-unknown-credential-succeeds")) return madeUp(key);
    throw notFound("ThirdPartyCredential", key);
  }
  // The information is stored locally; ForceUpdate asks the provider too.
  if (actions.has("ForceUpdate")) contactProvider(state, provider, what);
  return present(state, rec);
}

/** GetThirdPartyCredentialList: the records in token order, paged like every list. */
export function listPage(state: DeviceState, provider: string, input: Item, actions: ReadonlySet<string>): Item {
  if (actions.has("ForceUpdate")) contactProvider(state, provider, "GetThirdPartyCredentialList");
  const store = records(state);
  const page = state.quirks.has("tpc-list-ignores-limit") ? { tokens: store.tokens() } : state.pager.page(store, "full", input as { Limit?: number; StartReference?: string });
  // present() copies what it hands out; the records are only looked at.
  const items = page.tokens.map((t) => storedRecord(store, t)!).filter((r) => r.ProviderName === provider).map((r) => present(state, r));
  return "next" in page && page.next !== undefined ? { ThirdPartyCredentials: items, NextStartReference: page.next } : { ThirdPartyCredentials: items };
}

/** The credential's attributes by name (the first of each name). */
function attributesOf(credential: Item): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of (credential["Attribute"] as { Name: string; Value?: string }[] | undefined) ?? []) if (!out.has(a.Name)) out.set(a.Name, a.Value ?? "");
  return out;
}

/** SetThirdPartyCredential; returns the credential's token. */
export function setThirdPartyCredential(state: DeviceState, provider: string, input: Item): string {
  const q = state.quirks;
  const actions = actionNames(input);
  const tpc = input["ThirdPartyCredential"] as Item;
  const credential = tpc["Credential"] as Item;
  const attrs = attributesOf(credential);
  const email = attrs.get("Email") ?? "";
  const first = attrs.get("FirstName") ?? "";
  const last = attrs.get("LastName") ?? "";
  const given = credential["token"] as string;
  if (actions.has("SendInvitationOnly")) return resendInvitation(state, provider, given, email);

  const missing = (
    [
      ["Email", email],
      ["FirstName", first],
      ["LastName", last],
    ] as const
  )
    .filter(([, v]) => v === "")
    .map(([n]) => n);
  if (missing.length > 0 && !q.has("tpc-missing-holder-accepted")) {
    throw invalidArgument(`Credential.Attribute has no ${missing.join(", ")}; ${provider} creates its user from the Email, FirstName and LastName attributes`);
  }
  const force = actions.has("ForceUpdate");
  const sameToken = given !== "" && records(state).has(given);
  if (given !== "" && !sameToken && state.findStore(LOCAL)?.has(given) === true) {
    throw resourceExists(`Credential "${given}" exists and is not a third-party credential; give another token, or none to have one allocated`);
  }
  if (sameToken && !force) throw resourceExists(`third-party credential "${given}" already exists; ForceUpdate replaces it`);
  const sameEmail = email === "" ? undefined : findByEmail(state, email);
  if (sameEmail !== undefined && !force && !q.has("tpc-duplicate-email-accepted")) {
    throw resourceExists(`e-mail "${email}" already has third-party credential "${sameEmail.token}"; ForceUpdate overwrites the provider's user with that e-mail`);
  }

  const hid = (tpc["Options"] as Item | undefined)?.["HIDMobileOptions"] as Item | undefined;
  const requested = (hid?.["PartNumberToken"] as string | undefined) ?? "";
  const partToken = requested !== "" ? requested : defaultPartNumber(state);
  const part = findPartNumber(state, partToken);
  if (part === undefined) throw partNumberNotFound(partToken);

  const failed = (err: OperationFault): OperationFault => {
    announce(state, CREATED_FAILED_TOPIC, given, holder({ FirstName: first, LastName: last, Email: email, ProviderName: provider }));
    return err;
  };
  try {
    contactProvider(state, provider, "SetThirdPartyCredential");
  } catch (err) {
    if (err instanceof OperationFault) throw failed(err);
    throw err;
  }
  if (part.Quantity <= 0) throw failed(providerFault("GeneralProviderError", `SetThirdPartyCredential: part number "${part.token}" has no Mobile IDs left (Quantity 0)`));

  const target = given !== "" ? given : force && sameEmail !== undefined ? sameEmail.token : "";
  const item: Item = { ...structuredClone(credential), token: target, Status: q.has("tpc-status-activated-at-once") ? "Enabled" : "NotActivated" };
  const token = q.has("tpc-credential-not-local") ? (target !== "" ? target : state.allocateToken(state.findStore(LOCAL) ?? records(state))) : writeLocal(state, item);
  if (sameEmail !== undefined && sameEmail.token !== token) drop(state, sameEmail, true);
  unschedule(state, token);
  part.Quantity -= 1;
  const rec: ThirdPartyRecord = {
    token,
    ProviderName: provider,
    Email: email,
    FirstName: first,
    LastName: last,
    PartNumberToken: requested === "" && q.has("tpc-default-part-number-ignored") ? "" : part.token,
    InvitationCode: newInvitationCode(state, token),
    CardNumber: "",
    NoLocalModification: actions.has("NoLocalModification"),
    IssueAt: state.now() + INVITATION_ACCEPTED_MS,
    Credential: localCredential(state, token) ?? { ...item, token },
  };
  putRecord(state, rec);
  schedule(state, rec);
  announce(state, CREATED_TOPIC, token, holder(rec));
  return token;
}

/** SendInvitationOnly: a new invitation for an existing third-party credential; nothing is written locally. */
function resendInvitation(state: DeviceState, provider: string, token: string, email: string): string {
  const rec = (token !== "" ? readRecord(state, token) : undefined) ?? (email !== "" ? findByEmail(state, email) : undefined);
  if (rec === undefined) throw notFound("ThirdPartyCredential", token !== "" ? token : email);
  contactProvider(state, provider, "SetThirdPartyCredential (SendInvitationOnly)");
  rec.InvitationCode = newInvitationCode(state, rec.token);
  if (rec.IssueAt !== 0) rec.IssueAt = state.now() + INVITATION_ACCEPTED_MS;
  putRecord(state, rec);
  schedule(state, rec);
  return rec.token;
}

/** Removes the record (and, with `local`, the AccessControl credential), announcing …Removed. */
function drop(state: DeviceState, rec: ThirdPartyRecord, local: boolean): void {
  unschedule(state, rec.token);
  records(state).delete(rec.token);
  if (local) removeLocal(state, rec.token);
  announce(state, REMOVED_TOPIC, rec.token, holder(rec));
}

/** RemoveThirdPartyCredential / RemoveThirdPartyCredentialByEmail. */
export function removeThirdPartyCredential(state: DeviceState, provider: string, rec: ThirdPartyRecord | undefined, key: string, actions: ReadonlySet<string>, what: string): void {
  if (rec === undefined) {
    if (state.quirks.has("tpc-unknown-credential-succeeds")) return;
    throw notFound("ThirdPartyCredential", key);
  }
  try {
    contactProvider(state, provider, what);
  } catch (err) {
    if (err instanceof OperationFault) announce(state, REMOVED_FAILED_TOPIC, rec.token, holder(rec));
    throw err;
  }
  const q = state.quirks;
  const keep = actions.has("NoLocalModification") ? !q.has("tpc-no-local-modification-ignored") : q.has("tpc-remove-keeps-local");
  drop(state, rec, !keep);
}

/**
 * The provider issues the card of a third-party credential whose invitation was accepted;
 * returns the card number, or undefined when there is nothing to issue (unknown, already issued)
 * or the provider is not connected (it is asked again later).
 */
export function issueCard(state: DeviceState, token: string): string | undefined {
  const rec = readRecord(state, token);
  if (rec === undefined || rec.IssueAt === 0) return undefined;
  if (!providerConnected(state, rec.ProviderName)) {
    rec.IssueAt = state.now() + INVITATION_ACCEPTED_MS;
    putRecord(state, rec);
    schedule(state, rec);
    return undefined;
  }
  unschedule(state, token);
  const idDataName = cardIdDataName(state);
  const card = nextCardNumber(state, idDataName);
  rec.CardNumber = card;
  rec.IssueAt = 0;
  const local = localCredential(state, token);
  if (local !== undefined && !rec.NoLocalModification && !state.quirks.has("tpc-card-not-stored")) {
    const idData = ((local["IdData"] as { Name: string; Value: string }[] | undefined) ?? []).filter((d) => d.Name !== idDataName);
    const updated: Item = { ...local, IdData: [...idData, { Name: idDataName, Value: card }], Status: local["Enabled"] === false ? "Disabled" : "Enabled" };
    try {
      writeLocal(state, updated);
      rec.Credential = localCredential(state, token) ?? updated;
    } catch (err) {
      if (!(err instanceof OperationFault)) throw err;
      putRecord(state, rec);
      announce(state, CREATED_FAILED_TOPIC, token, holder(rec));
      return undefined;
    }
  }
  putRecord(state, rec);
  announce(state, ENABLED_TOPIC, token, {
    CredentialHolderEmail: rec.Email,
    CredentialFirstName: rec.FirstName,
    CredentialLastName: rec.LastName,
    CredentialCardNumber: card,
    ProviderName: rec.ProviderName,
  });
  return card;
}

/** Pending invitations, soonest first (the back door's view). */
export function pendingInvitations(state: DeviceState): { CredentialToken: string; Email: string; IssueAt: string }[] {
  const store = records(state);
  return store
    .tokens()
    .map((t) => storedRecord(store, t)!)
    .filter((r) => r.IssueAt !== 0)
    .sort((a, b) => a.IssueAt - b.IssueAt)
    .map((r) => ({ CredentialToken: r.token, Email: r.Email, IssueAt: new Date(r.IssueAt).toISOString() }));
}
