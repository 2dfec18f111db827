import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobEnqueuer } from './job-enqueuer.service';
import { CREATE_QUEUE, ERROR_REPORT_QUEUE, POLL_QUEUE } from './queues';

/** The BullMQ connection and queues, shared by every role that enqueues or works. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: config.env.QUEUE_PREFIX,
        connection: { url: config.env.REDIS_URL, maxRetriesPerRequest: null },
      }),
    }),
    BullModule.registerQueue({ name: POLL_QUEUE }, { name: CREATE_QUEUE }, { name: ERROR_REPORT_QUEUE }),
  ],
  providers: [JobEnqueuer],
  exports: [JobEnqueuer, BullModule],
})
export class JobsModule {}
