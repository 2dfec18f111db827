import type { Candidate } from '../candidates/candidate';
import { fromLedgerImage } from '../ledger/ledger-item.mapper';
import type { ChangeRecord } from './change-record';

export type ChangeClassification =
  | { kind: 'discovered'; candidate: Candidate }
  | { kind: 'duplicate'; previous: Candidate; current: Candidate }
  | { kind: 'ignored'; reason: 'MODIFY_SAME_CANDIDATE' | 'REMOVE' | 'TTL_EXPIRY' | 'IMAGE_INCOMPLETE' };

/**
 * What a ledger change means. INSERT is a first sighting. A MODIFY whose external campaign or candidate id
 * changed is the same person reported again under another campaign (or another ATS record) for the same
 * assessment: a duplicate. Anything else needs no action. Pure.
 */
export function classifyChange(record: ChangeRecord): ChangeClassification {
  const { NewImage, OldImage } = record.dynamodb;
  switch (record.eventName) {
    case 'INSERT': {
      const candidate = fromLedgerImage(NewImage as never);
      return candidate ? { kind: 'discovered', candidate } : { kind: 'ignored', reason: 'IMAGE_INCOMPLETE' };
    }
    case 'MODIFY': {
      const previous = fromLedgerImage(OldImage as never);
      const current = fromLedgerImage(NewImage as never);
      if (!previous || !current) return { kind: 'ignored', reason: 'IMAGE_INCOMPLETE' };
      const changed = previous.externalCampaignId !== current.externalCampaignId || previous.externalCandidateId !== current.externalCandidateId;
      return changed ? { kind: 'duplicate', previous, current } : { kind: 'ignored', reason: 'MODIFY_SAME_CANDIDATE' };
    }
    case 'REMOVE':
      return { kind: 'ignored', reason: record.userIdentity?.principalId === 'dynamodb.amazonaws.com' ? 'TTL_EXPIRY' : 'REMOVE' };
  }
}
