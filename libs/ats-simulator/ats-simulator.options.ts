/** Which window ends include a candidate whose move instant equals them. */
export type WindowBounds = 'inclusive' | 'exclusive-end';

/** Candidates moved all at once at a fixed interval, like a recruiter bulk-moving a whole shortlist. */
export interface BurstOptions {
  /** Interval between bursts, in clock milliseconds. */
  everyMs: number;
  /** Candidates moved in each burst. */
  size: number;
}

/** Options of {@link startAtsSimulator}; every field is optional. */
export interface AtsSimulatorOptions {
  /** Port on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** Path of the report endpoint. Default: `/ccx/service/customreport2/acme/integration/Candidates_In_Assessment`. */
  path?: string;
  /** Query parameter (report prompt) holding the window start. Default: `From_Moment`. */
  fromParam?: string;
  /** Query parameter (report prompt) holding the window end. Default: `To_Moment`. */
  toParam?: string;
  /** Header that must carry `authValue`. Default: `authorization` when `authValue` is set. */
  authHeader?: string;
  /** Exact value the auth header must carry; a missing or different value answers 401. Default: no auth. */
  authValue?: string;
  /** External campaign ids candidates are moved under. Default: `['R-10001', 'R-10007']`. */
  requisitions?: string[];
  /** Steady moves per second of clock time. Default: 0 (only bursts and manual moves). */
  ratePerSecond?: number;
  /** Periodic bulk moves on top of the steady rate. Default: none. */
  burst?: BurstOptions;
  /** Seed of the PRNG behind names, emails, requisitions and offsets. Default: 1. */
  seed?: number;
  /**
   * Source of "now" in epoch milliseconds, for move instants and the request log. Default: `Date.now`.
   * The move generator follows this clock, not wall time: with a fake clock nothing moves until the test
   * advances it, and then exactly the moves due by the new time happen (within one internal timer tick).
   */
  clock?: () => number;
  /** `inclusive`: from ≤ moved ≤ to. `exclusive-end`: from ≤ moved < to. Default: `inclusive`. */
  bounds?: WindowBounds;
  /**
   * Serve this file's bytes verbatim to every authorised, well-formed window query instead of generated data.
   * No moves are generated; `moved()` returns the file's `Report_Entry` items (none if it has no such array).
   */
  fixtureFile?: string;
  /** Start with the move generator paused, until `resume()`. Default: false. */
  startPaused?: boolean;
}

export const DEFAULT_REPORT_PATH = '/ccx/service/customreport2/acme/integration/Candidates_In_Assessment';

export type ResolvedAtsSimulatorOptions = Required<Omit<AtsSimulatorOptions, 'burst' | 'fixtureFile' | 'authValue'>> &
  Pick<AtsSimulatorOptions, 'burst' | 'fixtureFile' | 'authValue'>;

/** Fills in defaults and rejects options that would make the simulator silently do nothing useful. */
export function resolveAtsSimulatorOptions(options: AtsSimulatorOptions): ResolvedAtsSimulatorOptions {
  const resolved: ResolvedAtsSimulatorOptions = {
    port: 0,
    path: DEFAULT_REPORT_PATH,
    fromParam: 'From_Moment',
    toParam: 'To_Moment',
    requisitions: ['R-10001', 'R-10007'],
    ratePerSecond: 0,
    seed: 1,
    clock: Date.now,
    bounds: 'inclusive',
    startPaused: false,
    ...withoutUndefined(options),
    authHeader: (options.authHeader ?? 'authorization').toLowerCase(),
  };
  if (!resolved.path.startsWith('/')) throw new Error(`ATS simulator: path must start with "/" (got "${resolved.path}").`);
  if (resolved.requisitions.length === 0) throw new Error('ATS simulator: requisitions must name at least one requisition id, e.g. ["R-10001"].');
  if (!(resolved.ratePerSecond >= 0) || !Number.isFinite(resolved.ratePerSecond)) {
    throw new Error(`ATS simulator: ratePerSecond must be a finite number >= 0 (got ${resolved.ratePerSecond}).`);
  }
  const burst = resolved.burst;
  if (burst && !(burst.everyMs > 0 && Number.isInteger(burst.size) && burst.size > 0)) {
    throw new Error(`ATS simulator: burst needs everyMs > 0 and a whole size > 0 (got ${JSON.stringify(burst)}).`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
