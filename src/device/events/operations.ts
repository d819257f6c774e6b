/** The tev operations (ONVIF Core "Event handling"; Renew and Unsubscribe are WS-BaseNotification elements dispatched as tev). */
import type { Item } from "../entity.js";
import type { OperationDef } from "../operation.js";
import { eventProperties } from "./properties.js";
import {
  CreatePullPointSubscriptionShape,
  GetEventPropertiesShape,
  GetServiceCapabilitiesShape,
  PullMessagesShape,
  RenewShape,
  SetSynchronizationPointShape,
  UnsubscribeShape,
} from "./shapes.js";
import { MAX_PULL_POINTS, createSubscription, pullMessages, renew, setSynchronizationPoint, unsubscribe } from "./subscriptions.js";

/**
 * The pull-point interface only: no WS-BaseNotification Subscribe/Notify (MaxNotificationProducers
 * 0), no subscription policies or pausing, no persistent storage (so no Seek).
 */
const CAPABILITIES: Item = {
  WSSubscriptionPolicySupport: false,
  WSPullPointSupport: true,
  WSPausableSubscriptionManagerInterfaceSupport: false,
  MaxNotificationProducers: 0,
  MaxPullPoints: MAX_PULL_POINTS,
  PersistentNotificationStorage: false,
};

export function eventOperations(): OperationDef[] {
  return [
    { prefix: "tev", name: "GetServiceCapabilities", input: GetServiceCapabilitiesShape, handle: () => ({ Capabilities: { ...CAPABILITIES } }) },
    { prefix: "tev", name: "GetEventProperties", input: GetEventPropertiesShape, handle: (_in, state) => eventProperties(state) },
    { prefix: "tev", name: "CreatePullPointSubscription", input: CreatePullPointSubscriptionShape, handle: (input, state, ctx) => createSubscription(state, ctx, input) },
    { prefix: "tev", name: "PullMessages", input: PullMessagesShape, handle: (input, state, ctx) => pullMessages(state, ctx, input) },
    { prefix: "tev", name: "SetSynchronizationPoint", input: SetSynchronizationPointShape, handle: (_in, state, ctx) => setSynchronizationPoint(state, ctx) },
    { prefix: "tev", name: "Renew", input: RenewShape, handle: (input, state, ctx) => renew(state, ctx, input) },
    { prefix: "tev", name: "Unsubscribe", input: UnsubscribeShape, handle: (_in, state, ctx) => unsubscribe(state, ctx) },
  ];
}
