/** What the event checks share besides subscriptions: required operations and whether the device serves a service. */
import type { CheckContext } from "../../harness/types.js";
import { faultOf } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { errorCode } from "../../harness/verdict.js";
import { findService } from "../../../src/runtime/service-catalog.js";
import type { TopicService } from "./catalogue.js";

/** The tev operations every event check uses. */
export function requireEvents(ctx: CheckContext, ...more: string[]): void {
  requireOps(ctx, "tev:CreatePullPointSubscription", "tev:PullMessages", "tev:Unsubscribe", ...more);
}

/** The device does not serve an operation: an unknown-action fault or a bare HTTP 404. */
export function unserved(err: unknown): boolean {
  const f = faultOf(err);
  if (f !== undefined) return f.subcodes.some((s) => /UnknownAction|ActionNotSupported|NotSupported/.test(s));
  return errorCode(err) === "HTTP_STATUS" && (err as { status?: number }).status === 404;
}

/**
 * Whether the device serves `service`, as feature discovery found it (any of its namespaces
 * served); undefined when discovery could not tell.
 */
export function serves(ctx: CheckContext, service: TopicService): boolean | undefined {
  const entry = findService(service);
  if (entry === undefined) return undefined;
  const states = entry.prefixes.map((p) => ctx.features.state(`service:${p}`));
  if (states.includes("supported")) return true;
  return states.every((s) => s === "not-supported") ? false : undefined;
}
