/**
 * What the documentation says about the services as a whole, shared by the reference device (which
 * serves a subset with `--services` and overrides flags with `--capability`) and the conformance
 * suite (which discovers what a device serves): the services and their namespace prefixes, and the
 * capability flags that say whether operations are served ("True if SetAccessPoint operations is
 * supported"). Knowledge from the pages, not behaviour: no code here talks to a device.
 */

/** A documented service: its name (as the checks' `service`) and the namespace prefixes it answers. */
export interface ServiceEntry {
  readonly name: string;
  readonly prefixes: readonly string[];
  /** Other accepted spellings for `--services`. */
  readonly aliases: readonly string[];
  /**
   * Its id in apidiscovery.cgi's getApiList, where it has one. These are the reference device's
   * naming (no public list of the access control APIs' ids exists), so the suite only warns
   * about a device that names them otherwise.
   */
  readonly apiId?: string;
}

export const SERVICE_CATALOG: readonly ServiceEntry[] = [
  { name: "AccessControl", prefixes: ["tac", "pacsaxis"], aliases: ["access-control"], apiId: "access-control" },
  { name: "DoorControl", prefixes: ["tdc", "axtdc"], aliases: ["door-control"], apiId: "door-control" },
  { name: "IdPoint", prefixes: ["axtid"], aliases: ["idpoint"], apiId: "idpoint" },
  { name: "IoAssignment", prefixes: ["axisio"], aliases: ["io-assignment"], apiId: "io-assignment" },
  { name: "Schedule", prefixes: ["axsch"], aliases: ["schedule"], apiId: "schedule" },
  { name: "User", prefixes: ["axudb"], aliases: ["user"], apiId: "user" },
  { name: "EventLogger", prefixes: ["axlog", "axloc"], aliases: ["event-logger"], apiId: "event-logger" },
  { name: "Events", prefixes: ["tev"], aliases: ["events", "event"] },
  { name: "Keystore", prefixes: ["axkey"], aliases: ["keystore"], apiId: "keystore" },
  { name: "ThirdPartyCredential", prefixes: ["axtpc"], aliases: ["third-party-credential"], apiId: "third-party-credential" },
  { name: "ServiceDiscovery", prefixes: ["axissd"], aliases: ["service-discovery"], apiId: "service-discovery" },
  { name: "RemoteIO", prefixes: ["axrio"], aliases: ["remote-io"], apiId: "remote-io" },
  { name: "Connection", prefixes: ["aconn"], aliases: ["connection"] },
  { name: "Device", prefixes: ["tds"], aliases: ["device"] },
];

/** The service a prefix belongs to; undefined for a prefix no service answers (pt, tt, …). */
export function serviceOfPrefix(prefix: string): ServiceEntry | undefined {
  return SERVICE_CATALOG.find((s) => s.prefixes.includes(prefix));
}

/**
 * The catalogue entry named by a service name, an alias or one of its prefixes (any case):
 * "AccessControl", "access-control", "tac". Undefined when nothing matches.
 */
export function findService(name: string): ServiceEntry | undefined {
  const n = name.trim().toLowerCase();
  return SERVICE_CATALOG.find((s) => s.name.toLowerCase() === n || s.aliases.includes(n) || s.prefixes.includes(n));
}

/** A boolean service capability that says whether operations are served. */
export interface CapabilityGate {
  /** The prefix whose GetServiceCapabilities carries the flag. */
  readonly prefix: string;
  readonly capability: string;
  /** The operations the flag speaks for, `"<prefix>:<Name>"`. */
  readonly operations: readonly string[];
}

/** From the pages' ServiceCapabilities sections (access control, door control, IdPoint, schedule). */
export const CAPABILITY_GATES: readonly CapabilityGate[] = [
  { prefix: "tac", capability: "DisableCredential", operations: ["pacsaxis:EnableCredential", "pacsaxis:DisableCredential"] },
  { prefix: "tac", capability: "GetAccessPoint", operations: ["pacsaxis:GetAccessPoint", "pacsaxis:GetAccessPointList"] },
  { prefix: "tac", capability: "SetAccessPoint", operations: ["pacsaxis:SetAccessPoint"] },
  { prefix: "tac", capability: "RemoveAccessPoint", operations: ["pacsaxis:RemoveAccessPoint"] },
  { prefix: "tac", capability: "GetArea", operations: ["pacsaxis:GetArea", "pacsaxis:GetAreaList"] },
  { prefix: "tac", capability: "SetArea", operations: ["pacsaxis:SetArea"] },
  { prefix: "tac", capability: "RemoveArea", operations: ["pacsaxis:RemoveArea"] },
  { prefix: "tac", capability: "GetCredential", operations: ["pacsaxis:GetCredential", "pacsaxis:GetCredentialList"] },
  { prefix: "tac", capability: "SetCredential", operations: ["pacsaxis:SetCredential"] },
  { prefix: "tac", capability: "RemoveCredential", operations: ["pacsaxis:RemoveCredential"] },
  { prefix: "tdc", capability: "GetDoorSupported", operations: ["axtdc:GetDoor", "axtdc:GetDoorList"] },
  { prefix: "tdc", capability: "SetDoorSupported", operations: ["axtdc:SetDoor"] },
  { prefix: "tdc", capability: "PriorityConfigurationSupported", operations: ["axtdc:SetPriorityConfiguration", "axtdc:RemovePriorityConfiguration"] },
  { prefix: "axtid", capability: "SetIdPoint", operations: ["axtid:SetIdPoint"] },
  { prefix: "axsch", capability: "SetSchedule", operations: ["axsch:SetSchedule"] },
  { prefix: "axsch", capability: "GetSchedule", operations: ["axsch:GetSchedule", "axsch:GetScheduleList"] },
  { prefix: "axsch", capability: "RemoveSchedule", operations: ["axsch:RemoveSchedule"] },
  { prefix: "axsch", capability: "ScheduleActive", operations: ["axsch:ScheduleActive"] },
];

/** The gate that speaks for an operation (`"pacsaxis:SetAccessPoint"`), if any. */
export function gateOfOperation(op: string): CapabilityGate | undefined {
  return CAPABILITY_GATES.find((g) => g.operations.includes(op));
}
