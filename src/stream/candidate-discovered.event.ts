import type { Candidate } from '../candidates/candidate';

/** A candidate was written into the ledger for the first time (an INSERT change record). */
export class CandidateDiscovered {
  static readonly eventName = 'candidate.discovered';
  constructor(readonly candidate: Candidate) {}
}
