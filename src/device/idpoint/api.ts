/**
 * CONTRACT used by other services (AccessControl's factory-default access points): which of the
 * factory-default IdPoints belong to a door. The IdPoint service implements it from its defaults.
 */
import type { DeviceState } from "../state.js";
import { defaultsByDoor } from "./defaults.js";

export interface DoorIdPoints {
  /** Card/PIN readers at the door (entry first, then exit). */
  readonly readers: readonly string[];
  /** REX inputs of the door. */
  readonly rex: readonly string[];
}

/** The factory-default IdPoints of `door` that still exist; none for a door that is not a factory default. */
export function defaultIdPointsOf(state: DeviceState, door: string): DoorIdPoints {
  const defaults = defaultsByDoor(state).get(door);
  if (defaults === undefined) return { readers: [], rex: [] };
  const store = state.store("IdPoint");
  return { readers: defaults.readers.filter((t) => store.has(t)), rex: defaults.rex.filter((t) => store.has(t)) };
}
