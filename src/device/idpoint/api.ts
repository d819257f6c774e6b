/**
 * CONTRACT used by other services (AccessControl's factory-default access points): which of the
 * factory-default IdPoints belong to a door. The IdPoint service implements it from its defaults.
 *
 * (Placeholder until the IdPoint service lands: no IdPoints yet.)
 */
import type { DeviceState } from "../state.js";

export interface DoorIdPoints {
  /** Card/PIN readers at the door (entry first, then exit). */
  readonly readers: readonly string[];
  /** REX inputs of the door. */
  readonly rex: readonly string[];
}

export function defaultIdPointsOf(_state: DeviceState, _door: string): DoorIdPoints {
  return { readers: [], rex: [] };
}
