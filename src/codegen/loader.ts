/**
 * Reads WSDL 1.1 and XSD files into a SchemaSet: every global schema component and WSDL
 * definition keyed by Clark name `{ns}local`. Follows wsdl:import, xs:import and xs:include by
 * relative location; remote (http/https) locations are never fetched but mapped to local files
 * through the catalog, and one that is not mapped is an error naming the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve as resolvePath, sep } from "node:path";
import { CodegenError } from "./errors.js";
import { attr, childrenOf, parseXml, where, type XNode } from "./xml.js";

export const XS = "http://www.w3.org/2001/XMLSchema";
export const WSDL = "http://schemas.xmlsoap.org/wsdl/";
export const SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/";
export const SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/";

export function clark(ns: string, local: string): string {
  return `{${ns}}${local}`;
}

/** One xs:schema element (a file, or inline in wsdl:types), with the defaults its components use. */
export interface SchemaDoc {
  readonly file: string;
  readonly tns: string;
  readonly qualifiedElements: boolean;
  readonly qualifiedAttributes: boolean;
  readonly node: XNode;
  /** Declared in a file the user asked to compile (not reached through an import). */
  readonly isInput: boolean;
}

export interface Component {
  readonly name: string;
  readonly ns: string;
  readonly node: XNode;
  readonly doc: SchemaDoc;
}

export interface WsdlDoc {
  readonly file: string;
  readonly tns: string;
  readonly node: XNode;
  readonly isInput: boolean;
}

export interface WsdlComponent {
  readonly name: string;
  readonly ns: string;
  readonly node: XNode;
  readonly wsdl: WsdlDoc;
}

/** URL → absolute local path. `file` is the catalog's display path, for messages. */
export interface Catalog {
  readonly file?: string;
  readonly entries: ReadonlyMap<string, string>;
}

export class SchemaSet {
  readonly types = new Map<string, Component>();
  readonly elements = new Map<string, Component>();
  readonly groups = new Map<string, Component>();
  readonly attributeGroups = new Map<string, Component>();
  readonly attributes = new Map<string, Component>();
  readonly schemas: SchemaDoc[] = [];
  readonly wsdls: WsdlDoc[] = [];
  readonly messages = new Map<string, WsdlComponent>();
  readonly portTypes = new Map<string, WsdlComponent>();
  readonly bindings: WsdlComponent[] = [];
  /** Namespace URI → prefixes declared for it, in the order met (input files first). */
  readonly prefixHints = new Map<string, string[]>();
  /** Namespace URI → display paths of the files that define components in it, in load order. */
  readonly sources = new Map<string, string[]>();
  /** Namespaces that some loaded schema declares as its targetNamespace. */
  readonly namespaces = new Set<string>();
}

export interface LoadOptions {
  /** Absolute paths of the WSDL (or XSD) files to compile. */
  readonly inputs: readonly string[];
  readonly catalog?: Catalog;
  /** Turns an absolute path into the path shown in messages and headers. */
  readonly display: (absPath: string) => string;
}

/** Reads a catalog file: a JSON object mapping URL → path (relative to the catalog file). */
export function readCatalog(absPath: string, display: (p: string) => string): Catalog {
  const json = readJson(absPath, display(absPath), "catalog");
  const entries = new Map<string, string>();
  const base = dirname(absPath);
  // Accept a flat map, or the map nested one level down (e.g. {"entries": {...}}).
  const collect = (obj: Record<string, unknown>, depth: number): void => {
    for (const [key, value] of Object.entries(obj)) {
      if (typeof value === "string" && /^[a-z][a-z0-9+.-]*:/i.test(key)) entries.set(key, resolvePath(base, value));
      else if (depth === 0 && value !== null && typeof value === "object" && !Array.isArray(value)) collect(value as Record<string, unknown>, 1);
    }
  };
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new CodegenError("CONFIG_INVALID", `${display(absPath)}: a catalog must be a JSON object mapping URL → local path, e.g. {"http://example.com/a.xsd": "a.xsd"}`);
  }
  collect(json as Record<string, unknown>, 0);
  return { file: display(absPath), entries };
}

export function readJson(absPath: string, shown: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (err) {
    throw new CodegenError("FILE_NOT_FOUND", `${shown}: cannot read the ${what} file (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CodegenError("CONFIG_INVALID", `${shown}: the ${what} file is not valid JSON (${(err as Error).message}); fix it`, { cause: err });
  }
}

export function loadSchemaSet(options: LoadOptions): SchemaSet {
  const loader = new Loader(options);
  for (const input of options.inputs) loader.loadFile(input, undefined, true, undefined);
  return loader.set;
}

const isRemote = (loc: string): boolean => /^https?:\/\//i.test(loc);

class Loader {
  readonly set = new SchemaSet();
  private readonly parsed = new Map<string, XNode>();
  /** absPath|chameleonNs of every schema document already processed. */
  private readonly seen = new Set<string>();
  /** Remote URL each local file was loaded for, so its relative imports can go back through the catalog. */
  private readonly baseUrls = new Map<string, string>();

  constructor(private readonly options: LoadOptions) {}

  private parse(absPath: string, from: XNode | undefined, shownRef: string): XNode {
    const cached = this.parsed.get(absPath);
    if (cached) return cached;
    const shown = this.options.display(absPath);
    let text: string;
    try {
      text = readFileSync(absPath, "utf8");
    } catch (err) {
      const at = from ? `${where(from)}: ${shownRef} → ` : "";
      throw new CodegenError("FILE_NOT_FOUND", `${at}${shown}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`, { cause: err });
    }
    const node = parseXml(text, shown);
    this.parsed.set(absPath, node);
    return node;
  }

  /** Resolves a location attribute of `from` to an absolute local path (catalog for remote ones). */
  private locate(location: string, from: XNode, fromAbs: string, ns: string | undefined): string {
    const viaCatalog = (url: string): string => {
      const local = this.options.catalog?.entries.get(url);
      if (local === undefined) {
        const nsText = ns !== undefined ? ` of namespace ${ns}` : "";
        const cat = this.options.catalog?.file;
        const state = cat !== undefined ? `is not in the catalog ${cat}` : "is remote and no catalog was given (pass --catalog FILE)";
        throw new CodegenError(
          "IMPORT_UNRESOLVED",
          `${where(from)}: import${nsText} from ${url} ${state}; remote schemas are never fetched — add "${url}": "<path to a local copy>" to the catalog`,
        );
      }
      this.baseUrls.set(local, url);
      return local;
    };
    if (isRemote(location)) return viaCatalog(location);
    if (/^file:/i.test(location)) return new URL(location).pathname;
    const local = resolvePath(dirname(fromAbs), location);
    const baseUrl = this.baseUrls.get(fromAbs);
    if (!existsSync(local) && baseUrl !== undefined) return viaCatalog(new URL(location, baseUrl).href);
    return local;
  }

  loadFile(absPath: string, from: XNode | undefined, isInput: boolean, expectNs: string | undefined, shownRef = ""): void {
    const root = this.parse(absPath, from, shownRef);
    if (root.ns === WSDL && root.local === "definitions") this.loadWsdl(root, absPath, isInput);
    else if (root.ns === XS && root.local === "schema") this.loadSchema(root, absPath, isInput, undefined, expectNs, from);
    else {
      throw new CodegenError(
        "UNSUPPORTED",
        `${where(root)}: root element {${root.ns}}${root.local} is neither wsdl:definitions (WSDL 1.1) nor xs:schema; only WSDL 1.1 and XSD are compiled`,
      );
    }
  }

  private loadWsdl(root: XNode, absPath: string, isInput: boolean): void {
    const key = `${absPath}|wsdl`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const tns = attr(root, "targetNamespace") ?? "";
    const wsdl: WsdlDoc = { file: root.file, tns, node: root, isInput };
    this.set.wsdls.push(wsdl);
    this.addSource(tns, root.file);
    this.hintPrefixes(root);
    for (const imp of childrenOf(root, WSDL, "import")) {
      const location = attr(imp, "location");
      if (location === undefined || location === "") continue;
      const target = this.locate(location, imp, absPath, attr(imp, "namespace"));
      this.loadFile(target, imp, false, attr(imp, "namespace"), location);
    }
    for (const types of childrenOf(root, WSDL, "types")) {
      for (const schema of childrenOf(types, XS, "schema")) this.loadSchema(schema, absPath, isInput, undefined, undefined, undefined);
    }
    const add = (map: Map<string, WsdlComponent>, node: XNode, kind: string): void => {
      const name = attr(node, "name");
      if (name === undefined) throw new CodegenError("UNSUPPORTED", `${where(node)}: wsdl:${kind} without a name; add name="…"`);
      const id = clark(tns, name);
      if (map.has(id)) throw new CodegenError("DUPLICATE_DEFINITION", `${where(node)}: wsdl:${kind} ${name} is already defined at ${where(map.get(id)!.node)}; rename one`);
      map.set(id, { name, ns: tns, node, wsdl });
    };
    for (const m of childrenOf(root, WSDL, "message")) add(this.set.messages, m, "message");
    for (const pt of childrenOf(root, WSDL, "portType")) add(this.set.portTypes, pt, "portType");
    for (const b of childrenOf(root, WSDL, "binding")) this.set.bindings.push({ name: attr(b, "name") ?? "", ns: tns, node: b, wsdl });
  }

  private loadSchema(node: XNode, absPath: string, isInput: boolean, chameleonNs: string | undefined, expectNs: string | undefined, from: XNode | undefined): void {
    const declared = attr(node, "targetNamespace");
    const inline = this.parsed.get(absPath) !== node;
    const key = `${absPath}|${inline ? `inline@${node.line}` : "file"}|${chameleonNs ?? ""}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (chameleonNs !== undefined && declared !== undefined && declared !== chameleonNs) {
      throw new CodegenError(
        "UNSUPPORTED",
        `${from ? `${where(from)}: ` : ""}xs:include of ${node.file}, whose targetNamespace ${declared} differs from the including schema's ${chameleonNs}; use xs:import for another namespace`,
      );
    }
    const tns = chameleonNs ?? declared ?? "";
    if (expectNs !== undefined && expectNs !== tns) {
      throw new CodegenError(
        "UNKNOWN_REFERENCE",
        `${from ? `${where(from)}: ` : ""}imports namespace ${expectNs} but ${node.file} declares targetNamespace "${tns}"; point the import at the right file (or fix the catalog entry)`,
      );
    }
    const doc: SchemaDoc = {
      file: node.file,
      tns,
      qualifiedElements: attr(node, "elementFormDefault") === "qualified",
      qualifiedAttributes: attr(node, "attributeFormDefault") === "qualified",
      node,
      isInput,
    };
    this.set.schemas.push(doc);
    this.set.namespaces.add(tns);
    this.hintPrefixes(node);
    this.addSource(tns, node.file);
    for (const child of node.children) {
      if (child.ns !== XS) continue;
      switch (child.local) {
        case "import": {
          const loc = attr(child, "schemaLocation");
          const ns = attr(child, "namespace") ?? "";
          // Without schemaLocation the namespace must come from elsewhere (another inline schema,
          // another import); a reference into it that nothing defines fails later, naming it.
          if (loc === undefined || loc === "") break;
          const target = this.locate(loc, child, absPath, ns);
          this.loadFile(target, child, false, ns, loc);
          break;
        }
        case "include":
        case "redefine": {
          const loc = attr(child, "schemaLocation");
          if (loc === undefined || loc === "") throw new CodegenError("UNSUPPORTED", `${where(child)}: xs:${child.local} needs a schemaLocation`);
          const target = this.locate(loc, child, absPath, undefined);
          const included = this.parse(target, child, loc);
          if (included.ns !== XS || included.local !== "schema") {
            throw new CodegenError("UNSUPPORTED", `${where(child)}: ${loc} is not an XSD (root <${included.local}>); xs:${child.local} needs a schema document`);
          }
          this.loadSchema(included, target, isInput, tns, undefined, child);
          break;
        }
        case "complexType":
        case "simpleType":
          this.register(this.set.types, child, doc, "type");
          break;
        case "element":
          this.register(this.set.elements, child, doc, "element");
          break;
        case "group":
          this.register(this.set.groups, child, doc, "group");
          break;
        case "attributeGroup":
          this.register(this.set.attributeGroups, child, doc, "attributeGroup");
          break;
        case "attribute":
          this.register(this.set.attributes, child, doc, "attribute");
          break;
        default:
          break;
      }
    }
  }

  private register(map: Map<string, Component>, node: XNode, doc: SchemaDoc, kind: string): void {
    const name = attr(node, "name");
    if (name === undefined) throw new CodegenError("UNSUPPORTED", `${where(node)}: global xs:${node.local} without a name; add name="…"`);
    const id = clark(doc.tns, name);
    const existing = map.get(id);
    if (existing) {
      // The same definition reached twice (e.g. two WSDLs inlining one schema) is harmless.
      if (canonical(existing.node) === canonical(node)) return;
      throw new CodegenError(
        "DUPLICATE_DEFINITION",
        `${where(node)}: ${kind} ${name} in namespace ${doc.tns} is already defined differently at ${where(existing.node)}; keep one definition`,
      );
    }
    map.set(id, { name, ns: doc.tns, node, doc });
  }

  private hintPrefixes(node: XNode): void {
    for (const [prefix, uri] of node.scope) {
      if (prefix === "" || prefix === "xml") continue;
      const list = this.set.prefixHints.get(uri) ?? [];
      if (!list.includes(prefix)) list.push(prefix);
      this.set.prefixHints.set(uri, list);
    }
  }

  private addSource(ns: string, file: string): void {
    const list = this.set.sources.get(ns) ?? [];
    if (!list.includes(file)) list.push(file);
    this.set.sources.set(ns, list);
  }
}

/** A structural fingerprint of a definition: names, resolved attribute values, no documentation. */
function canonical(node: XNode): string {
  if (node.ns === XS && (node.local === "annotation" || node.local === "documentation")) return "";
  const attrs = node.attrs
    .map((a) => {
      const i = a.value.indexOf(":");
      const uri = i > 0 ? node.scope.get(a.value.slice(0, i)) : undefined;
      return `${a.ns}|${a.local}=${uri !== undefined ? `{${uri}}${a.value.slice(i + 1)}` : a.value}`;
    })
    .sort()
    .join(",");
  return `<{${node.ns}}${node.local} ${attrs}>${node.children.map(canonical).join("")}</>`;
}

/** Absolute path → path relative to `root`, with forward slashes (stable across platforms). */
export function displayPath(root: string, absPath: string): string {
  const rel = isAbsolute(absPath) ? relative(root, absPath) : absPath;
  return rel.split(sep).join("/");
}
