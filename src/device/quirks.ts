/**
 * Fault injection: each quirk makes the reference device break exactly one documented rule.
 * The generic ones are applied in the shared layers (entity store, paging, protocol), so one
 * quirk covers every entity type and list operation its rule applies to; each service adds the
 * quirks of its own rules (DeviceService.quirks). The conformance suite names, per
 * check, the quirk that breaks it; names here never change once published.
 */

export interface QuirkInfo {
  readonly name: string;
  /** The documented rule the quirk breaks. */
  readonly rule: string;
  /** What the device does instead. */
  readonly behaviour: string;
}

/** Quirks of the shared layers (entity store, paging, protocol); services add their own (DeviceService.quirks). */
export const GENERIC_QUIRKS: readonly QuirkInfo[] = [
  { name: "ignore-limit", rule: "a page holds at most Limit items", behaviour: "Get<X>List/InfoList ignore Limit (pages of MaxLimit)" },
  { name: "exceed-max-limit", rule: "a page never holds more than MaxLimit items", behaviour: "with no Limit (or Limit > MaxLimit) return ALL items in one page" },
  { name: "duplicate-across-pages", rule: "a full walk has no duplicates", behaviour: "every page after the first starts again with the previous page's last item" },
  { name: "skip-across-pages", rule: "a full walk misses no item", behaviour: "every page after the first skips one item" },
  { name: "endless-paging", rule: "the walk ends (last page has no NextStartReference)", behaviour: "the last page still returns a NextStartReference, which yields an empty page with another reference, forever" },
  { name: "accept-invalid-start-reference", rule: "an invalid StartReference gives env:Sender/ter:InvalidArgVal/ter:InvalidStartReference", behaviour: "an unknown StartReference silently restarts from the beginning" },
  { name: "empty-token-list-returns-all", rule: "Get<X> with no Token returns nothing", behaviour: "Get<X>/Get<X>Info with no Token returns every item" },
  { name: "unknown-token-faults", rule: "Get<X> ignores unknown tokens", behaviour: "an unknown token in Get<X>/Get<X>Info gives env:Sender/ter:InvalidArgVal/ter:NotFound" },
  { name: "no-too-many-items", rule: "more than MaxLimit tokens gives env:Sender/ter:InvalidArgs/ter:TooManyItems", behaviour: "returns the items, no fault" },
  { name: "set-does-not-replace", rule: "Set with an existing token replaces the item", behaviour: "Set with an existing token keeps the old item (still answers with the token)" },
  { name: "ignore-client-token", rule: "Set with a new client-chosen token creates the item under that token", behaviour: "the device allocates its own token instead (and returns that)" },
  { name: "reuse-generated-token", rule: "tokens are unique per type", behaviour: "Set with an empty token always allocates the same token for a type (overwriting)" },
  { name: "token-unique-across-types", rule: "the same token may be used by different types", behaviour: "Set with a token that another entity type already uses gives env:Sender/ter:InvalidArgVal" },
  { name: "info-not-updated", rule: "the Info form and the full form agree after a Set", behaviour: "a replacing Set updates the full form but Get<X>Info/InfoList keep the old Name/Description" },
  { name: "set-returns-no-tokens", rule: "the Set response lists the tokens", behaviour: "the Set response is empty" },
  { name: "remove-noop", rule: "Remove<X> deletes the item", behaviour: "Remove<X> answers OK and keeps the item" },
  {
    name: "drop-references",
    rule: "references between items are stored (AccessPoint.Entity, AccessProfile.AccessPolicy[].AccessPoint, Credential.CredentialAccessProfile[].AccessProfile, AccessController.AccessPoint)",
    behaviour: "those reference fields are stored empty",
  },
  { name: "wrong-fault-subcode", rule: "faults carry the documented code/subcodes", behaviour: 'every fault\'s subcode chain becomes just ["ter:InvalidArgs"]' },
  { name: "schema-invalid-response", rule: "responses conform to the schema", behaviour: "responses leave out one required element (an Info item's Name, or Enabled for CredentialInfo; the event log's More; a key's Key; a provider's ClientSecret), in both protocols" },
  { name: "json-diverges", rule: "SOAP and JSON show one state", behaviour: 'JSON responses report every Name/Description with a trailing " (json)"' },
  {
    name: "wsa-response-action-missing",
    rule: "a response to a WS-Addressing request carries wsa:Action (the operation's response action, or the SOAP fault action) and wsa:RelatesTo its MessageID",
    behaviour: "responses carry no SOAP header at all",
  },
  { name: "malformed-input-accepted", rule: "malformed input gets a 4xx fault and changes nothing", behaviour: "malformed SOAP/JSON bodies get HTTP 200 with an empty response" },
  {
    name: "wsse-nonce-replay-accepted",
    rule: "a WS-Security UsernameToken whose Nonce was already accepted within the Created tolerance (5 minutes) is refused with env:Sender/ter:NotAuthorized",
    behaviour: "a replayed Nonce is accepted",
  },
  {
    name: "not-found-succeeds",
    rule: "operations on an unknown token give env:Sender/ter:InvalidArgVal/ter:NotFound (GetAccessPointState, Enable/Disable, Remove as documented)",
    behaviour: "they answer OK",
  },
];

/** The active quirks of one device; `has` is the only question the layers ask. */
export class QuirkSet {
  private readonly active: ReadonlySet<string>;
  constructor(names: Iterable<string>) {
    this.active = new Set(names);
  }
  has(name: string): boolean {
    return this.active.has(name);
  }
  list(): string[] {
    return [...this.active].sort();
  }
}

/** Bad `quirks` option or --quirk value. */
export class UnknownQuirkError extends Error {
  override readonly name = "UnknownQuirkError";
  readonly code = "UNKNOWN_QUIRK";
  constructor(
    readonly quirk: string,
    known: readonly QuirkInfo[],
  ) {
    super(`unknown quirk "${quirk}"; valid quirks: ${known.map((q) => q.name).join(", ")} (see --list-quirks)`);
  }
}

/** The quirks named, checked against every quirk the device knows (`known`). */
export function parseQuirks(names: readonly string[], known: readonly QuirkInfo[]): QuirkSet {
  const valid = new Set(known.map((q) => q.name));
  for (const name of names) {
    if (!valid.has(name)) throw new UnknownQuirkError(name, known);
  }
  return new QuirkSet(names);
}
