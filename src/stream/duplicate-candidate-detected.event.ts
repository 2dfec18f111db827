import type { Candidate } from '../candidates/candidate';

/** The same (assessment, email) was reported again under another campaign or candidate id. */
export class DuplicateCandidateDetected {
  static readonly eventName = 'candidate.duplicate-detected';
  constructor(
    readonly previous: Candidate,
    readonly current: Candidate,
  ) {}
}
