/**
 * The door controller's own signals in the simulated world (event-logger-service.md
 * "Notification topics", "Other"): its casing, its input ports, the 32 virtual inputs, the manual
 * trigger and the network link, each a stateful value the back door can move. Each change is
 * announced once, as a property event (topics.ts).
 *
 * Input ports: the I/Os of GetIoInfoList that can read a signal (general-purpose IO1–IO10 and the
 * door inputs IN1–IN4), numbered from 0 in that order as Axis numbers input ports in its "port"
 * Source item (IO1 = 0, …, IN4 = 13). The stimulus takes the number or the I/O's name.
 */
import type { DeviceState } from "../state.js";
import { HARDWARE_IOS } from "../io-assignment/hardware.js";
import { StimulusError, boolArg, type StimulusKind } from "../world.js";

export const CASING_TOPIC = "tns1:Device/tnsaxis:Casing/Open";
export const INPUT_PORT_TOPIC = "tns1:Device/tnsaxis:IO/Port";
export const VIRTUAL_INPUT_TOPIC = "tns1:Device/tnsaxis:IO/Virtualinput";
export const MANUAL_TRIGGER_TOPIC = "tns1:Device/tnsaxis:IO/Virtualport";
export const NETWORK_LOST_TOPIC = "tns1:Device/tnsaxis:Network/Lost";

/** The I/Os with an input pin ("IN", or "I/O" for the general-purpose ones), in GetIoInfoList order; index = port number. */
export const INPUT_PORTS: readonly string[] = HARDWARE_IOS.filter((io) => io.PinInfo.some((p) => p.Description === "IN" || p.Description === "I/O")).map((io) => io.IoName);
/** Axis devices have virtual inputs 1 to 32. */
export const VIRTUAL_INPUTS = 32;
/** One manual trigger: the controller has no video channels or view areas to have one each. */
export const MANUAL_TRIGGERS = 1;
/** The Source value of Casing/Open: what the casing belongs to (Axis products name themselves, e.g. NetworkCamera). */
export const CASING_NAME = "DoorController";
/** The controller's one network interface. */
export const NETWORK_INTERFACE = "eth0";

export interface Signals {
  casingOpen: boolean;
  networkLost: boolean;
  /** Active input ports, virtual inputs and manual triggers by number. */
  readonly inputs: Set<number>;
  readonly virtualInputs: Set<number>;
  readonly manualTriggers: Set<number>;
}

export function signals(state: DeviceState): Signals {
  return state.runtime("system.signals", () => ({ casingOpen: false, networkLost: false, inputs: new Set<number>(), virtualInputs: new Set<number>(), manualTriggers: new Set<number>() }));
}

const ACTIVE = "true, or false when it ends; default true (optional)";

/** Sets a member of a set of active things; true when that changed it. */
function toggle(set: Set<number>, n: number, on: boolean): boolean {
  if (set.has(n) === on) return false;
  if (on) set.add(n);
  else set.delete(n);
  return true;
}

/** A port number from 1 (or 0) to `max`. */
function numberArg(args: Readonly<Record<string, unknown>>, from: number, max: number, what: string): number {
  const v = args["Port"];
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < from || n > max) throw new StimulusError(`"Port" must be a ${what} number from ${from} to ${max}; got ${JSON.stringify(v)}`);
  return n;
}

function inputPortArg(args: Readonly<Record<string, unknown>>): number {
  const v = args["Port"];
  if (typeof v === "string" && !/^\d+$/.test(v)) {
    const i = INPUT_PORTS.indexOf(v);
    if (i < 0) throw new StimulusError(`"Port" ${JSON.stringify(v)} is not an input of this device; inputs: ${INPUT_PORTS.map((n, k) => `${k}=${n}`).join(", ")}`);
    return i;
  }
  return numberArg(args, 0, INPUT_PORTS.length - 1, `input port (0 = ${INPUT_PORTS[0]}, ${INPUT_PORTS.length - 1} = ${INPUT_PORTS[INPUT_PORTS.length - 1]})`);
}

/**
 * A stimulus that turns one numbered signal of a set on or off ("Port", "Active"), announced as a
 * property event with source {port} and `dataKey` when that changed it.
 */
function portStimulus(kind: {
  name: string;
  doc: string;
  /** What "Port" is. */
  port: string;
  readPort: (args: Readonly<Record<string, unknown>>) => number;
  set: (s: Signals) => Set<number>;
  topic: string;
  dataKey: "state" | "active";
  /** More about the port for the result, placed after "Port". */
  about?: (port: number) => Record<string, unknown>;
}): StimulusKind {
  return {
    name: kind.name,
    doc: kind.doc,
    args: { Port: kind.port, Active: ACTIVE },
    apply(args, state) {
      const port = kind.readPort(args);
      const on = boolArg(args, "Active", true);
      const changed = toggle(kind.set(signals(state)), port, on);
      if (changed) state.publish({ topic: kind.topic, source: { port: String(port) }, data: { [kind.dataKey]: on } });
      return { Port: port, ...kind.about?.(port), Active: on, Changed: changed };
    },
  };
}

export const SYSTEM_STIMULI: readonly StimulusKind[] = [
  {
    name: "OpenCasing",
    doc: "The controller's casing is opened or removed (Active false: it is closed again).",
    args: { Active: ACTIVE },
    apply(args, state) {
      const s = signals(state);
      const open = boolArg(args, "Active", true);
      const changed = s.casingOpen !== open;
      s.casingOpen = open;
      if (changed) state.publish({ topic: CASING_TOPIC, source: { Name: CASING_NAME }, data: { Open: open } });
      return { Open: open, Changed: changed };
    },
  },
  portStimulus({
    name: "SetInputPort",
    doc: "A signal on one of the controller's input ports becomes active or inactive.",
    port: `input port number from 0 or I/O name: ${INPUT_PORTS.map((n, k) => `${k}=${n}`).join(", ")}`,
    readPort: inputPortArg,
    set: (s) => s.inputs,
    topic: INPUT_PORT_TOPIC,
    dataKey: "state",
    about: (port) => ({ IoName: INPUT_PORTS[port] }),
  }),
  portStimulus({
    name: "SetVirtualInput",
    doc: "One of the virtual inputs 1–32 is activated or deactivated (as axis-cgi/virtualinput would).",
    port: `virtual input number, 1 to ${VIRTUAL_INPUTS}`,
    readPort: (args) => numberArg(args, 1, VIRTUAL_INPUTS, "virtual input"),
    set: (s) => s.virtualInputs,
    topic: VIRTUAL_INPUT_TOPIC,
    dataKey: "active",
  }),
  portStimulus({
    name: "SetManualTrigger",
    doc: "The manual trigger is switched on or off.",
    port: `manual trigger number, 1${MANUAL_TRIGGERS > 1 ? ` to ${MANUAL_TRIGGERS}` : " (the only one)"}`,
    readPort: (args) => numberArg(args, 1, MANUAL_TRIGGERS, "manual trigger"),
    set: (s) => s.manualTriggers,
    topic: MANUAL_TRIGGER_TOPIC,
    dataKey: "state",
  }),
  {
    name: "LoseNetwork",
    doc: "The controller's network link goes down (Active false: it comes back). The simulation keeps answering requests.",
    args: { Active: ACTIVE },
    apply(args, state) {
      const s = signals(state);
      const lost = boolArg(args, "Active", true);
      const changed = s.networkLost !== lost;
      s.networkLost = lost;
      if (changed) state.publish({ topic: NETWORK_LOST_TOPIC, source: { interface: NETWORK_INTERFACE }, data: { lost } });
      return { Lost: lost, Changed: changed };
    },
  },
];

/** The back door's view of the signals. */
export function describeSignals(state: DeviceState): Record<string, unknown> {
  const s = signals(state);
  const on = (set: Set<number>): number[] => [...set].sort((a, b) => a - b);
  return {
    CasingOpen: s.casingOpen,
    NetworkLost: s.networkLost,
    InputPorts: INPUT_PORTS.map((name, port) => ({ Port: port, IoName: name, Active: s.inputs.has(port) })),
    ActiveVirtualInputs: on(s.virtualInputs),
    ActiveManualTriggers: on(s.manualTriggers),
  };
}
