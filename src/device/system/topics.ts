/**
 * The door controller's own topics, the "Other" group of event-logger-service.md "Notification
 * topics". Topics are spelled as that table spells them. The table gives no items; names, types
 * and statefulness follow Axis's own event declarations (VAPIX "Event and action services", the
 * I/O port management events), and the event logger's FetchEvents2 example filtering SystemReady
 * on ready = "0":
 *   Casing/Open      Source Name (xs:string), Data Open (xs:boolean), property
 *   IO/Port          Source port (xs:int, input ports from 0), Data state (xs:boolean), property
 *   IO/Virtualinput  Source port (xs:int, 1–32), Data active (xs:boolean), property
 *   IO/Virtualport   Source port (xs:int, the manual trigger, 1), Data state (xs:boolean), property
 *   Network/Lost     Source interface (xs:string, eth0), Data lost (xs:boolean), property
 *   Status/Systemready  Data ready (xs:boolean), property; the device is ready from the start, so
 *                       only its Initialized message (current) is ever seen.
 * tns1:Device/tnsaxis:SystemMessage/Actionfailed ("an action in the Action service cannot be
 * started") is neither registered nor emitted: this device has no Action service.
 */
import type { DeviceState } from "../state.js";
import type { TopicDecl } from "../topics.js";
import {
  CASING_NAME,
  CASING_TOPIC,
  INPUT_PORTS,
  INPUT_PORT_TOPIC,
  MANUAL_TRIGGERS,
  MANUAL_TRIGGER_TOPIC,
  NETWORK_INTERFACE,
  NETWORK_LOST_TOPIC,
  VIRTUAL_INPUTS,
  VIRTUAL_INPUT_TOPIC,
  signals,
} from "./signals.js";

export const SYSTEM_READY_TOPIC = "tns1:Device/tnsaxis:Status/Systemready";

const PORT = [{ name: "port", type: "xs:int" }];
const numbers = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

export const SYSTEM_TOPICS: readonly TopicDecl[] = [
  {
    topic: CASING_TOPIC,
    doc: "The controller's casing was opened or removed (Open true), or closed again.",
    property: true,
    source: [{ name: "Name", type: "xs:string" }],
    data: [{ name: "Open", type: "xs:boolean" }],
    current: (state: DeviceState) => [{ source: { Name: CASING_NAME }, data: { Open: signals(state).casingOpen } }],
  },
  {
    topic: INPUT_PORT_TOPIC,
    doc: "An input port of the controller became active or inactive.",
    property: true,
    source: PORT,
    data: [{ name: "state", type: "xs:boolean" }],
    current: (state: DeviceState) => INPUT_PORTS.map((_, port) => ({ source: { port: String(port) }, data: { state: signals(state).inputs.has(port) } })),
  },
  {
    topic: VIRTUAL_INPUT_TOPIC,
    doc: "A virtual input became active or inactive.",
    property: true,
    source: PORT,
    data: [{ name: "active", type: "xs:boolean" }],
    current: (state: DeviceState) => numbers(1, VIRTUAL_INPUTS).map((port) => ({ source: { port: String(port) }, data: { active: signals(state).virtualInputs.has(port) } })),
  },
  {
    topic: MANUAL_TRIGGER_TOPIC,
    doc: "The manual trigger was switched on or off.",
    property: true,
    source: PORT,
    data: [{ name: "state", type: "xs:boolean" }],
    current: (state: DeviceState) => numbers(1, MANUAL_TRIGGERS).map((port) => ({ source: { port: String(port) }, data: { state: signals(state).manualTriggers.has(port) } })),
  },
  {
    topic: NETWORK_LOST_TOPIC,
    doc: "The controller's network connection was lost (lost true) or came back.",
    property: true,
    source: [{ name: "interface", type: "xs:string" }],
    data: [{ name: "lost", type: "xs:boolean" }],
    current: (state: DeviceState) => [{ source: { interface: NETWORK_INTERFACE }, data: { lost: signals(state).networkLost } }],
  },
  {
    topic: SYSTEM_READY_TOPIC,
    doc: "The controller and all its services have started (ready true).",
    property: true,
    source: [],
    data: [{ name: "ready", type: "xs:boolean" }],
    current: () => [{ source: {}, data: { ready: true } }],
  },
];
