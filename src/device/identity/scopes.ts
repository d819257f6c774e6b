/**
 * GetScopes (ONVIF Core "Scopes"): at least one fixed profile, hardware and name scope, plus the
 * device type and a location. All are fixed: this device has no SetScopes/AddScopes, so nothing
 * is configurable. Profile C only: the ONVIF access control and door control services (with
 * events and the device service) are what it serves of ONVIF; Profile A's credential and access
 * rules services are not among them.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { PRODUCT } from "./facts.js";

const ONVIF_SCOPE = "onvif://www.onvif.org";

export function getScopes(state: DeviceState): Item {
  const name = state.identity.name ?? PRODUCT.ProdShortName;
  const items = [
    `${ONVIF_SCOPE}/type/AccessControl`,
    `${ONVIF_SCOPE}/Profile/C`,
    `${ONVIF_SCOPE}/hardware/${encodeURIComponent(PRODUCT.ProdNbr)}`,
    `${ONVIF_SCOPE}/name/${encodeURIComponent(name)}`,
    // The device knows nothing of where it is mounted; the location scope says so.
    `${ONVIF_SCOPE}/location/unknown`,
  ];
  return { Scopes: items.map((ScopeItem) => ({ ScopeDef: "Fixed", ScopeItem })) };
}
