import type { FailureWindow } from '@libs/ats-simulator';
import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { answeredWindows, candidateKey, expectCreatedExactlyOnce, iso, movedAtMs, readCoverage } from './e2e-helpers';

const ACCOUNT = 'acme-workday';
/** The simulated ATS fails (HTTP 500) every window that would hold more than this many candidates. */
const K = 10;
const MOVES = 60;
const MOVE_SPACING_MS = 1_000;
const MIN_WINDOW_MS = 1_000;

/** The two halves the bridge splits a window into (they share the middle instant). */
const halves = (w: { fromMs: number; toMs: number }) => {
  const middle = w.fromMs + Math.floor((w.toMs - w.fromMs) / 2);
  return [{ fromMs: w.fromMs, toMs: middle }, { fromMs: middle, toMs: w.toMs }];
};
const sameWindow = (a: { fromMs: number; toMs: number }, b: { fromMs: number; toMs: number }) => a.fromMs === b.fromMs && a.toMs === b.toMs;

describe('a window the ATS cannot answer whole is split until every piece is answered', () => {
  let stack: LocalStack;
  /** Where the account's coverage starts: the 60 moves are backdated into the minute after it. */
  let startAtMs: number;

  beforeAll(async () => {
    startAtMs = Math.floor(Date.now() / 1_000) * 1_000 - (MOVES + 10) * MOVE_SPACING_MS;
    stack = await startLocalStack({
      // No bridge yet: the moves must all be in the ATS before the first window is polled.
      appInstances: 0,
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: {
        [ACCOUNT]: { pollIntervalMs: 1_000, overlapMs: 1_000, settleMs: 200, minWindowMs: MIN_WINDOW_MS, startAt: iso(startAtMs) },
        'globex-workday': { enabled: false },
      },
      env: { TICK_INTERVAL_MS: '250' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates each of 60 candidates once although every window holding more than 10 fails, and moves coverage past them', async () => {
    const sim = stack.simulators.acme;
    const consulted: FailureWindow[] = [];
    sim.setFailure((window) => {
      consulted.push(window);
      return window.count > K ? { status: 500, body: 'report exceeded the server limit' } : undefined;
    });
    const moved = Array.from({ length: MOVES }, (_, i) => sim.moveNow({ Moved_to_Step_Moment: iso(startAtMs + (i + 1) * MOVE_SPACING_MS) }));
    const lastMoveMs = Math.max(...moved.map(movedAtMs));
    const expected = new Set(moved.map(candidateKey));

    const app = await stack.startApp();
    await stack.stub.waitForCreated(MOVES, 75_000);
    await app.waitForLog((l) => l.msg === 'window polled' && l.accountId === ACCOUNT && Date.parse(String(l.watermark)) >= lastMoveMs, 15_000);
    await stack.kcl.idle();

    // Exactly once each, though overlapping windows and split pieces re-read many of them.
    expectCreatedExactlyOnce(stack, expected);

    // The first window held all 60 and failed; a split really happened.
    const requests = sim.requests();
    const failed = answeredWindows(requests, 500);
    const answered = answeredWindows(requests, 200);
    expect(failed.length).toBeGreaterThan(0);
    const countOf = (w: { fromMs: number; toMs: number }) => consulted.find((c) => c.from.getTime() === w.fromMs && c.to.getTime() === w.toMs)!.count;
    expect(countOf(failed[0])).toBe(MOVES);
    expect(failed.every((w) => countOf(w) > K)).toBe(true);
    expect(app.logs.filter((l) => l.msg === 'splitting the window in two' && l.accountId === ACCOUNT).length).toBeGreaterThan(0);

    // Successively narrower: every window that failed is later asked for as its two halves, and pieces go
    // down several levels (60 → 30 → 15 → ≤ 10 candidates), never below minWindowMs.
    const distinctFailed = failed.filter((w, i) => failed.findIndex((o) => sameWindow(o, w)) === i);
    for (const parent of distinctFailed) {
      const lastFailure = Math.max(...failed.filter((w) => sameWindow(w, parent)).map((w) => requests.findIndex((r) => r.status === 500 && r.from?.getTime() === w.fromMs && r.to?.getTime() === w.toMs && r.at.getTime() === w.atMs)));
      for (const half of halves(parent)) {
        const later = requests.slice(lastFailure + 1).some((r) => r.from?.getTime() === half.fromMs && r.to?.getTime() === half.toMs);
        expect({ parent: [iso(parent.fromMs), iso(parent.toMs)], half: [iso(half.fromMs), iso(half.toMs)], requestedLater: later }).toMatchObject({ requestedLater: true });
      }
    }
    const widest = failed[0].toMs - failed[0].fromMs;
    const failedWidths = new Set(distinctFailed.map((w) => w.toMs - w.fromMs));
    expect(failedWidths.size).toBeGreaterThanOrEqual(3);
    expect(Math.min(...failedWidths)).toBeLessThanOrEqual(Math.ceil(widest / 4));
    const pieces = distinctFailed.flatMap(halves);
    expect(pieces.every((w) => w.toMs - w.fromMs >= MIN_WINDOW_MS)).toBe(true);
    // No answered window served more than the ATS allows; every move was inside some answered window.
    expect(answered.every((w) => w.count <= K)).toBe(true);
    expect(moved.filter((c) => !answered.some((w) => w.fromMs <= movedAtMs(c) && movedAtMs(c) <= w.toMs))).toEqual([]);
    expect(app.logs.filter((l) => l.kind === 'PATHOLOGICAL_WINDOW')).toEqual([]);

    // The stored coverage moved past every move.
    const coverage = await readCoverage(stack, ACCOUNT);
    expect(coverage!.watermarkMs).toBeGreaterThanOrEqual(lastMoveMs);
  }, 90_000);
});
