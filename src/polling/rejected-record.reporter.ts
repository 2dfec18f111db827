import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import type { Rejection } from '../candidates/candidate';
import { LOGGER } from '../observability/observability.module';
import type { PollWindow } from './poll-window';
import { QuarantineStore } from './quarantine.store';

/**
 * Makes every record that could not be ingested visible: quarantined with its reason (listable per account)
 * and alerted the first time it is seen — never a silent drop. If the quarantine cannot be written, the
 * window fails rather than lose the record. The record itself is never logged: it holds personal data.
 */
@Injectable()
export class RejectedRecordReporter {
  constructor(
    private readonly quarantine: QuarantineStore,
    private readonly alerts: AlertService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async report(accountId: string, window: PollWindow, record: unknown, rejection: Rejection): Promise<void> {
    const isNew = await this.quarantine.quarantine(accountId, window, record, rejection);
    this.logger.warn({ accountId, reason: rejection.reason, detail: rejection.detail, newlyQuarantined: isNew }, 'record rejected');
    if (!isNew) return;
    this.alerts.raise('RECORD_QUARANTINED', `A record from account "${accountId}" was quarantined: ${rejection.detail}. List them with: npm run quarantine -- ${accountId}`, {
      accountId,
      reason: rejection.reason,
      windowFrom: new Date(window.fromMs).toISOString(),
      windowTo: new Date(window.toMs).toISOString(),
    });
  }
}
