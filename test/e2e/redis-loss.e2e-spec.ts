import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import {
  answeredWindows, candidateKey, completedWindows, createdKey, gaps, iso, movedAtMs, nextLog, readCoverage, scanLedgerKeys, startPrivateRedis,
  waitForCreatedKeys, type PrivateRedis,
} from './e2e-helpers';

const ACCOUNT = 'acme-workday';
const OVERLAP_MS = 2_000;

/**
 * Redis holds only queues and counters; coverage lives in DynamoDB. This test empties Redis for real, so it
 * runs the stack on a redis-server of its own (the shared one must never be flushed).
 */
describe('Redis is emptied while the bridge runs', () => {
  let redis: PrivateRedis;
  let stack: LocalStack;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    stack = await startLocalStack({
      redisUrl: redis.url,
      simulators: { acme: { ratePerSecond: 4, startPaused: true }, globex: { startPaused: true } },
      accountOverrides: {
        [ACCOUNT]: { pollIntervalMs: 1_000, overlapMs: OVERLAP_MS, settleMs: 200 },
        'globex-workday': { enabled: false },
      },
      env: { TICK_INTERVAL_MS: '250' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  }, 60_000);

  it('resumes polling from the coverage in DynamoDB, with no gap, and loses no candidate from the ledger', async () => {
    const sim = stack.simulators.acme;
    const app = stack.apps[0];
    sim.resume();
    await stack.stub.waitForCreated(20, 30_000);

    // Flush right after a window completed, when no other window of the account is due for about a second.
    const polled = await nextLog(app, (l) => l.msg === 'window polled' && l.accountId === ACCOUNT, 10_000);
    const watermarkBefore = (await readCoverage(stack, ACCOUNT))!.watermarkMs;
    const requestsBefore = sim.requests().length;
    const movedBefore = sim.movedCount;
    const windowsPolledBefore = await stack.stats('windows_polled');
    await redis.flushAll();
    const flushedAtMs = Date.now();
    expect(watermarkBefore).toBe(Date.parse(String(polled.watermark)));
    // The stack's Redis really was emptied: its counters start again from nothing.
    expect(await stack.stats('windows_polled')).toBeLessThan(windowsPolledBefore);

    // Keep moving for a while after the flush, then stop and let the bridge catch up.
    await sim.waitForMoves(movedBefore + 30, 30_000);
    sim.pause();
    const moved = sim.moved();
    const lastMoveMs = Math.max(...moved.map(movedAtMs));
    const before = moved.filter((c) => movedAtMs(c) <= flushedAtMs);
    const after = moved.filter((c) => movedAtMs(c) > flushedAtMs);
    expect(before.length).toBeGreaterThan(20);
    expect(after.length).toBeGreaterThanOrEqual(20);

    await waitForCreatedKeys(stack, after.map(candidateKey), 40_000);
    await app.waitForLog((l) => l.msg === 'window polled' && l.accountId === ACCOUNT && Date.parse(String(l.watermark)) >= lastMoveMs, 20_000);
    await stack.kcl.idle();

    // The first window asked for after the flush starts from the stored watermark, overlap included.
    const [firstAfter] = answeredWindows(sim.requests().slice(requestsBefore));
    expect(iso(firstAfter.fromMs)).toBe(iso(watermarkBefore - OVERLAP_MS));

    // Every candidate moved before the flush is in the ledger (their creation jobs may have been in Redis
    // and are lost until a reconciliation sweep exists); every one moved after it is created, exactly once.
    const ledger = await scanLedgerKeys(stack);
    expect(before.map(candidateKey).filter((k) => !ledger.has(k))).toEqual([]);
    expect(after.map(candidateKey).filter((k) => !ledger.has(k))).toEqual([]);
    const createdAfter = stack.stub.created().filter((c) => after.some((m) => candidateKey(m) === createdKey(c)));
    expect(createdAfter).toHaveLength(after.length);
    expect(stack.stub.calls().filter((c) => c.status === 201)).toHaveLength(stack.stub.created().length);

    // The completed windows leave no gap from the first to the last move, across the flush.
    const firstMoveMs = Math.min(...moved.map(movedAtMs));
    expect(gaps(completedWindows(stack.apps, ACCOUNT), firstMoveMs, lastMoveMs).map((g) => [iso(g.fromMs), iso(g.toMs)])).toEqual([]);
    expect((await readCoverage(stack, ACCOUNT))!.watermarkMs).toBeGreaterThanOrEqual(lastMoveMs);
  }, 90_000);
});
