import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Candidate } from '../candidates/candidate';

export type LedgerItem = Record<string, AttributeValue>;

const DAY_MS = 86_400_000;

/**
 * The ledger item for a candidate. Only values derived from the candidate: re-writing an unchanged candidate
 * must change nothing, so it emits no change record. The TTL is derived from movedAt for the same reason.
 */
export function toLedgerItem(c: Candidate, ttlDays: number): LedgerItem {
  return {
    assessmentId: { S: c.assessmentId },
    email: { S: c.email },
    accountId: { S: c.accountId },
    externalCandidateId: { S: c.externalCandidateId },
    externalCampaignId: { S: c.externalCampaignId },
    firstName: { S: c.firstName },
    lastName: { S: c.lastName },
    movedAt: { S: c.movedAt },
    expiresAt: { N: String(Math.floor((Date.parse(c.movedAt) + ttlDays * DAY_MS) / 1000)) },
  };
}

/** Reads a ledger image (from a change record) back into a candidate; undefined if a field is missing. */
export function fromLedgerImage(image: Record<string, { S?: string }> | undefined): Candidate | undefined {
  if (!image) return undefined;
  const s = (k: string) => image[k]?.S;
  const fields = ['accountId', 'assessmentId', 'email', 'externalCandidateId', 'externalCampaignId', 'movedAt'] as const;
  if (fields.some((k) => typeof s(k) !== 'string')) return undefined;
  return {
    accountId: s('accountId')!,
    assessmentId: s('assessmentId')!,
    email: s('email')!,
    firstName: s('firstName') ?? '',
    lastName: s('lastName') ?? '',
    externalCandidateId: s('externalCandidateId')!,
    externalCampaignId: s('externalCampaignId')!,
    movedAt: s('movedAt')!,
  };
}

export const LEDGER_TTL_ATTRIBUTE = 'expiresAt';
