/**
 * Who the device says it is: the one source of the brand, model, firmware and serial number that
 * GetDeviceInformation, param.cgi (Brand, Properties), basicdeviceinfo.cgi and GetScopes all
 * answer with. The values describe an AXIS A1601 Network Door Controller; firmware version, build
 * date, hardware ID and SoC are made up (as in wsdl/examples/tds-get-device-information.response.xml).
 * Axis devices use the MAC address of their network interface as serial number.
 */
import type { DeviceState } from "../state.js";

/** The product as VAPIX names its properties (basicdeviceinfo.cgi property names). */
export const PRODUCT = {
  Brand: "AXIS",
  ProdNbr: "A1601",
  ProdFullName: "AXIS A1601 Network Door Controller",
  ProdShortName: "AXIS A1601",
  ProdType: "Network Door Controller",
  ProdVariant: "",
  WebURL: "http://www.axis.com",
  Version: "1.65.2",
  BuildDate: "Nov 14 2025 09:30",
  HardwareID: "7A6",
  Architecture: "armv7hf",
  Soc: "Axis Artpec-5",
} as const;

/** The serial number: the MAC in upper case, e.g. "00408C184BDB". */
export function serialNumber(state: DeviceState): string {
  return state.identity.mac.toUpperCase();
}

/** What the `identity-serial-mismatch` quirk makes param.cgi report: the next MAC address (as if another interface's). */
export function mismatchedSerial(state: DeviceState): string {
  const next = (BigInt(`0x${state.identity.mac}`) + 1n) & 0xffffffffffffn;
  return next.toString(16).toUpperCase().padStart(12, "0");
}

/** Every property basicdeviceinfo.cgi's getAllProperties returns, in its order. */
export function deviceProperties(state: DeviceState): Record<string, string> {
  return {
    Architecture: PRODUCT.Architecture,
    Brand: PRODUCT.Brand,
    BuildDate: PRODUCT.BuildDate,
    HardwareID: PRODUCT.HardwareID,
    ProdFullName: PRODUCT.ProdFullName,
    ProdNbr: PRODUCT.ProdNbr,
    ProdShortName: PRODUCT.ProdShortName,
    ProdType: PRODUCT.ProdType,
    ProdVariant: PRODUCT.ProdVariant,
    SerialNumber: serialNumber(state),
    Soc: PRODUCT.Soc,
    Version: PRODUCT.Version,
    WebURL: PRODUCT.WebURL,
  };
}

/** The properties getAllUnrestrictedProperties returns: those that say nothing about the hardware inside. */
export const UNRESTRICTED_PROPERTIES: readonly string[] = ["Brand", "ProdFullName", "ProdNbr", "ProdShortName", "ProdType", "ProdVariant", "SerialNumber", "Version", "WebURL"];
