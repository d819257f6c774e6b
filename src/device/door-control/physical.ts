/**
 * The doors in the simulated physical world: what a person or a wire does to a door (stimuli for
 * the back door, world.ts) and the "Doors" view of their state.
 */
import type { DeviceState } from "../state.js";
import { StimulusError, boolArg, stringArg, type StimulusKind } from "../world.js";
import { DOOR_STATUS_STIMULUS } from "./device-status.js";
import { closeDoor, describeDoor, doorExists, doorRuntimes, openDoor, runtimeOf, setFault, setTamper } from "./door-state.js";

function doorArg(state: DeviceState, args: Readonly<Record<string, unknown>>): string {
  const token = stringArg(args, "Door");
  if (!doorExists(state, token)) throw new StimulusError(`no door "${token}"; known doors: ${state.store("Door").tokens().slice(0, 10).join(", ") || "none"} (axtdc:GetDoorList lists them)`);
  return token;
}

const DOOR = { Door: "token of a Door" };
const DOOR_ACTIVE = { ...DOOR, Active: "true, or false when it ends; default true (optional)" };

/** A stimulus acting on the door its "Door" argument names; it answers the door's state afterwards. */
function doorStimulus(name: string, doc: string, argDocs: StimulusKind["args"], act: (state: DeviceState, door: string, args: Readonly<Record<string, unknown>>) => void): StimulusKind {
  return {
    name,
    doc,
    args: argDocs,
    apply(args, state) {
      const door = doorArg(state, args);
      act(state, door, args);
      return describeDoor(runtimeOf(state, door));
    },
  };
}

const STIMULI: readonly StimulusKind[] = [
  // Opening and forcing are the same physical act; the door's mode decides whether it is a passage or an alarm.
  doorStimulus("OpenDoor", "A person opens the door and keeps it open: a passage when it is Accessed or Unlocked, forced open when it is locked.", DOOR, openDoor),
  doorStimulus("ForceDoor", "The door is broken open without access (DoorForcedOpen unless it is Accessed or Unlocked, which mask the alarm).", DOOR, openDoor),
  doorStimulus("CloseDoor", "The door closes: alarms clear, and an access whose door was opened ends (the door relocks).", DOOR, closeDoor),
  doorStimulus("TamperDoor", "Someone tampers with the door's monitor wiring (Active false: the tampering ends).", DOOR_ACTIVE, (s, door, args) => setTamper(s, door, boolArg(args, "Active", true))),
  doorStimulus("FaultDoor", "The door's lock or monitor develops a hardware fault (Active false: the fault is repaired).", DOOR_ACTIVE, (s, door, args) => setFault(s, door, boolArg(args, "Active", true))),
  DOOR_STATUS_STIMULUS,
];

export function attachDoorWorld(state: DeviceState): void {
  for (const kind of STIMULI) state.world.register(kind);
  state.world.registerView("Doors", (s) => [...doorRuntimes(s).values()].sort((a, b) => (a.token < b.token ? -1 : 1)).map(describeDoor));
}
