/**
 * Timing for `npm run bench`: a raw call and a stub call measured in alternating batches, so both
 * see the same machine state (the other core busy or not, GC pressure, CPU frequency).
 */

/** Median per-call time of one side, with the spread of the rounds. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface PairedTiming {
  readonly raw: Timing;
  readonly stub: Timing;
  /**
   * The median over rounds of raw ÷ stub (1.0 = the stub adds nothing). Each round's two
   * batches run back to back, so a round's ratio is immune to the machine drifting between
   * rounds (on a shared VM, absolute times move by ±20% within a minute).
   */
  readonly ratio: number;
}

/** Median, fastest and slowest per-call time over rounds of `calls` calls each. */
function summarize(perCall: number[]): Timing {
  const s = [...perCall].sort((a, b) => a - b);
  return { medianMs: s[Math.floor(s.length / 2)]!, minMs: s[0]!, maxMs: s[s.length - 1]! };
}

async function batch(calls: number, fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / calls;
}

/** One function alone: `rounds` batches of `calls` calls after a warm-up batch. */
export async function measure(rounds: number, calls: number, fn: () => Promise<unknown>): Promise<Timing> {
  await batch(Math.max(3, calls), fn);
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) perCall.push(await batch(calls, fn));
  return summarize(perCall);
}

/**
 * Raw and stub interleaved: each round runs one batch of each, alternating which goes first.
 * The warm-up runs `warmup` calls of each first, so the optimizing compiler has seen both.
 */
export async function measurePaired(rounds: number, calls: number, raw: () => Promise<unknown>, stub: () => Promise<unknown>, warmup = calls): Promise<PairedTiming> {
  await batch(Math.max(3, warmup), raw);
  await batch(Math.max(3, warmup), stub);
  const rawTimes: number[] = [];
  const stubTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      rawTimes.push(await batch(calls, raw));
      stubTimes.push(await batch(calls, stub));
    } else {
      stubTimes.push(await batch(calls, stub));
      rawTimes.push(await batch(calls, raw));
    }
  }
  const ratios = rawTimes.map((raw, i) => raw / stubTimes[i]!).sort((a, b) => a - b);
  return { raw: summarize(rawTimes), stub: summarize(stubTimes), ratio: ratios[Math.floor(ratios.length / 2)]! };
}

/** Synchronous CPU work (no I/O): median per-call time. */
export function measureSync(rounds: number, calls: number, fn: () => unknown): Timing {
  for (let i = 0; i < Math.max(3, calls); i++) fn();
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - start) / 1e6 / calls);
  }
  return summarize(perCall);
}

export function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 100 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`;
}
