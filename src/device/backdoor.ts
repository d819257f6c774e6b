/**
 * The test back door (`--backdoor`): lets a caller act on the simulated physical world and the
 * virtual clock over HTTP, behind the same Digest/Basic auth as the services. Off by default.
 *
 *   GET  /backdoor            the clock, every stimulus the world accepts, and the world's state
 *   POST /backdoor/clock      {"Advance": "PT10S"} | {"AdvanceMs": 10000} | {"Set": "2026-03-29T01:00:00Z"}
 *   POST /backdoor/stimulus   {"Stimulus": "OpenDoor", "Door": "<door token>"} (see GET /backdoor)
 *
 * Answers are JSON; a bad request gets 400 {"Error": "…"} and changes nothing; the device never
 * crashes on one.
 */
import { ClockError, VirtualClock } from "./clock.js";
import { parseDuration } from "./duration.js";
import type { DeviceState } from "./state.js";
import { StimulusError } from "./world.js";

export const BACKDOOR_PATH = "/backdoor";

export interface BackdoorResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function clockState(state: DeviceState): Record<string, unknown> {
  const clock = state.clock;
  return {
    Kind: clock.kind,
    Now: new Date(clock.now()).toISOString(),
    Pending: clock.pending().map((t) => ({ At: new Date(t.at).toISOString(), Label: t.label })),
  };
}

function error(status: number, message: string): BackdoorResponse {
  return { status, body: { Error: message } };
}

/** A request body the back door cannot read (400). */
class BadRequest extends Error {}

function parseBody(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body === "" ? "{}" : body);
  } catch (err) {
    throw new BadRequest(`the body is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new BadRequest("the body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function moveClock(state: DeviceState, request: Record<string, unknown>): BackdoorResponse {
  const clock = state.clock;
  if (!(clock instanceof VirtualClock)) {
    return error(409, "the device clock follows real time (--clock system); start the device with --clock virtual to move it");
  }
  const keys = Object.keys(request);
  if (keys.length !== 1 || !["Advance", "AdvanceMs", "Set"].includes(keys[0]!)) {
    return error(400, 'give exactly one of {"Advance": "PT10S"}, {"AdvanceMs": 10000} or {"Set": "2026-03-29T01:00:00Z"}');
  }
  const v = request[keys[0]!];
  if (keys[0] === "Advance") {
    const ms = typeof v === "string" ? parseDuration(v) : undefined;
    if (ms === undefined || ms < 0) return error(400, `Advance must be a non-negative xs:duration such as "PT10S" or "PT1H30M", got ${JSON.stringify(v)}`);
    clock.advance(ms);
  } else if (keys[0] === "AdvanceMs") {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return error(400, `AdvanceMs must be a non-negative number of milliseconds, got ${JSON.stringify(v)}`);
    clock.advance(v);
  } else {
    const t = typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) return error(400, `Set must be an ISO 8601 time such as "2026-03-29T01:00:00Z", got ${JSON.stringify(v)}`);
    clock.set(t);
  }
  return { status: 200, body: { Clock: clockState(state) } };
}

/** Handles one back-door request (`path` starts with BACKDOOR_PATH). */
export function handleBackdoor(state: DeviceState, method: string, path: string, body: string): BackdoorResponse {
  try {
    if (path === BACKDOOR_PATH || path === `${BACKDOOR_PATH}/`) {
      if (method !== "GET") return error(405, `use GET ${BACKDOOR_PATH}`);
      return {
        status: 200,
        body: {
          Clock: clockState(state),
          Stimuli: state.world.stimuli().map((k) => ({ Stimulus: k.name, Doc: k.doc, Args: k.args })),
          World: state.world.describe(state),
        },
      };
    }
    if (path === `${BACKDOOR_PATH}/clock`) {
      if (method === "GET") return { status: 200, body: { Clock: clockState(state) } };
      if (method !== "POST") return error(405, `use GET or POST ${BACKDOOR_PATH}/clock`);
      return moveClock(state, parseBody(body));
    }
    if (path === `${BACKDOOR_PATH}/stimulus`) {
      if (method !== "POST") return error(405, `use POST ${BACKDOOR_PATH}/stimulus`);
      const result = state.world.apply(parseBody(body), state);
      return { status: 200, body: { Result: result, Clock: clockState(state) } };
    }
    return error(404, `no back-door resource ${path}; see GET ${BACKDOOR_PATH} (clock: ${BACKDOOR_PATH}/clock, stimuli: ${BACKDOOR_PATH}/stimulus)`);
  } catch (err) {
    if (err instanceof BadRequest || err instanceof StimulusError || err instanceof ClockError) return error(400, err.message);
    return error(500, `the stimulus failed inside the device: ${err instanceof Error ? err.message : String(err)}`);
  }
}

