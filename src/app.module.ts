import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { ApiModule } from './api/api.module';
import { AwsModule } from './aws/aws.module';
import { AppConfig } from './config/app-config';
import { type Clock } from './config/clock';
import { ConfigModule } from './config/config.module';
import type { Role } from './config/env.schema';
import { CreationModule } from './creation/creation.module';
import { ErrorReportsModule } from './error-reports/error-reports.module';
import { JobsModule } from './jobs/jobs.module';
import { ObservabilityModule } from './observability/observability.module';
import { PollingModule } from './polling/polling.module';
import { SchedulerModule } from './scheduler/scheduler.module';

const ROLE_MODULES: Record<Role, Type> = {
  scheduler: SchedulerModule,
  'poll-worker': PollingModule,
  'creation-worker': CreationModule,
  api: ApiModule,
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
        ...config.env.ROLES.map((role) => ROLE_MODULES[role]),
      ],
    };
  }
}
