/**
 * What the DoorControl checks share: a door of the run's own (Door + DoorConfiguration under one
 * ctx.newToken token, removed after the check, released from LockedDown/LockedOpen first), and
 * reading its state, capabilities and priority levels.
 */
import type { CheckContext } from "../../harness/types.js";
import type { ExpectedFault } from "../../harness/faults.js";
import { excerptJson } from "../../harness/faults.js";
import { docSections, itemsOf } from "../../harness/entity.js";
import { sampleFor, setItems } from "../../harness/items.js";
import { isTrue, lastExchange } from "../generic/support.js";
import { DOC, door, doorConfiguration } from "./entities.js";

/** env:Receiver/ter:Action/ter:Failure: the documented fault of a door command that cannot be fulfilled. */
export const FAILURE: ExpectedFault = { code: "env:Receiver", subcodes: ["ter:Action", "ter:Failure"] };

/** Doc anchor of a section of the Door Control page. */
export const section = docSections(DOC);

export type DoorTime = "AccessTime" | "OpenTooLongTime" | "PreAlarmTime" | "ExtendedAccessTime" | "ExtendedOpenTooLongTime";

export interface OwnDoorOptions {
  /** A secondary lock (DoubleLock.Type Standard, with its monitor). Default false. */
  readonly doubleLock?: boolean;
  /** Door timings (xs:duration); the door sample's otherwise. */
  readonly times?: Partial<Record<DoorTime, string>>;
  readonly priorityConfiguration?: string;
  readonly defaultPriority?: string;
  readonly doorScheduleConfiguration?: string;
}

/** The hardware of our doors: a standard lock with a lock monitor and a door monitor (AXIS Entry Manager's values), optionally a double lock. */
export function ownConfiguration(doubleLock: boolean): { Name: string; Value: string }[] {
  return [
    { Name: "Lock.Type", Value: "Standard" },
    { Name: "Lock.LockMonitor.ValueWhenLocked", Value: "Input Ground" },
    { Name: "Lock.LockMonitor.ValueWhenUnlocked", Value: "Input Open" },
    { Name: "DoorMonitor.Type", Value: "Standard" },
    { Name: "DoorMonitor.ValueWhenOpen", Value: "Input Open" },
    { Name: "DoorMonitor.ValueWhenClosed", Value: "Input Ground" },
    { Name: "DoubleLock.Type", Value: doubleLock ? "Standard" : "None" },
    ...(doubleLock
      ? [
          { Name: "DoubleLock.LockMonitor.ValueWhenLocked", Value: "Input Ground" },
          { Name: "DoubleLock.LockMonitor.ValueWhenUnlocked", Value: "Input Open" },
        ]
      : []),
  ];
}

/**
 * Creates a door of this run (Door and DoorConfiguration with one new token) and returns its
 * token. Cleanup releases a LockedDown/LockedOpen door, then removes both items.
 */
export async function createDoor(ctx: CheckContext, label: string, options: OwnDoorOptions = {}): Promise<string> {
  const token = ctx.newToken(label);
  ctx.requireDoor(token);
  await setItems(ctx, door, [
    {
      ...sampleFor(ctx, door, token, 50),
      ...options.times,
      ...(options.priorityConfiguration !== undefined ? { PriorityConfiguration: options.priorityConfiguration } : {}),
      ...(options.defaultPriority !== undefined ? { DefaultPriority: options.defaultPriority } : {}),
    },
  ]);
  await setItems(ctx, doorConfiguration, [
    {
      token,
      DeviceUUID: "",
      Configuration: ownConfiguration(options.doubleLock === true),
      ...(options.doorScheduleConfiguration !== undefined ? { DoorScheduleConfiguration: options.doorScheduleConfiguration } : {}),
    },
  ]);
  ctx.onCleanup(`release door ${token}`, async (call) => {
    const mode = await call("tdc:GetDoorState", { Token: token })
      .then((r) => ((r as Record<string, unknown>)["DoorState"] as Record<string, unknown> | undefined)?.["DoorMode"])
      .catch(() => undefined);
    if (mode === "LockedDown") await call("tdc:LockDownReleaseDoor", { Token: token }).catch(() => undefined);
    if (mode === "LockedOpen") await call("tdc:LockOpenReleaseDoor", { Token: token }).catch(() => undefined);
  });
  return token;
}

/** Closes a door a check opened, after the check (also when it fails). */
export function closeAfterwards(ctx: CheckContext, token: string): void {
  ctx.onCleanup(`close door ${token}`, async () => {
    await ctx.physical.stimulate({ Stimulus: "CloseDoor", Door: token }).catch(() => undefined);
  });
}

export async function doorState(ctx: CheckContext, token: string): Promise<Record<string, unknown>> {
  const r = await ctx.call("tdc:GetDoorState", { Token: token });
  const s = r["DoorState"];
  if (s === null || typeof s !== "object") return ctx.fail(`GetDoorState "${token}" answered without a DoorState: ${excerptJson(r)}`, lastExchange(ctx));
  return s as Record<string, unknown>;
}

export async function doorMode(ctx: CheckContext, token: string): Promise<string> {
  return String((await doorState(ctx, token))["DoorMode"]);
}

/** Fails unless the door's DoorMode is `expected` (or passes `accept`), naming what happened before. */
export async function expectMode(ctx: CheckContext, token: string, expected: string, after: string, accept?: (mode: string) => boolean): Promise<void> {
  const mode = await doorMode(ctx, token);
  if (accept !== undefined ? !accept(mode) : mode !== expected) ctx.fail(`after ${after}, GetDoorState reports DoorMode ${mode}; expected ${expected}`, lastExchange(ctx));
}

/** DoorInfo.Capabilities of a door (booleans and PriorityLevels as sent). */
export async function capabilities(ctx: CheckContext, token: string): Promise<Record<string, unknown>> {
  const info = itemsOf(await ctx.call("tdc:GetDoorInfo", { Token: [token] }), "DoorInfo").find((i) => i["token"] === token);
  if (info === undefined) return ctx.fail(`GetDoorInfo returned no DoorInfo for door "${token}" created by this run`, lastExchange(ctx));
  const caps = info["Capabilities"];
  return caps !== null && typeof caps === "object" ? (caps as Record<string, unknown>) : {};
}

/** Skips unless the door has every capability named. */
export async function requireCapabilities(ctx: CheckContext, token: string, ...names: string[]): Promise<Record<string, unknown>> {
  const caps = await capabilities(ctx, token);
  const missing = names.filter((n) => !isTrue(caps[n]));
  if (missing.length > 0) ctx.skip(`door "${token}" reports Capabilities ${missing.map((n) => `${n}=${String(caps[n] ?? false)}`).join(", ")}`);
  return caps;
}

