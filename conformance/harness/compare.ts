/** Structural comparison of typed items (VAPIX JSON shape) for set/get, Info/full and parity checks. */

/** JSON with object keys sorted, so equal items give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Differences between what was set and what the device returned, limited to the properties the
 * client sent (the device may add optional fields). An empty string or empty array sent is
 * treated as equal to an absent value (SOAP cannot tell `<Description/>` from no element for
 * optional fields on every device). Returns human-readable paths, e.g. `Name: sent "a", got "b"`.
 */
export function diffSent(sent: unknown, got: unknown, path = "", ignore: readonly string[] = []): string[] {
  if (isEmptyish(sent) && isEmptyish(got)) return [];
  if (Array.isArray(sent)) {
    if (!Array.isArray(got)) return [`${path || "(item)"}: sent ${short(sent)}, got ${short(got)}`];
    if (sent.length !== got.length) return [`${path}: sent ${sent.length} entries ${short(sent)}, got ${got.length} ${short(got)}`];
    return sent.flatMap((s, i) => diffSent(s, got[i], `${path}[${i}]`));
  }
  if (sent !== null && typeof sent === "object") {
    if (got === null || typeof got !== "object" || Array.isArray(got)) return [`${path || "(item)"}: sent ${short(sent)}, got ${short(got)}`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(sent as Record<string, unknown>)) {
      if (ignore.includes(k)) continue;
      out.push(...diffSent(v, (got as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
    }
    return out;
  }
  if (sent === got) return [];
  return [`${path || "(value)"}: sent ${short(sent)}, got ${short(got)}`];
}

function isEmptyish(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

export function short(v: unknown, max = 80): string {
  const t = v === undefined ? "nothing" : JSON.stringify(v);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
