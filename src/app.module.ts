import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { AwsModule } from './aws/aws.module';
import { AppConfig } from './config/app-config';
import { type Clock } from './config/clock';
import { ConfigModule } from './config/config.module';
import type { Role } from './config/env.schema';
import { ErrorReportsModule } from './error-reports/error-reports.module';
import { JobsModule } from './jobs/jobs.module';
import { ObservabilityModule } from './observability/observability.module';

/**
 * Each role's module is loaded only when the process runs that role: a poll worker never pays the memory of
 * Express and Bull Board, which matters because its peak RSS is what bounds the container size.
 */
const ROLE_MODULES: Record<Role, () => Type> = {
  scheduler: () => (require('./scheduler/scheduler.module') as typeof import('./scheduler/scheduler.module')).SchedulerModule,
  'poll-worker': () => (require('./polling/polling.module') as typeof import('./polling/polling.module')).PollingModule,
  'creation-worker': () => (require('./creation/creation.module') as typeof import('./creation/creation.module')).CreationModule,
  api: () => (require('./api/api.module') as typeof import('./api/api.module')).ApiModule,
};

/**
 * One image, several roles: the same modules run together locally or split across ECS services, chosen by
 * ROLES. The stream processor is its own entrypoint because the KCL daemon starts it per shard.
 */
@Module({})
export class AppModule {
  static forRoles(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        ObservabilityModule,
        AlertsModule,
        AwsModule,
        JobsModule,
        ErrorReportsModule,
        ...config.env.ROLES.map((role) => ROLE_MODULES[role]()),
      ],
    };
  }
}
