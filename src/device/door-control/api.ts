/**
 * CONTRACT used by other services (the access decision at an IdPoint): pass a door as
 * tdc:AccessDoor does, and whether a door exists. Implemented on the door state machine.
 */
import type { DeviceState } from "../state.js";
import { accessDoorNow } from "./door-state.js";

export { doorExists } from "./door-state.js";

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

/**
 * Accesses door `token` (Accessed for AccessTime, then relocks; when opened, relocks on closing);
 * throws OperationFault (env:Receiver/ter:Action/ter:Failure) when the door refuses: Blocked,
 * LockedDown, LockedOpen, or held by a higher priority level.
 */
export function accessDoor(state: DeviceState, token: string, options: AccessOptions): void {
  accessDoorNow(state, token, {
    withoutUnlock: false,
    ...(options.extended === undefined ? {} : { extended: options.extended }),
    ...(options.accessTime === undefined ? {} : { accessMs: options.accessTime }),
    ...(options.openTooLongTime === undefined ? {} : { openTooLongMs: options.openTooLongTime }),
  });
}
