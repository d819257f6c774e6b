/** What the event checks share besides subscriptions: required operations and whether the device serves a service. */
import type { CheckContext } from "../../harness/types.js";
import { faultOf } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { errorCode } from "../../harness/verdict.js";
import { SERVICE_PROBES, type TopicService } from "./catalogue.js";

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
 * Whether the device serves `service`, by its probe operation; undefined when the suite has no
 * probe for it (the generated clients lack the service).
 */
export async function serves(ctx: CheckContext, service: TopicService): Promise<boolean | undefined> {
  const probe = SERVICE_PROBES[service];
  if (probe === undefined || !ctx.hasOperation(probe[0])) return service === "Device" ? true : undefined;
  try {
    await ctx.call(probe[0], probe[1]);
    return true;
  } catch (err) {
    if (unserved(err)) return false;
    // Any other answer (a fault about the input, say) still shows the service is there.
    if (faultOf(err) !== undefined) return true;
    throw err;
  }
}
