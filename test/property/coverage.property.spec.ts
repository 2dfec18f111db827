/**
 * Property: polling coverage has no gap (design.md: "Windows and coverage", "Window splitting",
 * "Guarantees: No gap").
 *
 * A small discrete-event simulation of ONE account, built on the real pure functions — planNextWindow,
 * pollJobId, recordCompleted, isCovered, splitWindow, decideOnFailure, pollRetryDelayMs — and the real
 * poll-queue JOB_OPTIONS, glued together the way the runtime glues them:
 *
 *  - PollTickService.fanOut: at each tick, if the account has no poll job in flight (jobs are deduplicated
 *    per account), plan the next window from the stored coverage with alignMs = min(1 s, pollInterval).
 *  - PollWindowJob.process / onFailure / runPieces: a job first skips a window that isCovered; otherwise it
 *    polls; success records the window (CoverageStore.complete = recordCompleted on the latest stored
 *    coverage); failure asks decideOnFailure (splitAfterAttempts = 2): 'retry' / 'retry-pathological' use up
 *    one of JOB_OPTIONS.poll.attempts (8) attempts and wait out pollRetryDelayMs (the clock moves), the job
 *    fails on its last attempt; 'split' turns the job into a parent whose two halves run one after the other
 *    as child jobs (recursively, 8 attempts each), and a child that fails fails its parent
 *    (failParentOnFailure), i.e. the whole tree; the window is then replanned at a later tick.
 *  - Crashes: the active job's worker dies ('stall': BullMQ moves it back to wait without using an attempt,
 *    and fails it after maxStalledCount = 1 stalls; 'redis': every job is lost, the stored coverage is not).
 *    The dying run may have recorded its window already ('recorded'), or keep running as a zombie (a worker
 *    that lost its lock or its Redis) that records its window at some later event, concurrently with the
 *    runs that follow (BullMQ delivers at least once).
 *
 * The ATS fails per attempt (a per-run failure rate, with a random code) and can also fail every window
 * wider than some width, to force splitting. Time moves by ticks, by retry backoffs and by outages of the
 * bridge of hours. After the random sequence the simulation runs failure-free until nothing is due.
 *
 * Checked:
 *  1. after every event, the union of the windows that completed (an independent oracle: closed intervals
 *     joined only when they share an instant) covers [start, watermark], every window the coverage record
 *     lists as completed is inside that union, the watermark never moves backwards, and every job that
 *     completes (polled, skipped as covered, or split) leaves its whole window inside that union;
 *  2. after the failure-free drain (bounded number of steps), nothing is due and the completed windows cover
 *     [start, the last due point], where the last due point is floor((now − settle)/align)·align −
 *     pollInterval: planNextWindow rounds window ends down to the align step, so the watermark can be up to
 *     align − 1 ms short of the literal now − settle − pollInterval (by design, not a gap);
 *  3. no infinite loops: every job runs at most attempts + maxStalledCount times, a split tree is at most
 *     ceil(log2(rootWidth / minWindow)) + 1 levels deep (the second half of an odd width is the wider one),
 *     pieces are never narrower than minWindow, and a planned window is never wider than
 *     max(maxWindow, overlap + align) — wider than maxWindow when maxWindow < overlap + align, so
 *     log2(maxWindow / minWindow) + 1 alone is not a bound;
 *  4. every planned window starts at or before the watermark, ends after it and not inside the settle
 *     period, so consecutive planned windows overlap by at least one instant whenever the previous one
 *     completed.
 *
 * Every window the runtime plans or splits off starts at or before the watermark when it is recorded, so the
 * simulation never makes the coverage record hold windows beyond its watermark; the last test feeds
 * recordCompleted and isCovered arbitrary windows in any order to check that part against the same oracle.
 * The second test adds BullMQ's job-id retention to the model, and JobEnqueuer's answer to it: see the comment above it.
 */
import fc from 'fast-check';
import { JOB_OPTIONS, POLL_QUEUE } from '../../src/jobs/queues';
import { isCovered, recordCompleted, splitWindow, type Coverage } from '../../src/polling/coverage';
import { planNextWindow, pollJobId, type PollWindow } from '../../src/polling/poll-window';
import { decideOnFailure, pollRetryDelayMs } from '../../src/polling/window-failure.policy';

const SEED = 20_261_118;
const NUM_RUNS = 300;
/** See AccountSimulation.advance. */
const BACKLOG_SLICES = 1_000;
const TRACE_LENGTH = 40;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** JOB_OPTIONS.poll.attempts: attempts per job, at every level of splitting. */
const ATTEMPTS = JOB_OPTIONS[POLL_QUEUE].attempts ?? 1;
/** Mirrors the private SPLIT_AFTER_ATTEMPTS of poll-window.job.ts. */
const SPLIT_AFTER_ATTEMPTS = 2;
/** BullMQ Worker defaults: a job that stalls more often than this is failed; stalls are found this often. */
const MAX_STALLED_COUNT = 1;
const STALLED_INTERVAL_MS = 30_000;
/** Mirrors PollTickService.fanOut. */
const alignFor = (pollIntervalMs: number) => Math.min(1_000, pollIntervalMs);
/** Retention of finished poll jobs (and so of their ids), from JOB_OPTIONS.poll. */
const keptForMs = (keep: unknown) => ((keep as { age?: number } | undefined)?.age ?? 0) * 1_000;
const KEEP_COMPLETED_MS = keptForMs(JOB_OPTIONS[POLL_QUEUE].removeOnComplete);
const KEEP_FAILED_MS = keptForMs(JOB_OPTIONS[POLL_QUEUE].removeOnFail);

const CODES = [
  'CONNECTOR.TIMEOUT',
  'CONNECTOR.SERVER_ERROR',
  'CONNECTOR.NETWORK',
  'CONNECTOR.RESPONSE_TOO_LARGE',
  'CONNECTOR.RATE_LIMITED',
  'CONNECTOR.MALFORMED_JSON',
] as const;
type Code = (typeof CODES)[number];

interface Settings {
  pollIntervalMs: number;
  overlapMs: number;
  settleMs: number;
  /** maxWindow = overlap + this (maxWindow ≥ overlap), at least 1 ms. */
  maxWindowExtraMs: number;
  minWindowMs: number;
  /** Coverage starts this long before the first tick (a `startAt` in the past). */
  startBackMs: number;
  /** Where the first tick falls, so the align step meets every phase. */
  t0OffsetMs: number;
  /** Chance, in ‰, that an attempt fails during the random phase. */
  failPermille: number;
  /** During the random phase, every window wider than this fails (null: none). */
  failWiderThanMs: number | null;
  widthCode: Code;
}

type SimEvent =
  | { kind: 'tick'; permilleOfInterval: number }
  | { kind: 'outage'; hours: number }
  | { kind: 'attempt'; roll: number; code: Code }
  | { kind: 'crash'; lose: 'stall' | 'redis'; progress: 'none' | 'recorded' | 'zombie' }
  | { kind: 'zombie'; pick: number; records: boolean };

interface Job {
  window: PollWindow;
  /** 1 for the planned window, 2 for its halves, … */
  depth: number;
  attemptsMade: number;
  stalls: number;
  runs: number;
  /** Set once it failed at the smallest width: selects the long backoff (PollJobData.pathological). */
  pathological: boolean;
  /** Set once split: the pieces not started yet. */
  pieces?: PollWindow[];
}

interface Stats {
  runs: number;
  catchUpSlices: number;
  skippedCovered: number;
  splits: number;
  maxDepth: number;
  pathologicalRetries: number;
  failedTrees: number;
  stalls: number;
  redisLosses: number;
  recordedThenCrashed: number;
  zombieRecords: number;
}

const newStats = (): Stats => ({
  runs: 0, catchUpSlices: 0, skippedCovered: 0, splits: 0, maxDepth: 0,
  pathologicalRetries: 0, failedTrees: 0, stalls: 0, redisLosses: 0, recordedThenCrashed: 0, zombieRecords: 0,
});

class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

// ---- the oracle: the union of completed windows, closed intervals joined only when they share an instant ----

function addToUnion(union: PollWindow[], w: PollWindow): PollWindow[] {
  const out: PollWindow[] = [];
  for (const x of [...union, w].sort((a, b) => a.fromMs - b.fromMs)) {
    const last = out[out.length - 1];
    if (last && x.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, x.toMs);
    else out.push({ fromMs: x.fromMs, toMs: x.toMs });
  }
  return out;
}

/** [fromMs, toMs] lies inside the union: with joined intervals, inside a single one of them. */
const unionCovers = (union: PollWindow[], fromMs: number, toMs: number) => union.some((u) => u.fromMs <= fromMs && u.toMs >= toMs);

/** Smallest k with minWindow·2^k ≥ width, plus one: the deepest a split tree of that width can go. */
function depthBound(rootWidthMs: number, minWindowMs: number): number {
  let k = 0;
  while (minWindowMs * 2 ** k < rootWidthMs) k++;
  return k + 1;
}

// ---- the model ----

class AccountSimulation {
  private readonly alignMs: number;
  private readonly maxWindowMs: number;
  private readonly sliceAdvanceMs: number;
  private readonly startMs: number;
  private now: number;
  private coverage: Coverage;
  private highestWatermark: number;
  private union: PollWindow[] = [];
  /** The in-flight job tree: tree[0] is the planned window, the last one is the job being run. */
  private tree: Job[] = [];
  private last: { window: PollWindow; completed: boolean } | undefined;
  /** Runs whose worker lost its job but keeps polling, and records its window when it finishes. */
  private zombies: PollWindow[] = [];
  /** Ids of finished planned jobs still kept by BullMQ (only when jobIds are modelled): id → removal time. */
  private readonly kept = new Map<string, number>();
  private chaos = true;
  /** The last TRACE_LENGTH steps, formatted only when a property fails. */
  private readonly trace: (() => string)[] = [];

  constructor(
    private readonly s: Settings,
    private readonly stats: Stats,
    private readonly modelJobIds: boolean,
  ) {
    this.alignMs = alignFor(s.pollIntervalMs);
    this.maxWindowMs = Math.max(1, s.overlapMs + s.maxWindowExtraMs); // the schema wants a positive maxWindowMs
    this.sliceAdvanceMs = Math.max(this.maxWindowMs, s.overlapMs + this.alignMs) - s.overlapMs;
    this.now = Date.UTC(2026, 10, 18, 9) + s.t0OffsetMs;
    // Catching up runs one slice per step: bound the backlog so a run stays fast (the mechanics are the same).
    this.startMs = this.now - Math.min(s.startBackMs, BACKLOG_SLICES * this.sliceAdvanceMs);
    this.coverage = { watermarkMs: this.startMs, completed: [] };
    this.highestWatermark = this.startMs;
  }

  run(events: SimEvent[]): void {
    this.tick(0);
    this.checkCoverage('start');
    for (const e of events) {
      this.apply(e);
      this.checkCoverage(e);
    }
    this.drain();
  }

  private apply(e: SimEvent): void {
    switch (e.kind) {
      case 'tick':
        return this.tick(Math.floor((e.permilleOfInterval * this.s.pollIntervalMs) / 1_000));
      case 'outage':
        return this.tick(e.hours * HOUR);
      case 'attempt':
        return this.attempt(e.roll < this.s.failPermille ? e.code : undefined);
      case 'crash':
        return this.crash(e.lose, e.progress);
      case 'zombie': {
        if (this.zombies.length === 0) return;
        const [w] = this.zombies.splice(e.pick % this.zombies.length, 1);
        if (e.records && !isCovered(this.coverage, w!)) {
          this.stats.zombieRecords++;
          this.record(w!, 'zombie');
        }
        return;
      }
    }
  }

  /** PollTickService.fanOut for this account, after the clock moved by `dtMs`. */
  private tick(dtMs: number): void {
    this.advance(dtMs);
    if (this.tree.length > 0) return; // deduplicated per account: one window at a time
    const now = this.now;
    const { pollIntervalMs, overlapMs, settleMs } = this.s;
    const watermarkMs = this.coverage.watermarkMs;
    const w = planNextWindow({ watermarkMs, nowMs: this.now, overlapMs, settleMs, pollIntervalMs, maxWindowMs: this.maxWindowMs, alignMs: this.alignMs });
    if (!w) return;
    const ctx = () => `planned ${show(w)} at now=${now} from watermark ${watermarkMs}`;
    // 4. The window reaches back to the watermark (shares at least the instant watermarkMs) and moves past it.
    this.check(w.fromMs <= watermarkMs, () => `planned window starts after the watermark: ${ctx()}`);
    this.check(w.toMs > watermarkMs, () => `planned window cannot move the watermark: ${ctx()}`);
    const previous = this.last;
    if (previous?.completed)
      this.check(w.fromMs <= previous.window.toMs, () => `no overlap with the previous completed window ${show(previous.window)}: ${ctx()}`);
    // Never into the unsettled period.
    this.check(w.toMs <= now - settleMs, () => `planned window ends less than settle before now: ${ctx()}`);
    // 3. Bounded width.
    const widest = Math.max(this.maxWindowMs, overlapMs + this.alignMs);
    this.check(w.toMs - w.fromMs <= widest, () => `planned window wider than ${widest} ms: ${ctx()}`);
    if (this.modelJobIds) {
      // Queue.add with the id of a job BullMQ still keeps (completed or failed) adds nothing; so
      // JobEnqueuer.enqueuePoll removes such a finished job first and adds the window again.
      const keptUntil = this.kept.get(pollJobId('acct', w));
      if (keptUntil !== undefined && keptUntil > this.now) {
        this.kept.delete(pollJobId('acct', w));
        this.note(() => `tick ${now}: ${show(w)} planned; the finished job kept under its id is replaced`);
      }
    }
    if (w.toMs < Math.floor((this.now - settleMs) / this.alignMs) * this.alignMs) this.stats.catchUpSlices++;
    this.last = { window: w, completed: false };
    this.note(() => `tick ${now}: plan ${show(w)} (watermark ${watermarkMs})`);
    this.tree = [];
    this.start(w, 1);
  }

  private start(window: PollWindow, depth: number): void {
    const root = this.tree[0]?.window ?? window;
    this.check(depth <= depthBound(root.toMs - root.fromMs, this.s.minWindowMs), () => `split ${depth} levels deep below ${show(root)} (minWindow ${this.s.minWindowMs})`);
    if (depth > 1) this.check(window.toMs - window.fromMs >= this.s.minWindowMs, () => `piece ${show(window)} narrower than minWindow ${this.s.minWindowMs}`);
    this.stats.maxDepth = Math.max(this.stats.maxDepth, depth);
    this.tree.push({ window, depth, attemptsMade: 0, stalls: 0, runs: 0, pathological: false });
  }

  /** One run of the active job (PollWindowJob.process): skip if covered, else poll; `failure` is the ATS's answer. */
  private attempt(failure: Code | undefined): void {
    const job = this.tree[this.tree.length - 1];
    if (!job) return;
    this.countRun(job);
    if (isCovered(this.coverage, job.window)) {
      this.stats.skippedCovered++;
      return this.finishActive();
    }
    const code = this.chaos ? (failure ?? this.widthFailure(job.window)) : undefined;
    if (code === undefined) {
      this.record(job.window, 'poll');
      return this.finishActive();
    }
    const action = decideOnFailure({
      code,
      permanent: false,
      attemptsMade: job.attemptsMade,
      window: job.window,
      minWindowMs: this.s.minWindowMs,
      splitAfterAttempts: SPLIT_AFTER_ATTEMPTS,
    });
    const attempt = job.attemptsMade + 1;
    this.note(() => `  ${show(job.window)} attempt ${attempt} failed ${code}: ${action.kind}`);
    switch (action.kind) {
      case 'split': {
        this.stats.splits++;
        const [first, ...rest] = splitWindow(job.window);
        job.pieces = rest;
        return this.start(first, job.depth + 1);
      }
      case 'retry-pathological':
        this.stats.pathologicalRetries++;
        job.pathological = true; // PollJobData.pathological: sticks for the job's later retries
        return this.retry(job);
      case 'retry':
        return this.retry(job);
      case 'stop-account':
        throw new Error('unreachable: this model has no permanent failures');
    }
  }

  /**
   * Moves the clock. Catching up polls one slice per step, so the backlog is capped at BACKLOG_SLICES slices
   * to keep a run fast: with slices of minutes or more that allows outages of days; with the degenerate
   * maxWindow ≈ overlap (slices of one align step) the clock stands still instead. Same mechanics either way.
   */
  private advance(dtMs: number): void {
    const limit = this.coverage.watermarkMs + this.s.settleMs + BACKLOG_SLICES * this.sliceAdvanceMs;
    this.now = Math.max(this.now, Math.min(this.now + dtMs, limit));
  }

  /** BullMQ after a thrown error: one more attempt made; the job fails on its last, else waits out the backoff. */
  private retry(job: Job): void {
    job.attemptsMade++;
    if (job.attemptsMade >= ATTEMPTS) return this.failTree(`${show(job.window)} used its ${ATTEMPTS} attempts`);
    // pollRetryBackoff receives attemptsMade counting this attempt; the clock moves, and no tick plans meanwhile.
    this.advance(pollRetryDelayMs(job.attemptsMade, job.pathological, undefined));
  }

  private widthFailure(w: PollWindow): Code | undefined {
    return this.s.failWiderThanMs !== null && w.toMs - w.fromMs > this.s.failWiderThanMs ? this.s.widthCode : undefined;
  }

  private countRun(job: Job): void {
    job.runs++;
    this.check(job.runs <= ATTEMPTS + MAX_STALLED_COUNT, () => `job ${show(job.window)} ran ${job.runs} times`);
  }

  /** The active job completed: its parent runs its next piece (runPieces), or completes in turn. */
  private finishActive(): void {
    this.completeJob(this.tree.pop()!);
    for (;;) {
      const parent = this.tree[this.tree.length - 1];
      if (!parent) {
        this.last!.completed = true;
        this.keep(KEEP_COMPLETED_MS);
        return;
      }
      const [next, ...rest] = parent.pieces ?? [];
      if (next) {
        parent.pieces = rest;
        return this.start(next, parent.depth + 1);
      }
      this.completeJob(this.tree.pop()!);
    }
  }

  /** A job that completes, polled or split, leaves its whole window covered (from the start of coverage on). */
  private completeJob(job: Job): void {
    const { fromMs, toMs } = job.window;
    if (toMs > this.startMs)
      this.check(unionCovers(this.union, Math.max(fromMs, this.startMs), toMs), () => `job ${show(job.window)} completed, but only ${showAll(this.union)} were polled`);
  }

  /** A job failed for good: with failParentOnFailure, so does every job above it. */
  private failTree(why: string): void {
    this.stats.failedTrees++;
    const root = this.tree[0]!.window;
    this.note(() => `  job tree of ${show(root)} failed: ${why}`);
    this.tree = [];
    this.keep(KEEP_FAILED_MS);
  }

  private keep(forMs: number): void {
    if (this.modelJobIds && this.last) this.kept.set(pollJobId('acct', this.last.window), this.now + forMs);
  }

  private crash(lose: 'stall' | 'redis', progress: 'none' | 'recorded' | 'zombie'): void {
    const job = this.tree[this.tree.length - 1];
    if (!job) return;
    this.countRun(job);
    this.note(() => `  crash (${lose}, ${progress}) while running ${show(job.window)}`);
    if (progress === 'recorded' && !isCovered(this.coverage, job.window)) {
      // The poll finished and CoverageStore.complete was written; the process died before the job completed.
      this.stats.recordedThenCrashed++;
      this.record(job.window, 'poll, then crash');
    }
    if (progress === 'zombie') this.zombies.push(job.window);
    if (lose === 'redis') {
      this.stats.redisLosses++;
      this.tree = [];
      this.kept.clear();
      return;
    }
    this.stats.stalls++;
    job.stalls++;
    this.advance(STALLED_INTERVAL_MS);
    if (job.stalls > MAX_STALLED_COUNT) this.failTree(`${show(job.window)} stalled ${job.stalls} times`);
  }

  /** CoverageStore.complete: recordCompleted applied to the latest stored coverage. */
  private record(w: PollWindow, how: string): void {
    const before = this.coverage;
    this.coverage = recordCompleted(before, w);
    this.union = addToUnion(this.union, w);
    const after = this.coverage.watermarkMs;
    this.note(() => `  completed ${show(w)} (${how}): watermark ${before.watermarkMs} → ${after}`);
  }

  // 1. The completed windows cover [start, watermark]; the record claims nothing beyond them; no step back.
  private checkCoverage(event: SimEvent | string): void {
    const after = () => (typeof event === 'string' ? event : JSON.stringify(event));
    const { watermarkMs, completed } = this.coverage;
    this.check(watermarkMs >= this.highestWatermark, () => `watermark moved backwards ${this.highestWatermark} → ${watermarkMs} after ${after()}`);
    this.highestWatermark = watermarkMs;
    if (watermarkMs > this.startMs)
      this.check(unionCovers(this.union, this.startMs, watermarkMs), () => `gap: completed windows ${showAll(this.union)} do not cover [${this.startMs}, ${watermarkMs}] after ${after()}`);
    for (const c of completed) this.check(unionCovers(this.union, c.fromMs, c.toMs), () => `coverage lists ${show(c)} as completed, but only ${showAll(this.union)} were, after ${after()}`);
  }

  // 2. + 3. Failure-free, no crashes, lost zombies: everything due gets polled within a bounded number of steps.
  private drain(): void {
    this.chaos = false;
    this.zombies = [];
    const now = this.now;
    this.note(() => `drain at now=${now}`);
    const { settleMs, pollIntervalMs } = this.s;
    const settledEnd = Math.floor((this.now - settleMs) / this.alignMs) * this.alignMs;
    const slices = Math.ceil(Math.max(0, settledEnd - this.coverage.watermarkMs) / this.sliceAdvanceMs) + 1;
    const budget = 2 * slices + 2 * (this.tree.length + 1) + 4;
    let steps = 0;
    for (;; steps++) {
      this.check(steps <= budget, () => `still busy after ${budget} failure-free steps`);
      if (this.tree.length > 0) this.attempt(undefined);
      else {
        this.tick(0);
        if (this.tree.length === 0) break;
      }
      this.checkCoverage('a drain step');
    }
    const { watermarkMs } = this.coverage;
    const plan = planNextWindow({ watermarkMs, nowMs: this.now, overlapMs: this.s.overlapMs, settleMs, pollIntervalMs, maxWindowMs: this.maxWindowMs, alignMs: this.alignMs });
    this.check(plan === undefined, () => `drained, yet ${plan && show(plan)} is due`);
    const lastDuePoint = settledEnd - pollIntervalMs;
    this.check(watermarkMs > lastDuePoint, () => `drained at now=${this.now}, watermark ${watermarkMs} ≤ last due point ${lastDuePoint}`);
    if (lastDuePoint > this.startMs)
      this.check(unionCovers(this.union, this.startMs, lastDuePoint), () => `drained, completed windows ${showAll(this.union)} do not cover [${this.startMs}, ${lastDuePoint}]`);
  }

  private note(line: () => string): void {
    if (this.trace.push(line) > TRACE_LENGTH) this.trace.shift();
  }

  private check(ok: boolean, message: () => string): asserts ok {
    if (!ok) throw new PropertyViolation(`${message()}\n  settings: ${JSON.stringify(this.s)}\n  trace (last ${TRACE_LENGTH} steps):\n    ${this.trace.map((line) => line()).join('\n    ')}`);
  }
}

const show = (w: PollWindow) => `[${w.fromMs}, ${w.toMs}]`;
const showAll = (ws: PollWindow[]) => (ws.length > 6 ? `${ws.slice(0, 3).map(show).join(' ')} … ${ws.slice(-3).map(show).join(' ')}` : ws.map(show).join(' ')) || '(none)';

// ---- arbitraries ----

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  pollIntervalMs: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1_000, max: 15 * MIN }), fc.constantFrom(1_000, 30_000, MIN)),
  overlapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2 * HOUR })),
  settleMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 * MIN })),
  maxWindowExtraMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 6 * HOUR })),
  minWindowMs: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1_000, max: 2 * HOUR })),
  startBackMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * DAY })),
  t0OffsetMs: fc.integer({ min: 0, max: DAY }),
  failPermille: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 900 })),
  failWiderThanMs: fc.option(fc.oneof(fc.integer({ min: 1, max: 10 * MIN }), fc.integer({ min: 1, max: 6 * HOUR })), { freq: 2 }),
  widthCode: fc.constantFrom(...CODES),
});

const eventArb: fc.Arbitrary<SimEvent> = fc.oneof(
  { weight: 25, arbitrary: fc.record({ kind: fc.constant('tick' as const), permilleOfInterval: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('outage' as const), hours: fc.integer({ min: 1, max: 48 }) }) },
  { weight: 55, arbitrary: fc.record({ kind: fc.constant('attempt' as const), roll: fc.integer({ min: 0, max: 999 }), code: fc.constantFrom(...CODES) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      lose: fc.constantFrom('stall' as const, 'redis' as const),
      progress: fc.constantFrom('none' as const, 'recorded' as const, 'zombie' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('zombie' as const), pick: fc.nat(), records: fc.boolean() }) },
);

const scenarioArb = fc.tuple(settingsArb, fc.array(eventArb, { maxLength: 150, size: 'max' }));

// ---- the tests ----

describe('polling coverage (property, discrete-event simulation)', () => {
  it('has no gap, never moves back, terminates, and catches up once failures stop', () => {
    const stats = newStats();
    fc.assert(
      fc.property(scenarioArb, ([settings, events]) => {
        stats.runs++;
        new AccountSimulation(settings, stats, false).run(events);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    // The generators reach what they are meant to reach, or the properties above would prove little.
    expect(ATTEMPTS).toBe(8);
    expect(stats).toMatchObject({ runs: NUM_RUNS });
    const reached = ['catchUpSlices', 'skippedCovered', 'splits', 'pathologicalRetries', 'failedTrees', 'stalls', 'redisLosses', 'recordedThenCrashed', 'zombieRecords'] as const;
    expect(reached.filter((key) => stats[key] === 0)).toEqual([]);
    expect(stats.maxDepth).toBeGreaterThanOrEqual(4);
  });

  // Same model, plus what BullMQ does with job ids (checked against bullmq 6.7.6 and a real Redis: the
  // second add returns the old id and nothing runs): Queue.add with the id of a job it still keeps — failed
  // jobs for JOB_OPTIONS.poll.removeOnFail = 14 days / 5,000 jobs — adds nothing. A window replanned after its
  // job failed gets the same pollJobId whenever the watermark did not move and the window is a catch-up slice
  // (its end is watermark − overlap + maxWindow, not the moving now − settle): it is never polled again, and
  // the account's coverage stopped there — until JobEnqueuer replaced finished jobs that share the id.
  // The first example is the readable one: a 12 h outage, then the first 6 h catch-up slice is rate-limited
  // for its 8 attempts (~4 min); fast-check stops there instead of shrinking it to a degenerate account.
  it('has no gap when replanned windows reuse their BullMQ job id', () => {
    const stats = newStats();
    const afterAnOutageTheFirstSliceIsRateLimited: [Settings, SimEvent[]] = [
      {
        pollIntervalMs: MIN, overlapMs: 5 * MIN, settleMs: 30_000, maxWindowExtraMs: 6 * HOUR - 5 * MIN, minWindowMs: MIN,
        startBackMs: 0, t0OffsetMs: 0, failPermille: 500, failWiderThanMs: null, widthCode: 'CONNECTOR.TIMEOUT',
      },
      [
        { kind: 'tick', permilleOfInterval: 1_000 },
        { kind: 'attempt', roll: 999, code: 'CONNECTOR.TIMEOUT' },
        { kind: 'outage', hours: 12 },
        ...Array.from({ length: ATTEMPTS }, (): SimEvent => ({ kind: 'attempt', roll: 0, code: 'CONNECTOR.RATE_LIMITED' })),
        { kind: 'tick', permilleOfInterval: 1_000 },
      ],
    ];
    fc.assert(
      fc.property(scenarioArb, ([settings, events]) => {
        stats.runs++;
        new AccountSimulation(settings, stats, true).run(events);
      }),
      { numRuns: NUM_RUNS, seed: SEED, examples: [[afterAnOutageTheFirstSliceIsRateLimited]], endOnFailure: true },
    );
  });
});

// The coverage record on its own, fed windows the runtime never produces too (anywhere, in any order,
// adjacent, nested, before the start): it must agree exactly with the union of what was recorded.
describe('coverage record (property, arbitrary windows in any order)', () => {
  it('recordCompleted and isCovered agree with the union of the recorded windows', () => {
    const windowArb = fc
      .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }))
      .map(([fromMs, widthMs]): PollWindow => ({ fromMs, toMs: fromMs + widthMs }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(windowArb, { maxLength: 30 }), fc.array(windowArb, { maxLength: 10 }), (startMs, windows, queries) => {
        let coverage: Coverage = { watermarkMs: startMs, completed: [] };
        let union: PollWindow[] = [];
        for (const w of windows) {
          const before = coverage;
          coverage = recordCompleted(before, w);
          union = addToUnion(union, w);
          const at = () => `after recording ${show(w)} into ${JSON.stringify(before)}: ${JSON.stringify(coverage)}, union ${showAll(union)}`;
          if (coverage.watermarkMs < before.watermarkMs) throw new PropertyViolation(`watermark moved backwards ${at()}`);
          // The watermark is the end of the joined run of windows through the start, and not an instant further.
          const fromStart = union.find((u) => u.fromMs <= startMs && u.toMs >= startMs);
          if (coverage.watermarkMs !== Math.max(startMs, fromStart?.toMs ?? startMs)) throw new PropertyViolation(`wrong watermark ${at()}`);
          // The completed list is exactly the rest of the union beyond it: joined, in order, nothing invented.
          if (JSON.stringify(coverage.completed) !== JSON.stringify(union.filter((u) => u.fromMs > coverage.watermarkMs))) throw new PropertyViolation(`wrong completed list ${at()}`);
          for (const q of queries) {
            const covered = q.toMs <= coverage.watermarkMs || unionCovers(union, q.fromMs, q.toMs);
            if (isCovered(coverage, q) !== covered) throw new PropertyViolation(`isCovered(${show(q)}) should be ${covered} ${at()}`);
          }
        }
      }),
      { numRuns: 1_000, seed: SEED },
    );
  });
});
