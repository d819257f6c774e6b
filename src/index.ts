/**
 * `pacs-conformance`, the package's root entry: what every integration with the typed clients
 * needs besides the clients themselves (`pacs-conformance/clients/<prefix>`): the SOAP 1.2 and
 * VAPIX JSON bindings over HTTP with Digest/Basic auth, the errors they throw, and the runtime's
 * types. The reference device (`pacs-conformance/device`) and the suite (`pacs-conformance/suite`)
 * are entries of their own.
 */
export { createJsonBinding, createSoapBinding, DEFAULT_SOAP_PATH } from "./transport/index.js";
export type { AuthOptions, BindingOptions } from "./transport/index.js";
export {
  AbortedError,
  AuthError,
  ConnectionError,
  DecodeError,
  DeviceFaultError,
  EncodeError,
  HttpStatusError,
  MalformedResponseError,
  ResponseTooLargeError,
  TimeoutError,
  XmlParseError,
  decodeElement,
  invoke,
} from "./runtime/index.js";
export type { Binding, CallOptions, CertificateProblem, DeviceFault, Exchange, HttpRequest, HttpResponse, OperationDescriptor, TimeoutPhase, WsAddressing, XmlElement } from "./runtime/index.js";
export { CAPABILITY_GATES, SERVICE_CATALOG } from "./runtime/service-catalog.js";
export type { CapabilityGate, ServiceEntry } from "./runtime/service-catalog.js";
