import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../observability/observability.module';
import type { Alert } from './alert';
import type { AlertSink } from './alert-sink.port';

/** One structured line per alert (`alert: true`, `kind`), which log-based alerting can route. */
@Injectable()
export class LogAlertSink implements AlertSink {
  readonly name = 'log';
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async send(alert: Alert): Promise<void> {
    this.logger.warn({ alert: true, kind: alert.kind, suppressedSinceLast: alert.suppressedSinceLast, ...alert.details }, alert.message);
  }
}
