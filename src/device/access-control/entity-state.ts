/**
 * The Enabled state of access points and credentials as events (access-control-service.md
 * "Disable selected parts of a service"; ONVIF Access Control "Status changes", Credential
 * "Status changes"). Whatever changes it — Enable/Disable operations or a Set of the item — the
 * item's Configuration Changed event comes first; these `onChanged` hooks (see declarations.ts)
 * then compare the stored item before and after:
 *   tns1:AccessPoint/State/Enabled (a property): when an access point is added and whenever its
 *     Enabled changes;
 *   tns1:Credential/State/Enabled: when an existing credential's Enabled or Status changes, with
 *     Reason = Status and ClientUpdated = true (only clients change credentials on this device).
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";

const isEnabled = (item: Readonly<Item>): boolean => item["Enabled"] !== false;

/** A credential's Status, or the one its Enabled implies when it has none. */
const statusOf = (item: Readonly<Item>): string => (item["Status"] as string | undefined) ?? (isEnabled(item) ? "Enabled" : "Disabled");

/** AccessPointDecl.onChanged. */
export function accessPointChanged(token: string, before: Readonly<Item> | undefined, after: Readonly<Item>, state: DeviceState): void {
  const enabled = isEnabled(after);
  if (before !== undefined && isEnabled(before) === enabled) return;
  state.publish({ topic: "tns1:AccessPoint/State/Enabled", source: { AccessPointToken: token }, data: { State: enabled } });
}

/** CredentialDecl.onChanged. */
export function credentialChanged(token: string, before: Readonly<Item> | undefined, after: Readonly<Item>, state: DeviceState): void {
  if (before === undefined) return;
  const enabled = isEnabled(after);
  const status = statusOf(after);
  if (isEnabled(before) === enabled && statusOf(before) === status) return;
  state.publish({ topic: "tns1:Credential/State/Enabled", source: { CredentialToken: token }, data: { State: enabled, Reason: status, ClientUpdated: true } });
}
