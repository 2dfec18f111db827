/** A candidate as the ledger stores it: normalised, mapped to an assessment, and nothing volatile. */
export interface Candidate {
  accountId: string;
  assessmentId: string;
  /** Trimmed and lower-cased; the ledger's range key. */
  email: string;
  firstName: string;
  lastName: string;
  externalCandidateId: string;
  externalCampaignId: string;
  /** ISO-8601 UTC instant of the move into the polled status. */
  movedAt: string;
}

/** Why a record could not become a {@link Candidate}; an `AREA.REASON` code survives process boundaries. */
export type RejectionReason =
  | 'RECORD.NOT_AN_OBJECT'
  | 'RECORD.EMAIL_MISSING'
  | 'RECORD.EMAIL_INVALID'
  | 'RECORD.CAMPAIGN_MISSING'
  | 'RECORD.CAMPAIGN_UNMAPPED'
  | 'RECORD.CANDIDATE_ID_MISSING'
  | 'RECORD.CANDIDATE_ID_INVALID'
  | 'RECORD.MOVED_AT_INVALID'
  | 'RECORD.UNREADABLE';

export interface Rejection {
  reason: RejectionReason;
  detail: string;
}
