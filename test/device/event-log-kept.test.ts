/**
 * The event and alarm logs as `--state` keeps them (KeptLog): every row added and dropped is
 * observed, the rows read back in rowid order, and a saved log loads back with its rowids going on
 * where they stopped; rows that cannot be the log's are refused.
 */
import { describe, expect, it } from "@jest/globals";
import { AlarmList, EventRing, type LogEntry } from "../../src/device/event-logger/log.js";
import type { EventBody } from "../../src/device/event-logger/record.js";

const T0 = Date.parse("2026-01-05T08:00:00Z");

function body(n: number): EventBody {
  return { token: `Axis-00408c184bdb:${1767600000 + n}.000000000`, UUID: "5581ad80-95b0-11e0-b883-00408c184bdb", UtcTime: new Date(T0 + n * 1000).toISOString(), KeyValues: [{ Key: "topic0", Value: "Door", Tags: [] }], Tags: [] };
}

function watch(log: EventRing | AlarmList): { added: number[]; dropped: number[]; off: () => void } {
  const seen = { added: [] as number[], dropped: [] as number[] };
  const off = log.observe({ added: (rowid) => seen.added.push(rowid), dropped: (rowid) => seen.dropped.push(rowid) });
  return { ...seen, off };
}

function scanned(log: EventRing | AlarmList): number[] {
  const out: number[] = [];
  log.scan({ descending: false, inclusive: true }, (e: LogEntry) => (out.push(e.event.rowid), true));
  return out;
}

describe("EventRing as a kept log", () => {
  it("tells its observer of each row added and each oldest row dropped", () => {
    const ring = new EventRing(3);
    const seen = watch(ring);
    for (let n = 1; n <= 5; n++) ring.append(body(n), T0 + n * 1000);
    expect(seen.added).toEqual([1, 2, 3, 4, 5]);
    expect(seen.dropped).toEqual([1, 2]);
    expect([...ring.rows()].map((r) => r.rowid)).toEqual([3, 4, 5]);
    expect(ring.nextRowid).toBe(6);
    seen.off();
    ring.append(body(6), T0);
    expect(seen.added).toHaveLength(5);
  });

  it("loads saved rows back: the same rows, rowids going on, the ring still dropping its oldest", () => {
    const ring = new EventRing(3);
    for (let n = 1; n <= 5; n++) ring.append(body(n), T0 + n * 1000);
    const copy = new EventRing(3);
    copy.load(JSON.parse(JSON.stringify([...ring.rows()])) as { rowid: number; value: unknown }[], ring.nextRowid);
    expect(scanned(copy)).toEqual([3, 4, 5]);
    expect([...copy.rows()]).toEqual([...ring.rows()]);
    expect(copy.append(body(6), T0).rowid).toBe(6);
    expect(scanned(copy)).toEqual([4, 5, 6]);
    // An empty log keeps its next rowid: a log that was never written starts at 1.
    const empty = new EventRing(3);
    empty.load([], 1);
    expect(empty.append(body(1), T0).rowid).toBe(1);
  });

  it("refuses rows that are not consecutive, a next rowid that does not follow, and rows that are not logged events", () => {
    const rows = [...(() => { const r = new EventRing(5); for (let n = 1; n <= 3; n++) r.append(body(n), T0); return r; })().rows()];
    expect(() => new EventRing(5).load([rows[0]!, rows[2]!], 4)).toThrow("rows 1 and 3 are not consecutive");
    expect(() => new EventRing(5).load(rows, 7)).toThrow("the next rowid 7 does not follow the last row (3)");
    expect(() => new EventRing(5).load([{ rowid: 1, value: { token: "x" } }], 2)).toThrow("row 1 is not a logged event with that rowid");
    expect(() => new EventRing(5).load([{ rowid: 2, value: rows[0]!.value }], 3)).toThrow("row 2 is not a logged event with that rowid");
  });
});

describe("AlarmList as a kept log", () => {
  it("tells of alarms removed and the oldest dropped, and keeps the next rowid after the newest is removed", () => {
    const alarms = new AlarmList(3);
    const seen = watch(alarms);
    const logged = [1, 2, 3, 4].map((n) => alarms.append(body(n), T0));
    expect(seen.dropped).toEqual([1]);
    alarms.remove(new Set([logged[3]!.token, "unknown"]));
    expect(seen.dropped).toEqual([1, 4]);
    expect([...alarms.rows()].map((r) => r.rowid)).toEqual([2, 3]);
    const copy = new AlarmList(3);
    copy.load([...alarms.rows()], alarms.nextRowid);
    // Rowid 4 was removed, never to be given again.
    expect(copy.append(body(5), T0).rowid).toBe(5);
    expect(scanned(copy)).toEqual([2, 3, 5]);
    expect(() => new AlarmList(3).load([...copy.rows()].reverse(), 6)).toThrow("row 3 follows row 5");
  });
});
