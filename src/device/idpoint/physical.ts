/**
 * The IdPoints in the simulated physical world: a card, a PIN, a REX press or other id data
 * presented at a reader, and tampering with it; plus the "IdPoints" view of the back door.
 */
import type { Item } from "../entity.js";
import type { DeviceState } from "../state.js";
import { StimulusError, boolArg, stringArg, type StimulusKind } from "../world.js";
import { bitCountOf, decodeCard } from "./card-format.js";
import { pinOf, present } from "./presentation.js";
import { TOPIC, feedbackOf, peekRuntime, runtimeOf } from "./runtime.js";
import { hardwareOf, settingValue, type Hardware } from "./settings.js";

/** The IdPoint a stimulus names, with its hardware; the service acts only on complete IdPoints. */
export function idPointFor(state: DeviceState, args: Readonly<Record<string, unknown>>, needs: keyof Hardware | undefined, what: string): { token: string; config: Readonly<Item>; hw: Hardware } {
  const token = stringArg(args, "IdPoint");
  if (!state.store("IdPoint").has(token)) throw new StimulusError(`no IdPoint "${token}"; list them with axtid:GetIdPointInfoList or GET /backdoor (World.IdPoints)`);
  const config = state.store("IdPointConfiguration").read(token, "full");
  if (config === undefined) throw new StimulusError(`IdPoint "${token}" has no IdPointConfiguration, so no hardware is bound to it; set one with the same token first`);
  const hw = hardwareOf(config);
  if (needs !== undefined && !hw[needs]) {
    const reader = `IdPoint.Reader.Type is ${settingValue(config, "IdPoint.Reader.Type")}`;
    const setting =
      needs === "rex"
        ? `IdPoint.REX.Type is ${settingValue(config, "IdPoint.REX.Type")}`
        : needs === "whitelist"
          ? `${reader}; only a Smart Intego lock (IdPoint.Reader.Type TCPIP, IdPoint.TCPIP.Protocol SmartIntego) keeps a whitelist`
          : reader;
    throw new StimulusError(`IdPoint "${token}" cannot take ${what}: ${setting} (see its IdPointConfiguration)`);
  }
  return { token, config, hw };
}

function formatsOf(state: DeviceState, config: Readonly<Item>): Item[] {
  const store = state.store("IdDataConfiguration");
  return (config["IdDataConfiguration"] as string[]).map((t) => store.read(t, "full")).filter((f): f is Item => f !== undefined);
}

function idDataArg(args: Readonly<Record<string, unknown>>): { Name: string; Value: string }[] {
  const v = args["IdData"];
  const ok = Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === "object" && d !== null && typeof (d as Item)["Name"] === "string" && typeof (d as Item)["Value"] === "string");
  if (!ok) throw new StimulusError('"IdData" must be a non-empty list such as [{"Name": "LPN", "Value": "ABC123"}]');
  return (v as Item[]).map((d) => ({ Name: d["Name"] as string, Value: d["Value"] as string }));
}

const STIMULI: readonly StimulusKind[] = [
  {
    name: "PresentCard",
    doc: "A card is presented at a reader: its data is decoded with the IdPoint's card formats, recorded as the last credential and sent for an access decision.",
    args: { IdPoint: "token of an IdPoint with a reader", Card: "the card data as hex, e.g. 02004fcb (a 26-bit H10301 card)", BitCount: "bits the reader received; default: those of the first of the IdPoint's card formats the data fits (optional)" },
    apply(args, state) {
      const { token, config } = idPointFor(state, args, "card", "a card");
      const card = stringArg(args, "Card").toLowerCase();
      if (!/^[0-9a-f]+$/.test(card)) throw new StimulusError(`"Card" must be the card data in hex, e.g. 02004fcb; got "${card}"`);
      const formats = formatsOf(state, config);
      const given = args["BitCount"];
      if (given !== undefined && (typeof given !== "number" || !Number.isInteger(given) || given < 1 || given > card.length * 4)) {
        throw new StimulusError(`"BitCount" must be a whole number of bits from 1 to ${card.length * 4} for a ${card.length}-digit card`);
      }
      const bitCount = (given as number | undefined) ?? bitCountOf(card, formats);
      const recorded = decodeCard(card, bitCount, formats, !state.quirks.has("idpoint-last-credential-not-decoded"));
      // idpoint-service.md: card data is sent as IdData "Card", a lower-case hex string.
      return { ...present(state, token, { kind: "Card", recorded, decide: [{ Name: "Card", Value: card }] }) };
    },
  },
  {
    name: "PresentPin",
    doc: "A PIN is entered on a reader's keypad (EndOfPIN ends it, Min/MaxPINSize apply); a PIN within the IdPoint's Timeout after a card completes that card.",
    args: { IdPoint: "token of an IdPoint with a keypad", Pin: "the keys pressed, e.g. 1234 or 1234#" },
    apply(args, state) {
      const { token } = idPointFor(state, args, "pin", "a PIN");
      const typed = stringArg(args, "Pin");
      const r = pinOf(state, token, typed);
      if ("rejected" in r) return { granted: false, reason: "NotSent", detail: r.rejected };
      return { ...present(state, token, { kind: "PIN", recorded: [{ Name: "PIN", Value: r.pin }], decide: [{ Name: "PIN", Value: r.pin }] }) };
    },
  },
  {
    name: "PressRex",
    doc: "The REX (request to exit) button of an IdPoint is pressed.",
    args: { IdPoint: "token of an IdPoint with a REX input" },
    apply(args, state) {
      const { token } = idPointFor(state, args, "rex", "a REX press");
      const rex = [{ Name: "REX", Value: "Active" }];
      return { ...present(state, token, { kind: "REX", recorded: rex, decide: rex }) };
    },
  },
  {
    name: "PresentIdData",
    doc: "Other identification (biometric, license plate, …) is presented at an IdPoint as IdData name/value pairs.",
    args: { IdPoint: "token of an IdPoint", IdData: 'the id data, e.g. [{"Name": "LPN", "Value": "ABC123"}]' },
    apply(args, state) {
      const { token } = idPointFor(state, args, undefined, "id data");
      const idData = idDataArg(args);
      return { ...present(state, token, { kind: "IdData", recorded: idData, decide: idData }) };
    },
  },
  {
    name: "TamperIdPoint",
    doc: "A reader is tampered with (Active true) or restored (Active false); detected only when IdPoint.Tampering.Type is not None.",
    args: { IdPoint: "token of an IdPoint", Active: "true (default) or false (optional)" },
    apply(args, state) {
      const { token, hw } = idPointFor(state, args, undefined, "tampering");
      const active = boolArg(args, "Active", true);
      if (!hw.tampering) return { Detected: false, Active: active };
      const r = runtimeOf(state, token);
      if (r.tampered !== active) {
        r.tampered = active;
        state.publish({ topic: TOPIC.tampering, source: { IdPointToken: token }, data: { Active: active } });
      }
      return { Detected: true, Active: active };
    },
  },
];

/** The back door's view: each IdPoint's kind of hardware, last presentation, feedback and tamper state. */
function view(state: DeviceState): unknown {
  const idPoints = state.store("IdPoint");
  const configs = state.store("IdPointConfiguration");
  return idPoints.tokens().map((token) => {
    const config = configs.read(token, "full");
    const hw = hardwareOf(config);
    const kind = config === undefined ? "Unconfigured" : [hw.card ? "Reader" : "", hw.rex ? "REX" : ""].filter((k) => k !== "").join("+") || "None";
    const r = peekRuntime(state, token);
    const last = r?.lastPresentation;
    return {
      token,
      Name: idPoints.read(token, "full")!["Name"],
      Type: kind,
      ReaderType: config === undefined ? null : settingValue(config, "IdPoint.Reader.Type"),
      LastPresentation: last === undefined ? null : { Kind: last.kind, At: last.at, Remote: last.remote, Granted: last.granted, Reason: last.reason },
      Feedback: feedbackOf(r),
      Tampered: r?.tampered ?? false,
    };
  });
}

export function attachPhysical(state: DeviceState): void {
  for (const kind of STIMULI) state.world.register(kind);
  state.world.registerView("IdPoints", view);
}
