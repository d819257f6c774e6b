/**
 * A person (or a remote device) presenting identification at an IdPoint: the Activity and
 * Request events, the last credential, a PIN completing a card within the IdPoint's Timeout, the
 * access decision (AccessControl's presentAtIdPoint contract) and the reader's feedback.
 */
import { presentAtIdPoint, type PresentationResult } from "../access-control/decision.js";
import { parseDuration } from "../duration.js";
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import type { IdData } from "./card-format.js";
import { TOPIC, runtimeOf, type PresentationKind } from "./runtime.js";

export interface PresentationInput {
  readonly kind: PresentationKind;
  /** What the IdPoint sends in its Request event and records as the last credential (Card: decoded fields, Card, BitCount). */
  readonly recorded: readonly IdData[];
  /** What is handed to the access decision. */
  readonly decide: readonly IdData[];
  /** IndicateRemoteActivities rather than the physical reader. */
  readonly remote?: boolean;
  /** IndicateRemoteActivities Description, added to the events. */
  readonly description?: string;
}

/** How long the reader shows AccessGranted/AccessDenied before returning to its commanded profile. */
const FEEDBACK_MS = 3000;
/** Card/PIN pairing window when the IdPoint has no Timeout (the guides always set PT10S). */
const DEFAULT_TIMEOUT_MS = 10_000;

const REASON: Record<PresentationKind, string> = { Card: "CardPresented", PIN: "CodeEntered", REX: "REX", IdData: "CardPresented" };
const REQUEST_TOPIC: Record<PresentationKind, string> = { Card: TOPIC.requestIdData, PIN: TOPIC.requestPin, REX: TOPIC.requestRex, IdData: TOPIC.requestIdData };

function timeoutOf(idPoint: Readonly<Item>): number {
  const ms = parseDuration(String(idPoint["Timeout"] ?? ""));
  return ms === undefined || ms <= 0 ? DEFAULT_TIMEOUT_MS : ms;
}

function showFeedback(state: DeviceState, token: string, profile: string): void {
  const r = runtimeOf(state, token);
  state.clock.cancel(r.transientTimer);
  r.transient = profile;
  r.transientTimer = state.clock.at(state.now() + FEEDBACK_MS, `IdPoint ${token} feedback ends`, () => {
    delete r.transient;
    delete r.transientTimer;
  });
}

/**
 * Applies one presentation at an existing IdPoint and returns the access decision. Per
 * idpoint-service.md: an Activity event (Reason CardPresented, CodeEntered or REX), then the
 * Request event carrying the id data; credentials (not REX) become the last credential.
 */
export function present(state: DeviceState, token: string, input: PresentationInput): PresentationResult {
  const idPoint = state.store("IdPoint").read(token, "full") ?? {};
  const r = runtimeOf(state, token);
  const now = state.now();
  const extra = input.description !== undefined ? { Description: input.description } : {};
  state.publish({ topic: TOPIC.activity, source: { IdPointToken: token }, data: { Reason: REASON[input.kind], ...extra } });
  state.publish({ topic: REQUEST_TOPIC[input.kind], source: { IdPointToken: token }, data: { ...Object.fromEntries(input.recorded.map((d) => [d.Name, d.Value])), ...extra } });
  if (input.kind !== "REX") r.lastCredential = input.recorded.map((d) => ({ ...d }));

  let decide = input.decide;
  // peripherals.md "Remote readers": Card then PIN (separate requests) is granted; PIN then Card may not be.
  if (input.kind === "PIN" && r.pendingCard !== undefined) decide = [...r.pendingCard.idData, ...decide];
  state.clock.cancel(r.pendingCard?.timer);
  delete r.pendingCard;
  if (input.kind === "Card") {
    // Nothing followed the card within the Timeout: the IdPoint's Timeout event.
    const timer = state.clock.at(now + timeoutOf(idPoint), `IdPoint ${token} timeout`, () => {
      delete r.pendingCard;
      state.publish({ topic: TOPIC.timeout, source: { IdPointToken: token }, data: {} });
    });
    r.pendingCard = { idData: [...input.decide], timer };
  }

  const result = presentAtIdPoint(state, { idPoint: token, idData: decide });
  // A decision still waiting for a second factor asks for it (IdPointFeedback RequirePIN/RequireCard).
  const pending = result.pending;
  showFeedback(state, token, result.granted ? "AccessGranted" : pending === "PIN" ? "RequirePIN" : pending === "Card" ? "RequireCard" : "AccessDenied");
  r.lastPresentation = { kind: input.kind, at: new Date(now).toISOString(), remote: input.remote === true, granted: result.granted, reason: result.reason };
  return result;
}

/**
 * A keypad entry: the EndOfPIN character ends it; a PIN outside MinPINSize..MaxPINSize is not
 * sent (the IdPoint's Timeout event instead). Returns the PIN to send, or why none is sent.
 */
export function pinOf(state: DeviceState, token: string, typed: string): { pin: string } | { rejected: string } {
  const idPoint = state.store("IdPoint").read(token, "full") ?? {};
  const end = String(idPoint["EndOfPIN"] ?? "");
  const pin = end !== "" && typed.endsWith(end) ? typed.slice(0, -end.length) : typed;
  const min = idPoint["MinPINSize"] as number | undefined;
  const max = idPoint["MaxPINSize"] as number | undefined;
  const problem = pin === "" ? "no digits were entered" : min !== undefined && pin.length < min ? `${pin.length} characters; MinPINSize is ${min}` : max !== undefined && pin.length > max ? `${pin.length} characters; MaxPINSize is ${max}` : undefined;
  if (problem === undefined) return { pin };
  state.publish({ topic: TOPIC.timeout, source: { IdPointToken: token }, data: {} });
  return { rejected: `the PIN was not sent: ${problem}` };
}
