/**
 * The device clock. `system` follows real time; `virtual` starts at a chosen instant and moves
 * only when told to (the back door's clock endpoint), so door timeouts, schedules and validity
 * windows can be tested in milliseconds. Every time-driven behaviour (a door relocking after its
 * AccessTime, an open-too-long alarm, a schedule boundary) is a timer on this clock, never a
 * plain setTimeout, so both kinds behave the same.
 */

/** A pending timer; cancel it with Clock.cancel. */
export interface Timer {
  readonly at: number;
  readonly label: string;
}

export interface Clock {
  readonly kind: "system" | "virtual";
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once the clock reaches `at` (at once, on the next turn, if it already has). */
  at(at: number, label: string, fn: () => void): Timer;
  cancel(timer: Timer | undefined): void;
  /** Pending timers, soonest first (for the back door's state and for tests). */
  pending(): readonly Timer[];
  /** Stops every timer (device shutdown). */
  stop(): void;
}

export class ClockError extends Error {
  override readonly name = "ClockError";
  readonly code = "CLOCK";
}

interface Entry extends Timer {
  readonly seq: number;
  readonly fn: () => void;
  handle?: ReturnType<typeof setTimeout>;
}

/** Longest single setTimeout Node accepts; longer waits are chained. */
const MAX_TIMEOUT = 2_147_483_647;

/** Real time; timers are unref'd so a pending door timeout never keeps a process alive. */
export class SystemClock implements Clock {
  readonly kind = "system";
  private readonly timers = new Set<Entry>();
  private seq = 0;

  now(): number {
    return Date.now();
  }

  at(at: number, label: string, fn: () => void): Timer {
    const entry: Entry = { at, label, seq: this.seq++, fn };
    this.timers.add(entry);
    this.arm(entry);
    return entry;
  }

  private arm(entry: Entry): void {
    const delay = Math.max(0, Math.min(MAX_TIMEOUT, entry.at - Date.now()));
    entry.handle = setTimeout(() => {
      if (!this.timers.has(entry)) return;
      if (Date.now() < entry.at) {
        this.arm(entry);
        return;
      }
      this.timers.delete(entry);
      entry.fn();
    }, delay);
    entry.handle.unref();
  }

  cancel(timer: Timer | undefined): void {
    const entry = timer as Entry | undefined;
    if (entry === undefined || !this.timers.delete(entry)) return;
    clearTimeout(entry.handle);
  }

  pending(): readonly Timer[] {
    return [...this.timers].sort(bySchedule).map(({ at, label }) => ({ at, label }));
  }

  stop(): void {
    for (const e of this.timers) clearTimeout(e.handle);
    this.timers.clear();
  }
}

function bySchedule(a: Entry, b: Entry): number {
  return a.at - b.at || a.seq - b.seq;
}

/** Time that moves only on `advance`/`set`; due timers run in time order as it passes them. */
export class VirtualClock implements Clock {
  readonly kind = "virtual";
  private current: number;
  private readonly timers: Entry[] = [];
  private seq = 0;
  private advancing = false;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  at(at: number, label: string, fn: () => void): Timer {
    const entry: Entry = { at: Math.max(at, this.current), label, seq: this.seq++, fn };
    // Kept in bySchedule order: the newest entry goes after every timer due at or before it.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timers[mid]!.at <= entry.at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, entry);
    // Already due (e.g. a zero AccessTime): runs on the next turn, as a system timer would.
    if (entry.at <= this.current && !this.advancing) queueMicrotask(() => this.runDue(this.current));
    return entry;
  }

  cancel(timer: Timer | undefined): void {
    const i = this.timers.indexOf(timer as Entry);
    if (i >= 0) this.timers.splice(i, 1);
  }

  pending(): readonly Timer[] {
    return this.timers.map(({ at, label }) => ({ at, label }));
  }

  stop(): void {
    this.timers.length = 0;
  }

  /**
   * Moves the clock forward by `ms`, running each timer at its own instant (the clock reads that
   * instant while it runs), including timers those timers set within the window.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new ClockError(`cannot advance the clock by ${ms} ms; give a duration of 0 or more`);
    this.runDue(this.current + ms);
  }

  /** Moves the clock to `time`; only forwards (timers never run twice or backwards). */
  set(time: number): void {
    if (!Number.isFinite(time)) throw new ClockError("not a valid time");
    if (time < this.current) throw new ClockError(`the virtual clock only moves forward: ${new Date(time).toISOString()} is before ${new Date(this.current).toISOString()}`);
    this.runDue(time);
  }

  private runDue(target: number): void {
    if (this.advancing) return;
    this.advancing = true;
    try {
      for (;;) {
        const next = this.timers[0];
        if (next === undefined || next.at > target) break;
        this.timers.shift();
        this.current = Math.max(this.current, next.at);
        next.fn();
      }
      this.current = Math.max(this.current, target);
    } finally {
      this.advancing = false;
    }
  }
}

/** `--clock` values: "system", "virtual" (starts now) or "virtual=<ISO 8601 time>". */
export function parseClock(spec: string, now = Date.now()): Clock {
  if (spec === "system") return new SystemClock();
  if (spec === "virtual") return new VirtualClock(now);
  if (spec.startsWith("virtual=")) {
    const iso = spec.slice("virtual=".length);
    const t = Date.parse(iso);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(t)) throw new ClockError(`"${iso}" is not an ISO 8601 time; use e.g. virtual=2026-03-29T00:30:00Z`);
    return new VirtualClock(t);
  }
  throw new ClockError(`"${spec}" is not a clock; use system, virtual or virtual=2026-03-29T00:30:00Z`);
}
