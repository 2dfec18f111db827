import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import kcl from 'aws-kcl';
import { createLogger } from '../observability/logger';
import { NestPinoLogger } from '../observability/nest-logger';
import { AppConfig } from '../config/app-config';
import { ChangeRecordDispatcher } from './change-record.dispatcher';
import { KclRecordProcessor } from './kcl-record-processor';
import { StreamProcessorModule } from './stream-processor.module';

/**
 * The executable the KCL MultiLangDaemon starts once per shard. stdout belongs to the protocol: everything
 * else, including Nest's own messages and crashes, goes to stderr.
 */
async function main(): Promise<void> {
  const logger = createLogger();
  process.on('uncaughtException', (err) => logger.fatal({ err }, 'uncaught exception in stream processor'));
  process.on('unhandledRejection', (err) => logger.fatal({ err }, 'unhandled rejection in stream processor'));
  const app = await NestFactory.createApplicationContext(StreamProcessorModule.forRoot(), { logger: new NestPinoLogger(logger) });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const processor = new KclRecordProcessor(app.get(ChangeRecordDispatcher), logger, app.get(AppConfig).env.STREAM_DISPATCH_TIMEOUT_MS);
  process.stdin.once('end', () => void app.close());
  kcl(processor).run();
}

main().catch((err) => {
  process.stderr.write(`stream processor failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
