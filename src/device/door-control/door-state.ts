/**
 * The door state machine (guide "Door states", "Unlock the door", "Manage doors with priority
 * levels"; API "DoorMode data structure" and the command sections). Per door: the action at each
 * priority level (the highest level with an action controls the door, all released = Locked), a
 * momentary access on top of it, the physical door and locks, alarm, warning, tamper and fault.
 * Every change reaches the outside through `settle`, which publishes each documented stateful
 * event (tns1:Door/State/...) when its value changes. All timing runs on state.clock.
 */
import type { Timer } from "../clock.js";
import { parseDuration } from "../duration.js";
import type { Item } from "../entity.js";
import { OperationFault } from "../faults.js";
import type { DeviceState } from "../state.js";
import { STANDARD_PRIORITY, STANDARD_PRIORITY_CONFIGURATION } from "./declarations.js";
import { hardwareOf, type Hardware, type NameValue } from "./hardware.js";
import type { DoorAction } from "./shapes.js";

export type DoorMode = "Unknown" | "Locked" | "Unlocked" | "Accessed" | "Blocked" | "LockedDown" | "LockedOpen" | "DoubleLocked";
type LockState = "Locked" | "Unlocked";
type AlarmState = "Normal" | "DoorForcedOpen" | "DoorOpenTooLong";
type WarningState = "Normal" | "DoorOpenTooLongWarn";

/** One priority level of a door, as GetDoorPriorityState reports it. */
export interface Level {
  PriorityLevel: string;
  /** "" (initial), "API" or "Schedule": who set the action. */
  Reason: string;
  DoorAction: DoorAction;
}

interface Access {
  readonly withoutUnlock: boolean;
  readonly openTooLongMs: number;
  readonly preAlarmMs: number;
  /** The door opened during this access: it relocks when it closes, not at AccessTime. */
  opened: boolean;
  timer: Timer | undefined;
}

export interface DoorRuntime {
  readonly token: string;
  levels: Level[];
  /**
   * The PriorityConfiguration item the levels were built from. A store replaces an item on every
   * change and never mutates it, so a different object is a changed (or another) configuration.
   */
  priority: Readonly<Item> | undefined;
  access: Access | undefined;
  mode: DoorMode;
  lock: LockState;
  doubleLock: LockState;
  open: boolean;
  alarm: AlarmState;
  warning: WarningState;
  tamper: boolean;
  fault: boolean;
  openTimers: Timer[];
  /** Door schedule bookkeeping (schedules.ts): which ScheduledState each DoorSchedule last entered. */
  schedule: { key: string; entered: (number | undefined)[]; timer: Timer | undefined };
  /** Last value published per event topic, so an event goes out only on a change. */
  readonly published: Map<string, string>;
}

/** Door commands that write an action at a priority level. */
export type LevelCommand = "Lock" | "Unlock" | "Block" | "DoubleLock" | "LockDown" | "LockOpen";

export interface AccessRequest {
  /** AccessDoorWithoutUnlock: Accessed, but the lock stays locked. */
  readonly withoutUnlock: boolean;
  /** Use ExtendedAccessTime / ExtendedOpenTooLongTime. */
  readonly extended?: boolean;
  readonly accessMs?: number;
  readonly openTooLongMs?: number;
  readonly preAlarmMs?: number;
}

const MODE_OF: Partial<Record<DoorAction, DoorMode>> = {
  Lock: "Locked",
  Unlock: "Unlocked",
  Block: "Blocked",
  LockDown: "LockedDown",
  LockOpen: "LockedOpen",
  DoubleLock: "DoubleLocked",
};

/** env:Receiver/ter:Action/ter:Failure: every command's documented "cannot be fulfilled" fault. */
function failure(reason: string): OperationFault {
  return new OperationFault({ code: "env:Receiver", subcodes: ["ter:Action", "ter:Failure"], reason });
}

export function doorRuntimes(state: DeviceState): Map<string, DoorRuntime> {
  return state.runtime("door-control/doors", () => new Map<string, DoorRuntime>());
}

export function doorExists(state: DeviceState, token: string): boolean {
  return state.store("Door").has(token);
}

export function hardware(state: DeviceState, token: string): Hardware {
  const config = state.store("DoorConfiguration").read(token, "full");
  return hardwareOf(config?.["Configuration"] as NameValue[] | undefined);
}

function doorItem(state: DeviceState, token: string): Readonly<Item> {
  const door = state.store("Door").read(token, "full");
  if (door === undefined) throw new Error(`device: door "${token}" has a runtime but no Door item`);
  return door;
}

/** The door's PriorityConfiguration: its own (empty = Standard), falling back to Standard when it is gone. */
function priorityConfigurationOf(state: DeviceState, token: string): Readonly<Item> {
  const store = state.store("PriorityConfiguration");
  const wanted = (doorItem(state, token)["PriorityConfiguration"] as string) || STANDARD_PRIORITY;
  return store.read(wanted, "full") ?? store.read(STANDARD_PRIORITY, "full") ?? STANDARD_PRIORITY_CONFIGURATION;
}

function newRuntime(token: string): DoorRuntime {
  return {
    token,
    levels: [],
    priority: undefined,
    access: undefined,
    mode: "Locked",
    lock: "Locked",
    doubleLock: "Unlocked",
    open: false,
    alarm: "Normal",
    warning: "Normal",
    tamper: false,
    fault: false,
    openTimers: [],
    schedule: { key: "", entered: [], timer: undefined },
    published: new Map(),
  };
}

/** The door's runtime, created on first use (reconcile.ts normally creates it when the Door is set). */
export function runtimeOf(state: DeviceState, token: string): DoorRuntime {
  const doors = doorRuntimes(state);
  let rt = doors.get(token);
  if (rt === undefined) {
    rt = newRuntime(token);
    doors.set(token, rt);
    syncPriority(state, rt);
  }
  return rt;
}

/** Stops every timer of a removed door and forgets it. */
export function disposeRuntime(state: DeviceState, rt: DoorRuntime): void {
  state.clock.cancel(rt.access?.timer);
  for (const t of rt.openTimers) state.clock.cancel(t);
  state.clock.cancel(rt.schedule.timer);
  doorRuntimes(state).delete(rt.token);
}

/**
 * Builds the levels from the door's PriorityConfiguration when it (or its content) changed. An
 * edited configuration keeps the current action of levels that still exist; another configuration
 * starts from its initial actions.
 */
export function syncPriority(state: DeviceState, rt: DoorRuntime): void {
  const pc = priorityConfigurationOf(state, rt.token);
  if (pc === rt.priority) return;
  const actions = pc["DoorPriorityAction"] as { PriorityLevel: string; DoorAction: DoorAction }[];
  const keep = pc["token"] === rt.priority?.["token"] ? new Map(rt.levels.map((l) => [l.PriorityLevel, l])) : new Map<string, Level>();
  rt.levels = actions.map((a) => keep.get(a.PriorityLevel) ?? { PriorityLevel: a.PriorityLevel, Reason: "", DoorAction: a.DoorAction });
  rt.priority = pc;
}

/** Actions that hold the door; Release and NoAction leave it to lower levels. */
function acts(level: Level): boolean {
  return MODE_OF[level.DoorAction] !== undefined;
}

/** The mode the priority levels give: the first level with an action; all released = Locked (guide). */
function priorityMode(rt: DoorRuntime, hw: Hardware): DoorMode {
  const ruling = rt.levels.find(acts);
  if (ruling === undefined) return "Locked";
  // DoorMode: "If the door does not have any DoubleLock, this shall be treated as a normal Locked mode."
  if (ruling.DoorAction === "DoubleLock" && !hw.doubleLock) return "Locked";
  return MODE_OF[ruling.DoorAction]!;
}

/** Name of the level a command without PriorityLevel uses: the door's DefaultPriority, else its configuration's, else the lowest. */
function defaultLevel(state: DeviceState, rt: DoorRuntime): string {
  const own = doorItem(state, rt.token)["DefaultPriority"] as string;
  const pc = priorityConfigurationOf(state, rt.token)["DefaultPriority"] as string;
  return own || pc || (rt.levels[rt.levels.length - 1]?.PriorityLevel ?? "");
}

/** Index of the level a command acts at; an unknown level cannot be fulfilled. */
function resolveLevel(state: DeviceState, rt: DoorRuntime, requested: string | undefined): number {
  const ignore = state.quirks.has("door-priority-ignored");
  const name = requested !== undefined && requested !== "" && !ignore ? requested : defaultLevel(state, rt);
  const i = rt.levels.findIndex((l) => l.PriorityLevel === name);
  if (i < 0) {
    throw failure(`door "${rt.token}" has no priority level "${name}"; its levels are ${rt.levels.map((l) => `"${l.PriorityLevel}"`).join(", ")} (see GetDoorPriorityState)`);
  }
  return i;
}

/** LockedDown and LockedOpen hold the door: every other command is refused until released (guide "Door states"). */
function refuseWhileHeld(state: DeviceState, rt: DoorRuntime, command: string): void {
  if (state.quirks.has("door-locked-down-accepts-commands")) return;
  const hold = rt.mode === "LockedDown" ? "LockDown" : rt.mode === "LockedOpen" ? "LockOpen" : undefined;
  if (hold !== undefined && command !== hold && command !== `${hold}Release`) {
    throw failure(`door "${rt.token}" is ${rt.mode}: ${command}Door is refused until ${hold}ReleaseDoor`);
  }
}

// The documented values of the door's physical, tamper and fault state (events, DoorState, the world's view).
const physicalState = (rt: DoorRuntime): string => (rt.open ? "Open" : "Closed");
const tamperState = (rt: DoorRuntime): string => (rt.tamper ? "TamperDetected" : "NotInTamper");
const faultState = (rt: DoorRuntime): string => (rt.fault ? "FaultDetected" : "NotInFault");
/** Why a door is in fault (DoorState's Fault.Reason and the DoorFault event's Reason): the FaultDoor stimulus gives no detail. */
const FAULT_REASON = "Fault reported by the door hardware";

function endAccess(state: DeviceState, rt: DoorRuntime): void {
  if (rt.access === undefined) return;
  state.clock.cancel(rt.access.timer);
  rt.access = undefined;
}

/** Recomputes mode and lock states from the levels and the access, and publishes what changed. */
export function settle(state: DeviceState, rt: DoorRuntime): void {
  const hw = hardware(state, rt.token);
  rt.mode = rt.access !== undefined ? "Accessed" : priorityMode(rt, hw);
  const locked = rt.mode === "Locked" || rt.mode === "Blocked" || rt.mode === "LockedDown" || rt.mode === "DoubleLocked" || rt.access?.withoutUnlock === true;
  rt.lock = locked ? "Locked" : "Unlocked";
  // LockDownDoor: "If a device supports DoubleLock capability ..., that operation may be engaged as well."
  rt.doubleLock = hw.doubleLock && (rt.mode === "DoubleLocked" || rt.mode === "LockedDown") ? "Locked" : "Unlocked";
  for (const [name, value] of doorEventValues(rt, hw)) {
    if (value === undefined || rt.published.get(name) === value) continue;
    rt.published.set(name, value);
    state.publish({ topic: `tns1:Door/State/${name}`, source: { DoorToken: rt.token }, data: doorEventData(name, value) });
  }
}

/** The tns1:Door/State/<name> topics, in the order a change announces them. */
export const DOOR_STATE_EVENTS = ["DoorPhysicalState", "DoorMode", "LockPhysicalState", "DoubleLockPhysicalState", "DoorAlarm", "DoorWarning", "DoorTamper", "DoorFault"] as const;
export type DoorStateEvent = (typeof DOOR_STATE_EVENTS)[number];

/** The value of each tns1:Door/State topic; undefined where the door's hardware cannot see it (no monitor). */
export function doorEventValues(rt: DoorRuntime, hw: Hardware): [DoorStateEvent, string | undefined][] {
  return [
    // The door moves before the lock follows it (a closing door relocks an access).
    ["DoorPhysicalState", hw.doorMonitor ? physicalState(rt) : undefined],
    ["DoorMode", rt.mode],
    ["LockPhysicalState", hw.lockMonitor ? rt.lock : undefined],
    ["DoubleLockPhysicalState", hw.doubleLockMonitor ? rt.doubleLock : undefined],
    ["DoorAlarm", hw.doorMonitor ? rt.alarm : undefined],
    ["DoorWarning", hw.doorMonitor ? rt.warning : undefined],
    ["DoorTamper", hw.doorMonitor ? tamperState(rt) : undefined],
    ["DoorFault", faultState(rt)],
  ];
}

/** Data of a tns1:Door/State event: State, plus DoorFault's Reason while a fault is detected (DoorControl spec: may be skipped otherwise). */
export function doorEventData(name: DoorStateEvent, value: string): Record<string, unknown> {
  return name === "DoorFault" && value === "FaultDetected" ? { State: value, Reason: FAULT_REASON } : { State: value };
}

/** tdc:DoorState: DoorMode plus the fields the door's capabilities promise (DoorState data structure). */
export function doorState(state: DeviceState, token: string): Item {
  const rt = runtimeOf(state, token);
  if (state.quirks.has("door-state-omits-monitored")) return { DoorMode: rt.mode };
  const hw = hardware(state, token);
  const out: Item = {};
  if (hw.doorMonitor) out["DoorPhysicalState"] = physicalState(rt);
  if (hw.lockMonitor) out["LockPhysicalState"] = rt.lock;
  if (hw.doubleLockMonitor) out["DoubleLockPhysicalState"] = rt.doubleLock;
  if (hw.doorMonitor) {
    out["Alarm"] = rt.alarm;
    out["Tamper"] = { State: tamperState(rt) };
  }
  out["Fault"] = { ...(rt.fault ? { Reason: FAULT_REASON } : {}), State: faultState(rt) };
  out["DoorMode"] = rt.mode;
  return out;
}

/** axtdc:GetDoorPriorityState: every level with its current action, highest first. */
export function priorityState(state: DeviceState, token: string): Item[] {
  return runtimeOf(state, token).levels.map((l) => ({ ...l }));
}

// ---- commands

/** LockDoor, UnlockDoor, BlockDoor, DoubleLockDoor, LockDownDoor, LockOpenDoor at a priority level. */
export function commandDoor(state: DeviceState, token: string, command: LevelCommand, priorityLevel: string | undefined): void {
  const rt = runtimeOf(state, token);
  const q = state.quirks;
  if (command === "DoubleLock" && !hardware(state, token).doubleLock && !q.has("door-unsupported-command-accepted")) {
    throw failure(`door "${token}" has no double lock (DoubleLock.Type is None; Capabilities.DoubleLock is false): DoubleLockDoor is not supported`);
  }
  const level = resolveLevel(state, rt, priorityLevel);
  refuseWhileHeld(state, rt, command);
  if (q.has("door-mode-unchanged")) return;
  // An explicit command ends a momentary access: the door takes the commanded mode at once.
  endAccess(state, rt);
  rt.levels[level] = { PriorityLevel: rt.levels[level]!.PriorityLevel, Reason: "API", DoorAction: command };
  settle(state, rt);
}

/** LockDownReleaseDoor / LockOpenReleaseDoor: only in LockedDown / LockedOpen (API reference). */
export function releaseHold(state: DeviceState, token: string, hold: "LockDown" | "LockOpen", priorityLevel: string | undefined): void {
  const rt = runtimeOf(state, token);
  const q = state.quirks;
  const held: DoorMode = hold === "LockDown" ? "LockedDown" : "LockedOpen";
  const level = resolveLevel(state, rt, priorityLevel);
  if (rt.mode !== held) {
    if (q.has("door-release-in-any-mode")) return;
    throw failure(`door "${token}" is ${rt.mode}, not ${held}: ${hold}ReleaseDoor only succeeds in ${held}`);
  }
  if (q.has("door-mode-unchanged")) return;
  const ruling = rt.levels.findIndex(acts);
  if (ruling < level) {
    throw failure(`door "${token}" was put in ${held} at priority level "${rt.levels[ruling]!.PriorityLevel}", above "${rt.levels[level]!.PriorityLevel}"; release it at that level`);
  }
  rt.levels[ruling] = { PriorityLevel: rt.levels[ruling]!.PriorityLevel, Reason: "API", DoorAction: "Release" };
  settle(state, rt);
}

/** axtdc:ReleaseDoor: the level holds no action any more; the next level (or Locked) takes over. */
export function releaseLevel(state: DeviceState, token: string, priorityLevel: string | undefined): void {
  const rt = runtimeOf(state, token);
  const level = resolveLevel(state, rt, priorityLevel);
  writeLevel(state, rt, level, "Release", "API");
}

/** Writes one level; a change of the priority mode ends a momentary access. */
function writeLevel(state: DeviceState, rt: DoorRuntime, level: number, action: DoorAction, reason: string): void {
  const hw = hardware(state, rt.token);
  const before = priorityMode(rt, hw);
  rt.levels[level] = { PriorityLevel: rt.levels[level]!.PriorityLevel, Reason: reason, DoorAction: action };
  if (priorityMode(rt, hw) !== before) endAccess(state, rt);
  settle(state, rt);
}

/**
 * A door schedule's EnterAction at a level (schedules.ts). Returns false when it cannot act now:
 * an unknown level, or a change that would end LockedDown/LockedOpen (those hold the door against
 * schedules as against commands); the schedule then tries again at its next evaluation.
 */
export function applyScheduledAction(state: DeviceState, rt: DoorRuntime, priorityLevel: string, action: DoorAction): boolean {
  let level: number;
  try {
    level = resolveLevel(state, rt, priorityLevel);
  } catch {
    return false;
  }
  const hw = hardware(state, rt.token);
  const before = priorityMode(rt, hw);
  switch (action) {
    case "NoAction":
      return true;
    case "Access":
      try {
        accessDoorNow(state, rt.token, { withoutUnlock: false });
        return true;
      } catch {
        return false;
      }
    case "LockDownRelease":
    case "LockOpenRelease": {
      const ruling = rt.levels.findIndex(acts);
      const hold = action === "LockDownRelease" ? "LockDown" : "LockOpen";
      if (ruling >= 0 && rt.levels[ruling]!.DoorAction === hold) writeLevel(state, rt, ruling, "Release", "Schedule");
      return true;
    }
    default: {
      const previous = rt.levels[level]!;
      rt.levels[level] = { PriorityLevel: previous.PriorityLevel, Reason: "Schedule", DoorAction: action };
      const after = priorityMode(rt, hw);
      if ((before === "LockedDown" || before === "LockedOpen") && after !== before) {
        rt.levels[level] = previous;
        return false;
      }
      if (after !== before) endAccess(state, rt);
      settle(state, rt);
      return true;
    }
  }
}

// ---- momentary access

/**
 * AccessDoor / AccessDoorWithoutUnlock / a granted access: Accessed for AccessTime (extended or
 * overridden as asked), then back to the priority mode, unless the door was opened: then it
 * relocks when it closes (guide "Unlock the door"). Refused while Blocked, LockedDown, LockedOpen,
 * or when a level above the default one controls the door.
 */
export function accessDoorNow(state: DeviceState, token: string, request: AccessRequest): void {
  const rt = runtimeOf(state, token);
  const q = state.quirks;
  refuseWhileHeld(state, rt, "Access");
  // DoorMode Blocked: "AccessDoor requests are ignored, i.e., it is not possible for door to go to Accessed state".
  if (rt.mode === "Blocked") throw failure(`door "${token}" is Blocked: AccessDoor is refused until the door is locked or unlocked`);
  const level = resolveLevel(state, rt, undefined);
  const above = rt.levels.slice(0, level).find(acts);
  if (above !== undefined) {
    throw failure(`door "${token}" is controlled by priority level "${above.PriorityLevel}" (${above.DoorAction}), above the default level "${rt.levels[level]!.PriorityLevel}" where access acts`);
  }
  if (q.has("door-mode-unchanged")) return;
  // The door's own time of a field not overridden (validated when the door was set).
  const door = doorItem(state, token);
  const own = (field: string): number => parseDuration(door[field] as string) ?? 0;
  const honour = !q.has("door-access-overrides-ignored");
  const extended = honour && request.extended === true;
  const accessMs = (honour ? request.accessMs : undefined) ?? own(extended ? "ExtendedAccessTime" : "AccessTime");
  const openTooLongMs = (honour ? request.openTooLongMs : undefined) ?? own(extended ? "ExtendedOpenTooLongTime" : "OpenTooLongTime");
  const preAlarmMs = (honour ? request.preAlarmMs : undefined) ?? own("PreAlarmTime");
  endAccess(state, rt);
  const access: Access = { withoutUnlock: request.withoutUnlock, openTooLongMs, preAlarmMs, opened: rt.open && hardware(state, token).doorMonitor, timer: undefined };
  rt.access = access;
  if (!q.has("door-no-relock")) {
    access.timer = state.clock.at(state.now() + accessMs, `door ${token}: AccessTime`, () => {
      if (rt.access !== access) return;
      access.timer = undefined;
      if (access.opened) return;
      rt.access = undefined;
      settle(state, rt);
    });
  }
  settle(state, rt);
}

// ---- the physical door

function cancelOpenTimers(state: DeviceState, rt: DoorRuntime): void {
  for (const t of rt.openTimers) state.clock.cancel(t);
  rt.openTimers = [];
}

/** Open too long: DoorWarning PreAlarmTime before OpenTooLongTime, then DoorAlarm, while the door stays open. */
function startOpenTooLong(state: DeviceState, rt: DoorRuntime, openTooLongMs: number, preAlarmMs: number): void {
  if (state.quirks.has("door-no-open-too-long-alarm")) return;
  cancelOpenTimers(state, rt);
  const now = state.now();
  // DoorMode Unlocked: door timing alarms such as open too long are masked.
  const masked = (): boolean => rt.mode === "Unlocked" || rt.mode === "LockedOpen";
  if (preAlarmMs > 0) {
    rt.openTimers.push(
      state.clock.at(now + Math.max(0, openTooLongMs - preAlarmMs), `door ${rt.token}: PreAlarmTime`, () => {
        if (!rt.open || masked()) return;
        rt.warning = "DoorOpenTooLongWarn";
        settle(state, rt);
      }),
    );
  }
  rt.openTimers.push(
    state.clock.at(now + openTooLongMs, `door ${rt.token}: OpenTooLongTime`, () => {
      if (!rt.open || masked() || rt.alarm !== "Normal") return;
      rt.alarm = "DoorOpenTooLong";
      settle(state, rt);
    }),
  );
}

/**
 * The door opens. Only a door monitor lets the device see it: while Accessed it is the granted
 * passage (open-too-long timing starts), while Unlocked/LockedOpen nothing is wrong, in every
 * locked mode the door was forced open.
 */
export function openDoor(state: DeviceState, token: string): void {
  const rt = runtimeOf(state, token);
  if (rt.open) return;
  rt.open = true;
  if (hardware(state, token).doorMonitor) {
    const q = state.quirks;
    const passage = rt.mode === "Accessed" || rt.mode === "Unlocked" || rt.mode === "LockedOpen";
    if (rt.mode === "Accessed" && rt.access !== undefined) {
      rt.access.opened = true;
      startOpenTooLong(state, rt, rt.access.openTooLongMs, rt.access.preAlarmMs);
    }
    if (passage ? q.has("door-alarm-on-passage") : !q.has("door-no-forced-open-alarm")) rt.alarm = "DoorForcedOpen";
  }
  settle(state, rt);
}

/** The door closes: alarms and warning clear, and an access whose door was opened ends (relock). */
export function closeDoor(state: DeviceState, token: string): void {
  const rt = runtimeOf(state, token);
  if (!rt.open) return;
  rt.open = false;
  cancelOpenTimers(state, rt);
  rt.alarm = "Normal";
  rt.warning = "Normal";
  if (rt.access?.opened === true && !state.quirks.has("door-no-relock")) endAccess(state, rt);
  settle(state, rt);
}

export function setTamper(state: DeviceState, token: string, active: boolean): void {
  const rt = runtimeOf(state, token);
  rt.tamper = active;
  settle(state, rt);
}

export function setFault(state: DeviceState, token: string, active: boolean): void {
  const rt = runtimeOf(state, token);
  rt.fault = active;
  settle(state, rt);
}

/** The physical and logical state of one door, for the back door's view and the device snapshot. */
export function describeDoor(rt: DoorRuntime): Item {
  return {
    token: rt.token,
    DoorMode: rt.mode,
    DoorPhysicalState: physicalState(rt),
    LockPhysicalState: rt.lock,
    DoubleLockPhysicalState: rt.doubleLock,
    Alarm: rt.alarm,
    Warning: rt.warning,
    Tamper: tamperState(rt),
    Fault: faultState(rt),
    PriorityState: rt.levels.map((l) => `${l.PriorityLevel}=${l.DoorAction}`),
  };
}
