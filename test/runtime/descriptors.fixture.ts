/**
 * Hand-written descriptors modelled on the VAPIX pacsaxis AccessPoint/Credential types (not
 * generated ones: the codec is tested independently of the compiler).
 */
import type {
  AttributeField,
  ElementField,
  MessageDescriptor,
  OperationDescriptor,
  ScalarType,
  TypeDescriptor,
  ValueType,
} from "../../src/runtime/model.js";

export const PACS = "http://www.axis.com/vapix/ws/pacs";
export const PT = "http://www.onvif.org/ver10/pacs";

export const STR: ScalarType = { kind: "scalar", js: "string", xsd: "xs:string" };
export const BOOL: ScalarType = { kind: "scalar", js: "boolean", xsd: "xs:boolean" };
export const INT: ScalarType = { kind: "scalar", js: "number", xsd: "xs:int" };
export const FLOAT: ScalarType = { kind: "scalar", js: "number", xsd: "xs:float" };

export function el(name: string, type: ValueType, min = 0, max: number | "unbounded" = 1, ns = PACS): ElementField {
  return { node: "element", name, ns, type, min, max, many: max === "unbounded" || max > 1 };
}
export function at(name: string, type: ScalarType = STR, required = false): AttributeField {
  return { node: "attribute", name, ns: "", type, required };
}
export const complex = (t: () => TypeDescriptor): ValueType => ({ kind: "complex", type: t });

export const IdPointDevice: TypeDescriptor = { name: "IdPointDevice", ns: PACS, fields: [el("IdPoint", STR, 1), el("DeviceUUID", STR)] };
export const Attribute: TypeDescriptor = { name: "Attribute", ns: PACS, fields: [at("type"), at("Name", STR, true), at("Value", STR, true)] };
export const Capabilities: TypeDescriptor = {
  name: "AccessPointCapabilities",
  ns: PACS,
  fields: [at("DisableAccessPoint", BOOL, true), at("AccessTaken", BOOL), { node: "anyAttribute", name: "anyAttribute" }],
};

export const AccessPoint: TypeDescriptor = {
  name: "AccessPoint",
  ns: PACS,
  fields: [
    at("token", STR, true),
    el("Name", STR),
    el("Description", STR),
    el("AreaFrom", STR),
    el("AreaTo", STR),
    el("EntityType", STR),
    el("Entity", STR, 1),
    el("Enabled", BOOL),
    el("DoorDeviceUUID", STR),
    el("IdPointDevice", complex(() => IdPointDevice), 0, "unbounded"),
    el("AuthenticationProfile", STR, 0, "unbounded"),
    el("Attribute", complex(() => Attribute), 0, "unbounded"),
    el("ActionArgument", STR, 0, "unbounded"),
    el("Action", STR),
    { node: "any", name: "any", min: 0, max: "unbounded", namespace: "##other" },
  ],
};

export const AccessPointInfo: TypeDescriptor = {
  name: "AccessPointInfo",
  ns: PACS,
  fields: [at("token", STR, true), el("Name", STR), el("Description", STR), el("Entity", STR, 1), el("Capabilities", complex(() => Capabilities), 1)],
};

const GetAccessPointListResponseType: TypeDescriptor = { name: "GetAccessPointListResponse", ns: PACS, fields: [el("NextStartReference", STR), el("AccessPoint", complex(() => AccessPoint), 0, "unbounded")] };
export const GetAccessPointListResponse: MessageDescriptor = { name: "GetAccessPointListResponse", ns: PACS, type: () => GetAccessPointListResponseType };

const GetAccessPointListType: TypeDescriptor = { name: "GetAccessPointList", ns: PACS, fields: [el("Limit", INT), el("StartReference", STR)] };
export const GetAccessPointList: MessageDescriptor = { name: "GetAccessPointList", ns: PACS, type: () => GetAccessPointListType };

const GetAccessPointType: TypeDescriptor = { name: "GetAccessPoint", ns: PACS, fields: [el("Token", STR, 1, "unbounded")] };
export const GetAccessPoint: MessageDescriptor = { name: "GetAccessPoint", ns: PACS, type: () => GetAccessPointType };

/** A credential in another namespace (pt), with unqualified, list and simpleContent parts. */
export const CredentialIdentifier: TypeDescriptor = {
  name: "CredentialIdentifier",
  ns: PT,
  fields: [el("Type", STR, 1, 1, PT), el("ExemptedFromAuthentication", BOOL, 1, 1, PT), el("Value", STR, 1, 1, PT)],
};
export const Note: TypeDescriptor = { name: "Note", ns: PT, fields: [at("lang"), { node: "text", name: "value", type: STR }] };
export const Credential: TypeDescriptor = {
  name: "Credential",
  ns: PT,
  fields: [
    at("token", STR, true),
    el("Description", STR, 0, 1, PT),
    el("CredentialHolderReference", STR, 1, 1, PT),
    el("CredentialIdentifier", complex(() => CredentialIdentifier), 1, "unbounded", PT),
    el("Weight", FLOAT, 0, 1, PT),
    el("Zones", { kind: "list", item: INT }, 0, 1, PT),
    el("Note", complex(() => Note), 0, 1, PT),
    el("Local", STR, 0, 1, ""),
  ],
};
const SetCredentialType: TypeDescriptor = { name: "SetCredential", ns: PACS, fields: [el("Credential", complex(() => Credential), 1, "unbounded")] };
export const SetCredential: MessageDescriptor = { name: "SetCredential", ns: PACS, type: () => SetCredentialType };
const SetCredentialResponseType: TypeDescriptor = { name: "SetCredentialResponse", ns: PACS, fields: [el("Token", STR, 0, "unbounded")] };
export const SetCredentialResponse: MessageDescriptor = { name: "SetCredentialResponse", ns: PACS, type: () => SetCredentialResponseType };

export const GetAccessPointListOp: OperationDescriptor = {
  name: "GetAccessPointList",
  ns: PACS,
  prefix: "pacsaxis",
  soapAction: "http://www.axis.com/vapix/ws/pacs/GetAccessPointList",
  jsonPath: "/vapix/pacs",
  input: GetAccessPointList,
  output: GetAccessPointListResponse,
};

export const SetCredentialOp: OperationDescriptor = {
  name: "SetCredential",
  ns: PACS,
  prefix: "pacsaxis",
  soapAction: "http://www.axis.com/vapix/ws/pacs/SetCredential",
  jsonPath: "/vapix/pacs",
  input: SetCredential,
  output: SetCredentialResponse,
};
