import type { ConnectorErrorCode } from '../connectors/connector.errors';
import type { PollWindow } from './poll-window';

/** What to do about a window that failed. */
export type FailureAction =
  | { kind: 'stop-account' }
  | { kind: 'split' }
  | { kind: 'retry' }
  | { kind: 'retry-pathological' };

/** Failures a smaller window can cure: the ATS chokes on the size of the answer, not on the request. */
const CURED_BY_SMALLER_WINDOW: ReadonlySet<string> = new Set<ConnectorErrorCode>([
  'CONNECTOR.TIMEOUT',
  'CONNECTOR.SERVER_ERROR',
  'CONNECTOR.NETWORK',
  'CONNECTOR.RESPONSE_TOO_LARGE',
  'CONNECTOR.RECORD_TOO_LARGE',
  'CONNECTOR.MALFORMED_JSON',
]);

export interface FailureContext {
  code: string;
  permanent: boolean;
  /** Attempts already made before this one failed. */
  attemptsMade: number;
  window: PollWindow;
  minWindowMs: number;
  /** Failed attempts at one width before it is split. */
  splitAfterAttempts: number;
}

/** Classifies once: every failure maps to one action. Pure. */
export function decideOnFailure(c: FailureContext): FailureAction {
  if (c.permanent) return { kind: 'stop-account' };
  if (!CURED_BY_SMALLER_WINDOW.has(c.code)) return { kind: 'retry' };
  // A first failure is usually transient: retry as is. Only a window that keeps failing is split, or, when it
  // is already as small as allowed, retried with long backoff and alerted on.
  if (c.attemptsMade + 1 < c.splitAfterAttempts) return { kind: 'retry' };
  const canSplit = (c.window.toMs - c.window.fromMs) / 2 >= c.minWindowMs;
  return canSplit ? { kind: 'split' } : { kind: 'retry-pathological' };
}

/** Exponential backoff for ordinary retries, and a long one for a window that cannot be split further. */
export function pollRetryDelayMs(attemptsMade: number, pathological: boolean, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return pathological ? Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attemptsMade - 1)) : Math.min(300_000, 2_000 * 2 ** Math.max(0, attemptsMade - 1));
}
