import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createDynamoDbClient, createKinesisClient } from '../../src/aws/aws-clients';
import { loadConfig } from '../../src/config/load-config';
import type { StatName } from '../../src/observability/run-stats.service';
import { provision } from '../../src/provisioning/provision';
import { startAtsSimulator, type AtsSimulator, type AtsSimulatorOptions } from '../ats-simulator';
import { startCreationApiStub, type CreationApiStub } from '../creation-api-stub';
import { freePort, startKclDaemon, startLocalAws, type KclDaemon, type LocalAws } from '../local-aws';
import { BridgeProcess } from './bridge-process';
import { deployedRuntimeEnv } from './deployed-runtime';
import { writeAccountsFile } from './demo-accounts';
import { assertBuilt, STREAM_PROCESSOR_ENTRY } from './repo-paths';

/** The demo's two accounts and the simulator behind each. */
export const ACCOUNTS = {
  acme: { id: 'acme-workday', urlEnv: 'ACME_ATS_URL', tokenEnv: 'ACME_ATS_TOKEN', requisitions: ['R-10001', 'R-10007'] },
  globex: { id: 'globex-workday', urlEnv: 'GLOBEX_ATS_URL', tokenEnv: 'GLOBEX_ATS_TOKEN', requisitions: ['G-200', 'G-201'] },
} as const;
type AccountName = keyof typeof ACCOUNTS;

export interface LocalStackOptions {
  /** Simulator options per account (rate, bursts, fixture file, …). */
  simulators?: Partial<Record<AccountName, AtsSimulatorOptions>>;
  /** Changes to the shipped demo accounts, by account id (e.g. a shorter poll interval in tests). */
  accountOverrides?: Record<string, Record<string, unknown>>;
  /** Redis of the bridge, the stream processors and `stats()`. Default: $REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Extra environment for the bridge processes (TICK_INTERVAL_MS, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /**
   * Application processes running every role; more than one exercises replicas. Default 1. With 0, nothing
   * polls until the test calls `startApp()` (e.g. after preparing the simulators).
   */
  appInstances?: number;
}

/** Everything the bridge needs, on this machine: emulated AWS, ATS simulators, the creation-API stub, the bridge. */
export interface LocalStack {
  aws: LocalAws;
  simulators: Record<AccountName, AtsSimulator>;
  stub: CreationApiStub;
  apps: BridgeProcess[];
  /**
   * Starts one more application process with the stack's environment (plus `extraEnv`), e.g. to replace a
   * killed one; resolves once it has started. It is added to `apps` and stopped with the stack.
   */
  startApp(extraEnv?: Record<string, string>): Promise<BridgeProcess>;
  kcl: KclDaemon;
  /** The environment every bridge process got; with it `loadConfig` yields the same configuration. */
  env: Record<string, string>;
  /** One of the shared counters the bridge keeps (see RunStats), 0 when never incremented. */
  stats(name: StatName): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the whole local setup. A unique queue prefix and table names keep concurrent runs apart on one Redis. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  assertBuilt();
  const runId = randomBytes(4).toString('hex');
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch((e: Error) => process.stderr.write(`local stack: stop step failed: ${e.message}\n`));
    stoppers.length = 0;
  };
  try {
    const aws = await startLocalAws();
    stoppers.push(() => aws.stop());
    const stub = await startCreationApiStub();
    stoppers.push(() => stub.stop());
    const simulators = {} as Record<AccountName, AtsSimulator>;
    const accountsFile = writeAccountsFile(options.accountOverrides);
    stoppers.push(async () => accountsFile.remove());
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      ACCOUNTS_FILE: accountsFile.path,
      REDIS_URL: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `ats-bridge-${runId}`,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      DYNAMODB_ENDPOINT: aws.dynamodbEndpoint,
      KINESIS_ENDPOINT: aws.kinesisEndpoint,
      LEDGER_TABLE: `ledger-${runId}`,
      COVERAGE_TABLE: `coverage-${runId}`,
      QUARANTINE_TABLE: `quarantine-${runId}`,
      DELIVERY_TABLE: `deliveries-${runId}`,
      CHANGE_STREAM: `ledger-changes-${runId}`,
      CREATION_API_URL: stub.url,
      TICK_INTERVAL_MS: '500',
      API_HOST: '127.0.0.1',
      BULL_BOARD_USER: 'operator',
      BULL_BOARD_PASSWORD_ENV: 'BULL_BOARD_PASSWORD',
      BULL_BOARD_PASSWORD: `local-${runId}`,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    for (const name of Object.keys(ACCOUNTS) as AccountName[]) {
      const account = ACCOUNTS[name];
      const token = `Bearer local-${name}-${runId}`;
      const sim = await startAtsSimulator({ requisitions: [...account.requisitions], authValue: token, seed: name === 'acme' ? 1 : 2, ...options.simulators?.[name] });
      stoppers.push(() => sim.stop());
      simulators[name] = sim;
      env[account.urlEnv] = sim.url;
      env[account.tokenEnv] = token;
    }
    stoppers.push(() => deleteKeysWithPrefix(env.REDIS_URL, env.QUEUE_PREFIX));

    const config = loadConfig(env);
    const dynamodb = createDynamoDbClient(config.env, { credentials: aws.credentials });
    const kinesis = createKinesisClient(config.env, { credentials: aws.credentials });
    await provision(dynamodb, kinesis, config.env);
    dynamodb.destroy();
    kinesis.destroy();

    const kcl = await startKclDaemon({
      kinesisEndpoint: aws.kinesisEndpoint,
      streamName: env.CHANGE_STREAM,
      command: process.execPath,
      args: [STREAM_PROCESSOR_ENTRY],
      env: { PATH: process.env.PATH ?? '', ...deployedRuntimeEnv(), ...env },
      initialPosition: 'TRIM_HORIZON',
    });
    stoppers.push(() => kcl.stop());
    const apps: BridgeProcess[] = [];
    const startApp = async (extraEnv: Record<string, string> = {}) => {
      // Each process its own port for the api role (metrics, health, Bull Board).
      const app = new BridgeProcess({ ...env, API_PORT: String(await freePort()), ...extraEnv }, `app-${apps.length + 1}`);
      apps.push(app);
      stoppers.push(() => app.stop());
      await app.waitForLog((l) => l.msg === 'ats-bridge started');
      return app;
    };
    await Promise.all(Array.from({ length: options.appInstances ?? 1 }, () => startApp()));
    const redis = new Redis(env.REDIS_URL);
    stoppers.push(async () => redis.disconnect());
    const stats = async (name: StatName) => Number((await redis.hget(`${env.QUEUE_PREFIX}:stats`, name)) ?? 0);
    return { aws, simulators, stub, apps, startApp, kcl, env, stats, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Removes every Redis key of one run (its queue prefix), so runs on a shared Redis leave nothing behind. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
