/**
 * Faults the change capture can inject, to test what AWS allows but rarely does. All off by default; change them
 * at any time with `changeCapture.setFaults(...)`.
 */
export interface ChangeCaptureFaults {
  /**
   * 0..1: probability that each put/delete request of a BatchWriteItem is not written and comes back in
   * `UnprocessedItems` instead, as under throttling. Default 0.
   */
  unprocessedRate?: number;
  /** 0..1: probability that a change record is put into the stream twice (same eventID). Default 0. */
  duplicateRate?: number;
  /** Put the change records of one write in random order instead of item order. Default false. */
  shuffle?: boolean;
  /** Seed of the pseudo-random generator behind the faults; setting it restarts the sequence. Default 1. */
  seed?: number;
}

/** Decides, reproducibly for a given seed, which faults hit which request or record. */
export class FaultInjector {
  private faults: Required<ChangeCaptureFaults> = { unprocessedRate: 0, duplicateRate: 0, shuffle: false, seed: 1 };
  private random = mulberry32(1);

  /** Merges `faults` into the current ones. */
  set(faults: ChangeCaptureFaults): void {
    for (const rate of ['unprocessedRate', 'duplicateRate'] as const) {
      const value = faults[rate];
      if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`${rate} must be within 0..1, got ${value}`);
    }
    this.faults = { ...this.faults, ...faults };
    if (faults.seed !== undefined) this.random = mulberry32(faults.seed);
  }

  get current(): Readonly<Required<ChangeCaptureFaults>> {
    return this.faults;
  }

  /** Whether the next batch write request should be left unprocessed. */
  leaveUnprocessed(): boolean {
    return this.faults.unprocessedRate > 0 && this.random() < this.faults.unprocessedRate;
  }

  /** The records of one write as they should be put: some duplicated, maybe shuffled. */
  distort<T>(records: readonly T[]): T[] {
    const out: T[] = [];
    for (const record of records) {
      out.push(record);
      if (this.faults.duplicateRate > 0 && this.random() < this.faults.duplicateRate) out.push(record);
    }
    if (this.faults.shuffle) {
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
    }
    return out;
  }
}

/** A small, fast, seedable PRNG (Tommy Ettinger's mulberry32); uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
