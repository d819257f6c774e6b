/**
 * SOAP response validation: the Body child of a raw response is validated against our own XSD
 * files in wsdl/ with libxml2 (WebAssembly). Relative xs:import locations are served from an
 * in-memory copy of wsdl/ by an input provider, so validation never touches the network and no
 * DTD is loaded.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type * as LibxmlModule from "libxml2-wasm";
import { packagePath } from "../../src/package-root.js";

type Libxml = typeof LibxmlModule;

/** One schema violation: where (element path / line) and what. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

function listXsd(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listXsd(p));
    else if (name.endsWith(".xsd")) out.push(p);
  }
  return out;
}

function toPath(filename: string): string {
  const f = filename.startsWith("file:") ? fileURLToPath(filename) : filename;
  return normalize(resolve(f));
}

let providerFiles: Map<string, Uint8Array> | undefined;

/** Serves files of wsdl/ (and only those) to libxml2. Registered once per process. */
function registerProvider(lx: Libxml, files: Map<string, Uint8Array>): void {
  if (providerFiles !== undefined) {
    for (const [k, v] of files) providerFiles.set(k, v);
    return;
  }
  providerFiles = new Map(files);
  const open = new Map<number, { data: Uint8Array; pos: number }>();
  let nextFd = 1;
  const served = providerFiles;
  lx.xmlRegisterInputProvider({
    match: (filename) => served.has(toPath(filename)),
    open: (filename) => {
      const data = served.get(toPath(filename));
      if (data === undefined) return undefined;
      const fd = nextFd++;
      open.set(fd, { data, pos: 0 });
      return fd;
    },
    read: (fd, buf) => {
      const f = open.get(fd as number);
      if (f === undefined) return -1;
      const n = Math.min(buf.byteLength, f.data.byteLength - f.pos);
      buf.set(f.data.subarray(f.pos, f.pos + n));
      f.pos += n;
      return n;
    },
    close: (fd) => open.delete(fd as number),
  });
}

function targetNamespace(xsd: string): string | undefined {
  return /<(?:\w+:)?schema\b[^>]*\btargetNamespace="([^"]+)"/.exec(xsd)?.[1];
}

export class XsdResponseValidator {
  private constructor(
    private readonly lx: Libxml,
    private readonly validator: InstanceType<Libxml["XsdValidator"]>,
  ) {}

  /** Loads every .xsd under `wsdlDir` (default: the repository's wsdl/). */
  static async load(wsdlDir = packagePath(import.meta.url, "wsdl")): Promise<XsdResponseValidator> {
    const lx = await import("libxml2-wasm");
    const files = new Map<string, Uint8Array>();
    const byNs = new Map<string, string>();
    for (const p of listXsd(wsdlDir)) {
      const bytes = readFileSync(p);
      files.set(toPath(p), new Uint8Array(bytes));
      const ns = targetNamespace(bytes.toString("utf8"));
      if (ns !== undefined && !byNs.has(ns)) byNs.set(ns, toPath(p));
    }
    registerProvider(lx, files);
    const wrapper =
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
      [...byNs].map(([ns, p]) => `<xs:import namespace="${ns}" schemaLocation="${p}"/>`).join("") +
      `</xs:schema>`;
    const doc = lx.XmlDocument.fromString(wrapper, { url: join(toPath(wsdlDir), "__all__.xsd") });
    try {
      return new XsdResponseValidator(lx, lx.XsdValidator.fromDoc(doc));
    } finally {
      doc.dispose();
    }
  }

  /** Validates the first child of the SOAP Body; [] when valid. Not a SOAP envelope → one problem. */
  validateEnvelope(envelope: string): SchemaProblem[] {
    let doc: InstanceType<Libxml["XmlDocument"]>;
    try {
      doc = this.lx.XmlDocument.fromString(envelope);
    } catch (err) {
      return [{ path: "(document)", message: `not well-formed XML: ${err instanceof Error ? err.message : String(err)}` }];
    }
    try {
      const node = doc.get("/*[local-name()='Envelope']/*[local-name()='Body']/*[1]");
      if (node === null || !(node instanceof this.lx.XmlElement)) return [{ path: "/Envelope/Body", message: "the SOAP Body has no child element" }];
      try {
        this.validator.validate(node);
        return [];
      } catch (err) {
        const details = (err as { details?: { message: string; line: number; xpath?: string }[] }).details ?? [];
        if (details.length === 0) return [{ path: `/${node.name}`, message: err instanceof Error ? err.message : String(err) }];
        return details.map((d) => ({ path: d.xpath ?? `line ${d.line}`, message: d.message.trim() }));
      }
    } finally {
      doc.dispose();
    }
  }
}
