import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import { AppConfig } from '../config/app-config';
import { CREATE_QUEUE, type CreateJobData } from '../jobs/queues';
import { workerTiming } from '../jobs/worker-timing';
import { hashEmail } from '../observability/email-hash';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { CREATION_API, type CreationApi } from './creation-api.port';
import { creationRetryBackoff } from './creation-retry.backoff';
import { ErrorReporter } from '../error-reports/error-reporter.service';
import { DeliveryStore } from './delivery.store';
import { CreationRetryableError } from './creation.errors';

/** The creation worker: one call per job; BullMQ retries transient failures with backoff. */
@Processor(CREATE_QUEUE, { settings: { backoffStrategy: creationRetryBackoff }, ...workerTiming() })
export class CreateCandidateJob extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(CREATION_API) private readonly api: CreationApi,
    private readonly config: AppConfig,
    private readonly deliveries: DeliveryStore,
    private readonly errorReports: ErrorReporter,
    private readonly alerts: AlertService,
    private readonly stats: RunStats,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.env.CREATION_CONCURRENCY;
    // Without a listener BullMQ prints worker errors (e.g. after Redis was emptied) as raw stack traces.
    this.worker.on('error', (err) => this.logger.error({ queue: CREATE_QUEUE, err }, 'creation worker error'));
  }

  async process(job: Job<CreateJobData>): Promise<{ outcome: string; status: number }> {
    const { candidate, idempotencyKey } = job.data;
    const who = { accountId: candidate.accountId, assessmentId: candidate.assessmentId, emailHash: hashEmail(candidate.email), idempotencyKey };
    const result = await this.api.create(candidate, idempotencyKey);
    switch (result.outcome) {
      case 'created':
      case 'already-existed':
        await this.deliveries.mark(idempotencyKey, 'delivered');
        await this.stats.increment(result.outcome === 'created' ? 'candidates_created' : 'candidates_already_existed');
        this.logger.info({ ...who, status: result.status, outcome: result.outcome }, 'candidate delivered');
        return { outcome: result.outcome, status: result.status };
      case 'retry': {
        this.logger.warn({ ...who, status: result.status, attempt: job.attemptsMade + 1, retryAfterMs: result.retryAfterMs }, result.reason);
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          await this.deliveries.mark(idempotencyKey, 'dead-lettered');
          this.alerts.raise('CREATION_FAILED', `${result.reason}, still after ${job.attemptsMade + 1} attempts; the job is kept as failed (dead letter) and can be retried from the queue board`, who);
        }
        throw new CreationRetryableError(result.reason, result.retryAfterMs);
      }
      case 'rejected':
        await this.deliveries.mark(idempotencyKey, 'dead-lettered');
        await this.errorReports.report({
          accountId: candidate.accountId,
          reason: 'CREATION.REJECTED',
          detail: result.reason,
          externalCandidateId: candidate.externalCandidateId,
          externalCampaignId: candidate.externalCampaignId,
          failedAt: new Date().toISOString(),
        });
        this.alerts.raise('CREATION_REJECTED', `${result.reason}; the job is kept as failed and can be retried once the cause is fixed`, who);
        throw new UnrecoverableError(result.reason);
    }
  }
}
