/**
 * JSON response validation with ajv against the generated JSON Schemas
 * (`generated/<prefix>/schemas.ts`, one schema per message element describing the VAPIX JSON body).
 */
import type { SchemaProblem } from "./schema-xsd.js";

type AnySchema = Record<string, unknown>;
type ValidateFn = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: unknown }[] | null };

interface AjvLike {
  addSchema(schema: AnySchema, key?: string): unknown;
  compile(schema: AnySchema): ValidateFn;
  getSchema(key: string): ValidateFn | undefined;
}

export class JsonResponseValidator {
  private readonly cache = new Map<string, ValidateFn | null>();

  private constructor(
    private readonly ajv: AjvLike,
    private readonly byPrefix: ReadonlyMap<string, Readonly<Record<string, AnySchema>>>,
  ) {}

  /** Loads the generated schemas of every prefix (see json-schema-sources.ts). */
  static async load(): Promise<JsonResponseValidator> {
    const { jsonSchemaSources } = await import("./json-schema-sources.js");
    return JsonResponseValidator.fromSchemas(await jsonSchemaSources());
  }

  static async fromSchemas(byPrefix: ReadonlyMap<string, Readonly<Record<string, AnySchema>>>): Promise<JsonResponseValidator> {
    const first = [...byPrefix.values()].flatMap((r) => Object.values(r))[0];
    const draft = typeof first?.["$schema"] === "string" ? (first["$schema"] as string) : "";
    const mod = draft.includes("2020-12") ? await import("ajv/dist/2020.js") : await import("ajv");
    const AjvCtor = (mod as unknown as { default: new (o: object) => AjvLike }).default;
    const ajv = new AjvCtor({ allErrors: true, strict: false, validateFormats: false });
    // Each generated schema embeds its definitions; compile lazily, one per response element.
    return new JsonResponseValidator(ajv, byPrefix);
  }

  private validatorFor(op: string): ValidateFn | null {
    const hit = this.cache.get(op);
    if (hit !== undefined) return hit;
    const i = op.indexOf(":");
    const prefix = op.slice(0, i);
    const name = `${op.slice(i + 1)}Response`;
    const schema = this.byPrefix.get(prefix)?.[name];
    let fn: ValidateFn | null = null;
    if (schema !== undefined) {
      const id = schema["$id"];
      fn = (typeof id === "string" ? this.ajv.getSchema(id) : undefined) ?? this.ajv.compile(schema);
    }
    this.cache.set(op, fn);
    return fn;
  }

  /** Validates a JSON response body of `op`; a missing schema is reported as a problem. */
  validate(op: string, body: string): SchemaProblem[] {
    const fn = this.validatorFor(op);
    if (fn === null) return [{ path: "(schema)", message: `no generated JSON Schema for ${op}Response` }];
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      return [{ path: "(document)", message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }];
    }
    if (fn(data)) return [];
    return (fn.errors ?? []).map((e) => ({ path: e.instancePath === "" ? "/" : e.instancePath, message: `${e.message ?? "invalid"}${e.params !== undefined ? ` ${JSON.stringify(e.params)}` : ""}` }));
  }
}
