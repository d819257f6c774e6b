/**
 * Seeded randomness: every random choice a check makes (e.g. a paging Limit) derives from the
 * run seed and the check id, so `--seed N` reproduces a run and selecting fewer checks with
 * `--grep` does not change the values the remaining checks use.
 */
import type { Rng } from "./types.js";

/** 32-bit FNV-1a of a string; mixes the check id into the seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for test-data choices (not for security). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(min: number, max: number): number {
      if (max < min) return min;
      return min + Math.floor(next() * (max - min + 1));
    },
  };
}

/** The rng a check gets: seeded from (run seed, check id, protocol). */
export function rngFor(seed: number, checkId: string, protocol: string): Rng {
  return createRng((seed ^ hashString(`${checkId}/${protocol}`)) >>> 0);
}

/** A default seed when the user gave none (reported so the run can be repeated). */
export function defaultSeed(): number {
  return (Date.now() ^ (process.pid << 8)) >>> 0 & 0x7fffffff;
}
