/** DoorControl operations: the entities' generic ones (followed by reconcile.ts) and the door commands. */
import { parseDuration } from "../duration.js";
import type { EntityDecl, Item } from "../entity.js";
import { OperationFault, invalidArgs } from "../faults.js";
import { entityOperations, tokenFound } from "../generic-ops.js";
import type { OperationDef, SyncOperationDef } from "../operation.js";
import type { DeviceState } from "../state.js";
import { DOOR_CONTROL_ENTITIES, DoorScheduleConfigurationDecl, PriorityConfigurationDecl, STANDARD_PRIORITY } from "./declarations.js";
import { accessDoorNow, commandDoor, doorExists, doorState, priorityState, releaseHold, releaseLevel, type LevelCommand } from "./door-state.js";
import { configurationInfo, type NameValue } from "./hardware.js";
import { reconcileDoors } from "./reconcile.js";
import { emptyRequest, tokenRequest } from "../shape.js";
import { accessRequest, commandRequest } from "./shapes.js";

/** env:Receiver/ter:ActionNotSupported/ter:NotSupported ("Not allowed to ..." in the fault tables). */
const notSupported = (reason: string): OperationFault => new OperationFault({ code: "env:Receiver", subcodes: ["ter:ActionNotSupported", "ter:NotSupported"], reason });

/** tokenFound for a door. */
const found = (state: DeviceState, token: string): boolean => tokenFound(state, "Door", token);

/**
 * tokenFound with AccessDoorWithoutUnlock's NotFound, which the API reference documents under
 * env:Receiver (AccessDoor's, like every other, under env:Sender).
 */
function foundWithoutUnlock(state: DeviceState, token: string): boolean {
  if (doorExists(state, token)) return true;
  if (state.quirks.has("not-found-succeeds")) return false;
  throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: `Door "${token}" not found` });
}

/** The built-in Standard configuration cannot change, and one a door uses cannot be removed. */
function guardPriorityConfiguration(op: OperationDef, input: Item, state: DeviceState): void {
  if (op.name === "SetPriorityConfiguration") {
    for (const pc of input["PriorityConfiguration"] as Item[]) {
      if (pc["token"] === STANDARD_PRIORITY) throw notSupported(`PriorityConfiguration "${STANDARD_PRIORITY}" is built in and cannot be modified; set a new one and name it in Door.PriorityConfiguration`);
    }
  } else if (op.name === "RemovePriorityConfiguration") {
    const doors = state.store("Door");
    for (const token of input["Token"] as string[]) {
      if (token === STANDARD_PRIORITY) throw notSupported(`PriorityConfiguration "${STANDARD_PRIORITY}" is built in and cannot be removed`);
      const user = doors.tokens().find((d) => doors.read(d, "full")?.["PriorityConfiguration"] === token);
      if (user !== undefined) throw notSupported(`PriorityConfiguration "${token}" is used by Door "${user}"; point the door elsewhere first`);
    }
  }
}

/** A generic Set/Remove, followed by bringing the doors' runtimes up to date. */
function followedByReconcile(decl: EntityDecl, op: SyncOperationDef): SyncOperationDef {
  if (!op.name.startsWith("Set") && !op.name.startsWith("Remove")) return op;
  return {
    ...op,
    handle(input, state) {
      if (decl === PriorityConfigurationDecl) guardPriorityConfiguration(op, input, state);
      const out = op.handle(input, state);
      const entered = decl === DoorScheduleConfigurationDecl && op.name.startsWith("Set") ? new Set((input["DoorScheduleConfiguration"] as Item[]).map((d) => d["token"] as string)) : undefined;
      reconcileDoors(state, entered);
      return out;
    },
  };
}

/** An optional xs:duration of a command, in ms; out-of-range (negative) times are limited to 0 (API: "closest supported time"). */
function optionalDuration(input: Item, field: string, op: string): number | undefined {
  const v = input[field] as string | undefined;
  if (v === undefined || v === "") return undefined;
  const ms = parseDuration(v);
  if (ms === undefined) throw invalidArgs(`${op}: ${field} "${v}" is not an xs:duration such as PT10S`);
  return Math.max(0, ms);
}

const LEVEL_COMMANDS: readonly [string, LevelCommand][] = [
  ["LockDoor", "Lock"],
  ["UnlockDoor", "Unlock"],
  ["BlockDoor", "Block"],
  ["LockDownDoor", "LockDown"],
  ["LockOpenDoor", "LockOpen"],
  ["DoubleLockDoor", "DoubleLock"],
];

export function doorControlOperations(): OperationDef[] {
  const ops: OperationDef[] = DOOR_CONTROL_ENTITIES.flatMap((decl) => entityOperations(decl).map((op) => followedByReconcile(decl, op)));
  const op = (prefix: OperationDef["prefix"], name: string, input: OperationDef["input"], handle: OperationDef["handle"]): void => {
    ops.push({ prefix, name, input, handle });
  };

  op("tdc", "GetServiceCapabilities", emptyRequest("GetServiceCapabilities"), (_in, state) => ({
    Capabilities: { MaxLimit: state.maxLimit, GetDoorSupported: true, SetDoorSupported: true, PriorityConfigurationSupported: true },
  }));

  op("tdc", "GetDoorState", tokenRequest("GetDoorState"), (input, state) => {
    const token = input["Token"] as string;
    const door = found(state, token) ? doorState(state, token) : { DoorMode: "Unknown" };
    if (state.quirks.has("schema-invalid-response")) delete door["DoorMode"];
    return { DoorState: door };
  });

  for (const [name, command] of LEVEL_COMMANDS) {
    op("tdc", name, commandRequest(name), (input, state) => {
      const token = input["Token"] as string;
      if (found(state, token)) commandDoor(state, token, command, input["PriorityLevel"] as string | undefined);
      return {};
    });
  }
  for (const [name, hold] of [["LockDownReleaseDoor", "LockDown"], ["LockOpenReleaseDoor", "LockOpen"]] as const) {
    op("tdc", name, commandRequest(name), (input, state) => {
      const token = input["Token"] as string;
      if (found(state, token)) releaseHold(state, token, hold, input["PriorityLevel"] as string | undefined);
      return {};
    });
  }

  const access = (name: string, withoutUnlock: boolean): OperationDef["handle"] => {
    return (input, state) => {
      const token = input["Token"] as string;
      const accessMs = optionalDuration(input, "AccessTime", name);
      const openTooLongMs = optionalDuration(input, "OpenTooLongTime", name);
      const preAlarmMs = optionalDuration(input, "PreAlarmTime", name);
      if (!(withoutUnlock ? foundWithoutUnlock : found)(state, token)) return {};
      accessDoorNow(state, token, {
        withoutUnlock,
        extended: input["UseExtendedTime"] === true,
        ...(accessMs === undefined ? {} : { accessMs }),
        ...(openTooLongMs === undefined ? {} : { openTooLongMs }),
        ...(preAlarmMs === undefined ? {} : { preAlarmMs }),
      });
      return {};
    };
  };
  op("tdc", "AccessDoor", accessRequest("AccessDoor"), access("AccessDoor", false));
  op("axtdc", "AccessDoorWithoutUnlock", accessRequest("AccessDoorWithoutUnlock"), access("AccessDoorWithoutUnlock", true));

  op("axtdc", "ReleaseDoor", commandRequest("ReleaseDoor"), (input, state) => {
    const token = input["Token"] as string;
    if (found(state, token)) releaseLevel(state, token, input["PriorityLevel"] as string | undefined);
    return {};
  });

  op("axtdc", "GetDoorPriorityState", tokenRequest("GetDoorPriorityState"), (input, state) => {
    const token = input["Token"] as string;
    return { DoorPriorityAction: found(state, token) ? priorityState(state, token) : [] };
  });

  op("axtdc", "GetDoorConfigurationInfo", tokenRequest("GetDoorConfigurationInfo"), (input, state) => {
    const token = input["Token"] as string;
    const config = state.store("DoorConfiguration").read(token, "full");
    // "Token of the Door": a door without a configuration has the defaults; a configuration set before its door is shown too.
    if (config === undefined && !found(state, token)) return { ConfigurationInfo: [] };
    return { ConfigurationInfo: configurationInfo((config?.["Configuration"] as NameValue[] | undefined) ?? []) };
  });

  return ops;
}
