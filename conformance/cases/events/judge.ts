/**
 * Judging one notification against the catalogue (ONVIF Core "Notification Message Format",
 * "Property Events"; the services' topic definitions): its topic and namespace, UtcTime in UTC
 * with Z, the documented Source/Data item names in their groups, their values against the
 * documented XSD types, the tokens our stimulus should name, and PropertyOperation on a property.
 * Returns the problems found (the check fails with the first ones).
 */
import { DOC_PREFIXES } from "./namespaces.js";
import type { ItemSpec, TopicSpec } from "./catalogue.js";
import { allItems, isUtcDateTime, type Item, type Notification } from "./message.js";
import { docTopic, formatTopic, sameTopic, topicKey } from "./topic.js";

/** The enumerations of the ONVIF DoorControl schema (doorcontrol.wsdl) that event State items use. */
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  "tdc:DoorMode": ["Unknown", "Locked", "Unlocked", "Accessed", "Blocked", "LockedDown", "LockedOpen", "DoubleLocked"],
  "tdc:DoorPhysicalState": ["Unknown", "Open", "Closed", "Fault"],
  "tdc:LockPhysicalState": ["Unknown", "Locked", "Unlocked", "Fault"],
  "tdc:DoorAlarmState": ["Normal", "DoorForcedOpen", "DoorOpenTooLong"],
  "tdc:DoorTamperState": ["Unknown", "NotInTamper", "TamperDetected"],
  "tdc:DoorFaultState": ["Unknown", "NotInFault", "FaultDetected"],
};

/**
 * Why `value` is not a value of the documented type, or undefined when it is (or the type is not
 * one the suite knows). xs:boolean is held to true/false: the form ONVIF's messages and clients use
 * (the 1/0 of XSD's lexical space is how the Axis event logger stores flags, not what a
 * notification carries).
 */
export function typeProblem(type: string, value: string): string | undefined {
  const v = value.trim();
  switch (type) {
    case "xs:boolean":
      return v === "true" || v === "false" ? undefined : `"${value}" is not an xs:boolean written true or false`;
    case "pt:ReferenceToken":
      return v === "" ? "an empty pt:ReferenceToken" : v.length > 64 ? `a pt:ReferenceToken of ${v.length} characters (at most 64)` : undefined;
    case "xs:int":
    case "xs:integer":
      return /^[+-]?\d+$/.test(v) ? undefined : `"${value}" is not an ${type}`;
    case "xs:hexBinary":
      return /^([0-9a-fA-F]{2})*$/.test(v) ? undefined : `"${value}" is not xs:hexBinary`;
    case "xs:dateTime":
      return /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(v) ? undefined : `"${value}" is not an xs:dateTime`;
    default: {
      const allowed = ENUMS[type];
      return allowed === undefined || allowed.includes(v) ? undefined : `"${value}" is not a ${type} (${allowed.join(", ")})`;
    }
  }
}

export interface JudgeOptions {
  /** A property message: the PropertyOperation it must carry ("Initialized" or "Changed"). */
  readonly operation?: "Initialized" | "Changed";
  /** Items that must carry exactly these values (the tokens of our items). */
  readonly tokens?: Readonly<Record<string, string>>;
}

function groupOf(n: Notification, name: string): "Source" | "Key" | "Data" | undefined {
  const m = n.message;
  if (m === undefined) return undefined;
  if (m.source.some((i) => i.name === name)) return "Source";
  if (m.key.some((i) => i.name === name)) return "Key";
  if (m.data.some((i) => i.name === name)) return "Data";
  return undefined;
}

const list = (items: readonly Item[]): string => (items.length === 0 ? "no items" : items.map((i) => `${i.name}=${i.value}`).join(", "));

function itemProblems(n: Notification, specs: readonly ItemSpec[] | undefined, group: "Source" | "Data"): string[] {
  const m = n.message;
  if (specs === undefined || m === undefined) return [];
  const items = group === "Source" ? m.source : m.data;
  const out: string[] = [];
  for (const spec of specs) {
    const item = items.find((i) => i.name === spec.name);
    if (item === undefined) {
      if (spec.optional === true) continue;
      const elsewhere = groupOf(n, spec.name);
      out.push(
        elsewhere !== undefined
          ? `the documented ${group} item "${spec.name}" is in ${elsewhere}`
          : `${group} has no item "${spec.name}" (the documented name; ${group} has ${list(items)})`,
      );
      continue;
    }
    const problem = spec.type !== undefined ? typeProblem(spec.type, item.value) : undefined;
    if (problem !== undefined) out.push(`${group} item ${spec.name}: ${problem}`);
  }
  return out;
}

/** Every way `n` differs from what the catalogue documents for `spec` (empty: it conforms). */
export function judgeNotification(n: Notification, spec: TopicSpec, options: JudgeOptions = {}): string[] {
  const out: string[] = [];
  const expected = docTopic(spec.topic);
  if (n.topic === undefined) out.push(`its topic "${n.topicText}" cannot be read: ${n.topicError ?? "?"}`);
  else if (!sameTopic(n.topic, expected)) {
    out.push(`its topic "${n.topicText}" resolves to ${topicKey(n.topic)}, not ${spec.topic} = ${topicKey(expected)} (topic namespaces: tns1 ${DOC_PREFIXES["tns1"]}, tnsaxis ${DOC_PREFIXES["tnsaxis"]})`);
  }
  const m = n.message;
  if (m === undefined || n.messageError !== undefined) {
    out.push(n.messageError ?? "it has no tt:Message");
    if (m === undefined) return out;
  }
  if (!isUtcDateTime(m.utcTime)) {
    out.push(m.utcTime === undefined ? "tt:Message has no UtcTime" : `UtcTime "${m.utcTime}" is not a UTC xs:dateTime with the Z designator`);
  }
  out.push(...itemProblems(n, spec.source, "Source"), ...itemProblems(n, spec.data, "Data"));
  for (const [name, value] of Object.entries(options.tokens ?? {})) {
    const item = allItems(m).find((i) => i.name === name);
    if (item !== undefined && item.value !== value) out.push(`${name} "${item.value}" does not name the item our stimulus acted on ("${value}"): a token that refers to something else`);
  }
  if (options.operation !== undefined && m.propertyOperation !== options.operation) {
    out.push(
      m.propertyOperation === undefined
        ? `this message of the property topic ${formatTopic(expected)} has no PropertyOperation (expected "${options.operation}")`
        : `PropertyOperation is "${m.propertyOperation}"; expected "${options.operation}"`,
    );
  }
  return out;
}
