/**
 * The doors in the simulated physical world: what a person or a wire does to a door (stimuli for
 * the back door, world.ts) and the "Doors" view of their state.
 */
import type { DeviceState } from "../state.js";
import { StimulusError, boolArg, stringArg } from "../world.js";
import { closeDoor, describeDoor, doorExists, doorRuntimes, openDoor, runtimeOf, setFault, setTamper } from "./door-state.js";

function doorArg(state: DeviceState, args: Readonly<Record<string, unknown>>): string {
  const token = stringArg(args, "Door");
  if (!doorExists(state, token)) throw new StimulusError(`no door "${token}"; known doors: ${state.store("Door").tokens().slice(0, 10).join(", ") || "none"} (axtdc:GetDoorList lists them)`);
  return token;
}

function summary(state: DeviceState, token: string): Record<string, unknown> {
  return describeDoor(runtimeOf(state, token));
}

export function attachDoorWorld(state: DeviceState): void {
  const world = state.world;
  // Opening and forcing are the same physical act; the door's mode decides whether it is a passage or an alarm.
  for (const [name, doc] of [
    ["OpenDoor", "A person opens the door and keeps it open: a passage when it is Accessed or Unlocked, forced open when it is locked."],
    ["ForceDoor", "The door is broken open without access (DoorForcedOpen unless it is Accessed or Unlocked, which mask the alarm)."],
  ] as const) {
    world.register({
      name,
      doc,
      args: { Door: "token of a Door" },
      apply(args, s) {
        const door = doorArg(s, args);
        openDoor(s, door);
        return summary(s, door);
      },
    });
  }
  world.register({
    name: "CloseDoor",
    doc: "The door closes: alarms clear, and an access whose door was opened ends (the door relocks).",
    args: { Door: "token of a Door" },
    apply(args, s) {
      const door = doorArg(s, args);
      closeDoor(s, door);
      return summary(s, door);
    },
  });
  world.register({
    name: "TamperDoor",
    doc: "Someone tampers with the door's monitor wiring (Active false: the tampering ends).",
    args: { Door: "token of a Door", Active: "true, or false when it ends; default true (optional)" },
    apply(args, s) {
      const door = doorArg(s, args);
      setTamper(s, door, boolArg(args, "Active", true));
      return summary(s, door);
    },
  });
  world.register({
    name: "FaultDoor",
    doc: "The door's lock or monitor develops a hardware fault (Active false: the fault is repaired).",
    args: { Door: "token of a Door", Active: "true, or false when it ends; default true (optional)" },
    apply(args, s) {
      const door = doorArg(s, args);
      setFault(s, door, boolArg(args, "Active", true));
      return summary(s, door);
    },
  });
  world.registerView("Doors", (s) => [...doorRuntimes(s).values()].sort((a, b) => (a.token < b.token ? -1 : 1)).map(describeDoor));
}
