/** AccessControl factory defaults (guide "Retrieve default configuration") and deterministic test data. */
import type { EntityDecl, Item } from "../entity.js";
import { applySet } from "../generic-ops.js";
import { normalize } from "../shape.js";
import type { PopulateOptions } from "../service.js";
import type { DeviceState } from "../state.js";
import { AccessControllerConfigurationDecl, AccessControllerDecl, AccessPointDecl, AccessProfileDecl, AreaDecl, AuthenticationProfileDecl, CredentialDecl } from "./declarations.js";

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
