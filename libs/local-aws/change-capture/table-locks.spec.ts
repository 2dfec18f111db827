import { TableLocks } from './table-locks';

describe('TableLocks', () => {
  describe('withTables', () => {
    it('runs work on the same table one at a time, in call order', async () => {
      const locks = new TableLocks();
      const events: string[] = [];
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      const first = locks.withTables(['t'], async () => {
        events.push('first start');
        await firstHolds;
        events.push('first end');
      });
      const second = locks.withTables(['t'], async () => void events.push('second'));
      const other = locks.withTables(['u'], async () => void events.push('other table'));
      await other;
      releaseFirst();
      await Promise.all([first, second]);
      expect(events).toEqual(['first start', 'other table', 'first end', 'second']);
    });

    it('releases the lock when the work throws', async () => {
      const locks = new TableLocks();
      await expect(locks.withTables(['t'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await expect(locks.withTables(['t', 't'], async () => 'ran')).resolves.toBe('ran');
    });
  });
});
