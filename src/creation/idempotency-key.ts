import { createHash } from 'node:crypto';
import type { Candidate } from '../candidates/candidate';

/**
 * The candidate's identity at the platform: one assessment, one normalised email. Every call for the same
 * candidate carries this key, whichever change record, replica or retry caused it. Hashing keeps the email
 * out of job ids and headers.
 */
export function idempotencyKey(c: Pick<Candidate, 'assessmentId' | 'email'>): string {
  return createHash('sha256').update(`${c.assessmentId}\n${c.email}`).digest('hex');
}
