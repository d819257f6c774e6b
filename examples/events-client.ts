/**
 * Library usage: ONVIF pull-point events with the generated clients. Subscribes to the door
 * states, waits for messages and prints them. Run: `npx tsx examples/events-client.ts
 * http://127.0.0.1:PORT` against `npx pacs-conformance device --backdoor`, then open a door
 * through the back door (README, "The back door") while it waits.
 */
import { EventClient, PullPointSubscriptionClient, SubscriptionManagerClient } from "pacs-conformance/clients/tev";
import { MessageType } from "pacs-conformance/clients/tt/descriptors";
import { createSoapBinding, decodeElement, type XmlElement } from "pacs-conformance";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8080";
const soap = createSoapBinding({ baseUrl, user: "root", password: "pass", timeoutMs: 5000 });
// Topic expressions are QName paths: their prefixes must be declared on the Envelope.
const namespaces = { tns1: "http://www.onvif.org/ver10/topics", tnsaxis: "http://www.axis.com/2009/event/topics" };

try {
  const created = await new EventClient(soap).createPullPointSubscription(
    {
      Filter: { TopicExpression: [{ Dialect: "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet", value: "tns1:Door/State//." }] },
      InitialTerminationTime: "PT60S",
    },
    { namespaces },
  );
  // Calls to the subscription go to its address, echoing its reference parameters.
  const at = { to: created.SubscriptionReference.Address, referenceParameters: created.SubscriptionReference.ReferenceParameters?.any ?? [] };
  try {
    for (let round = 0; round < 3; round++) {
      const { NotificationMessage } = await new PullPointSubscriptionClient(soap).pullMessages({ Timeout: "PT10S", MessageLimit: 10 }, { wsAddressing: at, timeoutMs: 15_000 });
      for (const n of NotificationMessage ?? []) {
        const message = decodeElement(n.Message.any?.[0] as XmlElement, MessageType) as { UtcTime: string; PropertyOperation?: string; Data?: { SimpleItem?: { Name: string; Value: string }[] } };
        const data = (message.Data?.SimpleItem ?? []).map((i) => `${i.Name}=${i.Value}`).join(" ");
        console.log(message.UtcTime, n.Topic?.value, message.PropertyOperation ?? "", data);
      }
    }
  } finally {
    await new SubscriptionManagerClient(soap).unsubscribe({}, { wsAddressing: at });
  }
} finally {
  await soap.close();
}
