import { renderTemplate, type ErrorReport } from './error-report';

describe(renderTemplate.name, () => {
  const report: ErrorReport = {
    accountId: 'acme', reason: 'CREATION.REJECTED', detail: 'HTTP 422: assessment closed', externalCandidateId: 'C-1', externalCampaignId: 'R-1', failedAt: '2026-12-03T10:00:00.000Z',
  };

  it('fills placeholders anywhere in a nested template, leaving other values alone', () => {
    expect(renderTemplate({ candidate: '{{externalCandidateId}}', note: 'ats-bridge: {{reason}} ({{detail}})', tags: ['{{accountId}}', 'assessment'], priority: 2, unknown: '{{nope}}' }, report)).toEqual({
      candidate: 'C-1', note: 'ats-bridge: CREATION.REJECTED (HTTP 422: assessment closed)', tags: ['acme', 'assessment'], priority: 2, unknown: '',
    });
  });
});
