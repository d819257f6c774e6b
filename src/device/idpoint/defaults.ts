/**
 * IdPoint factory defaults and deterministic test data. A factory-new door controller has the
 * card formats system-integration-examples.md lists, and per door an entry reader, an exit reader
 * and a REX input, configured as the guide's "Id points – Readers and REX buttons" examples do
 * (Wiegand readers with LED, beeper and tamper line; an active-low REX button).
 */
import type { Item } from "../entity.js";
import { installItems } from "../generic-ops.js";
import type { PopulateOptions } from "../service.js";
import type { DeviceState } from "../state.js";
import type { DoorIdPoints } from "./api.js";
import { factoryCardFormats } from "./card-format.js";
import { IdDataConfigurationDecl, IdPointConfigurationDecl, IdPointDecl } from "./declarations.js";

const WIEGAND_READER: readonly Item[] = [
  { Name: "IdPoint.Reader.Type", Value: "Wiegand" },
  { Name: "IdPoint.LED.Type", Value: "SingleLED" },
  { Name: "IdPoint.LED.ActiveLevel", Value: "ActiveLow" },
  { Name: "IdPoint.Beeper.Type", Value: "ActiveLow" },
  { Name: "IdPoint.Tampering.Type", Value: "ActiveLow" },
  { Name: "IdPoint.REX.Type", Value: "None" },
  { Name: "IdPoint.Keypress.Type", Value: "Auto" },
];

const REX_BUTTON: readonly Item[] = [
  { Name: "IdPoint.Reader.Type", Value: "None" },
  { Name: "IdPoint.REX.Type", Value: "ActiveLow" },
  { Name: "IdPoint.Keypress.Type", Value: "Auto" },
];

/** The IdPoint fields AXIS Entry Manager always sets (guide "API usage" of "Id points"). */
function idPoint(token: string, name: string, location: string): Item {
  return { token, Name: name, Description: "", Location: location, Area: "", Action: "Access", MinPINSize: 4, MaxPINSize: 4, EndOfPIN: "#", Timeout: "PT10S", HeartbeatInterval: "" };
}

/** The factory-default IdPoints of each door, by door token (read by defaultIdPointsOf). */
export function defaultsByDoor(state: DeviceState): Map<string, DoorIdPoints> {
  return state.runtime<Map<string, DoorIdPoints>>("idpoint.defaults", () => new Map());
}

/** Creates a reader or REX IdPoint with its configuration under one new token. */
function createIdPoint(state: DeviceState, name: string, location: string, configuration: readonly Item[], formats: readonly string[]): string {
  const [token] = installItems(IdPointDecl, [idPoint("", name, location)], state);
  installItems(IdPointConfigurationDecl, [{ token, DeviceUUID: "", IdDataConfiguration: [...formats], Configuration: structuredClone(configuration) }], state);
  return token!;
}

export function installDefaults(state: DeviceState): void {
  const formats = state.quirks.has("idpoint-no-default-card-formats") ? [] : installItems(IdDataConfigurationDecl, factoryCardFormats(), state);
  // DoorControl installs its doors first; without any, the readers are simply not tied to a door.
  const doorStore = state.findStore("Door");
  const doors = doorStore === undefined ? [] : [...doorStore.tokens()];
  const targets: { door: string | undefined; name: string }[] = doors.length === 0 ? [{ door: undefined, name: "" }] : doors.map((d) => ({ door: d, name: String(doorStore!.read(d, "full")?.["Name"] ?? d) }));
  for (const { door, name } of targets) {
    const prefix = name === "" ? "" : `${name} `.slice(0, 48);
    const readers = [createIdPoint(state, `${prefix}Reader In`, name, WIEGAND_READER, formats), createIdPoint(state, `${prefix}Reader Out`, name, WIEGAND_READER, formats)];
    const rex = [createIdPoint(state, `${prefix}REX`, name, REX_BUTTON, [])];
    if (door !== undefined) defaultsByDoor(state).set(door, { readers, rex });
  }
}

/**
 * Deterministic extra IdPoints `idpoint-0001`, … (the tokens AccessControl's populated access
 * points name): Wiegand readers with keypad and a REX input, using every factory card format.
 */
export function populate(state: DeviceState, counts: PopulateOptions): void {
  const n = Math.max(0, Math.floor(counts.idPoints ?? 0));
  if (n === 0) return;
  const pad = (i: number): string => String(i).padStart(4, "0");
  const tokens = Array.from({ length: n }, (_, i) => `idpoint-${pad(i + 1)}`);
  const formats = state.store("IdDataConfiguration").tokens().filter((t) => t.startsWith("iddataconf_"));
  const readerWithRex = WIEGAND_READER.map((c) => (c["Name"] === "IdPoint.REX.Type" ? { ...c, Value: "ActiveLow" } : c));
  installItems(IdPointDecl, tokens.map((t, i) => ({ ...idPoint(t, `IdPoint ${i + 1}`, ""), Description: `Populated IdPoint ${i + 1}` })), state);
  installItems(IdPointConfigurationDecl, tokens.map((token) => ({ token, DeviceUUID: "", IdDataConfiguration: [...formats], Configuration: structuredClone(readerWithRex) })), state);
}
