/**
 * The compiler's internal model: schema components resolved into flattened, named definitions,
 * grouped per target namespace. The emitters (emit-*.ts) only read this; they never look at XML.
 */
import type { XNode } from "./xml.js";

/** A leaf value with everything known about it (descriptors keep a subset, JSON Schema all). */
export interface Scalar {
  readonly js: "string" | "number" | "boolean";
  /** The built-in it derives from, `xs:<local>`. */
  readonly xsd: string;
  /** Derived from xs:integer (JSON Schema "integer"). */
  readonly integer: boolean;
  readonly enum?: readonly string[];
  /** Documentation of each enumeration value, parallel to `enum`. */
  readonly enumDocs?: readonly (string | undefined)[];
  /** XSD pattern facets (several on one restriction step are alternatives). */
  readonly patterns?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minInclusive?: number;
  readonly maxInclusive?: number;
  readonly minExclusive?: number;
  readonly maxExclusive?: number;
}

export type Value = ScalarValue | ListValue | ComplexValue;

export interface ScalarValue {
  readonly kind: "scalar";
  readonly scalar: Scalar;
  /** The named simple type, when the value is declared with one (TS then uses its alias). */
  readonly named?: SimpleDef;
}

export interface ListValue {
  readonly kind: "list";
  readonly item: Scalar;
  readonly itemNamed?: SimpleDef;
  readonly named?: SimpleDef;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface ComplexValue {
  readonly kind: "complex";
  readonly type: ComplexDef;
}

export type Max = number | "unbounded";

export interface ElementFieldDef {
  readonly node: "element";
  readonly name: string;
  readonly ns: string;
  readonly value: Value;
  min: number;
  max: Max;
  readonly nillable: boolean;
  readonly doc?: string;
}

export interface AttributeFieldDef {
  readonly node: "attribute";
  readonly name: string;
  readonly ns: string;
  readonly value: ScalarValue | ListValue;
  readonly required: boolean;
  readonly doc?: string;
}

export interface AnyFieldDef {
  readonly node: "any";
  readonly name: string;
  readonly min: number;
  readonly max: Max;
  readonly namespace: string;
}

export interface AnyAttributeFieldDef {
  readonly node: "anyAttribute";
  readonly name: string;
}

export interface TextFieldDef {
  readonly node: "text";
  readonly name: string;
  readonly value: ScalarValue | ListValue;
}

export type FieldDef = ElementFieldDef | AttributeFieldDef | AnyFieldDef | AnyAttributeFieldDef | TextFieldDef;

interface Ordered {
  /** Sort key: load order of the file, then line (document order within a namespace). */
  readonly order: readonly [number, number, number];
}

export interface SimpleDef extends Ordered {
  readonly kind: "simple";
  /** XSD name. */
  readonly name: string;
  readonly ns: string;
  readonly tsName: string;
  readonly doc?: string;
  value: ScalarValue | ListValue;
}

export interface ComplexDef extends Ordered {
  readonly kind: "complex";
  /** XSD name, or the derived name of an anonymous type. */
  readonly name: string;
  readonly ns: string;
  readonly tsName: string;
  readonly doc?: string;
  readonly node: XNode | undefined;
  readonly anonymous: boolean;
  /** Complex base of an extension: TS `extends` it. */
  base?: ComplexDef;
  /** Clark name of the extension base for the descriptor (`{ns}local`). */
  baseClark?: string;
  /** Flattened fields, inherited first. */
  fields: FieldDef[];
  /** fields[0..inherited) come from `base`. */
  inherited: number;
  /** Inherited properties whose TS type this type changes (emitted as `extends Omit<Base, …>`). */
  omit: string[];
  state: "pending" | "resolving" | "done";
}

/** A global element: a message part or a root of the schema. */
export interface ElementDef extends Ordered {
  readonly kind: "element";
  readonly name: string;
  readonly ns: string;
  readonly doc?: string;
  readonly value: Value;
  readonly nillable: boolean;
  /** TS name of the element's type; equal to value.type.tsName when no alias is emitted. */
  readonly tsName: string;
  /** Emit `export type <tsName> = …` (false when the element's anonymous type already has the name). */
  readonly alias: boolean;
}

export interface OperationDef {
  readonly name: string;
  readonly ns: string;
  readonly portType: string;
  readonly soapAction: string;
  readonly input: ElementDef;
  readonly output: ElementDef;
  /** Complex types the messages carry (synthesised for simple-typed message elements). */
  readonly inputType: ComplexDef;
  readonly outputType: ComplexDef;
  readonly doc?: string;
}

export interface PortTypeDef {
  readonly name: string;
  readonly ns: string;
  readonly clientName: string;
  readonly doc?: string;
  readonly operations: OperationDef[];
}

/** Everything emitted into one generated/<prefix>/ folder. */
export interface NsModule {
  readonly ns: string;
  readonly prefix: string;
  readonly jsonPath?: string;
  /** Display paths of the files defining this namespace. */
  readonly sources: readonly string[];
  readonly complex: ComplexDef[];
  readonly simple: SimpleDef[];
  readonly elements: ElementDef[];
  readonly portTypes: PortTypeDef[];
}

export interface Program {
  /** Modules with something to emit, in prefix order. */
  readonly modules: readonly NsModule[];
  /** Every module by namespace (also empty ones), for cross-references. */
  readonly byNs: ReadonlyMap<string, NsModule>;
  /** Display paths of the compiled input files. */
  readonly inputs: readonly string[];
  readonly warnings: readonly string[];
}
