/**
 * I/O assignment checks (io-assignment-service.md): the three lists agree, SetIoAssignment
 * reports and refuses what it cannot assign, and an assignment round trip. Changing an
 * assignment can move real hardware (a lock output, a reader bus), so on a live device only
 * requests that name no existing I/O are sent; the round trip needs the reference device's back
 * door.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docSections, itemsOf } from "../../harness/entity.js";
import { excerptJson, faultChain, faultOf } from "../../harness/faults.js";
import { stableJson } from "../../harness/compare.js";
import { BOTH, lastExchange } from "../generic/support.js";
import { IO_DOC, inconsistencies, readAssignments, readIos, readLists, userKey, type IoAssignment, type IoLists, type IoUserInfo } from "./lists.js";

const SERVICE = "IoAssignment";
const SET = "axisio:SetIoAssignment";
const ref = docSections(IO_DOC);

interface AssignmentError {
  readonly IoName: string;
  readonly Error: string;
}

/** SetIoAssignment; a fault (the page documents none) ends the check as a warning. */
async function setAssignments(ctx: CheckContext, assignments: readonly Record<string, unknown>[], what: string): Promise<AssignmentError[]> {
  let response: unknown;
  try {
    response = await ctx.call(SET, { IoAssignment: assignments });
  } catch (err) {
    const f = faultOf(err);
    if (f === undefined) throw err;
    ctx.warn(`${what}: SetIoAssignment returned fault ${faultChain(f)}; the page documents no faults, failures are listed in IoAssignmentError`, lastExchange(ctx));
    return ctx.skip(`SetIoAssignment answered with a fault: ${f.reason}`);
  }
  return itemsOf(response, "IoAssignmentError").map((e) => ({ IoName: String(e["IoName"] ?? ""), Error: String(e["Error"] ?? "") }));
}

/** Assigning an I/O rewires real hardware (lock outputs, reader lines): only the I/Os the run may use. */
function requireIoPermission(ctx: CheckContext): void {
  if (!ctx.ios.all && ctx.ios.named.length === 0) {
    ctx.skip('assigning I/Os moves real hardware (lock outputs, reader lines); name a free I/O with --io NAME (its IoName in GetIoInfoList) to let the suite assign it to a free IoUser and unassign it again');
  }
}

/** Keyed by IoName, for before/after comparisons. */
function byIo(assignments: readonly IoAssignment[]): Map<string, string> {
  return new Map(assignments.map((a) => [a.IoName, stableJson({ IoMode: a.IoMode, IoUser: a.IoUser.map(userKey).sort() })]));
}

/** The IoNames whose assignment differs between two readings. */
function changedIos(before: readonly IoAssignment[], after: readonly IoAssignment[]): string[] {
  const b = byIo(before);
  const a = byIo(after);
  return [...new Set([...b.keys(), ...a.keys()])].filter((n) => b.get(n) !== a.get(n));
}

/** A name no I/O of the device has. */
function unknownIoName(ctx: CheckContext, lists: Pick<IoLists, "ios">): string {
  const name = ctx.newToken("no-such-io");
  if (lists.ios.some((io) => io.IoName === name)) ctx.skip(`the device has an I/O named "${name}"`);
  return name;
}

/**
 * An IoUser that has no I/O and a free I/O (unassigned, none of its pins in use) it can take,
 * with a mode both support: assigning and unassigning it again touches nothing else.
 */
function freePair(lists: IoLists, allowed: (io: string) => boolean): { user: IoUserInfo; io: string; mode: string } | undefined {
  const assignedUsers = new Set(lists.assignments.flatMap((a) => a.IoUser.map(userKey)));
  const assignedIos = new Set(lists.assignments.map((a) => a.IoName));
  const busyPins = new Set(lists.ios.filter((io) => assignedIos.has(io.IoName)).flatMap((io) => io.pins));
  const freeIos = lists.ios.filter((io) => allowed(io.IoName) && !assignedIos.has(io.IoName) && !io.pins.some((p) => busyPins.has(p)));
  for (const user of lists.users) {
    if (assignedUsers.has(userKey(user.IoUser))) continue;
    for (const io of freeIos) {
      const mode = io.IoMode.find((m) => user.IoMode.includes(m));
      if (mode !== undefined) return { user, io: io.IoName, mode };
    }
  }
  return undefined;
}

const listsConsistent: CheckDefinition = {
  id: "axisio.io-lists.consistent",
  title: "GetIoInfoList, GetIoUserInfoList and GetIoAssignmentList agree",
  service: SERVICE,
  rule: "Every assignment GetIoAssignmentList lists names an I/O of GetIoInfoList, in one of that I/O's modes, for IoUsers of GetIoUserInfoList whose modes include it; no two assigned I/Os share a pin and an IoUser without MultiIo has one I/O.",
  specRefs: [ref("get-information-about-the-services-io-requirements"), ref("get-information-about-available-io"), ref("assign-io-to-services"), ref("getioassignmentlist-command"), ref("getiouserinfolist-command"), ref("getioinfolist-command")],
  quirk: "io-assignment-list-unassigned",
  notes: "An IoUser that no I/O can serve (no common mode) is a warning.",
  transports: BOTH,
  run: async (ctx) => {
    const lists = await readLists(ctx);
    const { problems, doubts } = inconsistencies(lists);
    if (problems.length > 0) ctx.fail(`${problems.length} inconsistencies: ${problems.slice(0, 4).join("; ")}${problems.length > 4 ? "; …" : ""}`, lastExchange(ctx));
    for (const d of doubts.slice(0, 3)) ctx.warn(d);
  },
};

const unknownIoReported: CheckDefinition = {
  id: "axisio.set-io-assignment.unknown-io-reported",
  title: "SetIoAssignment reports an I/O that does not exist",
  service: SERVICE,
  rule: "SetIoAssignment lists each assignment it cannot make in IoAssignmentError: one for an I/O that GetIoInfoList does not list, with Error IoDoesNotExist.",
  specRefs: [ref("setioassignment-command"), ref("ioassignmenterror-data-structure"), ref("ioassignmenterrorcode-data-structure")],
  quirk: "io-assignment-errors-not-reported",
  notes: "A fault instead of the IoAssignmentError list is a warning (the page documents no faults).",
  transports: BOTH,
  run: async (ctx) => {
    // Names no existing I/O, so no hardware can move even on a device that gets it wrong.
    const name = unknownIoName(ctx, { ios: await readIos(ctx) });
    const errors = await setAssignments(ctx, [{ IoName: name, IoMode: "inout:pu/gnd", IoUser: [] }], `unassigning unknown I/O "${name}"`);
    const mine = errors.filter((e) => e.IoName === name);
    if (mine.length === 0) ctx.fail(`SetIoAssignment for unknown I/O "${name}" answered IoAssignmentError ${excerptJson(errors)}; expected an error for "${name}"`, lastExchange(ctx));
    if (!mine.some((e) => e.Error === "IoDoesNotExist")) ctx.fail(`SetIoAssignment for unknown I/O "${name}" reported ${excerptJson(mine.map((e) => e.Error))}; expected IoDoesNotExist`, lastExchange(ctx));
  },
};

const failedChangesNothing: CheckDefinition = {
  id: "axisio.set-io-assignment.failed-changes-nothing",
  title: "An assignment SetIoAssignment cannot make changes nothing",
  service: SERVICE,
  rule: "An assignment that fails (here: an I/O and an IoUser that do not exist) is not made: GetIoAssignmentList is the same before and after.",
  specRefs: [ref("setioassignment-command"), ref("getioassignmentlist-command"), ref("ioassignmenterrorcode-data-structure")],
  quirk: "io-assignment-failed-stored",
  notes: "A fault instead of the IoAssignmentError list is a warning (the page documents no faults).",
  transports: BOTH,
  run: async (ctx) => {
    const lists = await readLists(ctx);
    const name = unknownIoName(ctx, lists);
    const door = ctx.newToken("no-such-door");
    // Both the I/O and the IoUser are unknown: nothing real is named, whatever the device does.
    const sent = { IoName: name, IoMode: "inout:12V/gnd", IoUser: [{ Type: "doorcontrol", token: door, Usage: "Lock_Standard", MultiIo: false }] };
    ctx.onCleanup(`unassign "${name}"`, async (call) => {
      await call(SET, { IoAssignment: [{ IoName: name, IoMode: sent.IoMode, IoUser: [] }] }).catch(() => undefined);
    });
    const errors = await setAssignments(ctx, [sent], `assigning unknown I/O "${name}" to unknown door "${door}"`);
    const setExchange = lastExchange(ctx);
    const after = await readAssignments(ctx);
    const changed = changedIos(lists.assignments, after);
    if (changed.length > 0) {
      ctx.fail(`after a SetIoAssignment that ${errors.length > 0 ? `failed (${excerptJson(errors)})` : "could not be made"}, GetIoAssignmentList changed for ${excerptJson(changed)}`, lastExchange(ctx) ?? setExchange);
    }
  },
};

const assignUnassign: CheckDefinition = {
  id: "axisio.set-io-assignment.assign-unassign",
  title: "SetIoAssignment assigns an I/O and an assignment without IoUser unassigns it",
  service: SERVICE,
  rule: "SetIoAssignment assigns an I/O to an IoUser in a mode both support (GetIoAssignmentList then lists exactly that), and the same I/O with no IoUser is unassigned again.",
  specRefs: [ref("assign-io-to-services"), ref("unassign-ios"), ref("setioassignment-command"), ref("getioassignmentlist-command")],
  quirk: "io-unassign-ignored",
  notes: "A fault instead of the IoAssignmentError list is a warning (the page documents no faults).",
  transports: BOTH,
  run: async (ctx) => {
    requireIoPermission(ctx);
    const lists = await readLists(ctx);
    const pair = freePair(lists, (io) => ctx.ios.allows(io));
    if (pair === undefined) {
      const among = ctx.ios.all ? "" : ` among the I/Os named with --io (${ctx.ios.named.map((n) => `"${n}"`).join(", ")})`;
      return ctx.skip(`no IoUser without an I/O has a free I/O with a common mode${among} (GetIoUserInfoList lists ${lists.users.length} IoUsers, GetIoAssignmentList ${lists.assignments.length} assignments)`);
    }
    const { user, io, mode } = pair;
    const key = userKey(user.IoUser);
    // The I/O was free: putting it back means unassigning it.
    ctx.onCleanup(`unassign "${io}"`, async (call) => {
      await call(SET, { IoAssignment: [{ IoName: io, IoMode: mode, IoUser: [] }] });
    });
    const assigned = await setAssignments(ctx, [{ IoName: io, IoMode: mode, IoUser: [user.IoUser] }], `assigning "${io}" to ${key}`);
    if (assigned.length > 0) ctx.fail(`assigning free I/O "${io}" in mode "${mode}" to IoUser ${key} (modes ${excerptJson(user.IoMode)}) failed: ${excerptJson(assigned)}`, lastExchange(ctx));
    const listed = (await readAssignments(ctx)).find((a) => a.IoName === io);
    if (listed === undefined || listed.IoMode !== mode || listed.IoUser.length !== 1 || userKey(listed.IoUser[0]!) !== key) {
      ctx.fail(`after assigning "${io}" in mode "${mode}" to ${key}, GetIoAssignmentList lists ${excerptJson(listed ?? "nothing")} for it`, lastExchange(ctx));
    }
    const unassigned = await setAssignments(ctx, [{ IoName: io, IoMode: mode, IoUser: [] }], `unassigning "${io}"`);
    if (unassigned.length > 0) ctx.fail(`unassigning "${io}" (no IoUser) failed: ${excerptJson(unassigned)}`, lastExchange(ctx));
    const left = (await readAssignments(ctx)).find((a) => a.IoName === io && a.IoUser.length > 0);
    if (left !== undefined) ctx.fail(`after SetIoAssignment of "${io}" with no IoUser, GetIoAssignmentList still assigns it: ${excerptJson(left)}`, lastExchange(ctx));
  },
};

export const ioAssignmentChecks: readonly CheckDefinition[] = [listsConsistent, unknownIoReported, failedChangesNothing, assignUnassign];
