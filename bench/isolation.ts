import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { normaliseEmail, type SimCandidate } from '../libs/ats-simulator';
import type { CreatedCandidate } from '../libs/creation-api-stub';
import { ACCOUNTS, startLocalStack } from '../libs/local-stack/start-local-stack';
import { loadConfig } from '../src/config/load-config';
import { idempotencyKey } from '../src/creation/idempotency-key';
import { CREATE_QUEUE } from '../src/jobs/queues';
import type { Cleanup } from './cleanup';
import { percentile } from './format';

export interface IsolationOptions {
  /** Candidates acme moves at once. */
  burst: number;
  /** globex's steady rate, candidates per second. */
  steadyRatePerSecond: number;
  /** Longest the burst may run (ingest and creation of acme's candidates) before the measurement ends. */
  budgetMs: number;
  /** Quiet period before the burst, to measure globex's latency without it. */
  warmupMs: number;
}

export interface LatencyFigures {
  /** Candidates moved in the period. */
  moved: number;
  /** Move → the globex window covering it was in the ledger ("window polled"), p50 and max. */
  toLedger?: { p50Ms?: number; maxMs?: number };
  /** That window in the ledger → created at the stub (change stream, stream processor, create queue, creation worker). */
  ledgerToCreated?: { p50Ms?: number; maxMs?: number };
  /** That window in the ledger → its create job in Redis (change capture, Kinesis, KCL, stream processor). */
  ledgerToQueued?: { p50Ms?: number; maxMs?: number };
  /** Create job in Redis → created at the stub (queue wait behind other jobs, creation worker, HTTP call). */
  queuedToCreated?: { p50Ms?: number; maxMs?: number };
  /** Of those, created at the stub by the end of the measurement. */
  created: number;
  p50Ms?: number;
  maxMs?: number;
  /** The longest wait of a candidate that was not created by the end: a lower bound of its latency. */
  pendingForMs?: number;
}

export interface IsolationResult {
  burst: number;
  globexPollIntervalMs: number;
  acmePollIntervalMs: number;
  before: LatencyFigures;
  during: LatencyFigures;
  /** Burst start → acme's window with the burst was in the ledger ("window polled"). */
  acmeIngestMs?: number;
  /** Burst start → the last of acme's burst candidates was created at the stub (undefined: not within the budget). */
  acmeCreatedMs?: number;
  acmeCreatedByEnd: number;
  /** Burst period measured: burst start until acme's creations drained or the budget ran out. */
  burstPeriodMs: number;
  /** Longest gap between two completed globex windows during the burst period. */
  globexMaxWindowGapMs?: number;
  globexWindowsDuringBurst: number;
  stubCreated: number;
  stubCalls: number;
  stubConflicts: number;
  wallMs: number;
}

const ACME = ACCOUNTS.acme.id;
const GLOBEX = ACCOUNTS.globex.id;

/**
 * The whole local stack (demo accounts, bridge with every role, stream processor under the emulated KCL daemon,
 * creation-API stub). globex moves candidates steadily; acme moves `burst` at once. Measures globex's
 * move → created latency before and during acme's burst, against 2 × globex's poll interval.
 */
export async function runIsolation(cleanup: Cleanup, options: IsolationOptions): Promise<IsolationResult> {
  const started = performance.now();
  const mark = cleanup.mark;
  const stack = await startLocalStack({
    simulators: { acme: { startPaused: true }, globex: { ratePerSecond: options.steadyRatePerSecond } },
    env: { LOG_LEVEL: 'info' },
  });
  cleanup.add('local stack', () => stack.stop());
  try {
    const config = loadConfig(stack.env);
    const globexPollIntervalMs = config.account(GLOBEX)!.pollIntervalMs;
    const acmePollIntervalMs = config.account(ACME)!.pollIntervalMs;

    const movedAt = new Map<string, number>();
    stack.simulators.globex.events.on('moved', (c: SimCandidate) => movedAt.set(normaliseEmail(c.Email_Address), Date.parse(c.Moved_to_Step_Moment)));
    const createdAt = new Map<string, number>();
    let acmeCreated = 0;
    let acmeLastCreatedAt = 0;
    stack.stub.events.on('created', (c: CreatedCandidate) => {
      if (c.accountId === GLOBEX) createdAt.set(c.email, c.createdAt.getTime());
      else if (c.accountId === ACME) {
        acmeCreated++;
        acmeLastCreatedAt = c.createdAt.getTime();
      }
    });
    const globexWindows: number[] = [];
    /** Completed globex windows: end of the window and when it was in the ledger. */
    const globexPolled: Array<{ toMs: number; atMs: number }> = [];
    let acmeIngestedAt: number | undefined;
    let burstAt = Number.POSITIVE_INFINITY;
    const app = stack.apps[0];
    app.events.on('log', (line: Record<string, unknown>) => {
      if (line.msg !== 'window polled') return;
      const at = Date.parse(String(line.time));
      if (line.accountId === GLOBEX) {
        globexWindows.push(at);
        globexPolled.push({ toMs: Date.parse(String(line.to)), atMs: at });
      }
      if (line.accountId === ACME && at >= burstAt && Number(line.seen) >= options.burst) acmeIngestedAt ??= at;
    });

    // Before the burst: globex alone.
    const warmupStart = Date.now();
    await sleep(options.warmupMs);
    const warmupEnd = Date.now();

    burstAt = Date.now();
    stack.simulators.acme.moveMany(options.burst);
    const deadline = burstAt + options.budgetMs;
    while (Date.now() < deadline && acmeCreated < options.burst) await sleep(250);
    const burstEnd = Date.now();
    // The candidates of the burst period are fixed now; give the stragglers at most two poll intervals more.
    stack.simulators.globex.pause();
    const duringEmails = [...movedAt].filter(([, at]) => at >= burstAt && at <= burstEnd).map(([email]) => email);
    const graceEnd = Date.now() + 2 * globexPollIntervalMs + 5_000;
    while (Date.now() < graceEnd && duringEmails.some((e) => !createdAt.has(e))) await sleep(250);
    const end = Date.now();

    // When each globex candidate's create job entered Redis (the job id is the idempotency key).
    const queuedAt = new Map<string, number>();
    const createQueue = new Queue(CREATE_QUEUE, { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.QUEUE_PREFIX });
    try {
      const assessmentId = config.account(GLOBEX)!.campaigns;
      for (const email of [...movedAt.keys()].filter((e) => createdAt.has(e))) {
        for (const id of new Set(Object.values(assessmentId))) {
          const job = await createQueue.getJob(idempotencyKey({ assessmentId: id, email }));
          if (job) queuedAt.set(email, job.timestamp);
        }
      }
    } finally {
      await createQueue.close();
    }

    const figures = (emails: string[]): LatencyFigures => {
      const latencies = emails.filter((e) => createdAt.has(e)).map((e) => createdAt.get(e)! - movedAt.get(e)!).sort((a, b) => a - b);
      const pending = emails.filter((e) => !createdAt.has(e)).map((e) => end - movedAt.get(e)!);
      // The first completed window reaching the move: a window's end may round outwards, so compare with its end.
      const polledAt = (e: string) => globexPolled.filter((w) => w.toMs >= movedAt.get(e)!).reduce<number | undefined>((min, w) => (min === undefined || w.atMs < min ? w.atMs : min), undefined);
      const split = emails.filter((e) => createdAt.has(e) && polledAt(e) !== undefined).map((e) => ({ toLedger: polledAt(e)! - movedAt.get(e)!, onward: createdAt.get(e)! - polledAt(e)! }));
      const stat = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return { p50Ms: percentile(sorted, 50), maxMs: sorted.at(-1) };
      };
      const queued = emails.filter((e) => createdAt.has(e) && queuedAt.has(e) && polledAt(e) !== undefined);
      return {
        ledgerToQueued: queued.length ? stat(queued.map((e) => queuedAt.get(e)! - polledAt(e)!)) : undefined,
        queuedToCreated: queued.length ? stat(queued.map((e) => createdAt.get(e)! - queuedAt.get(e)!)) : undefined,
        toLedger: split.length ? stat(split.map((x) => x.toLedger)) : undefined,
        ledgerToCreated: split.length ? stat(split.map((x) => x.onward)) : undefined,
        moved: emails.length, created: latencies.length, p50Ms: percentile(latencies, 50), maxMs: latencies.at(-1),
        pendingForMs: pending.length ? Math.max(...pending) : undefined,
      };
    };
    const beforeEmails = [...movedAt].filter(([, at]) => at >= warmupStart + globexPollIntervalMs && at < warmupEnd).map(([email]) => email);
    const windowsDuring = globexWindows.filter((at) => at >= burstAt && at <= burstEnd);
    const gaps = [burstAt, ...windowsDuring, burstEnd].slice(1).map((at, i, list) => at - (i === 0 ? burstAt : list[i - 1]));
    const calls = stack.stub.calls();
    return {
      burst: options.burst, globexPollIntervalMs, acmePollIntervalMs,
      before: figures(beforeEmails), during: figures(duringEmails),
      acmeIngestMs: acmeIngestedAt === undefined ? undefined : acmeIngestedAt - burstAt,
      acmeCreatedMs: acmeCreated >= options.burst ? acmeLastCreatedAt - burstAt : undefined,
      acmeCreatedByEnd: acmeCreated,
      burstPeriodMs: burstEnd - burstAt,
      globexMaxWindowGapMs: gaps.length ? Math.max(...gaps) : undefined,
      globexWindowsDuringBurst: windowsDuring.length,
      stubCreated: stack.stub.created().length,
      stubCalls: calls.length,
      stubConflicts: calls.filter((c) => c.status === 409).length,
      wallMs: performance.now() - started,
    };
  } finally {
    await cleanup.runFrom(mark);
  }
}
