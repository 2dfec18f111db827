import { BullBoardModule } from '@bull-board/nestjs';
import { ExpressAdapter } from '@bull-board/express';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CREATE_QUEUE, ERROR_REPORT_QUEUE, POLL_QUEUE } from '../jobs/queues';
import { basicAuth } from './basic-auth.middleware';
import { MetricsController } from './metrics.controller';

/**
 * The api role: Prometheus metrics, a health check, and Bull Board at /queues for inspecting and retrying
 * jobs (a dead-lettered creation is a failed job there). The board is behind Basic auth; `loadConfig`
 * refuses to start outside development without its credentials.
 */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const { BULL_BOARD_USER: user, BULL_BOARD_PASSWORD_ENV: passwordEnv } = config.env;
        const password = passwordEnv ? config.secret(passwordEnv) : '';
        return { route: '/queues', adapter: ExpressAdapter, middleware: user && password ? basicAuth(user, password) : undefined };
      },
    }),
    BullBoardModule.forFeature({ name: POLL_QUEUE, adapter: BullMQAdapter }, { name: CREATE_QUEUE, adapter: BullMQAdapter }, { name: ERROR_REPORT_QUEUE, adapter: BullMQAdapter }),
  ],
  controllers: [MetricsController],
})
export class ApiModule {}
