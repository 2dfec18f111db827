import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../config/clock';
import { JobEnqueuer } from '../jobs/job-enqueuer.service';
import { CoverageStore } from '../ledger/coverage.store';
import { LOGGER } from '../observability/observability.module';
import { planNextWindow } from '../polling/poll-window';

const TICK = 'poll-tick';

/**
 * The tick only fans out: for each enabled account that is due, one poll job for its next window. Each
 * account is handled on its own, so one broken account cannot stop the others being polled.
 */
@Injectable()
export class PollTickService implements OnModuleInit, OnApplicationShutdown {
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly coverage: CoverageStore,
    private readonly enqueuer: JobEnqueuer,
    private readonly registry: SchedulerRegistry,
    private readonly alerts: AlertService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const handle = setInterval(() => void this.tickOnce(), this.config.env.TICK_INTERVAL_MS);
    this.registry.addInterval(TICK, handle);
    void this.tickOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', TICK)) this.registry.deleteInterval(TICK);
    await this.running;
  }

  /** Coverage that falls far behind means candidates wait: tell someone before customers do. */
  private alertOnLag(accountId: string, watermarkMs: number, dueMs: number): void {
    const lagMs = dueMs - watermarkMs;
    if (lagMs <= this.config.env.COVERAGE_LAG_ALERT_MS) return;
    this.alerts.raise('COVERAGE_LAG', `Account "${accountId}" is polled only up to ${new Date(watermarkMs).toISOString()}, ${Math.round(lagMs / 60_000)} min behind`, {
      accountId,
      lagMs,
    });
  }

  /** One tick; overlapping ticks are skipped rather than piled up behind a slow DynamoDB. */
  async tickOnce(): Promise<void> {
    if (this.running) return;
    this.running = this.fanOut().finally(() => (this.running = undefined));
    await this.running;
  }

  private async fanOut(): Promise<void> {
    const now = this.clock();
    await Promise.all(
      this.config.accounts
        .filter((a) => a.enabled)
        .map(async (account) => {
          try {
            const coverage = (await this.coverage.read(account.id)) ?? (await this.coverage.start(account.id, account.startAt ? Date.parse(account.startAt) : now));
            this.alertOnLag(account.id, coverage.watermarkMs, now - account.settleMs);
            if (coverage.failing && coverage.failing.untilMs > now) return;
            const window = planNextWindow({ ...account, watermarkMs: coverage.watermarkMs, nowMs: now, alignMs: Math.min(1_000, account.pollIntervalMs) });
            if (window) await this.enqueuer.enqueuePoll({ accountId: account.id, ...window });
          } catch (err) {
            this.logger.error({ accountId: account.id, err }, 'could not schedule the next window; will try again next tick');
          }
        }),
    );
  }
}
