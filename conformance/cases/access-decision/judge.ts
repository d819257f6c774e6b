/**
 * Deciding twice and judging both: through the API (VerifyRequest, then RequestAccess — guide
 * "Send access request": the same decision, only RequestAccess acts) and at the reader (the back
 * door's PresentCard/PresentPin/PressRex at the site's IdPoint). On a grant the door is Accessed
 * and relocks after its AccessTime; on a denial it stays as it was.
 */
import type { CheckContext, Stimulus } from "../../harness/types.js";
import { excerptJson } from "../../harness/faults.js";
import { errorMessage } from "../../harness/verdict.js";
import { doorMode } from "../door-control/support.js";
import { lastExchange, xsBoolean } from "../generic/support.js";
import type { Site } from "./site.js";

/** What is presented: a card (with the credential's PIN, a wrong PIN or its duress PIN), or a REX press. */
export type Presentation = { readonly card: true; readonly pin?: "right" | "wrong" | "duress" } | { readonly rex: true };

export interface Expected {
  readonly granted: boolean;
  /** The documented Reason ("Granted" for a grant); another reason with the right verdict is a warning. */
  readonly reason: string;
  /** A duress grant, announced with tns1:AccessControl/Duress. */
  readonly duress?: boolean;
}

/** A short description for messages: "card", "card + wrong PIN", "REX". */
export function describePresentation(p: Presentation): string {
  if ("rex" in p) return "REX";
  return p.pin === undefined ? "card" : `card + ${p.pin === "right" ? "PIN" : `${p.pin} PIN`}`;
}

function pinOf(site: Site, p: Presentation): string | undefined {
  if ("rex" in p || p.pin === undefined) return undefined;
  return p.pin === "right" ? site.pin : p.pin === "wrong" ? site.wrongPin : site.duressPin;
}

function idData(site: Site, p: Presentation): { Name: string; Value: string }[] {
  if ("rex" in p) return [{ Name: "REX", Value: "Active" }];
  const pin = pinOf(site, p);
  return [{ Name: "Card", Value: site.card }, ...(pin !== undefined ? [{ Name: "PIN", Value: pin }] : [])];
}

/** RequestAccess/VerifyRequest through the site's own access controller, from its IdPoint to its door. */
export async function request(ctx: CheckContext, op: "pacsaxis:VerifyRequest" | "pacsaxis:RequestAccess", site: Site, p: Presentation): Promise<{ granted: boolean | undefined; reason: string }> {
  const r = await ctx.call(op, { Token: site.controller, IdData: idData(site, p), SourceToken: site.idPoint, TargetToken: site.door, Action: "Access" });
  return { granted: xsBoolean(r["AccessGranted"]), reason: String(r["Reason"] ?? "") };
}

function verdict(ctx: CheckContext, what: string, got: { granted: boolean | undefined; reason: string }, expected: Expected, evidence = lastExchange(ctx)): void {
  if (got.granted !== expected.granted) {
    ctx.fail(`${what}: AccessGranted=${String(got.granted)} (Reason "${got.reason}"); expected ${expected.granted ? "a grant" : `a denial (Reason "${expected.reason}")`}`, evidence);
  }
  if (got.reason !== expected.reason) ctx.warn(`${what}: Reason "${got.reason}"; the documented reason is "${expected.reason}"`, evidence);
}

/** After a grant the door is Accessed, and back in its resting mode once AccessTime has passed. */
async function expectAccessed(ctx: CheckContext, site: Site, after: string): Promise<void> {
  const mode = await doorMode(ctx, site.door);
  if (mode !== "Accessed") ctx.fail(`after ${after}, the access point's door "${site.door}" is ${mode}; a grant accesses the door (expected Accessed)`, lastExchange(ctx));
  await ctx.physical.elapse(site.accessTimeMs + 500);
  const later = await doorMode(ctx, site.door);
  if (later !== site.restingMode) ctx.fail(`${site.accessTimeMs + 500} ms after ${after} (AccessTime ${site.accessTimeMs} ms, the door never opened) the door is ${later}; expected ${site.restingMode} again`, lastExchange(ctx));
}

async function expectUntouched(ctx: CheckContext, site: Site, after: string): Promise<void> {
  const mode = await doorMode(ctx, site.door);
  if (mode !== site.restingMode) ctx.fail(`after ${after}, the door "${site.door}" is ${mode}; expected it untouched (${site.restingMode})`, lastExchange(ctx));
}

/** The API path: VerifyRequest decides without acting, RequestAccess decides the same and acts. */
export async function judgeApi(ctx: CheckContext, site: Site, p: Presentation, expected: Expected): Promise<void> {
  const what = describePresentation(p);
  const verified = await request(ctx, "pacsaxis:VerifyRequest", site, p);
  verdict(ctx, `VerifyRequest with ${what}`, verified, expected);
  await expectUntouched(ctx, site, `VerifyRequest with ${what} (VerifyRequest decides "without interacting with any doors")`);
  const requested = await request(ctx, "pacsaxis:RequestAccess", site, p);
  verdict(ctx, `RequestAccess with ${what}`, requested, expected);
  if (expected.granted) await expectAccessed(ctx, site, `a granted RequestAccess with ${what}`);
  else await expectUntouched(ctx, site, `a denied RequestAccess with ${what}`);
}

function stimuli(site: Site, p: Presentation): Stimulus[] {
  if ("rex" in p) return [{ Stimulus: "PressRex", IdPoint: site.idPoint }];
  const pin = pinOf(site, p);
  // The site's IdPoint ends a PIN with "#" (EndOfPIN of the IdPoint sample).
  return [{ Stimulus: "PresentCard", IdPoint: site.idPoint, Card: site.card }, ...(pin !== undefined ? [{ Stimulus: "PresentPin", IdPoint: site.idPoint, Pin: `${pin}#` }] : [])];
}

/**
 * Applies stimuli through the back door; undefined when the device's world has no such stimulus
 * (the service that would register it is missing). Only the back door can act at an IdPoint the
 * run created: an operator has no reader for it.
 */
export async function stimulate(ctx: CheckContext, list: readonly Stimulus[]): Promise<Record<string, unknown>[] | undefined> {
  if (ctx.physical.via !== "backdoor") return undefined;
  const results: Record<string, unknown>[] = [];
  for (const s of list) {
    try {
      results.push(await ctx.physical.stimulate(s));
    } catch (err) {
      if (/unknown stimulus/.test(errorMessage(err))) return undefined;
      throw err;
    }
  }
  return results;
}

/**
 * The physical path: the person at the reader. The back door's result carries the decision
 * (granted, reason) and the event topics published; the door is read with GetDoorState.
 */
export async function judgePhysical(ctx: CheckContext, site: Site, p: Presentation, expected: Expected): Promise<void> {
  const what = `${describePresentation(p)} at the reader`;
  const list = stimuli(site, p);
  const results = await stimulate(ctx, list.slice(0, -1));
  if (results === undefined) return;
  if (list.length > 1) await expectUntouched(ctx, site, `the card alone at a Card + PIN reader (the PIN still missing): ${excerptJson(results[0])}`);
  const last = (await stimulate(ctx, list.slice(-1)))?.[0];
  if (last === undefined) return;
  if (typeof last["granted"] === "boolean") verdict(ctx, what, { granted: last["granted"], reason: String(last["reason"] ?? "") }, expected, undefined);
  const events = Array.isArray(last["events"]) ? (last["events"] as unknown[]).map(String) : undefined;
  if (expected.duress === true && events !== undefined && !events.includes("tns1:AccessControl/Duress")) {
    ctx.fail(`${what}: granted, but no tns1:AccessControl/Duress event was published (events: ${events.join(", ") || "none"})`);
  }
  if (expected.granted) await expectAccessed(ctx, site, `a granted ${what}`);
  else await expectUntouched(ctx, site, `a denied ${what}`);
}
