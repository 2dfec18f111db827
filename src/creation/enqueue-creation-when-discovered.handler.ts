import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { JobEnqueuer } from '../jobs/job-enqueuer.service';
import { DeliveryStore } from './delivery.store';
import { idempotencyKey } from './idempotency-key';
import { hashEmail } from '../observability/email-hash';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { CandidateDiscovered } from '../stream/candidate-discovered.event';

@Injectable()
export class EnqueueCreationWhenDiscovered {
  constructor(
    private readonly enqueuer: JobEnqueuer,
    private readonly deliveries: DeliveryStore,
    private readonly stats: RunStats,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  // suppressErrors: false — a failed enqueue must reach the dispatcher, or the batch would be checkpointed.
  @OnEvent(CandidateDiscovered.eventName, { suppressErrors: false })
  async handle({ candidate }: CandidateDiscovered): Promise<void> {
    // Durable first: if Redis loses the job, the sweep still finds the delivery pending.
    await this.deliveries.recordPending(idempotencyKey(candidate), candidate);
    const key = await this.enqueuer.enqueueCreation(candidate);
    await this.stats.increment('candidates_new');
    this.logger.info({ accountId: candidate.accountId, assessmentId: candidate.assessmentId, emailHash: hashEmail(candidate.email), idempotencyKey: key }, 'candidate discovered');
  }
}
