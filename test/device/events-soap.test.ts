/**
 * The event service over HTTP, as raw SOAP 1.2 requests written like an ONVIF client writes them
 * (WS-Addressing Action/To marked mustUnderstand, the subscription's reference parameter): create
 * a pull point, make the world change (back-door stimuli, JSON configuration), pull what it
 * caused; MessageLimit, a long poll woken by an event, Renew, Unsubscribe, expiry on the virtual
 * clock, MaxPullPoints, and the quirks whose effect needs the real services.
 */
import { describe, expect, it } from "@jest/globals";
import { parseSoapFault } from "../../src/runtime/soap.js";
import type { XmlElement } from "../../src/runtime/model.js";
import { parseXml } from "../../src/runtime/xml.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import { BASIC, SOAP_ENV, attr, children, credential, ok, post } from "./helpers.js";

const TEV = "http://www.onvif.org/ver10/events/wsdl";
const WSNT = "http://docs.oasis-open.org/wsn/b-2";
const WSA = "http://www.w3.org/2005/08/addressing";
const WSRF_R = "http://docs.oasis-open.org/wsrf/r-2";
const AXIS_EVENT = "http://www.axis.com/2009/event";
const CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";
const ITEM_FILTER = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter";
const SOAP_HEADERS = { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" };

/** A pull point as the client keeps it: its address and reference parameter. */
interface PullPoint {
  readonly address: string;
  readonly id: string;
}

interface Answer {
  readonly status: number;
  /** The Body's element: the response or env:Fault. */
  readonly el: XmlElement;
  /** Fault code chain with canonical prefixes (`{uri}local` outside env/ter), when it is a fault. */
  readonly fault?: string[];
}

/** An ONVIF client's request: wsa:Action and wsa:To marked mustUnderstand, a MessageID, and the reference parameter when calling a pull point. */
async function call(device: RunningDevice, action: string, bodyXml: string, to?: PullPoint, viaHeaderOnly = false): Promise<Answer> {
  const url = to === undefined || viaHeaderOnly ? `${device.url}/vapix/services` : to.address.replace(/^http:\/\/[^/]+/, device.url);
  const ref = to === undefined ? "" : `<ev:SubscriptionId xmlns:ev="${AXIS_EVENT}" wsa:IsReferenceParameter="true">${to.id}</ev:SubscriptionId>`;
  const text =
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP_ENV}" xmlns:wsa="${WSA}" xmlns:tev="${TEV}" xmlns:wsnt="${WSNT}">` +
    `<env:Header><wsa:Action env:mustUnderstand="1">${action}</wsa:Action><wsa:To env:mustUnderstand="1">${url}</wsa:To><wsa:MessageID>urn:uuid:${Math.random()}</wsa:MessageID>${ref}</env:Header>` +
    `<env:Body>${bodyXml}</env:Body></env:Envelope>`;
  const r = await post(device, new URL(url).pathname, text, SOAP_HEADERS);
  const root = parseXml(r.text);
  const body = root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!;
  const el = body.children[0]!;
  if (el.local !== "Fault") return { status: r.status, el };
  const scope = { ...root.nsDecls, ...body.nsDecls };
  const info = parseSoapFault(el, (p) => scope[p]);
  return { status: r.status, el, fault: [info.code, ...info.subcodes] };
}

const ACTION = {
  create: `${TEV}/EventPortType/CreatePullPointSubscriptionRequest`,
  properties: `${TEV}/EventPortType/GetEventPropertiesRequest`,
  capabilities: `${TEV}/EventPortType/GetServiceCapabilitiesRequest`,
  pull: `${TEV}/PullPointSubscription/PullMessagesRequest`,
  sync: `${TEV}/PullPointSubscription/SetSynchronizationPointRequest`,
  renew: "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest",
  unsubscribe: "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest",
};

function filterXml(topic?: string, content?: string): string {
  if (topic === undefined && content === undefined) return "";
  const t = topic === undefined ? "" : `<wsnt:TopicExpression Dialect="${CONCRETE_SET}" xmlns:tns1="http://www.onvif.org/ver10/topics">${topic}</wsnt:TopicExpression>`;
  const c = content === undefined ? "" : `<wsnt:MessageContent Dialect="${ITEM_FILTER}" xmlns:tt="http://www.onvif.org/ver10/schema">${content.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</wsnt:MessageContent>`;
  return `<tev:Filter>${t}${c}</tev:Filter>`;
}

async function createPullPoint(device: RunningDevice, options: { topic?: string; content?: string; termination?: string } = {}): Promise<{ pp: PullPoint; answer: Answer }> {
  const termination = options.termination === undefined ? "" : `<tev:InitialTerminationTime>${options.termination}</tev:InitialTerminationTime>`;
  const answer = await call(device, ACTION.create, `<tev:CreatePullPointSubscription>${filterXml(options.topic, options.content)}${termination}</tev:CreatePullPointSubscription>`);
  if (answer.fault !== undefined) return { pp: { address: "", id: "" }, answer };
  const ref = children(answer.el, "SubscriptionReference")[0]!;
  const address = children(ref, "Address")[0]!.text;
  const id = children(children(ref, "ReferenceParameters")[0]!, "SubscriptionId")[0]!.text;
  return { pp: { address, id }, answer };
}

interface Notification {
  topic: string;
  op: string | undefined;
  utcTime: string;
  items: Record<string, string>;
}

function notifications(response: XmlElement): Notification[] {
  return children(response, "NotificationMessage").map((n) => {
    const message = children(children(n, "Message")[0]!, "Message")[0]!;
    const items: Record<string, string> = {};
    for (const group of message.children) for (const i of group.children) items[`${group.local}.${attr(i, "Name")!}`] = attr(i, "Value")!;
    return { topic: children(n, "Topic")[0]!.text.trim(), op: attr(message, "PropertyOperation"), utcTime: attr(message, "UtcTime")!, items };
  });
}

async function pull(device: RunningDevice, pp: PullPoint, limit = 100, timeout = "PT0S", viaHeaderOnly = false): Promise<Answer & { messages: Notification[] }> {
  const a = await call(device, ACTION.pull, `<tev:PullMessages><tev:Timeout>${timeout}</tev:Timeout><tev:MessageLimit>${limit}</tev:MessageLimit></tev:PullMessages>`, pp, viaHeaderOnly);
  return { ...a, messages: a.fault === undefined ? notifications(a.el) : [] };
}

const renew = (device: RunningDevice, pp: PullPoint, time: string): Promise<Answer> => call(device, ACTION.renew, `<wsnt:Renew><wsnt:TerminationTime>${time}</wsnt:TerminationTime></wsnt:Renew>`, pp);
const unsubscribe = (device: RunningDevice, pp: PullPoint): Promise<Answer> => call(device, ACTION.unsubscribe, "<wsnt:Unsubscribe/>", pp);

async function withEventDevice(quirks: string[], fn: (device: RunningDevice) => Promise<void>): Promise<void> {
  const device = await startDevice({ clock: "virtual=2026-01-05T08:00:00Z", backdoor: true, quirks });
  try {
    await fn(device);
  } finally {
    await device.close();
  }
}

async function doors(device: RunningDevice): Promise<string[]> {
  return ((await ok(device, "axtdc:GetDoorList", {}))["Door"] as { token: string }[]).map((d) => d.token);
}

const RESOURCE_UNKNOWN = ["env:Receiver", `{${WSRF_R}}ResourceUnknownFault`];

describe("event service over SOAP", () => {
  it("GetServiceCapabilities and GetEventProperties describe the pull-point service and its topic tree", async () => {
    await withEventDevice([], async (device) => {
      const caps = children((await call(device, ACTION.capabilities, "<tev:GetServiceCapabilities/>")).el, "Capabilities")[0]!;
      expect([attr(caps, "WSPullPointSupport"), attr(caps, "MaxPullPoints"), attr(caps, "PersistentNotificationStorage")]).toEqual(["true", "10", "false"]);
      const props = await call(device, ACTION.properties, "<tev:GetEventProperties/>");
      expect(props.status).toBe(200);
      expect(children(props.el, "TopicExpressionDialect").map((e) => e.text)).toContain(CONCRETE_SET);
      const set = children(props.el, "TopicSet")[0]!;
      const door = set.children.find((e) => e.local === "Door" && e.ns === "http://www.onvif.org/ver10/topics")!;
      const mode = children(children(door, "State")[0]!, "DoorMode")[0]!;
      expect(mode.attrs.find((a) => a.local === "topic")?.value).toBe("true");
      const description = children(mode, "MessageDescription")[0]!;
      expect([attr(description, "IsProperty"), children(children(description, "Source")[0]!, "SimpleItemDescription").map((i) => attr(i, "Name"))]).toEqual(["true", ["DoorToken"]]);
    });
  });

  it("create → a door opens → PullMessages at the pull point's address gets the change; the Initialized values first", async () => {
    await withEventDevice([], async (device) => {
      const [door] = await doors(device);
      const { pp, answer } = await createPullPoint(device, { topic: "tns1:Door/State/DoorPhysicalState", termination: "PT30S" });
      expect(answer.status).toBe(200);
      expect(new URL(pp.address).pathname).toBe(`/vapix/services/pullpoint/${pp.id}`);
      expect([children(answer.el, "CurrentTime")[0]!.text, children(answer.el, "TerminationTime")[0]!.text]).toEqual(["2026-01-05T08:00:00.000Z", "2026-01-05T08:00:30.000Z"]);
      const initial = await pull(device, pp);
      expect(initial.messages.length).toBeGreaterThan(0);
      expect(initial.messages.every((m) => m.topic === "tns1:Door/State/DoorPhysicalState" && m.op === "Initialized")).toBe(true);
      device.stimulate({ Stimulus: "OpenDoor", Door: door });
      const changed = await pull(device, pp);
      expect(changed.messages).toContainEqual({ topic: "tns1:Door/State/DoorPhysicalState", op: "Changed", utcTime: "2026-01-05T08:00:00.000Z", items: { "Source.DoorToken": door!, "Data.State": "Open" } });
      expect(children(changed.el, "TerminationTime")[0]!.text).toBe("2026-01-05T08:00:30.000Z");
    });
  });

  it("a pull point is also reached at /vapix/services through its SubscriptionId reference parameter", async () => {
    await withEventDevice([], async (device) => {
      const { pp } = await createPullPoint(device, { topic: "tns1:Door/State/DoorMode" });
      const r = await pull(device, pp, 100, "PT0S", true);
      expect([r.status, r.messages.length > 0]).toEqual([200, true]);
    });
  });

  it("MessageLimit bounds each answer; the content filter selects one door", async () => {
    await withEventDevice([], async (device) => {
      const [door1, door2] = await doors(device);
      const { pp } = await createPullPoint(device, { topic: "tns1:Door//." });
      const first = await pull(device, pp, 3);
      expect(first.messages).toHaveLength(3);
      const { pp: one } = await createPullPoint(device, { topic: "tns1:Door/State/DoorMode", content: `boolean(//tt:SimpleItem[@Name="DoorToken" and @Value="${door2!}"])` });
      expect((await pull(device, one)).messages.map((m) => m.items["Source.DoorToken"])).toEqual([door2]);
      expect(door1).not.toBe(door2);
    });
  });

  it("a waiting PullMessages answers as soon as the door opens", async () => {
    await withEventDevice([], async (device) => {
      const [door] = await doors(device);
      const { pp } = await createPullPoint(device, { topic: "tns1:Door/State/DoorPhysicalState" });
      await pull(device, pp);
      const waiting = pull(device, pp, 10, "PT50S");
      // The back door shows when the PullMessages is blocked on the pull point.
      for (;;) {
        const view = (await (await fetch(`${device.url}/backdoor`, { headers: { authorization: BASIC } })).json()) as { World: { EventSubscriptions: { Waiting: boolean }[] } };
        if (view.World.EventSubscriptions.some((s) => s.Waiting)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      device.stimulate({ Stimulus: "OpenDoor", Door: door });
      expect((await waiting).messages.map((m) => m.items["Data.State"])).toEqual(["Open"]);
    });
  });

  it("Renew moves the TerminationTime; expiry on the device clock; Unsubscribe twice faults ResourceUnknown", async () => {
    await withEventDevice([], async (device) => {
      const { pp } = await createPullPoint(device, { termination: "PT10S" });
      device.advanceClock(5_000);
      const renewed = await renew(device, pp, "PT60S");
      expect([children(renewed.el, "TerminationTime")[0]!.text, children(renewed.el, "CurrentTime")[0]!.text]).toEqual(["2026-01-05T08:01:05.000Z", "2026-01-05T08:00:05.000Z"]);
      device.advanceClock(59_000);
      expect((await pull(device, pp)).status).toBe(200);
      device.advanceClock(1_000);
      const expired = await pull(device, pp);
      expect([expired.status, expired.fault]).toEqual([500, RESOURCE_UNKNOWN]);
      const detail = children(expired.el, "Detail")[0]!.children[0]!;
      expect([detail.ns, detail.local, children(detail, "Timestamp")[0]!.text]).toEqual([WSRF_R, "ResourceUnknownFault", "2026-01-05T08:01:05.000Z"]);

      const { pp: other } = await createPullPoint(device);
      expect((await unsubscribe(device, other)).el.local).toBe("UnsubscribeResponse");
      expect((await unsubscribe(device, other)).fault).toEqual(RESOURCE_UNKNOWN);
    });
  });

  it("filter faults name the WS-BaseNotification fault", async () => {
    await withEventDevice([], async (device) => {
      expect((await createPullPoint(device, { topic: "xyz" })).answer.fault).toEqual(["env:Receiver", `{${WSNT}}TopicNotSupportedFault`]);
      expect((await createPullPoint(device, { content: 'boolean((//tt:SimpleItem[@Name="xyz" and @Value="xyz"])' })).answer.fault).toEqual(["env:Receiver", `{${WSNT}}InvalidMessageContentExpressionFault`]);
      expect((await createPullPoint(device, { termination: "PT0S" })).answer.fault).toEqual(["env:Receiver", `{${WSNT}}UnacceptableInitialTerminationTimeFault`]);
    });
  });

  it("MaxPullPoints pull points at once; one more is SubscribeCreationFailed", async () => {
    await withEventDevice([], async (device) => {
      const caps = children((await call(device, ACTION.capabilities, "<tev:GetServiceCapabilities/>")).el, "Capabilities")[0]!;
      const max = Number(attr(caps, "MaxPullPoints"));
      for (let i = 0; i < max; i++) expect((await createPullPoint(device)).answer.status).toBe(200);
      const over = await createPullPoint(device);
      expect([over.answer.status, over.answer.fault]).toEqual([500, ["env:Receiver", `{${WSNT}}SubscribeCreationFailedFault`]]);
    });
  });

  it("SetSynchronizationPoint sends the door modes again as Initialized", async () => {
    await withEventDevice([], async (device) => {
      const { pp } = await createPullPoint(device, { topic: "tns1:Door/State/DoorMode" });
      const first = (await pull(device, pp)).messages;
      expect((await call(device, ACTION.sync, "<tev:SetSynchronizationPoint/>", pp)).el.local).toBe("SetSynchronizationPointResponse");
      expect((await pull(device, pp)).messages).toEqual(first);
    });
  });
});

describe("event quirks with the real services", () => {
  it("event-topic-missing: a forced door's DoorAlarm never arrives", async () => {
    for (const [quirks, alarms] of [[[], 1], [["event-topic-missing"], 0]] as const) {
      await withEventDevice([...quirks], async (device) => {
        const [door] = await doors(device);
        const { pp } = await createPullPoint(device, { topic: "tns1:Door//." });
        await pull(device, pp);
        device.stimulate({ Stimulus: "ForceDoor", Door: door });
        expect((await pull(device, pp)).messages.filter((m) => m.topic === "tns1:Door/State/DoorAlarm" && m.items["Data.State"] === "DoorForcedOpen")).toHaveLength(alarms);
      });
    }
  });

  it("event-wrong-value-type: an access point's Enabled state as 1/0", async () => {
    for (const [quirks, value] of [[[], "true"], [["event-wrong-value-type"], "1"]] as const) {
      await withEventDevice([...quirks], async (device) => {
        const { pp } = await createPullPoint(device, { topic: "tns1:AccessPoint/State/Enabled" });
        expect(new Set((await pull(device, pp)).messages.map((m) => m.items["Data.State"]))).toEqual(new Set([value]));
      });
    }
  });

  it("event-dangling-token: a stored credential announced under another token", async () => {
    for (const [quirks, same] of [[[], true], [["event-dangling-token"], false]] as const) {
      await withEventDevice([...quirks], async (device) => {
        const { pp } = await createPullPoint(device, { topic: "tns1:Configuration/Credential/Changed" });
        await ok(device, "pacsaxis:SetCredential", { Credential: [credential("cred-events-1", "31337")] });
        const [m] = (await pull(device, pp)).messages;
        expect(m!.items["Source.CredentialToken"] === "cred-events-1").toBe(same);
      });
    }
  });

  it("event-wrong-source-name: an access decision names its access point AccessPoint", async () => {
    for (const [quirks, name] of [[[], "Source.AccessPointToken"], [["event-wrong-source-name"], "Source.AccessPoint"]] as const) {
      await withEventDevice([...quirks], async (device) => {
        const { pp } = await createPullPoint(device, { topic: "tns1:AccessControl//." });
        const idPoints = ((await ok(device, "axtid:GetIdPointList", {}))["IdPoint"] as { token: string }[]).map((i) => i.token);
        device.stimulate({ Stimulus: "PresentCard", IdPoint: idPoints[0], Card: "02004fcb" });
        const decisions = (await pull(device, pp)).messages;
        expect(decisions.length).toBeGreaterThan(0);
        expect(decisions.every((m) => m.items[name] !== undefined)).toBe(true);
      });
    }
  });

  it("event-local-time: UtcTime in the device's zone without Z", async () => {
    for (const [quirks, time] of [[[], "2026-01-05T08:00:00.000Z"], [["event-local-time"], "2026-01-05T09:00:00.000"]] as const) {
      await withEventDevice([...quirks], async (device) => {
        device.stimulate({ Stimulus: "SetTimeZone", TimeZone: "Europe/Stockholm" });
        const { pp } = await createPullPoint(device, { topic: "tns1:Door/State/DoorMode" });
        expect(new Set((await pull(device, pp)).messages.map((m) => m.utcTime))).toEqual(new Set([time]));
      });
    }
  });

  it("event-pull-no-long-poll: an empty answer before the Timeout", async () => {
    await withEventDevice(["event-pull-no-long-poll", "event-no-initialized"], async (device) => {
      const { pp } = await createPullPoint(device, { topic: "tns1:Door/State/DoorMode" });
      const r = await pull(device, pp, 10, "PT50S");
      expect([r.status, r.messages]).toEqual([200, []]);
    });
  });

  it("event-mustunderstand-rejected: the client's own wsa:Action is refused", async () => {
    await withEventDevice(["event-mustunderstand-rejected"], async (device) => {
      const r = await call(device, ACTION.capabilities, "<tev:GetServiceCapabilities/>");
      expect([r.status, r.fault]).toEqual([500, ["env:MustUnderstand"]]);
    });
  });
});
