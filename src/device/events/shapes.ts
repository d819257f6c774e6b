/**
 * Request shapes of the event service (field order = schema order, wsdl/onvif event.wsdl and the
 * WS-BaseNotification types it uses). Times stay strings: xs:duration or xs:dateTime, judged by
 * the operations with the WS-BaseNotification faults rather than as malformed input.
 */
import { anything, emptyRequest, int, list, obj, opt, req, str, type ObjectShape } from "../shape.js";

/** wsnt:TopicExpressionType / wsnt:QueryExpressionType: a Dialect attribute and text content. */
const ExpressionShape = (name: string): ObjectShape => obj(name, [opt("Dialect", str()), opt("value", str())]);

export const FilterShape = obj("FilterType", [list("TopicExpression", ExpressionShape("TopicExpressionType")), list("MessageContent", ExpressionShape("QueryExpressionType"))]);

export const CreatePullPointSubscriptionShape = obj("CreatePullPointSubscription", [
  opt("Filter", FilterShape),
  opt("InitialTerminationTime", str()),
  opt("SubscriptionPolicy", anything),
]);

/** MessageLimit is an xs:int; values beyond what the device returns at once are clamped, not refused. */
export const PullMessagesShape = obj("PullMessages", [req("Timeout", str()), req("MessageLimit", int())]);

/** TerminationTime is nillable: a nil or empty one renews for the default lifetime. */
export const RenewShape = obj("Renew", [opt("TerminationTime", str())]);

export const UnsubscribeShape = emptyRequest("Unsubscribe");
export const SetSynchronizationPointShape = emptyRequest("SetSynchronizationPoint");
export const GetEventPropertiesShape = emptyRequest("GetEventProperties");
export const GetServiceCapabilitiesShape = emptyRequest("GetServiceCapabilities");
