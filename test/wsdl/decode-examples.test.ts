// The generated descriptors agree with the schemas: every example payload that libxml2 accepts
// (examples.test.ts) decodes strictly with the descriptor of its root element, with no child or
// attribute left unknown. The notifications inside wsnt:Message decode as tt:Message too.
import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as generated from "../../generated/index.js";
import { decodeElement, decodeXml, type MessageDescriptor, type TypeDescriptor, type XmlElement } from "../../src/runtime/index.js";

const root = join(process.cwd(), "wsdl", "examples");

/** `{ns}local` → how to decode an element of that name: message descriptors first, then the types named after their element. */
function rootDescriptors(): Map<string, MessageDescriptor> {
  const messages = new Map<string, MessageDescriptor>();
  const anonymous = new Map<string, MessageDescriptor>();
  for (const [key, mod] of Object.entries(generated)) {
    if (!key.endsWith("Descriptors")) continue;
    for (const value of Object.values(mod as Record<string, unknown>)) {
      const v = value as Partial<MessageDescriptor & TypeDescriptor & { input: MessageDescriptor; output: MessageDescriptor }>;
      if (v.input !== undefined && v.output !== undefined) {
        for (const m of [v.input, v.output]) messages.set(`{${m.ns}}${m.name}`, m);
      } else if (Array.isArray(v.fields) && typeof v.name === "string" && typeof v.ns === "string") {
        const type = value as TypeDescriptor;
        anonymous.set(`{${type.ns}}${type.name}`, { name: type.name, ns: type.ns, type: () => type });
      }
    }
  }
  for (const [k, m] of anonymous) if (!messages.has(k)) messages.set(k, m);
  return messages;
}

const descriptors = rootDescriptors();
const examples = readdirSync(root).filter((f) => f.endsWith(".xml") && !f.includes(".invalid.")).sort();
const rootName = (text: string): string => {
  const tag = /<([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)[\s/>]/.exec(text.replace(/<\?xml[^>]*\?>|<!--[\s\S]*?-->/g, ""))!;
  const ns = new RegExp(`xmlns:${tag[1]}="([^"]+)"`).exec(text)![1];
  return `{${ns}}${tag[2]}`;
};

describe("wsdl/examples decode with the generated descriptors", () => {
  it.each(examples)("%s", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const desc = descriptors.get(rootName(text));
    expect(desc === undefined ? `no descriptor for ${rootName(text)}` : "found").toBe("found");
    const unknown: string[] = [];
    const value = decodeXml(text, desc!, { onUnknown: (path, name) => void unknown.push(`${path} ${name}`) });
    expect(unknown).toEqual([]);
    expect(value).toBeDefined();
  });

  it("the tt:Message of each PullMessages notification decodes as tt:Message", () => {
    const text = readFileSync(join(root, "tev-pull-messages.response.xml"), "utf8");
    const response = decodeXml(text, generated.tevDescriptors.PullMessagesResponseMessage) as unknown as generated.tevTypes.PullMessagesResponse;
    const payloads = (response.NotificationMessage ?? []).map((n) => n.Message.any?.[0] as XmlElement);
    expect(payloads.map((p) => `${p.ns} ${p.local}`)).toEqual(Array(2).fill("http://www.onvif.org/ver10/schema Message"));
    const first = decodeElement(payloads[0]!, generated.ttDescriptors.MessageType) as unknown as generated.ttTypes.Message;
    expect(first).toEqual({
      UtcTime: "2013-10-28T09:13:20Z",
      PropertyOperation: "Initialized",
      Source: { SimpleItem: [{ Name: "DoorToken", Value: "Axis-00408c184c74:1382951520.315392000" }] },
      Data: { SimpleItem: [{ Name: "State", Value: "Locked" }] },
    });
  });
});
