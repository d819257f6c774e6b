/**
 * The added remote devices as an entity store keyed by token, so they are part of the device's
 * data and its snapshot. No generic operations: axrio has SetDevice only (operations.ts), and no
 * documented Get, List or Remove. No `topic`: the service announces its own (topics.ts).
 */
import type { EntityDecl } from "../entity.js";
import { REMOTE_DEVICE, checkRemoteDevice } from "./remote-devices.js";
import { RemoteDeviceShape } from "./shapes.js";

export const RemoteDeviceDecl: EntityDecl = {
  name: REMOTE_DEVICE,
  sharing: "local",
  what: "RemoteDevice",
  tokenField: "token",
  shape: RemoteDeviceShape,
  ops: [],
  // "If … no token is specified, a token is generated automatically."
  allocateTokens: true,
  setResponse: "tokens",
  sharesTokenSpace: true,
  // No fault is documented: the ONVIF generic fault for an invalid argument value.
  setFault: ["ter:InvalidArgVal"],
  check: (item, state, batch, index) => checkRemoteDevice(item, state, batch, index),
};

export const PERIPHERALS_ENTITIES: readonly EntityDecl[] = [RemoteDeviceDecl];
