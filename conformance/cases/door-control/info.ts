/**
 * What a door reports about itself (door-control-service.md "DoorInfo", "DoorCapabilities",
 * "DoorState", "Door configuration"): capabilities follow the hardware configuration, DoorState
 * has every field the capabilities promise, the configuration keeps the settings sent, and the
 * responses conform to the schema.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { docRef, itemsOf } from "../../harness/entity.js";
import { excerptJson } from "../../harness/faults.js";
import { requireOps, setItems } from "../../harness/items.js";
import { BOTH, expectSchemaConformance, isTrue, lastExchange } from "../generic/support.js";
import { SERVICE, door, doorConfiguration } from "./entities.js";
import { capabilities, createDoor, doorState, ownConfiguration, section } from "./support.js";


const capabilitiesFollowConfiguration: CheckDefinition = {
  id: "tdc.door-info.capabilities-follow-configuration",
  title: "DoorInfo.Capabilities.DoubleLock follows the door's secondary lock",
  service: SERVICE,
  rule: "DoorCapabilities reflect the door's hardware settings and change with them: DoubleLock is false without a secondary lock (DoubleLock.Type None) and true once one is configured.",
  specRefs: [section("doorcapabilities-data-structure"), section("door-configuration"), docRef(door, "tdc:GetDoorInfo"), "DOORCONTROL-2-1-3", "DOORCONTROL-5-1-2"],
  quirk: "door-capabilities-static",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorInfo", doorConfiguration.set);
    const token = await createDoor(ctx, "caps", { doubleLock: false });
    const before = await capabilities(ctx, token);
    if (isTrue(before["DoubleLock"])) ctx.fail(`door "${token}" configured with DoubleLock.Type None reports Capabilities.DoubleLock=true`, lastExchange(ctx));
    await setItems(ctx, doorConfiguration, [{ token, DeviceUUID: "", Configuration: ownConfiguration(true) }]);
    const after = await capabilities(ctx, token);
    if (!isTrue(after["DoubleLock"])) ctx.fail(`after configuring DoubleLock.Type Standard, door "${token}" reports Capabilities.DoubleLock=${String(after["DoubleLock"] ?? false)}; expected true`, lastExchange(ctx));
  },
};

/** DoorCapabilities flag → the DoorState field it promises (DoorState data structure). */
const PROMISED: readonly [string, string][] = [
  ["DoorMonitor", "DoorPhysicalState"],
  ["LockMonitor", "LockPhysicalState"],
  ["DoubleLockMonitor", "DoubleLockPhysicalState"],
  ["Alarm", "Alarm"],
  ["Tamper", "Tamper"],
  ["Fault", "Fault"],
];

const stateFields: CheckDefinition = {
  id: "tdc.door-state.fields-match-capabilities",
  title: "GetDoorState reports every field the door's capabilities promise",
  service: SERVICE,
  rule: "A door that signals DoorMonitor, LockMonitor, DoubleLockMonitor, Alarm, Tamper or Fault provides DoorPhysicalState, LockPhysicalState, DoubleLockPhysicalState, Alarm, Tamper or Fault in its DoorState, beside the DoorMode.",
  specRefs: [section("doorstate-data-structure"), docRef(door, "tdc:GetDoorState"), "DOORCONTROL-2-1-1", "DOORCONTROL-5-1-2"],
  quirk: "door-state-omits-monitored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorState", "tdc:GetDoorInfo", door.set);
    const token = await createDoor(ctx, "fields", { doubleLock: true });
    const caps = await capabilities(ctx, token);
    const state = await doorState(ctx, token);
    const missing = PROMISED.filter(([cap, field]) => isTrue(caps[cap]) && state[field] === undefined).map(([cap, field]) => `${field} (Capabilities.${cap}=true)`);
    if (state["DoorMode"] === undefined) missing.unshift("DoorMode");
    if (missing.length > 0) ctx.fail(`GetDoorState "${token}" lacks ${missing.join(", ")}: ${excerptJson(state, 300)}`, lastExchange(ctx));
  },
};

const settingsStored: CheckDefinition = {
  id: "axtdc.door-configuration.settings-stored",
  title: "GetDoorConfiguration and GetDoorConfigurationInfo show the settings set",
  service: SERVICE,
  rule: "The Configuration settings sent with SetDoorConfiguration are stored: GetDoorConfiguration and GetDoorConfigurationInfo return each of them with the value sent (unspecified settings keep their defaults).",
  specRefs: [section("door-configuration"), docRef(door, "axtdc:SetDoorConfiguration"), docRef(door, "axtdc:GetDoorConfiguration"), docRef(door, "axtdc:GetDoorConfigurationInfo")],
  quirk: "door-configuration-not-stored",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "axtdc:GetDoorConfigurationInfo", doorConfiguration.full?.get);
    const token = await createDoor(ctx, "conf", { doubleLock: true });
    const sent = ownConfiguration(true);
    const valueIn = (list: Record<string, unknown>[], name: string): unknown => list.find((c) => c["Name"] === name)?.["Value"];
    const stored = itemsOf(await ctx.call(doorConfiguration.full!.get!, { Token: [token] }), "DoorConfiguration")[0];
    const config = itemsOf(stored ?? {}, "Configuration");
    const wrong = sent.filter((s) => valueIn(config, s.Name) !== s.Value).map((s) => `${s.Name}: sent "${s.Value}", got ${excerptJson(valueIn(config, s.Name))}`);
    if (wrong.length > 0) ctx.fail(`GetDoorConfiguration "${token}": ${wrong.join("; ")}`, lastExchange(ctx));
    const info = itemsOf(await ctx.call("axtdc:GetDoorConfigurationInfo", { Token: token }), "ConfigurationInfo");
    const wrongInfo = sent.filter((s) => valueIn(info, s.Name) !== s.Value).map((s) => `${s.Name}: sent "${s.Value}", got ${excerptJson(valueIn(info, s.Name))}`);
    if (wrongInfo.length > 0) ctx.fail(`GetDoorConfigurationInfo "${token}": ${wrongInfo.join("; ")}`, lastExchange(ctx));
  },
};

const schema: CheckDefinition = {
  id: "tdc.schema.door-responses",
  title: "DoorInfo, Door, DoorState and priority state responses conform to the schema",
  service: SERVICE,
  rule: "Responses of GetDoorInfo, GetDoorInfoList, GetDoor, GetDoorList, GetDoorState and GetDoorPriorityState conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): required elements present, types and enumerations respected.",
  specRefs: [section("doorinfo-data-structure"), section("doorstate-data-structure"), section("door-data-structure"), docRef(door, "tdc:GetDoorInfo"), docRef(door, "tdc:GetDoorState")],
  quirk: "schema-invalid-response",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, "tdc:GetDoorInfo", "tdc:GetDoorInfoList", "axtdc:GetDoor", "axtdc:GetDoorList", "tdc:GetDoorState", "axtdc:GetDoorPriorityState");
    const token = await createDoor(ctx, "sch", { doubleLock: true });
    await expectSchemaConformance(ctx, [
      ["tdc:GetDoorInfo", { Token: [token] }],
      ["tdc:GetDoorInfoList", { Limit: 2 }],
      ["axtdc:GetDoor", { Token: [token] }],
      ["axtdc:GetDoorList", { Limit: 2 }],
      ["tdc:GetDoorState", { Token: token }],
      ["axtdc:GetDoorPriorityState", { Token: token }],
    ]);
  },
};

export function infoChecks(): CheckDefinition[] {
  return [capabilitiesFollowConfiguration, stateFields, settingsStored, schema];
}
