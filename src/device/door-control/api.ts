/**
 * CONTRACT used by other services (the access decision at an IdPoint): pass a door as
 * tdc:AccessDoor does, and whether a door exists. The DoorControl service implements it on its
 * door state machine.
 *
 * (Placeholder until the DoorControl service lands.)
 */
import type { DeviceState } from "../state.js";

export interface AccessOptions {
  /** Overrides the door's AccessTime (ms). */
  readonly accessTime?: number;
  /** Overrides the door's OpenTooLongTime (ms). */
  readonly openTooLongTime?: number;
  /** Use the door's extended times (a credential with the ExtendedTimeFlag attribute). */
  readonly extended?: boolean;
  /** Why the door is accessed, for events: "AccessGranted", "API", "REX". */
  readonly reason: string;
}

/** Accesses door `token` (Accessed for AccessTime, then relocks); throws OperationFault when the door refuses. */
export function accessDoor(_state: DeviceState, _token: string, _options: AccessOptions): void {
  // Placeholder: no doors yet.
}

export function doorExists(_state: DeviceState, _token: string): boolean {
  return false;
}
