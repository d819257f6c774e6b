/**
 * The event log (30,000 events) and the alarm log (200 alarms), both "oldest out", indexed by
 * rowid: a fetch that continues after a RowID starts at that row instead of scanning the log,
 * so a full log reads in 30 pages of 1000 in linear time.
 */
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

/** Rowids are consecutive (1, 2, 3, … never reused) and only the oldest leaves: a ring buffer indexed by rowid. */
export class EventRing implements RowLog {
  private readonly buf: LogEntry[] = [];
  private head = 0;
  private count = 0;
  private nextRowid = 1;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** Rowid of the oldest entry (the next rowid when empty). */
  get firstRowid(): number {
    return this.nextRowid - this.count;
  }

  get lastRowid(): number {
    return this.nextRowid - 1;
  }

  append(body: EventBody, ms: number): LoggedEvent {
    const event: LoggedEvent = { token: body.token, rowid: this.nextRowid++, UUID: body.UUID, UtcTime: body.UtcTime, KeyValues: body.KeyValues, Tags: body.Tags };
    const entry = { event, ms };
    if (this.count < this.capacity) {
      this.buf[(this.head + this.count) % this.capacity] = entry;
      this.count++;
    } else {
      this.buf[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
    }
    return event;
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
export class AlarmList implements RowLog {
  private entries: LogEntry[] = [];
  private nextRowid = 1;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.length;
  }

  append(body: EventBody, ms: number): LoggedEvent {
    const event: LoggedEvent = { token: body.token, rowid: this.nextRowid++, UUID: body.UUID, UtcTime: body.UtcTime, KeyValues: body.KeyValues, Tags: body.Tags };
    this.entries.push({ event, ms });
    if (this.entries.length > this.capacity) this.entries.shift();
    return event;
  }

  has(token: string): boolean {
    return this.entries.some((e) => e.event.token === token);
  }

  remove(tokens: ReadonlySet<string>): void {
    this.entries = this.entries.filter((e) => !tokens.has(e.event.token));
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
