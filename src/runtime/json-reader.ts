/**
 * The fast path for VAPIX JSON responses: reads the typed value straight from the text (whole or
 * in pieces, see text-pieces.ts), without JSON.parse, an intermediate object tree or a second
 * normalising pass.
 *
 * It takes only what it can decode exactly as `normalizeJson(JSON.parse(text))` would: valid
 * JSON whose keys are all fields of the type, each value already of the field's JSON type
 * (strings for strings, numbers for numbers, true/false, arrays for repeated fields, objects for
 * complex ones), no duplicate keys, occurrence counts and required fields satisfied. Anything
 * else (a fault body, an unknown key, a number sent as a string, a syntax error, a string cut by
 * a piece boundary) makes it decline, and the caller takes the exact path, which gives the value
 * or the precise error. So the fast path changes speed, never results.
 */
import { compile, type CompiledType } from "./codec.js";
import type { ElementField, TypeDescriptor } from "./model.js";

const K_STRING = 0;
const K_NUMBER = 1;
const K_BOOLEAN = 2;
const K_OBJECT = 3;
/** Left to the exact path when present (xs:list). */
const K_OTHER = 4;

interface JField {
  readonly name: string;
  /** Position in schema order (the key order of the result). */
  readonly order: number;
  readonly kind: 0 | 1 | 2 | 3 | 4;
  readonly many: boolean;
  readonly min: number;
  readonly max: number;
  readonly required: boolean;
  readonly type: TypeDescriptor | undefined;
  plan: JPlan | undefined;
  /** The key that followed this one last time: tried before the map. */
  next: JField | undefined;
}

interface JPlan {
  /** False when the type is left to the exact path (more than 31 fields, or a field named Fault). */
  readonly ok: boolean;
  readonly fields: readonly JField[];
  readonly byName: ReadonlyMap<string, JField>;
  readonly requiredMask: number;
  /** The first key last time. */
  first: JField | undefined;
}

const plans = new WeakMap<CompiledType, JPlan>();

function planOf(ct: CompiledType): JPlan {
  const hit = plans.get(ct);
  if (hit !== undefined) return hit;
  const fields: JField[] = [];
  let ok = true;
  let requiredMask = 0;
  for (const f of ct.desc.fields) {
    // xs:any / xs:anyAttribute keep a key of that name as sent; no such key, nothing to do.
    if (f.node === "any" || f.node === "anyAttribute") continue;
    const t = f.type;
    const kind = t.kind === "complex" ? K_OBJECT : t.kind === "list" ? K_OTHER : t.js === "string" ? K_STRING : t.js === "number" ? K_NUMBER : K_BOOLEAN;
    const el = f.node === "element" ? (f as ElementField) : undefined;
    const required = el !== undefined ? el.min > 0 : f.node === "attribute" && f.required;
    const order = fields.length;
    if (required) requiredMask |= 1 << order;
    fields.push({
      name: f.name,
      order,
      kind,
      many: el?.many === true,
      min: el?.min ?? 0,
      max: el === undefined || el.max === "unbounded" ? Infinity : el.max,
      required,
      type: t.kind === "complex" ? t.type() : undefined,
      plan: undefined,
      next: undefined,
    });
  }
  // A field named "Fault" would make a fault body look like a value: leave those to the exact path.
  if (fields.length > 31 || fields.some((f) => f.name === "Fault")) ok = false;
  const plan: JPlan = { ok, fields, byName: new Map(fields.map((f) => [f.name, f])), requiredMask, first: undefined };
  plans.set(ct, plan);
  return plan;
}

function subPlan(f: JField): JPlan {
  return (f.plan ??= planOf(compile(f.type!)));
}

/** Thrown inside the reader to give up; never escapes decodeJsonFast. */
const DECLINE: unique symbol = Symbol("decline");

function decline(): never {
  throw DECLINE;
}

const MAX_DEPTH = 64;
/** A piece with none of these has no escapes and no raw control characters in any string. */
const NEEDS_STRING_CHECK = /[\x00-\x1f\\]/;

class Cursor {
  t: string;
  pos = 0;
  /** Whether strings of the current piece need the character-by-character check. */
  check: boolean;
  private idx = 0;

  constructor(private readonly pieces: readonly string[]) {
    this.t = pieces[0] ?? "";
    this.check = NEEDS_STRING_CHECK.test(this.t);
  }

  /** Skips JSON whitespace, moving to the next piece at the end of one; the next char code (NaN at the end). */
  ws(): number {
    for (;;) {
      // Reads stay in bounds: an out-of-range charCodeAt would send the optimized code back to
      // the generic builtin.
      const t = this.t;
      const n = t.length;
      let p = this.pos;
      while (p < n) {
        const c = t.charCodeAt(p);
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.pos = p;
          return c;
        }
        p++;
      }
      this.pos = p;
      if (this.idx + 1 >= this.pieces.length) return NaN;
      this.t = this.pieces[++this.idx];
      this.pos = 0;
      this.check = NEEDS_STRING_CHECK.test(this.t);
    }
  }

  /** Only whitespace is left. */
  atEnd(): boolean {
    return Number.isNaN(this.ws());
  }

  /** A string token at pos (pos at its opening quote). */
  str(): string {
    const t = this.t;
    const start = this.pos + 1;
    const end = t.indexOf('"', start);
    if (end === -1) decline();
    if (!this.check) {
      this.pos = end + 1;
      return t.slice(start, end);
    }
    for (let i = start; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x20) decline();
      if (c === 0x5c) return this.escaped(start);
    }
    this.pos = end + 1;
    return t.slice(start, end);
  }

  /** A string with escapes, decoded as JSON.parse does (RFC 8259 §7). */
  private escaped(start: number): string {
    const t = this.t;
    let out = "";
    let run = start;
    let i = start;
    for (;;) {
      if (i >= t.length) decline();
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) decline();
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(run, i);
      const e = t.charCodeAt(i + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += "\\"; break;
        case 0x2f: out += "/"; break;
        case 0x62: out += "\b"; break;
        case 0x66: out += "\f"; break;
        case 0x6e: out += "\n"; break;
        case 0x72: out += "\r"; break;
        case 0x74: out += "\t"; break;
        case 0x75: {
          let code = 0;
          for (let k = i + 2; k < i + 6; k++) {
            const h = t.charCodeAt(k);
            const d = h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
            if (d < 0) decline();
            code = code * 16 + d;
          }
          out += String.fromCharCode(code);
          i += 4;
          break;
        }
        default:
          decline();
      }
      i += 2;
      run = i;
    }
    this.pos = i + 1;
    return out + t.slice(run, i);
  }

  /** A number token at pos, by the JSON grammar. */
  num(): number {
    const t = this.t;
    const n = t.length;
    const start = this.pos;
    let p = start;
    // A number never ends a piece (pieces end after a ","), so running off the end declines.
    let c = codeAt(t, n, p);
    if (c === 0x2d) c = codeAt(t, n, ++p);
    if (c === 0x30) c = codeAt(t, n, ++p);
    else if (c >= 0x31 && c <= 0x39) {
      do c = codeAt(t, n, ++p);
      while (c >= 0x30 && c <= 0x39);
    } else decline();
    if (c === 0x2e) {
      c = codeAt(t, n, ++p);
      if (!(c >= 0x30 && c <= 0x39)) decline();
      do c = codeAt(t, n, ++p);
      while (c >= 0x30 && c <= 0x39);
    }
    if (c === 0x65 || c === 0x45) {
      c = codeAt(t, n, ++p);
      if (c === 0x2b || c === 0x2d) c = codeAt(t, n, ++p);
      if (!(c >= 0x30 && c <= 0x39)) decline();
      do c = codeAt(t, n, ++p);
      while (c >= 0x30 && c <= 0x39);
    }
    if (c === -1) decline();
    this.pos = p;
    return Number(t.slice(start, p));
  }

  /** `true`, `false` or `null` at pos (first char already known); the value, null for null. */
  literal(c: number): boolean | null {
    const t = this.t;
    const p = this.pos;
    if (p + 5 > t.length) return this.literalSlow(c);
    if (c === 0x74 && t.charCodeAt(p + 1) === 0x72 && t.charCodeAt(p + 2) === 0x75 && t.charCodeAt(p + 3) === 0x65) {
      this.pos = p + 4;
      return true;
    }
    if (c === 0x66 && t.charCodeAt(p + 1) === 0x61 && t.charCodeAt(p + 2) === 0x6c && t.charCodeAt(p + 3) === 0x73 && t.charCodeAt(p + 4) === 0x65) {
      this.pos = p + 5;
      return false;
    }
    if (c === 0x6e && t.charCodeAt(p + 1) === 0x75 && t.charCodeAt(p + 2) === 0x6c && t.charCodeAt(p + 3) === 0x6c) {
      this.pos = p + 4;
      return null;
    }
    return decline();
  }

  private literalSlow(c: number): boolean | null {
    const rest = this.t.slice(this.pos, this.pos + 5);
    if (c === 0x74 && rest.startsWith("true")) {
      this.pos += 4;
      return true;
    }
    if (c === 0x66 && rest === "false") {
      this.pos += 5;
      return false;
    }
    if (c === 0x6e && rest.startsWith("null")) {
      this.pos += 4;
      return null;
    }
    return decline();
  }
}

/** The char code at `i`, or -1 past the end (no out-of-range read: see Cursor.ws). */
function codeAt(t: string, n: number, i: number): number {
  return i < n ? t.charCodeAt(i) : -1;
}

/** One value of field `f`; undefined for `null` (absent, as normalizeJson has it). */
function readValue(cur: Cursor, f: JField, depth: number): unknown {
  const c = cur.ws();
  switch (f.kind) {
    case K_STRING:
      if (c === 0x22) return cur.str();
      break;
    case K_NUMBER:
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return cur.num();
      break;
    case K_BOOLEAN:
      if (c === 0x74 || c === 0x66) return cur.literal(c);
      break;
    case K_OBJECT:
      if (c === 0x7b) return readObject(cur, subPlan(f), depth + 1);
      break;
    default:
      return decline();
  }
  if (c === 0x6e && cur.literal(c) === null) return undefined;
  return decline();
}

function readObject(cur: Cursor, plan: JPlan, depth: number): Record<string, unknown> {
  if (!plan.ok || depth > MAX_DEPTH) decline();
  cur.pos++; // the "{"
  const out: Record<string, unknown> = {};
  let seen = 0;
  let last = -1;
  let prev: JField | undefined;
  let sorted = true;
  const fields = plan.fields;
  let c = cur.ws();
  if (c === 0x7d) {
    cur.pos++;
  } else {
    for (;;) {
      if (c !== 0x22) decline();
      // A key with an escape or a control character matches no field name: declined below.
      const t = cur.t;
      const ks = cur.pos + 1;
      const ke = t.indexOf('"', ks);
      if (ke === -1) decline();
      const key = t.slice(ks, ke);
      // Devices write keys in the same order every time: try the one that came next last time.
      const guess = prev === undefined ? plan.first : prev.next;
      const f = guess !== undefined && guess.name === key ? guess : plan.byName.get(key);
      if (f === undefined) decline();
      if (prev === undefined) plan.first = f;
      else prev.next = f;
      prev = f;
      const bit = 1 << f.order;
      if ((seen & bit) !== 0) decline();
      seen |= bit;
      if (f.order < last) sorted = false;
      last = f.order;
      cur.pos = ke + 1;
      if (cur.ws() !== 0x3a) decline();
      cur.pos++;
      if (f.many) {
        if (cur.ws() !== 0x5b) decline();
        cur.pos++;
        let items: unknown[] | undefined;
        c = cur.ws();
        if (c === 0x5d) {
          cur.pos++;
        } else {
          for (;;) {
            const v = readValue(cur, f, depth);
            if (v !== undefined) (items ??= []).push(v);
            c = cur.ws();
            cur.pos++;
            if (c === 0x2c) continue;
            if (c === 0x5d) break;
            decline();
          }
        }
        if (items !== undefined) {
          if (items.length < f.min || items.length > f.max) decline();
          out[f.name] = items;
        }
      } else {
        const v = readValue(cur, f, depth);
        if (v !== undefined) out[f.name] = v;
      }
      c = cur.ws();
      cur.pos++;
      if (c === 0x2c) {
        c = cur.ws();
        continue;
      }
      if (c === 0x7d) break;
      decline();
    }
  }
  if (plan.requiredMask !== 0) {
    for (let i = 0; i < fields.length; i++) if (fields[i].required && out[fields[i].name] === undefined) decline();
  }
  if (sorted) return out;
  // Keys came in another order: the exact path returns them in schema order.
  const ordered: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const v = out[fields[i].name];
    if (v !== undefined) ordered[fields[i].name] = v;
  }
  return ordered;
}

/**
 * The typed value of a JSON body (whole, or pieces each ending right after a `,`), or undefined
 * when the body is not one the fast path takes (see the module comment): then use
 * `normalizeJson(JSON.parse(text), type)`, which is what this returns whenever it returns.
 */
export function decodeJsonFast(input: string | readonly string[], type: TypeDescriptor): Record<string, unknown> | undefined {
  const cur = new Cursor(typeof input === "string" ? [input] : input);
  try {
    if (cur.ws() !== 0x7b) return undefined;
    const value = readObject(cur, planOf(compile(type)), 0);
    if (!cur.atEnd()) return undefined;
    return value;
  } catch (err) {
    if (err === DECLINE) return undefined;
    // Only a stack overflow on absurd input could land here; the exact path reports it.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * The server's fast path for a VAPIX JSON request `{"<prefix>:<Operation>": {…}}`: exactly one
 * key, whose type `typeOf` gives, and an object value decoded as decodeJsonFast does. Returns
 * undefined whenever the exact path (JSON.parse, then normalizeJson, lenient or strict) could
 * answer differently, including with an error: a value taken here is one on which strict and
 * lenient normalizing agree.
 */
export function decodeJsonRequestFast(text: string, typeOf: (key: string) => TypeDescriptor | undefined): { key: string; value: Record<string, unknown> } | undefined {
  const cur = new Cursor([text]);
  try {
    if (cur.ws() !== 0x7b) return undefined;
    cur.pos++;
    if (cur.ws() !== 0x22) return undefined;
    const key = cur.str();
    const type = typeOf(key);
    if (type === undefined || cur.ws() !== 0x3a) return undefined;
    cur.pos++;
    if (cur.ws() !== 0x7b) return undefined;
    const value = readObject(cur, planOf(compile(type)), 0);
    if (cur.ws() !== 0x7d) return undefined;
    cur.pos++;
    return cur.atEnd() ? { key, value } : undefined;
  } catch (err) {
    if (err === DECLINE || err instanceof RangeError) return undefined;
    throw err;
  }
}
