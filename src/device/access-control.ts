/**
 * The AccessControl service (tac + pacsaxis) of the reference door controller: entity
 * declarations, the non-CRUD operations and the documented access decision. Behaviour follows
 * access-control-service.md (guide + API reference) and intro.md.
 */
import type { EntityDecl, Item } from "./entity.js";
import { notFound } from "./faults.js";
import { applySet, entityOperations, setFault, updateItem } from "./generic-ops.js";
import type { OperationDef } from "./operation.js";
import {
  DESCRIPTION,
  NAME,
  TOKEN,
  anything,
  bool,
  dateTimeOrEmpty,
  dflt,
  enumOf,
  list,
  long,
  normalize,
  obj,
  opt,
  req,
  str,
  type ObjectShape,
} from "./shape.js";
import type { DeviceState } from "./state.js";

// ---- shapes (field order = schema order, wsdl/axis/pacs.xsd and wsdl/pacs/accesscontrol.xsd)

const AttributeShape = obj("Attribute", [opt("type", str()), req("Name", str()), opt("Value", str())]);
const NameValueShape = obj("NameValue", [req("Name", str()), req("Value", str())]);
const IdDataShape = obj("IdData", [req("Name", str()), req("Value", str())]);
const IdPointDeviceShape = obj("IdPointDevice", [req("IdPoint", TOKEN), opt("DeviceUUID", str())]);
const ActionArgumentShape = obj("ActionArgument", [opt("type", str()), dflt("Name", str(), ""), dflt("Value", str(), "")]);
const IdFactorShape = obj("IdFactor", [req("IdDataName", str()), req("IdMatchOperatorName", str()), dflt("OperatorValue", str(), "")]);
const AccessPolicyShape = obj("AccessPolicy", [
  req("AccessPoint", TOKEN),
  list("AuthorizationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("Schedule", TOKEN),
]);
const CredentialAccessProfileShape = obj("CredentialAccessProfile", [
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  req("AccessProfile", TOKEN),
]);
const CREDENTIAL_STATUS = ["NotActivated", "Enabled", "Disabled", "LockedOut", "Lost", "Stolen", "Damaged", "Destroyed", "Inactive", "MaxDays", "MaxUses", "Expired"];

// A missing token means "empty": the device allocates one (intro.md, Common data fields).
const tokenField = dflt("token", TOKEN, "");

const AccessPointShape = obj("AccessPoint", [
  tokenField,
  req("Name", NAME),
  opt("Description", DESCRIPTION),
  opt("AreaFrom", TOKEN),
  opt("AreaTo", TOKEN),
  opt("EntityType", str()),
  req("Entity", TOKEN),
  dflt("Enabled", bool, true),
  opt("DoorDeviceUUID", str()),
  list("IdPointDevice", IdPointDeviceShape),
  list("AuthenticationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("ActionArgument", ActionArgumentShape),
  // Guide: "If no action is specified, the default action Access is used."
  dflt("Action", str(), "Access"),
]);

const AreaShape = obj("Area", [tokenField, req("Name", NAME), opt("Description", DESCRIPTION), list("Attribute", AttributeShape), opt("Extension", anything)]);

const AccessControllerShape = obj("AccessController", [tokenField, req("Name", NAME), opt("Description", DESCRIPTION), list("AccessPoint", TOKEN)]);

const AccessControllerConfigurationShape = obj("AccessControllerConfiguration", [
  tokenField,
  // intro.md UUID: left empty, the UUID of the door controller receiving the request is inserted.
  dflt("DeviceUUID", str(), ""),
  list("Configuration", NameValueShape),
]);

const CredentialShape = obj("Credential", [
  tokenField,
  opt("UserToken", TOKEN),
  opt("Description", DESCRIPTION),
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  dflt("Enabled", bool, true),
  opt("Status", str()),
  list("IdData", IdDataShape),
  list("Attribute", AttributeShape),
  list("AuthenticationProfile", TOKEN),
  list("CredentialAccessProfile", CredentialAccessProfileShape),
]);

const AccessProfileShape = obj("AccessProfile", [
  tokenField,
  req("Name", NAME),
  dflt("Description", DESCRIPTION, ""),
  opt("ValidFrom", dateTimeOrEmpty),
  opt("ValidTo", dateTimeOrEmpty),
  dflt("Enabled", bool, true),
  list("Schedule", TOKEN),
  list("AuthenticationProfile", TOKEN),
  list("Attribute", AttributeShape),
  list("AccessPolicy", AccessPolicyShape),
]);

const AuthenticationProfileShape = obj("AuthenticationProfile", [
  tokenField,
  req("Name", NAME),
  dflt("Description", DESCRIPTION, ""),
  list("IdFactor", IdFactorShape),
  list("Schedule", TOKEN),
  opt("Extension", anything),
]);

const AntipassbackDataShape = obj("AntipassbackData", [
  req("CredentialToken", TOKEN),
  dflt("PassOkThreshold", long, 0),
  dflt("CurrentArea", str(), ""),
  dflt("ByTime", bool, false),
  dflt("Violation", str(), ""),
]);

// ---- entity declarations

const INVALID_ARGS = ["ter:InvalidArgs"] as const;

export const AccessPointDecl: EntityDecl = {
  name: "AccessPoint",
  what: "AccessPoint",
  tokenField: "token",
  shape: AccessPointShape,
  info: {
    name: "AccessPointInfo",
    fields: ["token", "Name", "Description", "AreaFrom", "AreaTo", "EntityType", "Entity"],
    // Every capability this device has, per access point.
    derive: () => ({ Capabilities: { DisableAccessPoint: true, Duress: true, AnonymousAccess: true, AccessTaken: true, ExternalAuthorization: true } }),
    schemaQuirkOmits: "Name",
  },
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetAccessPoint" },
    { kind: "list", form: "full", op: "pacsaxis:GetAccessPointList" },
    { kind: "set", op: "pacsaxis:SetAccessPoint" },
    { kind: "remove", op: "pacsaxis:RemoveAccessPoint" },
    { kind: "get", form: "info", op: "tac:GetAccessPointInfo" },
    { kind: "list", form: "info", op: "tac:GetAccessPointInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  references: ["Entity"],
  setFault: INVALID_ARGS,
  topic: "tns1:Configuration/AccessPoint",
};

export const AreaDecl: EntityDecl = {
  name: "Area",
  what: "Area",
  tokenField: "token",
  shape: AreaShape,
  info: { name: "AreaInfo", fields: ["token", "Name", "Description"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetArea" },
    { kind: "list", form: "full", op: "pacsaxis:GetAreaList" },
    { kind: "set", op: "pacsaxis:SetArea" },
    { kind: "remove", op: "pacsaxis:RemoveArea" },
    { kind: "get", form: "info", op: "tac:GetAreaInfo" },
    { kind: "list", form: "info", op: "tac:GetAreaInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  setFault: INVALID_ARGS,
  topic: "tns1:Configuration/Area",
};

export const AccessControllerDecl: EntityDecl = {
  name: "AccessController",
  what: "AccessController",
  tokenField: "token",
  shape: AccessControllerShape,
  info: { name: "AccessControllerInfo", fields: ["token", "Name", "Description", "AccessPoint"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetAccessController" },
    { kind: "list", form: "full", op: "pacsaxis:GetAccessControllerList" },
    { kind: "set", op: "pacsaxis:SetAccessController" },
    { kind: "remove", op: "pacsaxis:RemoveAccessController" },
    { kind: "get", form: "info", op: "pacsaxis:GetAccessControllerInfo" },
    { kind: "list", form: "info", op: "pacsaxis:GetAccessControllerInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  references: ["AccessPoint"],
  linkedWith: ["AccessControllerConfiguration"],
  setFault: INVALID_ARGS,
  topic: "tns1:Configuration/AccessController",
};

export const AccessControllerConfigurationDecl: EntityDecl = {
  name: "AccessControllerConfiguration",
  what: "AccessControllerConfiguration",
  tokenField: "token",
  shape: AccessControllerConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetAccessControllerConfiguration" },
    { kind: "list", form: "full", op: "pacsaxis:GetAccessControllerConfigurationList" },
    { kind: "set", op: "pacsaxis:SetAccessControllerConfiguration" },
    { kind: "remove", op: "pacsaxis:RemoveAccessControllerConfiguration" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  linkedWith: ["AccessController"],
  setFault: INVALID_ARGS,
  prepare(item, state) {
    if (item["DeviceUUID"] === "") item["DeviceUUID"] = state.identity.uuid;
  },
  topic: "tns1:Configuration/AccessControllerConfiguration",
};

export const CredentialDecl: EntityDecl = {
  name: "Credential",
  what: "Credential",
  tokenField: "token",
  shape: CredentialShape,
  info: { name: "CredentialInfo", fields: ["token", "UserToken", "Description", "ValidFrom", "ValidTo", "Enabled", "Status"], schemaQuirkOmits: "Enabled" },
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetCredential" },
    { kind: "list", form: "full", op: "pacsaxis:GetCredentialList" },
    { kind: "set", op: "pacsaxis:SetCredential" },
    { kind: "remove", op: "pacsaxis:RemoveCredential" },
    { kind: "get", form: "info", op: "pacsaxis:GetCredentialInfo" },
    { kind: "list", form: "info", op: "pacsaxis:GetCredentialInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  references: ["CredentialAccessProfile[].AccessProfile"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidCredentialFault"],
  prepare(item) {
    // Status is required by the schema; a client that only sends Enabled gets the matching one.
    if (item["Status"] === undefined) {
      const ordered = normalize({ ...item, Status: item["Enabled"] === false ? "Disabled" : "Enabled" }, CredentialShape, "Credential") as Item;
      for (const k of Object.keys(item)) delete item[k];
      Object.assign(item, ordered);
    }
  },
  check(item, state, batch) {
    const token = item["token"] as string;
    const idData = item["IdData"] as { Name: string; Value: string }[];
    const names = new Set<string>();
    for (const d of idData) {
      // Guide: "the IdData-name is unique on the credential".
      if (names.has(d.Name)) throw setFault(CredentialDecl, `Credential "${token}" has two IdData named "${d.Name}"; each IdData name may appear once`);
      names.add(d.Name);
    }
    // Guide: an IdData named "CardNr" must be unique across credentials.
    const cardNr = idData.find((d) => d.Name === "CardNr")?.Value;
    if (cardNr === undefined) return;
    const clash = (other: Readonly<Item>): boolean =>
      other["token"] !== token && (other["IdData"] as { Name: string; Value: string }[]).some((d) => d.Name === "CardNr" && d.Value === cardNr);
    const store = state.store("Credential");
    const batchTokens = new Set(batch.map((b) => b["token"]));
    for (const t of store.tokens()) {
      const other = store.read(t, "full")!;
      if (!batchTokens.has(t) && clash(other)) throw setFault(CredentialDecl, `CardNr "${cardNr}" is already used by Credential "${t}"`);
    }
    for (const other of batch) if (other !== item && clash(other)) throw setFault(CredentialDecl, `CardNr "${cardNr}" appears twice in this SetCredential`);
  },
  onRemoved(token, state) {
    state.store("AntipassbackData").delete(token);
  },
  topic: "tns1:Configuration/Credential",
};

export const AccessProfileDecl: EntityDecl = {
  name: "AccessProfile",
  what: "AccessProfile",
  tokenField: "token",
  shape: AccessProfileShape,
  info: { name: "AccessProfileInfo", fields: ["token", "Name", "Description"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "get", form: "full", op: "pacsaxis:GetAccessProfile" },
    { kind: "list", form: "full", op: "pacsaxis:GetAccessProfileList" },
    { kind: "set", op: "pacsaxis:SetAccessProfile" },
    { kind: "remove", op: "pacsaxis:RemoveAccessProfile" },
    { kind: "get", form: "info", op: "pacsaxis:GetAccessProfileInfo" },
    { kind: "list", form: "info", op: "pacsaxis:GetAccessProfileInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  references: ["AccessPolicy[].AccessPoint"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidAccessProfileFault"],
  topic: "tns1:Configuration/AccessProfile",
};

/** One store for both flavours: tac and pacsaxis AuthenticationProfile operations see the same items. */
export const AuthenticationProfileDecl: EntityDecl = {
  name: "AuthenticationProfile",
  what: "AuthenticationProfile",
  tokenField: "token",
  shape: AuthenticationProfileShape,
  info: { name: "AuthenticationProfileInfo", fields: ["token", "Name", "Description"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "get", form: "full", op: "tac:GetAuthenticationProfile" },
    { kind: "list", form: "full", op: "tac:GetAuthenticationProfileList" },
    { kind: "set", op: "tac:SetAuthenticationProfile" },
    { kind: "remove", op: "tac:RemoveAuthenticationProfile" },
    { kind: "get", form: "info", op: "tac:GetAuthenticationProfileInfo" },
    { kind: "list", form: "info", op: "tac:GetAuthenticationProfileInfoList" },
    { kind: "list", form: "full", op: "pacsaxis:GetAuthenticationProfileList" },
    { kind: "set", op: "pacsaxis:SetAuthenticationProfile" },
    { kind: "remove", op: "pacsaxis:RemoveAuthenticationProfile" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  setFault: INVALID_ARGS,
  topic: "tns1:Configuration/AuthenticationProfile",
};

/** Anti-passback monitoring data, keyed by credential token (guide "List and set anti-passback"). */
export const AntipassbackDataDecl: EntityDecl = {
  name: "AntipassbackData",
  what: "AntipassbackData",
  tokenField: "CredentialToken",
  shape: AntipassbackDataShape,
  ops: [
    { kind: "list", form: "full", op: "pacsaxis:GetAntipassbackDataList" },
    { kind: "set", op: "pacsaxis:SetAntipassbackData" },
  ],
  allocateTokens: false,
  setResponse: "empty",
  sharesTokenSpace: false,
  setFault: ["ter:InvalidArgVal", "ter:NotFound"],
  check(item, state) {
    const token = item["CredentialToken"] as string;
    if (!state.store("Credential").has(token)) throw setFault(AntipassbackDataDecl, `Credential "${token}" not found; anti-passback data belongs to an existing credential`);
  },
};

export const ACCESS_CONTROL_ENTITIES: readonly EntityDecl[] = [
  AccessPointDecl,
  AreaDecl,
  AccessControllerDecl,
  AccessControllerConfigurationDecl,
  CredentialDecl,
  AccessProfileDecl,
  AuthenticationProfileDecl,
  AntipassbackDataDecl,
];

// ---- defaults (guide "Retrieve default configuration")

function defaultAuthenticationProfiles(): Item[] {
  const factor = (IdDataName: string, IdMatchOperatorName = "IdDataEqual", OperatorValue = ""): Item => ({ IdDataName, IdMatchOperatorName, OperatorValue });
  const profile = (token: string, Description: string, IdFactor: Item[]): Item => ({ token, Name: token, Description, IdFactor, Schedule: ["standard_always"] });
  return [
    profile("CardOnly", "Card only", [factor("Card")]),
    profile("PINOnly", "PIN only", [factor("PIN")]),
    profile("CardPlusPin", "Card + PIN", [factor("Card"), factor("PIN")]),
    profile("REXOnly", "REX only", [factor("REX", "OperatorValueEqual", "Active")]),
  ];
}

/** The factory-default data: the device's AccessController (+ configuration) and four authentication profiles. */
export function installDefaults(state: DeviceState): void {
  const controller = `${state.axisId} AccessController`;
  const set = (decl: EntityDecl, items: Item[]): void => {
    applySet(
      decl,
      items.map((i) => normalize(i, decl.shape, decl.name) as Item),
      state,
    );
  };
  set(AccessControllerDecl, [{ token: controller, Name: controller, Description: "", AccessPoint: [] }]);
  set(AccessControllerConfigurationDecl, [{ token: controller, DeviceUUID: state.identity.uuid, Configuration: [] }]);
  set(AuthenticationProfileDecl, defaultAuthenticationProfiles());
}

export interface PopulateOptions {
  readonly credentials?: number;
  readonly accessPoints?: number;
  readonly accessProfiles?: number;
  readonly areas?: number;
}

/** Deterministic extra items (same tokens and content on every start) for tests and benchmarks. */
export function populate(state: DeviceState, counts: PopulateOptions): void {
  const pad = (i: number): string => String(i).padStart(4, "0");
  const range = (n: number | undefined): number[] => Array.from({ length: Math.max(0, Math.floor(n ?? 0)) }, (_, i) => i + 1);
  const set = (decl: EntityDecl, items: Item[]): void => {
    if (items.length > 0) applySet(decl, items.map((i) => normalize(i, decl.shape, decl.name) as Item), state);
  };
  const areas = range(counts.areas).map((i) => ({ token: `area-${pad(i)}`, Name: `Area ${i}`, Description: `Populated area ${i}`, Attribute: [] }));
  set(AreaDecl, areas);
  const aps = range(counts.accessPoints).map((i) => ({
    token: `ap-${pad(i)}`,
    Name: `Entry ${i}`,
    Description: `Populated access point ${i}`,
    EntityType: "axtdc:Door",
    Entity: `door-${pad(i)}`,
    Enabled: true,
    IdPointDevice: [{ IdPoint: `idpoint-${pad(i)}`, DeviceUUID: "" }],
    AuthenticationProfile: ["CardOnly"],
    Action: "Access",
  }));
  set(AccessPointDecl, aps);
  if (aps.length > 0) {
    const controller = `${state.axisId} AccessController`;
    const current = state.store("AccessController").read(controller, "full");
    if (current !== undefined) set(AccessControllerDecl, [{ ...current, AccessPoint: [...(current["AccessPoint"] as string[]), ...aps.map((a) => a.token)] }]);
  }
  const profiles = range(counts.accessProfiles).map((i) => ({
    token: `profile-${pad(i)}`,
    Name: `Profile ${i}`,
    Description: `Populated access profile ${i}`,
    Enabled: true,
    Schedule: ["standard_always"],
    AccessPolicy: aps.length > 0 ? [{ AccessPoint: aps[(i - 1) % aps.length]!.token, Schedule: ["standard_always"] }] : [],
  }));
  set(AccessProfileDecl, profiles);
  const credentials = range(counts.credentials).map((i) => ({
    token: `credential-${pad(i)}`,
    UserToken: `user-${pad(i)}`,
    Description: `Populated credential ${i}`,
    Enabled: true,
    Status: "Enabled",
    IdData: [
      { Name: "Card", Value: String(10_000_000 + i) },
      { Name: "PIN", Value: String(1000 + (i % 9000)) },
    ],
    CredentialAccessProfile: profiles.length > 0 ? [{ AccessProfile: profiles[(i - 1) % profiles.length]!.token }] : [],
  }));
  set(CredentialDecl, credentials);
}

// ---- the access decision (guide "Send access request"; reasons as the guide's events use them)

interface Decision {
  readonly granted: boolean;
  readonly reason: string;
  readonly accessPoint?: string;
  readonly credential?: string;
}

function within(now: number, from: unknown, to: unknown): "active" | "notActive" | "expired" {
  if (typeof from === "string" && from !== "" && Date.parse(from) > now) return "notActive";
  if (typeof to === "string" && to !== "" && Date.parse(to) < now) return "expired";
  return "active";
}

type IdDataList = readonly { Name: string; Value: string }[];

function factorsMet(profile: Readonly<Item>, request: IdDataList, credential: IdDataList | undefined): boolean {
  const factors = profile["IdFactor"] as { IdDataName: string; IdMatchOperatorName: string; OperatorValue: string }[];
  if (factors.length === 0) return false;
  return factors.every((f) => {
    const given = request.find((d) => d.Name === f.IdDataName)?.Value;
    if (given === undefined) return false;
    switch (f.IdMatchOperatorName) {
      case "IdDataEqual":
        return credential?.find((d) => d.Name === f.IdDataName)?.Value === given;
      case "IdDataEqualToField":
        return credential?.find((d) => d.Name === f.OperatorValue)?.Value === given;
      case "OperatorValueEqual":
        return given === f.OperatorValue;
      default:
        return false;
    }
  });
}

/**
 * A simple, documented decision: the access controller exists; an enabled access point of that
 * controller matches SourceToken (IdPoint), TargetToken (Entity) and Action; then either the
 * request is anonymous (REX, OperatorValueEqual) or a credential is found by its IdData, is enabled
 * and valid now, holds an enabled and valid access profile with a policy for the access point, and
 * one applicable authentication profile (credential > access profile > access point) is met.
 * Schedules are not evaluated (no schedule service): every schedule counts as active.
 */
export function decide(state: DeviceState, input: Readonly<Item>): Decision {
  const controllerToken = input["Token"] as string;
  const controller = state.store("AccessController").read(controllerToken, "full");
  if (controller === undefined) throw notFound("AccessController", controllerToken);
  const idData = input["IdData"] as IdDataList;
  const action = (input["Action"] as string | undefined) || "Access";
  const source = input["SourceToken"] as string | undefined;
  const target = input["TargetToken"] as string | undefined;
  const apStore = state.store("AccessPoint");
  const candidates = (controller["AccessPoint"] as string[])
    .map((t) => apStore.read(t, "full"))
    .filter((ap): ap is Item => ap !== undefined)
    .filter((ap) => !source || (ap["IdPointDevice"] as { IdPoint: string }[]).some((d) => d.IdPoint === source))
    .filter((ap) => !target || ap["Entity"] === target)
    .filter((ap) => ((ap["Action"] as string) || "Access") === action);
  if (candidates.length === 0) return { granted: false, reason: "Unauthorized" };
  const ap = candidates.find((c) => c["Enabled"] !== false);
  if (ap === undefined) return { granted: false, reason: "Unauthorized", accessPoint: candidates[0]!["token"] as string };
  const apToken = ap["token"] as string;
  const authStore = state.store("AuthenticationProfile");
  const profilesOf = (tokens: readonly string[]): Item[] => tokens.map((t) => authStore.read(t, "full")).filter((p): p is Item => p !== undefined);

  // Guide: mixed operators → IdDataEqual is chosen over OperatorValueEqual (REX).
  const onlyRex = idData.length > 0 && idData.every((d) => d.Name === "REX");
  if (onlyRex) {
    const ok = profilesOf(ap["AuthenticationProfile"] as string[]).some((p) => factorsMet(p, idData, undefined));
    return { granted: ok, reason: ok ? "Granted" : "InvalidCredential", accessPoint: apToken };
  }

  const credStore = state.store("Credential");
  const first = idData.find((d) => d.Name !== "REX");
  if (first === undefined) return { granted: false, reason: "InvalidCredential", accessPoint: apToken };
  let credential: Item | undefined;
  for (const t of credStore.tokens()) {
    const c = credStore.read(t, "full")!;
    if ((c["IdData"] as IdDataList).some((d) => d.Name === first.Name && d.Value === first.Value)) {
      credential = c;
      break;
    }
  }
  if (credential === undefined) return { granted: false, reason: "InvalidCredential", accessPoint: apToken };
  const credToken = credential["token"] as string;
  const base = { accessPoint: apToken, credential: credToken };
  if (credential["Enabled"] === false || (credential["Status"] !== undefined && credential["Status"] !== "Enabled")) {
    return { granted: false, reason: "CredentialNotEnabled", ...base };
  }
  const now = state.now();
  const validity = within(now, credential["ValidFrom"], credential["ValidTo"]);
  if (validity === "notActive") return { granted: false, reason: "CredentialNotActive", ...base };
  if (validity === "expired") return { granted: false, reason: "CredentialExpired", ...base };

  const profileStore = state.store("AccessProfile");
  let sawProfileForAp = false;
  for (const cap of credential["CredentialAccessProfile"] as Item[]) {
    const profile = profileStore.read(cap["AccessProfile"] as string, "full");
    if (profile === undefined) continue;
    if (!(profile["AccessPolicy"] as Item[]).some((p) => p["AccessPoint"] === apToken)) continue;
    sawProfileForAp = true;
    if (profile["Enabled"] === false) continue;
    if (within(now, cap["ValidFrom"], cap["ValidTo"]) !== "active" || within(now, profile["ValidFrom"], profile["ValidTo"]) !== "active") continue;
    const override = credential["AuthenticationProfile"] as string[];
    const fromProfile = profile["AuthenticationProfile"] as string[];
    const applicable = override.length > 0 ? override : fromProfile.length > 0 ? fromProfile : (ap["AuthenticationProfile"] as string[]);
    const authenticated = profilesOf(applicable).some((p) => factorsMet(p, idData, credential["IdData"] as IdDataList));
    return authenticated ? { granted: true, reason: "Granted", ...base } : { granted: false, reason: "InvalidCredential", ...base };
  }
  return { granted: false, reason: sawProfileForAp ? "InvalidAccessProfile" : "Unauthorized", ...base };
}

// ---- non-CRUD operations

const TokenRequest = (name: string): ObjectShape => obj(name, [req("Token", TOKEN)]);
const Empty = (name: string): ObjectShape => obj(name, []);
const AccessRequest = (name: string): ObjectShape =>
  obj(name, [
    req("Token", TOKEN),
    list("IdData", IdDataShape),
    opt("SourceToken", TOKEN),
    opt("TargetToken", TOKEN),
    opt("Action", str()),
    list("Environment", NameValueShape),
  ]);

/** True when the token is unknown and `not-found-succeeds` turns the NotFound fault into a silent OK. */
function missing(state: DeviceState, storeName: string, what: string, token: string): boolean {
  if (state.store(storeName).has(token)) return false;
  if (state.quirks.has("not-found-succeeds")) return true;
  throw notFound(what, token);
}

function setEnabled(decl: EntityDecl, state: DeviceState, token: string, enabled: boolean, status?: string): void {
  if (state.quirks.has("enable-disable-noop")) return;
  updateItem(decl, token, state, (item) => {
    item["Enabled"] = enabled;
    if (status !== undefined) item["Status"] = status;
  });
  state.publish({
    topic: decl === CredentialDecl ? "tns1:Credential/State/Enabled" : "tns1:AccessPoint/State/Enabled",
    source: { [decl === CredentialDecl ? "CredentialToken" : "AccessPointToken"]: token },
    data: { State: enabled },
  });
}

function violating(data: Readonly<Item>): boolean {
  const v = String(data["Violation"] ?? "").trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false";
}

function masterDbState(state: DeviceState): Item {
  // A simulated database: 4 KiB pages, sized from what is stored.
  let bytes = 0;
  for (const store of state.allStores()) for (const t of store.tokens()) bytes += JSON.stringify(store.read(t, "full")).length;
  const used = Math.ceil(bytes / 4096) + 16;
  const total = Math.max(256, used * 2);
  return { NbrTotalPages: total, NbrFreePages: total - used, SizeOnDisk: total * 4096 };
}

const STANDARD_ATTRIBUTES: readonly Item[] = [
  { type: "bool", Name: "ExtendedTimeFlag" },
  { type: "string", Name: "IdFactorOverride" },
];

const VENDOR_ATTRIBUTES: readonly Item[] = [
  { type: "string", Name: "Direction" },
  { type: "string", Name: "AntiPassbackMode" },
  { type: "int", Name: "AntiPassbackTimeout" },
  { type: "string", Name: "AntiPassbackEnforcementMode" },
  { type: "bool", Name: "AntiPassbackOverride" },
  { type: "string", Name: "Duress" },
  { type: "string", Name: "ExtendedAccessTime" },
  { type: "string", Name: "AccessTime" },
  { type: "string", Name: "OpenTooLongTime" },
  { type: "string", Name: "PreAlarmTime" },
];

const ID_MATCH_OPERATORS: readonly Item[] = [
  { Name: "IdDataEqual", Description: "The IdData value in the request equals the credential's IdData of the same name" },
  { Name: "OperatorValueEqual", Description: "The IdData value in the request equals the OperatorValue (e.g. REX = Active)" },
  { Name: "IdDataEqualToField", Description: "The IdData value in the request equals the credential's IdData named by OperatorValue (e.g. DuressPIN)" },
  { Name: "RemoteValidationEvent", Description: "An AccessControl/Request/ExternalConfirmation event is sent for an external decision" },
];

const RULE_OPERATORS: readonly Item[] = [
  { Name: "Authenticate", Description: "Positive authentication as the authentication profiles specify" },
  { Name: "RequestActionEqual", Description: "The request's Action equals OperatorValue[0]" },
  { Name: "OperatorValueEqual", Description: "The request IdData named OperatorValue[0] equals OperatorValue[1]" },
  { Name: "CredentialAttributeEqual", Description: "The credential has an Attribute named OperatorValue[0] (with Value OperatorValue[1] if given)" },
  { Name: "RemoteValidationEvent", Description: "An AccessControl/Request/Authorization/Credential event is sent for an external decision" },
];

export function accessControlOperations(): OperationDef[] {
  const ops: OperationDef[] = ACCESS_CONTROL_ENTITIES.flatMap(entityOperations);
  const op = (prefix: OperationDef["prefix"], name: string, input: ObjectShape, handle: OperationDef["handle"]): void => {
    ops.push({ prefix, name, input, handle });
  };

  op("tac", "GetServiceCapabilities", Empty("GetServiceCapabilities"), (_in, state) => ({
    Capabilities: {
      MaxLimit: state.maxLimit,
      DisableCredential: true,
      GetAccessPoint: true,
      SetAccessPoint: true,
      RemoveAccessPoint: true,
      GetArea: true,
      SetArea: true,
      RemoveArea: true,
      GetCredential: true,
      SetCredential: true,
      RemoveCredential: true,
      StandardAttributesSupported: true,
      VendorAttributesSupported: true,
    },
  }));

  op("tac", "GetAccessPointState", TokenRequest("GetAccessPointState"), (input, state) => {
    const token = input["Token"] as string;
    if (missing(state, "AccessPoint", "AccessPoint", token)) return { AccessPointState: { Enabled: true } };
    return { AccessPointState: { Enabled: state.store("AccessPoint").read(token, "full")!["Enabled"] !== false } };
  });
  op("tac", "EnableAccessPoint", TokenRequest("EnableAccessPoint"), (input, state) => {
    const token = input["Token"] as string;
    if (!missing(state, "AccessPoint", "AccessPoint", token)) setEnabled(AccessPointDecl, state, token, true);
    return {};
  });
  op("tac", "DisableAccessPoint", TokenRequest("DisableAccessPoint"), (input, state) => {
    const token = input["Token"] as string;
    if (!missing(state, "AccessPoint", "AccessPoint", token)) setEnabled(AccessPointDecl, state, token, false);
    return {};
  });
  op(
    "tac",
    "ExternalAuthorization",
    obj("ExternalAuthorization", [req("AccessPointToken", TOKEN), opt("CredentialToken", TOKEN), opt("Reason", str()), req("Decision", enumOf("Granted", "Denied"))]),
    (input, state) => {
      const ap = input["AccessPointToken"] as string;
      if (missing(state, "AccessPoint", "AccessPoint", ap)) return {};
      const cred = input["CredentialToken"] as string | undefined;
      if (cred !== undefined && cred !== "" && missing(state, "Credential", "Credential", cred)) return {};
      const granted = input["Decision"] === "Granted";
      state.publish({
        topic: granted ? "tns1:AccessControl/AccessGranted/Credential" : "tns1:AccessControl/Denied/Credential",
        source: { AccessPointToken: ap },
        data: { CredentialToken: cred ?? "", Reason: (input["Reason"] as string | undefined) ?? (granted ? "Granted" : "Denied"), External: true },
      });
      return {};
    },
  );

  op("pacsaxis", "EnableCredential", TokenRequest("EnableCredential"), (input, state) => {
    const token = input["Token"] as string;
    if (!missing(state, "Credential", "Credential", token)) setEnabled(CredentialDecl, state, token, true, "Enabled");
    return {};
  });
  op(
    "pacsaxis",
    "DisableCredential",
    obj("DisableCredential", [req("Token", TOKEN), opt("Status", enumOf(...CREDENTIAL_STATUS))]),
    (input, state) => {
      const token = input["Token"] as string;
      // API reference: Status "If missing Disabled should be assumed".
      if (!missing(state, "Credential", "Credential", token)) setEnabled(CredentialDecl, state, token, false, (input["Status"] as string | undefined) ?? "Disabled");
      return {};
    },
  );
  op("pacsaxis", "GetCredentialStatistics", Empty("GetCredentialStatistics"), (_in, state) => {
    const store = state.store("Credential");
    let disabled = 0;
    for (const t of store.tokens()) if (store.read(t, "full")!["Enabled"] === false) disabled++;
    const skew = state.quirks.has("stats-wrong") ? 1 : 0;
    return { CredentialStatistics: { NumberOfCredentials: store.size + skew, NumberOfDisabledCredentials: disabled + skew } };
  });

  op("pacsaxis", "ResetAntipassbackViolation", obj("ResetAntipassbackViolation", [req("CredentialToken", TOKEN)]), (input, state) => {
    const token = input["CredentialToken"] as string;
    if (missing(state, "Credential", "Credential", token)) return {};
    const apb = state.store("AntipassbackData");
    const data = apb.read(token, "full");
    // Guide: "If the credential is currently not in anti-passback violation, nothing happens."
    if (data !== undefined && violating(data)) {
      apb.delete(token);
      state.publish({ topic: "tns1:Credential/State/ApbViolation", source: { CredentialToken: token }, data: { ApbViolation: false, ClientUpdated: true } });
    }
    return {};
  });
  op("pacsaxis", "ResetAllAntipassbackViolations", Empty("ResetAllAntipassbackViolations"), (_in, state) => {
    const apb = state.store("AntipassbackData");
    // Guide: no ApbViolation event for ResetAllAntipassbackViolations (load considerations).
    for (const t of [...apb.tokens()]) if (violating(apb.read(t, "full")!)) apb.delete(t);
    return {};
  });

  op("pacsaxis", "GetStandardAttributeList", Empty("GetStandardAttributeList"), () => ({ Attribute: structuredClone(STANDARD_ATTRIBUTES) as Item[] }));
  op("pacsaxis", "GetVendorAttributeList", Empty("GetVendorAttributeList"), () => ({ Attribute: structuredClone(VENDOR_ATTRIBUTES) as Item[] }));
  op("pacsaxis", "GetIdMatchOperators", Empty("GetIdMatchOperators"), () => ({ IdMatchOperator: structuredClone(ID_MATCH_OPERATORS) as Item[] }));
  op("pacsaxis", "GetRuleOperators", Empty("GetRuleOperators"), () => ({ RuleOperator: structuredClone(RULE_OPERATORS) as Item[] }));
  op("pacsaxis", "GetMasterDBState", Empty("GetMasterDBState"), (_in, state) => masterDbState(state));
  op("pacsaxis", "ReOpenMasterDB", Empty("ReOpenMasterDB"), (_in, state) => masterDbState(state));

  op("pacsaxis", "VerifyRequest", AccessRequest("VerifyRequest"), (input, state) => {
    const d = decide(state, input);
    return { AccessGranted: d.granted, Reason: d.reason };
  });
  op("pacsaxis", "RequestAccess", AccessRequest("RequestAccess"), (input, state) => {
    const d = decide(state, input);
    state.publish({
      topic: d.granted ? "tns1:AccessControl/AccessGranted/Credential" : "tns1:AccessControl/Denied/Credential",
      source: { AccessPointToken: d.accessPoint ?? "" },
      data: d.granted ? { CredentialToken: d.credential ?? "" } : { CredentialToken: d.credential ?? "", Reason: d.reason },
    });
    return { AccessGranted: d.granted, Reason: d.reason };
  });
  return ops;
}

