/**
 * User data: no factory defaults (a factory-new door controller stores no users), and
 * deterministic test data whose tokens match the UserToken AccessControl's populate writes into
 * its credentials (credential-0001 → user-0001).
 */
import type { Item } from "../entity.js";
import { installItems } from "../generic-ops.js";
import type { PopulateOptions } from "../service.js";
import type { DeviceState } from "../state.js";
import { UserDecl } from "./declarations.js";

/** `options.users` users named as AXIS Entry Manager names them ("LastName, FirstName" plus both as attributes). */
export function populate(state: DeviceState, options: PopulateOptions): void {
  const count = Math.max(0, Math.floor(options.users ?? 0));
  if (count === 0) return;
  const items: Item[] = Array.from({ length: count }, (_, n) => {
    const pad = String(n + 1).padStart(4, "0");
    const first = `First${pad}`;
    const last = `Last${pad}`;
    return {
      token: `user-${pad}`,
      Name: `${last}, ${first}`,
      Description: `Populated user ${n + 1}`,
      Attribute: [
        { type: "string", Name: "FirstName", Value: first },
        { type: "string", Name: "LastName", Value: last },
      ],
    };
  });
  installItems(UserDecl, items, state);
}
