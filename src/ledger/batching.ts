import type { Candidate } from '../candidates/candidate';

/** BatchWriteItem's hard limit of put/delete requests per call. */
export const BATCH_WRITE_LIMIT = 25;

export function ledgerKey(c: Pick<Candidate, 'assessmentId' | 'email'>): string {
  return `${c.assessmentId}\u0000${c.email}`;
}

/**
 * Keeps one candidate per ledger key, because DynamoDB rejects a whole BatchWriteItem that names a key twice.
 * The latest move wins (ties: the later record), so with windows moving forward the ledger converges on the
 * newest sighting instead of flip-flopping between two campaigns on every overlapping re-poll.
 */
export function dedupeByKey(candidates: readonly Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of candidates) {
    const seen = byKey.get(ledgerKey(c));
    if (!seen || c.movedAt >= seen.movedAt) byKey.set(ledgerKey(c), c);
  }
  return [...byKey.values()];
}

/** Splits into requests of at most {@link BATCH_WRITE_LIMIT}. */
export function chunk<T>(items: readonly T[], size = BATCH_WRITE_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
