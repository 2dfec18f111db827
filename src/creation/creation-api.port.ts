import type { Candidate } from '../candidates/candidate';

export const CREATION_API = Symbol('CREATION_API');

/** What the platform said about one creation call. */
export type CreationResult =
  | { outcome: 'created' | 'already-existed'; status: number }
  | { outcome: 'retry'; status: number; retryAfterMs?: number; reason: string }
  | { outcome: 'rejected'; status: number; reason: string };

/** The assessment platform's creation API (design "Contracts"). */
export interface CreationApi {
  /** Never throws for an HTTP answer; network failures come back as `retry`. */
  create(candidate: Candidate, idempotencyKey: string): Promise<CreationResult>;
}
