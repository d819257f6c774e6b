/** Quirks of the identity and discovery rules (device service, param.cgi, basicdeviceinfo.cgi, apidiscovery.cgi) and of the administrative accounts (users-…). */
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
    behaviour: "GetUsers returns each account's password (every account but the fixed administrator, however it was created)",
  },
  {
    name: "identity-utc-time-wrong",
    rule: "GetSystemDateAndTime's UTCDateTime is the device clock in UTC",
    behaviour: "UTCDateTime runs one hour ahead of the device clock (a zone offset applied to a time already in UTC)",
  },
  {
    name: "users-removed-can-login",
    rule: "an account removed (pwdgrp.cgi action=remove, DeleteUsers) can no longer log in",
    behaviour: "a removed account disappears from the lists but still authenticates, with its old level",
  },
  {
    name: "users-password-change-ignored",
    rule: "a changed password (pwdgrp.cgi action=update, SetUser) takes effect at once: the new one logs in, the old one is refused",
    behaviour: "the change is acknowledged but the account keeps logging in with its old password only",
  },
  {
    name: "users-viewer-can-admin",
    rule: "an account below admin (viewer, operator) may not execute any action (intro.md, Administrative users)",
    behaviour: "every account that authenticates is authorised as an administrator",
  },
  {
    name: "users-onvif-vapix-split",
    rule: "pwdgrp.cgi and the ONVIF user operations manage the same accounts",
    behaviour: "the ONVIF user operations keep a list of their own: GetUsers does not show pwdgrp.cgi's accounts, pwdgrp.cgi does not show ONVIF's, and ONVIF's cannot log in",
  },
];
