import { isCovered, recordCompleted, splitWindow } from './coverage';

describe(recordCompleted.name, () => {
  const start = { watermarkMs: 100, completed: [] };

  it('moves the watermark over a window that reaches back to it', () => {
    expect(recordCompleted(start, { fromMs: 90, toMs: 200 })).toEqual({ watermarkMs: 200, completed: [] });
  });

  it('keeps a window beyond a gap until the gap is filled, then moves over both', () => {
    const later = recordCompleted(start, { fromMs: 150, toMs: 200 });
    expect(later).toEqual({ watermarkMs: 100, completed: [{ fromMs: 150, toMs: 200 }] });
    expect(recordCompleted(later, { fromMs: 100, toMs: 150 })).toEqual({ watermarkMs: 200, completed: [] });
  });

  it('treats adjacent windows that share no instant as a gap', () => {
    expect(recordCompleted(start, { fromMs: 101, toMs: 200 }).watermarkMs).toBe(100);
  });

  it('never moves the watermark backwards', () => {
    expect(recordCompleted({ watermarkMs: 500, completed: [] }, { fromMs: 0, toMs: 200 })).toEqual({ watermarkMs: 500, completed: [] });
  });
});

describe(isCovered.name, () => {
  it('knows a window behind the watermark or inside a completed window', () => {
    const c = { watermarkMs: 100, completed: [{ fromMs: 150, toMs: 300 }] };
    expect(isCovered(c, { fromMs: 0, toMs: 100 })).toBe(true);
    expect(isCovered(c, { fromMs: 160, toMs: 300 })).toBe(true);
    expect(isCovered(c, { fromMs: 90, toMs: 160 })).toBe(false);
  });
});

describe(splitWindow.name, () => {
  it('halves a window into two that share their middle instant', () => {
    expect(splitWindow({ fromMs: 0, toMs: 101 })).toEqual([{ fromMs: 0, toMs: 50 }, { fromMs: 50, toMs: 101 }]);
  });
});
