/**
 * The event service's faults. Subscription requests fail with the WS-BaseNotification faults
 * (ONVIF Core "Create pull point subscription": "the same faults as for Subscription Request of
 * [WS-BaseNotification]"; subscription managers with WS-ResourceFramework's ResourceUnknownFault).
 * ONVIF Core "SOAP Fault Messages" (event handling) asks for them as env:Receiver faults (HTTP
 * 500); the subcode names the fault and env:Detail holds the fault element itself, a
 * WS-BaseFaults structure with the device's Timestamp and a Description.
 */
import { escapeXmlText } from "../../runtime/xml.js";
import { OperationFault } from "../faults.js";
import type { DeviceState } from "../state.js";

export const WSNT_NS = "http://docs.oasis-open.org/wsn/b-2";
const WSRF_BF_NS = "http://docs.oasis-open.org/wsrf/bf-2";
const WSRF_R_NS = "http://docs.oasis-open.org/wsrf/r-2";
export const TEV_NS = "http://www.onvif.org/ver10/events/wsdl";

const iso = (ms: number): string => new Date(ms).toISOString();

/** A WS-BaseFaults element `<prefix:local>` with Timestamp, Description, then `extra` (the fault type's own elements). */
function baseFaultXml(ns: string, prefix: string, local: string, state: DeviceState, description: string, extra = ""): string {
  return (
    `<${prefix}:${local} xmlns:${prefix}="${ns}" xmlns:wsrf-bf="${WSRF_BF_NS}">` +
    `<wsrf-bf:Timestamp>${iso(state.now())}</wsrf-bf:Timestamp>` +
    `<wsrf-bf:Description>${escapeXmlText(description)}</wsrf-bf:Description>${extra}</${prefix}:${local}>`
  );
}

function wsnFault(state: DeviceState, local: string, reason: string, extra = ""): OperationFault {
  return new OperationFault({ code: "env:Receiver", subcodes: [`{${WSNT_NS}}${local}`], reason, detailXml: baseFaultXml(WSNT_NS, "wsnt", local, state, reason, extra) });
}

/** The subscription a request addresses does not exist (never did, unsubscribed or expired). */
export function resourceUnknown(state: DeviceState, reason: string): OperationFault {
  return new OperationFault({
    code: "env:Receiver",
    subcodes: [`{${WSRF_R_NS}}ResourceUnknownFault`],
    reason,
    detailXml: baseFaultXml(WSRF_R_NS, "wsrf-r", "ResourceUnknownFault", state, reason),
  });
}

export const topicExpressionDialectUnknown = (state: DeviceState, reason: string): OperationFault => wsnFault(state, "TopicExpressionDialectUnknownFault", reason);
export const invalidTopicExpression = (state: DeviceState, reason: string): OperationFault => wsnFault(state, "InvalidTopicExpressionFault", reason);
export const topicNotSupported = (state: DeviceState, reason: string): OperationFault => wsnFault(state, "TopicNotSupportedFault", reason);
export const invalidMessageContentExpression = (state: DeviceState, reason: string): OperationFault => wsnFault(state, "InvalidMessageContentExpressionFault", reason);
/** A blocking PullMessages is already waiting on the subscription (ONVIF Core "Pull messages" recommends this fault). */
export const unableToGetMessages = (state: DeviceState, reason: string): OperationFault => wsnFault(state, "UnableToGetMessagesFault", reason);

/** The accepted window travels in the fault so a client can retry (EVENT-3-1-9 retries with MinimumTime). */
const window = (min: number, max: number): string => `<wsnt:MinimumTime>${iso(min)}</wsnt:MinimumTime><wsnt:MaximumTime>${iso(max)}</wsnt:MaximumTime>`;

export const unacceptableInitialTerminationTime = (state: DeviceState, reason: string, min: number, max: number): OperationFault =>
  wsnFault(state, "UnacceptableInitialTerminationTimeFault", reason, window(min, max));

export const unacceptableTerminationTime = (state: DeviceState, reason: string, min: number, max: number): OperationFault =>
  wsnFault(state, "UnacceptableTerminationTimeFault", reason, window(min, max));

/**
 * MaxPullPoints reached. ONVIF names no fault of its own for it: WS-BaseNotification's
 * SubscribeCreationFailedFault, the Subscribe fault for a producer that cannot create one more.
 */
export const maxPullPointsReached = (state: DeviceState, max: number): OperationFault =>
  wsnFault(state, "SubscribeCreationFailedFault", `MaxPullPoints (${max}) subscriptions exist; Unsubscribe one or let it expire`);

/** PullMessages with a Timeout beyond the device's limit: tev:PullMessagesFaultResponse names both limits (ONVIF Core "Pull messages"). */
export function pullMessagesLimits(reason: string, maxTimeout: string, maxMessageLimit: number): OperationFault {
  return new OperationFault({
    code: "env:Receiver",
    subcodes: [`{${TEV_NS}}PullMessagesFaultResponse`],
    reason,
    detailXml: `<tev:PullMessagesFaultResponse xmlns:tev="${TEV_NS}"><tev:MaxTimeout>${maxTimeout}</tev:MaxTimeout><tev:MaxMessageLimit>${maxMessageLimit}</tev:MaxMessageLimit></tev:PullMessagesFaultResponse>`,
  });
}
