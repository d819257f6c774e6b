/**
 * Faults the device answers with. Handlers throw `OperationFault`; the protocol layer renders it
 * as a SOAP 1.2 Fault or a VAPIX JSON fault (Sender → HTTP 400, Receiver → 500, both protocols).
 * Codes use the canonical prefixes of docs/architecture.md: env = SOAP 1.2 envelope, ter = ONVIF error.
 */

export interface FaultSpec {
  /** "env:Sender" or "env:Receiver". */
  readonly code: string;
  /** Subcode chain, outermost first, e.g. ["ter:InvalidArgVal", "ter:NotFound"]. */
  readonly subcodes: readonly string[];
  readonly reason: string;
  readonly detail?: string;
  /** Serialized elements for env:Detail (SOAP only), e.g. `<wsnt:UnacceptableTerminationTimeFault …/>`. */
  readonly detailXml?: string;
}

export class OperationFault extends Error {
  override readonly name = "OperationFault";
  readonly code = "OPERATION_FAULT";
  constructor(readonly fault: FaultSpec) {
    super(`${[fault.code, ...fault.subcodes].join("/")}: ${fault.reason}`);
  }
  get httpStatus(): number {
    return this.fault.code === "env:Receiver" ? 500 : 400;
  }
}

const sender = (subcodes: readonly string[], reason: string, detail?: string): OperationFault =>
  new OperationFault(detail === undefined ? { code: "env:Sender", subcodes, reason } : { code: "env:Sender", subcodes, reason, detail });

/** Missing argument, too many arguments or wrong data type (ONVIF Core generic fault). */
export const invalidArgs = (reason: string, detail?: string): OperationFault => sender(["ter:InvalidArgs"], reason, detail);

export const notFound = (what: string, token: string): OperationFault =>
  sender(["ter:InvalidArgVal", "ter:NotFound"], `${what} "${token}" not found`);

export const tooManyItems = (count: number, maxLimit: number): OperationFault =>
  sender(["ter:InvalidArgs", "ter:TooManyItems"], `${count} tokens requested; MaxLimit is ${maxLimit} (see GetServiceCapabilities)`);

export const invalidStartReference = (reason: string): OperationFault =>
  sender(["ter:InvalidArgVal", "ter:InvalidStartReference"], `${reason}; start fetching from the beginning (no StartReference)`);

export const invalidArgVal = (subcodes: readonly string[], reason: string): OperationFault => sender(["ter:InvalidArgVal", ...subcodes], reason);

/** ONVIF Core generic fault for a request the XML/JSON layer cannot read. */
export const wellFormed = (reason: string): OperationFault => sender(["ter:WellFormed"], reason);

/** What a device serving every service serves, as unknownAction says it. */
const EVERY_SERVICE =
  "AccessControl (tac, pacsaxis), DoorControl (tdc, axtdc), IdPoint (axtid), I/O assignment (axisio), Schedule (axsch), User (axudb), the event logger (axlog, axloc), ONVIF events (tev), the keystore (axkey), third-party credentials (axtpc), service discovery (axissd), remote I/O (axrio), the connection service (aconn) and the ONVIF device service (tds)";

/**
 * ONVIF Core generic fault "Unknown Action": the body names an operation no service of this device
 * defines. `serving` says what it does serve (default: every service; a device serving fewer, --services, says which).
 */
export const unknownAction = (what: string, serving: string = EVERY_SERVICE): OperationFault => sender(["ter:UnknownAction"], `unknown operation ${what}; this device serves ${serving}`);
