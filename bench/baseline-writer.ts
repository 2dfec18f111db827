/**
 * Child-process entry of the benchmark's reference runs, so that their memory and CPU are measured apart from
 * the emulators (which run in the benchmark's own process) exactly like the bridge's poll worker is:
 *
 * - `naive`: fetch the window, read the whole body, JSON.parse, one conditional PutItem per candidate, 16 in flight.
 * - `batch`: the write limit: ledger items built in memory beforehand, BatchWriteItem 25 per request, N in flight.
 *
 * Both use the bridge's own DynamoDB client factory, normaliser and ledger item mapper, so the only difference
 * to the bridge is how the window is read and written. The job comes in BENCH_JOB (JSON); the result goes to
 * stdout as one line `BENCH_RESULT {json}`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteItemCommand, ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../src/aws/aws-clients';
import { normaliseCandidate } from '../src/candidates/normalise-candidate.mapper';
import type { AccountConfig } from '../src/config/account.schema';
import { loadConfig } from '../src/config/load-config';
import { toLedgerItem, type LedgerItem } from '../src/ledger/ledger-item.mapper';
import { readProcMemory } from './proc-status';

export type BaselineJob =
  | { kind: 'naive'; accountId: string; url: string; headers: Record<string, string>; concurrency: number }
  | { kind: 'batch'; accountId: string; recordsFile: string; concurrency: number; batchSize: number };

export interface BaselineResult {
  kind: BaselineJob['kind'];
  /** Ledger items written. */
  written: number;
  rejected: number;
  /** Conditional puts refused because the item existed (counted as done). */
  conditionalFailures: number;
  /** Requests sent to DynamoDB, including resubmissions of UnprocessedItems. */
  requests: number;
  /** From the start of the timed work until the last write returned. */
  totalMs: number;
  /** naive: body fully read; batch: 0. */
  fetchMs: number;
  /** naive: JSON.parse + normalise + map; batch: 0 (done before the clock started). */
  parseMs: number;
  writeMs: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  /** CPU time (user + system) this process used during the timed work. */
  cpuMs: number;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? 'null') as BaselineJob | null;
  if (!job) throw new Error('BENCH_JOB is not set');
  const config = loadConfig(process.env);
  const account = config.account(job.accountId);
  if (!account) throw new Error(`account ${job.accountId} is not in ${config.env.ACCOUNTS_FILE}`);
  const dynamodb = createDynamoDbClient(config.env);
  const context = { dynamodb, table: config.env.LEDGER_TABLE, ttlDays: config.env.LEDGER_TTL_DAYS, account };
  try {
    const result = job.kind === 'naive' ? await naive(context, job) : await batch(context, job);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    dynamodb.destroy();
  }
}

interface Context {
  dynamodb: DynamoDBClient;
  table: string;
  ttlDays: number;
  account: AccountConfig;
}

function toItems(records: readonly unknown[], context: Context): { items: LedgerItem[]; rejected: number } {
  const items: LedgerItem[] = [];
  let rejected = 0;
  for (const record of records) {
    const normalised = normaliseCandidate(record, context.account);
    if (normalised.ok) items.push(toLedgerItem(normalised.candidate, context.ttlDays));
    else rejected++;
  }
  return { items, rejected };
}

async function naive(context: Context, job: Extract<BaselineJob, { kind: 'naive' }>): Promise<BaselineResult> {
  const rssBeforeBytes = readProcMemory('self').rssBytes;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const response = await fetch(job.url, { headers: job.headers });
  if (!response.ok) throw new Error(`the ATS answered HTTP ${response.status}`);
  const text = await response.text();
  const fetched = performance.now();
  const body = JSON.parse(text) as { Report_Entry?: unknown[] };
  if (!Array.isArray(body.Report_Entry)) throw new Error('the body has no Report_Entry array');
  const { items, rejected } = toItems(body.Report_Entry, context);
  const parsed = performance.now();
  let next = 0;
  let conditionalFailures = 0;
  let requests = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      requests++;
      try {
        await context.dynamodb.send(new PutItemCommand({ TableName: context.table, Item: item, ConditionExpression: 'attribute_not_exists(email)' }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        conditionalFailures++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const end = performance.now();
  return {
    kind: 'naive', written: items.length - conditionalFailures, rejected, conditionalFailures, requests,
    totalMs: end - start, fetchMs: fetched - start, parseMs: parsed - fetched, writeMs: end - parsed,
    rssBeforeBytes, peakRssBytes: readProcMemory('self').peakRssBytes, cpuMs: cpuMsSince(cpuStart),
  };
}

async function batch(context: Context, job: Extract<BaselineJob, { kind: 'batch' }>): Promise<BaselineResult> {
  // Built before the clock starts: this run measures the write path alone.
  const { items, rejected } = toItems(JSON.parse(readFileSync(job.recordsFile, 'utf8')) as unknown[], context);
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += job.batchSize) batches.push(items.slice(i, i + job.batchSize).map((Item) => ({ PutRequest: { Item } })));
  const rssBeforeBytes = readProcMemory('self').rssBytes;
  let next = 0;
  let requests = 0;
  const lane = async () => {
    while (next < batches.length) {
      let pending = batches[next++];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
        requests++;
        const result = await context.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [context.table]: pending } }));
        pending = result.UnprocessedItems?.[context.table] ?? [];
      }
    }
  };
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const end = performance.now();
  return {
    kind: 'batch', written: items.length, rejected, conditionalFailures: 0, requests,
    totalMs: end - start, fetchMs: 0, parseMs: 0, writeMs: end - start,
    rssBeforeBytes, peakRssBytes: readProcMemory('self').peakRssBytes, cpuMs: cpuMsSince(cpuStart),
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`baseline writer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
