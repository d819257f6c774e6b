/** Quirks of the identity and discovery rules (device service, param.cgi, basicdeviceinfo.cgi, apidiscovery.cgi). */
import type { QuirkInfo } from "../quirks.js";

export const IDENTITY_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "identity-serial-mismatch",
    rule: "param.cgi, basicdeviceinfo.cgi and GetDeviceInformation report the same serial number, model and firmware",
    behaviour: "param.cgi's Properties.System.SerialNumber is the next MAC address, not the serial number the other two report",
  },
  {
    name: "identity-services-incomplete",
    rule: "GetServices lists every service the device answers, with its namespace, address and version",
    behaviour: "GetServices leaves out the ONVIF door control service (tdc) although the device answers its operations",
  },
  {
    name: "identity-apidiscovery-missing-api",
    rule: "apidiscovery.cgi's getApiList lists every API the device serves",
    behaviour: "getApiList leaves out basic-device-info although basicdeviceinfo.cgi answers",
  },
  {
    name: "identity-users-password-returned",
    rule: "GetUsers never returns a password (ONVIF Core, GetUsers)",
    behaviour: "GetUsers returns each user's password (users created with CreateUsers or given one with SetUser)",
  },
  {
    name: "identity-utc-time-wrong",
    rule: "GetSystemDateAndTime's UTCDateTime is the device clock in UTC",
    behaviour: "UTCDateTime runs one hour ahead of the device clock (a zone offset applied to a time already in UTC)",
  },
];
