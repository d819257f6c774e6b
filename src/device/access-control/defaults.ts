/** AccessControl factory defaults (guide "Retrieve default configuration") and deterministic test data. */
import type { Item } from "../entity.js";
import { installItems } from "../generic-ops.js";
import { defaultIdPointsOf } from "../idpoint/api.js";
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

/**
 * The access points of the factory-default doors (DoorControl and IdPoint install theirs first):
 * per door one access point "in" with its entry reader and one "out" with its exit reader and REX
 * inputs, as system-integration-examples.md "Doors" lays a door out (one AccessPoint per
 * direction, Direction attribute "in"/"out", Entity = the door); readers use the default CardOnly
 * profile, REX inputs REXOnly. A door without IdPoints gets none.
 */
function defaultAccessPoints(state: DeviceState): Item[] {
  const doors = state.findStore("Door");
  if (doors === undefined) return [];
  const out: Item[] = [];
  for (const door of doors.tokens()) {
    const { readers, rex } = defaultIdPointsOf(state, door);
    const name = String(doors.read(door, "full")?.["Name"] ?? door);
    const accessPoint = (direction: string, idPoints: readonly string[], profiles: string[]): Item => ({
      token: "",
      Name: `${name} ${direction}`.slice(0, 64),
      Description: `${name}, passing ${direction}`,
      EntityType: "axtdc:Door",
      Entity: door,
      Enabled: true,
      IdPointDevice: idPoints.map((IdPoint) => ({ IdPoint, DeviceUUID: "" })),
      AuthenticationProfile: profiles,
      Attribute: [{ type: "", Name: "Direction", Value: direction }],
      ActionArgument: [],
      Action: "Access",
    });
    const [entry, ...exits] = readers;
    if (entry !== undefined) out.push(accessPoint("in", [entry], ["CardOnly"]));
    if (exits.length + rex.length > 0) out.push(accessPoint("out", [...exits, ...rex], [...(exits.length > 0 ? ["CardOnly"] : []), ...(rex.length > 0 ? ["REXOnly"] : [])]));
  }
  return out;
}

/**
 * The factory-default data: the device's AccessController (+ configuration) listing the default
 * doors' access points, and four authentication profiles.
 */
export function installDefaults(state: DeviceState): void {
  const controller = `${state.axisId} AccessController`;
  installItems(AuthenticationProfileDecl, defaultAuthenticationProfiles(), state);
  // A set (not a list): under the reuse-generated-token quirk every access point gets one token.
  const apTokens = [...new Set(installItems(AccessPointDecl, defaultAccessPoints(state), state))];
  installItems(AccessControllerDecl, [{ token: controller, Name: controller, Description: "", AccessPoint: apTokens }], state);
  installItems(AccessControllerConfigurationDecl, [{ token: controller, DeviceUUID: state.identity.uuid, Configuration: [] }], state);
}

/** Deterministic extra items (same tokens and content on every start) for tests and benchmarks. */
export function populate(state: DeviceState, counts: PopulateOptions): void {
  const pad = (i: number): string => String(i).padStart(4, "0");
  const range = (n: number | undefined): number[] => Array.from({ length: Math.max(0, Math.floor(n ?? 0)) }, (_, i) => i + 1);
  const areas = range(counts.areas).map((i) => ({ token: `area-${pad(i)}`, Name: `Area ${i}`, Description: `Populated area ${i}`, Attribute: [] }));
  installItems(AreaDecl, areas, state);
  // With populated doors and IdPoints (their services' `door-0001`, `idpoint-0001`, …) the access
  // points point at them, round robin; without, at tokens of the same pattern.
  const cycle = (i: number, n: number | undefined): number => (n !== undefined && n >= 1 ? ((i - 1) % Math.floor(n)) + 1 : i);
  const aps = range(counts.accessPoints).map((i) => ({
    token: `ap-${pad(i)}`,
    Name: `Entry ${i}`,
    Description: `Populated access point ${i}`,
    EntityType: "axtdc:Door",
    Entity: `door-${pad(cycle(i, counts.doors))}`,
    Enabled: true,
    IdPointDevice: [{ IdPoint: `idpoint-${pad(cycle(i, counts.idPoints))}`, DeviceUUID: "" }],
    AuthenticationProfile: ["CardOnly"],
    Action: "Access",
  }));
  installItems(AccessPointDecl, aps, state);
  if (aps.length > 0) {
    const controller = `${state.axisId} AccessController`;
    const current = state.store("AccessController").read(controller, "full");
    if (current !== undefined) installItems(AccessControllerDecl, [{ ...current, AccessPoint: [...(current["AccessPoint"] as string[]), ...aps.map((a) => a.token)] }], state);
  }
  const profiles = range(counts.accessProfiles).map((i) => ({
    token: `profile-${pad(i)}`,
    Name: `Profile ${i}`,
    Description: `Populated access profile ${i}`,
    Enabled: true,
    Schedule: ["standard_always"],
    AccessPolicy: aps.length > 0 ? [{ AccessPoint: aps[(i - 1) % aps.length]!.token, Schedule: ["standard_always"] }] : [],
  }));
  installItems(AccessProfileDecl, profiles, state);
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
  installItems(CredentialDecl, credentials, state);
}
