/**
 * SchemaSet (raw components) → Program (resolved, flattened, named definitions per namespace).
 *
 * Only what is reachable is emitted: the messages of the compiled WSDLs' operations and the
 * global components declared in the input files themselves, followed transitively. Imported
 * schemas (e.g. ONVIF's onvif.xsd) contribute just the parts those reach, unless
 * `allElements` makes every global element of every loaded schema a root too.
 */
import { CodegenError } from "./errors.js";
import type {
  AttributeFieldDef,
  ComplexDef,
  ElementDef,
  FieldDef,
  ListValue,
  Max,
  NsModule,
  PortTypeDef,
  Program,
  Scalar,
  ScalarValue,
  SimpleDef,
  Value,
} from "./ir.js";
import { SOAP11, SOAP12, WSDL, XS, clark, type Component, type SchemaDoc, type SchemaSet, type WsdlComponent } from "./loader.js";
import { NameScope, toIdentifier } from "./naming.js";
import { attr, childrenOf, firstChild, textContent, where, type XNode } from "./xml.js";

/** Per-namespace settings (from services.json). */
export interface NamespaceConfig {
  readonly prefix: string;
  readonly jsonPath?: string;
}

export interface CompileOptions {
  readonly namespaces?: ReadonlyMap<string, NamespaceConfig>;
  /**
   * Also emit the global elements (and what they reach) of imported schemas, not only of the input
   * files; default false. For schemas that are all one's own: an element carried only inside an
   * xs:any (tt:Message in wsnt:Message) is reached by no operation.
   */
  readonly allElements?: boolean;
}

const NUMBER_TYPES = new Set([
  "int", "integer", "long", "short", "byte", "decimal", "float", "double", "unsignedInt", "unsignedLong", "unsignedShort",
  "unsignedByte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
]);
const NON_INTEGER = new Set(["decimal", "float", "double"]);

/** The scalar for built-in `xs:<local>`; the mapping the runtime codec applies too. */
export function builtinScalar(local: string): Scalar {
  if (local === "boolean") return { js: "boolean", xsd: "xs:boolean", integer: false };
  if (NUMBER_TYPES.has(local)) return { js: "number", xsd: `xs:${local}`, integer: !NON_INTEGER.has(local) };
  return { js: "string", xsd: `xs:${local}`, integer: false };
}

const BUILTIN_LISTS: Record<string, string> = { NMTOKENS: "NMTOKEN", IDREFS: "IDREF", ENTITIES: "ENTITY" };

interface Occurs {
  readonly min: number;
  readonly max: Max;
}

function mulMax(a: Max, b: Max): Max {
  if (a === 0 || b === 0) return 0;
  if (a === "unbounded" || b === "unbounded") return "unbounded";
  return a * b;
}

function addMax(a: Max, b: Max): Max {
  return a === "unbounded" || b === "unbounded" ? "unbounded" : a + b;
}

function occursOf(node: XNode): Occurs {
  const minText = attr(node, "minOccurs");
  const maxText = attr(node, "maxOccurs");
  const min = minText === undefined ? 1 : Number.parseInt(minText, 10);
  const max: Max = maxText === undefined ? 1 : maxText === "unbounded" ? "unbounded" : Number.parseInt(maxText, 10);
  if (!Number.isFinite(min) || (max !== "unbounded" && !Number.isFinite(max))) {
    throw new CodegenError("UNSUPPORTED", `${where(node)}: minOccurs="${minText}" / maxOccurs="${maxText}" must be integers (or "unbounded")`);
  }
  return { min, max };
}

/** Documentation of a component: its xs:annotation/xs:documentation (or wsdl:documentation) text. */
function docOf(node: XNode): string | undefined {
  const parts: string[] = [];
  for (const a of childrenOf(node, XS, "annotation")) for (const d of childrenOf(a, XS, "documentation")) parts.push(textContent(d));
  for (const d of childrenOf(node, WSDL, "documentation")) parts.push(textContent(d));
  const text = parts.map((p) => p.trim()).filter((p) => p !== "").join("\n\n");
  return text === "" ? undefined : parts.filter((p) => p.trim() !== "").join("\n\n");
}

/** Resolves a QName-valued attribute against the element's in-scope namespaces. */
function qname(node: XNode, value: string): { ns: string; local: string; id: string } {
  const i = value.indexOf(":");
  const prefix = i < 0 ? "" : value.slice(0, i);
  const local = i < 0 ? value : value.slice(i + 1);
  const ns = node.scope.get(prefix);
  if (ns === undefined) {
    if (prefix === "") return { ns: "", local, id: clark("", local) };
    throw new CodegenError("UNKNOWN_REFERENCE", `${where(node)}: "${value}" uses undeclared prefix "${prefix}"; declare xmlns:${prefix} on the schema`);
  }
  return { ns, local, id: clark(ns, local) };
}

type Occ = { min: number; max: Max };

export function compileProgram(set: SchemaSet, options: CompileOptions = {}): Program {
  return new Compiler(set, options).run();
}

class Compiler {
  private readonly warnings: string[] = [];
  private readonly modules = new Map<string, NsModule>();
  private readonly scopes = new Map<string, NameScope>();
  private readonly globalTypeNames = new Map<string, string>();
  private readonly complexByNode = new Map<XNode, ComplexDef>();
  private readonly docByNode = new Map<XNode, SchemaDoc>();
  private readonly simpleByNode = new Map<XNode, SimpleDef>();
  private readonly simpleResolving = new Set<XNode>();
  private readonly elementsById = new Map<string, ElementDef>();
  private readonly queue: ComplexDef[] = [];
  private readonly fileOrder = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly set: SchemaSet,
    private readonly options: CompileOptions,
  ) {}

  run(): Program {
    for (const d of [...this.set.wsdls.map((w) => w.file), ...this.set.schemas.map((s) => s.file)]) {
      if (!this.fileOrder.has(d)) this.fileOrder.set(d, this.fileOrder.size);
    }
    this.allocatePrefixes();
    // Global type names are claimed first so that anonymous types never take them.
    for (const s of this.set.schemas) {
      for (const child of s.node.children) {
        if (child.ns !== XS || (child.local !== "complexType" && child.local !== "simpleType")) continue;
        const name = attr(child, "name");
        if (name === undefined) continue;
        const id = clark(s.tns, name);
        if (!this.globalTypeNames.has(id)) this.globalTypeNames.set(id, this.scope(s.tns).take(name));
      }
    }
    const inputPortTypes = [...this.set.portTypes.values()].filter((p) => p.wsdl.isInput);
    for (const pt of inputPortTypes) this.compilePortType(pt);
    for (const s of this.set.schemas) {
      if (!s.isInput && this.options.allElements !== true) continue;
      for (const child of s.node.children) {
        if (child.ns !== XS) continue;
        const name = attr(child, "name");
        if (name === undefined) continue;
        if (child.local === "element") this.element(clark(s.tns, name), child);
        else if (s.isInput && (child.local === "complexType" || child.local === "simpleType")) this.valueForType(clark(s.tns, name), child);
      }
    }
    while (this.queue.length > 0) this.ensureFields(this.queue.shift()!);
    const byKey = (a: { order: readonly number[] }, b: { order: readonly number[] }): number =>
      a.order[0]! - b.order[0]! || a.order[1]! - b.order[1]! || a.order[2]! - b.order[2]!;
    for (const m of this.modules.values()) {
      m.complex.sort(byKey);
      m.simple.sort(byKey);
      m.elements.sort(byKey);
    }
    const emitted = [...this.modules.values()]
      .filter((m) => m.complex.length + m.simple.length + m.elements.length + m.portTypes.length > 0)
      .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    return { modules: emitted, byNs: this.modules, inputs: this.set.wsdls.filter((w) => w.isInput).map((w) => w.file), warnings: this.warnings };
  }

  // ---------------------------------------------------------------- namespaces and names

  private allocatePrefixes(): void {
    const configured = this.options.namespaces ?? new Map<string, NamespaceConfig>();
    const namespaces: string[] = [];
    for (const w of this.set.wsdls) if (!namespaces.includes(w.tns)) namespaces.push(w.tns);
    for (const ns of this.set.namespaces) if (!namespaces.includes(ns)) namespaces.push(ns);
    const used = new Set<string>(["index"]);
    const assigned = new Map<string, NamespaceConfig>();
    for (const ns of namespaces) {
      const c = configured.get(ns);
      if (c === undefined) continue;
      if (used.has(c.prefix)) {
        throw new CodegenError("CONFIG_INVALID", `services config: prefix "${c.prefix}" is given to two namespaces (one is ${ns}); give each namespace its own prefix`);
      }
      used.add(c.prefix);
      assigned.set(ns, c);
    }
    for (const ns of namespaces) {
      if (assigned.has(ns)) continue;
      const hints = (this.set.prefixHints.get(ns) ?? []).map(sanitizePrefix).filter((p) => p !== "");
      const fromUri = sanitizePrefix(ns.replace(/[/#]+$/, "").split(/[/:#]/).pop() ?? "") || "ns";
      let prefix = [...hints, fromUri].find((p) => !used.has(p) && !NAMESPACE_RESERVED.has(p));
      if (prefix === undefined) {
        const base = hints[0] ?? fromUri;
        for (let i = 2; ; i++) {
          if (!used.has(`${base}${i}`)) {
            prefix = `${base}${i}`;
            break;
          }
        }
      }
      used.add(prefix);
      assigned.set(ns, { prefix });
    }
    const allPrefixes = [...used];
    for (const [ns, c] of assigned) {
      this.modules.set(ns, {
        ns,
        prefix: c.prefix,
        ...(c.jsonPath !== undefined ? { jsonPath: c.jsonPath } : {}),
        sources: this.set.sources.get(ns) ?? [],
        complex: [],
        simple: [],
        elements: [],
        portTypes: [],
      });
      // Other modules are imported as `import type * as <prefix>`; local names must not shadow them.
      this.scopes.set(ns, new NameScope(allPrefixes));
    }
  }

  private module(ns: string): NsModule {
    const m = this.modules.get(ns);
    if (m === undefined) throw new CodegenError("UNKNOWN_REFERENCE", `namespace ${ns} is referenced but no loaded schema declares it; import its schema`);
    return m;
  }

  private scope(ns: string): NameScope {
    this.module(ns);
    return this.scopes.get(ns)!;
  }

  private orderOf(node: XNode): [number, number, number] {
    return [this.fileOrder.get(node.file) ?? 9999, node.line, this.seq++];
  }

  private docOfNode(node: XNode): SchemaDoc {
    const cached = this.docByNode.get(node);
    if (cached) return cached;
    // XNode has no parent links, so every node a type is built from is registered with its schema first.
    throw new CodegenError("UNSUPPORTED", `${where(node)}: internal: schema of this node is unknown`);
  }

  // ---------------------------------------------------------------- types

  private lookup(map: ReadonlyMap<string, Component>, at: XNode, attrName: string, what: string): Component {
    const value = attr(at, attrName)!;
    const q = qname(at, value);
    const c = map.get(q.id);
    if (c === undefined) throw this.unknown(at, value, q.ns, what);
    return c;
  }

  private unknown(at: XNode, written: string, ns: string, what: string): CodegenError {
    const owner = attr(at, "name") ?? attr(at, "ref") ?? at.local;
    const loaded = this.set.namespaces.has(ns) ? `namespace ${ns} is loaded but has no such ${what}` : `is the schema for namespace ${ns || "(none)"} imported?`;
    return new CodegenError("UNKNOWN_REFERENCE", `${where(at)}: ${owner} uses unknown ${what} ${written} (${loaded})`);
  }

  /** The value of a type reference `id` written on `at`. */
  private valueForType(id: string, at: XNode): Value {
    const q = id.slice(1).split("}");
    const ns = q[0]!;
    const local = q[1]!;
    if (ns === XS) {
      if (local === "anyType") {
        this.warnings.push(`${where(at)}: xs:anyType is mapped to string (its content is not typed)`);
      }
      const listItem = BUILTIN_LISTS[local];
      if (listItem !== undefined) return { kind: "list", item: builtinScalar(listItem) };
      return { kind: "scalar", scalar: builtinScalar(local) };
    }
    const c = this.set.types.get(id);
    if (c === undefined) throw this.unknown(at, attr(at, "type") ?? attr(at, "base") ?? attr(at, "itemType") ?? local, ns, "type");
    this.docByNode.set(c.node, c.doc);
    if (c.node.local === "complexType") return { kind: "complex", type: this.complexDef(c.node, c.doc, c.name, this.globalTypeNames.get(id)!, false) };
    return this.namedSimple(c);
  }

  private complexDef(node: XNode, doc: SchemaDoc, name: string, tsName: string, anonymous: boolean): ComplexDef {
    const existing = this.complexByNode.get(node);
    if (existing) return existing;
    const docText = docOf(node);
    const def: ComplexDef = {
      kind: "complex",
      name,
      ns: doc.tns,
      tsName,
      ...(docText !== undefined ? { doc: docText } : {}),
      node,
      anonymous,
      fields: [],
      inherited: 0,
      omit: [],
      state: "pending",
      order: this.orderOf(node),
    };
    this.complexByNode.set(node, def);
    this.docByNode.set(node, doc);
    this.module(doc.tns).complex.push(def);
    this.queue.push(def);
    return def;
  }

  private namedSimple(c: Component): ScalarValue | ListValue {
    const existing = this.simpleByNode.get(c.node);
    if (existing) return withNamed(existing.value, existing);
    if (this.simpleResolving.has(c.node)) throw new CodegenError("UNSUPPORTED", `${where(c.node)}: simple type ${c.name} derives from itself`);
    this.simpleResolving.add(c.node);
    const value = this.simpleValue(c.node, c.doc);
    this.simpleResolving.delete(c.node);
    const docText = docOf(c.node);
    const def: SimpleDef = {
      kind: "simple",
      name: c.name,
      ns: c.ns,
      tsName: this.globalTypeNames.get(clark(c.ns, c.name))!,
      ...(docText !== undefined ? { doc: docText } : {}),
      value,
      order: this.orderOf(c.node),
    };
    this.simpleByNode.set(c.node, def);
    this.module(c.ns).simple.push(def);
    return withNamed(value, def);
  }

  /** A simpleType element (named or anonymous) → its value, without the `named` link. */
  private simpleValue(node: XNode, doc: SchemaDoc): ScalarValue | ListValue {
    this.docByNode.set(node, doc);
    const restriction = firstChild(node, XS, "restriction");
    const list = firstChild(node, XS, "list");
    const union = firstChild(node, XS, "union");
    if (restriction) {
      const base = this.simpleBase(restriction, doc, "base");
      return applyFacets(base, restriction);
    }
    if (list) {
      const item = this.simpleBase(list, doc, "itemType");
      if (item.kind === "list") throw new CodegenError("UNSUPPORTED", `${where(list)}: a list of lists is not valid XSD; use a list of an atomic type`);
      return { kind: "list", item: item.scalar, ...(item.named ? { itemNamed: item.named } : {}) };
    }
    if (union) {
      // Members may be of different kinds; the runtime returns the text, so a union is a string.
      return { kind: "scalar", scalar: { js: "string", xsd: "xs:string", integer: false } };
    }
    throw new CodegenError("UNSUPPORTED", `${where(node)}: simpleType needs restriction, list or union`);
  }

  /** The base (or item) type of a restriction/list: the attribute, else an inline simpleType. */
  private simpleBase(node: XNode, doc: SchemaDoc, attrName: string): ScalarValue | ListValue {
    const ref = attr(node, attrName);
    if (ref !== undefined) {
      const v = this.valueForType(qname(node, ref).id, node);
      if (v.kind === "complex") {
        throw new CodegenError("UNSUPPORTED", `${where(node)}: ${attrName}="${ref}" is a complex type; a simple type must derive from a simple type`);
      }
      return v;
    }
    const inline = firstChild(node, XS, "simpleType");
    if (inline) return this.simpleValue(inline, doc);
    return { kind: "scalar", scalar: builtinScalar("anySimpleType") };
  }

  private ensureFields(def: ComplexDef): void {
    if (def.state === "done") return;
    if (def.state === "resolving") {
      throw new CodegenError("UNSUPPORTED", `${def.node ? where(def.node) : def.name}: type ${def.name} derives from itself; break the cycle`);
    }
    def.state = "resolving";
    if (def.node !== undefined) new FieldBuilder(this, def, this.docOfNode(def.node)).build(def.node);
    def.state = "done";
  }

  // Used by FieldBuilder.
  baseOf(node: XNode, doc: SchemaDoc): { value: Value; id: string } {
    const ref = attr(node, "base");
    if (ref === undefined) throw new CodegenError("UNSUPPORTED", `${where(node)}: xs:${node.local} needs a base attribute`);
    const id = qname(node, ref).id;
    this.docByNode.set(node, doc);
    return { value: this.valueForType(id, node), id };
  }

  completeBase(base: ComplexDef): void {
    this.ensureFields(base);
  }

  /** The value of a local or global element declaration `el` (type=, inline type, or none). */
  elementValue(el: XNode, doc: SchemaDoc, parent: ComplexDef | undefined): Value {
    const typeRef = attr(el, "type");
    if (typeRef !== undefined) return this.valueForType(qname(el, typeRef).id, el);
    const inlineComplex = firstChild(el, XS, "complexType");
    if (inlineComplex) {
      const elName = attr(el, "name") ?? "Anonymous";
      const scope = this.scope(doc.tns);
      const tsName = parent === undefined ? scope.take(elName, `${elName}Element`) : scope.take(elName, `${parent.tsName}${toIdentifier(elName)}`);
      return { kind: "complex", type: this.complexDef(inlineComplex, doc, tsName, tsName, true) };
    }
    const inlineSimple = firstChild(el, XS, "simpleType");
    if (inlineSimple) return this.simpleValue(inlineSimple, doc);
    const sub = attr(el, "substitutionGroup");
    if (sub !== undefined) {
      const head = this.lookup(this.set.elements, el, "substitutionGroup", "element");
      return this.elementValue(head.node, head.doc, undefined);
    }
    this.warnings.push(`${where(el)}: element ${attr(el, "name") ?? ""} has no type (xs:anyType); mapped to string`);
    return { kind: "scalar", scalar: builtinScalar("anyType") };
  }

  /** A global element by Clark id (`at` is where it is referenced, for messages). */
  element(id: string, at: XNode): ElementDef {
    const existing = this.elementsById.get(id);
    if (existing) return existing;
    const comp = this.set.elements.get(id);
    if (comp === undefined) {
      const [ns, local] = id.slice(1).split("}") as [string, string];
      throw this.unknown(at, local, ns, "element");
    }
    this.docByNode.set(comp.node, comp.doc);
    const value = this.elementValue(comp.node, comp.doc, undefined);
    const ownAnonymous = value.kind === "complex" && value.type.node !== undefined && value.type.node === firstChild(comp.node, XS, "complexType");
    const sameName = value.kind === "complex" && value.type.ns === comp.ns && value.type.tsName === toIdentifier(comp.name);
    const tsName = ownAnonymous || sameName ? (value as { type: ComplexDef }).type.tsName : this.scope(comp.ns).take(comp.name, `${comp.name}Element`);
    const docText = docOf(comp.node);
    const def: ElementDef = {
      kind: "element",
      name: comp.name,
      ns: comp.ns,
      ...(docText !== undefined ? { doc: docText } : {}),
      value,
      nillable: attr(comp.node, "nillable") === "true",
      tsName,
      alias: !(ownAnonymous || sameName),
      order: this.orderOf(comp.node),
    };
    this.elementsById.set(id, def);
    this.module(comp.ns).elements.push(def);
    return def;
  }

  // Used by FieldBuilder for element refs / attribute refs / groups.
  globalElement(at: XNode): Component {
    return this.lookup(this.set.elements, at, "ref", "element");
  }
  globalAttribute(at: XNode): Component {
    return this.lookup(this.set.attributes, at, "ref", "attribute");
  }
  group(at: XNode): Component {
    return this.lookup(this.set.groups, at, "ref", "group");
  }
  attributeGroup(at: XNode): Component {
    return this.lookup(this.set.attributeGroups, at, "ref", "attributeGroup");
  }
  attributeValue(at: XNode, doc: SchemaDoc): ScalarValue | ListValue {
    const typeRef = attr(at, "type");
    if (typeRef !== undefined) {
      const v = this.valueForType(qname(at, typeRef).id, at);
      if (v.kind === "complex") throw new CodegenError("UNSUPPORTED", `${where(at)}: attribute ${attr(at, "name")} has complex type ${typeRef}; attributes need simple types`);
      return v;
    }
    const inline = firstChild(at, XS, "simpleType");
    if (inline) return this.simpleValue(inline, doc);
    return { kind: "scalar", scalar: builtinScalar("anySimpleType") };
  }
  warn(message: string): void {
    this.warnings.push(message);
  }

  // ---------------------------------------------------------------- WSDL

  private compilePortType(pt: WsdlComponent): void {
    const binding = this.bindingFor(pt);
    const module = this.module(pt.ns);
    const stripped = pt.name.replace(/PortType$|Port$/, "");
    const docText = docOf(pt.node);
    const def: PortTypeDef = {
      name: pt.name,
      ns: pt.ns,
      clientName: toIdentifier(`${stripped || pt.name}Client`),
      ...(docText !== undefined ? { doc: docText } : {}),
      operations: [],
    };
    for (const op of childrenOf(pt.node, WSDL, "operation")) {
      const name = attr(op, "name")!;
      const input = firstChild(op, WSDL, "input");
      const output = firstChild(op, WSDL, "output");
      if (input === undefined || output === undefined) {
        this.warnings.push(`${where(op)}: operation ${name} is not request-response (one-way or notification); skipped`);
        continue;
      }
      const inEl = this.messageElement(input, name);
      const outEl = this.messageElement(output, name);
      const action = binding?.get(name);
      const opDoc = docOf(op);
      def.operations.push({
        name,
        ns: pt.ns,
        portType: pt.name,
        soapAction: action !== undefined && action !== "" ? action : `${pt.ns.replace(/\/$/, "")}/${name}`,
        input: inEl,
        output: outEl,
        inputType: this.messageType(inEl),
        outputType: this.messageType(outEl),
        ...(opDoc !== undefined ? { doc: opDoc } : {}),
      });
    }
    module.portTypes.push(def);
  }

  /** soapAction per operation name from the binding of `pt` (SOAP 1.2 preferred over 1.1). */
  private bindingFor(pt: WsdlComponent): Map<string, string> | undefined {
    const candidates = this.set.bindings.filter((b) => {
      const t = attr(b.node, "type");
      return t !== undefined && qname(b.node, t).id === clark(pt.ns, pt.name);
    });
    const soapNs = (b: WsdlComponent): string | undefined => b.node.children.find((c) => c.local === "binding" && (c.ns === SOAP12 || c.ns === SOAP11))?.ns;
    const chosen = candidates.find((b) => soapNs(b) === SOAP12) ?? candidates.find((b) => soapNs(b) === SOAP11);
    if (chosen === undefined) {
      if (candidates.length === 0) this.warnings.push(`${where(pt.node)}: portType ${pt.name} has no binding; soapAction defaults to <namespace>/<operation>`);
      return undefined;
    }
    const actions = new Map<string, string>();
    for (const op of childrenOf(chosen.node, WSDL, "operation")) {
      const soapOp = op.children.find((c) => c.local === "operation" && (c.ns === SOAP12 || c.ns === SOAP11));
      const action = soapOp ? attr(soapOp, "soapAction") : undefined;
      if (action !== undefined) actions.set(attr(op, "name") ?? "", action);
    }
    return actions;
  }

  private messageElement(io: XNode, opName: string): ElementDef {
    const ref = attr(io, "message");
    if (ref === undefined) throw new CodegenError("UNSUPPORTED", `${where(io)}: wsdl:${io.local} of operation ${opName} needs message="…"`);
    const q = qname(io, ref);
    const msg = this.set.messages.get(q.id);
    if (msg === undefined) throw new CodegenError("UNKNOWN_REFERENCE", `${where(io)}: operation ${opName} uses unknown message ${ref} (is the WSDL defining it imported?)`);
    const parts = childrenOf(msg.node, WSDL, "part");
    if (parts.length !== 1) {
      throw new CodegenError(
        "UNSUPPORTED",
        `${where(msg.node)}: message ${msg.name} has ${parts.length} parts; document/literal needs exactly one part with element="…"`,
      );
    }
    const part = parts[0]!;
    const el = attr(part, "element");
    if (el === undefined) {
      throw new CodegenError("UNSUPPORTED", `${where(part)}: message ${msg.name} part ${attr(part, "name") ?? ""} uses type=, which is rpc style; use element="…" (document/literal)`);
    }
    return this.element(qname(part, el).id, part);
  }

  /** The complex type a message element carries; a simple-typed element gets a wrapper with `value`. */
  private messageType(el: ElementDef): ComplexDef {
    if (el.value.kind === "complex") return el.value.type;
    const key = { file: `synthetic:${el.ns}:${el.name}` } as unknown as XNode;
    const existing = this.complexByNode.get(key);
    if (existing) return existing;
    const tsName = this.scope(el.ns).take(`${el.name}Body`);
    const def: ComplexDef = {
      kind: "complex",
      name: el.name,
      ns: el.ns,
      tsName,
      node: undefined,
      anonymous: true,
      fields: [{ node: "text", name: "value", value: el.value }],
      inherited: 0,
      omit: [],
      state: "done",
      order: [...el.order] as [number, number, number],
    };
    this.complexByNode.set(key, def);
    this.module(el.ns).complex.push(def);
    return def;
  }
}

const NAMESPACE_RESERVED = new Set(["index", "d", "t", "ns", "xs", "xsd", "wsdl", "soap", "soap12", "soapenv", "env"]);

function sanitizePrefix(p: string): string {
  const s = p.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(s) ? `ns${s}` : s;
}

function withNamed(value: ScalarValue | ListValue, named: SimpleDef): ScalarValue | ListValue {
  return { ...value, named };
}

/** Applies the facets of an xs:restriction to its base value (new object; facets override). */
function applyFacets(base: ScalarValue | ListValue, restriction: XNode): ScalarValue | ListValue {
  const facets = restriction.children.filter((c) => c.ns === XS);
  const num = (f: XNode): number | undefined => {
    const v = attr(f, "value");
    const n = v === undefined ? Number.NaN : Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  if (base.kind === "list") {
    let minItems = base.minItems;
    let maxItems = base.maxItems;
    for (const f of facets) {
      if (f.local === "length") minItems = maxItems = num(f);
      else if (f.local === "minLength") minItems = num(f);
      else if (f.local === "maxLength") maxItems = num(f);
    }
    const { named: _named, ...rest } = base;
    return { ...rest, ...(minItems !== undefined ? { minItems } : {}), ...(maxItems !== undefined ? { maxItems } : {}) };
  }
  const s: { -readonly [K in keyof Scalar]: Scalar[K] } = { ...base.scalar };
  const enums: string[] = [];
  const enumDocs: (string | undefined)[] = [];
  const patterns: string[] = [];
  for (const f of facets) {
    const n = num(f);
    switch (f.local) {
      case "enumeration":
        enums.push(attr(f, "value") ?? "");
        enumDocs.push(docOf(f));
        break;
      case "pattern":
        patterns.push(attr(f, "value") ?? "");
        break;
      case "length":
        if (n !== undefined) s.minLength = s.maxLength = n;
        break;
      case "minLength":
        if (n !== undefined) s.minLength = n;
        break;
      case "maxLength":
        if (n !== undefined) s.maxLength = n;
        break;
      case "minInclusive":
        if (n !== undefined) s.minInclusive = n;
        break;
      case "maxInclusive":
        if (n !== undefined) s.maxInclusive = n;
        break;
      case "minExclusive":
        if (n !== undefined) s.minExclusive = n;
        break;
      case "maxExclusive":
        if (n !== undefined) s.maxExclusive = n;
        break;
      default:
        break;
    }
  }
  if (enums.length > 0) {
    s.enum = enums;
    s.enumDocs = enumDocs;
  }
  // Patterns of one step are alternatives; a derived step must match its base's too (ANDed):
  // keep only the most derived, which is how validators report the closest rule.
  if (patterns.length > 0) s.patterns = patterns;
  return { kind: "scalar", scalar: s };
}

/** Builds the flattened field list of one complex type. */
class FieldBuilder {
  private readonly fields: FieldDef[] = [];

  constructor(
    private readonly c: Compiler,
    private readonly def: ComplexDef,
    private readonly doc: SchemaDoc,
  ) {}

  build(node: XNode): void {
    const simpleContent = firstChild(node, XS, "simpleContent");
    const complexContent = firstChild(node, XS, "complexContent");
    if (complexContent) this.complexContent(complexContent);
    else if (simpleContent) this.simpleContent(simpleContent);
    else {
      this.particles(node, { min: 1, max: 1 });
      this.attributes(node);
    }
    this.def.fields = this.fields;
  }

  private derivation(content: XNode): XNode {
    const der = firstChild(content, XS, "extension") ?? firstChild(content, XS, "restriction");
    if (der === undefined) throw new CodegenError("UNSUPPORTED", `${where(content)}: xs:${content.local} needs xs:extension or xs:restriction`);
    return der;
  }

  private complexContent(content: XNode): void {
    const der = this.derivation(content);
    const { value: base, id } = this.c.baseOf(der, this.doc);
    const isAnyType = id === clark(XS, "anyType");
    if (!isAnyType && base.kind !== "complex") {
      throw new CodegenError("UNSUPPORTED", `${where(der)}: complexContent ${der.local} of simple type ${attr(der, "base")}; use simpleContent`);
    }
    if (der.local === "extension") {
      if (base.kind === "complex") {
        this.c.completeBase(base.type);
        this.fields.push(...base.type.fields.map(cloneField));
        this.def.base = base.type;
        this.def.baseClark = id;
        this.def.inherited = this.fields.length;
      }
      this.particles(der, { min: 1, max: 1 });
      this.attributes(der);
      return;
    }
    // Restriction restates the content model; attributes are inherited unless redeclared/prohibited.
    this.particles(der, { min: 1, max: 1 });
    this.attributes(der);
    if (base.kind === "complex") {
      this.c.completeBase(base.type);
      const prohibited = new Set(der.children.filter((a) => a.local === "attribute" && attr(a, "use") === "prohibited").map((a) => attr(a, "name") ?? attr(a, "ref")?.split(":").pop()));
      for (const f of base.type.fields) {
        if ((f.node === "attribute" || f.node === "anyAttribute") && !prohibited.has(f.name) && !this.fields.some((g) => g.name === f.name)) {
          this.fields.push(cloneField(f));
        }
      }
    }
  }

  private simpleContent(content: XNode): void {
    const der = this.derivation(content);
    const { value: base, id } = this.c.baseOf(der, this.doc);
    if (base.kind === "complex") {
      this.c.completeBase(base.type);
      this.fields.push(...base.type.fields.map(cloneField));
      if (der.local === "extension") {
        this.def.base = base.type;
        this.def.baseClark = id;
        this.def.inherited = this.fields.length;
      } else {
        const i = this.fields.findIndex((f) => f.node === "text");
        const text = this.fields[i];
        if (text !== undefined && text.node === "text") this.fields[i] = { ...text, value: applyFacets(text.value, der) };
      }
    } else {
      const value = der.local === "restriction" ? applyFacets(base, der) : base;
      this.fields.push({ node: "text", name: "value", value });
    }
    this.attributes(der);
  }

  private particles(container: XNode, ctx: Occ): void {
    for (const child of container.children) {
      if (child.ns !== XS) continue;
      if (["sequence", "choice", "all", "group", "element", "any"].includes(child.local)) this.particle(child, ctx);
    }
  }

  private particle(node: XNode, ctx: Occ): void {
    const occ = occursOf(node);
    const min = ctx.min * occ.min;
    const max = mulMax(ctx.max, occ.max);
    if (max === 0) return;
    switch (node.local) {
      case "element":
        this.element(node, min, max);
        return;
      case "sequence":
      case "all":
        this.particles(node, { min, max });
        return;
      case "choice":
        // Any one branch may be taken, so nothing inside a choice is required.
        this.particles(node, { min: 0, max });
        return;
      case "group": {
        const g = this.c.group(node);
        const model = g.node.children.find((c) => c.ns === XS && (c.local === "sequence" || c.local === "choice" || c.local === "all"));
        if (model) this.withDoc(g.doc, () => this.particle(model, { min, max }));
        return;
      }
      case "any": {
        const existing = this.fields.find((f) => f.node === "any");
        // A second wildcard (e.g. one in the base, one in the extension) feeds the same `any` array.
        if (existing !== undefined) return;
        this.add({ node: "any", name: "any", min, max, namespace: attr(node, "namespace") ?? "##any" });
        return;
      }
      default:
        return;
    }
  }

  private groupDoc: SchemaDoc | undefined;

  private withDoc(doc: SchemaDoc, fn: () => void): void {
    const saved = this.groupDoc;
    this.groupDoc = doc;
    try {
      fn();
    } finally {
      this.groupDoc = saved;
    }
  }

  private get currentDoc(): SchemaDoc {
    return this.groupDoc ?? this.doc;
  }

  private element(node: XNode, min: number, max: Max): void {
    const ref = attr(node, "ref");
    let name: string;
    let ns: string;
    let value: Value;
    let nillable: boolean;
    let docText = docOf(node);
    if (ref !== undefined) {
      const g = this.c.globalElement(node);
      name = g.name;
      ns = g.ns;
      const el = this.c.element(clark(g.ns, g.name), node);
      value = el.value;
      nillable = el.nillable;
      docText ??= el.doc;
    } else {
      name = attr(node, "name") ?? "";
      const doc = this.currentDoc;
      const form = attr(node, "form");
      ns = form === "qualified" || (form === undefined && doc.qualifiedElements) ? doc.tns : "";
      value = this.c.elementValue(node, doc, this.def);
      nillable = attr(node, "nillable") === "true";
    }
    const same = this.fields.find((f) => f.name === name);
    if (same !== undefined) {
      if (same.node === "element") {
        // The same element twice in one content model: one JS array holds both occurrences.
        same.min += min;
        same.max = addMax(same.max, max);
        return;
      }
      this.c.warn(`${where(node)}: element ${name} of type ${this.def.name} clashes with ${same.node} ${same.name}; the element is skipped`);
      return;
    }
    this.add({ node: "element", name, ns, value, min, max, nillable, ...(docText !== undefined ? { doc: docText } : {}) });
  }

  private attributes(container: XNode, seen = new Set<XNode>()): void {
    for (const child of container.children) {
      if (child.ns !== XS) continue;
      if (child.local === "attribute") this.attribute(child);
      else if (child.local === "attributeGroup") {
        const g = this.c.attributeGroup(child);
        if (seen.has(g.node)) continue;
        seen.add(g.node);
        this.withDoc(g.doc, () => this.attributes(g.node, seen));
      } else if (child.local === "anyAttribute") {
        if (!this.fields.some((f) => f.node === "anyAttribute")) this.add({ node: "anyAttribute", name: "anyAttribute" });
      }
    }
  }

  private attribute(node: XNode): void {
    if (attr(node, "use") === "prohibited") return;
    const ref = attr(node, "ref");
    let field: AttributeFieldDef;
    const docText = docOf(node);
    const required = attr(node, "use") === "required";
    if (ref !== undefined) {
      const g = this.c.globalAttribute(node);
      const gDoc = docOf(g.node);
      const value = this.c.attributeValue(g.node, g.doc);
      const d = docText ?? gDoc;
      field = { node: "attribute", name: g.name, ns: g.ns, value, required, ...(d !== undefined ? { doc: d } : {}) };
    } else {
      const doc = this.currentDoc;
      const form = attr(node, "form");
      const ns = form === "qualified" || (form === undefined && doc.qualifiedAttributes) ? doc.tns : "";
      const value = this.c.attributeValue(node, doc);
      field = { node: "attribute", name: attr(node, "name") ?? "", ns, value, required, ...(docText !== undefined ? { doc: docText } : {}) };
    }
    const same = this.fields.findIndex((f) => f.name === field.name);
    if (same >= 0) {
      const prior = this.fields[same]!;
      if (prior.node === "attribute") {
        // Redeclared (restriction, or an extension repeating an inherited attribute): the latest wins.
        this.fields[same] = field;
        if (same < this.def.inherited && !this.def.omit.includes(field.name)) this.def.omit.push(field.name);
        return;
      }
      this.c.warn(`${where(node)}: attribute ${field.name} of type ${this.def.name} clashes with ${prior.node} ${prior.name}; the attribute is skipped`);
      return;
    }
    this.add(field);
  }

  private add(field: FieldDef): void {
    this.fields.push(field);
  }
}

function cloneField(f: FieldDef): FieldDef {
  return { ...f };
}

