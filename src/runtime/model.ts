/**
 * The descriptor model: what the compiler (src/codegen) emits into generated/ and what the
 * runtime codec reads to encode requests and decode responses. This file is the contract
 * between codegen, runtime and transports; change it only together with all three.
 *
 * Naming: a JS property is the XSD local name (`token`, `Name`, `IdData`), which is also the
 * VAPIX JSON key, so one typed shape serves SOAP and JSON.
 */

/** A leaf value. `js` is what the runtime really returns; `xsd` is the schema's type (e.g. "xs:int"). */
export interface ScalarType {
  readonly kind: "scalar";
  readonly js: "string" | "number" | "boolean";
  /** Built-in XSD type the value derives from, as `xs:<local>`, e.g. "xs:int", "xs:dateTime". */
  readonly xsd: string;
  /** Enumeration facet values, when the simple type restricts to an enumeration. */
  readonly enum?: readonly string[];
  /** Other facets kept for JSON Schema / validation. */
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minInclusive?: number;
  readonly maxInclusive?: number;
}

/** `xs:list`: whitespace-separated items in XML, an array in JS/JSON. */
export interface ListType {
  readonly kind: "list";
  readonly item: ScalarType;
}

/** A complex type; a thunk so descriptors may be recursive and span modules. */
export interface ComplexRef {
  readonly kind: "complex";
  readonly type: () => TypeDescriptor;
}

export type ValueType = ScalarType | ListType | ComplexRef;

export type MaxOccurs = number | "unbounded";

/** A child element. `many` (max > 1) means the JS value is always an array. */
export interface ElementField {
  readonly node: "element";
  readonly name: string;
  /** Namespace URI of the element; "" when unqualified. */
  readonly ns: string;
  readonly type: ValueType;
  readonly min: number;
  readonly max: MaxOccurs;
  readonly many: boolean;
  readonly nillable?: boolean;
}

/** An attribute (for example `token`). */
export interface AttributeField {
  readonly node: "attribute";
  readonly name: string;
  /** Namespace URI; "" for unqualified attributes (the usual case). */
  readonly ns: string;
  readonly type: ScalarType | ListType;
  readonly required: boolean;
}

/** `xs:any`: unknown child elements are kept raw, as `XmlElement[]`, in the property `name` (usually "any"). */
export interface AnyElementField {
  readonly node: "any";
  readonly name: string;
  readonly min: number;
  readonly max: MaxOccurs;
  /** The `namespace` attribute of xs:any, e.g. "##any", "##other". */
  readonly namespace: string;
}

/** `xs:anyAttribute`: other attributes kept as `Record<"{ns}local" | "local", string>` in `name`. */
export interface AnyAttributeField {
  readonly node: "anyAttribute";
  readonly name: string;
}

/** Character content of a simpleContent type; the JS property is `name` (usually "value"). */
export interface TextField {
  readonly node: "text";
  readonly name: string;
  readonly type: ScalarType | ListType;
}

export type FieldDescriptor = ElementField | AttributeField | AnyElementField | AnyAttributeField | TextField;

export interface TypeDescriptor {
  /** XSD name (or a derived name for an anonymous type, e.g. the element name). */
  readonly name: string;
  readonly ns: string;
  /** Base type name (Clark notation `{ns}local`) when declared by complexContent/simpleContent extension. */
  readonly base?: string;
  /** All fields in schema order, inherited ones first (flattened). */
  readonly fields: readonly FieldDescriptor[];
}

/** A global element used as a message part (doc/literal wrapper). */
export interface MessageDescriptor {
  readonly name: string;
  readonly ns: string;
  readonly type: () => TypeDescriptor;
}

export interface OperationDescriptor {
  /** WSDL operation name, e.g. "GetAccessPointList". */
  readonly name: string;
  /** Service (portType) target namespace. */
  readonly ns: string;
  /** Conventional prefix of that namespace; the JSON request key is `${prefix}:${name}`. */
  readonly prefix: string;
  /** SOAP 1.2 action (from the binding's soapAction, else `${ns}/${name}`-style default). */
  readonly soapAction: string;
  /** VAPIX JSON endpoint path, e.g. "/vapix/pacs"; absent when the service has no JSON flavour. */
  readonly jsonPath?: string;
  readonly input: MessageDescriptor;
  readonly output: MessageDescriptor;
  /** JSDoc text from wsdl:documentation, if any. */
  readonly doc?: string;
}

/** A parsed XML element (namespace-resolved). Produced by the runtime's parser. */
export interface XmlElement {
  /** Namespace URI; "" when none. */
  readonly ns: string;
  readonly local: string;
  /** Prefix as written in the document; informational only, never used for matching. */
  readonly prefix: string;
  readonly attrs: readonly XmlAttr[];
  readonly children: readonly XmlElement[];
  /** Concatenated direct character data (entities and CDATA resolved). */
  readonly text: string;
  /** Namespace declarations made on this element: prefix ("" = default) → URI. */
  readonly nsDecls?: Readonly<Record<string, string>>;
}

export interface XmlAttr {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly value: string;
}
