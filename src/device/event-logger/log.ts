/**
 * The event log (30,000 events) and the alarm log (200 alarms), both "oldest out", indexed by
 * rowid: a fetch that continues after a RowID starts at that row instead of scanning the log,
 * so a full log reads in 30 pages of 1000 in linear time.
 */
import type { KeptLog, LogObserver } from "../service.js";
import type { EventBody, LoggedEvent } from "./record.js";

export interface LogEntry {
  readonly event: LoggedEvent;
  /** UtcTime in epoch milliseconds (Start/Stop compare against it). */
  readonly ms: number;
}

/** Where a scan begins: after (or at, when `inclusive`) row `rowId` if given, in rowid order or reversed. */
export interface ScanFrom {
  readonly descending: boolean;
  readonly rowId?: number;
  readonly inclusive: boolean;
}

export interface RowLog {
  readonly size: number;
  append(body: EventBody, ms: number): LoggedEvent;
  /** Visits entries from `from` in order until `visit` returns false. */
  scan(from: ScanFrom, visit: (entry: LogEntry) => boolean): void;
}

/** A saved row read back as a logged event; throws when it is not one. */
function savedEntry(rowid: number, value: unknown): LogEntry {
  const e = value as Partial<LoggedEvent> | null;
  const ok =
    e !== null &&
    typeof e === "object" &&
    e.rowid === rowid &&
    typeof e.token === "string" &&
    typeof e.UUID === "string" &&
    typeof e.UtcTime === "string" &&
    !Number.isNaN(Date.parse(e.UtcTime)) &&
    Array.isArray(e.Tags) &&
    Array.isArray(e.KeyValues) &&
    e.KeyValues.every((kv) => typeof kv?.Key === "string" && typeof kv.Value === "string" && Array.isArray(kv.Tags));
  if (!ok) throw new Error(`row ${rowid} is not a logged event with that rowid (token, UUID, UtcTime, KeyValues, Tags)`);
  return { event: e as LoggedEvent, ms: Date.parse(e.UtcTime!) };
}

/** The observers of a log, told of each change. */
class Observers {
  private list: LogObserver[] = [];

  get any(): boolean {
    return this.list.length > 0;
  }

  add(observer: LogObserver): () => void {
    this.list.push(observer);
    return () => {
      this.list = this.list.filter((o) => o !== observer);
    };
  }

  added(event: LoggedEvent): void {
    for (const o of this.list) o.added(event.rowid, event);
  }

  dropped(rowid: number): void {
    for (const o of this.list) o.dropped(rowid);
  }
}

/** Rowids are consecutive (1, 2, 3, … never reused) and only the oldest leaves: a ring buffer indexed by rowid. */
export class EventRing implements RowLog, KeptLog {
  private buf: LogEntry[] = [];
  private head = 0;
  private count = 0;
  private next = 1;
  private readonly observers = new Observers();

  constructor(readonly capacity: number) {}

  get nextRowid(): number {
    return this.next;
  }

  get size(): number {
    return this.count;
  }

  /** Rowid of the oldest entry (the next rowid when empty). */
  get firstRowid(): number {
    return this.next - this.count;
  }

  get lastRowid(): number {
    return this.next - 1;
  }

  append(body: EventBody, ms: number): LoggedEvent {
    const event: LoggedEvent = { token: body.token, rowid: this.next++, UUID: body.UUID, UtcTime: body.UtcTime, KeyValues: body.KeyValues, Tags: body.Tags };
    const entry = { event, ms };
    if (this.count < this.capacity) {
      this.buf[(this.head + this.count) % this.capacity] = entry;
      this.count++;
    } else {
      const oldest = this.buf[this.head]!.event.rowid;
      this.buf[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
      if (this.observers.any) this.observers.dropped(oldest);
    }
    if (this.observers.any) this.observers.added(event);
    return event;
  }

  *rows(): Iterable<{ readonly rowid: number; readonly value: unknown }> {
    for (let r = this.firstRowid; r <= this.lastRowid; r++) yield { rowid: r, value: this.at(r).event };
  }

  /** Saved rows must be consecutive (only the oldest ever leave a ring) and end before `nextRowid`. */
  load(rows: readonly { readonly rowid: number; readonly value: unknown }[], nextRowid: number): void {
    const kept = rows.slice(-this.capacity);
    kept.forEach((r, i) => {
      if (i > 0 && r.rowid !== kept[i - 1]!.rowid + 1) throw new Error(`rows ${kept[i - 1]!.rowid} and ${r.rowid} are not consecutive`);
    });
    const last = kept.at(-1)?.rowid ?? 0;
    if (!Number.isSafeInteger(nextRowid) || nextRowid <= last || (kept.length > 0 && nextRowid !== last + 1)) throw new Error(`the next rowid ${nextRowid} does not follow the last row (${last})`);
    this.buf = kept.map((r) => savedEntry(r.rowid, r.value));
    this.head = 0;
    this.count = kept.length;
    this.next = nextRowid;
  }

  observe(observer: LogObserver): () => void {
    return this.observers.add(observer);
  }

  private at(rowid: number): LogEntry {
    return this.buf[(this.head + (rowid - this.firstRowid)) % this.capacity]!;
  }

  scan(from: ScanFrom, visit: (entry: LogEntry) => boolean): void {
    const first = this.firstRowid;
    const last = this.lastRowid;
    const step = from.inclusive ? 0 : 1;
    if (from.descending) {
      const start = Math.min(last, from.rowId === undefined ? last : from.rowId - step);
      for (let r = start; r >= first; r--) if (!visit(this.at(r))) return;
    } else {
      const start = Math.max(first, from.rowId === undefined ? first : from.rowId + step);
      for (let r = start; r <= last; r++) if (!visit(this.at(r))) return;
    }
  }
}

/** The alarm log: few entries, removable one by one (RemoveLoggedAlarm), rowids of its own. */
export class AlarmList implements RowLog, KeptLog {
  private entries: LogEntry[] = [];
  private next = 1;
  private readonly observers = new Observers();

  constructor(readonly capacity: number) {}

  get nextRowid(): number {
    return this.next;
  }

  *rows(): Iterable<{ readonly rowid: number; readonly value: unknown }> {
    for (const e of this.entries) yield { rowid: e.event.rowid, value: e.event };
  }

  /** Saved rows must rise and end before `nextRowid` (alarms are removed one by one, so gaps are normal). */
  load(rows: readonly { readonly rowid: number; readonly value: unknown }[], nextRowid: number): void {
    const kept = rows.slice(-this.capacity);
    kept.forEach((r, i) => {
      if (i > 0 && r.rowid <= kept[i - 1]!.rowid) throw new Error(`row ${r.rowid} follows row ${kept[i - 1]!.rowid}`);
    });
    const last = kept.at(-1)?.rowid ?? 0;
    if (!Number.isSafeInteger(nextRowid) || nextRowid <= last) throw new Error(`the next rowid ${nextRowid} does not follow the last row (${last})`);
    this.entries = kept.map((r) => savedEntry(r.rowid, r.value));
    this.next = nextRowid;
  }

  observe(observer: LogObserver): () => void {
    return this.observers.add(observer);
  }

  get size(): number {
    return this.entries.length;
  }

  append(body: EventBody, ms: number): LoggedEvent {
    const event: LoggedEvent = { token: body.token, rowid: this.next++, UUID: body.UUID, UtcTime: body.UtcTime, KeyValues: body.KeyValues, Tags: body.Tags };
    this.entries.push({ event, ms });
    const oldest = this.entries.length > this.capacity ? this.entries.shift() : undefined;
    if (this.observers.any) {
      if (oldest !== undefined) this.observers.dropped(oldest.event.rowid);
      this.observers.added(event);
    }
    return event;
  }

  has(token: string): boolean {
    return this.entries.some((e) => e.event.token === token);
  }

  remove(tokens: ReadonlySet<string>): void {
    const gone = this.entries.filter((e) => tokens.has(e.event.token));
    if (gone.length === 0) return;
    this.entries = this.entries.filter((e) => !tokens.has(e.event.token));
    for (const e of gone) this.observers.dropped(e.event.rowid);
  }

  scan(from: ScanFrom, visit: (entry: LogEntry) => boolean): void {
    const r = from.rowId;
    const n = this.entries.length;
    for (let k = 0; k < n; k++) {
      const entry = this.entries[from.descending ? n - 1 - k : k]!;
      const id = entry.event.rowid;
      if (r !== undefined) {
        if (from.descending ? id > r || (id === r && !from.inclusive) : id < r || (id === r && !from.inclusive)) continue;
      }
      if (!visit(entry)) return;
    }
  }
}
