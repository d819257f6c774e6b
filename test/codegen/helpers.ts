/** Shared by the codegen tests: compile small inline inputs, find descriptors, type-check output. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { Code } from "../../src/codegen/emit-common.js";
import { typeDescriptorLiteral } from "../../src/codegen/emit-descriptors.js";
import { PROJECT_ROOT, generateWithReport, type GenerateResult } from "../../src/codegen/generate.js";

export const XS_NS = "http://www.w3.org/2001/XMLSchema";
export const TNS = "urn:test:svc";

/** A doc/literal WSDL around `schema` (the inner content of xs:schema), with one operation per entry of `ops`. */
export function wsdl(schema: string, ops: string[] = [], schemaAttrs = 'elementFormDefault="qualified"'): string {
  const messages = ops
    .map((op) => `<wsdl:message name="${op}Request"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>
  <wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`)
    .join("\n  ");
  const portOps = ops
    .map((op) => `<wsdl:operation name="${op}"><wsdl:documentation>Does ${op}.</wsdl:documentation><wsdl:input message="tns:${op}Request"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`)
    .join("\n    ");
  const bindOps = ops.map((op) => `<wsdl:operation name="${op}"><soap:operation soapAction="urn:test:svc/action/${op}"/></wsdl:operation>`).join("\n    ");
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:xs="${XS_NS}" xmlns:tns="${TNS}" targetNamespace="${TNS}">
  <wsdl:types>
    <xs:schema targetNamespace="${TNS}" ${schemaAttrs}>
${schema}
    </xs:schema>
  </wsdl:types>
  ${messages}
  ${ops.length > 0 ? `<wsdl:portType name="SvcPort">\n    ${portOps}\n  </wsdl:portType>` : ""}
  ${ops.length > 0 ? `<wsdl:binding name="SvcBinding" type="tns:SvcPort"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>\n    ${bindOps}\n  </wsdl:binding>` : ""}
</wsdl:definitions>`;
}

export interface Compiled extends GenerateResult {
  /** Contents of `<prefix>/<file>.ts`. */
  file(prefix: string, name: "types" | "descriptors" | "client" | "schemas"): string;
  /** The TypeDescriptor data of type `tsName` in namespace `prefix` (thunks/NS as Code). */
  descriptor(prefix: string, tsName: string): Record<string, unknown>;
  /** One field of that descriptor, by property name. */
  field(prefix: string, tsName: string, name: string): Record<string, unknown>;
}

/**
 * Writes `files` (name → text) to a fresh temp folder and compiles `inputs` (default: the first
 * file). Paths in headers are relative to that folder, so output is stable.
 */
export async function compile(
  files: Record<string, string>,
  options: { inputs?: string[]; catalog?: string; services?: string; allElements?: boolean } = {},
): Promise<Compiled> {
  const dir = mkdtempSync(join(tmpdir(), "codegen-test-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const result = await generateWithReport({
      wsdl: options.inputs ?? [Object.keys(files)[0]!],
      root: dir,
      outDir: join(PROJECT_ROOT, "generated"),
      ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
      ...(options.services !== undefined ? { services: options.services } : {}),
      ...(options.allElements !== undefined ? { allElements: options.allElements } : {}),
    });
    return withHelpers(result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function withHelpers(result: GenerateResult): Compiled {
  const module = (prefix: string) => {
    const m = result.program.modules.find((x) => x.prefix === prefix);
    if (m === undefined) throw new Error(`no module ${prefix}; have ${result.program.modules.map((x) => x.prefix).join(", ")}`);
    return m;
  };
  const descriptor = (prefix: string, tsName: string): Record<string, unknown> => {
    const m = module(prefix);
    const t = m.complex.find((c) => c.tsName === tsName);
    if (t === undefined) throw new Error(`no type ${tsName} in ${prefix}; have ${m.complex.map((c) => c.tsName).join(", ")}`);
    return plain(typeDescriptorLiteral(t, m, result.context)) as Record<string, unknown>;
  };
  return {
    ...result,
    file(prefix, name) {
      const text = result.files.get(`${prefix}/${name}.ts`);
      if (text === undefined) throw new Error(`no ${prefix}/${name}.ts; have ${[...result.files.keys()].join(", ")}`);
      return text;
    },
    descriptor,
    field(prefix, tsName, name) {
      const fields = descriptor(prefix, tsName)["fields"] as Record<string, unknown>[];
      const f = fields.find((x) => x["name"] === name);
      if (f === undefined) throw new Error(`no field ${name} in ${tsName}; have ${fields.map((x) => x["name"]).join(", ")}`);
      return f;
    },
  };
}

/** Code fragments → their text ("NS", "() => FooType"), so tests can compare plain data. */
function plain(v: unknown): unknown {
  if (v instanceof Code) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Runs the TypeScript compiler with the project's options over `rootFiles`; diagnostics as text. */
export function typeCheck(rootFiles: readonly string[]): string[] {
  const configPath = join(PROJECT_ROOT, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, PROJECT_ROOT);
  const program = ts.createProgram({ rootNames: [...rootFiles], options: { ...parsed.options, noEmit: true } });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}
