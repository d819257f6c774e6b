/**
 * Momentary access and the physical door (door-control-service.md "Unlock the door", "Door data
 * structure", DoorMode/DoorAlarmState): an Accessed door relocks after AccessTime or when the
 * opened door closes, AccessDoor's time overrides apply, a door opened without access raises
 * DoorForcedOpen, a granted passage does not, and a door held open too long raises
 * DoorOpenTooLong. Device time passes with ctx.physical.elapse (instant on a virtual clock, a
 * real wait of a few seconds otherwise); stimuli need the back door or an operator.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { docRef } from "../../harness/entity.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, isTrue, lastExchange } from "../generic/support.js";
import { SERVICE, door } from "./entities.js";
import { closeAfterwards, createDoor, doorState, expectMode, requireCapabilities, section } from "./support.js";


const relockAfterAccessTime: CheckDefinition = {
  id: "tdc.access-door.relocks-after-access-time",
  title: "An accessed door that is not opened relocks when AccessTime ends",
  service: SERVICE,
  rule: "After AccessDoor the door stays Accessed for AccessTime and, if it was not opened, then returns to its previous mode (Locked).",
  specRefs: [section("accessdoor-command"), section("unlock-the-door"), section("door-states"), "DOORCONTROL-3-1-28"],
  quirk: "door-no-relock",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:AccessDoor", door.set);
    const token = await createDoor(ctx, "relock", { times: { AccessTime: "PT3S" } });
    await requireCapabilities(ctx, token, "Access", "Lock");
    await ctx.call("tdc:LockDoor", { Token: token });
    await ctx.call("tdc:AccessDoor", { Token: token });
    await ctx.physical.elapse(1000);
    await expectMode(ctx, token, "Accessed", "AccessDoor and 1 s of the door's 3 s AccessTime");
    await ctx.physical.elapse(2500);
    await expectMode(ctx, token, "Locked", "AccessDoor and 3.5 s (AccessTime 3 s, the door never opened)");
  },
};

const accessOverrides: CheckDefinition = {
  id: "tdc.access-door.timing-override",
  title: "AccessDoor's AccessTime and UseExtendedTime replace the door's AccessTime",
  service: SERVICE,
  rule: "AccessDoor's AccessTime overrides the door's AccessTime (AccessTimingOverride capability), and UseExtendedTime makes the door use its ExtendedAccessTime.",
  specRefs: [section("accessdoor-command"), section("doorcapabilities-data-structure"), docRef(door, "axtdc:SetDoor")],
  quirk: "door-access-overrides-ignored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:AccessDoor", door.set);
    // A long normal time and a short extended one: whichever was used shows at once.
    const token = await createDoor(ctx, "ovr", { times: { AccessTime: "PT30S", ExtendedAccessTime: "PT3S" } });
    const caps = await requireCapabilities(ctx, token, "Access", "Lock");
    if (isTrue(caps["AccessTimingOverride"])) {
      await ctx.call("tdc:AccessDoor", { Token: token, AccessTime: "PT2S" });
      await ctx.physical.elapse(2500);
      await expectMode(ctx, token, "Locked", "AccessDoor with AccessTime PT2S and 2.5 s (the door's AccessTime is 30 s)");
    }
    await ctx.call("tdc:AccessDoor", { Token: token, UseExtendedTime: true });
    await ctx.physical.elapse(3500);
    await expectMode(ctx, token, "Locked", "AccessDoor with UseExtendedTime and 3.5 s (ExtendedAccessTime 3 s, AccessTime 30 s)");
  },
};

const relockWhenClosed: CheckDefinition = {
  id: "tdc.access-door.relocks-when-closed",
  title: "An accessed door that was opened relocks when it closes",
  service: SERVICE,
  rule: "An Accessed door is locked again when it closes after being opened, before AccessTime ends.",
  specRefs: [section("unlock-the-door"), section("door-states"), section("accessdoor-command")],
  quirk: "door-no-relock",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:AccessDoor", door.set);
    ctx.requirePhysical("open and close a door of this run");
    const token = await createDoor(ctx, "close", { times: { AccessTime: "PT30S" } });
    await requireCapabilities(ctx, token, "Access", "Lock", "DoorMonitor");
    await ctx.call("tdc:LockDoor", { Token: token });
    await ctx.call("tdc:AccessDoor", { Token: token });
    closeAfterwards(ctx, token);
    await ctx.physical.stimulate({ Stimulus: "OpenDoor", Door: token });
    await expectMode(ctx, token, "Accessed", "AccessDoor and opening the door");
    await ctx.physical.stimulate({ Stimulus: "CloseDoor", Door: token });
    await expectMode(ctx, token, "Locked", "AccessDoor, opening and closing the door (AccessTime 30 s not over)");
  },
};

const forcedOpen: CheckDefinition = {
  id: "tdc.door-state.forced-open-alarm",
  title: "A locked door opened without access raises DoorForcedOpen",
  service: SERVICE,
  rule: "A door with the Alarm capability that is opened while Locked (no access granted) reports DoorPhysicalState Open and Alarm DoorForcedOpen.",
  specRefs: [section("dooralarmstate-data-structure"), section("doorstate-data-structure"), section("events-when-door-state-is-changed"), "DOORCONTROL-6-1-10", "DOORCONTROL-6-1-11"],
  quirk: "door-no-forced-open-alarm",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorState", door.set);
    ctx.requirePhysical("force a door of this run open");
    const token = await createDoor(ctx, "force");
    await requireCapabilities(ctx, token, "Lock", "DoorMonitor", "Alarm");
    await ctx.call("tdc:LockDoor", { Token: token });
    closeAfterwards(ctx, token);
    await ctx.physical.stimulate({ Stimulus: "ForceDoor", Door: token });
    const s = await doorState(ctx, token);
    if (s["DoorPhysicalState"] !== "Open" || s["Alarm"] !== "DoorForcedOpen") {
      ctx.fail(`after forcing the Locked door open, GetDoorState reports DoorPhysicalState ${String(s["DoorPhysicalState"])}, Alarm ${String(s["Alarm"])}; expected Open and DoorForcedOpen`, lastExchange(ctx));
    }
  },
};

const passageNoAlarm: CheckDefinition = {
  id: "tdc.door-state.passage-raises-no-alarm",
  title: "Opening an Accessed or Unlocked door raises no alarm",
  service: SERVICE,
  rule: "Door forced alarms are masked while the door is Accessed or Unlocked: opening it there leaves Alarm Normal.",
  specRefs: [section("doormode-data-structure"), section("dooralarmstate-data-structure"), section("unlock-the-door")],
  quirk: "door-alarm-on-passage",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:AccessDoor", "tdc:UnlockDoor", door.set);
    ctx.requirePhysical("open and close a door of this run");
    const token = await createDoor(ctx, "pass", { times: { AccessTime: "PT30S" } });
    await requireCapabilities(ctx, token, "Access", "Unlock", "DoorMonitor", "Alarm");
    closeAfterwards(ctx, token);
    for (const [op, mode] of [
      ["tdc:AccessDoor", "Accessed"],
      ["tdc:UnlockDoor", "Unlocked"],
    ] as const) {
      await ctx.call(op, { Token: token });
      await ctx.physical.stimulate({ Stimulus: "OpenDoor", Door: token });
      const s = await doorState(ctx, token);
      if (s["Alarm"] !== "Normal") ctx.fail(`opening the ${mode} door gave Alarm ${String(s["Alarm"])} (DoorMode ${String(s["DoorMode"])}); expected Normal`, lastExchange(ctx));
      await ctx.physical.stimulate({ Stimulus: "CloseDoor", Door: token });
    }
  },
};

const openTooLong: CheckDefinition = {
  id: "tdc.door-state.open-too-long-alarm",
  title: "A door held open past OpenTooLongTime raises DoorOpenTooLong, not before",
  service: SERVICE,
  rule: "A door opened during an access and still open when OpenTooLongTime (counted from the opening) expires reports Alarm DoorOpenTooLong; closing it ends the alarm and relocks the door.",
  specRefs: [section("door-data-structure"), section("dooralarmstate-data-structure"), section("accessdoor-command"), "DOORCONTROL-6-1-10"],
  quirk: "door-no-open-too-long-alarm",
  notes: "The DoorWarning (PreAlarmTime) is an event only; GetDoorState has no warning field, so the suite cannot see it.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:AccessDoor", door.set);
    ctx.requirePhysical("open a door of this run and keep it open");
    const token = await createDoor(ctx, "otl", { times: { AccessTime: "PT30S", OpenTooLongTime: "PT6S", PreAlarmTime: "PT2S" } });
    await requireCapabilities(ctx, token, "Access", "Lock", "DoorMonitor", "Alarm");
    await ctx.call("tdc:LockDoor", { Token: token });
    await ctx.call("tdc:AccessDoor", { Token: token });
    closeAfterwards(ctx, token);
    await ctx.physical.stimulate({ Stimulus: "OpenDoor", Door: token });
    await ctx.physical.elapse(3000);
    const early = await doorState(ctx, token);
    if (early["Alarm"] !== "Normal") ctx.fail(`3 s after opening (OpenTooLongTime 6 s) the door already reports Alarm ${String(early["Alarm"])}; expected Normal`, lastExchange(ctx));
    await ctx.physical.elapse(3500);
    const late = await doorState(ctx, token);
    if (late["Alarm"] !== "DoorOpenTooLong") ctx.fail(`6.5 s after opening (OpenTooLongTime 6 s) the door reports Alarm ${String(late["Alarm"])}; expected DoorOpenTooLong`, lastExchange(ctx));
    await ctx.physical.stimulate({ Stimulus: "CloseDoor", Door: token });
    const closed = await doorState(ctx, token);
    if (closed["Alarm"] !== "Normal" || closed["DoorMode"] !== "Locked") {
      ctx.fail(`after closing the door, GetDoorState reports Alarm ${String(closed["Alarm"])}, DoorMode ${String(closed["DoorMode"])}; expected Normal and Locked`, lastExchange(ctx));
    }
  },
};

export function timingChecks(): CheckDefinition[] {
  return [relockAfterAccessTime, accessOverrides, relockWhenClosed, forcedOpen, passageNoAlarm, openTooLong];
}
