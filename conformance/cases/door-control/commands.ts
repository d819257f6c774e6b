/**
 * Door commands (door-control-service.md "Door control commands", "Door states", "DoorMode data
 * structure"): each command moves DoorMode as documented, an unknown token gives NotFound,
 * LockedDown/LockedOpen refuse the other commands, the releases act only in their mode, and a
 * command outside the door's capabilities is refused. Every check commands only its own door.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docRef, kebab, opName, opPrefix } from "../../harness/entity.js";
import { expectFault, faultChain, faultOf, matchesFault, type ExpectedFault } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, isTrue, lastExchange } from "../generic/support.js";
import { unknownTokenCheck, type UnknownTokenOptions } from "../generic/unknown-token.js";
import { SERVICE, door } from "./entities.js";
import { FAILURE, capabilities, createDoor, doorMode, expectMode, requireCapabilities, section } from "./support.js";


// ---- unknown tokens

/** API reference: AccessDoorWithoutUnlock documents its NotFound under env:Receiver. */
const NOT_FOUND_RECEIVER: ExpectedFault = { code: "env:Receiver", subcodes: ["ter:InvalidArgVal", "ter:NotFound"] };
const DOOR_TOKEN: UnknownTokenOptions = { service: SERVICE, docPage: door.docPage, noun: "door" };

const unknownToken: CheckDefinition[] = [
  unknownTokenCheck("tdc:GetDoorState", { ...DOOR_TOKEN, onvif: "DOORCONTROL-2-1-2" }),
  unknownTokenCheck("tdc:AccessDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-10" }),
  unknownTokenCheck("tdc:BlockDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-11" }),
  unknownTokenCheck("tdc:DoubleLockDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-12" }),
  unknownTokenCheck("tdc:LockDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-13" }),
  unknownTokenCheck("tdc:UnlockDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-14" }),
  unknownTokenCheck("tdc:LockDownDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-15" }),
  unknownTokenCheck("tdc:LockDownReleaseDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-16" }),
  unknownTokenCheck("tdc:LockOpenDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-17" }),
  unknownTokenCheck("tdc:LockOpenReleaseDoor", { ...DOOR_TOKEN, onvif: "DOORCONTROL-3-1-18" }),
  unknownTokenCheck("axtdc:AccessDoorWithoutUnlock", { ...DOOR_TOKEN, expected: NOT_FOUND_RECEIVER }),
  unknownTokenCheck("axtdc:ReleaseDoor", DOOR_TOKEN),
  unknownTokenCheck("axtdc:GetDoorPriorityState", DOOR_TOKEN),
  unknownTokenCheck("axtdc:GetDoorConfigurationInfo", DOOR_TOKEN),
];

// ---- each command moves DoorMode

interface Transition {
  readonly op: string;
  /** Capability the command needs (DoorInfo.Capabilities). */
  readonly capability: string;
  /** Commands that bring the door into the starting mode, and that mode. */
  readonly from?: { readonly op: string; readonly mode: string };
  readonly expected: string;
  /** The documented target when it is "not the held mode any more" rather than one mode. */
  readonly accept?: (mode: string) => boolean;
  readonly doubleLock?: boolean;
  readonly onvif?: string;
  readonly anchor: string;
}

const TRANSITIONS: readonly Transition[] = [
  { op: "tdc:LockDoor", capability: "Lock", from: { op: "tdc:UnlockDoor", mode: "Unlocked" }, expected: "Locked", onvif: "DOORCONTROL-3-1-31", anchor: "lockdoor-command" },
  { op: "tdc:UnlockDoor", capability: "Unlock", expected: "Unlocked", onvif: "DOORCONTROL-3-1-32", anchor: "unlockdoor-command" },
  { op: "tdc:BlockDoor", capability: "Block", expected: "Blocked", onvif: "DOORCONTROL-3-1-29", anchor: "blockdoor-command" },
  { op: "tdc:DoubleLockDoor", capability: "DoubleLock", expected: "DoubleLocked", doubleLock: true, onvif: "DOORCONTROL-3-1-30", anchor: "doublelockdoor-command" },
  { op: "tdc:AccessDoor", capability: "Access", expected: "Accessed", onvif: "DOORCONTROL-3-1-28", anchor: "accessdoor-command" },
  { op: "axtdc:AccessDoorWithoutUnlock", capability: "Access", expected: "Accessed", anchor: "accessdoorwithoutunlock-command" },
  { op: "tdc:LockDownDoor", capability: "LockDown", expected: "LockedDown", onvif: "DOORCONTROL-3-1-35", anchor: "lockdowndoor-command" },
  {
    op: "tdc:LockDownReleaseDoor",
    capability: "LockDown",
    from: { op: "tdc:LockDownDoor", mode: "LockedDown" },
    expected: "its previous mode (typically Locked)",
    accept: (m) => m !== "LockedDown",
    onvif: "DOORCONTROL-3-1-36",
    anchor: "lockdownreleasedoor-command",
  },
  { op: "tdc:LockOpenDoor", capability: "LockOpen", expected: "LockedOpen", onvif: "DOORCONTROL-3-1-33", anchor: "lockopendoor-command" },
  {
    op: "tdc:LockOpenReleaseDoor",
    capability: "LockOpen",
    from: { op: "tdc:LockOpenDoor", mode: "LockedOpen" },
    expected: "its previous mode (typically Unlocked)",
    accept: (m) => m !== "LockedOpen",
    onvif: "DOORCONTROL-3-1-34",
    anchor: "lockopenreleasedoor-command",
  },
];

function transitionCheck(t: Transition): CheckDefinition {
  const name = opName(t.op);
  return {
    id: `${opPrefix(t.op)}.${kebab(name)}.sets-door-mode`,
    title: `${name} puts the door in ${t.expected}`,
    service: SERVICE,
    rule: `After ${name} the door's DoorMode is ${t.expected}, as GetDoorState reports.`,
    specRefs: [section(t.anchor), section("door-states"), section("doormode-data-structure"), docRef(door, "tdc:GetDoorState"), ...(t.onvif !== undefined ? [t.onvif] : [])],
    quirk: "door-mode-unchanged",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, t.op, "tdc:GetDoorState", door.set);
      const token = await createDoor(ctx, "mode", { doubleLock: t.doubleLock === true });
      await requireCapabilities(ctx, token, t.capability);
      if (t.from !== undefined) {
        await ctx.call(t.from.op, { Token: token });
        await expectMode(ctx, token, t.from.mode, `${opName(t.from.op)} (to start from ${t.from.mode})`);
      }
      await ctx.call(t.op, { Token: token });
      await expectMode(ctx, token, t.expected, name, t.accept);
    },
  };
}

// ---- LockedDown / LockedOpen hold the door

interface Attempt {
  readonly op: string;
  readonly capability: string;
}

/** Sends each command expecting `expected`; returns what went wrong, warns on other faults. */
async function expectRefused(ctx: CheckContext, token: string, attempts: readonly Attempt[], caps: Record<string, unknown>, state: string): Promise<string[]> {
  const accepted: string[] = [];
  for (const a of attempts) {
    if (!isTrue(caps[a.capability])) continue;
    try {
      await ctx.call(a.op, { Token: token });
      accepted.push(opName(a.op));
    } catch (err) {
      const f = faultOf(err);
      if (f === undefined) throw err;
      if (!matchesFault(f, FAILURE)) ctx.warn(`${opName(a.op)} on a ${state} door got fault ${faultChain(f)}; the documented fault is ${faultChain(FAILURE)}`, lastExchange(ctx));
    }
  }
  return accepted;
}

function holdCheck(hold: "LockDown" | "LockOpen"): CheckDefinition {
  const mode = hold === "LockDown" ? "LockedDown" : "LockedOpen";
  const other = hold === "LockDown" ? "LockOpen" : "LockDown";
  const attempts: Attempt[] = [
    { op: "tdc:AccessDoor", capability: "Access" },
    { op: "tdc:LockDoor", capability: "Lock" },
    { op: "tdc:UnlockDoor", capability: "Unlock" },
    { op: "tdc:BlockDoor", capability: "Block" },
    { op: `tdc:${other}Door`, capability: other },
  ];
  return {
    id: `tdc.${kebab(hold)}-door.refuses-other-commands`,
    title: `A ${mode} door refuses AccessDoor, LockDoor, UnlockDoor, BlockDoor and ${other}Door`,
    service: SERVICE,
    rule: `While a door is ${mode}, AccessDoor, LockDoor, UnlockDoor, BlockDoor and ${other}Door generate an error (env:Receiver/ter:Action/ter:Failure) and the door stays ${mode} until ${hold}ReleaseDoor.`,
    specRefs: [section("door-states"), section("doormode-data-structure"), section(`${hold.toLowerCase()}door-command`)],
    quirk: "door-locked-down-accepts-commands",
    notes: "Another fault than the documented one is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, `tdc:${hold}Door`, `tdc:${hold}ReleaseDoor`, door.set);
      const token = await createDoor(ctx, hold === "LockDown" ? "ldown" : "lopen");
      const caps = await requireCapabilities(ctx, token, hold);
      await ctx.call(`tdc:${hold}Door`, { Token: token });
      await expectMode(ctx, token, mode, `${hold}Door`);
      const accepted = await expectRefused(ctx, token, attempts, caps, mode);
      const now = await doorMode(ctx, token);
      if (accepted.length > 0 || now !== mode) {
        ctx.fail(`a ${mode} door accepted ${accepted.join(", ") || "no command"} and is now ${now}; every command but ${hold}ReleaseDoor must be refused`, lastExchange(ctx));
      }
      await ctx.call(`tdc:${hold}ReleaseDoor`, { Token: token });
    },
  };
}

const releaseOnlyWhenHeld: CheckDefinition = {
  id: "tdc.release-commands.only-when-held",
  title: "LockDownReleaseDoor and LockOpenReleaseDoor fail on a door that is not LockedDown/LockedOpen",
  service: SERVICE,
  rule: "LockDownReleaseDoor shall only succeed if the current DoorMode is LockedDown, and LockOpenReleaseDoor only if it is LockedOpen; otherwise they fail (env:Receiver/ter:Action/ter:Failure).",
  specRefs: [section("lockdownreleasedoor-command"), section("lockopenreleasedoor-command")],
  quirk: "door-release-in-any-mode",
  notes: "Another fault than the documented one is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:LockDownReleaseDoor", "tdc:LockOpenReleaseDoor", door.set);
    const token = await createDoor(ctx, "rel");
    await requireCapabilities(ctx, token, "LockDown", "LockOpen", "Lock");
    await ctx.call("tdc:LockDoor", { Token: token });
    await expectFault(ctx, "tdc:LockDownReleaseDoor", { Token: token }, FAILURE, `LockDownReleaseDoor on the Locked door "${token}"`);
    await expectFault(ctx, "tdc:LockOpenReleaseDoor", { Token: token }, FAILURE, `LockOpenReleaseDoor on the Locked door "${token}"`);
    await expectMode(ctx, token, "Locked", "LockDownReleaseDoor and LockOpenReleaseDoor on a Locked door");
  },
};

/** The command of each DoorCapabilities flag that names one. */
const COMMAND_OF: readonly [string, string][] = [
  ["Access", "tdc:AccessDoor"],
  ["Lock", "tdc:LockDoor"],
  ["Unlock", "tdc:UnlockDoor"],
  ["Block", "tdc:BlockDoor"],
  ["DoubleLock", "tdc:DoubleLockDoor"],
  ["LockDown", "tdc:LockDownDoor"],
  ["LockOpen", "tdc:LockOpenDoor"],
];

const unsupportedCommand: CheckDefinition = {
  id: "tdc.door-commands.unsupported-command-faults",
  title: "A command the door's capabilities do not include is refused",
  service: SERVICE,
  rule: "A door command whose DoorInfo capability is false (here DoubleLockDoor on a door without a secondary lock) cannot be fulfilled and returns env:Receiver/ter:Action/ter:Failure.",
  specRefs: [section("doorcapabilities-data-structure"), section("doublelockdoor-command"), "DOORCONTROL-3-1-19", "DOORCONTROL-3-1-20", "DOORCONTROL-3-1-21", "DOORCONTROL-3-1-22", "DOORCONTROL-3-1-23", "DOORCONTROL-3-1-24", "DOORCONTROL-3-1-26"],
  quirk: "door-unsupported-command-accepted",
  notes: "Another fault than the documented one is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorInfo", door.set);
    const token = await createDoor(ctx, "nocap", { doubleLock: false });
    const caps = await capabilities(ctx, token);
    const unsupported = COMMAND_OF.filter(([cap]) => !isTrue(caps[cap]));
    if (unsupported.length === 0) ctx.skip(`door "${token}" (configured without a double lock) reports every command capability`);
    for (const [cap, op] of unsupported) await expectFault(ctx, op, { Token: token }, FAILURE, `${opName(op)} on door "${token}" with Capabilities.${cap}=false`);
  },
};

export function commandChecks(): CheckDefinition[] {
  return [...unknownToken, ...TRANSITIONS.map(transitionCheck), holdCheck("LockDown"), holdCheck("LockOpen"), releaseOnlyWhenHeld, unsupportedCommand];
}
