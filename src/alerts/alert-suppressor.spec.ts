import { AlertSuppressor, suppressionKey } from './alert-suppressor';

describe(AlertSuppressor.name, () => {
  const key = suppressionKey({ kind: 'WINDOW_FAILED', details: { accountId: 'acme', code: 'CONNECTOR.TIMEOUT', from: 'a', to: 'b' } });

  it('lets the first alert through, holds back repeats within the window, then reports how many were held', () => {
    const s = new AlertSuppressor(60_000);
    expect(s.admit(key, 0)).toBe(0);
    expect(s.admit(key, 10_000)).toBeUndefined();
    expect(s.admit(key, 20_000)).toBeUndefined();
    expect(s.admit(key, 60_000)).toBe(2);
  });

  it('keeps different faults apart', () => {
    const s = new AlertSuppressor(60_000);
    const other = suppressionKey({ kind: 'WINDOW_FAILED', details: { accountId: 'globex', code: 'CONNECTOR.TIMEOUT', from: 'a', to: 'b' } });
    expect([s.admit(key, 0), s.admit(other, 1)]).toEqual([0, 0]);
  });

  it('ignores details that do not identify the fault, such as a message counter', () => {
    expect(suppressionKey({ kind: 'COVERAGE_LAG', details: { accountId: 'acme', lagMs: 1 } })).toBe(suppressionKey({ kind: 'COVERAGE_LAG', details: { accountId: 'acme', lagMs: 2 } }));
  });
});
