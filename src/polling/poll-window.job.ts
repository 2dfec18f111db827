import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import { AppConfig } from '../config/app-config';
import type { AccountConfig } from '../config/account.schema';
import { CLOCK, type Clock } from '../config/clock';
import { JobEnqueuer } from '../jobs/job-enqueuer.service';
import { POLL_QUEUE, type PollJobData } from '../jobs/queues';
import { workerTiming } from '../jobs/worker-timing';
import { CoverageStore } from '../ledger/coverage.store';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { isCovered, splitWindow } from './coverage';
import { pollRetryBackoff } from './poll-retry.backoff';
import { PollWindowService, type PollOutcome } from './poll-window.service';
import { decideOnFailure } from './window-failure.policy';

/** Failed attempts at one width before a splittable window is halved. */
const SPLIT_AFTER_ATTEMPTS = 2;

type PollResult = PollOutcome | { skipped: string } | { split: true };

/**
 * The poll worker: guards (account enabled, window not already covered), then polls. A window that keeps
 * failing in a way a smaller window can cure becomes two child jobs, one after the other; its own coverage
 * is exactly theirs, so it advances only when both completed.
 */
@Processor(POLL_QUEUE, { settings: { backoffStrategy: pollRetryBackoff }, ...workerTiming() })
export class PollWindowJob extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly coverage: CoverageStore,
    private readonly service: PollWindowService,
    private readonly enqueuer: JobEnqueuer,
    private readonly alerts: AlertService,
    private readonly stats: RunStats,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.env.POLL_CONCURRENCY;
    // Without a listener BullMQ prints worker errors (e.g. after Redis was emptied) as raw stack traces.
    this.worker.on('error', (err) => this.logger.error({ queue: POLL_QUEUE, err }, 'poll worker error'));
  }

  async process(job: Job<PollJobData>, token?: string): Promise<PollResult> {
    const account = this.config.account(job.data.accountId);
    if (!account?.enabled) return { skipped: 'account missing or disabled' };
    if (job.data.pieces) return this.runPieces(job, token!);
    const window = { fromMs: job.data.fromMs, toMs: job.data.toMs };
    const coverage = await this.coverage.read(account.id);
    if (coverage && isCovered(coverage, window)) return { skipped: 'window already covered' };
    // Planned from a watermark that has since moved (a replica planned it just before the previous window
    // completed): the next tick plans the right one, so this would only poll the overlap twice.
    if (coverage && !job.parent && window.fromMs < coverage.watermarkMs - account.overlapMs) return { skipped: 'window planned from an old watermark' };
    try {
      const outcome = await this.service.poll(account, window);
      if (coverage?.failing) await this.coverage.setFailing(account.id, undefined);
      return outcome;
    } catch (error) {
      return this.onFailure(job, token!, account, error);
    }
  }

  private async onFailure(job: Job<PollJobData>, token: string, account: AccountConfig, error: unknown): Promise<PollResult> {
    const window = { fromMs: job.data.fromMs, toMs: job.data.toMs };
    const code = (error as { code?: string }).code ?? 'UNKNOWN';
    const range = { accountId: account.id, from: iso(window.fromMs), to: iso(window.toMs) };
    // Counted before it is logged, so whoever sees the log line also sees the metric.
    await this.stats.increment(`poll_errors:${code}`);
    this.logger.error({ ...range, attempt: job.attemptsMade + 1, code, err: error }, 'window poll failed');
    const action = decideOnFailure({
      code,
      permanent: (error as { permanent?: boolean }).permanent === true,
      attemptsMade: job.attemptsMade,
      window,
      minWindowMs: account.minWindowMs,
      splitAfterAttempts: SPLIT_AFTER_ATTEMPTS,
    });
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    switch (action.kind) {
      case 'stop-account': {
        const untilMs = this.clock() + this.config.env.FAILING_ACCOUNT_RECHECK_MS;
        await this.coverage.setFailing(account.id, { code, untilMs });
        this.alerts.raise('ACCOUNT_FAILING', `${(error as Error).message}. Polling of account "${account.id}" is paused until ${iso(untilMs)}, then re-checked.`, { ...range, code });
        throw new UnrecoverableError((error as Error).message);
      }
      case 'split':
        this.logger.warn({ ...range, code }, 'splitting the window in two');
        await job.updateData({ ...job.data, pieces: splitWindow(window) });
        return this.runPieces(job, token);
      case 'retry-pathological':
        if (!job.data.pathological || lastAttempt)
          this.alerts.raise('PATHOLOGICAL_WINDOW', `Window ${range.from} – ${range.to} of account "${account.id}" keeps failing (${code}) at the smallest window; retrying with long backoff`, { ...range, code, lastAttempt });
        // Read by the backoff strategy, which sees only the job.
        if (!job.data.pathological) await job.updateData({ ...job.data, pathological: true });
        throw error;
      case 'retry':
        if (lastAttempt) this.alerts.raise('WINDOW_FAILED', `Window ${range.from} – ${range.to} of account "${account.id}" failed ${job.attemptsMade + 1} times (${code}); the next tick plans it again`, { ...range, code });
        throw error;
    }
  }

  /** Runs the remaining pieces of a split window as child jobs, one at a time, in order. */
  private async runPieces(job: Job<PollJobData>, token: string): Promise<PollResult> {
    for (;;) {
      const [next, ...rest] = job.data.pieces ?? [];
      if (!next) return { split: true };
      // Child first, then the shortened list: a crash in between re-adds the same child id, a no-op.
      await this.enqueuer.enqueuePollPiece(job, next);
      await job.updateData({ ...job.data, pieces: rest });
      if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
