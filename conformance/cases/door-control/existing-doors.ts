/**
 * Door commands on the doors the controller already has: a real site's doors have real locks and
 * monitors, which doors the run creates itself may not. Door commands move real doors, so this
 * check commands only the doors named with --door (every door of the embedded reference device)
 * and skips naming the flag otherwise. Each door's mode is restored, also when the check fails.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { docRef } from "../../harness/entity.js";
import { requireOps } from "../../harness/items.js";
import { BOTH, isTrue, listItems } from "../generic/support.js";
import { SERVICE, door } from "./entities.js";
import { expectMode, doorMode, section } from "./support.js";

/** The modes a plain command puts a door back in; a door in any other mode is left alone. */
const RESTORE: Readonly<Record<string, string>> = { Locked: "tdc:LockDoor", Unlocked: "tdc:UnlockDoor" };

export const existingDoorsCheck: CheckDefinition = {
  id: "tdc.door-commands.existing-doors",
  title: "UnlockDoor and LockDoor move the controller's existing doors, whose modes are then restored",
  service: SERVICE,
  rule: "On each existing door that supports Lock and Unlock and rests Locked or Unlocked: after UnlockDoor the DoorMode is Unlocked and after LockDoor it is Locked, as GetDoorState reports; the door is then returned to its mode.",
  specRefs: [section("unlockdoor-command"), section("lockdoor-command"), section("door-states"), docRef(door, "tdc:GetDoorInfoList"), "DOORCONTROL-3-1-31", "DOORCONTROL-3-1-32"],
  quirk: "door-mode-unchanged",
  notes: "Needs --door TOKEN against a device given with --device (it unlocks and locks the named doors).",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorInfoList", "tdc:GetDoorState", "tdc:LockDoor", "tdc:UnlockDoor");
    const existing = (await listItems(ctx, "tdc:GetDoorInfoList", "DoorInfo", (i) => String(i["token"] ?? ""), 100)).filter((d) => !String(d["token"]).startsWith(ctx.tokenPrefix));
    if (existing.length === 0) ctx.skip("the device has no doors of its own");
    const allowed = existing.filter((d) => ctx.doors.allows(String(d["token"])));
    if (allowed.length === 0) ctx.requireDoor(String(existing[0]!["token"]));
    let commanded = 0;
    for (const info of allowed) {
      const token = String(info["token"]);
      const caps = (info["Capabilities"] ?? {}) as Record<string, unknown>;
      if (!isTrue(caps["Lock"]) || !isTrue(caps["Unlock"])) continue;
      const mode = await doorMode(ctx, token);
      const restore = RESTORE[mode];
      if (restore === undefined) continue;
      ctx.onCleanup(`return door ${token} to ${mode}`, async (call) => {
        await call(restore, { Token: token });
      });
      commanded++;
      await ctx.call("tdc:UnlockDoor", { Token: token });
      await expectMode(ctx, token, "Unlocked", `UnlockDoor on existing door "${token}"`);
      await ctx.call("tdc:LockDoor", { Token: token });
      await expectMode(ctx, token, "Locked", `LockDoor on existing door "${token}"`);
    }
    if (commanded === 0) ctx.skip(`none of the ${allowed.length} door(s) it may command supports Lock and Unlock while resting Locked or Unlocked`);
  },
};
