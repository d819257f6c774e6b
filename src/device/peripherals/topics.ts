/**
 * The remote I/O service's one topic (event-logger-service.md "Notification topics", "Remote I/O
 * service"): tnsaxis:RemoteDevice/Connection/Status describes whether the door controller can
 * communicate with a remote device, true or false. The table gives no items; the device names them
 * (inferred): Source RemoteDeviceToken (the token SetDevice answered), Data Status (xs:boolean).
 * A property, one instance per added remote device: it is a state that changes.
 */
import type { DeviceState } from "../state.js";
import type { TopicDecl } from "../topics.js";
import { CONNECTION_STATUS_TOPIC, DATA_ITEM, SOURCE_ITEM, connectionStates } from "./remote-devices.js";

export { CONNECTION_STATUS_TOPIC };

export const PERIPHERALS_TOPICS: readonly TopicDecl[] = [
  {
    topic: CONNECTION_STATUS_TOPIC,
    doc: "A remote device was added (SetDevice) or its connection came up or went down: Status true when the door controller can communicate with it.",
    property: true,
    source: [{ name: SOURCE_ITEM, type: "pt:ReferenceToken" }],
    data: [{ name: DATA_ITEM, type: "xs:boolean" }],
    current: (state: DeviceState) => [...connectionStates(state)].map(([token, up]) => ({ source: { [SOURCE_ITEM]: token }, data: { [DATA_ITEM]: up } })),
  },
];
