import type { BurstOptions } from './ats-simulator.options';

/** Real-time period at which the generator samples the clock; small so tests with a fake clock stay quick. */
const TICK_MS = 10;
/** Absorbs float error so that, e.g., 10 s at 0.1/s counts as exactly 1 move. */
const EPSILON = 1e-9;

/**
 * Moves candidates at a steady rate plus periodic bursts, measured in *clock* time.
 * A timer samples the clock and moves whatever is due since the last sample, so the number of moves is a
 * pure function of how much active clock time has passed: deterministic under a fake clock, and catching up
 * rather than drifting when the event loop is busy. Time spent paused does not count.
 */
export class MoveGenerator {
  private activeSince: number;
  private activeBeforePause = 0;
  private steadyDone = 0;
  private burstsDone = 0;
  private paused: boolean;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: BurstOptions | undefined,
    private readonly clock: () => number,
    private readonly move: (count: number) => void,
    startPaused: boolean,
  ) {
    this.activeSince = clock();
    this.paused = startPaused;
  }

  /** Starts sampling; a schedule without rate or bursts never needs a timer. */
  start(): void {
    if (this.timer || (this.ratePerSecond === 0 && !this.burst)) return;
    this.timer = setInterval(() => this.catchUp(), TICK_MS);
    // A forgotten stop() must not keep a test run or a CLI alive.
    this.timer.unref();
  }

  /** Moves every candidate due by now; the timer calls it, and pause() does so the pause loses nothing due. */
  catchUp(): void {
    if (this.paused) return;
    const active = this.activeBeforePause + (this.clock() - this.activeSince);
    const steadyDue = Math.floor((active * this.ratePerSecond) / 1000 + EPSILON) - this.steadyDone;
    const burstsDue = this.burst ? Math.floor(active / this.burst.everyMs) - this.burstsDone : 0;
    const count = Math.max(0, steadyDue) + Math.max(0, burstsDue) * (this.burst?.size ?? 0);
    this.steadyDone += Math.max(0, steadyDue);
    this.burstsDone += Math.max(0, burstsDue);
    if (count > 0) this.move(count);
  }

  pause(): void {
    if (this.paused) return;
    this.catchUp();
    this.activeBeforePause += this.clock() - this.activeSince;
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.activeSince = this.clock();
    this.paused = false;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
