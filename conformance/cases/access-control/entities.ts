/**
 * AccessControl entity declarations (access-control-service.md). Samples follow the API
 * reference's field lists and wsdl/ (required fields always present; EntityType left out:
 * an xs:QName value needs an in-scope prefix on the SOAP side, and it is optional).
 */
import type { EntityDeclaration, SampleArgs } from "../../harness/entity.js";
import { renamed } from "../../harness/entity.js";

export const DOC = "access-control-service.md";
export const SERVICE = "AccessControl";

function ref(args: SampleArgs, id: string): string | undefined {
  return args.refs?.[id];
}

/** A card number unique to the sample (IdData values need not be secret, only distinct). */
function cardNumber(label: string): string {
  let h = 7;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return String(h).padStart(10, "0");
}

export const accessPoint: EntityDeclaration = {
  key: "access-point",
  typeName: "AccessPoint",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: {
    get: "pacsaxis:GetAccessPoint",
    list: "pacsaxis:GetAccessPointList",
    itemField: "AccessPoint",
    onvif: {
      get: "ACCESSCONTROL-14-1-1",
      "list-limit": "ACCESSCONTROL-14-1-2",
      "list-start-reference": "ACCESSCONTROL-14-1-3",
      "list-no-limit": "ACCESSCONTROL-14-1-4",
      delete: "ACCESSCONTROL-14-1-8",
      "get-invalid-token": "ACCESSCONTROL-14-1-9",
      "too-many-items": "ACCESSCONTROL-14-1-10",
      "delete-invalid-token": "ACCESSCONTROL-14-1-13",
      "create-client-token": "ACCESSCONTROL-14-1-14",
      modify: "ACCESSCONTROL-14-1-16",
      "create-empty-token": "ACCESSCONTROL-14-1-17",
    },
  },
  info: {
    get: "tac:GetAccessPointInfo",
    list: "tac:GetAccessPointInfoList",
    itemField: "AccessPointInfo",
    onvif: {
      get: "ACCESSCONTROL-2-1-1",
      "get-invalid-token": "ACCESSCONTROL-2-1-2",
      "list-limit": "ACCESSCONTROL-2-1-3",
      "list-start-reference": "ACCESSCONTROL-2-1-4",
      "list-no-limit": "ACCESSCONTROL-2-1-5",
      "too-many-items": "ACCESSCONTROL-2-1-6",
      state: "ACCESSCONTROL-2-1-7",
      "state-invalid-token": "ACCESSCONTROL-2-1-8",
      "enable-disable": "ACCESSCONTROL-2-1-9",
      "enable-invalid-token": "ACCESSCONTROL-2-1-11",
      "disable-invalid-token": "ACCESSCONTROL-2-1-12",
    },
  },
  set: "pacsaxis:SetAccessPoint",
  setField: "AccessPoint",
  remove: "pacsaxis:RemoveAccessPoint",
  tokenField: "token",
  markerField: "Name",
  deviceFilled: ["EntityType", "DoorDeviceUUID"],
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    Entity: ref(a, "entity") ?? `${a.label}-door`,
    Enabled: true,
    IdPointDevice: [],
    AuthenticationProfile: [],
    Attribute: [],
    ActionArgument: [],
    Action: "Access",
  }),
  modify: (item, label) => ({ ...renamed(item, label), Action: "AccessDoor" }),
  references: [
    {
      id: "entity",
      path: "AccessPoint.Entity",
      read: (item) => (typeof item["Entity"] === "string" && item["Entity"] !== "" ? [item["Entity"]] : []),
    },
  ],
};

export const area: EntityDeclaration = {
  key: "area",
  typeName: "Area",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: {
    get: "pacsaxis:GetArea",
    list: "pacsaxis:GetAreaList",
    itemField: "Area",
    onvif: {
      get: "ACCESSCONTROL-15-1-1",
      "list-limit": "ACCESSCONTROL-15-1-2",
      "list-start-reference": "ACCESSCONTROL-15-1-3",
      "list-no-limit": "ACCESSCONTROL-15-1-4",
      delete: "ACCESSCONTROL-15-1-7",
      "get-invalid-token": "ACCESSCONTROL-15-1-8",
      "too-many-items": "ACCESSCONTROL-15-1-9",
      "delete-invalid-token": "ACCESSCONTROL-15-1-12",
      "create-client-token": "ACCESSCONTROL-15-1-13",
      modify: "ACCESSCONTROL-15-1-14",
      "create-empty-token": "ACCESSCONTROL-15-1-15",
    },
  },
  info: {
    get: "tac:GetAreaInfo",
    list: "tac:GetAreaInfoList",
    itemField: "AreaInfo",
    onvif: {
      get: "ACCESSCONTROL-3-1-1",
      "get-invalid-token": "ACCESSCONTROL-3-1-2",
      "list-limit": "ACCESSCONTROL-3-1-4",
      "list-start-reference": "ACCESSCONTROL-3-1-5",
      "too-many-items": "ACCESSCONTROL-3-1-9",
      "list-no-limit": "ACCESSCONTROL-3-1-10",
    },
  },
  set: "pacsaxis:SetArea",
  setField: "Area",
  remove: "pacsaxis:RemoveArea",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({ token: a.token, Name: a.label, Description: `${a.label} description`, Attribute: [] }),
  modify: renamed,
};

export const accessController: EntityDeclaration = {
  key: "access-controller",
  typeName: "AccessController",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: { get: "pacsaxis:GetAccessController", list: "pacsaxis:GetAccessControllerList", itemField: "AccessController" },
  info: { get: "pacsaxis:GetAccessControllerInfo", list: "pacsaxis:GetAccessControllerInfoList", itemField: "AccessControllerInfo" },
  set: "pacsaxis:SetAccessController",
  setField: "AccessController",
  remove: "pacsaxis:RemoveAccessController",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => {
    const ap = ref(a, "access-point");
    return { token: a.token, Name: a.label, Description: `${a.label} description`, AccessPoint: ap !== undefined ? [ap] : [] };
  },
  modify: renamed,
  references: [
    {
      id: "access-point",
      path: "AccessController.AccessPoint[]",
      target: "access-point",
      read: (item) => (Array.isArray(item["AccessPoint"]) ? item["AccessPoint"].filter((x): x is string => typeof x === "string" && x !== "") : []),
    },
  ],
};

export const accessControllerConfiguration: EntityDeclaration = {
  key: "access-controller-configuration",
  typeName: "AccessControllerConfiguration",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: {
    get: "pacsaxis:GetAccessControllerConfiguration",
    list: "pacsaxis:GetAccessControllerConfigurationList",
    itemField: "AccessControllerConfiguration",
  },
  set: "pacsaxis:SetAccessControllerConfiguration",
  setField: "AccessControllerConfiguration",
  remove: "pacsaxis:RemoveAccessControllerConfiguration",
  tokenField: "token",
  // intro.md#uuid: an empty DeviceUUID is filled in with the device's own UUID.
  deviceFilled: ["DeviceUUID"],
  sample: (a) => ({ token: a.token, DeviceUUID: "", Configuration: [{ Name: "pcx-sample", Value: String(a.n) }] }),
  modify: (item) => ({ ...item, Configuration: [{ Name: "pcx-sample", Value: "replaced" }] }),
};

export const accessProfile: EntityDeclaration = {
  key: "access-profile",
  typeName: "AccessProfile",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: {
    get: "pacsaxis:GetAccessProfile",
    list: "pacsaxis:GetAccessProfileList",
    itemField: "AccessProfile",
    onvif: {
      get: "ACCESS_RULES-3-1-1",
      "list-limit": "ACCESS_RULES-3-1-2",
      "list-start-reference": "ACCESS_RULES-3-1-3",
      "list-no-limit": "ACCESS_RULES-3-1-4",
      "create-empty-token": "ACCESS_RULES-3-1-5",
      delete: "ACCESS_RULES-3-1-8",
      "get-invalid-token": "ACCESS_RULES-3-1-9",
      "too-many-items": "ACCESS_RULES-3-1-10",
      "delete-invalid-token": "ACCESS_RULES-3-1-14",
      "create-client-token": "ACCESS_RULES-3-1-15",
      modify: "ACCESS_RULES-3-1-16",
    },
  },
  info: {
    get: "pacsaxis:GetAccessProfileInfo",
    list: "pacsaxis:GetAccessProfileInfoList",
    itemField: "AccessProfileInfo",
    onvif: {
      get: "ACCESS_RULES-2-1-1",
      "list-limit": "ACCESS_RULES-2-1-2",
      "list-start-reference": "ACCESS_RULES-2-1-3",
      "list-no-limit": "ACCESS_RULES-2-1-4",
      "get-invalid-token": "ACCESS_RULES-2-1-5",
      "too-many-items": "ACCESS_RULES-2-1-6",
    },
  },
  set: "pacsaxis:SetAccessProfile",
  setField: "AccessProfile",
  remove: "pacsaxis:RemoveAccessProfile",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => {
    const ap = ref(a, "access-point");
    return {
      token: a.token,
      Name: a.label,
      Description: `${a.label} description`,
      Enabled: true,
      Schedule: [],
      AuthenticationProfile: [],
      Attribute: [],
      AccessPolicy: ap !== undefined ? [{ AccessPoint: ap, AuthorizationProfile: [], Attribute: [], Schedule: [] }] : [],
    };
  },
  modify: renamed,
  references: [
    {
      id: "access-point",
      path: "AccessProfile.AccessPolicy[].AccessPoint",
      target: "access-point",
      read: (item) =>
        (Array.isArray(item["AccessPolicy"]) ? item["AccessPolicy"] : [])
          .map((p: unknown) => (p !== null && typeof p === "object" ? (p as Record<string, unknown>)["AccessPoint"] : undefined))
          .filter((x): x is string => typeof x === "string" && x !== ""),
    },
  ],
};

export const credential: EntityDeclaration = {
  key: "credential",
  typeName: "Credential",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: {
    get: "pacsaxis:GetCredential",
    list: "pacsaxis:GetCredentialList",
    itemField: "Credential",
    onvif: {
      get: "CREDENTIAL-3-1-1",
      "list-limit": "CREDENTIAL-3-1-2",
      "list-start-reference": "CREDENTIAL-3-1-3",
      "list-no-limit": "CREDENTIAL-3-1-4",
      "create-empty-token": "CREDENTIAL-3-1-5",
      delete: "CREDENTIAL-3-1-8",
      "get-invalid-token": "CREDENTIAL-3-1-9",
      "too-many-items": "CREDENTIAL-3-1-10",
      "delete-invalid-token": "CREDENTIAL-3-1-13",
      "create-client-token": "CREDENTIAL-3-1-16",
      modify: "CREDENTIAL-3-1-18",
      "enable-disable": "CREDENTIAL-4-1-2",
      "enable-invalid-token": "CREDENTIAL-4-1-4",
      "disable-invalid-token": "CREDENTIAL-4-1-5",
    },
  },
  info: {
    get: "pacsaxis:GetCredentialInfo",
    list: "pacsaxis:GetCredentialInfoList",
    itemField: "CredentialInfo",
    onvif: {
      get: "CREDENTIAL-2-1-1",
      "list-limit": "CREDENTIAL-2-1-2",
      "list-start-reference": "CREDENTIAL-2-1-3",
      "list-no-limit": "CREDENTIAL-2-1-4",
      "get-invalid-token": "CREDENTIAL-2-1-5",
      "too-many-items": "CREDENTIAL-2-1-6",
    },
  },
  set: "pacsaxis:SetCredential",
  setField: "Credential",
  remove: "pacsaxis:RemoveCredential",
  tokenField: "token",
  markerField: "Description",
  sample: (a) => {
    const ap = ref(a, "access-profile");
    return {
      token: a.token,
      Description: a.label,
      Enabled: true,
      Status: "Enabled",
      IdData: [{ Name: "Card", Value: cardNumber(a.label) }],
      Attribute: [],
      AuthenticationProfile: [],
      CredentialAccessProfile: ap !== undefined ? [{ AccessProfile: ap }] : [],
    };
  },
  modify: (item, label) => ({ ...item, Description: `${label} replaced`, IdData: [{ Name: "Card", Value: cardNumber(`${label} v2`) }] }),
  references: [
    {
      id: "access-profile",
      path: "Credential.CredentialAccessProfile[].AccessProfile",
      target: "access-profile",
      read: (item) =>
        (Array.isArray(item["CredentialAccessProfile"]) ? item["CredentialAccessProfile"] : [])
          .map((p: unknown) => (p !== null && typeof p === "object" ? (p as Record<string, unknown>)["AccessProfile"] : undefined))
          .filter((x): x is string => typeof x === "string" && x !== ""),
    },
  ],
};

function authenticationProfileSample(a: SampleArgs): Record<string, unknown> {
  return {
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    IdFactor: [{ IdDataName: "Card", IdMatchOperatorName: "IdDataEqual", OperatorValue: "" }],
    Schedule: [],
  };
}

export const authenticationProfile: EntityDeclaration = {
  key: "authentication-profile",
  typeName: "AuthenticationProfile",
  service: SERVICE,
  prefix: "tac",
  docPage: DOC,
  full: { get: "tac:GetAuthenticationProfile", list: "tac:GetAuthenticationProfileList", itemField: "AuthenticationProfile" },
  info: { get: "tac:GetAuthenticationProfileInfo", list: "tac:GetAuthenticationProfileInfoList", itemField: "AuthenticationProfileInfo" },
  set: "tac:SetAuthenticationProfile",
  setField: "AuthenticationProfile",
  remove: "tac:RemoveAuthenticationProfile",
  tokenField: "token",
  markerField: "Name",
  sample: authenticationProfileSample,
  modify: renamed,
};

/** The Axis twin (guide examples only): list, set and remove, no Get by token, no Info form. */
export const axisAuthenticationProfile: EntityDeclaration = {
  key: "authentication-profile",
  typeName: "AuthenticationProfile",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: { list: "pacsaxis:GetAuthenticationProfileList", itemField: "AuthenticationProfile" },
  set: "pacsaxis:SetAuthenticationProfile",
  setField: "AuthenticationProfile",
  remove: "pacsaxis:RemoveAuthenticationProfile",
  tokenField: "token",
  markerField: "Name",
  sample: authenticationProfileSample,
  modify: renamed,
};

/** Anti-passback monitoring data: keyed by CredentialToken, list and set only. */
export const antipassbackData: EntityDeclaration = {
  key: "antipassback-data",
  typeName: "AntipassbackData",
  service: SERVICE,
  prefix: "pacsaxis",
  docPage: DOC,
  full: { list: "pacsaxis:GetAntipassbackDataList", itemField: "AntipassbackData" },
  set: "pacsaxis:SetAntipassbackData",
  setField: "AntipassbackData",
  tokenField: "CredentialToken",
  sample: (a) => ({
    CredentialToken: ref(a, "credential") ?? a.token,
    PassOkThreshold: 0,
    CurrentArea: "",
    ByTime: false,
    Violation: "",
  }),
  modify: (item) => ({ ...item, PassOkThreshold: 300, ByTime: true }),
  references: [
    {
      id: "credential",
      path: "AntipassbackData.CredentialToken",
      target: "credential",
      read: (item) => (typeof item["CredentialToken"] === "string" ? [item["CredentialToken"]] : []),
    },
  ],
};

export const accessControlEntities: readonly EntityDeclaration[] = [
  accessPoint,
  area,
  accessController,
  accessControllerConfiguration,
  accessProfile,
  credential,
  authenticationProfile,
  axisAuthenticationProfile,
  antipassbackData,
];
