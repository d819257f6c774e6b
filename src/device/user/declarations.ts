/** User entity declaration: store, Info form and the generic Get/GetList/GetInfo/GetInfoList/Set/Remove. */
import type { EntityDecl } from "../entity.js";
import { UserShape } from "./shapes.js";

/**
 * user-service.md: UserInfo = token, Name, Description. No `topic`: the guide says "No events are
 * available from this service", so Set/Remove announce nothing.
 */
export const UserDecl: EntityDecl = {
  name: "User",
  what: "User",
  tokenField: "token",
  shape: UserShape,
  info: { name: "UserInfo", fields: ["token", "Name", "Description"], schemaQuirkOmits: "Name" },
  ops: [
    { kind: "list", form: "info", op: "axudb:GetUserInfoList" },
    { kind: "get", form: "info", op: "axudb:GetUserInfo" },
    { kind: "list", form: "full", op: "axudb:GetUserList" },
    { kind: "get", form: "full", op: "axudb:GetUser" },
    { kind: "set", op: "axudb:SetUser" },
    { kind: "remove", op: "axudb:RemoveUser" },
  ],
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // SetUser fault table: env:Sender/ter:InvalidArgs for an invalid item.
  setFault: ["ter:InvalidArgs"],
};

export const USER_ENTITIES: readonly EntityDecl[] = [UserDecl];
