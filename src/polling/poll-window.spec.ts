import { planNextWindow, pollJobId } from './poll-window';

describe(planNextWindow.name, () => {
  const base = { overlapMs: 60_000, settleMs: 5_000, pollIntervalMs: 30_000, maxWindowMs: 3_600_000, alignMs: 1_000 };

  it('ends settle before now, aligned to the step every replica uses', () => {
    expect(planNextWindow({ ...base, watermarkMs: 1_000_000, nowMs: 1_100_500 })).toEqual({ fromMs: 940_000, toMs: 1_095_000 });
  });

  it('reaches back by the overlap from the watermark', () => {
    expect(planNextWindow({ ...base, watermarkMs: 2_000_000, nowMs: 2_040_000 })).toEqual({ fromMs: 1_940_000, toMs: 2_035_000 });
  });

  it('is not due until a poll interval has passed since the watermark', () => {
    expect(planNextWindow({ ...base, watermarkMs: 2_000_000, nowMs: 2_034_999 })).toBeUndefined();
  });

  it('catches up after downtime in slices no wider than maxWindow, oldest first, due at once', () => {
    const now = 10 * 3_600_000;
    const first = planNextWindow({ ...base, watermarkMs: 1_000_000, nowMs: now })!;
    expect(first).toEqual({ fromMs: 940_000, toMs: 940_000 + 3_600_000 });
    const second = planNextWindow({ ...base, watermarkMs: first.toMs, nowMs: now })!;
    expect(second.fromMs).toBe(first.toMs - 60_000);
  });

  it('never plans a slice that ends before the watermark, even with an overlap wider than maxWindow', () => {
    const w = planNextWindow({ ...base, overlapMs: 7_200_000, watermarkMs: 10_000_000, nowMs: 50_000_000 })!;
    expect(w.toMs).toBeGreaterThan(10_000_000);
  });

  it('makes consecutive windows overlap', () => {
    const first = planNextWindow({ ...base, watermarkMs: 1_000_000, nowMs: 1_100_000 })!;
    const second = planNextWindow({ ...base, watermarkMs: first.toMs, nowMs: 1_200_000 })!;
    expect(second.fromMs).toBeLessThan(first.toMs);
  });
});

describe(pollJobId.name, () => {
  it('is the same for the same account and window, and has no ":" (BullMQ rejects it)', () => {
    const id = pollJobId('acme', { fromMs: 1, toMs: 2 });
    expect(id).toBe(pollJobId('acme', { fromMs: 1, toMs: 2 }));
    expect(id).not.toBe(pollJobId('acme', { fromMs: 1, toMs: 3 }));
    expect(id).not.toContain(':');
  });
});
