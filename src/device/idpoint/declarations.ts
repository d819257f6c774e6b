/** IdPoint entity declarations: stores, generic operations, validation and cascades. */
import { parseNonNegativeDuration } from "../duration.js";
import type { EntityDecl, Item } from "../entity.js";
import { setFault } from "../generic-ops.js";
import type { DeviceState } from "../state.js";
import { fieldMapProblem } from "./card-format.js";
import { TOPIC, dropRuntime } from "./runtime.js";
import { mergeConfiguration, settingProblem, type NameValue } from "./settings.js";
import { IdDataConfigurationShape, IdPointConfigurationShape, IdPointShape, IdPointWhiteListShape } from "./shapes.js";

/** Capabilities until the IdPoint's configuration is known (attach() keeps the Info form current). */
const UNCONFIGURED_CAPABILITIES: Item = { Configurable: true, SupportCard: false, SupportPIN: false, SupportREX: false, SupportBiometric: false };

function durationOrEmpty(decl: EntityDecl, item: Readonly<Item>, field: string): void {
  const v = item[field] as string;
  if (v === "") return;
  if (parseNonNegativeDuration(v) === undefined) throw setFault(decl, `IdPoint "${String(item["token"])}": ${field} "${v}" is not a non-negative xs:duration such as PT10S (or empty)`);
}

export const IdPointDecl: EntityDecl = {
  name: "IdPoint",
  sharing: "hardware",
  what: "IdPoint",
  tokenField: "token",
  shape: IdPointShape,
  info: {
    name: "IdPointInfo",
    fields: ["token", "Name", "Description", "Location", "Area"],
    derive: () => ({ Capabilities: { ...UNCONFIGURED_CAPABILITIES } }),
    schemaQuirkOmits: "Name",
  },
  ops: [
    { kind: "get", form: "full", op: "axtid:GetIdPoint" },
    { kind: "list", form: "full", op: "axtid:GetIdPointList" },
    { kind: "set", op: "axtid:SetIdPoint" },
    { kind: "remove", op: "axtid:RemoveIdPoint" },
    { kind: "get", form: "info", op: "axtid:GetIdPointInfo" },
    { kind: "list", form: "info", op: "axtid:GetIdPointInfoList" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // Guide "Setting up an IdPoint": the IdPoint and its IdPointConfiguration share one token.
  linkedWith: ["IdPointConfiguration"],
  setFault: ["ter:InvalidArgs"],
  check(item) {
    durationOrEmpty(IdPointDecl, item, "Timeout");
    durationOrEmpty(IdPointDecl, item, "HeartbeatInterval");
    const min = item["MinPINSize"] as number | undefined;
    const max = item["MaxPINSize"] as number | undefined;
    if (min !== undefined && max !== undefined && min > max) throw setFault(IdPointDecl, `IdPoint "${String(item["token"])}": MinPINSize ${min} is larger than MaxPINSize ${max}`);
  },
  onRemoved(token, state) {
    // RemoveIdPointConfiguration: "when removing an IdPoint, the configuration is removed as well".
    if (!state.quirks.has("idpoint-remove-keeps-configuration")) removeConfiguration(state, token);
    dropRuntime(state, token);
  },
  topic: TOPIC.idPoint,
};

export const IdPointConfigurationDecl: EntityDecl = {
  name: "IdPointConfiguration",
  sharing: "hardware",
  what: "IdPointConfiguration",
  tokenField: "token",
  shape: IdPointConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "axtid:GetIdPointConfiguration" },
    { kind: "list", form: "full", op: "axtid:GetIdPointConfigurationList" },
    { kind: "set", op: "axtid:SetIdPointConfiguration" },
    { kind: "remove", op: "axtid:RemoveIdPointConfiguration" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  linkedWith: ["IdPoint"],
  references: ["IdDataConfiguration"],
  setFault: ["ter:InvalidArgVal", "ter:InvalidIdPointConfigurationFault"],
  prepare(item, state) {
    if (item["DeviceUUID"] !== "" || !state.quirks.has("idpoint-device-uuid-not-filled")) item["DeviceUUID"] = state.deviceUuidFor(item["DeviceUUID"]);
    // The guide's requests send `"IdDataConfiguration": [""]` for "none".
    item["IdDataConfiguration"] = (item["IdDataConfiguration"] as string[]).filter((t) => t !== "");
    const token = item["token"] as string;
    const existing = state.store("IdPointConfiguration").read(token, "full")?.["Configuration"] as NameValue[] | undefined;
    item["Configuration"] = mergeConfiguration(existing, item["Configuration"] as NameValue[], state);
  },
  check(item, state) {
    const token = String(item["token"]);
    const seen = new Set<string>();
    for (const c of item["Configuration"] as NameValue[]) {
      if (seen.has(c.Name)) throw setFault(IdPointConfigurationDecl, `IdPointConfiguration "${token}" sets ${c.Name} twice; give each setting once`);
      seen.add(c.Name);
      const problem = state.quirks.has("idpoint-configuration-invalid-value-accepted") ? undefined : settingProblem(c);
      if (problem !== undefined) throw setFault(IdPointConfigurationDecl, `IdPointConfiguration "${token}": ${c.Name} ${problem} (see GetIdPointConfigurationInfo)`);
    }
  },
  topic: TOPIC.configuration,
};

export const IdDataConfigurationDecl: EntityDecl = {
  name: "IdDataConfiguration",
  what: "IdDataConfiguration",
  tokenField: "token",
  shape: IdDataConfigurationShape,
  ops: [
    { kind: "get", form: "full", op: "axtid:GetIdDataConfiguration" },
    { kind: "list", form: "full", op: "axtid:GetIdDataConfigurationList" },
    { kind: "set", op: "axtid:SetIdDataConfiguration" },
    { kind: "remove", op: "axtid:RemoveIdDataConfiguration" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  setFault: ["ter:InvalidArgVal", "ter:InvalidConfigurationFault"],
  check(item, state) {
    if (state.quirks.has("idpoint-card-format-map-unchecked")) return;
    const bits = item["InputBitlength"] as number;
    for (const field of item["IdDataFieldMap"] as { Name: string; Map: string; Encoding: string }[]) {
      const problem = fieldMapProblem(field, bits);
      if (problem !== undefined) throw setFault(IdDataConfigurationDecl, `IdDataConfiguration "${String(item["token"])}": ${problem}`);
    }
  },
  topic: TOPIC.idDataConfiguration,
};

/**
 * The whitelist of each whitelist-capable IdPoint (a Smart Intego lock), kept by whitelist.ts from
 * the AccessControl data; read-only over the API, keyed by the IdPoint's token.
 */
export const IdPointWhiteListDecl: EntityDecl = {
  name: "IdPointWhiteList",
  sharing: "local",
  what: "IdPointWhiteList",
  tokenField: "token",
  shape: IdPointWhiteListShape,
  ops: [
    { kind: "get", form: "full", op: "axtid:GetIdPointWhiteList" },
    { kind: "list", form: "full", op: "axtid:GetIdPointWhiteListList" },
  ],
  allocateTokens: false,
  setResponse: "empty",
  sharesTokenSpace: false,
  setFault: ["ter:InvalidArgs"],
};

/** Deletes an IdPoint's configuration and announces it like RemoveIdPointConfiguration does. */
function removeConfiguration(state: DeviceState, token: string): void {
  if (state.store("IdPointConfiguration").delete(token)) state.publish({ topic: `${TOPIC.configuration}/Removed`, source: { IdPointConfigurationToken: token } });
}

export const IDPOINT_ENTITIES: readonly EntityDecl[] = [IdPointDecl, IdPointConfigurationDecl, IdDataConfigurationDecl, IdPointWhiteListDecl];
