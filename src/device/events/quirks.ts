/** Quirks of the event service's own rules (the generic ones are in ../quirks.ts). */
import type { QuirkInfo } from "../quirks.js";

export const EVENT_QUIRKS: readonly QuirkInfo[] = [
  {
    name: "event-topic-missing",
    rule: "GetEventProperties advertises every topic the device emits, tns1:Door/State/DoorAlarm included",
    behaviour: "tns1:Door/State/DoorAlarm is missing from the TopicSet and is never delivered to a subscription",
  },
  {
    name: "event-topic-undescribed",
    rule: "every topic of the TopicSet carries a tt:MessageDescription",
    behaviour: "tns1:AccessControl/Duress is advertised without a tt:MessageDescription",
  },
  {
    name: "event-wrong-source-name",
    rule: "AccessControl decision events name their Source item AccessPointToken",
    behaviour: 'tns1:AccessControl/… notifications name the Source item "AccessPoint"',
  },
  {
    name: "event-wrong-value-type",
    rule: "tns1:AccessPoint/State/Enabled sends State as an xs:boolean (true/false)",
    behaviour: 'State is sent as "1"/"0"',
  },
  {
    name: "event-dangling-token",
    rule: "tns1:Configuration/Credential/Changed carries the token of the credential that changed",
    behaviour: "its CredentialToken names no credential (the real token with a prefix)",
  },
  {
    name: "event-local-time",
    rule: "tt:Message UtcTime is UTC with the Z designator",
    behaviour: "UtcTime is the device's local time with no zone designator",
  },
  {
    name: "event-no-initialized",
    rule: "a new subscription first receives an Initialized message for every property instance it selects",
    behaviour: "no Initialized messages are queued on CreatePullPointSubscription",
  },
  {
    name: "event-no-property-operation",
    rule: 'a change of a property topic is sent with PropertyOperation="Changed"',
    behaviour: "Changed messages of property topics carry no PropertyOperation",
  },
  {
    name: "event-sync-point-ignored",
    rule: "SetSynchronizationPoint queues an Initialized message for every property instance the subscription selects",
    behaviour: "SetSynchronizationPoint answers but queues nothing",
  },
  {
    name: "event-pull-ignores-message-limit",
    rule: "PullMessages returns at most MessageLimit messages",
    behaviour: "PullMessages returns every queued message",
  },
  {
    name: "event-pull-no-long-poll",
    rule: "PullMessages with nothing queued waits up to Timeout for a message before answering empty",
    behaviour: "PullMessages answers at once with no messages",
  },
  {
    name: "event-topic-filter-ignored",
    rule: "a subscription with a TopicExpression receives only matching topics",
    behaviour: "the TopicExpression is accepted but every topic is delivered",
  },
  {
    name: "event-content-filter-ignored",
    rule: "a subscription with an ItemFilter MessageContent receives only messages the filter selects",
    behaviour: "the MessageContent filter is accepted but not applied",
  },
  {
    name: "event-unknown-dialect-accepted",
    rule: "a TopicExpression in an unknown Dialect gives wsnt:TopicExpressionDialectUnknownFault",
    behaviour: "the subscription is created and delivers every topic",
  },
  {
    name: "event-unsubscribe-twice-ok",
    rule: "Unsubscribe of a subscription that no longer exists gives wsrf-r:ResourceUnknownFault",
    behaviour: "a second Unsubscribe of the same subscription answers OK",
  },
  {
    name: "event-subscription-never-expires",
    rule: "a subscription ends at its TerminationTime (later requests give wsrf-r:ResourceUnknownFault)",
    behaviour: "it keeps answering PullMessages, Renew and Unsubscribe after its TerminationTime",
  },
  {
    name: "event-renew-ignored",
    rule: "Renew moves the TerminationTime to the requested time",
    behaviour: "Renew answers with the old TerminationTime and does not extend the subscription",
  },
  {
    name: "event-max-pull-points-unenforced",
    rule: "CreatePullPointSubscription faults once MaxPullPoints subscriptions exist",
    behaviour: "subscriptions are created beyond MaxPullPoints",
  },
  {
    name: "event-pull-not-keep-alive",
    rule: "PullMessages keeps its subscription alive: afterwards TerminationTime is at least the end of the PullMessages Timeout",
    behaviour: "PullMessages leaves TerminationTime where it was",
  },
  {
    name: "event-invalid-content-filter-accepted",
    rule: "an invalid ItemFilter MessageContent expression gives wsnt:InvalidMessageContentExpressionFault (or InvalidFilterFault)",
    behaviour: "the subscription is created and the invalid content filter is dropped",
  },
  {
    name: "event-initial-termination-ignored",
    rule: "CreatePullPointSubscription sets the TerminationTime its InitialTerminationTime asks for",
    behaviour: "every subscription gets the default lifetime (60 s), whatever InitialTerminationTime says",
  },
  {
    name: "event-dialects-unadvertised",
    rule: "GetEventProperties lists the topic expression dialects (Concrete, ConcreteSet) and the ItemFilter content dialect the device supports",
    behaviour: "GetEventProperties lists only the Concrete topic dialect and, as content dialect, an unknown one (still filtering as before)",
  },
  {
    name: "event-mustunderstand-rejected",
    rule: 'the WS-Addressing headers a client marks mustUnderstand="1" (wsa:Action, wsa:To) are understood',
    behaviour: "a request with wsa:Action or wsa:To marked mustUnderstand gets an env:MustUnderstand fault",
  },
];
