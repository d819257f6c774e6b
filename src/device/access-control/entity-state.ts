/**
 * The Enabled state of access points and credentials as events (access-control-service.md
 * "Disable selected parts of a service"; ONVIF Access Control "Status changes", Credential
 * "Status changes"). Whatever changes it — Enable/Disable operations or a Set of the item — the
 * item's Configuration Changed event comes first; this compares with what was last announced:
 *   tns1:AccessPoint/State/Enabled (a property): when an access point is added and whenever its
 *     Enabled changes;
 *   tns1:Credential/State/Enabled: when an existing credential's Enabled or Status changes, with
 *     Reason = Status and ClientUpdated = true (only clients change credentials on this device).
 */
import type { DeviceEvent, DeviceState } from "../state.js";

interface Known {
  readonly accessPoints: Map<string, boolean>;
  /** "<Enabled>/<Status>" per credential. */
  readonly credentials: Map<string, string>;
}

function known(state: DeviceState): Known {
  return state.runtime("access-control.entity-state", () => ({ accessPoints: new Map<string, boolean>(), credentials: new Map<string, string>() }));
}

function onAccessPoint(state: DeviceState, token: string): void {
  const item = state.store("AccessPoint").read(token, "full");
  if (item === undefined) return;
  const enabled = item["Enabled"] !== false;
  const seen = known(state).accessPoints;
  if (seen.get(token) === enabled) return;
  seen.set(token, enabled);
  state.publish({ topic: "tns1:AccessPoint/State/Enabled", source: { AccessPointToken: token }, data: { State: enabled } });
}

function onCredential(state: DeviceState, token: string): void {
  const item = state.store("Credential").read(token, "full");
  if (item === undefined) return;
  const enabled = item["Enabled"] !== false;
  const status = (item["Status"] as string | undefined) ?? (enabled ? "Enabled" : "Disabled");
  const seen = known(state).credentials;
  const before = seen.get(token);
  const now = `${enabled}/${status}`;
  seen.set(token, now);
  if (before === undefined || before === now) return;
  state.publish({ topic: "tns1:Credential/State/Enabled", source: { CredentialToken: token }, data: { State: enabled, Reason: status, ClientUpdated: true } });
}

function onEvent(state: DeviceState, e: DeviceEvent): void {
  switch (e.topic) {
    case "tns1:Configuration/AccessPoint/Changed":
      onAccessPoint(state, e.source["AccessPointToken"] ?? "");
      break;
    case "tns1:Configuration/AccessPoint/Removed":
      known(state).accessPoints.delete(e.source["AccessPointToken"] ?? "");
      break;
    case "tns1:Configuration/Credential/Changed":
      onCredential(state, e.source["CredentialToken"] ?? "");
      break;
    case "tns1:Configuration/Credential/Removed":
      known(state).credentials.delete(e.source["CredentialToken"] ?? "");
      break;
  }
}

export function attachEntityState(state: DeviceState): void {
  state.subscribe((e) => onEvent(state, e));
}
