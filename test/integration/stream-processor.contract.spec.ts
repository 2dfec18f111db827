import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { freePort, startLocalAws, type LocalAws } from '@libs/local-aws';
import { writeAccountsFile } from '@libs/local-stack/demo-accounts';
import { createDynamoDbClient, createKinesisClient } from '../../src/aws/aws-clients';
import { loadConfig } from '../../src/config/load-config';
import { idempotencyKey } from '../../src/creation/idempotency-key';
import { CREATE_QUEUE } from '../../src/jobs/queues';
import { toLedgerItem } from '../../src/ledger/ledger-item.mapper';
import { provision } from '../../src/provisioning/provision';
import { ProcessorDriver } from '../support/processor-driver';

const candidate = (n: number) => ({
  accountId: 'acme-workday', assessmentId: 'asm-graduate-swe', email: `contract.${n}@example.com`, firstName: 'C', lastName: 'T',
  externalCandidateId: `C-${n}`, externalCampaignId: 'R-10001', movedAt: '2026-11-18T09:00:00.000Z',
});
const insert = (n: number) =>
  Buffer.from(JSON.stringify({ eventID: `e${n}`, eventName: 'INSERT', userIdentity: null, tableName: 't', dynamodb: { ApproximateCreationDateTime: 1764760000123456, Keys: {}, NewImage: toLedgerItem(candidate(n), 400) } })).toString('base64');
const record = (n: number, data = insert(n)) => ({ action: 'record', data, partitionKey: 'pk', sequenceNumber: String(1000 + n), subSequenceNumber: 0, approximateArrivalTimestamp: 1764760000456 });

describe('the stream processor over the KCL MultiLang protocol', () => {
  let aws: LocalAws;
  let env: Record<string, string>;
  let accounts: { path: string; remove(): void };
  let queue: Queue;
  let seq = 0;
  const batch = (n: number) => Array.from({ length: n }, () => record(++seq));

  beforeAll(async () => {
    aws = await startLocalAws();
    accounts = writeAccountsFile();
    const run = randomBytes(4).toString('hex');
    env = {
      NODE_ENV: 'development', ACCOUNTS_FILE: accounts.path, CREATION_API_URL: 'http://127.0.0.1:9/', ACME_ATS_URL: 'http://127.0.0.1:9/', GLOBEX_ATS_URL: 'http://127.0.0.1:9/',
      ACME_ATS_TOKEN: 'x', GLOBEX_ATS_TOKEN: 'x', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', QUEUE_PREFIX: `contract-${run}`,
      AWS_REGION: aws.region, AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      DYNAMODB_ENDPOINT: aws.dynamodbEndpoint, KINESIS_ENDPOINT: aws.kinesisEndpoint, DELIVERY_TABLE: `deliveries-${run}`, LEDGER_TABLE: `ledger-${run}`,
      COVERAGE_TABLE: `coverage-${run}`, QUARANTINE_TABLE: `quarantine-${run}`, CHANGE_STREAM: `changes-${run}`, LOG_LEVEL: 'info',
    };
    const config = loadConfig(env);
    const [d, k] = [createDynamoDbClient(config.env, { credentials: aws.credentials }), createKinesisClient(config.env, { credentials: aws.credentials })];
    await provision(d, k, config.env);
    d.destroy();
    k.destroy();
    queue = new Queue(CREATE_QUEUE, { connection: { url: env.REDIS_URL }, prefix: env.QUEUE_PREFIX });
  }, 60_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    accounts?.remove();
    await aws?.stop();
  }, 30_000);

  const onlyProtocolLines = (p: ProcessorDriver) =>
    p.stdout.every((line) => ['status', 'checkpoint'].includes((JSON.parse(line) as { action: string }).action));

  it('initialises, enqueues the batch, checkpoints its last record, and only then answers', async () => {
    const p = new ProcessorDriver(env);
    expect(await p.act({ action: 'initialize', shardId: 'shardId-000000000001', sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 })).toEqual({
      checkpoints: [],
      status: { action: 'status', responseFor: 'initialize' },
    });
    const records = batch(3);
    const { checkpoints, status } = await p.act({ action: 'processRecords', millisBehindLatest: 0, records });
    expect(checkpoints).toEqual([{ action: 'checkpoint', sequenceNumber: records[2].sequenceNumber }]);
    expect(status).toEqual({ action: 'status', responseFor: 'processRecords' });
    const jobs = await Promise.all(records.map((_, i) => queue.getJob(idempotencyKey(candidate(seq - 2 + i)))));
    expect(jobs.every((j) => j !== undefined)).toBe(true);

    expect(await p.act({ action: 'shardEnded' })).toEqual({ checkpoints: [{ action: 'checkpoint', sequenceNumber: null }], status: { action: 'status', responseFor: 'shardEnded' } });
    expect(onlyProtocolLines(p)).toBe(true);
    await p.stop();
  }, 60_000);

  it.each([
    ['ThrottlingException', 2],
    ['KinesisClientLibDependencyException', 2],
    ['ShutdownException', 1],
    ['InvalidStateException', 1],
    ['IllegalArgumentException', 1],
  ])('answers a checkpoint refused with %s (%i checkpoint request(s)) and stays alive', async (error, requests) => {
    const p = new ProcessorDriver(env);
    await p.act({ action: 'initialize', shardId: 'shardId-000000000002', sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 });
    let refused = false;
    const { checkpoints, status } = await p.act({ action: 'processRecords', millisBehindLatest: 0, records: batch(1) }, () => (refused ? null : ((refused = true), error)));
    expect(checkpoints).toHaveLength(requests);
    expect(status).toEqual({ action: 'status', responseFor: 'processRecords' });
    // Still working: the next batch is processed and checkpointed.
    expect((await p.act({ action: 'processRecords', millisBehindLatest: 0, records: batch(1) })).checkpoints).toHaveLength(1);
    expect(p.alive && onlyProtocolLines(p)).toBe(true);
    await p.stop();
  }, 60_000);

  it('skips an undecodable record with an alert, stops on leaseLost without checkpointing, and checkpoints what it dispatched on shutdownRequested', async () => {
    const p = new ProcessorDriver(env);
    await p.act({ action: 'initialize', shardId: 'shardId-000000000003', sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 });
    const records = [record(++seq, Buffer.from('{not json').toString('base64')), ...batch(1)];
    const processed = await p.act({ action: 'processRecords', millisBehindLatest: 0, records });
    expect(processed.checkpoints).toEqual([{ action: 'checkpoint', sequenceNumber: records[1].sequenceNumber }]);
    expect(p.stderr).toContainEqual(expect.objectContaining({ alert: true, kind: 'CHANGE_RECORD_UNDECODABLE', sequenceNumber: records[0].sequenceNumber }));

    expect(await p.act({ action: 'shutdownRequested' })).toEqual({
      checkpoints: [{ action: 'checkpoint', sequenceNumber: records[1].sequenceNumber }],
      status: { action: 'status', responseFor: 'shutdownRequested' },
    });
    expect(await p.act({ action: 'leaseLost' })).toEqual({ checkpoints: [], status: { action: 'status', responseFor: 'leaseLost' } });
    expect(onlyProtocolLines(p)).toBe(true);
    await p.stop();
  }, 60_000);

  it('survives a handler that fails (Redis unreachable): it retries, writes nothing to stdout, and completes once Redis is back', async () => {
    const port = await freePort();
    const p = new ProcessorDriver({ ...env, REDIS_URL: `redis://127.0.0.1:${port}`, STREAM_DISPATCH_TIMEOUT_MS: '1000' });
    // initialize needs no Redis; processRecords needs it to enqueue.
    await p.act({ action: 'initialize', shardId: 'shardId-000000000004', sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 });
    const records = batch(1);
    p.send({ action: 'processRecords', millisBehindLatest: 0, records });
    await until(() => p.stderr.some((l) => l.msg === 'change batch failed; retrying before checkpoint'));
    expect(p.alive).toBe(true);

    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      const checkpoint = await p.next(60_000);
      expect(checkpoint).toEqual({ action: 'checkpoint', sequenceNumber: records[0].sequenceNumber });
      p.send({ action: 'checkpoint', sequenceNumber: records[0].sequenceNumber, subSequenceNumber: null, error: null });
      expect(await p.next()).toEqual({ action: 'status', responseFor: 'processRecords' });
      expect(onlyProtocolLines(p)).toBe(true);
      await p.stop();
    } finally {
      redis.kill('SIGKILL');
    }
  }, 90_000);
});

/** For a state only visible in a child's log lines; bounded. */
async function until(holds: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
