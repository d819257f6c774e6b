/** Short, redacted excerpts of exchanges for reports (JUnit failure bodies, results.json). */
import type { CheckContext, Exchange, ExchangeExcerpt } from "./types.js";

/** The check's latest exchange, the evidence a failure usually points at. */
export function lastExchange(ctx: Pick<CheckContext, "exchanges">): Exchange | undefined {
  return ctx.exchanges[ctx.exchanges.length - 1];
}

const MAX_BODY = 1200;

export function truncate(text: string, max = MAX_BODY): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export function excerptExchange(ex: Exchange): ExchangeExcerpt {
  return {
    ...(ex.operation !== undefined ? { operation: ex.operation } : {}),
    request: { method: ex.request.method, url: ex.request.url, body: truncate(ex.request.body) },
    ...(ex.response !== undefined ? { response: { status: ex.response.status, body: truncate(ex.response.body) } } : {}),
    ...(ex.error !== undefined ? { error: ex.error.message } : {}),
  };
}

/** Plain-text rendering used by the JUnit and console reporters. */
export function renderExcerpt(ex: ExchangeExcerpt): string {
  const lines = [`> ${ex.request.method} ${ex.request.url}${ex.operation !== undefined ? ` (${ex.operation})` : ""}`, ex.request.body];
  if (ex.response !== undefined) lines.push(`< HTTP ${ex.response.status}`, ex.response.body);
  if (ex.error !== undefined) lines.push(`< error: ${ex.error}`);
  return lines.join("\n");
}
