import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';

const FIXTURE = join(__dirname, '../../libs/ats-simulator/fixtures/workday-raas-report.json');

describe('a Workday RaaS report served as the ATS response', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulators: { acme: { fixtureFile: FIXTURE }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': { pollIntervalMs: 1_000, overlapMs: 3_000, settleMs: 0 } },
      env: { TICK_INTERVAL_MS: '250' },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('creates exactly its three candidates, with normalised emails and the mapped assessments', async () => {
    await stack.stub.waitForCreated(3, 30_000);
    // Several more polls of the same report must not add anything.
    const requests = stack.simulators.acme.requests().length;
    await stack.simulators.acme.waitForRequests(requests + 2, 30_000);
    await stack.kcl.idle();

    const created = stack.stub
      .created()
      .map(({ assessmentId, email, externalCampaignId, externalCandidateId, firstName, lastName, movedAt, accountId }) => ({
        accountId, assessmentId, email, externalCampaignId, externalCandidateId, firstName, lastName, movedAt,
      }))
      .sort((a, b) => a.externalCandidateId.localeCompare(b.externalCandidateId));
    expect(created).toEqual([
      { accountId: 'acme-workday', assessmentId: 'asm-graduate-swe', email: 'priya.raman@example.com', externalCampaignId: 'R-10001', externalCandidateId: 'C-2000001', firstName: 'Priya', lastName: 'Raman', movedAt: '2026-11-18T09:12:44.210Z' },
      { accountId: 'acme-workday', assessmentId: 'asm-graduate-swe', email: 'jonas.berg@example.com', externalCampaignId: 'R-10001', externalCandidateId: 'C-2000002', firstName: 'Jonas', lastName: 'Berg', movedAt: '2026-11-18T09:30:00.000Z' },
      { accountId: 'acme-workday', assessmentId: 'asm-data-intern', email: 'amara.okafor@example.org', externalCampaignId: 'R-10007', externalCandidateId: 'C-2000003', firstName: 'Amara', lastName: 'Okafor', movedAt: '2026-11-18T09:05:09.000Z' },
    ]);
    expect(stack.stub.calls()).toHaveLength(3);
  }, 60_000);
});
