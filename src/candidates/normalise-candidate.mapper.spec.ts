import type { AccountConfig } from '../config/account.schema';
import { normaliseCandidate } from './normalise-candidate.mapper';

const account = {
  id: 'acme',
  campaigns: { 'R-10001': 'asm-graduate', 'R-10007': 'asm-intern' },
  connector: {
    timeZone: 'America/Los_Angeles',
    fields: {
      email: 'Email_Address',
      firstName: 'First_Name',
      lastName: 'Last_Name',
      externalCandidateId: 'Candidate_ID',
      externalCampaignId: 'Job_Requisition_ID',
      movedAt: 'Moved_to_Step_Moment',
    },
  },
} as unknown as AccountConfig;

const record = (over: Record<string, unknown> = {}) => ({
  Candidate_ID: 'C-1',
  First_Name: ' Zoë ',
  Last_Name: 'Łukasz',
  Email_Address: '  Jonas.Berg@Example.COM ',
  Job_Requisition_ID: 'R-10001',
  Moved_to_Step_Moment: '2026-11-18T01:30:00.000-08:00',
  ...over,
});

describe(normaliseCandidate.name, () => {
  it('trims and lower-cases the email, maps the campaign and moves the instant to UTC', () => {
    expect(normaliseCandidate(record(), account)).toEqual({
      ok: true,
      candidate: {
        accountId: 'acme',
        assessmentId: 'asm-graduate',
        email: 'jonas.berg@example.com',
        firstName: 'Zoë',
        lastName: 'Łukasz',
        externalCandidateId: 'C-1',
        externalCampaignId: 'R-10001',
        movedAt: '2026-11-18T09:30:00.000Z',
      },
    });
  });

  it('accepts ids sent as numbers', () => {
    const result = normaliseCandidate(record({ Candidate_ID: 2000001 }), account);
    expect(result.ok && result.candidate.externalCandidateId).toBe('2000001');
  });

  it.each([
    [{ Email_Address: undefined }, 'RECORD.EMAIL_MISSING'],
    [{ Email_Address: '' }, 'RECORD.EMAIL_MISSING'],
    [{ Email_Address: 'not-an-email' }, 'RECORD.EMAIL_INVALID'],
    [{ Email_Address: 'a b@example.com' }, 'RECORD.EMAIL_INVALID'],
    [{ Job_Requisition_ID: 'R-99999' }, 'RECORD.CAMPAIGN_UNMAPPED'],
    [{ Job_Requisition_ID: ' ' }, 'RECORD.CAMPAIGN_MISSING'],
    [{ Candidate_ID: null }, 'RECORD.CANDIDATE_ID_MISSING'],
    [{ Moved_to_Step_Moment: 'yesterday' }, 'RECORD.MOVED_AT_INVALID'],
    [{ Moved_to_Step_Moment: '99999999999999999999' }, 'RECORD.MOVED_AT_INVALID'],
    [{ Moved_to_Step_Moment: '20261118' }, 'RECORD.MOVED_AT_INVALID'],
    [{ Job_Requisition_ID: 'constructor' }, 'RECORD.CAMPAIGN_UNMAPPED'],
    [{ Job_Requisition_ID: '__proto__' }, 'RECORD.CAMPAIGN_UNMAPPED'],
    [{ Candidate_ID: 'C'.repeat(201) }, 'RECORD.CANDIDATE_ID_INVALID'],
    [{ Email_Address: `${'a'.repeat(250)}@example.com` }, 'RECORD.EMAIL_INVALID'],
  ])('rejects %p with %s', (over, reason) => {
    const result = normaliseCandidate(record(over), account);
    expect(result).toEqual({ ok: false, rejection: { reason, detail: expect.any(String) } });
  });

  it('treats the two Unicode forms of one address as one email', () => {
    const nfd = normaliseCandidate(record({ Email_Address: 'Zoe\u0308@example.com' }), account);
    const nfc = normaliseCandidate(record({ Email_Address: 'zo\u00eb@example.com' }), account);
    expect(nfd.ok && nfc.ok && nfd.candidate.email === nfc.candidate.email).toBe(true);
  });

  it('cuts very long names so a ledger item stays far below 400 KB', () => {
    const result = normaliseCandidate(record({ First_Name: 'x'.repeat(450_000) }), account);
    expect(result.ok && result.candidate.firstName.length).toBe(200);
  });

  it('never cuts a name between the two halves of a character outside the BMP', () => {
    const result = normaliseCandidate(record({ First_Name: `${'x'.repeat(199)}😀 and more` }), account);
    expect(result.ok && result.candidate.firstName).toBe('x'.repeat(199));
  });

  it('rejects a record that is not an object', () => {
    expect(normaliseCandidate([1, 2], account)).toMatchObject({ ok: false, rejection: { reason: 'RECORD.NOT_AN_OBJECT' } });
  });

  it('never puts the email into the rejection detail', () => {
    const result = normaliseCandidate(record({ Email_Address: 'bad@address' }), account);
    expect(JSON.stringify(result)).not.toContain('bad@address');
  });
});
