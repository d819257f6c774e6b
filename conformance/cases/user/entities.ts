/**
 * User entity declaration (user-service.md). Samples follow AXIS Entry Manager's convention
 * (system-integration-examples.md#users-and-credentials): Name "LastName, FirstName" with both
 * names as attributes; here the run's label is the name, so leftovers can be recognised.
 */
import type { EntityDeclaration } from "../../harness/entity.js";
import { renamed } from "../../harness/entity.js";

export const USER_DOC = "user-service.md";

export const user: EntityDeclaration = {
  key: "user",
  typeName: "User",
  service: "User",
  prefix: "axudb",
  docPage: USER_DOC,
  full: { get: "axudb:GetUser", list: "axudb:GetUserList", itemField: "User" },
  info: { get: "axudb:GetUserInfo", list: "axudb:GetUserInfoList", itemField: "UserInfo" },
  set: "axudb:SetUser",
  setField: "User",
  remove: "axudb:RemoveUser",
  tokenField: "token",
  markerField: "Name",
  sample: (a) => ({
    token: a.token,
    Name: a.label,
    Description: `${a.label} description`,
    Attribute: [
      { type: "string", Name: "FirstName", Value: `First${a.n}` },
      { type: "string", Name: "LastName", Value: a.label },
    ],
  }),
  modify: (item, label) => ({
    ...renamed(item, label),
    Attribute: [{ type: "string", Name: "LastName", Value: `${label} v2` }],
  }),
};

export const userEntities: readonly EntityDeclaration[] = [user];
