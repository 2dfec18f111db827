import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AlertWhenDuplicateDetected } from '../alerts/alert-when-duplicate-detected.handler';
import { AlertsModule } from '../alerts/alerts.module';
import { ConfigModule } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EnqueueCreationWhenDiscovered } from '../creation/enqueue-creation-when-discovered.handler';
import { JobsModule } from '../jobs/jobs.module';
import { AwsModule } from '../aws/aws.module';
import { DeliveryStore } from '../creation/delivery.store';
import { ObservabilityModule } from '../observability/observability.module';
import { ChangeRecordDispatcher } from './change-record.dispatcher';

const handlers = [EnqueueCreationWhenDiscovered, AlertWhenDuplicateDetected];

/** What the stream processor process needs: the dispatcher, the domain event handlers and the queues. */
@Module({})
export class StreamProcessorModule {
  static forRoot(config?: AppConfig) {
    return {
      module: StreamProcessorModule,
      imports: [ConfigModule.forRoot(config), ObservabilityModule, AlertsModule, AwsModule, JobsModule, EventEmitterModule.forRoot()],
      providers: [ChangeRecordDispatcher, DeliveryStore, ...handlers],
      exports: [ChangeRecordDispatcher],
    };
  }
}
