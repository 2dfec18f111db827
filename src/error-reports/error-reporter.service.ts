import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { ERROR_REPORT_QUEUE, JOB_OPTIONS } from '../jobs/queues';
import { REPORTABLE_REASONS, type ErrorReport } from './error-report';

/**
 * Queues a report for the account's error sink, once per ATS record and reason: the job id is derived from
 * them, so re-polls, replays and retries of the same failure add nothing while the job is kept (90 days).
 */
@Injectable()
export class ErrorReporter {
  constructor(@InjectQueue(ERROR_REPORT_QUEUE) private readonly queue: Queue<ErrorReport>) {}

  async report(report: ErrorReport): Promise<void> {
    if (!REPORTABLE_REASONS.has(report.reason)) return;
    const jobId = createHash('sha256').update([report.accountId, report.externalCandidateId, report.externalCampaignId, report.reason].join('\n')).digest('hex');
    await this.queue.add('report-error', report, { ...JOB_OPTIONS[ERROR_REPORT_QUEUE], jobId });
  }
}
