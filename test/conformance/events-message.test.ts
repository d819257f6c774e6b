import { describe, expect, it } from "@jest/globals";
import { CATALOGUE } from "../../conformance/cases/events/catalogue.js";
import { judgeNotification, typeProblem } from "../../conformance/cases/events/judge.js";
import { decodeEventPropertiesBody, decodePullMessagesBody, faultNames, isUtcDateTime, type Notification } from "../../conformance/cases/events/message.js";
import { NS } from "../../conformance/cases/events/namespaces.js";
import { TopicSyntaxError, docSelectors, docTopic, formatTopic, parseTopic, sameTopic, selects, topicKey } from "../../conformance/cases/events/topic.js";
import { topicSlug } from "../../conformance/cases/events/topic-checks.js";

// Raw bodies written after the ONVIF Core "Notification example" (PullMessagesResponse,
// GetEventPropertiesResponse), with this device family's topics; prefixes deliberately not the
// documented ones where a test is about prefix resolution.
const ENV = 'xmlns:env="http://www.w3.org/2003/05/soap-envelope"';

function pullResponse(messages: string, decls = ""): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope ${ENV} ${decls}><env:Body>` +
    `<tev:PullMessagesResponse xmlns:tev="${NS.tev}" xmlns:wsnt="${NS.wsnt}"><tev:CurrentTime>2026-01-05T08:00:00Z</tev:CurrentTime>` +
    `<tev:TerminationTime>2026-01-05T08:01:00Z</tev:TerminationTime>${messages}</tev:PullMessagesResponse></env:Body></env:Envelope>`
  );
}

function notification(topic: string, message: string, topicDecls = ""): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet" ${topicDecls}>${topic}</wsnt:Topic>` +
    `<wsnt:Message>${message}</wsnt:Message></wsnt:NotificationMessage>`
  );
}

const DOOR_MODE_CHANGED =
  `<tt:Message xmlns:tt="${NS.tt}" UtcTime="2026-01-05T08:00:00Z" PropertyOperation="Changed">` +
  `<tt:Source><tt:SimpleItem Name="DoorToken" Value="door-1"/></tt:Source><tt:Data><tt:SimpleItem Name="State" Value="Accessed"/></tt:Data></tt:Message>`;

function one(body: string): Notification {
  const list = decodePullMessagesBody(body);
  expect(list).toHaveLength(1);
  return list[0]!;
}

function spec(topic: string) {
  const s = CATALOGUE.find((t) => t.topic === topic);
  if (s === undefined) throw new Error(`no catalogue entry ${topic}`);
  return s;
}

describe("topic paths", () => {
  it("gives an unprefixed segment the namespace of the segment before it", () => {
    const a = docTopic("tns1:IdPoint/tnsaxis:Request/PIN");
    const b = docTopic("tns1:IdPoint/tnsaxis:Request/tnsaxis:PIN");
    expect(sameTopic(a, b)).toBe(true);
    expect(a.map((s) => s.ns)).toEqual([NS.tns1, NS.tnsaxis, NS.tnsaxis]);
    expect(formatTopic(a)).toBe("tns1:IdPoint/tnsaxis:Request/PIN");
  });

  it("resolves prefixes with the declarations given, and refuses undeclared ones and empty segments", () => {
    const path = parseTopic("ev:Door/State/DoorMode", (p) => (p === "ev" ? NS.tns1 : undefined));
    expect(topicKey(path)).toBe(topicKey(docTopic("tns1:Door/State/DoorMode")));
    expect(() => parseTopic("x:Door/State", () => undefined)).toThrow(TopicSyntaxError);
    expect(() => docTopic("tns1:Door//State")).toThrow(/not a topic name/);
  });

  it("judges ConcreteSet alternatives and sub-trees", () => {
    const selectors = docSelectors("tns1:Configuration//.|tns1:Door/State/DoorMode");
    expect(selects(selectors, docTopic("tns1:Configuration/Door/Changed"))).toBe(true);
    expect(selects(selectors, docTopic("tns1:Configuration"))).toBe(true);
    expect(selects(selectors, docTopic("tns1:Door/State/DoorMode"))).toBe(true);
    expect(selects(selectors, docTopic("tns1:Door/State/LockPhysicalState"))).toBe(false);
    expect(selects(selectors, docTopic("tnsaxis:Configuration/Door/Changed"))).toBe(false);
  });

  it("makes check ids from topics", () => {
    expect(topicSlug("tns1:Door/State/DoorMode")).toBe("door-state-door-mode");
    expect(topicSlug("tns1:IdPoint/tnsaxis:Request/PIN")).toBe("id-point-request-pin");
  });
});

describe("PullMessagesResponse bodies", () => {
  it("resolves the topic with the declarations in scope of wsnt:Topic, whatever the prefix", () => {
    const n = one(pullResponse(notification("ev:Door/State/DoorMode", DOOR_MODE_CHANGED, `xmlns:ev="${NS.tns1}"`)));
    expect(sameTopic(n.topic!, docTopic("tns1:Door/State/DoorMode"))).toBe(true);
    expect(n.message).toMatchObject({ utcTime: "2026-01-05T08:00:00Z", propertyOperation: "Changed", source: [{ name: "DoorToken", value: "door-1" }], data: [{ name: "State", value: "Accessed" }] });
  });

  it("reports a topic prefix that is not declared instead of guessing", () => {
    const n = one(pullResponse(notification("tns1:Door/State/DoorMode", DOOR_MODE_CHANGED)));
    expect(n.topic).toBeUndefined();
    expect(n.topicError).toMatch(/prefix "tns1"/);
  });

  it("names a payload that is not a tt:Message", () => {
    const n = one(pullResponse(notification("tns1:Door/State/DoorMode", `<x:Other xmlns:x="urn:x"/>`), `xmlns:tns1="${NS.tns1}"`));
    expect(n.messageError).toMatch(/not tt:Message/);
  });

  it("decodes an empty response and refuses another body", () => {
    expect(decodePullMessagesBody(pullResponse(""))).toEqual([]);
    expect(() => decodePullMessagesBody(`<env:Envelope ${ENV}><env:Body><x xmlns="urn:x"/></env:Body></env:Envelope>`)).toThrow(/tev:PullMessagesResponse/);
  });
});

describe("judging a notification against the catalogue", () => {
  const doorMode = spec("tns1:Door/State/DoorMode");
  const message = (attrs: string, source: string, data: string): string =>
    pullResponse(notification("tns1:Door/State/DoorMode", `<tt:Message xmlns:tt="${NS.tt}" ${attrs}><tt:Source>${source}</tt:Source><tt:Data>${data}</tt:Data></tt:Message>`), `xmlns:tns1="${NS.tns1}"`);
  const door = '<tt:SimpleItem Name="DoorToken" Value="door-1"/>';
  const state = '<tt:SimpleItem Name="State" Value="Locked"/>';

  it("accepts a documented message", () => {
    expect(judgeNotification(one(message('UtcTime="2026-01-05T08:00:00Z" PropertyOperation="Changed"', door, state)), doorMode, { operation: "Changed", tokens: { DoorToken: "door-1" } })).toEqual([]);
  });

  it("names local time, a wrong Source name, a value outside the type, a missing PropertyOperation and a foreign token", () => {
    const problems = judgeNotification(one(message('UtcTime="2026-01-05T09:00:00"', '<tt:SimpleItem Name="Door" Value="door-2"/>', '<tt:SimpleItem Name="State" Value="Shut"/>')), doorMode, {
      operation: "Changed",
      tokens: { Door: "door-1" },
    });
    expect(problems).toEqual([
      expect.stringMatching(/UtcTime "2026-01-05T09:00:00" is not a UTC/),
      expect.stringMatching(/Source has no item "DoorToken"/),
      expect.stringMatching(/State: "Shut" is not a tdc:DoorMode/),
      expect.stringMatching(/Door "door-2" does not name the item/),
      expect.stringMatching(/has no PropertyOperation/),
    ]);
  });

  it("holds xs:boolean to true and false", () => {
    expect(typeProblem("xs:boolean", "true")).toBeUndefined();
    expect(typeProblem("xs:boolean", "1")).toMatch(/not an xs:boolean/);
    expect(typeProblem("pt:ReferenceToken", "")).toMatch(/empty/);
    expect(isUtcDateTime("2026-01-05T08:00:00.123Z")).toBe(true);
    expect(isUtcDateTime("2026-01-05T08:00:00+01:00")).toBe(false);
  });

  it("judges an Initialized-only property (Systemready, no Source) on its Initialized message", () => {
    const ready = spec("tns1:Device/tnsaxis:Status/Systemready");
    expect(ready.cause?.initializedOnly).toBe(true);
    const initialized = (value: string, operation = "Initialized"): Notification =>
      one(
        pullResponse(
          notification("tns1:Device/tnsaxis:Status/Systemready", `<tt:Message xmlns:tt="${NS.tt}" UtcTime="2026-01-05T08:00:00Z" PropertyOperation="${operation}"><tt:Source/><tt:Data><tt:SimpleItem Name="ready" Value="${value}"/></tt:Data></tt:Message>`),
          `xmlns:tns1="${NS.tns1}" xmlns:tnsaxis="${NS.tnsaxis}"`,
        ),
      );
    expect(judgeNotification(initialized("true"), ready, { operation: "Initialized" })).toEqual([]);
    expect(judgeNotification(initialized("1", "Changed"), ready, { operation: "Initialized" })).toEqual([expect.stringMatching(/ready: "1" is not an xs:boolean/), expect.stringMatching(/PropertyOperation is "Changed"; expected "Initialized"/)]);
  });

  it("has a cause for every documented topic but those of services the reference device does not implement (peer connections, the Action service)", () => {
    const uncaused = CATALOGUE.filter((t) => t.onvifOnly !== true && t.cause === undefined).map((t) => t.topic);
    expect(uncaused).toEqual(["tns1:Device/tnsaxis:PeerConnection", "tns1:Device/tnsaxis:SystemMessage/Actionfailed"]);
  });
});

describe("GetEventPropertiesResponse bodies", () => {
  const body =
    `<env:Envelope ${ENV}><env:Body><tev:GetEventPropertiesResponse xmlns:tev="${NS.tev}" xmlns:wsnt="${NS.wsnt}" xmlns:wstop="${NS.wstop}" xmlns:tt="${NS.tt}">` +
    `<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation><wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>` +
    `<wstop:TopicSet xmlns=""><tns1:Door xmlns:tns1="${NS.tns1}"><State><DoorMode wstop:topic="true">` +
    `<tt:MessageDescription IsProperty="true" xmlns:p="${NS.pt}"><tt:Source><tt:SimpleItemDescription Name="DoorToken" Type="p:ReferenceToken"/></tt:Source>` +
    `<tt:Data><tt:SimpleItemDescription Name="State" Type="tdc:DoorMode"/></tt:Data></tt:MessageDescription></DoorMode></State></tns1:Door></wstop:TopicSet>` +
    `<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>` +
    `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
    `<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation></tev:GetEventPropertiesResponse></env:Body></env:Envelope>`;

  it("reads unqualified child topics in their root's namespace and resolves item types in scope", () => {
    const props = decodeEventPropertiesBody(body);
    expect(props.topics).toHaveLength(1);
    const t = props.topics[0]!;
    expect(sameTopic(t.path, docTopic("tns1:Door/State/DoorMode"))).toBe(true);
    expect(t.marked).toBe(true);
    expect(t.descriptions[0]!.source[0]).toEqual({ name: "DoorToken", typeText: "p:ReferenceToken", type: { ns: NS.pt, local: "ReferenceToken" } });
    // tdc is not declared in this body: the Type cannot be resolved.
    expect(t.descriptions[0]!.data[0]!.type).toBeUndefined();
    expect(props).toMatchObject({ fixedTopicSet: "true", topicExpressionDialects: ["http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"], hasTopicSet: true });
  });
});

describe("fault bodies", () => {
  it("names the subcodes and the env:Detail elements by namespace", () => {
    const body =
      `<env:Envelope ${ENV}><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value xmlns:b="${NS.wsnt}">b:TopicExpressionDialectUnknownFault</env:Value></env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">unknown dialect</env:Text></env:Reason><env:Detail><r:ResourceUnknownFault xmlns:r="${NS.wsrfr}"/></env:Detail></env:Fault></env:Body></env:Envelope>`;
    expect(faultNames(body)).toEqual([`{${NS.env}}Receiver`, `{${NS.wsnt}}TopicExpressionDialectUnknownFault`, `{${NS.wsrfr}}ResourceUnknownFault`]);
  });
});
