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
import { createHash } from "node:crypto";
import type { DeviceState } from "../state.js";
import type { PropertyInstance, TopicDecl } from "../topics.js";
import { StimulusError, boolArg, stringArg, type StimulusKind } from "../world.js";
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

export function idPointStatusTopic(status: IdPointStatus): string {
  return `tns1:IdPoint/tnsaxis:Status/${status}`;
}

/** Statuses that differ from INITIAL, per IdPoint token. */
function changed(state: DeviceState): Map<string, Set<IdPointStatus>> {
  return state.runtime("idpoint/device-status", () => new Map<string, Set<IdPointStatus>>());
}

function holds(state: DeviceState, token: string, status: IdPointStatus): boolean {
  return changed(state).get(token)?.has(status) === true ? !INITIAL[status] : INITIAL[status];
}

/** The reader's IdPoint.Hardware.Address when configured, else one made up from the IdPoint token (the same on every run). */
export function readerAddress(state: DeviceState, token: string): string {
  const configured = settingValue(state.store("IdPointConfiguration").read(token, "full"), "IdPoint.Hardware.Address");
  if (configured !== "") return configured;
  return createHash("sha256").update(token).digest("hex").slice(0, 6).toUpperCase();
}

function message(state: DeviceState, token: string, status: IdPointStatus): PropertyInstance {
  const on = holds(state, token, status);
  const value = status === "SecureChannel" ? (on ? "Secure channel established" : "Secure channel not established") : on;
  return { source: { IdPointToken: token }, data: { ID: readerAddress(state, token), State: value } };
}

/** IdPoints the service acts on: an IdPoint with its IdPointConfiguration. */
function completeIdPoints(state: DeviceState): string[] {
  const configs = state.store("IdPointConfiguration");
  return state
    .store("IdPoint")
    .tokens()
    .filter((t) => configs.has(t));
}

export const IDPOINT_STATUS_TOPICS: readonly TopicDecl[] = IDPOINT_STATUSES.map((status) => ({
  topic: idPointStatusTopic(status),
  doc: DOC[status],
  property: true,
  source: [{ name: "IdPointToken", type: "pt:ReferenceToken" }],
  data: [
    { name: "ID", type: "xs:string" },
    { name: "State", type: status === "SecureChannel" ? "xs:string" : "xs:boolean" },
  ],
  current: (state: DeviceState) => completeIdPoints(state).map((token) => message(state, token, status)),
}));

/** Sets one status of an IdPoint; announces it when it changed. */
function setStatus(state: DeviceState, token: string, status: IdPointStatus, on: boolean): boolean {
  if (holds(state, token, status) === on) return false;
  const all = changed(state);
  const set = all.get(token) ?? new Set<IdPointStatus>();
  if (on === INITIAL[status]) set.delete(status);
  else set.add(status);
  if (set.size === 0) all.delete(token);
  else all.set(token, set);
  const m = message(state, token, status);
  state.publish({ topic: idPointStatusTopic(status), source: { ...m.source }, data: { ...m.data } });
  return true;
}

/** Forgets the statuses of a removed IdPoint. */
export function forgetIdPointStatus(state: DeviceState, token: string): void {
  changed(state).delete(token);
}

export const IDPOINT_STATUS_STIMULUS: StimulusKind = {
  name: "IdPointDeviceStatus",
  doc: "An IdPoint's reader reports a status: an Aperio reader's low battery or radio disturbance, an OSDP reader's secure channel or its answering at all (Active false: the status no longer holds).",
  args: {
    IdPoint: "token of an IdPoint with an IdPointConfiguration",
    Status: `one of ${IDPOINT_STATUSES.join(", ")}`,
    Active: "whether the status holds (low battery, disturbed radio, secure channel up, reader answering); default true (optional)",
  },
  apply(args, state) {
    const { token } = idPointFor(state, args, undefined, "a device status");
    const status = stringArg(args, "Status");
    if (!(IDPOINT_STATUSES as readonly string[]).includes(status)) throw new StimulusError(`"Status" must be one of ${IDPOINT_STATUSES.join(", ")}; got "${status}"`);
    const on = boolArg(args, "Active", true);
    const didChange = setStatus(state, token, status as IdPointStatus, on);
    return { IdPoint: token, Status: status, Active: on, ID: readerAddress(state, token), Changed: didChange };
  },
};
