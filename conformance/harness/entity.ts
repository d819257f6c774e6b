/**
 * Entity declarations: what the generic checks need to know about one entity type (its
 * operations, token field, Info/full pair, a valid sample, its references). A new service adds
 * declarations, not machinery.
 */

/** Arguments of an entity's sample factory. */
export interface SampleArgs {
  /** Token to use; "" asks the device to allocate one. */
  readonly token: string;
  /** Human-readable marker (starts with the run's token prefix) for Name/Description. */
  readonly label: string;
  /** Distinguishes several samples made for one check (0, 1, 2, …). */
  readonly n: number;
  /** Reference values by reference id (see `EntityReference.id`); absent → the sample's neutral value. */
  readonly refs?: Readonly<Record<string, string>>;
}

/** A field of an entity that holds the token of another item. */
export interface EntityReference {
  /** Short id used in check ids and `SampleArgs.refs`, e.g. "access-point". */
  readonly id: string;
  /** Human name of the link, e.g. "AccessProfile.AccessPolicy[].AccessPoint". */
  readonly path: string;
  /** Entity key of the referenced type; undefined for entities outside this service (e.g. a Door). */
  readonly target?: string;
  /** Reads the reference values stored in an item. */
  read(item: Readonly<Record<string, unknown>>): string[];
}

export interface EntityForm {
  /** Get by token, `"<prefix>:<Operation>"`, input `{ Token: string[] }`. */
  readonly get?: string;
  /** Paged list, input `{ Limit?, StartReference? }`. */
  readonly list?: string;
  /** Response property holding the items (same for get and list). */
  readonly itemField: string;
  /** ONVIF test ids by concern, when a test specification covers this form. */
  readonly onvif?: Partial<Record<OnvifConcern, string>>;
}

export type OnvifConcern =
  | "get"
  | "get-invalid-token"
  | "too-many-items"
  | "list-limit"
  | "list-start-reference"
  | "list-no-limit"
  | "create"
  | "create-client-token"
  | "create-empty-token"
  | "modify"
  | "delete"
  | "delete-invalid-token"
  | "enable-disable"
  | "state"
  | "state-invalid-token"
  | "enable-invalid-token"
  | "disable-invalid-token";

export interface EntityDeclaration {
  /** Kebab-case key used in check ids, e.g. "access-point"; unique per prefix. */
  readonly key: string;
  /** Type name as documented, e.g. "AccessPoint". */
  readonly typeName: string;
  readonly service: string;
  /** Namespace prefix of the operations (first segment of check ids), e.g. "pacsaxis". */
  readonly prefix: string;
  /** Reference doc page (file name under the VAPIX reference), e.g. "access-control-service.md". */
  readonly docPage: string;
  readonly full?: EntityForm;
  readonly info?: EntityForm;
  /** Set operation; its input property is `setField` (an array of full items). */
  readonly set?: string;
  readonly setField?: string;
  /** Remove operation, input `{ Token: string[] }`. */
  readonly remove?: string;
  /** Property holding the item's identity ("token", or "CredentialToken" for anti-passback data). */
  readonly tokenField: string;
  /** Property a sample carries its label in, so leftovers can be recognised ("Name", "Description"). */
  readonly markerField?: string;
  /** Properties the device may fill in or normalise on its own; ignored when comparing set vs get. */
  readonly deviceFilled?: readonly string[];
  /** Items this entity shares storage with (same tokens), e.g. the tac/pacsaxis AuthenticationProfile pair. */
  readonly aliasOf?: string;
  /** A valid full item for Set. */
  sample(args: SampleArgs): Record<string, unknown>;
  /** A different valid item with the same token (for replace checks). */
  modify(item: Readonly<Record<string, unknown>>, label: string): Record<string, unknown>;
  readonly references?: readonly EntityReference[];
  /** Included in the before/after data snapshot (default true when it has a list operation). */
  readonly snapshot?: boolean;
  /**
   * Runtime state of an item that the run must also leave as it found it (a door's DoorMode):
   * read per item for the snapshot with `op` `{ Token: token }`, the value at `field` of the
   * response. Checks that change it restore it themselves; the snapshot only proves they did.
   */
  readonly state?: { readonly op: string; readonly field: string };
}

/** The key the snapshot stores an item's runtime state under (never a schema field name). */
export const STATE_KEY = "#state";

/** Operation name without prefix: "pacsaxis:GetAccessPointList" → "GetAccessPointList". */
export function opName(op: string): string {
  const i = op.indexOf(":");
  return i < 0 ? op : op.slice(i + 1);
}

/** Operation prefix: "pacsaxis:GetAccessPointList" → "pacsaxis". */
export function opPrefix(op: string): string {
  const i = op.indexOf(":");
  return i < 0 ? "" : op.slice(0, i);
}

/** "GetAccessPointInfoList" → "get-access-point-info-list". */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** The documentation page of each namespace prefix's operations. */
const PAGE_OF_PREFIX: Readonly<Record<string, string>> = {
  tac: "access-control-service.md",
  pacsaxis: "access-control-service.md",
  tdc: "door-control-service.md",
  axtdc: "door-control-service.md",
  axtid: "idpoint-service.md",
  axisio: "io-assignment-service.md",
  axsch: "schedule-service.md",
  axudb: "user-service.md",
  axlog: "event-logger-service.md",
  axloc: "event-logger-service.md",
  axkey: "keystore-service.md",
  axtpc: "third-party-credential-service.md",
};

/**
 * Doc anchor of an operation's reference section: `access-control-service.md#getaccesspointlist-command`
 * (the page of the operation's prefix; the entity's page for an unknown prefix).
 */
export function docRef(entity: Pick<EntityDeclaration, "docPage">, op: string): string {
  return `${PAGE_OF_PREFIX[opPrefix(op)] ?? entity.docPage}#${opName(op).toLowerCase()}-command`;
}

/** Anchors of one documentation page: `docSections("door-control-service.md")("door-states")` → `door-control-service.md#door-states`. */
export function docSections(page: string): (anchor: string) => string {
  return (anchor) => `${page}#${anchor}`;
}

/** The usual `modify` of a sample: the same item renamed and redescribed, so a replace is visible. */
export function renamed(item: Readonly<Record<string, unknown>>, label: string): Record<string, unknown> {
  return { ...item, Name: `${label} v2`, Description: `${label} replaced` };
}

/** The token of an item per the declaration's token field ("" when missing). */
export function tokenOf(entity: Pick<EntityDeclaration, "tokenField">, item: unknown): string {
  if (item === null || typeof item !== "object") return "";
  const v = (item as Record<string, unknown>)[entity.tokenField];
  return typeof v === "string" ? v : "";
}

/** Items of a Get/List response property; tolerates a missing or single (non-array) value. */
export function itemsOf(response: unknown, field: string): Record<string, unknown>[] {
  if (response === null || typeof response !== "object") return [];
  const v = (response as Record<string, unknown>)[field];
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x): x is Record<string, unknown> => x !== null && typeof x === "object");
}

/**
 * Tokens of a Set response. Documented as `Token[]`; some VAPIX responses return the items
 * themselves (SetCredentialResponse lists Credential items), so both shapes are read.
 */
export function setResponseTokens(entity: EntityDeclaration, response: unknown): string[] {
  if (response === null || typeof response !== "object") return [];
  const r = response as Record<string, unknown>;
  const t = r["Token"];
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  if (entity.setField !== undefined) return itemsOf(r, entity.setField).map((i) => tokenOf(entity, i));
  return [];
}
