/**
 * The status of an IdPoint's reader device (event-logger-service.md "Notification topics",
 * tns1:IdPoint/tnsaxis:Status/*; idpoint-service.md "IdPoint.Status.*"): the battery and radio
 * link of a wireless Aperio reader, the secure channel and the responsiveness of an OSDP reader.
 * The simulated world reports them with the IdPointDeviceStatus stimulus; each is a property per
 * complete IdPoint (IdPoint plus IdPointConfiguration), announced when it changes.
 *
 * Data items: "ID", the reader's hardware address (the table's "ID field"), and "State". The
 * stimulus's Active says whether the named status holds: BatteryAlarm and RadioDisturbance (State
 * xs:boolean, true = low battery / disturbed radio; both false at start), Device (State
 * xs:boolean, true = the reader responds, the doc's "True if the device responds to
 * communication"; true at start) and SecureChannel (the doc gives a human-readable string: State
 * "Secure channel established" when active, else "Secure channel not established", the start).
 * The device does not check that the reader really is Aperio or OSDP.
 */
import { deviceStatusFamily } from "../device-status.js";
import type { DeviceState } from "../state.js";
import type { TopicDecl } from "../topics.js";
import type { StimulusKind } from "../world.js";
import { idPointFor } from "./physical.js";
import { settingValue } from "./settings.js";

export const IDPOINT_STATUSES = ["BatteryAlarm", "RadioDisturbance", "SecureChannel", "Device"] as const;
export type IdPointStatus = (typeof IDPOINT_STATUSES)[number];

/** Whether each status holds on a fresh reader. */
const INITIAL: Record<IdPointStatus, boolean> = { BatteryAlarm: false, RadioDisturbance: false, SecureChannel: false, Device: true };

const DOC: Record<IdPointStatus, string> = {
  BatteryAlarm: "The battery of a wireless Aperio reader needs replacing (State true) or is fine again (false).",
  RadioDisturbance: "The radio link to a wireless Aperio reader is disturbed (State true) or clear again (false).",
  SecureChannel: "The secure channel to an OSDP reader was established or lost (State: its status in words).",
  Device: "An OSDP reader started (State true) or stopped (false) answering the controller.",
};

/** IdPoints the service acts on: an IdPoint with its IdPointConfiguration. */
function completeIdPoints(state: DeviceState): string[] {
  const configs = state.store("IdPointConfiguration");
  return state
    .store("IdPoint")
    .tokens()
    .filter((t) => configs.has(t));
}

const FAMILY = deviceStatusFamily<IdPointStatus>({
  topicPrefix: "tns1:IdPoint/tnsaxis:Status/",
  runtimeKey: "idpoint/device-status",
  sourceItem: "IdPointToken",
  statuses: IDPOINT_STATUSES,
  doc: DOC,
  initial: INITIAL,
  stateType: (status) => (status === "SecureChannel" ? "xs:string" : "xs:boolean"),
  stateValue: (status, on) => (status === "SecureChannel" ? (on ? "Secure channel established" : "Secure channel not established") : on),
  configuredAddress: (state, token) => settingValue(state.store("IdPointConfiguration").read(token, "full"), "IdPoint.Hardware.Address"),
  tokens: completeIdPoints,
  stimulus: {
    name: "IdPointDeviceStatus",
    doc: "An IdPoint's reader reports a status: an Aperio reader's low battery or radio disturbance, an OSDP reader's secure channel or its answering at all (Active false: the status no longer holds).",
    args: {
      IdPoint: "token of an IdPoint with an IdPointConfiguration",
      Status: `one of ${IDPOINT_STATUSES.join(", ")}`,
      Active: "whether the status holds (low battery, disturbed radio, secure channel up, reader answering); default true (optional)",
    },
    tokenArg: "IdPoint",
    resolve: (args, state) => idPointFor(state, args, undefined, "a device status").token,
  },
});

export function idPointStatusTopic(status: IdPointStatus): string {
  return FAMILY.topic(status);
}

/** The reader's IdPoint.Hardware.Address when configured, else one made up from the IdPoint token (the same on every run). */
export function readerAddress(state: DeviceState, token: string): string {
  return FAMILY.address(state, token);
}

export const IDPOINT_STATUS_TOPICS: readonly TopicDecl[] = FAMILY.topics;

/** Forgets the statuses of a removed IdPoint. */
export function forgetIdPointStatus(state: DeviceState, token: string): void {
  FAMILY.forget(state, token);
}

export const IDPOINT_STATUS_STIMULUS: StimulusKind = FAMILY.stimulus;
