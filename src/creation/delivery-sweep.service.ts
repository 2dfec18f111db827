import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../config/clock';
import { JobEnqueuer } from '../jobs/job-enqueuer.service';
import { CREATE_QUEUE, type CreateJobData } from '../jobs/queues';
import { hashEmail } from '../observability/email-hash';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { DeliveryStore, PENDING_BUCKETS, type PendingDelivery } from './delivery.store';

const PER_BUCKET = 200;

/**
 * Reconciliation: a candidate whose change record was checkpointed is in the deliveries table; if it is
 * still pending long after, its job was lost (Redis emptied, a crash between steps) and is dispatched again
 * with the same idempotency key. Reads only the sparse index of overdue pending deliveries.
 */
@Injectable()
export class DeliverySweepService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly enqueuer: JobEnqueuer,
    @InjectQueue(CREATE_QUEUE) private readonly createQueue: Queue<CreateJobData>,
    private readonly config: AppConfig,
    private readonly stats: RunStats,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.config.env.DELIVERY_SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweepOnce(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep()
      .catch((err) => this.logger.error({ err }, 'delivery sweep failed; will try again'))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  private async sweep(): Promise<void> {
    const olderThan = this.clock() - this.config.env.DELIVERY_PENDING_THRESHOLD_MS;
    for (let bucket = 0; bucket < PENDING_BUCKETS; bucket++) {
      for (const delivery of await this.deliveries.overdue(bucket, olderThan, PER_BUCKET)) await this.reconcile(delivery);
    }
  }

  private async reconcile(delivery: PendingDelivery): Promise<void> {
    const job = await this.createQueue.getJob(delivery.idempotencyKey);
    const state = job ? await job.getState() : 'missing';
    // Finished jobs whose outcome never reached the table: record it now. Live jobs: leave them be.
    if (state === 'completed') return this.deliveries.mark(delivery.idempotencyKey, 'delivered');
    if (state === 'failed') return this.deliveries.mark(delivery.idempotencyKey, 'dead-lettered');
    if (state !== 'missing' && state !== 'unknown') return;
    await this.enqueuer.enqueueCreation(delivery.candidate);
    await this.stats.increment('deliveries_redispatched');
    this.logger.warn(
      { accountId: delivery.candidate.accountId, emailHash: hashEmail(delivery.candidate.email), idempotencyKey: delivery.idempotencyKey, pendingSince: new Date(delivery.pendingSinceMs).toISOString() },
      'pending delivery had no job; dispatched again',
    );
  }
}
