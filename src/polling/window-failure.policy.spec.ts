import { decideOnFailure, pollRetryDelayMs } from './window-failure.policy';

describe(decideOnFailure.name, () => {
  const base = { permanent: false, attemptsMade: 0, window: { fromMs: 0, toMs: 600_000 }, minWindowMs: 60_000, splitAfterAttempts: 2 };

  it('stops the account on a permanent failure', () => {
    expect(decideOnFailure({ ...base, code: 'CONNECTOR.AUTH_REJECTED', permanent: true })).toEqual({ kind: 'stop-account' });
  });

  it('retries a splittable failure once, then splits', () => {
    expect(decideOnFailure({ ...base, code: 'CONNECTOR.TIMEOUT' })).toEqual({ kind: 'retry' });
    expect(decideOnFailure({ ...base, code: 'CONNECTOR.TIMEOUT', attemptsMade: 1 })).toEqual({ kind: 'split' });
  });

  it('retries a small window normally first, then with long backoff when a half would be narrower than minWindow', () => {
    const small = { ...base, code: 'CONNECTOR.SERVER_ERROR', window: { fromMs: 0, toMs: 100_000 } };
    expect(decideOnFailure({ ...small, attemptsMade: 0 })).toEqual({ kind: 'retry' });
    expect(decideOnFailure({ ...small, attemptsMade: 1 })).toEqual({ kind: 'retry-pathological' });
    expect(decideOnFailure({ ...small, attemptsMade: 5 })).toEqual({ kind: 'retry-pathological' });
  });

  it('only retries what a smaller window cannot cure', () => {
    for (const code of ['CONNECTOR.RATE_LIMITED', 'CONNECTOR.RESPONSE_NOT_JSON', 'CONNECTOR.RECORDS_PATH_MISSING', 'LEDGER.THROTTLED'])
      expect(decideOnFailure({ ...base, code, attemptsMade: 3 })).toEqual({ kind: 'retry' });
  });
});

describe(pollRetryDelayMs.name, () => {
  it('honours Retry-After, grows exponentially, and backs off long at the smallest window', () => {
    expect(pollRetryDelayMs(3, false, 7_000)).toBe(7_000);
    expect([1, 2, 3].map((n) => pollRetryDelayMs(n, false, undefined))).toEqual([2_000, 4_000, 8_000]);
    expect(pollRetryDelayMs(1, true, undefined)).toBe(60_000);
    expect(pollRetryDelayMs(20, true, undefined)).toBe(3_600_000);
  });
});
