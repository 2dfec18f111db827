/** Backoff of the create queue: the platform's Retry-After when it sent one, else exponential with jitter, capped. */
export function creationRetryBackoff(attemptsMade: number, _type?: string, error?: Error, _job?: unknown, random: () => number = Math.random): number {
  const retryAfterMs = (error as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 3_600_000);
  const exponential = Math.min(600_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential * (0.75 + random() * 0.5));
}
