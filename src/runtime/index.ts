/** The runtime's public surface: what generated code, transports, the device and the suite use. */
export { invoke } from "./binding.js";
export type { Binding, CallOptions, Exchange, HttpRequest, HttpResponse, HttpTransport, WsAddressing } from "./binding.js";
export type {
  AnyAttributeField,
  AnyElementField,
  AttributeField,
  ComplexRef,
  ElementField,
  FieldDescriptor,
  ListType,
  MaxOccurs,
  MessageDescriptor,
  OperationDescriptor,
  ScalarType,
  TextField,
  TypeDescriptor,
  ValueType,
  XmlAttr,
  XmlElement,
} from "./model.js";
export {
  AbortedError,
  AuthError,
  ConnectionError,
  DeviceFaultError,
  EncodeError,
  HttpStatusError,
  MalformedResponseError,
  ResponseTooLargeError,
  TimeoutError,
  XmlParseError,
} from "./errors.js";
export type { CertificateProblem, DeviceFault, TimeoutPhase } from "./errors.js";
export { DecodeError } from "./codec-errors.js";
export { DEFAULT_MAX_DEPTH, XML_NS, findChild, getAttr, lineColumn, parseXml } from "./xml.js";
export type { XmlParseOptions } from "./xml.js";
export { XmlWriter, escapeXmlAttr, escapeXmlText, serializeXmlElement } from "./xml-writer.js";
export { WELL_KNOWN_PREFIXES, XSI_NS, decodeElement, decodeXml, encodeElement, encodeJson, normalizeJson } from "./codec.js";
export type { DecodeOptions, DecodeXmlOptions, ElementSpec, EncodeContext } from "./codec.js";
export {
  FAULT_PREFIXES,
  ONVIF_ERROR_NS,
  SOAP11_ENV_NS,
  SOAP12_ENV_NS,
  buildEnvelope,
  buildJsonFault,
  buildSoapFault,
  decodeEnvelope,
  parseEnvelope,
  parseJsonFault,
  parseSoapFault,
  toDeviceFault,
} from "./soap.js";
export type { DecodedEnvelope, EnvelopeContent, EnvelopeOptions, FaultInfo, JsonFaultBody, SoapFaultInput } from "./soap.js";
