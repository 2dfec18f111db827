import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../config/clock';
import { LOGGER } from '../observability/observability.module';
import { Metrics } from '../observability/metrics';
import type { Alert, AlertKind } from './alert';
import { ALERT_SINKS, type AlertSink } from './alert-sink.port';
import { AlertSuppressor, suppressionKey } from './alert-suppressor';

export type { AlertKind } from './alert';

/**
 * Raises alerts: every one is counted (`ats_bridge_alerts_total{kind}`), repeats of the same fault are held
 * back for ALERT_SUPPRESS_MS, and the rest go to every sink. Never throws: an alert must not fail the work.
 */
@Injectable()
export class AlertService {
  private readonly suppressor: AlertSuppressor;

  constructor(
    @Inject(ALERT_SINKS) private readonly sinks: AlertSink[],
    private readonly metrics: Metrics,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.suppressor = new AlertSuppressor(config.env.ALERT_SUPPRESS_MS);
  }

  raise(kind: AlertKind, message: string, details: Record<string, unknown>): void {
    this.metrics.alerts.inc({ kind });
    const held = this.suppressor.admit(suppressionKey({ kind, details }), this.clock());
    if (held === undefined) {
      this.logger.debug({ kind, ...details }, 'alert held back (repeat)');
      return;
    }
    const alert: Alert = { kind, message, details, at: new Date(this.clock()).toISOString(), suppressedSinceLast: held };
    for (const sink of this.sinks) void sink.send(alert).catch((err) => this.logger.error({ sink: sink.name, err }, 'alert sink failed'));
  }
}
