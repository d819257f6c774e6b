/** Quirks of the service discovery and remote I/O rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const PERIPHERALS_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "peripherals-provider-attributes-missing",
    rule: "GetServiceProviderList shows each service provider's IP and MAC address as its Attributes",
    behaviour: "every ServiceProvider comes with an empty Attributes list",
  },
  {
    name: "peripherals-type-filter-ignored",
    rule: "GetServiceProviderList lists only service providers of the requested Type",
    behaviour: "it lists the providers of every type, whatever the Type",
  },
  {
    name: "peripherals-invalid-ip-accepted",
    rule: "SetDevice refuses an IPAddress that is not a unicast IPv4 address with env:Sender/ter:InvalidArgVal",
    behaviour: "the remote device is stored with that address",
  },
  {
    name: "peripherals-invalid-mac-accepted",
    rule: "SetDevice refuses a MACAddress that is not a device's (unicast) MAC address with env:Sender/ter:InvalidArgVal",
    behaviour: "the remote device is stored with that MAC address",
  },
  {
    name: "peripherals-set-device-not-stored",
    rule: "SetDevice adds the remote device: GetServiceProviderList then lists it under the token SetDevice answered",
    behaviour: "SetDevice answers a token but keeps nothing",
  },
  {
    name: "peripherals-connection-status-not-sent",
    rule: "tnsaxis:RemoteDevice/Connection/Status is sent when a remote device is added and when its connection comes up or goes down",
    behaviour: "the topic is advertised but never sent",
  },
];
