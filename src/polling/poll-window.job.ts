import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { ConnectorError } from '../connectors/connector.errors';
import { CoverageStore } from '../ledger/coverage.store';
import { POLL_QUEUE, type PollJobData } from '../jobs/queues';
import { AlertService } from '../alerts/alert.service';
import { LOGGER } from '../observability/observability.module';
import { PollWindowService, type PollOutcome } from './poll-window.service';

/** The poll worker: guards (account still enabled, window not already covered), then delegates. */
@Processor(POLL_QUEUE)
export class PollWindowJob extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly coverage: CoverageStore,
    private readonly service: PollWindowService,
    private readonly alerts: AlertService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.env.POLL_CONCURRENCY;
  }

  async process(job: Job<PollJobData>): Promise<PollOutcome | { skipped: string }> {
    const { accountId, fromMs, toMs } = job.data;
    const account = this.config.account(accountId);
    if (!account?.enabled) return { skipped: 'account missing or disabled' };
    const watermark = await this.coverage.watermark(accountId);
    if (watermark !== undefined && watermark >= toMs) return { skipped: 'window already covered' };
    try {
      return await this.service.poll(account, { fromMs, toMs });
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'UNKNOWN';
      this.logger.error({ accountId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), attempt: job.attemptsMade + 1, code, err: e }, 'window poll failed');
      if (e instanceof ConnectorError && e.permanent) {
        this.alerts.raise('WINDOW_FAILED', `${e.message}. Polling of this window stops until the next tick after the fix.`, { accountId, code });
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
  }
}
