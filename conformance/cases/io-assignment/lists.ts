/**
 * Reading the three I/O lists (GetIoInfoList, GetIoUserInfoList, GetIoAssignmentList) and the
 * rules that tie them together (io-assignment-service.md, "Assign I/O:s").
 */
import type { CheckContext } from "../../harness/types.js";
import { itemsOf } from "../../harness/entity.js";
import { isTrue } from "../generic/support.js";

export const IO_DOC = "io-assignment-service.md";

export interface IoUser {
  readonly Type: string;
  readonly token: string;
  readonly Usage: string;
  readonly MultiIo: boolean;
}

export interface IoInfo {
  readonly IoName: string;
  readonly IoMode: readonly string[];
  readonly pins: readonly string[];
}

export interface IoUserInfo {
  readonly Name: string;
  readonly IoMode: readonly string[];
  readonly IoUser: IoUser;
}

export interface IoAssignment {
  readonly IoName: string;
  readonly IoMode: string;
  readonly IoUser: readonly IoUser[];
}

export interface IoLists {
  readonly ios: readonly IoInfo[];
  readonly users: readonly IoUserInfo[];
  readonly assignments: readonly IoAssignment[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined || v === null ? [] : [str(v)]);

function ioUser(v: unknown): IoUser {
  const o = (v !== null && typeof v === "object" ? v : {}) as Record<string, unknown>;
  return { Type: str(o["Type"]), token: str(o["token"]), Usage: str(o["Usage"]), MultiIo: isTrue(o["MultiIo"]) };
}

/** An IoUser's identity: Type, token and Usage (MultiIo is a property of it). */
export function userKey(u: Pick<IoUser, "Type" | "token" | "Usage">): string {
  return `${u.Type}/${u.token}/${u.Usage}`;
}

export async function readAssignments(ctx: CheckContext): Promise<IoAssignment[]> {
  return itemsOf(await ctx.call("axisio:GetIoAssignmentList", {}), "IoAssignment").map((a) => ({
    IoName: str(a["IoName"]),
    IoMode: str(a["IoMode"]),
    IoUser: (Array.isArray(a["IoUser"]) ? a["IoUser"] : a["IoUser"] === undefined ? [] : [a["IoUser"]]).map(ioUser),
  }));
}

export async function readIos(ctx: CheckContext): Promise<IoInfo[]> {
  return itemsOf(await ctx.call("axisio:GetIoInfoList", {}), "IoInfo").map((i) => ({
    IoName: str(i["IoName"]),
    IoMode: strings(i["IoMode"]),
    pins: itemsOf(i, "PinInfo").map((p) => str(p["Name"])),
  }));
}

export async function readLists(ctx: CheckContext): Promise<IoLists> {
  const ios = await readIos(ctx);
  const users = itemsOf(await ctx.call("axisio:GetIoUserInfoList", {}), "IoUserInfo").map((u) => ({ Name: str(u["Name"]), IoMode: strings(u["IoMode"]), IoUser: ioUser(u["IoUser"]) }));
  return { ios, users, assignments: await readAssignments(ctx) };
}

/** Where the lists disagree: `problems` break a documented rule, `doubts` are only suspicious. */
export function inconsistencies(lists: IoLists): { problems: string[]; doubts: string[] } {
  const problems: string[] = [];
  const doubts: string[] = [];
  const ios = new Map<string, IoInfo>();
  for (const io of lists.ios) {
    if (io.IoName === "") problems.push("GetIoInfoList lists an I/O without IoName");
    else if (ios.has(io.IoName)) problems.push(`GetIoInfoList lists I/O "${io.IoName}" twice (SetIoAssignment addresses I/Os by IoName)`);
    else ios.set(io.IoName, io);
    if (io.IoMode.length === 0) problems.push(`I/O "${io.IoName}" lists no IoMode, so it cannot be assigned`);
  }
  const users = new Map<string, IoUserInfo>();
  for (const u of lists.users) {
    const key = userKey(u.IoUser);
    if (users.has(key)) problems.push(`GetIoUserInfoList lists IoUser ${key} twice`);
    users.set(key, u);
    if (!lists.ios.some((io) => io.IoMode.some((m) => u.IoMode.includes(m)))) {
      doubts.push(`IoUser ${key} ("${u.Name}") needs one of the modes ${JSON.stringify(u.IoMode)}, which no I/O of GetIoInfoList has`);
    }
  }
  const pinOwner = new Map<string, string>();
  const ioCount = new Map<string, string[]>();
  for (const a of lists.assignments) {
    const io = ios.get(a.IoName);
    if (io === undefined) {
      problems.push(`GetIoAssignmentList assigns "${a.IoName}", which GetIoInfoList does not list`);
      continue;
    }
    if (!io.IoMode.includes(a.IoMode)) problems.push(`GetIoAssignmentList has "${a.IoName}" in mode "${a.IoMode}", which is not one of its modes ${JSON.stringify(io.IoMode)}`);
    for (const pin of io.pins) {
      const other = pinOwner.get(pin);
      if (other !== undefined) problems.push(`assigned I/Os "${other}" and "${a.IoName}" both use pin "${pin}" (assigning one unassigns the other)`);
      else pinOwner.set(pin, a.IoName);
    }
    for (const u of a.IoUser) {
      const key = userKey(u);
      const info = users.get(key);
      if (info === undefined) problems.push(`"${a.IoName}" is assigned to IoUser ${key}, which GetIoUserInfoList does not list`);
      else {
        if (!info.IoMode.includes(a.IoMode)) problems.push(`"${a.IoName}" is in mode "${a.IoMode}" for IoUser ${key}, whose modes are ${JSON.stringify(info.IoMode)}`);
        if (!info.IoUser.MultiIo) ioCount.set(key, [...(ioCount.get(key) ?? []), a.IoName]);
      }
    }
  }
  for (const [key, names] of ioCount) if (names.length > 1) problems.push(`IoUser ${key} has MultiIo false but is assigned to ${names.join(", ")}`);
  return { problems, doubts };
}
