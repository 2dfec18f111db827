import type { Candidate } from '../candidates/candidate';
import { chunk, dedupeByKey } from './batching';

const candidate = (email: string, campaign: string, movedAt: string, assessmentId = 'asm-1'): Candidate => ({
  accountId: 'acme', assessmentId, email, firstName: '', lastName: '', externalCandidateId: 'C', externalCampaignId: campaign, movedAt,
});

describe(dedupeByKey.name, () => {
  it('keeps one candidate per (assessment, email), the latest move', () => {
    const out = dedupeByKey([
      candidate('a@x.io', 'R-1', '2026-01-01T00:00:00.000Z'),
      candidate('a@x.io', 'R-2', '2026-01-02T00:00:00.000Z'),
      candidate('a@x.io', 'R-3', '2026-01-01T12:00:00.000Z'),
      candidate('a@x.io', 'R-1', '2026-01-01T00:00:00.000Z', 'asm-2'),
    ]);
    expect(out.map((c) => [c.assessmentId, c.externalCampaignId])).toEqual([['asm-1', 'R-2'], ['asm-2', 'R-1']]);
  });
});

describe(chunk.name, () => {
  it('splits into requests of at most 25', () => {
    expect(chunk(Array.from({ length: 51 }, (_, i) => i)).map((c) => c.length)).toEqual([25, 25, 1]);
    expect(chunk([])).toEqual([]);
  });
});
