import type { MinimalJob } from 'bullmq';
import type { PollJobData } from '../jobs/queues';
import { pollRetryDelayMs } from './window-failure.policy';

/** BullMQ backoff strategy of the poll queue: honours Retry-After and backs off long at the smallest window. */
export function pollRetryBackoff(attemptsMade: number, _type?: string, error?: Error, job?: MinimalJob): number {
  const retryAfterMs = (error as { details?: { retryAfterMs?: number } } | undefined)?.details?.retryAfterMs;
  const pathological = (job?.data as PollJobData | undefined)?.pathological === true;
  return pollRetryDelayMs(attemptsMade, pathological, retryAfterMs);
}
