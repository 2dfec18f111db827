import type { JobsOptions } from 'bullmq';
import type { Candidate } from '../candidates/candidate';
import type { PollWindow } from '../polling/poll-window';

export const POLL_QUEUE = 'poll';
export const CREATE_QUEUE = 'create';
export const ERROR_REPORT_QUEUE = 'error-report';

/** Poll one window of one account. The account is reloaded from config when the job runs. */
export interface PollJobData {
  accountId: string;
  fromMs: number;
  toMs: number;
  /** Set once the window was split: the pieces still to run, in order, as child jobs. */
  pieces?: PollWindow[];
  /** Set once the window failed at the smallest width; selects the long backoff. */
  pathological?: boolean;
}

/** Create one candidate at the platform; the job id is the idempotency key. */
export interface CreateJobData {
  idempotencyKey: string;
  candidate: Candidate;
}

const DAY_S = 86_400;

/** The one table of job options: retries, backoff and retention per queue. */
export const JOB_OPTIONS: Record<typeof POLL_QUEUE | typeof CREATE_QUEUE | typeof ERROR_REPORT_QUEUE, JobsOptions> = {
  [POLL_QUEUE]: {
    // Per level of splitting; the smallest window gets the same number of long-backoff attempts.
    attempts: 8,
    // 'custom' is pollRetryBackoff: Retry-After, exponential, or long at the smallest window.
    backoff: { type: 'custom' },
    removeOnComplete: { age: DAY_S, count: 5_000 },
    // Capped by count too: an ATS that fails for days must not fill Redis (which runs with noeviction).
    removeOnFail: { age: 14 * DAY_S, count: 5_000 },
  },
  [CREATE_QUEUE]: {
    // About 1 h of exponential retries (capped at 10 min each) before the job is dead-lettered.
    attempts: 16,
    // 'custom' is creationRetryBackoff: Retry-After when given, else exponential with jitter.
    backoff: { type: 'custom' },
    // Kept a while so a replayed change record finds its job and is not enqueued again; after that a
    // replay reaches the API with the same Idempotency-Key and is answered 409, which is success.
    removeOnComplete: { age: 7 * DAY_S, count: 100_000 },
    removeOnFail: { age: 30 * DAY_S },
  },
  [ERROR_REPORT_QUEUE]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 5_000 },
    // Kept so the same failure is not reported again (the job id is the record and reason).
    removeOnComplete: { age: 90 * DAY_S },
    removeOnFail: { age: 90 * DAY_S },
  },
};
