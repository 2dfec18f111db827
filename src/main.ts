import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { createDynamoDbClient, createKinesisClient } from './aws/aws-clients';
import { ConfigError } from './config/config.errors';
import { loadConfig } from './config/load-config';
import { createLogger } from './observability/logger';
import { NestPinoLogger } from './observability/nest-logger';
import { provision } from './provisioning/provision';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  if (config.env.PROVISION) {
    const dynamodb = createDynamoDbClient(config.env);
    const kinesis = createKinesisClient(config.env);
    const streamArn = await provision(dynamodb, kinesis, config.env);
    logger.info({ table: config.env.LEDGER_TABLE, streamArn }, 'provisioned ledger, coverage and change stream');
    dynamodb.destroy();
    kinesis.destroy();
  }
  const module = AppModule.forRoles(config);
  const options = { logger: new NestPinoLogger(logger) };
  if (config.env.ROLES.includes('api')) {
    const app = await NestFactory.create(module, options);
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    await app.listen(config.env.API_PORT, config.env.API_HOST);
    logger.info({ port: config.env.API_PORT }, 'api listening: /metrics, /health, /queues');
  } else {
    const app = await NestFactory.createApplicationContext(module, options);
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  }
  logger.info({ roles: config.env.ROLES, accounts: config.accounts.map((a) => a.id) }, 'ats-bridge started');
}

main().catch((err) => {
  // A bad configuration is the operator's to fix: print the message alone, without a stack trace.
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `ats-bridge failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
