import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../observability/observability.module';

export type AlertKind =
  | 'DUPLICATE_CANDIDATE'
  | 'RECORD_QUARANTINED'
  | 'CREATION_REJECTED'
  | 'WINDOW_FAILED'
  | 'PATHOLOGICAL_WINDOW'
  | 'ACCOUNT_FAILING'
  | 'CHANGE_RECORD_UNDECODABLE';

/**
 * Raises alerts for people to act on. For now one structured log line per alert (`alert: true`, `kind`), which
 * log-based alerting can route; details must never hold a candidate's email or any secret.
 */
@Injectable()
export class AlertService {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  raise(kind: AlertKind, message: string, details: Record<string, unknown>): void {
    this.logger.warn({ alert: true, kind, ...details }, message);
  }
}
