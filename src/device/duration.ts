/**
 * xs:duration values as the door controller uses them (AccessTime "PT10S", OpenTooLongTime,
 * HeartbeatInterval "PT600S"): days, hours, minutes and (fractional) seconds. Years and months
 * have no fixed length and are refused.
 */

const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an xs:duration, or undefined when it is not one this device understands. */
export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  if (m === null || value.trim() === "P" || value.trim().endsWith("T")) return undefined;
  const [, neg, d, h, min, sec] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(sec ?? 0) * 1000);
  return neg === undefined ? ms : -ms;
}

/** Milliseconds of a non-negative xs:duration (door and IdPoint times), or undefined for anything else. */
export function parseNonNegativeDuration(value: string): number | undefined {
  const ms = parseDuration(value);
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

/** The xs:duration of a number of milliseconds, in seconds form ("PT10S", "PT0.5S"). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const s = Math.abs(ms) / 1000;
  return `${sign}PT${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, "")}S`;
}
