import { MoveGenerator } from './move-generator';

/** Drives the generator by hand (catchUp) with a fake clock: counts depend on clock time only. */
function generatorWith(ratePerSecond: number, burst?: { everyMs: number; size: number }, startPaused = false) {
  const clock = { now: Date.parse('2026-11-18T09:00:00Z') };
  const batches: number[] = [];
  const generator = new MoveGenerator(ratePerSecond, burst, () => clock.now, (count) => batches.push(count), startPaused);
  const moved = () => batches.reduce((sum, count) => sum + count, 0);
  const advance = (ms: number) => {
    clock.now += ms;
    generator.catchUp();
  };
  return { generator, advance, moved, batches };
}

describe(MoveGenerator.name, () => {
  describe('catchUp', () => {
    it('moves exactly the steady moves due by the clock, however the time is sliced', () => {
      const { advance, moved } = generatorWith(2);
      advance(499);
      expect(moved()).toBe(0);
      advance(1);
      expect(moved()).toBe(1);
      advance(9_500);
      expect(moved()).toBe(20);
    });

    it('does not lose fractional rates to float error', () => {
      const { advance, moved } = generatorWith(0.1);
      advance(10_000);
      expect(moved()).toBe(1);
    });

    it('adds each burst as one batch on top of the steady rate', () => {
      const { advance, moved, batches } = generatorWith(0, { everyMs: 60_000, size: 500 });
      advance(59_999);
      expect(moved()).toBe(0);
      advance(1);
      expect(batches).toEqual([500]);
      advance(120_000);
      expect(batches).toEqual([500, 1_000]);
    });

    it('ignores a clock that goes backwards', () => {
      const { advance, moved } = generatorWith(1);
      advance(3_000);
      advance(-2_000);
      expect(moved()).toBe(3);
    });
  });

  describe('pause and resume', () => {
    it('moves what was due before pausing and does not count paused time', () => {
      const { generator, advance, moved } = generatorWith(1);
      advance(2_000);
      generator.pause();
      advance(60_000);
      expect(moved()).toBe(2);
      generator.resume();
      advance(1_000);
      expect(moved()).toBe(3);
    });

    it('starts paused when asked and counts time only from resume', () => {
      const { generator, advance, moved } = generatorWith(1, undefined, true);
      advance(5_000);
      expect(moved()).toBe(0);
      generator.resume();
      advance(1_000);
      expect(moved()).toBe(1);
    });
  });
});
