import { validateCreationRequest, type CreationRequestBody } from './creation-request';

const valid: CreationRequestBody = {
  accountId: 'acme', assessmentId: 'asm-1', email: 'priya.raman@example.com', firstName: 'Priya', lastName: 'Raman',
  externalCandidateId: 'C-2000001', externalCampaignId: 'R-10001', movedAt: '2026-11-18T09:12:44.210Z',
};
const codeOf = (raw: string) => {
  const check = validateCreationRequest(raw);
  return 'problem' in check ? check.problem.code : 'OK';
};

describe(validateCreationRequest.name, () => {
  it('accepts a body that follows the contract', () => {
    expect(validateCreationRequest(JSON.stringify(valid))).toEqual({ body: valid });
  });

  it('accepts an empty name part, which real candidates have', () => {
    expect(codeOf(JSON.stringify({ ...valid, lastName: '' }))).toBe('OK');
  });

  it.each([
    ['text that is not JSON', 'hello', 'CREATION.INVALID_JSON'],
    ['an empty body', '', 'CREATION.INVALID_JSON'],
    ['a JSON array', JSON.stringify([valid]), 'CREATION.BODY_NOT_OBJECT'],
    ['null', 'null', 'CREATION.BODY_NOT_OBJECT'],
    ['a blank email', JSON.stringify({ ...valid, email: '  ' }), 'CREATION.MISSING_FIELDS'],
    ['a numeric id', JSON.stringify({ ...valid, externalCandidateId: 2000001 }), 'CREATION.MISSING_FIELDS'],
    ['a movedAt that is no instant', JSON.stringify({ ...valid, movedAt: 'yesterday' }), 'CREATION.INVALID_MOVED_AT'],
  ])('refuses %s', (_, raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });

  it('names every missing field', () => {
    const { email: _email, movedAt: _movedAt, ...rest } = valid;
    const check = validateCreationRequest(JSON.stringify(rest));
    expect('problem' in check && check.problem.message).toBe('Missing, blank or non-string field(s): email, movedAt.');
  });
});
