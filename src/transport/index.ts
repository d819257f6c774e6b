/** The transports: HTTP on undici, Digest/Basic auth, and the SOAP 1.2 and VAPIX JSON bindings. */
export { createHttpTransport, redactAuthValue, redactHeaders, withTracing } from "./http.js";
export type { HttpTransportOptions, OriginTransport, TracedRequest } from "./http.js";
export { parseChallenges, withDigestAuth } from "./digest-auth.js";
export type { AuthChallenge, AuthOptions } from "./digest-auth.js";
export { createSoapBinding, DEFAULT_SOAP_PATH } from "./soap12.js";
export { createJsonBinding } from "./json.js";
export { buildStack as createDeviceTransport } from "./binding-common.js";
export type { BindingOptions, TransportStack } from "./binding-common.js";
