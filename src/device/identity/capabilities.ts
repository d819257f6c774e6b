/**
 * The device service's capabilities (GetServiceCapabilities, and the legacy GetCapabilities),
 * stated honestly for this device: plain HTTP (no TLS), HTTP Digest (and Basic) authentication
 * but no WS-Security tokens (wsse:Security is tolerated, never used to authenticate), no
 * WS-Discovery, no network, date/time or firmware configuration, and the user operations of
 * users.ts. HashingAlgorithms is left out: the Digest algorithms are a server option
 * (--digest-algorithms) this service cannot see.
 */
import type { Item } from "../entity.js";
import type { XmlElement } from "../../runtime/model.js";
import { OperationFault } from "../faults.js";
import type { RequestContext } from "../operation.js";
import { serves } from "../profile.js";
import type { DeviceState } from "../state.js";
import { serviceAddress } from "./services-list.js";
import { USER_LIMITS } from "./users.js";

const TT_NS = "http://www.onvif.org/ver10/schema";

const TLS_KEY = "identity.tls";

/** Records that the device serves HTTPS (server.ts, with `tls`): the capabilities then say TLS 1.2. */
export function servesTls(state: DeviceState, on: boolean): void {
  state.runtime(TLS_KEY, () => ({ on })).on = on;
}

function tlsOn(state: DeviceState): boolean {
  return state.runtime(TLS_KEY, () => ({ on: false })).on;
}

export function deviceServiceCapabilities(state: DeviceState): Item {
  const tls12 = tlsOn(state);
  return {
    Network: { IPFilter: false, ZeroConfiguration: false, IPVersion6: false, DynDNS: false, Dot11Configuration: false, HostnameFromDHCP: false, NTP: 0, DHCPv6: false },
    Security: {
      "TLS1.0": false,
      "TLS1.1": false,
      // Node's HTTPS server offers TLS 1.2 and 1.3 (1.0 and 1.1 are off by default).
      "TLS1.2": tls12,
      OnboardKeyGeneration: false,
      AccessPolicyConfig: false,
      DefaultAccessPolicy: false,
      Dot1X: false,
      RemoteUserHandling: false,
      "X.509Token": false,
      SAMLToken: false,
      KerberosToken: false,
      UsernameToken: true,
      HttpDigest: true,
      RELToken: false,
      MaxUsers: USER_LIMITS.MaxUsers,
      MaxUserNameLength: USER_LIMITS.MaxUserNameLength,
      MaxPasswordLength: USER_LIMITS.MaxPasswordLength,
    },
    System: {
      DiscoveryResolve: false,
      DiscoveryBye: false,
      RemoteDiscovery: false,
      SystemBackup: false,
      SystemLogging: false,
      HttpFirmwareUpgrade: false,
      HttpSystemBackup: false,
      HttpSystemLogging: false,
      HttpSupportInformation: false,
      StorageConfiguration: false,
      DiscoveryNotSupported: true,
      NetworkConfigNotSupported: true,
      UserConfigNotSupported: false,
      HardwareType: "AccessControl",
    },
  };
}

/** A tt: element with text content (GetCapabilities' extension parts are kept raw by the schema). */
function ttFlag(local: string, value: boolean): XmlElement {
  return { ns: TT_NS, local, prefix: "tt", attrs: [], children: [], text: String(value) };
}

/** The GetCapabilities categories this device has (Events only while it serves the event service); the others fault as ONVIF Core says. */
function supportedCategories(state: DeviceState): ReadonlySet<string> {
  return new Set(serves(state, "tev") ? ["All", "Device", "Events"] : ["All", "Device"]);
}

/**
 * GetCapabilities (ONVIF Core, backward-compatible capability exchange): the Device and Events
 * categories. No IO category: the device has no ONVIF relay outputs or inputs (its I/Os are the
 * VAPIX I/O assignment service's). The access control services have no category; clients find
 * them with GetServices.
 */
export function getCapabilities(input: Item, state: DeviceState, ctx: RequestContext): Item {
  const asked = (input["Category"] as string[] | undefined) ?? [];
  const supported = supportedCategories(state);
  const unsupported = asked.filter((c) => !supported.has(c));
  if (unsupported.length > 0) {
    const has = supported.has("Events") ? "Device and Events" : "Device only";
    throw new OperationFault({ code: "env:Receiver", subcodes: ["ter:ActionNotSupported", "ter:NoSuchService"], reason: `category ${unsupported.join(", ")} is not supported; this door controller has ${has} (find the access control services with GetServices)` });
  }
  const all = asked.length === 0 || asked.includes("All");
  const caps: Item = {};
  if (all || asked.includes("Device")) {
    caps["Device"] = {
      XAddr: serviceAddress("tds", ctx.host, ctx.scheme),
      Network: { IPFilter: false, ZeroConfiguration: false, IPVersion6: false, DynDNS: false, Extension: { any: [ttFlag("Dot11Configuration", false)] } },
      System: {
        DiscoveryResolve: false,
        DiscoveryBye: false,
        RemoteDiscovery: false,
        SystemBackup: false,
        SystemLogging: false,
        FirmwareUpgrade: false,
        SupportedVersions: [{ Major: 26, Minor: 6 }],
        Extension: { any: ["HttpFirmwareUpgrade", "HttpSystemBackup", "HttpSystemLogging", "HttpSupportInformation"].map((n) => ttFlag(n, false)) },
      },
      Security: {
        "TLS1.1": false,
        "TLS1.2": tlsOn(state),
        OnboardKeyGeneration: false,
        AccessPolicyConfig: false,
        "X.509Token": false,
        SAMLToken: false,
        KerberosToken: false,
        RELToken: false,
        Extension: { any: [ttFlag("TLS1.0", false)] },
      },
    };
  }
  if (supported.has("Events") && (all || asked.includes("Events"))) {
    caps["Events"] = { XAddr: serviceAddress("tev", ctx.host, ctx.scheme), WSSubscriptionPolicySupport: false, WSPullPointSupport: true, WSPausableSubscriptionManagerInterfaceSupport: false };
  }
  return { Capabilities: caps };
}
