// When to try a failed call again and how long to wait first. Servers say how long in Retry-After
// (seconds or an HTTP date) or OpenAI's retry-after-ms; we honour that up to a cap, so a server asking
// for an hour cannot hang the editor, and back off exponentially (with jitter) when it says nothing.

export interface RetryPolicy {
  /** Retries after the first attempt (3 means up to 4 attempts). */
  maxRetries: number;
  /** The longest single wait, whatever the server asks for. */
  maxWaitMs: number;
  /** First backoff when the server gives no Retry-After; doubles each retry. */
  baseBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxWaitMs: 30_000, baseBackoffMs: 1_000 };

/** Statuses worth another try: rate limits and the server errors that are usually transient. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

interface HeaderSource {
  get(name: string): string | null;
}

/** The wait a response asks for, in ms, or undefined when it does not say (or says nonsense). */
export function retryAfterMs(headers: HeaderSource | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && /^\s*\d+(\.\d+)?\s*$/.test(millis)) return Math.max(0, Number(millis));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** How long to wait before attempt `nextAttempt` (2 for the first retry). */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number, askedMs: number | undefined, random: () => number = Math.random): number {
  if (askedMs !== undefined) return Math.min(askedMs, policy.maxWaitMs);
  const exponential = policy.baseBackoffMs * 2 ** Math.max(0, nextAttempt - 2);
  // Up to 25% jitter keeps many clients that failed together from retrying together.
  return Math.min(Math.round(exponential * (1 + 0.25 * random())), policy.maxWaitMs);
}
