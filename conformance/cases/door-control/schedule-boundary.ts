/**
 * A door schedule acts at the schedule's boundaries (door-control-service.md "Door open within
 * specific time period"), judged without knowing the device's time: the check's own schedule is
 * active during the first 30 s of every minute (the schedule page supports MINUTELY rules), so
 * any two instants 30 s apart lie on opposite sides of a boundary. The door must follow
 * axsch:ScheduleActive at both. Needs device time to pass at once (a virtual clock).
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docRef } from "../../harness/entity.js";
import { faultOf } from "../../harness/faults.js";
import { createOne, requireOps, sampleFor, setItems } from "../../harness/items.js";
import { BOTH, isTrue } from "../generic/support.js";
import { schedule, vcalendar } from "../schedule/entities.js";
import { SERVICE, door, doorScheduleConfiguration } from "./entities.js";
import { createDoor, doorMode, section } from "./support.js";

const HALF_MINUTE = 30_000;

/** A schedule of this run active the first 30 s of every minute; a device that refuses it makes the check skip. */
async function createSchedule(ctx: CheckContext): Promise<string> {
  const definition = vcalendar(`${ctx.tokenPrefix}half-minutes`, ["DTSTART:20000101T000000", "DTEND:20000101T000030", "RRULE:FREQ=MINUTELY"]);
  try {
    return await createOne(ctx, schedule, { ...sampleFor(ctx, schedule, ctx.newToken("sch"), 62), ScheduleDefinition: definition });
  } catch (err) {
    if (faultOf(err) !== undefined) ctx.skip(`needs a schedule of its own, and axsch:SetSchedule failed: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

async function scheduleActive(ctx: CheckContext, token: string): Promise<boolean> {
  return isTrue((await ctx.call("axsch:ScheduleActive", { Token: [token] }))["Active"]);
}

export const scheduleBoundaryCheck: CheckDefinition = {
  id: "axtdc.door-schedule.acts-at-boundaries",
  title: "A door schedule enters its states at the schedule's boundaries",
  service: SERVICE,
  rule: "While a door's DoorScheduleConfiguration is set, the door enters the EnterAction of the first active ScheduledState whenever a schedule boundary changes which state that is.",
  specRefs: [section("door-open-within-specific-time-period"), section("door-open-during-office-hours"), section("door-priorities-and-door-schedules"), docRef(door, "axtdc:SetDoorScheduleConfiguration")],
  quirk: "door-schedule-ignored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "axsch:SetSchedule", "axsch:ScheduleActive", doorScheduleConfiguration.set, door.set);
    if (ctx.physical.clock !== "virtual") ctx.skip("needs a minute of device time to pass at once (a virtual clock behind the back door)");
    const schedule = await createSchedule(ctx);
    const dsc = ctx.newToken("dsc");
    await setItems(ctx, doorScheduleConfiguration, [
      {
        ...sampleFor(ctx, doorScheduleConfiguration, dsc, 62),
        DoorSchedule: [
          {
            PriorityLevel: "",
            ScheduledState: [
              { ScheduleToken: [schedule], EnterAction: "Unlock" },
              { ScheduleToken: ["standard_always"], EnterAction: "Lock" },
            ],
          },
        ],
      },
    ]);
    const token = await createDoor(ctx, "bound", { doorScheduleConfiguration: dsc });
    let previous: boolean | undefined;
    for (let i = 0; i < 3; i++) {
      if (i > 0) await ctx.physical.elapse(HALF_MINUTE);
      const active = await scheduleActive(ctx, schedule);
      if (previous !== undefined && active === previous) ctx.fail(`axsch:ScheduleActive reports ${String(active)} both before and 30 s after; the schedule (first 30 s of every minute) did not change, so no boundary could be judged`);
      previous = active;
      const mode = await doorMode(ctx, token);
      const expected = active ? "Unlocked" : "Locked";
      if (mode !== expected) ctx.fail(`${i === 0 ? "after setting the configuration" : `after ${i * 30} s`}, the schedule is ${active ? "active (EnterAction Unlock)" : "inactive (standard_always: Lock)"} but the door is ${mode}; expected ${expected}`);
    }
  },
};
