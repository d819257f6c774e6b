/**
 * The DoorControl service's events (event-logger-service.md "Notification topics"; the
 * MessageDescriptions of the ONVIF DoorControl specification, "Notification Topics"): the door's
 * stateful tns1:Door/State topics, one instance per door, and the Aperio device status topics
 * (device-status.ts). Configuration Changed/Removed of doors are registered with the Door entity.
 */
import type { DeviceState } from "../state.js";
import type { TopicDecl } from "../topics.js";
import { DOOR_STATUS_TOPICS } from "./device-status.js";
import { DOOR_STATE_EVENTS, doorEventData, doorEventValues, doorRuntimes, hardware, type DoorStateEvent } from "./door-state.js";

const DOC: Record<DoorStateEvent, string> = {
  DoorMode: "A door's mode changed (Locked, Unlocked, Accessed, Blocked, LockedDown, LockedOpen, DoubleLocked), for example when it is accessed.",
  DoorPhysicalState: "A door with a door monitor opened or closed.",
  LockPhysicalState: "A door's lock, watched by a lock monitor, locked or unlocked.",
  DoubleLockPhysicalState: "A door's double (secure) lock, watched by its monitor, locked or unlocked.",
  DoorAlarm: "A door's alarm state changed: forced open, open longer than OpenTooLongTime, or back to normal.",
  DoorWarning: "A door is about to be open too long (PreAlarmTime before OpenTooLongTime expires), or the warning ended.",
  DoorTamper: "Tampering with a door's monitor wiring was detected or ended.",
  DoorFault: "A door's lock or monitor hardware reported a fault, or the fault was cleared (Reason while in fault).",
};

/** XSD type of each topic's State item; the ONVIF text gives DoorAlarm tdc:DoorTamperState, a slip for tdc:DoorAlarmState. */
const STATE_TYPE: Record<DoorStateEvent, string> = {
  DoorMode: "tdc:DoorMode",
  DoorPhysicalState: "tdc:DoorPhysicalState",
  LockPhysicalState: "tdc:LockPhysicalState",
  DoubleLockPhysicalState: "tdc:LockPhysicalState",
  DoorAlarm: "tdc:DoorAlarmState",
  DoorWarning: "tdc:DoorWarningState",
  DoorTamper: "tdc:DoorTamperState",
  DoorFault: "tdc:DoorFaultState",
};

function stateTopic(name: DoorStateEvent): TopicDecl {
  return {
    topic: `tns1:Door/State/${name}`,
    doc: DOC[name],
    property: true,
    source: [{ name: "DoorToken", type: "pt:ReferenceToken" }],
    data: [{ name: "State", type: STATE_TYPE[name] }, ...(name === "DoorFault" ? [{ name: "Reason", type: "xs:string" }] : [])],
    current: (state: DeviceState) =>
      [...doorRuntimes(state).values()]
        .filter((rt) => state.store("Door").has(rt.token))
        .sort((a, b) => (a.token < b.token ? -1 : 1))
        .flatMap((rt) => {
          const value = doorEventValues(rt, hardware(state, rt.token)).find(([n]) => n === name)?.[1];
          return value === undefined ? [] : [{ source: { DoorToken: rt.token }, data: doorEventData(name, value) }];
        }),
  };
}

export const DOOR_CONTROL_TOPICS: readonly TopicDecl[] = [...DOOR_STATE_EVENTS.map(stateTopic), ...DOOR_STATUS_TOPICS];
