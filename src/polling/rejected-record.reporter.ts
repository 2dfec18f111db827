import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Rejection } from '../candidates/candidate';
import { AlertService } from '../alerts/alert.service';
import { LOGGER } from '../observability/observability.module';
import type { PollWindow } from './poll-window';

/**
 * Makes every record that could not be ingested visible: an alert per reason and window, never a silent drop.
 * The record itself is not logged — it holds personal data.
 */
@Injectable()
export class RejectedRecordReporter {
  constructor(
    private readonly alerts: AlertService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  report(accountId: string, window: PollWindow, rejection: Rejection): void {
    this.logger.warn({ accountId, reason: rejection.reason, detail: rejection.detail }, 'record rejected');
    this.alerts.raise('RECORD_REJECTED', `A record from account "${accountId}" was not ingested: ${rejection.detail}`, {
      accountId,
      reason: rejection.reason,
      windowFrom: new Date(window.fromMs).toISOString(),
      windowTo: new Date(window.toMs).toISOString(),
    });
  }
}
