import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { answeredWindows, candidateKey, expectCreatedExactlyOnce, iso, scanLedgerKeys } from './e2e-helpers';

const ACCOUNT = 'acme-workday';
const MOVES = 3_000;

/**
 * Stalled-job detection decides when the killed process's poll job (and its creation jobs) run again: with
 * BullMQ's defaults (30 s lock, 30 s stalled check) that is 30–60 s after the kill, too slow for this test.
 */
const FAST_STALL_DETECTION = { WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '2000' };

describe('the application process dies in the middle of a window', () => {
  let stack: LocalStack;
  let startAtMs: number;

  beforeAll(async () => {
    startAtMs = Date.now() - 10_000;
    stack = await startLocalStack({
      appInstances: 0,
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: {
        [ACCOUNT]: { pollIntervalMs: 1_000, overlapMs: 1_000, settleMs: 200, startAt: iso(startAtMs) },
        'globex-workday': { enabled: false },
      },
      env: { TICK_INTERVAL_MS: '250', ...FAST_STALL_DETECTION },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates every candidate of the window exactly once after SIGKILL mid-write and a new process', async () => {
    const sim = stack.simulators.acme;
    // All 3,000 in the first window, spread over 3 s after the coverage start.
    const moved = Array.from({ length: MOVES }, (_, i) => sim.moveNow({ Moved_to_Step_Moment: iso(startAtMs + 1_000 + i) }));
    const expected = new Set(moved.map(candidateKey));

    // One BatchWriteItem at a time, so the window's writes take long enough to be interrupted.
    const firstRecords = stack.kcl.waitFor('processRecordsDone', (e) => e.count > 0, 30_000);
    const doomed = await stack.startApp({ LEDGER_WRITE_CONCURRENCY: '1' });
    await firstRecords;
    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    await doomed.stop(); // only waits for the exit: a killed process gets nothing more

    // The kill really hit the window's writes: some, not all, of its candidates were in the ledger.
    const inLedgerAtKill = (await scanLedgerKeys(stack)).size;
    expect(inLedgerAtKill).toBeGreaterThan(0);
    expect(inLedgerAtKill).toBeLessThan(MOVES);
    const [killedWindow] = answeredWindows(sim.requests());
    expect(killedWindow.count).toBe(MOVES);

    await stack.startApp();
    await stack.stub.waitForCreated(MOVES, 60_000);
    const recoveredAfterMs = Date.now() - killedAt;
    await stack.kcl.idle();

    expectCreatedExactlyOnce(stack, expected);
    expect(await scanLedgerKeys(stack)).toEqual(expected);
    // The same window was polled again (the stalled job, retried), not skipped.
    const again = answeredWindows(sim.requests()).filter((w) => w.fromMs === killedWindow.fromMs && w.toMs === killedWindow.toMs);
    expect(again.length).toBeGreaterThanOrEqual(2);
    process.stderr.write(`poll-worker-crash: ${inLedgerAtKill} of ${MOVES} in the ledger at the kill; window re-polled ${again[1].atMs - killedAt} ms and all created ${recoveredAfterMs} ms after it; ${stack.stub.calls().filter((c) => c.status === 409).length} calls answered 409\n`);
  }, 90_000);
});
