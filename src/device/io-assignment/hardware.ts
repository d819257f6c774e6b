/**
 * The simulated door controller's I/Os (GetIoInfoList): its connectors as an AXIS A1001 has them,
 * named as io-assignment-service.md, peripherals.md and the AXIS Entry Manager I/O table
 * (system-integration-examples.md#io-assignment) name them. Pins follow the page's convention
 * "connector:pin". An I/O is a way of using pins, not a pin: H1/H2 and H-bridge1 share the lock
 * connector's pins, Ser0fd and Ser0hd the first reader's data pins, so only one of each group
 * can be assigned at a time.
 */

export interface PinInfo {
  readonly Name: string;
  readonly Description: string;
}

export interface IoInfo {
  readonly IoName: string;
  readonly IoMode: readonly string[];
  readonly PinInfo: readonly PinInfo[];
}

const pin = (Name: string, Description: string): PinInfo => ({ Name, Description });

/** The page's IO1 example: a general-purpose I/O, plain or supervised (end-of-line resistors). */
const GENERAL_IO = ["inout:pu/gnd", "inout:float/gnd", "supervised"];
/** Door inputs; the Entry Manager table uses them as in:pu/gnd (door monitors) and inout:pu/gnd (REX). */
const DOOR_INPUT = ["in:pu/gnd", "inout:pu/gnd", "supervised"];

const readerIo = (n: 1 | 2, first: number): IoInfo[] =>
  [3, 4, 5, 6].map((p, i) => ({ IoName: `IO${first + i}`, IoMode: GENERAL_IO, PinInfo: [pin(`Reader I/O ${n}:${p}`, "I/O")] }));

export const HARDWARE_IOS: readonly IoInfo[] = [
  { IoName: "IO1", IoMode: GENERAL_IO, PinInfo: [pin("Aux I/O:3", "I/O")] },
  { IoName: "IO2", IoMode: GENERAL_IO, PinInfo: [pin("Aux I/O:4", "I/O")] },
  ...readerIo(1, 3),
  ...readerIo(2, 7),
  { IoName: "IN1", IoMode: DOOR_INPUT, PinInfo: [pin("Door IN 1:2", "IN")] },
  { IoName: "IN2", IoMode: DOOR_INPUT, PinInfo: [pin("Door IN 1:4", "IN")] },
  { IoName: "IN3", IoMode: DOOR_INPUT, PinInfo: [pin("Door IN 2:2", "IN")] },
  { IoName: "IN4", IoMode: DOOR_INPUT, PinInfo: [pin("Door IN 2:4", "IN")] },
  { IoName: "H1", IoMode: ["inout:12V/gnd"], PinInfo: [pin("Lock:2", "OUT")] },
  { IoName: "H2", IoMode: ["inout:12V/gnd"], PinInfo: [pin("Lock:4", "OUT")] },
  { IoName: "H-bridge1", IoMode: ["h_bridge"], PinInfo: [pin("Lock:2", "+"), pin("Lock:4", "-")] },
  // Entry Manager: "the hardware has only one relay".
  { IoName: "relay1", IoMode: ["open/closed"], PinInfo: [pin("Relay:1", "COM"), pin("Relay:2", "NO"), pin("Relay:3", "NC")] },
  { IoName: "Wiegand1", IoMode: ["wiegand"], PinInfo: [pin("Reader Data 1:5", "D0"), pin("Reader Data 1:6", "D1")] },
  { IoName: "Wiegand2", IoMode: ["wiegand"], PinInfo: [pin("Reader Data 2:5", "D0"), pin("Reader Data 2:6", "D1")] },
  {
    IoName: "Ser0fd",
    IoMode: ["rs485fd"],
    PinInfo: [pin("Reader Data 1:1", "RX B-"), pin("Reader Data 1:2", "RX A+"), pin("Reader Data 1:3", "TX B-"), pin("Reader Data 1:4", "TX A+")],
  },
  { IoName: "Ser0hd", IoMode: ["rs485hd"], PinInfo: [pin("Reader Data 1:1", "B-"), pin("Reader Data 1:2", "A+")] },
  { IoName: "Ser2hd", IoMode: ["rs485hd"], PinInfo: [pin("Reader Data 2:1", "B-"), pin("Reader Data 2:2", "A+")] },
  // The RS485 port an Aperio hub is connected to.
  { IoName: "Ser3hd", IoMode: ["rs485hd"], PinInfo: [pin("RS485:1", "B-"), pin("RS485:2", "A+")] },
  // Remote I/O modules and SmartIntego gateways are reached over the network.
  { IoName: "Eth0", IoMode: ["ethernet"], PinInfo: [pin("Network:1", "Ethernet")] },
];

const BY_NAME: ReadonlyMap<string, IoInfo> = new Map(HARDWARE_IOS.map((io) => [io.IoName, io]));
const ORDER: ReadonlyMap<string, number> = new Map(HARDWARE_IOS.map((io, i) => [io.IoName, i]));

export function ioByName(name: string): IoInfo | undefined {
  return BY_NAME.get(name);
}

/** Position in GetIoInfoList (hardware order); names the device does not have sort last. */
export function ioOrder(name: string): number {
  return ORDER.get(name) ?? HARDWARE_IOS.length;
}

/** True when two different I/Os need a common pin (assigning one unassigns the other). */
export function sharePins(a: IoInfo, b: IoInfo): boolean {
  if (a.IoName === b.IoName) return false;
  const pins = new Set(a.PinInfo.map((p) => p.Name));
  return b.PinInfo.some((p) => pins.has(p.Name));
}
