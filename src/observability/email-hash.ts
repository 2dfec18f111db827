import { createHash } from 'node:crypto';

/**
 * Candidate emails are personal data: logs and alerts carry this short hash instead, which still lets an
 * operator match a log line to a candidate they already know (hash the address they have and compare).
 */
export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16);
}
