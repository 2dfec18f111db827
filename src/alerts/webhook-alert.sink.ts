import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { AppConfig } from '../config/app-config';
import { LOGGER } from '../observability/observability.module';
import type { Alert } from './alert';
import type { AlertSink } from './alert-sink.port';

/** Posts alerts to a Slack-compatible incoming webhook (`{text}`), retrying a few times; never throws. */
@Injectable()
export class WebhookAlertSink implements AlertSink {
  readonly name = 'webhook';
  constructor(
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async send(alert: Alert): Promise<void> {
    const url = this.config.env.ALERT_WEBHOOK_URL;
    if (!url) return;
    const held = alert.suppressedSinceLast > 0 ? ` (${alert.suppressedSinceLast} similar held back)` : '';
    const body = JSON.stringify({ text: `:rotating_light: *${alert.kind}* ${alert.message}${held}`, kind: alert.kind, details: alert.details, at: alert.at });
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
        await res.body.dump();
        if (res.statusCode < 300) return;
        this.logger.warn({ status: res.statusCode, attempt, kind: alert.kind }, 'alert webhook refused the alert');
      } catch (err) {
        this.logger.warn({ attempt, kind: alert.kind, code: (err as { code?: string }).code }, 'alert webhook unreachable');
      }
      await sleep(500 * 2 ** attempt);
    }
  }
}
