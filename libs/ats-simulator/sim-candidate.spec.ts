import { parseIsoMoment } from './iso-moment';
import { CandidateFactory, normaliseEmail } from './sim-candidate';

describe(CandidateFactory.name, () => {
  const instant = Date.parse('2026-11-18T09:30:00.123Z');
  const makeMany = (count: number, seed = 7) => {
    const factory = new CandidateFactory(seed, ['R-10001', 'R-10007']);
    return Array.from({ length: count }, () => factory.make(instant));
  };

  describe('make', () => {
    it('gives 20,000 candidates unique normalised emails and unique ids', () => {
      const candidates = makeMany(20_000);
      expect(new Set(candidates.map((c) => normaliseEmail(c.Email_Address))).size).toBe(20_000);
      expect(new Set(candidates.map((c) => c.Candidate_ID)).size).toBe(20_000);
    });

    it('sends some emails untidy (capitals, surrounding spaces) to exercise normalisation', () => {
      const emails = makeMany(200).map((c) => c.Email_Address);
      const untidy = emails.filter((email) => email !== normaliseEmail(email));
      expect(untidy.length).toBeGreaterThan(10);
      expect(untidy[0]).toMatch(/^\s+[A-Z][a-z]*\.[A-Z][a-z]*(\.\d+)?@Example\.(Com|Org|Net)\s+$/);
    });

    it('uses non-ASCII names while keeping emails ASCII', () => {
      const candidates = makeMany(500);
      expect(candidates.some((c) => /[^\x20-\x7e]/.test(c.First_Name + c.Last_Name))).toBe(true);
      for (const c of candidates) expect(c.Email_Address.trim()).toMatch(/^[A-Za-z.\d]+@[A-Za-z.]+$/);
    });

    it('stamps the move instant with millisecond precision under varied offsets', () => {
      const candidates = makeMany(200);
      for (const c of candidates) expect(parseIsoMoment(c.Moved_to_Step_Moment)?.epochMs).toBe(instant);
      const offsets = new Set(candidates.map((c) => c.Moved_to_Step_Moment.slice(-6)));
      expect([...offsets].sort()).toEqual(['+00:00', '+01:00', '+05:30', '-08:00']);
    });

    it('moves candidates under the configured requisitions only, with Workday-style titles', () => {
      const candidates = makeMany(100);
      expect(new Set(candidates.map((c) => c.Job_Requisition_ID))).toEqual(new Set(['R-10001', 'R-10007']));
      expect(candidates.find((c) => c.Job_Requisition_ID === 'R-10001')!.Job_Requisition).toBe('R-10001 Graduate Software Engineer (Open)');
      expect(candidates.every((c) => c.Recruiting_Step === 'Assessment')).toBe(true);
    });

    it('is deterministic for a seed and differs between seeds', () => {
      expect(makeMany(50, 42)).toEqual(makeMany(50, 42));
      expect(makeMany(50, 42)).not.toEqual(makeMany(50, 43));
    });
  });

  describe('reserveEmail', () => {
    it('keeps generated emails clear of an email a test chose', () => {
      const first = new CandidateFactory(7, ['R-10001']).make(instant);
      const factory = new CandidateFactory(7, ['R-10001']);
      factory.reserveEmail(` ${first.Email_Address.trim().toUpperCase()} `);
      expect(normaliseEmail(factory.make(instant).Email_Address)).not.toBe(normaliseEmail(first.Email_Address));
    });
  });
});
