import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { AlertService } from '../../src/alerts/alert.service';
import { LogAlertSink } from '../../src/alerts/log-alert.sink';
import { WebhookAlertSink } from '../../src/alerts/webhook-alert.sink';
import { AppConfig } from '../../src/config/app-config';
import { envSchema } from '../../src/config/env.schema';
import { Metrics } from '../../src/observability/metrics';

describe(AlertService.name, () => {
  let server: Server;
  const received: Record<string, unknown>[] = [];
  const arrived = new EventEmitter();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        arrived.emit('alert');
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('posts a Slack-compatible message to the webhook, counts every alert, and holds back repeats', async () => {
    const env = envSchema.parse({ ACCOUNTS_FILE: 'unused', CREATION_API_URL: 'http://127.0.0.1:1/', ALERT_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, ALERT_SUPPRESS_MS: '60000' });
    const config = new AppConfig(env, []);
    const logger = pino({ level: 'silent' });
    const metrics = new Metrics();
    let now = 0;
    const alerts = new AlertService([new LogAlertSink(logger), new WebhookAlertSink(config, logger)], metrics, config, () => now, logger);

    const details = { accountId: 'acme', code: 'CONNECTOR.TIMEOUT', from: '2026-12-03T10:00:00.000Z', to: '2026-12-03T10:01:00.000Z' };
    alerts.raise('PATHOLOGICAL_WINDOW', 'Window keeps failing', details);
    await once(arrived, 'alert');
    now = 10_000;
    alerts.raise('PATHOLOGICAL_WINDOW', 'Window keeps failing', details);
    alerts.raise('PATHOLOGICAL_WINDOW', 'Window keeps failing', details);
    now = 61_000;
    alerts.raise('PATHOLOGICAL_WINDOW', 'Window keeps failing', details);
    await once(arrived, 'alert');

    expect(received).toEqual([
      { text: ':rotating_light: *PATHOLOGICAL_WINDOW* Window keeps failing', kind: 'PATHOLOGICAL_WINDOW', details, at: '1970-01-01T00:00:00.000Z' },
      { text: ':rotating_light: *PATHOLOGICAL_WINDOW* Window keeps failing (2 similar held back)', kind: 'PATHOLOGICAL_WINDOW', details, at: '1970-01-01T00:01:01.000Z' },
    ]);
    expect(await metrics.registry.getSingleMetricAsString('ats_bridge_alerts_total')).toContain('ats_bridge_alerts_total{kind="PATHOLOGICAL_WINDOW"} 4');
  });
});
