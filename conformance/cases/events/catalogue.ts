/**
 * The suite's own catalogue of documented event topics, per service: event-logger-service.md
 * "Notification topics" (the Axis list), with the Source/Data items, their XSD types and the
 * property flag where a specification gives them (the ONVIF DoorControl, AccessControl,
 * Credential and Schedule specifications' "Notification topics"/"Events" sections;
 * schedule-service.md, idpoint-service.md, third-party-credential-service.md), and for each topic
 * the suite can cause, how (causes.ts). Items a document does not name are not judged; a topic
 * whose property flag no document gives is judged by the flag the device advertises.
 */
import * as cause from "./causes.js";
import type { Cause } from "./causes.js";
import { thirdPartyCredentialCauses } from "../third-party-credential/causes.js";

/** The service a topic belongs to (event-logger-service.md groups them so). */
export type TopicService = "Schedule" | "DoorControl" | "IdPoint" | "AccessControl" | "Connection" | "EventLogger" | "Device" | "RemoteIO" | "ThirdPartyCredential";

export interface ItemSpec {
  readonly name: string;
  /** XSD type QName in the documentation's prefixes; undefined: not documented. */
  readonly type?: string;
  /** Documented as optional (ONVIF: "may be empty or absent"; newer ONVIF fields Axis does not list). */
  readonly optional?: boolean;
}

export interface TopicSpec {
  /** The topic as documented, e.g. "tns1:Door/State/DoorMode". */
  readonly topic: string;
  readonly service: TopicService;
  /** A property (Initialized/Changed/Deleted); undefined: no document says. */
  readonly property?: boolean;
  /** Documented Source and Data items; undefined: not documented (not judged). */
  readonly source?: readonly ItemSpec[];
  readonly data?: readonly ItemSpec[];
  /**
   * Every device serving the service provides it (false: the documentation ties it to hardware,
   * product configuration or an optional service: Aperio, OSDP, whitelists, I/O, remote I/O).
   */
  readonly required: boolean;
  /** Documentation sections that document the topic. */
  readonly refs: readonly string[];
  /** How the suite causes it; undefined: not causable by the suite (catalogue checks only). */
  readonly cause?: Cause;
  /** The reference-device quirk its own check is broken by (default event-local-time: every caused event is judged on UtcTime). */
  readonly quirk?: string;
  /** Only in the ONVIF specifications (not in the Axis list): known, never required. */
  readonly onvifOnly?: boolean;
}

export const TOPICS_REF = "event-logger-service.md#notification-topics";
const DOOR_EVENTS_REF = "door-control-service.md#events-when-door-state-is-changed";
const SCHEDULE_REF = "schedule-service.md#pulse-and-interval-schedules";
const IDPOINT_REF = "idpoint-service.md#sending-activities-from-a-remote-device";
const APB_REF = "access-control-service.md#anti-passback-notifications";
const THIRD_PARTY_REF = "third-party-credential-service.md#notification-topics";

const token = (name: string): ItemSpec => ({ name, type: "pt:ReferenceToken" });
const str = (name: string, optional = false): ItemSpec => ({ name, type: "xs:string", ...(optional ? { optional } : {}) });
const bool = (name: string, optional = false): ItemSpec => ({ name, type: "xs:boolean", ...(optional ? { optional } : {}) });

// ---- DoorControl (ONVIF DoorControl "Notification Topics": Source DoorToken, Data State)

function doorState(name: string, type: string | undefined, c: Cause | undefined, extra: Partial<TopicSpec> = {}): TopicSpec {
  return {
    topic: `tns1:Door/State/${name}`,
    service: "DoorControl",
    // DoorWarning is Axis only: no document gives the State's type or whether it is a property.
    ...(name !== "DoorWarning" ? { property: true } : {}),
    source: [token("DoorToken")],
    data: [{ name: "State", ...(type !== undefined ? { type } : {}) }, ...(name === "DoorFault" ? [str("Reason", true)] : [])],
    required: true,
    refs: [TOPICS_REF, DOOR_EVENTS_REF],
    ...(c !== undefined ? { cause: c } : {}),
    ...extra,
  };
}

const doorStatus = (name: "BatteryAlarm" | "LockJammed" | "RadioDisturbance"): TopicSpec => ({
  topic: `tns1:Door/tnsaxis:Status/${name}`,
  service: "DoorControl",
  // The Aperio status topics document only an ID item (the Aperio device's hardware address).
  ...(name !== "LockJammed" ? { data: [{ name: "ID" }] } : {}),
  required: false,
  refs: [TOPICS_REF],
  cause: cause.doorStatus(name),
});

const DOOR_CONTROL: readonly TopicSpec[] = [
  doorState("DoorMode", "tdc:DoorMode", cause.doorModeChange, { quirk: "event-no-initialized" }),
  doorState("DoorPhysicalState", "tdc:DoorPhysicalState", cause.doorOpened),
  doorState("LockPhysicalState", "tdc:LockPhysicalState", cause.lockChange, { quirk: "event-no-property-operation" }),
  doorState("DoubleLockPhysicalState", "tdc:LockPhysicalState", cause.doubleLockChange),
  // The ONVIF text gives DoorAlarm's State the type tdc:DoorTamperState, a slip for tdc:DoorAlarmState.
  doorState("DoorAlarm", "tdc:DoorAlarmState", cause.doorForced, { quirk: "event-topic-missing" }),
  doorState("DoorFault", "tdc:DoorFaultState", cause.doorFaulted),
  doorState("DoorTamper", "tdc:DoorTamperState", cause.doorTampered),
  doorState("DoorWarning", undefined, cause.doorWarning),
  doorStatus("BatteryAlarm"),
  doorStatus("LockJammed"),
  doorStatus("RadioDisturbance"),
  { topic: "tns1:Configuration/Door/Changed", service: "DoorControl", property: false, source: [token("DoorToken")], required: true, refs: [TOPICS_REF], cause: cause.doorChanged },
  { topic: "tns1:Configuration/Door/Removed", service: "DoorControl", property: false, source: [token("DoorToken")], required: true, refs: [TOPICS_REF], cause: cause.doorRemoved },
];

// ---- IdPoint (Axis; idpoint-service.md names the Activity Reason and the IdData names Card, PIN, REX)

const idp = (topic: string, required: boolean, c: Cause | undefined, data?: readonly ItemSpec[]): TopicSpec => ({
  topic,
  service: "IdPoint",
  ...(data !== undefined ? { data } : {}),
  required,
  refs: [TOPICS_REF, IDPOINT_REF],
  ...(c !== undefined ? { cause: c } : {}),
});

const ID_POINT: readonly TopicSpec[] = [
  idp("tns1:IdPoint/tnsaxis:Activity", true, cause.idPointRex, [{ name: "Reason" }]),
  idp("tns1:IdPoint/tnsaxis:Request/PIN", true, cause.idPointPin, [{ name: "PIN" }]),
  idp("tns1:IdPoint/tnsaxis:Request/REX", true, cause.idPointRex, [{ name: "REX" }]),
  idp("tns1:IdPoint/tnsaxis:Request/IdData", true, cause.idPointCard, [{ name: "Card" }, { name: "BitCount" }]),
  idp("tns1:IdPoint/tnsaxis:Status/BatteryAlarm", false, cause.idPointStatus("BatteryAlarm"), [{ name: "ID" }]),
  idp("tns1:IdPoint/tnsaxis:Status/RadioDisturbance", false, cause.idPointStatus("RadioDisturbance"), [{ name: "ID" }]),
  idp("tns1:IdPoint/tnsaxis:Timeout", true, cause.idPointTimeout),
  idp("tns1:IdPoint/tnsaxis:Tampering", true, cause.idPointTampered),
  idp("tns1:Configuration/tnsaxis:IdPoint/Changed", true, cause.idPointChanged),
  idp("tns1:Configuration/tnsaxis:IdPoint/Removed", true, cause.idPointRemoved),
  idp("tns1:IdPoint/tnsaxis:Status/SecureChannel", false, cause.idPointStatus("SecureChannel")),
  idp("tns1:IdPoint/tnsaxis:Status/Device", false, cause.idPointStatus("Device")),
  idp("tns1:IdPoint/tnsaxis:PreAuthorization/tnsaxis:IdData", false, cause.whitelistAccess),
  idp("tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error", false, cause.whitelistSyncError),
  idp("tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Ongoing", false, cause.whitelistSyncOngoing, [{ name: "Ongoing" }]),
];

// ---- AccessControl (ONVIF AccessControl and Credential specifications: Source AccessPointToken)

const ap = [token("AccessPointToken")];
const holder = [token("CredentialToken"), str("CredentialHolderName")];
const decision = (topic: string, data: readonly ItemSpec[], c: Cause | undefined, quirk = "event-wrong-source-name", onvif = true): TopicSpec => ({
  topic: `tns1:AccessControl/${topic}`,
  service: "AccessControl",
  property: false,
  source: ap,
  ...(onvif ? { data } : {}),
  required: true,
  refs: [TOPICS_REF, "access-control-service.md#send-access-request"],
  ...(c !== undefined ? { cause: c } : {}),
  quirk,
});

const ACCESS_CONTROL: readonly TopicSpec[] = [
  decision("AccessGranted/Anonymous", [bool("External", true)], cause.grantedAnonymous),
  decision("AccessGranted/Credential", [bool("External", true), ...holder, str("SecurityLevelToken", true), bool("ExemptedAccess", true)], cause.grantedCredential),
  decision("AccessTaken/Anonymous", [], cause.takenAnonymous, "event-local-time"),
  decision("AccessTaken/Credential", holder, cause.takenCredential, "event-local-time"),
  decision("AccessNotTaken/Anonymous", [], cause.notTakenAnonymous, "event-local-time"),
  decision("AccessNotTaken/Credential", holder, cause.notTakenCredential, "event-local-time"),
  decision("Denied/Anonymous", [bool("External", true), str("Reason")], cause.deniedAnonymous),
  // Axis only: no document gives its items.
  decision("Denied/Authentication/InvalidPIN", [], cause.deniedInvalidPin, "event-wrong-source-name", false),
  decision("Denied/Credential", [bool("External", true), ...holder, str("SecurityLevelToken", true), str("Reason")], cause.deniedCredential),
  decision("Denied/CredentialNotFound/Card", [str("Card")], cause.deniedCardNotFound),
  decision("Denied/CredentialNotFound/PIN", [], cause.deniedPinNotFound, "event-wrong-source-name", false),
  decision("Duress", [...holder, str("Reason")], cause.duress),
  {
    topic: "tns1:AccessPoint/State/Enabled",
    service: "AccessControl",
    property: true,
    source: ap,
    data: [bool("State")],
    required: true,
    refs: [TOPICS_REF, "access-control-service.md#disable-an-access-point"],
    cause: cause.accessPointDisabled,
    quirk: "event-wrong-value-type",
  },
  { topic: "tns1:Configuration/AccessPoint/Changed", service: "AccessControl", property: false, source: ap, required: true, refs: [TOPICS_REF], cause: cause.accessPointChanged },
  { topic: "tns1:Configuration/AccessPoint/Removed", service: "AccessControl", property: false, source: ap, required: true, refs: [TOPICS_REF], cause: cause.accessPointRemoved },
  { topic: "tns1:Configuration/Area/Changed", service: "AccessControl", property: false, source: [token("AreaToken")], required: true, refs: [TOPICS_REF], cause: cause.areaChanged },
  { topic: "tns1:Configuration/Area/Removed", service: "AccessControl", property: false, source: [token("AreaToken")], required: true, refs: [TOPICS_REF], cause: cause.areaRemoved },
  {
    topic: "tns1:Configuration/Credential/Changed",
    service: "AccessControl",
    property: false,
    source: [token("CredentialToken")],
    required: true,
    refs: [TOPICS_REF],
    cause: cause.credentialChanged,
    quirk: "event-dangling-token",
  },
  { topic: "tns1:Configuration/Credential/Removed", service: "AccessControl", property: false, source: [token("CredentialToken")], required: true, refs: [TOPICS_REF], cause: cause.credentialRemoved },
  {
    topic: "tns1:Credential/State/ApbViolation",
    service: "AccessControl",
    property: false,
    source: [token("CredentialToken")],
    data: [bool("ApbViolation"), bool("ClientUpdated")],
    required: true,
    refs: [TOPICS_REF, APB_REF],
    cause: cause.apbViolation,
  },
];

// ---- Schedule (schedule-service.md; the event logger list writes the tnsaxis: prefix)

const SCHEDULE: readonly TopicSpec[] = [
  { topic: "tns1:Schedule/tnsaxis:Interval", service: "Schedule", property: true, source: [token("ScheduleToken")], data: [bool("Active"), bool("Exception")], required: true, refs: [TOPICS_REF, SCHEDULE_REF], cause: cause.intervalChanged },
  { topic: "tns1:Schedule/tnsaxis:Pulse", service: "Schedule", property: false, source: [token("ScheduleToken")], required: true, refs: [TOPICS_REF, SCHEDULE_REF], cause: cause.pulse },
];

// ---- Event logger, connection, the device, remote I/O, third-party credentials

const other = (topic: string, service: TopicService, c?: Cause, extra: Partial<TopicSpec> = {}): TopicSpec => ({
  topic,
  service,
  required: false,
  refs: [TOPICS_REF],
  ...(c !== undefined ? { cause: c } : {}),
  ...extra,
});

const OTHER: readonly TopicSpec[] = [
  other("tnsaxis:EventLogger/Alarm", "EventLogger", cause.alarmRaised, { refs: [TOPICS_REF, "event-logger-service.md#alarm-filter"] }),
  other("tnsaxis:EventLogger/DroppedAlarms", "EventLogger", cause.loggerOverload),
  other("tnsaxis:EventLogger/DroppedEvents", "EventLogger", cause.loggerOverload),
  other("tns1:Device/tnsaxis:PeerConnection", "Connection"),
  other("tns1:Device/tnsaxis:Casing/Open", "Device", cause.deviceCondition("OpenCasing")),
  other("tns1:Device/tnsaxis:IO/Port", "Device", cause.port("SetInputPort", "IN1")),
  other("tns1:Device/tnsaxis:IO/Virtualinput", "Device", cause.port("SetVirtualInput", "1")),
  other("tns1:Device/tnsaxis:IO/Virtualport", "Device", cause.port("SetManualTrigger", "1")),
  other("tns1:Device/tnsaxis:Network/Lost", "Device", cause.deviceCondition("LoseNetwork")),
  // The FetchEvents2 example filters SystemReady events on their ready item.
  other("tns1:Device/tnsaxis:Status/Systemready", "Device", cause.systemReady, { data: [bool("ready")], refs: [TOPICS_REF, "event-logger-service.md#filterssets"] }),
  other("tns1:Device/tnsaxis:SystemMessage/Actionfailed", "Device"),
  other("tnsaxis:RemoteDevice/Connection/Status", "RemoteIO", cause.remoteDeviceAdded, { quirk: "peripherals-connection-status-not-sent" }),
  // Every device serving the service (its probe) advertises them; items as third-party-credential-service.md describes them.
  ...(["Created", "CreatedFailed", "Removed", "RemovedFailed", "Enabled"] as const).map((n) =>
    other(`tns1:Configuration/Credential/tnsaxis:ThirdPartyCredential${n}`, "ThirdPartyCredential", thirdPartyCredentialCauses[n], {
      property: false,
      required: true,
      source: [token("CredentialToken")],
      data: n === "Enabled" ? [str("CredentialHolderEmail"), str("CredentialFirstName"), str("CredentialLastName"), str("CredentialCardNumber"), str("ProviderName")] : [str("CredentialHolderName"), str("CredentialHolderEmail"), str("ProviderName")],
      refs: [TOPICS_REF, THIRD_PARTY_REF],
    }),
  ),
  other("tnsaxis:ThirdPartyCredential/Status/ProviderConnection", "ThirdPartyCredential", thirdPartyCredentialCauses.ProviderConnection, { property: true, required: true, source: [str("ProviderName")], data: [bool("Connected")], refs: [TOPICS_REF, THIRD_PARTY_REF] }),
];

// ---- ONVIF topics outside the Axis list: known (not vendor extensions), never required

const onvif = (topic: string, service: TopicService): TopicSpec => ({ topic, service, required: false, refs: [], onvifOnly: true });

const ONVIF_ONLY: readonly TopicSpec[] = [
  ...["AccessGranted/Identifier", "AccessTaken/Identifier", "AccessNotTaken/Identifier", "Denied/Identifier", "Denied/CredentialNotFound", "Request/Anonymous", "Request/Credential", "Request/Identifier", "Request/Timeout"].map((t) =>
    onvif(`tns1:AccessControl/${t}`, "AccessControl"),
  ),
  ...["tns1:AccessPoint/State/SecurityLevel", "tns1:Credential/State/Enabled", "tns1:Configuration/AccessProfile/Changed", "tns1:Configuration/AccessProfile/Removed"].map((t) => onvif(t, "AccessControl")),
  ...["tns1:Schedule/State/Active", "tns1:Configuration/Schedule/Changed", "tns1:Configuration/Schedule/Removed", "tns1:Configuration/SpecialDays/Changed", "tns1:Configuration/SpecialDays/Removed"].map((t) => onvif(t, "Schedule")),
];

/** Every documented topic, in the order of the documentation's list. */
export const CATALOGUE: readonly TopicSpec[] = [...SCHEDULE, ...DOOR_CONTROL, ...ID_POINT, ...ACCESS_CONTROL, ...OTHER, ...ONVIF_ONLY];
