/** Quirks of DoorControl's own rules (the generic ones, e.g. not-found-succeeds, are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const DOOR_CONTROL_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "door-mode-unchanged",
    rule: "door commands change DoorMode as documented (LockDoor → Locked, UnlockDoor → Unlocked, AccessDoor → Accessed, …)",
    behaviour: "AccessDoor, AccessDoorWithoutUnlock, LockDoor, UnlockDoor, BlockDoor, DoubleLockDoor, LockDownDoor, LockOpenDoor and the two releases answer OK but leave the door as it was",
  },
  {
    name: "door-no-relock",
    rule: "an Accessed door returns to its previous mode when AccessTime ends without the door opening, or when the opened door closes",
    behaviour: "the door stays Accessed until another command",
  },
  {
    name: "door-access-overrides-ignored",
    rule: "AccessDoor's AccessTime, OpenTooLongTime, PreAlarmTime and UseExtendedTime override the door's configured times",
    behaviour: "AccessDoor always uses the door's AccessTime and OpenTooLongTime",
  },
  {
    name: "door-locked-down-accepts-commands",
    rule: "while a door is LockedDown (LockedOpen), every other door command is refused with env:Receiver/ter:Action/ter:Failure and changes nothing",
    behaviour: "the commands answer OK and change the door's mode",
  },
  {
    name: "door-release-in-any-mode",
    rule: "LockDownReleaseDoor (LockOpenReleaseDoor) succeeds only when the door is LockedDown (LockedOpen)",
    behaviour: "they answer OK in any mode",
  },
  {
    name: "door-unsupported-command-accepted",
    rule: "a command the door's capabilities do not include gives env:Receiver/ter:Action/ter:Failure",
    behaviour: "DoubleLockDoor on a door without a double lock answers OK (and locks the door)",
  },
  {
    name: "door-capabilities-static",
    rule: "DoorInfo.Capabilities follow the door's configuration (DoubleLock only with a secondary lock, monitors only when configured)",
    behaviour: "every door reports every capability, whatever its configuration",
  },
  {
    name: "door-configuration-not-stored",
    rule: "SetDoorConfiguration stores the Configuration settings sent; every get returns them (with the defaults of the others)",
    behaviour: "the settings sent are dropped: every get shows the defaults only",
  },
  {
    name: "door-state-omits-monitored",
    rule: "GetDoorState reports every field the door's capabilities promise (DoorPhysicalState, LockPhysicalState, Alarm, Tamper, Fault)",
    behaviour: "DoorState holds DoorMode only",
  },
  {
    name: "door-no-forced-open-alarm",
    rule: "a door opened without access while locked raises the DoorForcedOpen alarm",
    behaviour: "Alarm stays Normal",
  },
  {
    name: "door-alarm-on-passage",
    rule: "a door opened while Accessed or Unlocked is a normal passage: no alarm",
    behaviour: "every opening raises DoorForcedOpen",
  },
  {
    name: "door-no-open-too-long-alarm",
    rule: "a door held open past OpenTooLongTime raises DoorOpenTooLong, with a DoorWarning PreAlarmTime before",
    behaviour: "neither the warning nor the alarm comes",
  },
  {
    name: "door-priority-ignored",
    rule: "a command acts at its PriorityLevel, the highest level with an action controls the door, and ReleaseDoor hands the door to the next level",
    behaviour: "every command and ReleaseDoor act at the door's default priority level",
  },
  {
    name: "door-schedule-ignored",
    rule: "a door's DoorScheduleConfiguration enters the EnterAction of the first active ScheduledState when set and at every schedule boundary",
    behaviour: "door schedules never act",
  },
];
