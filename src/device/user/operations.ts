/** User operations that are not generic set/get/list/remove. */
import { entityOperations } from "../generic-ops.js";
import type { OperationDef } from "../operation.js";
import { TOKEN, obj, req } from "../shape.js";
import { USER_ENTITIES } from "./declarations.js";
import { usersOfCredential } from "./lookup.js";

export function userOperations(): OperationDef[] {
  const ops: OperationDef[] = USER_ENTITIES.flatMap(entityOperations);
  ops.push({
    prefix: "axudb",
    name: "GetServiceCapabilities",
    input: obj("GetServiceCapabilities", []),
    // The generic Get/GetList operations apply state.maxLimit; the capability reports that limit.
    handle: (_in, state) => ({ Capabilities: { MaxLimit: state.maxLimit + (state.quirks.has("user-max-limit-wrong") ? 1 : 0) } }),
  });
  ops.push({
    prefix: "axudb",
    name: "GetUserInfoByCredentialToken",
    input: obj("GetUserInfoByCredentialToken", [req("CredentialToken", TOKEN)]),
    handle: (input, state) => ({ UserInfo: usersOfCredential(state, input["CredentialToken"] as string) }),
  });
  return ops;
}
