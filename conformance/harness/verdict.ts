/**
 * How a check ends other than "passed": it throws one of these (via ctx.fail / ctx.skip).
 * Anything else thrown is mapped by the runner (see `classifyError`).
 */
import type { Exchange } from "./types.js";

/** The documented rule was broken. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  readonly code = "CHECK_FAILED";
  constructor(message: string, readonly evidence?: Exchange) {
    super(message);
  }
}

/** The check does not apply to this device (capability off, operation absent). */
export class CheckSkippedError extends Error {
  override readonly name = "CheckSkippedError";
  readonly code = "CHECK_SKIPPED";
  constructor(reason: string) {
    super(reason);
  }
}

/** The check's own deadline passed. */
export class CheckDeadlineError extends Error {
  override readonly name = "CheckDeadlineError";
  readonly code = "CHECK_DEADLINE";
  constructor(readonly checkId: string, readonly ms: number) {
    super(`${checkId}: no verdict within ${ms} ms; the device may hang (raise --timeout if it is just slow)`);
  }
}

/** The run was interrupted (SIGINT) while the check ran. */
export class RunInterruptedError extends Error {
  override readonly name = "RunInterruptedError";
  readonly code = "RUN_INTERRUPTED";
  constructor() {
    super("run interrupted before the check finished");
  }
}

/** Preflight failed: the device cannot be reached or rejects the credentials. One line, exit 2. */
export class PreflightError extends Error {
  override readonly name = "PreflightError";
  readonly code = "PREFLIGHT_FAILED";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A usage error of the CLI or library options (names the flag/option and the fix). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "USAGE";
  constructor(message: string) {
    super(message);
  }
}

/** Reads an error's stable `code`, if any (errors are checked by code, not instanceof). */
export function errorCode(err: unknown): string | undefined {
  if (err !== null && typeof err === "object" && "code" in err) {
    const c = (err as { code: unknown }).code;
    if (typeof c === "string") return c;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
