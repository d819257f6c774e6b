/**
 * IdPoint entity declarations (idpoint-service.md). Samples follow the API reference's field
 * lists and the guide's requests. Samples are safe on a live site: an IdPointConfiguration alone
 * binds no hardware ("the IdPoint service will not do anything with the data until the
 * complementary structure is set"), and own IdPoints are removed after each check.
 */
import type { EntityDeclaration, SampleArgs } from "../../harness/entity.js";
import { renamed } from "../../harness/entity.js";

export const DOC = "idpoint-service.md";
export const SERVICE = "IdPoint";

function tokensOf(item: Readonly<Record<string, unknown>>, field: string): string[] {
  const v = item[field];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

export const idPoint: EntityDeclaration = {
  key: "id-point",
  typeName: "IdPoint",
  service: SERVICE,
  prefix: "axtid",
  docPage: DOC,
  full: { get: "axtid:GetIdPoint", list: "axtid:GetIdPointList", itemField: "IdPoint" },
  info: { get: "axtid:GetIdPointInfo", list: "axtid:GetIdPointInfoList", itemField: "IdPointInfo" },
  set: "axtid:SetIdPoint",
  setField: "IdPoint",
  remove: "axtid:RemoveIdPoint",
  tokenField: "token",
  markerField: "Name",
  // The guide's AXIS Entry Manager values; HeartbeatInterval left empty (no heartbeat events from a test IdPoint).
  sample: (a: SampleArgs) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    Location: `${a.label} location`,
    Area: "",
    Action: "Access",
    MinPINSize: 4,
    MaxPINSize: 6,
    EndOfPIN: "#",
    Timeout: "PT10S",
    HeartbeatInterval: "",
  }),
  modify: (item, label) => ({ ...renamed(item, label), Location: `${label} moved`, MaxPINSize: 8 }),
};

export const idPointConfiguration: EntityDeclaration = {
  key: "id-point-configuration",
  typeName: "IdPointConfiguration",
  service: SERVICE,
  prefix: "axtid",
  docPage: DOC,
  full: { get: "axtid:GetIdPointConfiguration", list: "axtid:GetIdPointConfigurationList", itemField: "IdPointConfiguration" },
  set: "axtid:SetIdPointConfiguration",
  setField: "IdPointConfiguration",
  remove: "axtid:RemoveIdPointConfiguration",
  tokenField: "token",
  // DeviceUUID: an empty one is filled in; Configuration: a new item gets the defaults of the
  // settings not sent (guide "Configuration structure"), judged by the configuration checks.
  deviceFilled: ["DeviceUUID", "Configuration"],
  sample: (a: SampleArgs) => {
    const format = a.refs?.["id-data-configuration"];
    return {
      token: a.token,
      DeviceUUID: "",
      IdDataConfiguration: format !== undefined ? [format] : [],
      Configuration: [
        { Name: "IdPoint.Reader.Type", Value: "Wiegand" },
        { Name: "IdPoint.REX.Type", Value: "ActiveLow" },
      ],
    };
  },
  // The factory 26-bit format's token (system-integration-examples.md "Id points"): a reference that
  // exists on a factory-configured device, so the replaced item differs in a compared field.
  modify: (item) => ({ ...item, IdDataConfiguration: ["iddataconf_wiegand_26bit_h10301"], Configuration: [{ Name: "IdPoint.Reader.Type", Value: "None" }] }),
  references: [
    {
      id: "id-data-configuration",
      path: "IdPointConfiguration.IdDataConfiguration[]",
      target: "id-data-configuration",
      read: (item) => tokensOf(item, "IdDataConfiguration"),
    },
  ],
};

export const idDataConfiguration: EntityDeclaration = {
  key: "id-data-configuration",
  typeName: "IdDataConfiguration",
  service: SERVICE,
  prefix: "axtid",
  docPage: DOC,
  full: { get: "axtid:GetIdDataConfiguration", list: "axtid:GetIdDataConfigurationList", itemField: "IdDataConfiguration" },
  set: "axtid:SetIdDataConfiguration",
  setField: "IdDataConfiguration",
  remove: "axtid:RemoveIdDataConfiguration",
  tokenField: "token",
  markerField: "Name",
  // The guide's H10301 example.
  sample: (a: SampleArgs) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    InputBitlength: 26,
    IdDataFieldMap: [
      { Name: "FacilityCode", Map: "2-9", Encoding: "BinLE2Int" },
      { Name: "CardNr", Map: "10-25", Encoding: "BinLE2Int" },
      { Name: "CardNrHex", Map: "10-25", Encoding: "BinLE2hex" },
    ],
  }),
  modify: (item, label) => ({
    ...renamed(item, label),
    InputBitlength: 34,
    IdDataFieldMap: [
      { Name: "FacilityCode", Map: "2-17", Encoding: "BinLE2Int" },
      { Name: "CardNr", Map: "18-33", Encoding: "BinLE2Int" },
    ],
  }),
};

export const idpointEntities: readonly EntityDeclaration[] = [idPoint, idPointConfiguration, idDataConfiguration];
