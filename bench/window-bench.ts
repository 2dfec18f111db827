import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Queue } from 'bullmq';
import { startAtsSimulator, type AtsSimulator } from '../libs/ats-simulator';
import { startLocalAws, LOCAL_CREDENTIALS, LOCAL_REGION } from '../libs/local-aws';
import { startChangeCaptureProxy } from '../libs/local-aws/change-capture/change-capture-proxy';
import { startDynalite } from '../libs/local-aws/dynamodb/start-dynalite';
import { BridgeProcess } from '../libs/local-stack/bridge-process';
import { writeAccountsFile } from '../libs/local-stack/demo-accounts';
import { readDeployedRuntime } from '../libs/local-stack/deployed-runtime';
import { deleteKeysWithPrefix } from '../libs/local-stack/start-local-stack';
import { assertBuilt, REPO_ROOT } from '../libs/local-stack/repo-paths';
import { createDynamoDbClient, createKinesisClient } from '../src/aws/aws-clients';
import { normaliseCandidate } from '../src/candidates/normalise-candidate.mapper';
import type { AccountConfig } from '../src/config/account.schema';
import { loadConfig } from '../src/config/load-config';
import { formatWindowParam } from '../src/connectors/http/window-params';
import { JobEnqueuer } from '../src/jobs/job-enqueuer.service';
import { CREATE_QUEUE, POLL_QUEUE } from '../src/jobs/queues';
import { ledgerKey } from '../src/ledger/batching';
import { CoverageStore } from '../src/ledger/coverage.store';
import type { PollWindow } from '../src/polling/poll-window';
import { provision } from '../src/provisioning/provision';
import type { BaselineJob, BaselineResult } from './baseline-writer';
import { RESULT_PREFIX } from './baseline-writer';
import { Cleanup } from './cleanup';
import { childPidsMatching, CpuMeter } from './cpu';
import { KinesisSink } from './kinesis-sink';
import { mib } from './format';
import { readProcMemory, readRssByMapping } from './proc-status';

export const ACCOUNT_ID = 'acme-workday';
const ACME_REQUISITIONS = ['R-10001', 'R-10007'];
const BASELINE_ENTRY = join(REPO_ROOT, 'dist/bench/baseline-writer.js');
const PROFILE_HOOK = join(REPO_ROOT, 'dist/bench/cpu-profile-hook.js');

/** Which Kinesis the change-capture proxy puts change records into. */
export type KinesisMode = 'sink' | 'local';

/** Emulated AWS of one run: dynalite behind the change-capture proxy, and a Kinesis endpoint. */
export interface PartAws {
  dynamodbEndpoint: string;
  kinesisEndpoint: string;
  /** Processes besides this one whose CPU is worth watching (kinesis-local). */
  pids: Record<string, number | undefined>;
  /** Change records the stream received, when the Kinesis side can tell. */
  changeRecords(streamName: string): number | undefined;
  stop(): Promise<void>;
}

/**
 * Fresh emulators for every run: kinesis-local (and to a lesser degree dynalite) get slower with everything they
 * hold, so sharing one instance would penalise whichever run goes later.
 */
export async function startPartAws(mode: KinesisMode): Promise<PartAws> {
  if (mode === 'local') {
    const aws = await startLocalAws();
    return {
      dynamodbEndpoint: aws.dynamodbEndpoint, kinesisEndpoint: aws.kinesisEndpoint,
      pids: { 'kinesis-local': childPidsMatching('kinesis-local')[0] },
      changeRecords: () => undefined,
      stop: () => aws.stop(),
    };
  }
  const dynalite = await startDynalite();
  const sink = await KinesisSink.start();
  const proxy = await startChangeCaptureProxy(dynalite.endpoint, sink.endpoint);
  return {
    dynamodbEndpoint: proxy.endpoint, kinesisEndpoint: sink.endpoint, pids: {},
    changeRecords: (streamName) => sink.counts(streamName).records,
    stop: async () => {
      await proxy.close();
      await sink.close();
      await dynalite.close();
    },
  };
}

/** What the three window runs share: one simulator serving one window, one accounts file. */
export interface WindowBench {
  kinesis: KinesisMode;
  simulator: AtsSimulator;
  account: AccountConfig;
  window: PollWindow;
  /** Candidates the simulator serves for the window. */
  served: number;
  /** Distinct ledger keys those candidates map to: the finish line of every run. */
  expectedItems: number;
  /** Bytes of the body the simulator sends for the window. */
  bodyBytes: number;
  /** The window's URL and headers exactly as the bridge's HTTP connector sends them. */
  request: { url: string; headers: Record<string, string> };
  /** The environment of a bridge process writing into tables of its own, named after `part`, on `aws`. */
  envFor(part: string, aws: PartAws): Record<string, string>;
  /** The simulator's candidates as JSON, for the write-limit run. */
  recordsFile: string;
}

export interface RunFigures {
  /** From the start of the poll (or fetch) until every candidate was in the ledger. */
  totalMs: number;
  written: number;
  peakRssBytes: number;
  /** Resident set size before the window, after start-up. */
  rssBeforeBytes: number;
  /** Items found in the table afterwards (Scan, Select COUNT). */
  ledgerCount: number;
  /** Change records the change capture put into the stream, when known. */
  changeRecords?: number;
  cpuMs: Record<string, number>;
  details: Array<readonly [string, string]>;
  requests?: number;
}

/** Starts the simulator and moves `candidates` candidates into one window. */
export async function startWindowBench(cleanup: Cleanup, candidates: number, streamShards: number, kinesis: KinesisMode): Promise<WindowBench> {
  assertBuilt();
  const runId = randomBytes(4).toString('hex');
  const token = `Bearer bench-${runId}`;
  const simulator = await startAtsSimulator({ requisitions: ACME_REQUISITIONS, authValue: token, seed: 1, ratePerSecond: 0, startPaused: true });
  cleanup.add('ATS simulator', () => simulator.stop());
  const accountsFile = writeAccountsFile({ 'globex-workday': { enabled: false } });
  cleanup.add('accounts file', () => accountsFile.remove());
  const tmp = mkdtempSync(join(tmpdir(), 'ats-bridge-bench-'));
  cleanup.add('temporary files', () => rmSync(tmp, { recursive: true, force: true }));
  const queuePrefix = `ats-bridge-bench-${runId}`;
  cleanup.add('Redis keys', () => deleteKeysWithPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix));

  const base: Record<string, string> = {
    NODE_ENV: 'development',
    ACCOUNTS_FILE: accountsFile.path,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: queuePrefix,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    CREATION_API_URL: 'http://127.0.0.1:9/not-used-by-the-poll-worker',
    ACME_ATS_URL: simulator.url,
    ACME_ATS_TOKEN: token,
    // globex is disabled here; its variables must still resolve.
    GLOBEX_ATS_URL: 'http://127.0.0.1:9/disabled',
    GLOBEX_ATS_TOKEN: 'disabled',
    LOG_LEVEL: 'info',
    CHANGE_STREAM_SHARDS: String(streamShards),
  };
  const envFor = (part: string, aws?: PartAws): Record<string, string> => ({
    ...base,
    DYNAMODB_ENDPOINT: aws?.dynamodbEndpoint ?? 'http://127.0.0.1:9',
    KINESIS_ENDPOINT: aws?.kinesisEndpoint ?? 'http://127.0.0.1:9',
    LEDGER_TABLE: `bench-${runId}-${part}-ledger`,
    COVERAGE_TABLE: `bench-${runId}-${part}-coverage`,
    QUARANTINE_TABLE: `bench-${runId}-${part}-quarantine`,
    CHANGE_STREAM: `bench-${runId}-${part}-changes`,
  });
  const account = loadConfig(envFor('probe')).account(ACCOUNT_ID)!;

  const before = Date.now() - 60_000;
  simulator.moveMany(candidates);
  const window: PollWindow = { fromMs: before, toMs: Math.ceil((Date.now() + 1_000) / 1000) * 1000 };
  const moved = simulator.moved();
  const keys = new Set<string>();
  for (const record of moved) {
    const result = normaliseCandidate(record, account);
    if (result.ok) keys.add(ledgerKey(result.candidate));
  }
  const recordsFile = join(tmp, 'records.json');
  writeFileSync(recordsFile, JSON.stringify(moved));

  const config = account.connector;
  const url = new URL(config.url);
  for (const [k, v] of Object.entries(config.query)) url.searchParams.set(k, v);
  url.searchParams.set(config.window.fromParam, formatWindowParam(window.fromMs, config.window.format, config.timeZone));
  url.searchParams.set(config.window.toParam, formatWindowParam(window.toMs, config.window.format, config.timeZone));
  const request = { url: url.toString(), headers: { accept: 'application/json', authorization: token } };
  const bodyBytes = await measureBody(request);

  return { kinesis, simulator, account, window, served: moved.length, expectedItems: keys.size, bodyBytes, request, envFor, recordsFile };
}

/** Creates a run's tables and change stream with the bridge's own provisioning: same schema, TTL and streaming destination. */
async function provisionTables(env: Record<string, string>): Promise<{ dynamodb: DynamoDBClient; table: string; stream: string }> {
  const config = loadConfig(env);
  const dynamodb = createDynamoDbClient(config.env, { credentials: LOCAL_CREDENTIALS });
  const kinesis = createKinesisClient(config.env, { credentials: LOCAL_CREDENTIALS });
  try {
    await provision(dynamodb, kinesis, config.env);
  } finally {
    kinesis.destroy();
  }
  return { dynamodb, table: config.env.LEDGER_TABLE, stream: config.env.CHANGE_STREAM };
}

/**
 * (a) The bridge's poll worker, as its own process, polling the window once. It runs with the image's runtime
 * settings (the peak-RSS target is about the deployed worker) unless `nodeOptions` replaces its NODE_OPTIONS;
 * `extraEnv` goes over the image's MALLOC_*.
 */
export async function runBridgeWindow(bench: WindowBench, cleanup: Cleanup, options: { profileFile?: string; nodeOptions?: string; extraEnv?: Record<string, string> } = {}): Promise<RunFigures> {
  const mark = cleanup.mark;
  const aws = await startPartAws(bench.kinesis);
  cleanup.add('emulated AWS of (a)', () => aws.stop());
  const deployed = readDeployedRuntime();
  const addedEnv = { ...deployed.mallocEnv, ...options.extraEnv };
  const env: Record<string, string> = { ...bench.envFor('bridge', aws), ROLES: 'poll-worker', ...addedEnv };
  const profileControl = options.profileFile ? `${options.profileFile}.control` : undefined;
  const nodeOptions = [options.nodeOptions ?? deployed.nodeOptions, options.profileFile ? `--require ${PROFILE_HOOK}` : undefined].filter(Boolean).join(' ');
  const nodeOptionsSource = options.nodeOptions === undefined ? "the Dockerfile's" : '--worker-node-options';
  env.NODE_OPTIONS = nodeOptions;
  if (options.profileFile) Object.assign(env, { BENCH_CPU_PROFILE_FILE: options.profileFile, BENCH_CPU_PROFILE_CONTROL: profileControl });
  const { dynamodb, table, stream } = await provisionTables(env);
  cleanup.add('bridge DynamoDB client', () => dynamodb.destroy());
  const config = loadConfig(env);
  // The scheduler starts an account's coverage before its first window; this run has no scheduler.
  await new CoverageStore(dynamodb, config).start(ACCOUNT_ID, bench.window.fromMs);

  const worker = new BridgeProcess(env, 'poll-worker');
  cleanup.add('poll worker', () => worker.stop());
  await worker.waitForLog((l) => l.msg === 'ats-bridge started', 60_000);
  const pid = worker.pid!;
  const idle = readProcMemory(pid);

  const connection = { url: env.REDIS_URL };
  const pollQueue = new Queue(POLL_QUEUE, { connection, prefix: env.QUEUE_PREFIX });
  const createQueue = new Queue(CREATE_QUEUE, { connection, prefix: env.QUEUE_PREFIX });
  cleanup.add('BullMQ queues', () => Promise.all([pollQueue.close(), createQueue.close()]));
  const enqueuer = new JobEnqueuer(pollQueue as never, createQueue as never);

  if (profileControl) {
    writeFileSync(profileControl, 'start');
    cleanup.add('profile control file', () => rmSync(profileControl, { force: true }));
    await worker.waitForLog((l) => l.msg === 'bench cpu profile started', 10_000);
  }
  let bodySentMs: number | undefined;
  let served: { status: number; count: number } | undefined;
  const onRequest = (record: { status: number; count: number }) => {
    bodySentMs ??= performance.now();
    served ??= record;
  };
  bench.simulator.events.on('request', onRequest);
  const cpu = new CpuMeter({ 'poll worker': pid, ...aws.pids });
  const failed = worker.waitForLog((l) => l.msg === 'window poll failed', 3_600_000).then((l) => {
    throw new Error(`the poll worker failed the window: ${JSON.stringify(l)}`);
  });
  failed.catch(() => undefined);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(readProcMemory(pid).rssBytes), 5_000);
  cleanup.add('RSS sampler', () => clearInterval(sampler));
  cpu.start();
  const start = performance.now();
  await enqueuer.enqueuePoll({ accountId: ACCOUNT_ID, ...bench.window });
  const polled = await Promise.race([worker.waitForLog((l) => l.msg === 'window polled' && l.accountId === ACCOUNT_ID, 15 * 60_000), failed]);
  const end = performance.now();
  const cpuMs = cpu.stop();
  const memory = readProcMemory(pid);
  const byMapping = readRssByMapping(pid);
  clearInterval(sampler);
  bench.simulator.events.off('request', onRequest);
  if (profileControl) {
    writeFileSync(profileControl, 'stop');
    await worker.waitForLog((l) => l.msg === 'bench cpu profile written', 30_000);
  }
  const ledgerCount = await countItems(dynamodb, table);
  const changeRecords = aws.changeRecords(stream);
  const usage = (msg: string) => worker.logs.find((l) => l.msg === msg)?.memory as Record<string, number> | undefined;
  const memoryUsage = [usage('bench cpu profile started'), usage('bench cpu profile written')];
  await cleanup.runFrom(mark);
  const mu = (m: Record<string, number> | undefined) =>
    m ? `rss ${(m.rss / 2 ** 20).toFixed(0)}, heapTotal ${(m.heapTotal / 2 ** 20).toFixed(0)}, heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)}, external ${(m.external / 2 ** 20).toFixed(0)}, arrayBuffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)} MiB` : 'n/a';
  return {
    changeRecords,
    totalMs: end - start,
    written: Number(polled.written),
    peakRssBytes: memory.peakRssBytes,
    rssBeforeBytes: idle.rssBytes,
    ledgerCount,
    cpuMs,
    details: [
      ['ATS request (simulator log)', served ? `HTTP ${served.status}, ${served.count.toLocaleString('en-US')} records served` : 'n/a'],
      ['body fully sent by the simulator after', bodySentMs === undefined ? 'n/a' : `${((bodySentMs - start) / 1000).toFixed(2)} s (it writes 500 records at a time and waits for 'drain')`],
      ['worker log "window polled"', `seen ${polled.seen}, written ${polled.written}, rejected ${polled.rejected}`],
      ['worker RSS at the end, by mapping', `node binary ${mib(byMapping.nodeBinary)}, anonymous (V8 heap, stacks) ${mib(byMapping.anonymous)}, malloc heap ${mib(byMapping.mallocHeap)}, other ${mib(byMapping.other)}`],
      ['worker RSS every 5 s of the run', `${rssSamples.length ? `${rssSamples.map((b) => (b / 2 ** 20).toFixed(0)).join(', ')} MiB; ` : ''}${(memory.rssBytes / 2 ** 20).toFixed(0)} MiB at the end`],
      ...(nodeOptions ? [['worker NODE_OPTIONS', `${nodeOptions} (${nodeOptionsSource})`] as const] : []),
      ...(Object.keys(addedEnv).length ? [['worker environment added', Object.entries(addedEnv).map(([k, v]) => `${k}=${v}`).join(' ')] as const] : []),
      ...(options.profileFile ? [['worker memoryUsage() before', mu(memoryUsage[0])] as const, ['worker memoryUsage() after', mu(memoryUsage[1])] as const] : []),
    ],
  };
}

/** (b) The naive baseline and (c) the write limit, each in a child process of its own. */
export async function runBaseline(bench: WindowBench, cleanup: Cleanup, kind: BaselineJob['kind']): Promise<RunFigures> {
  const part = kind === 'naive' ? 'naive' : 'limit';
  const mark = cleanup.mark;
  const aws = await startPartAws(bench.kinesis);
  cleanup.add(`emulated AWS of ${part}`, () => aws.stop());
  const env = bench.envFor(part, aws);
  const { dynamodb, table, stream } = await provisionTables(env);
  cleanup.add(`${part} DynamoDB client`, () => dynamodb.destroy());
  const job: BaselineJob = kind === 'naive'
    ? { kind, accountId: ACCOUNT_ID, url: bench.request.url, headers: bench.request.headers, concurrency: 16 }
    : { kind, accountId: ACCOUNT_ID, recordsFile: bench.recordsFile, concurrency: 4, batchSize: 25 };
  let served: { status: number; count: number } | undefined;
  const onRequest = (record: { status: number; count: number }) => (served ??= record);
  bench.simulator.events.on('request', onRequest);
  const cpu = new CpuMeter(aws.pids);
  cpu.start();
  const result = await runChild(env, job, cleanup).finally(() => bench.simulator.events.off('request', onRequest));
  const cpuMs = cpu.stop();
  cpuMs[kind === 'naive' ? 'naive baseline process' : 'write-limit process'] = result.cpuMs;
  const ledgerCount = await countItems(dynamodb, table);
  const changeRecords = aws.changeRecords(stream);
  await cleanup.runFrom(mark);
  const details: Array<readonly [string, string]> = kind === 'naive'
    ? [
        ['ATS request (simulator log)', served ? `HTTP ${served.status}, ${served.count.toLocaleString('en-US')} records served` : 'n/a'],
        ['body read', `${(result.fetchMs / 1000).toFixed(2)} s`],
        ['JSON.parse + normalise + map', `${(result.parseMs / 1000).toFixed(2)} s`],
        ['PutItem × 16 in flight', `${(result.writeMs / 1000).toFixed(2)} s (${result.requests.toLocaleString('en-US')} requests, ${result.conditionalFailures} conditional check failures)`],
      ]
    : [['BatchWriteItem requests', `${result.requests.toLocaleString('en-US')} (25 items each, 4 in flight)`]];
  return { changeRecords, totalMs: result.totalMs, written: result.written, peakRssBytes: result.peakRssBytes, rssBeforeBytes: result.rssBeforeBytes, ledgerCount, cpuMs, details, requests: result.requests };
}

async function runChild(env: Record<string, string>, job: BaselineJob, cleanup: Cleanup): Promise<BaselineResult> {
  const child = spawn(process.execPath, [BASELINE_ENTRY], { env: { PATH: process.env.PATH ?? '', ...env, BENCH_JOB: JSON.stringify(job) }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.add(`${job.kind} child process`, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let result: BaselineResult | undefined;
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as BaselineResult;
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0 || !result) throw new Error(`${job.kind} run exited with code ${code}:\n${stderr.slice(-20).join('\n')}`);
  return result;
}

/** Counts a table's items with Select COUNT scans; the finish line is checked, not assumed. */
export async function countItems(dynamodb: DynamoDBClient, table: string): Promise<number> {
  let total = 0;
  let startKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: startKey }));
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/** Reads the window once, untimed, to know its size (and to warm the simulator's code paths for every run alike). */
async function measureBody(request: { url: string; headers: Record<string, string> }): Promise<number> {
  const response = await fetch(request.url, { headers: request.headers });
  if (!response.ok) throw new Error(`the simulator answered HTTP ${response.status} to the benchmark window`);
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}
