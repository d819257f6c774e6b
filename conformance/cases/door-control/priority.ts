/**
 * Priorities and door schedules (door-control-service.md "Manage doors with priority levels",
 * "Door open within specific time period", "Door priorities and door schedules"): the highest
 * level with an action controls the door and ReleaseDoor hands it to the next one; a door
 * schedule configuration enters its EnterAction when it is set.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docRef, itemsOf } from "../../harness/entity.js";
import { excerptJson } from "../../harness/faults.js";
import { requireOps, sampleFor, setItems } from "../../harness/items.js";
import { BOTH, isTrue, lastExchange } from "../generic/support.js";
import { SERVICE, door, doorScheduleConfiguration, priorityConfiguration } from "./entities.js";
import { createDoor, expectMode, requireCapabilities, section } from "./support.js";


async function requirePriorities(ctx: CheckContext): Promise<void> {
  const caps = (await ctx.call("tdc:GetServiceCapabilities", {}))["Capabilities"] as Record<string, unknown> | undefined;
  if (!isTrue(caps?.["PriorityConfigurationSupported"])) ctx.skip(`tdc:GetServiceCapabilities reports PriorityConfigurationSupported=${String(caps?.["PriorityConfigurationSupported"] ?? false)}`);
}

const overrideAndRelease: CheckDefinition = {
  id: "axtdc.door-priority.override-and-release",
  title: "A higher priority level overrides a lower one; ReleaseDoor hands the door back",
  service: SERVICE,
  rule: "The door follows the highest priority level whose action is not Release: a lower level's command does not change the door while a higher level holds it, ReleaseDoor at the higher level hands the door to the next level, and with every level released the door falls back to Locked.",
  specRefs: [section("manage-doors-with-priority-levels"), section("using-door-priorities"), section("door-priority"), docRef(door, "axtdc:ReleaseDoor"), docRef(door, "axtdc:GetDoorPriorityState")],
  quirk: "door-priority-ignored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, priorityConfiguration.set, "axtdc:ReleaseDoor", "axtdc:GetDoorPriorityState", door.set);
    await requirePriorities(ctx);
    const pc = ctx.newToken("prio");
    await setItems(ctx, priorityConfiguration, [sampleFor(ctx, priorityConfiguration, pc, 60)]);
    const token = await createDoor(ctx, "prio", { priorityConfiguration: pc });
    await requireCapabilities(ctx, token, "Lock", "Unlock");
    const levels = itemsOf(await ctx.call("axtdc:GetDoorPriorityState", { Token: token }), "DoorPriorityAction").map((l) => `${String(l["PriorityLevel"])}=${String(l["DoorAction"])}`);
    if (levels.join(",") !== "High=Release,Normal=Lock") ctx.fail(`GetDoorPriorityState of a door with PriorityConfiguration "${pc}" (High=Release, Normal=Lock) reports ${excerptJson(levels)}`, lastExchange(ctx));
    await expectMode(ctx, token, "Locked", "creating the door (level Normal: Lock)");
    await ctx.call("tdc:UnlockDoor", { Token: token, PriorityLevel: "High" });
    await expectMode(ctx, token, "Unlocked", "UnlockDoor at level High");
    await ctx.call("tdc:LockDoor", { Token: token, PriorityLevel: "Normal" });
    await expectMode(ctx, token, "Unlocked", "UnlockDoor at High, then LockDoor at the lower level Normal");
    await ctx.call("axtdc:ReleaseDoor", { Token: token, PriorityLevel: "High" });
    await expectMode(ctx, token, "Locked", "ReleaseDoor at High (level Normal holds Lock)");
    await ctx.call("tdc:UnlockDoor", { Token: token, PriorityLevel: "Normal" });
    await expectMode(ctx, token, "Unlocked", "UnlockDoor at Normal with High released");
    await ctx.call("axtdc:ReleaseDoor", { Token: token, PriorityLevel: "Normal" });
    await expectMode(ctx, token, "Locked", "ReleaseDoor at every level (a released door falls back to Locked)");
  },
};

const enterActionOnSet: CheckDefinition = {
  id: "axtdc.door-schedule.enter-action-on-set",
  title: "Setting a door's schedule configuration enters its active state's action",
  service: SERVICE,
  rule: "When a DoorScheduleConfiguration is set for a door (or replaced), the EnterAction of the first ScheduledState whose schedule is active is applied to the door.",
  specRefs: [section("setting-schedule-configuration"), section("door-open-within-specific-time-period"), docRef(door, "axtdc:SetDoorScheduleConfiguration")],
  quirk: "door-schedule-ignored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, doorScheduleConfiguration.set, door.set);
    const dsc = ctx.newToken("dsc");
    const schedule = (action: string): Record<string, unknown> => ({
      ...sampleFor(ctx, doorScheduleConfiguration, dsc, 61),
      // standard_always is always active: its state is entered as soon as the configuration is set.
      DoorSchedule: [{ PriorityLevel: "", ScheduledState: [{ ScheduleToken: ["standard_always"], EnterAction: action }] }],
    });
    await setItems(ctx, doorScheduleConfiguration, [schedule("Unlock")]);
    const token = await createDoor(ctx, "sched", { doorScheduleConfiguration: dsc });
    await requireCapabilities(ctx, token, "Unlock", "Block");
    await expectMode(ctx, token, "Unlocked", `linking the door to a DoorScheduleConfiguration that enters Unlock while standard_always is active`);
    await setItems(ctx, doorScheduleConfiguration, [schedule("Block")]);
    await expectMode(ctx, token, "Blocked", `replacing the DoorScheduleConfiguration with EnterAction Block`);
  },
};

export function priorityChecks(): CheckDefinition[] {
  return [overrideAndRelease, enterActionOnSet];
}
