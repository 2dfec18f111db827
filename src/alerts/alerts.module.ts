import { Global, Module } from '@nestjs/common';
import { ALERT_SINKS } from './alert-sink.port';
import { AlertService } from './alert.service';
import { LogAlertSink } from './log-alert.sink';
import { WebhookAlertSink } from './webhook-alert.sink';

const sinks = [LogAlertSink, WebhookAlertSink];

@Global()
@Module({
  providers: [...sinks, { provide: ALERT_SINKS, inject: sinks, useFactory: (...all: InstanceType<(typeof sinks)[number]>[]) => all }, AlertService],
  exports: [AlertService],
})
export class AlertsModule {}
