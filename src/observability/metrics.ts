import { Injectable } from '@nestjs/common';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, in one place; served at /metrics by the api role. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly alerts = new Counter({ name: 'ats_bridge_alerts_total', help: 'Alerts raised, held back or not, by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly events = new Counter({ name: 'ats_bridge_events_total', help: 'What the bridge did (windows polled, candidates seen, created, …), by name', labelNames: ['name'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ats_bridge_' });
  }
}
