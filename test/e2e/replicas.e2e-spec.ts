import { ACCOUNTS, startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { answeredWindows, candidateKey, completedWindows, expectCreatedExactlyOnce, gaps, iso, movedAtMs } from './e2e-helpers';

const OVERLAP_MS = 3_000;
const RUN_MS = 30_000;
const RATE = { acme: 4, globex: 3 } as const;

/** Three application processes, each running the scheduler, the poll worker and the creation worker. */
describe('three replicas share one Redis and one DynamoDB', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    const fast = { pollIntervalMs: 1_000, overlapMs: OVERLAP_MS, settleMs: 200 };
    stack = await startLocalStack({
      appInstances: 3,
      // Paused until every replica runs: a move before the first tick could precede the coverage start.
      simulators: { acme: { ratePerSecond: RATE.acme, startPaused: true }, globex: { ratePerSecond: RATE.globex, startPaused: true } },
      accountOverrides: { [ACCOUNTS.acme.id]: fast, [ACCOUNTS.globex.id]: fast },
      env: { TICK_INTERVAL_MS: '250' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('polls each window of an account once, one after the other, and creates every candidate exactly once', async () => {
    const names = ['acme', 'globex'] as const;
    for (const name of names) stack.simulators[name].resume();
    // A steady run of about RUN_MS: it ends when the slower-counted of the expected moves happened.
    await Promise.all(names.map((name) => stack.simulators[name].waitForMoves((RATE[name] * RUN_MS) / 1_000, RUN_MS + 15_000)));
    for (const name of names) stack.simulators[name].pause();

    const moved = names.flatMap((name) => stack.simulators[name].moved());
    const expected = new Set(moved.map(candidateKey));
    await stack.stub.waitForCreated(expected.size, 30_000);
    // Every account's coverage passes its last move, so the requests below include every window that matters.
    await Promise.all(
      names.map((name) => {
        const lastMoveMs = Math.max(...stack.simulators[name].moved().map(movedAtMs));
        const covered = (l: Record<string, unknown>) => l.msg === 'window polled' && l.accountId === ACCOUNTS[name].id && Date.parse(String(l.watermark)) >= lastMoveMs;
        return Promise.any(stack.apps.map((app) => app.waitForLog(covered, 15_000)));
      }),
    );
    await stack.kcl.idle();

    expectCreatedExactlyOnce(stack, expected);

    for (const name of names) {
      const accountId = ACCOUNTS[name].id;
      const requests = stack.simulators[name].requests();
      expect(requests.every((r) => r.status === 200)).toBe(true);
      const windows = answeredWindows(requests);
      const label = (w: { fromMs: number; toMs: number }) => `${iso(w.fromMs)}..${iso(w.toMs)}`;

      // No window was asked for twice.
      const seen = new Map<string, number>();
      for (const w of windows) seen.set(label(w), (seen.get(label(w)) ?? 0) + 1);
      expect({ accountId, polledTwice: [...seen.entries()].filter(([, n]) => n > 1) }).toEqual({ accountId, polledTwice: [] });

      // One at a time: each window starts exactly one overlap before the previous one ended, i.e. it was
      // planned from the coverage the previous one completed, never beside it from an older one.
      const offChain = windows.flatMap((w, i) => (i > 0 && w.fromMs !== windows[i - 1].toMs - OVERLAP_MS ? [{ previous: label(windows[i - 1]), window: label(w) }] : []));
      expect({ accountId, offChain }).toEqual({ accountId, offChain: [] });

      // Together the completed windows cover the whole run without a gap.
      const times = stack.simulators[name].moved().map(movedAtMs);
      expect(gaps(completedWindows(stack.apps, accountId), Math.min(...times), Math.max(...times))).toEqual([]);
    }

    // The work really was shared: more than one replica polled windows.
    const polling = stack.apps.filter((app) => app.logs.some((l) => l.msg === 'window polled'));
    expect(polling.length).toBeGreaterThan(1);
  }, 90_000);
});
