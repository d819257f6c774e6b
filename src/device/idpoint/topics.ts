/**
 * The IdPoint service's events (event-logger-service.md "Notification topics"; idpoint-service.md
 * "Remote activities", "IdDataConfiguration", "IdPoint.Status.*"; peripherals.md "Enable
 * whitelist doors"). Configuration Changed/Removed of IdPoints and their configurations are
 * registered with the entity types.
 *
 * The Request topics are spelled as idpoint-service.md writes them (tns1:IdPoint/tnsaxis:Request/
 * tnsaxis:IdData); the event logger's table writes the last segment without a prefix.
 */
import type { DeviceState } from "../state.js";
import type { ItemDecl, TopicDecl } from "../topics.js";
import { IDPOINT_STATUS_TOPICS } from "./device-status.js";
import { TOPIC, peekRuntime } from "./runtime.js";
import { hardwareOf } from "./settings.js";
import { whitelistsOngoing } from "./whitelist.js";

const SOURCE: readonly ItemDecl[] = [{ name: "IdPointToken", type: "pt:ReferenceToken" }];
/** IndicateRemoteActivities' Description, "added to the events that is sent" (remote activities only). */
const DESCRIPTION: ItemDecl = { name: "Description", type: "xs:string" };

export const IDPOINT_TOPICS: readonly TopicDecl[] = [
  {
    topic: TOPIC.activity,
    doc: "Someone started using an IdPoint (card presented, code entered, REX pressed); carries the kind of activity, never the id data.",
    property: false,
    source: SOURCE,
    data: [{ name: "Reason", type: "xs:string" }, DESCRIPTION],
  },
  {
    topic: TOPIC.requestIdData,
    // Card data is lower-case hex (idpoint-service.md). The fields of a matching IdDataConfiguration
    // (FacilityCode, CardNr, …) and other IdData (PresentIdData, remote Params) come as more items named after them.
    doc: "A card (or other id data) was presented at an IdPoint: the raw card data and its bit length, plus the fields its card format decodes.",
    property: false,
    source: SOURCE,
    data: [{ name: "Card", type: "xs:string" }, { name: "BitCount", type: "xs:int" }, DESCRIPTION],
  },
  {
    topic: TOPIC.requestPin,
    doc: "A PIN was entered on an IdPoint's keypad without a card; the PIN is sent.",
    property: false,
    source: SOURCE,
    data: [{ name: "PIN", type: "xs:string" }, DESCRIPTION],
  },
  {
    topic: TOPIC.requestRex,
    doc: "An IdPoint's request-to-exit button was pressed (REX is Active).",
    property: false,
    source: SOURCE,
    data: [{ name: "REX", type: "xs:string" }, DESCRIPTION],
  },
  {
    topic: TOPIC.timeout,
    doc: "An IdPoint gave up waiting: nothing followed a card within its Timeout, or a PIN outside MinPINSize..MaxPINSize was not sent.",
    property: false,
    source: SOURCE,
    data: [],
  },
  {
    topic: TOPIC.tampering,
    doc: "Tampering with an IdPoint's reader was detected (Active true) or ended; only readers with IdPoint.Tampering.Type other than None.",
    property: true,
    source: SOURCE,
    data: [{ name: "Active", type: "xs:boolean" }],
    current: (state: DeviceState) => {
      const configs = state.store("IdPointConfiguration");
      return state
        .store("IdPoint")
        .tokens()
        .filter((t) => hardwareOf(configs.read(t, "full")).tampering)
        .map((t) => ({ source: { IdPointToken: t }, data: { Active: peekRuntime(state, t)?.tampered ?? false } }));
    },
  },
  ...IDPOINT_STATUS_TOPICS,
  {
    topic: TOPIC.preAuthorization,
    doc: "A Smart Intego lock let in a credential from its whitelist by itself; the item is named after the whitelist's IdData (IdPoint.Whitelist.IdDataName, Card by default).",
    property: false,
    source: SOURCE,
    data: [{ name: "Card", type: "xs:string" }],
  },
  {
    topic: TOPIC.whitelistError,
    doc: "Writing one IdData value to (or removing it from) a Smart Intego lock's whitelist failed; the item is named after the whitelist's IdData (Card by default).",
    property: false,
    source: SOURCE,
    data: [{ name: "Card", type: "xs:string" }],
  },
  {
    topic: TOPIC.whitelistOngoing,
    doc: "A Smart Intego lock's whitelist started (Ongoing true) or finished (false) taking on the controller's changes.",
    property: true,
    source: SOURCE,
    data: [{ name: "Ongoing", type: "xs:boolean" }],
    current: (state: DeviceState) => whitelistsOngoing(state).map(([t, ongoing]) => ({ source: { IdPointToken: t }, data: { Ongoing: ongoing } })),
  },
];
