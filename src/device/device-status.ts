/**
 * A family of per-device status properties (tns1:Door/tnsaxis:Status/*,
 * tns1:IdPoint/tnsaxis:Status/*): one property topic per status, keyed by the owner's token, with
 * the data items "ID" (the device's hardware address) and "State". The simulated world sets a
 * status with a stimulus; each change is announced. door-control/device-status.ts and
 * idpoint/device-status.ts are configurations of this.
 */
import { createHash } from "node:crypto";
import type { DeviceState } from "./state.js";
import type { PropertyInstance, TopicDecl } from "./topics.js";
import { StimulusError, boolArg, stringArg, type StimulusKind } from "./world.js";

export interface DeviceStatusConfig<S extends string> {
  /** Topic of a status: `${topicPrefix}${status}`. */
  readonly topicPrefix: string;
  /** Key of the runtime state: statuses that differ from `initial`, per token. */
  readonly runtimeKey: string;
  /** The source item naming the owner, e.g. "DoorToken". */
  readonly sourceItem: string;
  readonly statuses: readonly S[];
  readonly doc: Readonly<Record<S, string>>;
  /** Whether each status holds on a fresh device. */
  readonly initial: Readonly<Record<S, boolean>>;
  /** The State item's type and value for a status; default xs:boolean, the on/off value itself. */
  readonly stateType?: (status: S) => string;
  readonly stateValue?: (status: S, on: boolean) => unknown;
  /** The configured hardware address of a token's device, or "" when none. */
  readonly configuredAddress: (state: DeviceState, token: string) => string;
  /** Tokens the property has instances for. */
  readonly tokens: (state: DeviceState) => readonly string[];
  readonly stimulus: {
    readonly name: string;
    readonly doc: string;
    readonly args: Readonly<Record<string, string>>;
    /** The name of the owner's argument and result field, e.g. "Door". */
    readonly tokenArg: string;
    /** The owner's token from the arguments; throws StimulusError when there is none. */
    readonly resolve: (args: Readonly<Record<string, unknown>>, state: DeviceState) => string;
  };
}

export interface DeviceStatusFamily<S extends string> {
  readonly topic: (status: S) => string;
  readonly topics: readonly TopicDecl[];
  /** The configured hardware address, else one made up from the token, the same on every run. */
  readonly address: (state: DeviceState, token: string) => string;
  /** Sets one status; announces it when it changed. */
  readonly set: (state: DeviceState, token: string, status: S, on: boolean) => boolean;
  /** Forgets the statuses of a removed owner. */
  readonly forget: (state: DeviceState, token: string) => void;
  readonly stimulus: StimulusKind;
}

export function deviceStatusFamily<S extends string>(config: DeviceStatusConfig<S>): DeviceStatusFamily<S> {
  const { statuses, initial } = config;
  const stateType = config.stateType ?? (() => "xs:boolean");
  const stateValue = config.stateValue ?? ((_status: S, on: boolean) => on);

  const topic = (status: S): string => `${config.topicPrefix}${status}`;

  function changed(state: DeviceState): Map<string, Set<S>> {
    return state.runtime(config.runtimeKey, () => new Map<string, Set<S>>());
  }

  function holds(state: DeviceState, token: string, status: S): boolean {
    return changed(state).get(token)?.has(status) === true ? !initial[status] : initial[status];
  }

  function address(state: DeviceState, token: string): string {
    const configured = config.configuredAddress(state, token);
    if (configured !== "") return configured;
    return createHash("sha256").update(token).digest("hex").slice(0, 6).toUpperCase();
  }

  function message(state: DeviceState, token: string, status: S): PropertyInstance {
    return { source: { [config.sourceItem]: token }, data: { ID: address(state, token), State: stateValue(status, holds(state, token, status)) } };
  }

  const topics: readonly TopicDecl[] = statuses.map((status) => ({
    topic: topic(status),
    doc: config.doc[status],
    property: true,
    source: [{ name: config.sourceItem, type: "pt:ReferenceToken" }],
    data: [
      { name: "ID", type: "xs:string" },
      { name: "State", type: stateType(status) },
    ],
    current: (state: DeviceState) =>
      config.tokens(state).map((token) => message(state, token, status)),
  }));

  function set(state: DeviceState, token: string, status: S, on: boolean): boolean {
    if (holds(state, token, status) === on) return false;
    const all = changed(state);
    const statusSet = all.get(token) ?? new Set<S>();
    if (on === initial[status]) statusSet.delete(status);
    else statusSet.add(status);
    if (statusSet.size === 0) all.delete(token);
    else all.set(token, statusSet);
    const m = message(state, token, status);
    state.publish({ topic: topic(status), source: { ...m.source }, data: { ...m.data } });
    return true;
  }

  function forget(state: DeviceState, token: string): void {
    changed(state).delete(token);
  }

  const stimulus: StimulusKind = {
    name: config.stimulus.name,
    doc: config.stimulus.doc,
    args: config.stimulus.args,
    apply(args, state) {
      const token = config.stimulus.resolve(args, state);
      const status = stringArg(args, "Status");
      if (!(statuses as readonly string[]).includes(status)) throw new StimulusError(`"Status" must be one of ${statuses.join(", ")}; got "${status}"`);
      const on = boolArg(args, "Active", true);
      const didChange = set(state, token, status as S, on);
      return { [config.stimulus.tokenArg]: token, Status: status, Active: on, ID: address(state, token), Changed: didChange };
    },
  };

  return { topic, topics, address, set, forget, stimulus };
}
