/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^attempt)]. Full jitter spreads
 * retries of many workers hitting the same throttled partition instead of having them retry in lockstep.
 */
export function fullJitterBackoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
