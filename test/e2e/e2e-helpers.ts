import { DynamoDBClient, GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { normaliseEmail, type SimCandidate, type WindowRequestRecord } from '@libs/ats-simulator';
import { freePort } from '@libs/local-aws';
import type { BridgeProcess } from '@libs/local-stack/bridge-process';
import type { LocalStack } from '@libs/local-stack/start-local-stack';

/** Helpers shared by the end-to-end tests of polling under faults (splitting, crashes, Redis loss, replicas). */

/** The campaign → assessment mapping of the demo accounts (config/accounts.demo.yaml). */
const ASSESSMENT_BY_CAMPAIGN: Record<string, string> = {
  'R-10001': 'asm-graduate-swe',
  'R-10007': 'asm-data-intern',
  'G-200': 'asm-sales-assessment',
  'G-201': 'asm-sales-assessment',
};

/** `assessmentId/normalised email`: how the ledger and the platform identify a moved candidate. */
export function candidateKey(c: SimCandidate): string {
  return `${ASSESSMENT_BY_CAMPAIGN[c.Job_Requisition_ID]}/${normaliseEmail(c.Email_Address)}`;
}

export const createdKey = (c: { assessmentId: string; email: string }) => `${c.assessmentId}/${c.email}`;

/** The instant a simulated candidate moved, as the simulator matches it against windows. */
export const movedAtMs = (c: SimCandidate) => Date.parse(c.Moved_to_Step_Moment);

/** Resolves once the stub created every one of `keys` (on its `created` event, never on a timer). */
export async function waitForCreatedKeys(stack: LocalStack, keys: Iterable<string>, timeoutMs: number): Promise<void> {
  const wanted = new Set(keys);
  const missing = () => {
    const created = new Set(stack.stub.created().map(createdKey));
    return [...wanted].filter((k) => !created.has(k));
  };
  if (missing().length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (missing().length > 0) return;
      clearTimeout(timer);
      stack.stub.events.off('created', check);
      resolve();
    };
    const timer = setTimeout(() => {
      stack.stub.events.off('created', check);
      const left = missing();
      reject(new Error(`${left.length} of ${wanted.size} candidates not created within ${timeoutMs} ms (${stack.stub.created().length} created, ${stack.stub.calls().length} calls)`));
    }, timeoutMs);
    stack.stub.events.on('created', check);
  });
}

/**
 * Every candidate in `expected` was created exactly once and nothing else was: one 201 per candidate, and every
 * call for one candidate carried the same Idempotency-Key.
 */
export function expectCreatedExactlyOnce(stack: LocalStack, expected: ReadonlySet<string>): void {
  const created = stack.stub.created();
  expect(created).toHaveLength(expected.size);
  expect(new Set(created.map(createdKey))).toEqual(expected);
  const successes = new Map<string, number>();
  const keys = new Map<string, Set<string | undefined>>();
  for (const call of stack.stub.calls()) {
    const k = createdKey(call.body as { assessmentId: string; email: string });
    if (call.status === 201) successes.set(k, (successes.get(k) ?? 0) + 1);
    keys.set(k, (keys.get(k) ?? new Set()).add(call.idempotencyKey));
  }
  expect([...successes.entries()].filter(([, n]) => n > 1)).toEqual([]);
  expect([...keys.entries()].filter(([, ks]) => ks.size > 1)).toEqual([]);
}

function dynamoDb(stack: LocalStack): DynamoDBClient {
  return new DynamoDBClient({ endpoint: stack.env.DYNAMODB_ENDPOINT, region: stack.aws.region, credentials: stack.aws.credentials });
}

export interface StoredCoverageItem {
  watermarkMs: number;
  completed: [number, number][];
  version: number;
}

/** The account's coverage item, read straight from the coverage table (not through the product's code). */
export async function readCoverage(stack: LocalStack, accountId: string): Promise<StoredCoverageItem | undefined> {
  const client = dynamoDb(stack);
  try {
    const { Item } = await client.send(new GetItemCommand({ TableName: stack.env.COVERAGE_TABLE, Key: { accountId: { S: accountId } }, ConsistentRead: true }));
    if (Item?.watermarkMs?.N === undefined) return undefined;
    return { watermarkMs: Number(Item.watermarkMs.N), completed: JSON.parse(Item.completed?.S ?? '[]') as [number, number][], version: Number(Item.version?.N ?? 0) };
  } finally {
    client.destroy();
  }
}

/** Every `assessmentId/email` in the ledger table. */
export async function scanLedgerKeys(stack: LocalStack): Promise<Set<string>> {
  const client = dynamoDb(stack);
  const keys = new Set<string>();
  try {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: stack.env.LEDGER_TABLE, ProjectionExpression: 'assessmentId, email', ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) keys.add(`${item.assessmentId.S}/${item.email.S}`);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  } finally {
    client.destroy();
  }
}

export interface Window {
  fromMs: number;
  toMs: number;
}

/** The windows the simulator answered with `status` (default 200), oldest first. */
export function answeredWindows(requests: WindowRequestRecord[], status = 200): (Window & { count: number; atMs: number })[] {
  return requests
    .filter((r) => r.status === status && r.from && r.to)
    .map((r) => ({ fromMs: r.from!.getTime(), toMs: r.to!.getTime(), count: r.count, atMs: r.at.getTime() }));
}

/** The windows an application process recorded as completed ('window polled' log lines) for an account. */
export function completedWindows(apps: BridgeProcess[], accountId: string): Window[] {
  return apps.flatMap((app) =>
    app.logs
      .filter((l) => l.msg === 'window polled' && l.accountId === accountId)
      .map((l) => ({ fromMs: Date.parse(String(l.from)), toMs: Date.parse(String(l.to)) })),
  );
}

/**
 * The parts of `[startMs, endMs]` no window covers. Windows are closed intervals: two windows cover a range
 * together only if they share an instant, as the bridge's coverage arithmetic assumes.
 */
export function gaps(windows: Window[], startMs: number, endMs: number): Window[] {
  const found: Window[] = [];
  let reach = startMs;
  for (const w of [...windows].sort((a, b) => a.fromMs - b.fromMs)) {
    if (w.fromMs > reach) found.push({ fromMs: reach, toMs: w.fromMs });
    reach = Math.max(reach, w.toMs);
  }
  if (reach < endMs) found.push({ fromMs: reach, toMs: endMs });
  return found;
}

/** Resolves with the next log line of `app` that matches, ignoring lines already logged. */
export function nextLog(app: BridgeProcess, match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onLog = (line: Record<string, unknown>) => {
      if (!match(line)) return;
      clearTimeout(timer);
      app.events.off('log', onLog);
      resolve(line);
    };
    const timer = setTimeout(() => {
      app.events.off('log', onLog);
      reject(new Error(`${app.name}: no new matching log line within ${timeoutMs} ms; last lines:\n${app.tail()}`));
    }, timeoutMs);
    app.events.on('log', onLog);
  });
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A redis-server of this test alone, on a free port, with no persistence: it may be flushed at will. */
export interface PrivateRedis {
  url: string;
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  let lastError: Error | undefined;
  // freePort leaves a short window in which another process can take the port: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', tmpdir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    // 'error' (e.g. no redis-server on PATH) rejects once(); it then counts as exited.
    const exited = once(child, 'exit').catch(() => undefined);
    const output: string[] = [];
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          output.push(line);
          if (line.includes('Ready to accept connections')) (clearTimeout(timer), resolve(true));
        });
      }
      void exited.then(() => (clearTimeout(timer), resolve(false)));
    });
    if (await ready) {
      const url = `redis://127.0.0.1:${port}`;
      let stopping: Promise<void> | undefined;
      return {
        url,
        async flushAll() {
          const redis = new Redis(url);
          try {
            await redis.flushall();
          } finally {
            redis.disconnect();
          }
        },
        stop: () =>
          (stopping ??= (async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
              await exited;
              clearTimeout(timer);
            }
            process.off('exit', killOnExit);
          })()),
      };
    }
    child.kill('SIGKILL');
    await exited;
    process.off('exit', killOnExit);
    lastError = new Error(`redis-server on port ${port} did not start:\n${output.slice(-10).join('\n')}`);
  }
  throw lastError;
}

/** Resolves once the stub created the candidate with this email, from its events; `explain` adds to the timeout error. */
export function waitForCreatedEmail(stack: LocalStack, email: string, explain: () => string = () => '', timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stack.stub.created().some((c) => c.email === email)) return resolve();
    const timer = setTimeout(() => (stack.stub.events.off('created', onCreated), reject(new Error(`${email} was not created within ${timeoutMs} ms${explain()}`))), timeoutMs);
    const onCreated = (c: { email: string }) => c.email === email && (clearTimeout(timer), stack.stub.events.off('created', onCreated), resolve());
    stack.stub.events.on('created', onCreated);
  });
}
