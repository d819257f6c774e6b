/**
 * Carrying out an access decision (RequestAccess and presentations; VerifyRequest decides
 * without it): the events the guide names for it, the door accessed on a grant, and whether the
 * access is then taken (the door opens) or not — which is also when anti-passback sees a passage.
 */
import { accessDoor, doorExists } from "../door-control/api.js";
import type { Item } from "../entity.js";
import { OperationFault } from "../faults.js";
import type { DeviceEvent, DeviceState } from "../state.js";
import { recordPassage, recordViolation } from "./antipassback.js";
import type { Decision } from "./decision.js";

/** A grant whose door has not been opened yet. */
interface Watch {
  readonly accessPoint: string;
  readonly credential?: string;
  readonly holder: string;
}

function watches(state: DeviceState): Map<string, Watch> {
  return state.runtime("access-control.taken", () => new Map<string, Watch>());
}

/** The last decisions carried out, newest first (the back door's "AccessControl" view). */
function recent(state: DeviceState): Item[] {
  return state.runtime("access-control.recent", () => [] as Item[]);
}

const RECENT = 10;

function credentialData(d: Decision): Record<string, string> {
  return { CredentialToken: d.credential ?? "", CredentialHolderName: d.holder ?? "" };
}

/**
 * The events of a decision (access-control-service.md "Send access request", "Disable a
 * credential", "Enable duress access"; event-logger-service.md topics): AccessGranted/Credential
 * or /Anonymous, Duress, Denied/CredentialNotFound/Card or /PIN (with the card presented, never
 * the PIN), Denied/Authentication/InvalidPIN, Denied/Anonymous, else Denied/Credential with Reason.
 */
function publishDecision(state: DeviceState, d: Decision): void {
  const source = { AccessPointToken: d.accessPoint ?? "" };
  const publish = (topic: string, data: Record<string, unknown>): void => state.publish({ topic: `tns1:AccessControl/${topic}`, source, data });
  if (d.granted) {
    if (d.anonymous === true) publish("AccessGranted/Anonymous", {});
    else publish("AccessGranted/Credential", credentialData(d));
    if (d.duress === true) publish("Duress", { ...credentialData(d), Reason: "DuressPIN" });
  } else if (d.anonymous === true) publish("Denied/Anonymous", { Reason: d.reason });
  else if (d.notFound !== undefined) {
    if (d.notFound.Name === "PIN") publish("Denied/CredentialNotFound/PIN", {});
    // The presented value as Card, whatever IdData carried it (a license plate, biometric data).
    else publish("Denied/CredentialNotFound/Card", { Card: d.notFound.Value });
  } else if (d.invalidPin === true) publish("Denied/Authentication/InvalidPIN", { ...credentialData(d), Reason: "InvalidPIN" });
  else publish("Denied/Credential", { ...credentialData(d), Reason: d.reason });
}

function takenEvent(state: DeviceState, taken: boolean, w: Watch): void {
  const kind = w.credential === undefined ? "Anonymous" : "Credential";
  state.publish({
    topic: `tns1:AccessControl/${taken ? "AccessTaken" : "AccessNotTaken"}/${kind}`,
    source: { AccessPointToken: w.accessPoint },
    data: w.credential === undefined ? {} : { CredentialToken: w.credential, CredentialHolderName: w.holder },
  });
}

/** Accesses the door of a grant; a door that refuses (locked down, blocked) is not accessed and the access is not taken. */
function accessTheDoor(state: DeviceState, d: Decision): boolean {
  if (d.door === undefined || d.doorOptions === undefined || state.quirks.has("decision-door-not-accessed") || !doorExists(state, d.door)) return false;
  const w: Watch = { accessPoint: d.accessPoint ?? "", ...(d.anonymous === true ? {} : { credential: d.credential ?? "" }), holder: d.holder ?? "" };
  try {
    accessDoor(state, d.door, d.doorOptions);
  } catch (err) {
    if (!(err instanceof OperationFault)) throw err;
    takenEvent(state, false, w);
    return false;
  }
  watches(state).set(d.door, w);
  return true;
}

/** Carries a decision out; the returned decision names the door only when it was accessed. */
export function carryOut(state: DeviceState, d: Decision): Decision {
  const list = recent(state);
  list.unshift({ At: new Date(state.now()).toISOString(), AccessPoint: d.accessPoint ?? "", Credential: d.credential ?? "", Granted: d.granted, Reason: d.reason });
  list.length = Math.min(list.length, RECENT);
  if (d.accessPoint === undefined) return d;
  publishDecision(state, d);
  if (d.antipassback?.violation === true && d.credential !== undefined && d.credential !== "") recordViolation(state, d.antipassback.rule, d.credential, d.holder ?? "");
  if (!d.granted) return d;
  if (accessTheDoor(state, d)) return d;
  const { door: _notAccessed, ...rest } = d;
  return rest;
}

/** The door events say whether a granted access was taken: DoorPhysicalState Open, or DoorMode leaving Accessed first. */
function onDoorEvent(state: DeviceState, e: DeviceEvent): void {
  if (e.topic === "tns1:Configuration/Door/Removed") watches(state).delete(e.source["DoorToken"] ?? "");
  if (!e.topic.startsWith("tns1:Door/State/")) return;
  const door = e.source["DoorToken"];
  const w = door === undefined ? undefined : watches(state).get(door);
  if (w === undefined || door === undefined) return;
  const value = e.data["State"];
  if (e.topic === "tns1:Door/State/DoorPhysicalState" && value === "Open") {
    watches(state).delete(door);
    takenEvent(state, true, w);
    const ap = state.store("AccessPoint").read(w.accessPoint, "full");
    if (ap !== undefined && w.credential !== undefined && w.credential !== "") recordPassage(state, ap, w.credential, state.now());
  } else if (e.topic === "tns1:Door/State/DoorMode" && value !== undefined && value !== "Accessed") {
    watches(state).delete(door);
    takenEvent(state, false, w);
  }
}

/** AccessControl's part of the device's wiring: door events, and a view for the back door. */
export function attachOutcomes(state: DeviceState): void {
  state.subscribe((e) => onDoorEvent(state, e));
  state.world.registerView("AccessControl", () => ({ Decisions: recent(state), AwaitingOpen: [...watches(state)].map(([Door, w]) => ({ Door, ...w })) }));
}
