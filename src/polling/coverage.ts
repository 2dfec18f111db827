import type { PollWindow } from './poll-window';

/**
 * What is known to be polled for an account: every instant up to `watermarkMs`, plus the completed windows
 * beyond it (pieces of a split window that finished before an earlier piece). Windows are closed intervals
 * in epoch ms; two windows cover a range together only if they share at least one instant, because an ATS
 * may hold timestamps finer than a millisecond between two adjacent bounds.
 */
export interface Coverage {
  watermarkMs: number;
  completed: PollWindow[];
}

/** Adds a completed window and moves the watermark over every window that now touches it. Pure. */
export function recordCompleted(coverage: Coverage, window: PollWindow): Coverage {
  let watermarkMs = coverage.watermarkMs;
  let pending = [...coverage.completed, window].sort((a, b) => a.fromMs - b.fromMs);
  for (let moved = true; moved; ) {
    moved = false;
    for (const w of pending) {
      if (w.fromMs <= watermarkMs && w.toMs > watermarkMs) {
        watermarkMs = w.toMs;
        moved = true;
      }
    }
    pending = pending.filter((w) => w.toMs > watermarkMs);
  }
  return { watermarkMs, completed: mergeOverlapping(pending) };
}

/** True when every instant of `window` is already covered. */
export function isCovered(coverage: Coverage, window: PollWindow): boolean {
  if (window.toMs <= coverage.watermarkMs) return true;
  const start = Math.max(window.fromMs, coverage.watermarkMs);
  return coverage.completed.some((w) => w.fromMs <= start && w.toMs >= window.toMs);
}

function mergeOverlapping(windows: PollWindow[]): PollWindow[] {
  const merged: PollWindow[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, w.toMs);
    else merged.push({ ...w });
  }
  return merged;
}

/** The two halves of a window; they share their middle instant, so together they cover the whole. Pure. */
export function splitWindow(window: PollWindow): [PollWindow, PollWindow] {
  const middle = window.fromMs + Math.floor((window.toMs - window.fromMs) / 2);
  return [
    { fromMs: window.fromMs, toMs: middle },
    { fromMs: middle, toMs: window.toMs },
  ];
}
