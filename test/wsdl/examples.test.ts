// Our XSDs, checked by an independent validator (libxml2): every example payload written from the
// VAPIX docs validates, and every *.invalid.xml is rejected.
import { describe, expect, it, afterAll } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import { xmlRegisterFsInputProviders } from "libxml2-wasm/lib/nodejs.mjs";

const root = join(process.cwd(), "wsdl");

/** Every wsdl/<dir>/*.xsd by its targetNamespace: a new service's schema is found without editing this test. */
function schemaFilesByNamespace(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === "examples" || dir.name === "notes") continue;
    for (const file of readdirSync(join(root, dir.name)).filter((f) => f.endsWith(".xsd")).sort()) {
      const text = readFileSync(join(root, dir.name, file), "utf8");
      const ns = /<xs:schema\b[^>]*\btargetNamespace="([^"]+)"/.exec(text)?.[1];
      if (ns === undefined) continue;
      if (out[ns] !== undefined) throw new Error(`two schemas for ${ns}: ${out[ns]} and ${dir.name}/${file}`);
      out[ns] = `${dir.name}/${file}`;
    }
  }
  return out;
}
const schemaFiles = schemaFilesByNamespace();

xmlRegisterFsInputProviders();
const validators = new Map<string, XsdValidator>();
for (const [ns, rel] of Object.entries(schemaFiles)) {
  const path = join(root, rel);
  const doc = XmlDocument.fromBuffer(readFileSync(path), { url: path });
  validators.set(ns, XsdValidator.fromDoc(doc));
}
afterAll(() => validators.forEach((v) => v.dispose()));

function validationErrors(file: string): string | null {
  const path = join(root, "examples", file);
  const doc = XmlDocument.fromBuffer(readFileSync(path), { url: path });
  try {
    const validator = validators.get(doc.root.namespaceUri);
    if (validator === undefined) return `no schema for ${doc.root.namespaceUri}`;
    validator.validate(doc);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    doc.dispose();
  }
}

const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".xml")).sort();

describe("wsdl/ schemas against the documented examples", () => {
  it("has examples of both kinds", () => {
    expect(examples.filter((f) => f.includes(".invalid.")).length).toBeGreaterThan(3);
    expect(examples.filter((f) => !f.includes(".invalid.")).length).toBeGreaterThan(20);
  });
  it.each(examples.filter((f) => !f.includes(".invalid.")))("%s validates", (file) => {
    expect(validationErrors(file)).toBeNull();
  });
  it.each(examples.filter((f) => f.includes(".invalid.")))("%s is rejected", (file) => {
    expect(validationErrors(file)).not.toBeNull();
  });
});
