/**
 * The device's own data model: a small declarative shape per structure, used to normalise and
 * validate every request value (JSON as real clients send it, or the codec's decoded SOAP) into
 * one canonical typed shape (= VAPIX JSON shape, keys in schema order, lists always arrays,
 * unknown keys dropped). Validation happens before any state change.
 */

export type Shape = StringShape | NumberShape | BooleanShape | AnyShape | ObjectShape;

export interface StringShape {
  readonly kind: "string";
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  /** xs:dateTime, or empty (VAPIX leaves ValidFrom/ValidTo empty for "no restriction"). */
  readonly dateTimeOrEmpty?: boolean;
}
export interface NumberShape {
  readonly kind: "int";
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanShape {
  readonly kind: "boolean";
}
/** Kept as sent (extension points). */
export interface AnyShape {
  readonly kind: "any";
}
export interface ObjectShape {
  readonly kind: "object";
  readonly name: string;
  readonly fields: readonly FieldShape[];
}

export interface FieldShape {
  readonly name: string;
  readonly shape: Shape;
  readonly required: boolean;
  readonly many: boolean;
  /** Filled in when the field is absent (keeps stored items schema-valid when clients omit it). */
  readonly fallback?: unknown;
}

export class ShapeError extends Error {
  override readonly name = "ShapeError";
  readonly code = "SHAPE_INVALID";
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}`);
  }
}

export const str = (maxLength?: number): StringShape => (maxLength === undefined ? { kind: "string" } : { kind: "string", maxLength });
export const enumOf = (...values: string[]): StringShape => ({ kind: "string", enum: values });
export const dateTimeOrEmpty: StringShape = { kind: "string", dateTimeOrEmpty: true };
export const int = (min = -2147483648, max = 2147483647): NumberShape => ({ kind: "int", min, max });
export const long: NumberShape = { kind: "int", min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
export const bool: BooleanShape = { kind: "boolean" };
export const anything: AnyShape = { kind: "any" };
export const obj = (name: string, fields: readonly FieldShape[]): ObjectShape => ({ kind: "object", name, fields });

export const req = (name: string, shape: Shape): FieldShape => ({ name, shape, required: true, many: false });
/** Required by the schema, but filled with `fallback` when a client omits it. */
export const dflt = (name: string, shape: Shape, fallback: unknown): FieldShape => ({ name, shape, required: true, many: false, fallback });
export const opt = (name: string, shape: Shape): FieldShape => ({ name, shape, required: false, many: false });
export const list = (name: string, shape: Shape): FieldShape => ({ name, shape, required: false, many: true });
/** A list with at least one item. */
export const list1 = (name: string, shape: Shape): FieldShape => ({ name, shape, required: true, many: true });

/** pt:ReferenceToken / pt:Name / pt:Description length facets. */
export const TOKEN = str(64);
export const NAME = str(64);
export const DESCRIPTION = str(1024);

/** A request of one required Token (the commands on one item: GetDoorState, LockDoor, …). */
export const tokenRequest = (name: string): ObjectShape => obj(name, [req("Token", TOKEN)]);
/** A request that "shall be empty". */
export const emptyRequest = (name: string): ObjectShape => obj(name, []);

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Normalise `value` to `shape`; throws ShapeError naming the path of the first problem. */
export function normalize(value: unknown, shape: Shape, path: string): unknown {
  switch (shape.kind) {
    case "string": {
      let s: string;
      if (typeof value === "string") s = value;
      else if (typeof value === "number" && Number.isFinite(value)) s = String(value);
      else if (typeof value === "boolean") s = String(value);
      else throw new ShapeError(path, `expected a string, got ${describe(value)}`);
      if (shape.maxLength !== undefined && [...s].length > shape.maxLength) {
        throw new ShapeError(path, `${[...s].length} characters; at most ${shape.maxLength} allowed`);
      }
      if (shape.enum !== undefined && !shape.enum.includes(s)) {
        throw new ShapeError(path, `"${s}" is not one of ${shape.enum.join(", ")}`);
      }
      if (shape.dateTimeOrEmpty === true && s !== "" && (!DATE_TIME.test(s) || Number.isNaN(Date.parse(s)))) {
        throw new ShapeError(path, `"${s}" is not an xs:dateTime such as 2038-01-01T00:00:00Z (or empty)`);
      }
      return s;
    }
    case "int": {
      let n: number;
      if (typeof value === "number") n = value;
      else if (typeof value === "string" && INTEGER.test(value)) n = Number(value);
      else throw new ShapeError(path, `expected an integer, got ${describe(value)}`);
      if (!Number.isSafeInteger(n)) throw new ShapeError(path, `expected an integer, got ${String(value)}`);
      if ((shape.min !== undefined && n < shape.min) || (shape.max !== undefined && n > shape.max)) {
        throw new ShapeError(path, `${n} is out of range [${shape.min}, ${shape.max}]`);
      }
      return n;
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      if (typeof value === "string") {
        const t = value.trim().toLowerCase();
        if (t === "true" || t === "1") return true;
        if (t === "false" || t === "0") return false;
      }
      throw new ShapeError(path, `expected a boolean (true/false), got ${describe(value)}`);
    }
    case "any":
      return value;
    case "object": {
      if (!isPlainObject(value)) throw new ShapeError(path, `expected a ${shape.name} object, got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      for (const field of shape.fields) {
        const raw = value[field.name];
        const fpath = `${path}.${field.name}`;
        if (raw === undefined || raw === null) {
          if (field.many) {
            if (field.required) throw new ShapeError(fpath, "missing required field (at least one item)");
            out[field.name] = [];
          } else if (field.fallback !== undefined) {
            out[field.name] = structuredClone(field.fallback);
          } else if (field.required) {
            throw new ShapeError(fpath, "missing required field");
          }
          continue;
        }
        if (field.many) {
          const arr = Array.isArray(raw) ? raw : [raw];
          if (field.required && arr.length === 0) throw new ShapeError(fpath, "missing required field (at least one item)");
          out[field.name] = arr.map((item, i) => normalize(item, field.shape, `${fpath}[${i}]`));
        } else if (Array.isArray(raw)) {
          if (raw.length !== 1) throw new ShapeError(fpath, `expected one value, got a list of ${raw.length}`);
          out[field.name] = normalize(raw[0], field.shape, fpath);
        } else {
          out[field.name] = normalize(raw, field.shape, fpath);
        }
      }
      return out;
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

/** Keep only the named keys, in the given order (Info forms derive from full items this way). */
export function pick(item: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (item[k] !== undefined) out[k] = structuredClone(item[k]);
  return out;
}
