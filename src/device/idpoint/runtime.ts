/**
 * Per-IdPoint runtime state that is not configuration: the feedback profile shown, the last
 * credential entered, a card waiting for its PIN, tampering. Also the event topics of the service
 * (idpoint-service.md and event-logger-service.md "Notification topics").
 */
import type { Timer } from "../clock.js";
import type { DeviceState } from "../state.js";
import type { IdData } from "./card-format.js";

export const TOPIC = {
  idPoint: "tns1:Configuration/tnsaxis:IdPoint",
  /** No topic is documented for configurations; named like the documented IdPoint one (as AccessControl does for its configurations). */
  configuration: "tns1:Configuration/tnsaxis:IdPointConfiguration",
  idDataConfiguration: "tns1:Configuration/tnsaxis:IdDataConfiguration",
  activity: "tns1:IdPoint/tnsaxis:Activity",
  requestIdData: "tns1:IdPoint/tnsaxis:Request/tnsaxis:IdData",
  requestPin: "tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN",
  requestRex: "tns1:IdPoint/tnsaxis:Request/tnsaxis:REX",
  timeout: "tns1:IdPoint/tnsaxis:Timeout",
  tampering: "tns1:IdPoint/tnsaxis:Tampering",
  whitelistOngoing: "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Ongoing",
  whitelistError: "tns1:IdPoint/tnsaxis:Status/tnsaxis:WhitelistSync/tnsaxis:Error",
  preAuthorization: "tns1:IdPoint/tnsaxis:PreAuthorization/tnsaxis:IdData",
} as const;

export type PresentationKind = "Card" | "PIN" | "REX" | "IdData";

export interface LastPresentation {
  readonly kind: PresentationKind;
  readonly at: string;
  readonly remote: boolean;
  readonly granted: boolean;
  readonly reason: string;
}

export interface IdPointRuntime {
  /** The profile set with FeedbackMessage (what the reader shows when nothing else happens). */
  commanded: string;
  /** A short-lived profile after a presentation (AccessGranted/AccessDenied), until `transientTimer` fires. */
  transient?: string;
  transientTimer?: Timer;
  lastCredential?: IdData[];
  /** A card presented within the IdPoint's Timeout: a PIN entered now is decided together with it. */
  pendingCard?: { readonly idData: IdData[]; readonly timer: Timer };
  lastPresentation?: LastPresentation;
  tampered: boolean;
}

type Runtimes = Map<string, IdPointRuntime>;

function all(state: DeviceState): Runtimes {
  return state.runtime<Runtimes>("idpoint", () => new Map());
}

export function runtimeOf(state: DeviceState, token: string): IdPointRuntime {
  const map = all(state);
  let r = map.get(token);
  if (r === undefined) {
    r = { commanded: "Idle", tampered: false };
    map.set(token, r);
  }
  return r;
}

export function peekRuntime(state: DeviceState, token: string): IdPointRuntime | undefined {
  return all(state).get(token);
}

/** Forgets an IdPoint's runtime state (it was removed). */
export function dropRuntime(state: DeviceState, token: string): void {
  const r = all(state).get(token);
  if (r === undefined) return;
  state.clock.cancel(r.transientTimer);
  state.clock.cancel(r.pendingCard?.timer);
  all(state).delete(token);
}

/** The profile the reader shows now. */
export function feedbackOf(r: IdPointRuntime | undefined): string {
  return r?.transient ?? r?.commanded ?? "Idle";
}

/** Runtime state worth preserving across a conformance run (DeviceService.snapshot). */
export function runtimeSnapshot(state: DeviceState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Only what differs from a fresh IdPoint: reading or presenting at an IdPoint creates its entry.
  for (const [token, r] of [...all(state)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (r.commanded !== "Idle" || r.tampered) out[token] = { Feedback: r.commanded, Tampered: r.tampered };
  }
  return out;
}
