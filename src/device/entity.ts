/**
 * The declaration of one entity type. Every generic behaviour (Set/Get/GetList/GetInfo/
 * GetInfoList/Remove, paging, token allocation, Info derivation, quirks, events) is driven by
 * these, so a later service mostly adds declarations, not machinery.
 */
import type { ObjectShape } from "./shape.js";
import type { DeviceState } from "./state.js";

export type Form = "full" | "info";
export type Item = Record<string, unknown>;

/** One operation the entity answers: `op` is "<prefix>:<Name>" (the prefix selects the namespace). */
export type EntityOp =
  | { readonly kind: "get"; readonly form: Form; readonly op: string }
  | { readonly kind: "list"; readonly form: Form; readonly op: string }
  | { readonly kind: "set"; readonly op: string }
  | { readonly kind: "remove"; readonly op: string };

export interface InfoDecl {
  /** Element/type name of the Info form, e.g. "AccessPointInfo". */
  readonly name: string;
  /** Fields copied from the full item, in schema order. */
  readonly fields: readonly string[];
  /** Device-computed fields only the Info form has (e.g. AccessPointInfo.Capabilities). */
  readonly derive?: (full: Readonly<Item>) => Item;
  /** The required element the `schema-invalid-response` quirk omits. */
  readonly schemaQuirkOmits: string;
}

export interface EntityDecl {
  /** Type and element name of the full form, e.g. "AccessPoint". */
  readonly name: string;
  /** Human name used in fault reasons. */
  readonly what: string;
  /** Key field: "token" for DataEntity types, "CredentialToken" for anti-passback data. */
  readonly tokenField: string;
  readonly shape: ObjectShape;
  readonly info?: InfoDecl;
  readonly ops: readonly EntityOp[];
  /** Empty token on Set → the device allocates one. False: the key must be given. */
  readonly allocateTokens: boolean;
  /** What Set answers: the tokens in request order, or nothing (SetAntipassbackData). */
  readonly setResponse: "tokens" | "empty";
  /** Takes part in the `token-unique-across-types` quirk (real DataEntity tokens only). */
  readonly sharesTokenSpace: boolean;
  /** Types that represent the same thing and share its token (intro.md: AccessController ↔ AccessControllerConfiguration). */
  readonly linkedWith?: readonly string[];
  /** Reference fields the `drop-references` quirk stores empty: "Entity", "AccessPolicy[].AccessPoint". */
  readonly references?: readonly string[];
  /** Subcodes (after env:Sender) of a semantically invalid item in Set, as the doc's fault table says. */
  readonly setFault: readonly string[];
  /** Device-filled values (e.g. DeviceUUID); runs on a private copy before `check`. */
  readonly prepare?: (item: Item, state: DeviceState) => void;
  /**
   * Semantic validation of one item of a Set batch; throw an OperationFault to reject the whole
   * batch. `index` is the item's position in `batch` (and in the request).
   */
  readonly check?: (item: Readonly<Item>, state: DeviceState, batch: readonly Readonly<Item>[], index: number) => void;
  /**
   * Runs after a stored item was written by Set or changed in place (Enable/Disable), once its
   * Configuration Changed event (if the type has a topic) has been published. `before` is the
   * full item as stored until then (undefined when the Set created it), `after` the full item now
   * stored. Not called for items a quirk leaves unchanged (`set-does-not-replace`). Lets a type
   * announce consequences of a value change (e.g. State/Enabled) without keeping its own copy.
   */
  readonly onChanged?: (token: string, before: Readonly<Item> | undefined, after: Readonly<Item>, state: DeviceState) => void;
  /** Cascade after removal (e.g. a removed credential loses its anti-passback data). */
  readonly onRemoved?: (token: string, state: DeviceState) => void;
  /**
   * How a door controller network treats the type (connection-service.md, "Connect door
   * controllers"): "shared" (the default) is access management, replicated to every peer and
   * replaced by the network's when the controller joins; "hardware" is replicated too, but a
   * joining controller keeps its own; "local" stays on this controller alone (its I/O, keys,
   * remote devices, runtime data).
   */
  readonly sharing?: "shared" | "hardware" | "local";
  /** Event topic stem, e.g. "tns1:Configuration/AccessPoint"; "/Changed" or "/Removed" is appended. */
  readonly topic?: string;
}

/** Name of the list field in Get/GetList responses and of the item field in Set requests. */
export function itemField(decl: EntityDecl, form: Form): string {
  return form === "info" && decl.info !== undefined ? decl.info.name : decl.name;
}

/**
 * The Source item of an entity's Configuration events: "<Type>Token" for DataEntity types (the
 * ONVIF topics name it so: AccessPointToken, DoorToken, CredentialToken), else the key field.
 */
export function topicSourceName(decl: EntityDecl): string {
  return decl.tokenField === "token" ? `${decl.name}Token` : decl.tokenField;
}

/** That Source item with its type: a reference token, or a plain name (an I/O assignment's IoName). */
export function topicSourceItem(decl: EntityDecl): { name: string; type: string } {
  const name = topicSourceName(decl);
  return { name, type: name.endsWith("Token") ? "pt:ReferenceToken" : "xs:string" };
}
