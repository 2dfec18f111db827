/** A half-open-in-spirit time range `[fromMs, toMs]` in epoch ms, as sent to the ATS. */
export interface PollWindow {
  fromMs: number;
  toMs: number;
}

export interface WindowPlanInput {
  /** Every moment up to here was polled successfully (for a new account: where its coverage starts). */
  watermarkMs: number;
  nowMs: number;
  overlapMs: number;
  settleMs: number;
  pollIntervalMs: number;
  /** The widest window to ask for: after downtime the gap is caught up in slices, oldest first. */
  maxWindowMs: number;
  /** Window ends are rounded down to this step so every replica computes the same window (and job id). */
  alignMs: number;
}

/**
 * The next window to poll for an account, or undefined when it is not due yet. The window starts `overlap`
 * before the watermark (ATSs index late) and ends `settle` before now — or, when catching up after downtime,
 * `maxWindow` after its start, and is then due at once. Pure.
 */
export function planNextWindow(input: WindowPlanInput): PollWindow | undefined {
  const settledEnd = Math.floor((input.nowMs - input.settleMs) / input.alignMs) * input.alignMs;
  if (settledEnd - input.watermarkMs < input.pollIntervalMs) return undefined;
  const fromMs = input.watermarkMs - input.overlapMs;
  // The overlap must fit inside a slice, or a slice could end before the watermark and never move it.
  const sliceEnd = fromMs + Math.max(input.maxWindowMs, input.overlapMs + input.alignMs);
  return { fromMs, toMs: Math.min(settledEnd, sliceEnd) };
}

/** A job id unique to (account, window): replicas that plan the same window enqueue it once. */
export function pollJobId(accountId: string, window: PollWindow): string {
  return `poll|${accountId}|${window.fromMs}|${window.toMs}`;
}
