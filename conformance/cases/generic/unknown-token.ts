/** "An operation given a token that names nothing answers the documented fault", for any service. */
import type { CheckDefinition } from "../../harness/types.js";
import { docRef, kebab, opName, opPrefix } from "../../harness/entity.js";
import { NOT_FOUND, expectFault, faultChain, type ExpectedFault } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { BOTH } from "./support.js";

export interface UnknownTokenOptions {
  readonly service: string;
  /** The service's page, for an operation whose prefix has none of its own. */
  readonly docPage: string;
  /** What the token should name ("door"), for the title and rule. */
  readonly noun?: string;
  /** The request around the token; `{ Token: token }` when not given. */
  readonly input?: (token: string) => unknown;
  /** The documented fault; NotFound when not given. */
  readonly expected?: ExpectedFault;
  /** The ONVIF test case that covers it, if any. */
  readonly onvif?: string;
  /** The device quirk that breaks the check; "not-found-succeeds" when not given. */
  readonly quirk?: string;
}

/** Another fault than the documented one is a warning (expectFault's rule). */
export function unknownTokenCheck(op: string, o: UnknownTokenOptions): CheckDefinition {
  const expected = o.expected ?? NOT_FOUND;
  const input = o.input ?? ((token: string) => ({ Token: token }));
  const noun = o.noun !== undefined ? `${o.noun} ` : "";
  return {
    id: `${opPrefix(op)}.${kebab(opName(op))}.unknown-token`,
    title: `${opName(op)} with an unknown ${noun}token gives ${expected.subcodes[expected.subcodes.length - 1]!.replace("ter:", "")}`,
    service: o.service,
    rule: `${op} for a ${noun}token that does not exist returns ${faultChain(expected)}.`,
    specRefs: [docRef({ docPage: o.docPage }, op), ...(o.onvif !== undefined ? [o.onvif] : [])],
    quirk: o.quirk ?? "not-found-succeeds",
    notes: "Another fault than the documented one is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, op);
      const unknown = ctx.newToken("unknown");
      await expectFault(ctx, op, input(unknown), expected, `${op} with unknown token "${unknown}"`);
    },
  };
}
