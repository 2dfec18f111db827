import { maskEmails } from './http-creation-api.client';

describe(maskEmails.name, () => {
  it('masks anything shaped like an email address in an error text from the platform', () => {
    expect(maskEmails('{"error":"Candidate rejected.echo.fail@example.com cannot be invited: domain blocked"}')).toBe(
      '{"error":"Candidate [email] cannot be invited: domain blocked"}',
    );
    expect(maskEmails('no address here')).toBe('no address here');
  });
});
