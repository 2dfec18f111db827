import { FaultInjector } from './faults';

describe('FaultInjector', () => {
  describe('leaveUnprocessed', () => {
    it('never fires at rate 0 and always at rate 1', () => {
      const faults = new FaultInjector();
      expect(Array.from({ length: 50 }, () => faults.leaveUnprocessed()).some(Boolean)).toBe(false);
      faults.set({ unprocessedRate: 1 });
      expect(Array.from({ length: 50 }, () => faults.leaveUnprocessed()).every(Boolean)).toBe(true);
    });

    it('makes the same decisions again for the same seed', () => {
      const run = () => {
        const faults = new FaultInjector();
        faults.set({ unprocessedRate: 0.5, seed: 7 });
        return Array.from({ length: 30 }, () => faults.leaveUnprocessed());
      };
      expect(run()).toEqual(run());
      expect(new Set(run()).size).toBe(2);
    });
  });

  describe('distort', () => {
    it('duplicates every record at duplicateRate 1, next to the original', () => {
      const faults = new FaultInjector();
      faults.set({ duplicateRate: 1 });
      expect(faults.distort(['a', 'b'])).toEqual(['a', 'a', 'b', 'b']);
    });

    it('shuffles into a permutation when shuffle is on', () => {
      const faults = new FaultInjector();
      faults.set({ shuffle: true, seed: 3 });
      const records = Array.from({ length: 20 }, (_, i) => i);
      const shuffled = faults.distort(records);
      expect(shuffled).not.toEqual(records);
      expect([...shuffled].sort((a, b) => a - b)).toEqual(records);
    });
  });

  describe('set', () => {
    it('refuses a rate outside 0..1 and keeps the other settings', () => {
      const faults = new FaultInjector();
      faults.set({ shuffle: true });
      expect(() => faults.set({ duplicateRate: 2 })).toThrow(RangeError);
      faults.set({ duplicateRate: 0.5 });
      expect(faults.current).toMatchObject({ shuffle: true, duplicateRate: 0.5, unprocessedRate: 0 });
    });
  });
});
