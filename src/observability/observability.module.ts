import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { RunStats } from './run-stats.service';

/** The pino logger under this token; inject with `@Inject(LOGGER)`. */
export const LOGGER = Symbol('LOGGER');

@Global()
@Module({
  providers: [
    { provide: LOGGER, inject: [AppConfig], useFactory: (config: AppConfig): Logger => createLogger(config.env.LOG_LEVEL) },
    RunStats,
    Metrics,
  ],
  exports: [LOGGER, RunStats, Metrics],
})
export class ObservabilityModule {}
