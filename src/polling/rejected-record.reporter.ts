import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import type { Rejection } from '../candidates/candidate';
import { readDotPath } from '../candidates/dot-path';
import type { AccountConfig } from '../config/account.schema';
import { ErrorReporter } from '../error-reports/error-reporter.service';
import { LOGGER } from '../observability/observability.module';
import type { PollWindow } from './poll-window';
import { QuarantineStore } from './quarantine.store';

/**
 * Makes every record that could not be ingested visible: quarantined with its reason (listable per account)
 * alerted and reported to the account's error sink the first time it is seen — never a silent drop. If the quarantine cannot be written, the
 * window fails rather than lose the record. The record itself is never logged: it holds personal data.
 */
@Injectable()
export class RejectedRecordReporter {
  constructor(
    private readonly quarantine: QuarantineStore,
    private readonly errorReports: ErrorReporter,
    private readonly alerts: AlertService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async report(account: AccountConfig, window: PollWindow, record: unknown, rejection: Rejection): Promise<void> {
    const accountId = account.id;
    const isNew = await this.quarantine.quarantine(accountId, window, record, rejection);
    this.logger.warn({ accountId, reason: rejection.reason, detail: rejection.detail, newlyQuarantined: isNew }, 'record rejected');
    if (!isNew) return;
    const text = (path: string) => String(readDotPath(record, path) ?? '').slice(0, 200);
    await this.errorReports.report({
      accountId,
      reason: rejection.reason,
      detail: rejection.detail,
      externalCandidateId: text(account.connector.fields.externalCandidateId),
      externalCampaignId: text(account.connector.fields.externalCampaignId),
      failedAt: new Date().toISOString(),
    });
    this.alerts.raise('RECORD_QUARANTINED', `A record from account "${accountId}" was quarantined: ${rejection.detail}. List them with: npm run quarantine -- ${accountId}`, {
      accountId,
      reason: rejection.reason,
      windowFrom: new Date(window.fromMs).toISOString(),
      windowTo: new Date(window.toMs).toISOString(),
    });
  }
}
