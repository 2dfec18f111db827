import type { Alert } from './alert';

/** The details that make two alerts "the same fault": same kind, account, reason and range or candidate. */
const IDENTITY = ['accountId', 'assessmentId', 'reason', 'code', 'emailHash', 'from', 'to', 'sequenceNumber'] as const;

export function suppressionKey(alert: Pick<Alert, 'kind' | 'details'>): string {
  return JSON.stringify([alert.kind, ...IDENTITY.map((k) => alert.details[k] ?? null)]);
}

/**
 * Lets the first alert of a key through, then holds back repeats for `windowMs`, so a fault that persists
 * for hours is one message an interval (carrying the count held back), not a flood. Per process.
 */
export class AlertSuppressor {
  private readonly lastSent = new Map<string, { at: number; held: number }>();

  constructor(private readonly windowMs: number) {}

  /** Undefined when the alert is to be held back; otherwise how many were held back before it. */
  admit(key: string, nowMs: number): number | undefined {
    const seen = this.lastSent.get(key);
    if (seen && nowMs - seen.at < this.windowMs) {
      seen.held++;
      return undefined;
    }
    this.lastSent.set(key, { at: nowMs, held: 0 });
    if (this.lastSent.size > 10_000) this.forgetOlderThan(nowMs - this.windowMs);
    return seen?.held ?? 0;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, v] of this.lastSent) if (v.at < cutoff) this.lastSent.delete(key);
  }
}
