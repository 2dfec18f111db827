import { isWindowQueryError, parseWindowQuery, type ReportWindow } from './report-window';

const PARAMS = { fromParam: 'From_Moment', toParam: 'To_Moment' };
const MOVE = Date.parse('2026-11-18T09:00:00.000Z');
const windowOf = (from: string, to: string, bounds: 'inclusive' | 'exclusive-end'): ReportWindow => {
  const parsed = parseWindowQuery(new URLSearchParams({ From_Moment: from, To_Moment: to, format: 'json' }), PARAMS, bounds);
  if (isWindowQueryError(parsed)) throw new Error(parsed.message);
  return parsed;
};

describe(parseWindowQuery.name, () => {
  describe('with digits beyond the millisecond', () => {
    it('excludes a move just before an inclusive start', () => {
      expect(windowOf('2026-11-18T09:00:00.0004Z', '2026-11-18T10:00:00Z', 'inclusive').contains(MOVE)).toBe(false);
    });

    it('includes a move just before an inclusive end', () => {
      expect(windowOf('2026-11-18T08:00:00Z', '2026-11-18T09:00:00.0004Z', 'inclusive').contains(MOVE)).toBe(true);
    });

    it('includes a move just before an exclusive end', () => {
      expect(windowOf('2026-11-18T08:00:00Z', '2026-11-18T09:00:00.0004Z', 'exclusive-end').contains(MOVE)).toBe(true);
    });
  });

  it('exposes the bounds as Dates for the request log and the failure hook', () => {
    const window = windowOf('2026-11-18T01:00:00-08:00', '2026-11-18T10:00:00+01:00', 'inclusive');
    expect([window.from, window.to]).toEqual([new Date(MOVE), new Date(MOVE)]);
  });
});
