import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from './app-config';
import { CLOCK, type Clock } from './clock';
import { loadConfig } from './load-config';

/** Provides {@link AppConfig} everywhere. Tests pass a ready config; processes load it from the environment. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig = loadConfig(), clock: Clock = Date.now): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }, { provide: CLOCK, useValue: clock }], exports: [AppConfig, CLOCK] };
  }
}
