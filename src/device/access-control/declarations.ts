/** AccessControl entity declarations: stores, generic operations, checks and cascades. */
import type { EntityDecl, Item } from "../entity.js";
import { setFault } from "../generic-ops.js";
import { normalize } from "../shape.js";
import { announceApbViolation, isViolating } from "./antipassback.js";
import { accessPointChanged, credentialChanged } from "./entity-state.js";
import {
  AccessControllerConfigurationShape,
  AccessControllerShape,
  AccessPointShape,
  AccessProfileShape,
  AntipassbackDataShape,
  AreaShape,
  AuthenticationProfileShape,
  CredentialShape,
} from "./shapes.js";

const INVALID_ARGS = ["ter:InvalidArgs"] as const;

export const AccessPointDecl: EntityDecl = {
  name: "AccessPoint",
  sharing: "hardware",
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
  onChanged: accessPointChanged,
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
  sharing: "hardware",
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
  sharing: "hardware",
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
    item["DeviceUUID"] = state.deviceUuidFor(item["DeviceUUID"]);
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
    const apb = state.store("AntipassbackData");
    const data = apb.read(token, "full");
    apb.delete(token);
    // Guide "Anti-passback notifications": removing a credential in violation ends the violation.
    if (data !== undefined && isViolating(data)) {
      announceApbViolation(state, token, false, true);
    }
  },
  onChanged: credentialChanged,
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
  sharing: "local",
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
