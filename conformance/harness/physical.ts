/**
 * Acting on the physical world from the suite. Against the reference device with its back door
 * (`pacs-conformance device --backdoor`, and the device `run` embeds), stimuli and the virtual
 * clock go through /backdoor; against a real device, an operator can be asked (--interactive);
 * otherwise checks that need a stimulus are skipped with the reason.
 */
import type { DeviceConnection, PhysicalAccess, Stimulus } from "./types.js";
import { CheckSkippedError } from "./verdict.js";

export const BACKDOOR_PATH = "/backdoor";

/** Checks keep real-time waits at or below this (AccessTime and friends on doors they own). */
const MAX_REAL_WAIT_MS = 60_000;

/** Waits `ms` of real time; rejects with the signal's reason when it is (or already was) aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

async function realWait(ms: number): Promise<void> {
  if (ms > MAX_REAL_WAIT_MS) throw new CheckSkippedError(`needs ${Math.round(ms / 1000)} s of device time to pass, and the device clock cannot be advanced (no virtual clock behind a back door)`);
  await sleep(ms);
}

/** How an operator would say a stimulus: "open door D", "present card 1234 at IdPoint R". */
export function describeStimulus(s: Stimulus): string {
  const arg = (k: string): string => String(s[k] ?? "?");
  switch (s.Stimulus) {
    case "OpenDoor":
      return `open door "${arg("Door")}" (and keep it open)`;
    case "CloseDoor":
      return `close door "${arg("Door")}"`;
    case "ForceDoor":
      return `force door "${arg("Door")}" open without access`;
    case "PressRex":
      return `press the REX button of IdPoint "${arg("IdPoint")}"`;
    case "PresentCard":
      return `present card ${arg("Card")} at IdPoint "${arg("IdPoint")}"`;
    case "PresentPin":
      return `enter PIN ${arg("Pin")} at IdPoint "${arg("IdPoint")}"`;
    case "TamperDoor":
      return s["Active"] === false ? `end the tampering with door "${arg("Door")}"'s monitor` : `tamper with the monitor wiring of door "${arg("Door")}"`;
    case "FaultDoor":
      return s["Active"] === false ? `repair the lock or monitor of door "${arg("Door")}"` : `make the lock or monitor of door "${arg("Door")}" fail (e.g. cut a sensor wire)`;
    case "TamperIdPoint":
      return s["Active"] === false ? `end the tampering with the reader of IdPoint "${arg("IdPoint")}"` : `tamper with the reader of IdPoint "${arg("IdPoint")}"`;
    case "OpenCasing":
      return s["Active"] === false ? "close the door controller's casing" : "open the door controller's casing";
    case "SetInputPort":
      return `${s["Active"] === false ? "release" : "activate"} input ${arg("Port")} of the door controller`;
    default: {
      const { Stimulus: name, ...rest } = s;
      return `${name} ${JSON.stringify(rest)}`;
    }
  }
}

/** Why a check that needs `what` (a stimulus) is skipped when the run has no physical access, and how to enable it. */
export function noPhysicalAccess(what: string): string {
  return `needs physical stimulus (${what}); the device has no back door: use the reference device (pacs-conformance device --backdoor) or add --interactive to be asked`;
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function post(conn: DeviceConnection, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await conn.sendRaw({ path, contentType: "application/json", body: JSON.stringify(body), operation: `backdoor ${path}` });
  const json = parseJson(res.body);
  if (res.status !== 200) throw new Error(`back door ${path} answered HTTP ${res.status}: ${String(json["Error"] ?? res.body.slice(0, 200))}`);
  return json;
}

/**
 * Finds out how this run can act on the world: GET /backdoor on the device, else the operator
 * (if any), else nothing.
 */
export async function discoverPhysical(conn: DeviceConnection, operator?: (instruction: string) => Promise<boolean>): Promise<PhysicalAccess> {
  let backdoor: Record<string, unknown> | undefined;
  if (conn.getRaw !== undefined) {
    try {
      const res = await conn.getRaw(BACKDOOR_PATH);
      if (res.status === 200) backdoor = parseJson(res.body);
    } catch {
      backdoor = undefined;
    }
  }
  const kind = (backdoor?.["Clock"] as { Kind?: unknown } | undefined)?.Kind;
  if (backdoor !== undefined && (kind === "virtual" || kind === "system")) {
    return {
      via: "backdoor",
      clock: kind,
      async stimulate(stimulus) {
        const r = await post(conn, `${BACKDOOR_PATH}/stimulus`, stimulus);
        return (r["Result"] as Record<string, unknown> | undefined) ?? {};
      },
      async elapse(ms) {
        if (ms <= 0) return;
        if (kind === "virtual") await post(conn, `${BACKDOOR_PATH}/clock`, { AdvanceMs: ms });
        else await realWait(ms);
      },
    };
  }
  if (operator !== undefined) {
    return {
      via: "operator",
      clock: "unknown",
      async stimulate(stimulus) {
        const instruction = describeStimulus(stimulus);
        if (!(await operator(instruction))) throw new CheckSkippedError(`the operator did not confirm: ${instruction}`);
        return {};
      },
      elapse: realWait,
    };
  }
  return {
    via: "none",
    clock: "unknown",
    stimulate(stimulus) {
      return Promise.reject(new CheckSkippedError(noPhysicalAccess(describeStimulus(stimulus))));
    },
    elapse: realWait,
  };
}
