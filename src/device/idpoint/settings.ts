/**
 * The reader hardware settings of an IdPointConfiguration (idpoint-service.md "Configuration
 * structure"): their documented values, the defaults a new configuration gets, the merge rule of
 * SetIdPointConfiguration, the ConfigurationInfo view and the capabilities that follow from them.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";

export interface NameValue {
  readonly Name: string;
  readonly Value: string;
}

type SettingType = "enum" | "int" | "hex" | "ipv4" | "string";

export interface Setting {
  readonly name: string;
  readonly type: SettingType;
  /** The documented values, first = the default of a new configuration. */
  readonly values?: readonly string[];
  /** Documented default of a free-form setting. */
  readonly fallback?: string;
  readonly dependOn?: readonly [string, string];
  readonly description: string;
}

const READER_TYPE = "IdPoint.Reader.Type";
const REX_TYPE = "IdPoint.REX.Type";
const TAMPERING_TYPE = "IdPoint.Tampering.Type";
const TCPIP_PROTOCOL = "IdPoint.TCPIP.Protocol";
export const WHITELIST_ID_DATA_NAME = "IdPoint.Whitelist.IdDataName";

const mv = (name: string): Setting => ({ name, type: "int", description: "Target voltage (mV) of a supervised input; needs end-of-line resistors" });

/**
 * Names follow the guide's requests where they differ from the parameter table
 * (IdPoint.Keypress.Type, IdPoint.RS-485HD.Protocol, IdPoint.Whitelist.IdDataName). The
 * read-only IdPoint.Status.* properties are not settings and are not listed.
 */
export const SETTINGS: readonly Setting[] = [
  { name: READER_TYPE, type: "enum", values: ["None", "Wiegand", "RS-485FD", "RS-485HD", "TCPIP"], description: "Low-level protocol of the connected reader; None for an IdPoint with only REX devices" },
  { name: "IdPoint.RS-485HD.Protocol", type: "enum", values: ["None", "AADP", "OSDP", "HADP"], dependOn: [READER_TYPE, "RS-485HD"], description: "Protocol on the RS-485 line" },
  { name: TCPIP_PROTOCOL, type: "enum", values: ["SmartIntego"], dependOn: [READER_TYPE, "TCPIP"], description: "Protocol of a TCPIP reader or gateway" },
  { name: "IdPoint.TCPIP.Address", type: "ipv4", dependOn: [READER_TYPE, "TCPIP"], description: "Dotted-decimal address of the TCPIP reader or gateway" },
  { name: "IdPoint.TCPIP.Port", type: "int", dependOn: [READER_TYPE, "TCPIP"], description: "Port of the TCPIP reader or gateway (2010 for Smart Intego)" },
  { name: "IdPoint.LED.Type", type: "enum", values: ["None", "SingleLED", "DualLED"], description: "The reader's LEDs" },
  { name: "IdPoint.LED.ActiveLevel", type: "enum", values: ["ActiveLow", "ActiveHigh"], description: "Circuit state that lights the LEDs" },
  { name: "IdPoint.Beeper.Type", type: "enum", values: ["None", "ActiveLow", "ActiveHigh"], description: "The reader's beeper" },
  { name: TAMPERING_TYPE, type: "enum", values: ["None", "ActiveLow", "ActiveHigh", "SupervisedActiveLow", "SupervisedActiveHigh"], description: "The reader's tampering detection" },
  mv("IdPoint.Tampering.SupervisedCut"),
  mv("IdPoint.Tampering.SupervisedShort"),
  mv("IdPoint.Tampering.SupervisedHigh"),
  mv("IdPoint.Tampering.SupervisedLow"),
  { name: REX_TYPE, type: "enum", values: ["None", "ActiveLow", "ActiveHigh", "SupervisedActiveLow", "SupervisedActiveHigh", "RS-485HD"], description: "Connected REX devices" },
  mv("IdPoint.REX.SupervisedCut"),
  mv("IdPoint.REX.SupervisedShort"),
  mv("IdPoint.REX.SupervisedLow"),
  mv("IdPoint.REX.SupervisedHigh"),
  { name: "IdPoint.Keypress.Type", type: "enum", values: ["Auto", "4bit", "6bitEData", "8bit", "8bitInvLow", "8bitInvHigh", "8bitDF750"], description: "Keypress format of the keypad" },
  { name: "IdPoint.Hardware.Address", type: "hex", description: "Hardware address of an Aperio, OSDP/HADP or Smart Intego reader" },
  { name: "IdPoint.Hardware.DetectionMode", type: "enum", values: ["Auto", "Manual"], description: "OSDP/HADP reader address detection" },
  { name: "IdPoint.Hardware.Id", type: "string", dependOn: [TCPIP_PROTOCOL, "SmartIntego"], description: "PHI string of a Smart Intego reader" },
  { name: "IdPoint.Hub.Hardware.Address", type: "hex", dependOn: [TCPIP_PROTOCOL, "SmartIntego"], description: "Device address of the Smart Intego gateway" },
  { name: "IdPoint.SecureChannel.KeyToken", type: "string", dependOn: ["IdPoint.RS-485HD.Protocol", "OSDP"], description: "Keystore token of the OSDP secure channel key" },
  { name: "IdPoint.SecureChannel.KeyType", type: "enum", values: ["KeyBase", "KeyMaster", "None"], dependOn: ["IdPoint.RS-485HD.Protocol", "OSDP"], description: "How the secure channel key is used" },
  { name: WHITELIST_ID_DATA_NAME, type: "string", fallback: "Card", dependOn: [TCPIP_PROTOCOL, "SmartIntego"], description: "IdData name whose values are downloaded to the whitelist of a Smart Intego lock" },
];

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s] as const));

/** The default of a setting for a new configuration ("the first value in each list of possible values"). */
function defaultOf(s: Setting): string | undefined {
  return s.values?.[0] ?? s.fallback;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Why a value is not valid for its setting, or undefined; names the device does not know are accepted as given. */
export function settingProblem(c: NameValue): string | undefined {
  const s = BY_NAME.get(c.Name);
  if (s === undefined) return undefined;
  const v = c.Value;
  switch (s.type) {
    case "enum":
      return s.values!.includes(v) ? undefined : `"${v}" is not one of ${s.values!.join(", ")}`;
    case "int":
      return /^\d+$/.test(v) ? undefined : `"${v}" is not a decimal number`;
    case "hex":
      return /^(0x)?[0-9a-fA-F]+$/.test(v) ? undefined : `"${v}" is not a hexadecimal number such as A0B1C2 or 0x200`;
    case "ipv4":
      return IPV4.test(v) ? undefined : `"${v}" is not a dotted-decimal address such as 192.168.123.132`;
    case "string":
      return undefined;
  }
}

/**
 * The Configuration list to store. Guide "Configuration structure": on an existing configuration
 * only the supplied settings are replaced; a new one gets the default of every setting not supplied.
 */
export function mergeConfiguration(existing: readonly NameValue[] | undefined, sent: readonly NameValue[], state: DeviceState): NameValue[] {
  if (existing !== undefined) {
    if (state.quirks.has("idpoint-configuration-replaces-all")) return [...sent];
    const out = existing.map((c) => sent.find((s) => s.Name === c.Name) ?? c);
    for (const s of sent) if (!out.some((c) => c.Name === s.Name)) out.push(s);
    return out;
  }
  if (state.quirks.has("idpoint-configuration-no-defaults")) return [...sent];
  const out = [...sent];
  for (const s of SETTINGS) {
    const d = defaultOf(s);
    if (d !== undefined && !out.some((c) => c.Name === s.name)) out.push({ Name: s.name, Value: d });
  }
  return out;
}

/** The value of a setting in a stored configuration (its default when absent). */
export function settingValue(config: Readonly<Item> | undefined, name: string): string {
  const stored = (config?.["Configuration"] as NameValue[] | undefined)?.find((c) => c.Name === name)?.Value;
  if (stored !== undefined) return stored;
  const s = BY_NAME.get(name);
  return s === undefined ? "" : (defaultOf(s) ?? "");
}

/** GetIdPointConfigurationInfo: every documented setting with its current value, then settings the device does not know. */
export function configurationInfo(config: Readonly<Item> | undefined, state: DeviceState): Item[] {
  const stale = state.quirks.has("idpoint-configuration-info-stale");
  const out: Item[] = SETTINGS.map((s) => ({
    Name: s.name,
    Value: stale ? (defaultOf(s) ?? "") : settingValue(config, s.name),
    Type: s.type === "int" ? "xs:int" : "xs:string",
    Enums: [...(s.values ?? [])],
    ...(s.dependOn !== undefined ? { DependOnName: s.dependOn[0], DependOnValue: s.dependOn[1] } : {}),
    Description: s.description,
  }));
  for (const c of (config?.["Configuration"] as NameValue[] | undefined) ?? []) {
    if (!BY_NAME.has(c.Name)) out.push({ Name: c.Name, Value: c.Value, Type: "xs:string", Enums: [] });
  }
  return out;
}

export interface Hardware {
  readonly card: boolean;
  readonly pin: boolean;
  readonly rex: boolean;
  readonly tampering: boolean;
  /** A Smart Intego lock keeps a whitelist (peripherals.md "Enable whitelist doors"). */
  readonly whitelist: boolean;
}

/** What the configured hardware can do; nothing without a configuration. */
export function hardwareOf(config: Readonly<Item> | undefined): Hardware {
  if (config === undefined) return { card: false, pin: false, rex: false, tampering: false, whitelist: false };
  const reader = settingValue(config, READER_TYPE);
  const smartIntego = reader === "TCPIP" && settingValue(config, TCPIP_PROTOCOL) === "SmartIntego";
  return {
    card: reader !== "None",
    // peripherals.md: Smart Intego PIN devices are not supported, only cards.
    pin: reader !== "None" && !smartIntego,
    rex: settingValue(config, REX_TYPE) !== "None",
    tampering: settingValue(config, TAMPERING_TYPE) !== "None",
    whitelist: smartIntego,
  };
}

/** IdPointCapabilities (the same in GetIdPointCapabilities and IdPointInfo.Capabilities). */
export function capabilitiesOf(state: DeviceState, token: string): Item {
  const hw = state.quirks.has("idpoint-capabilities-static")
    ? { card: true, pin: true, rex: true }
    : hardwareOf(state.store("IdPointConfiguration").read(token, "full"));
  return {
    SupportedMessageTypes: [],
    SupportedGraphicsTypes: [],
    SupportedAudioTypes: [],
    AdditionalCapabilities: [],
    Configurable: true,
    SupportCard: hw.card,
    SupportPIN: hw.pin,
    SupportREX: hw.rex,
    SupportBiometric: false,
  };
}
