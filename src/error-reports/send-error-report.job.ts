import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { request } from 'undici';
import { AppConfig } from '../config/app-config';
import { ERROR_REPORT_QUEUE } from '../jobs/queues';
import { LOGGER } from '../observability/observability.module';
import { renderTemplate, type ErrorReport } from './error-report';

/** Delivers one error report to the account's sink (HTTP with a templated JSON body, or the log); BullMQ retries. */
@Processor(ERROR_REPORT_QUEUE)
export class SendErrorReportJob extends WorkerHost {
  constructor(
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job<ErrorReport>): Promise<{ sink: string; status?: number }> {
    const report = job.data;
    const sink = this.config.account(report.accountId)?.errorSink ?? { type: 'log' as const };
    if (sink.type === 'log') {
      this.logger.warn({ errorReport: true, ...report }, 'error report (log sink)');
      return { sink: 'log' };
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (sink.auth) headers[sink.auth.header.toLowerCase()] = this.config.secret(sink.auth.valueEnv);
    const res = await request(sink.url, { method: sink.method, headers, body: JSON.stringify(renderTemplate(sink.bodyTemplate, report)), headersTimeout: 15_000, bodyTimeout: 15_000 });
    await res.body.dump();
    if (res.statusCode >= 300) throw new Error(`error sink of account "${report.accountId}" answered HTTP ${res.statusCode}; retrying`);
    this.logger.info({ accountId: report.accountId, reason: report.reason, externalCandidateId: report.externalCandidateId, status: res.statusCode }, 'error reported to the ATS side');
    return { sink: 'http', status: res.statusCode };
  }
}
