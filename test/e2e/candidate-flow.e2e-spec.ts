import { hashEmail } from '../../src/observability/email-hash';
import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { idempotencyKey } from '../../src/creation/idempotency-key';
import { ProcessorLogs } from '../support/processor-logs';
import { waitForCreatedEmail } from './e2e-helpers';
import { Queue } from 'bullmq';
import { CREATE_QUEUE } from '../../src/jobs/queues';
import { loadConfig } from '../../src/config/load-config';
import { createDynamoDbClient } from '../../src/aws/aws-clients';
import { QuarantineStore } from '../../src/polling/quarantine.store';

/** Fast polling so the suite runs in seconds; an overlap of many intervals so every re-poll re-reads recent candidates. */
const FAST = { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200 };

describe('candidate flow, end to end', () => {
  let stack: LocalStack;
  let processorLogs: ProcessorLogs;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulators: { acme: { ratePerSecond: 5 }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': FAST, 'globex-workday': FAST },
      env: { TICK_INTERVAL_MS: '250', FAILING_ACCOUNT_RECHECK_MS: '4000' },
    });
    processorLogs = new ProcessorLogs(stack.kcl);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const createdEmail = (email: string) => waitForCreatedEmail(stack, email);

  const createdFor = (assessmentId: string, email: string) =>
    stack.stub.created().filter((c) => c.assessmentId === assessmentId && c.email === email);

  it('creates every candidate the simulator moved exactly once, with one Idempotency-Key each', async () => {
    stack.simulators.acme.moveMany(30);
    await stack.simulators.acme.waitForMoves(60, 20_000);
    stack.simulators.acme.pause();
    const moved = stack.simulators.acme.moved();
    const assessmentFor: Record<string, string> = { 'R-10001': 'asm-graduate-swe', 'R-10007': 'asm-data-intern' };
    const expected = new Set(moved.map((c) => `${assessmentFor[c.Job_Requisition_ID]}/${c.Email_Address.trim().toLowerCase()}`));

    await stack.stub.waitForCreated(expected.size, 60_000);

    const created = stack.stub.created();
    expect(new Set(created.map((c) => `${c.assessmentId}/${c.email}`))).toEqual(expected);
    expect(created).toHaveLength(expected.size);
    for (const c of created) expect(c.idempotencyKey).toBe(idempotencyKey(c));
    const keysByCandidate = new Map<string, Set<string>>();
    for (const call of stack.stub.calls()) {
      const body = call.body as { assessmentId: string; email: string };
      const k = `${body.assessmentId}/${body.email}`;
      keysByCandidate.set(k, (keysByCandidate.get(k) ?? new Set()).add(call.idempotencyKey!));
    }
    expect([...keysByCandidate.values()].every((keys) => keys.size === 1)).toBe(true);
  }, 90_000);

  it('creates nothing new when overlapping windows re-poll candidates already in the ledger', async () => {
    const recent = stack.simulators.acme.moveNow({ Job_Requisition_ID: 'R-10001' });
    await stack.stub.waitForCreated(stack.stub.created().length + 1, 30_000);
    await stack.kcl.idle();
    const callsBefore = stack.stub.calls().length;
    const requestsBefore = stack.simulators.acme.requests().length;
    const newBefore = await stack.stats('candidates_new');
    const ignoredBefore = await stack.stats('change_records_ignored');

    const repolls = (await stack.simulators.acme.waitForRequests(requestsBefore + 3, 30_000)).slice(requestsBefore);
    await stack.kcl.idle();

    // The re-polls did return candidates already written: each window reached back over the recent one.
    expect(repolls.every((r) => r.count > 0 && r.from!.getTime() <= Date.parse(recent.Moved_to_Step_Moment))).toBe(true);
    expect(await stack.stats('candidates_new')).toBe(newBefore);
    // Stronger than "no creation": an unchanged candidate re-written emits no change record at all.
    expect(await stack.stats('change_records_ignored')).toBe(ignoredBefore);
    expect(stack.stub.calls()).toHaveLength(callsBefore);
  }, 60_000);

  it('raises a duplicate alert, and creates no second time, for the same email under another campaign of the same assessment', async () => {
    const email = 'dana.duplicate@example.com';
    stack.simulators.globex.moveNow({ Email_Address: email, Job_Requisition_ID: 'G-200' });
    await createdEmail(email);
    stack.simulators.globex.moveNow({ Email_Address: '  Dana.Duplicate@Example.com ', Job_Requisition_ID: 'G-201' });

    const alert = await processorLogs.waitFor((l) => l.kind === 'DUPLICATE_CANDIDATE' && l.emailHash === hashEmail(email));
    expect(alert).toMatchObject({
      alert: true,
      accountId: 'globex-workday',
      assessmentId: 'asm-sales-assessment',
      previous: { externalCampaignId: 'G-200' },
      current: { externalCampaignId: 'G-201' },
    });
    expect(JSON.stringify(processorLogs.lines)).not.toContain(email);

    await stack.kcl.idle();
    expect(createdFor('asm-sales-assessment', email)).toHaveLength(1);
    expect(stack.stub.calls().filter((c) => (c.body as { email: string }).email === email)).toHaveLength(1);
  }, 60_000);

  it('creates one person under two campaigns mapped to different assessments once per assessment', async () => {
    const email = 'pat.twice@example.org';
    stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });
    stack.simulators.acme.moveNow({ Email_Address: 'PAT.twice@example.org', Job_Requisition_ID: 'R-10007' });

    await stack.stub.waitForCreated(stack.stub.created().length + 2, 30_000);
    await stack.kcl.idle();

    expect(createdFor('asm-graduate-swe', email)).toHaveLength(1);
    expect(createdFor('asm-data-intern', email)).toHaveLength(1);
    expect(processorLogs.matching((l) => l.kind === 'DUPLICATE_CANDIDATE' && l.emailHash === hashEmail(email))).toHaveLength(0);
  }, 60_000);

  it('retries 5xx and 429 answers of the creation API with the same Idempotency-Key until the candidate is created', async () => {
    const email = 'rita.retry@example.com';
    let failures = 0;
    stack.stub.setResponder((call) => {
      if ((call.body as { email?: string }).email !== email || failures >= 2) return undefined;
      failures++;
      return failures === 1 ? { status: 503 } : { status: 429, headers: { 'retry-after': '4' } };
    });
    stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });

    await createdEmail(email);
    stack.stub.setResponder(undefined);

    const calls = stack.stub.calls().filter((c) => (c.body as { email: string }).email === email);
    expect(calls.map((c) => c.status)).toEqual([503, 429, 201]);
    // Retry-After: 4 was honoured (the default backoff after a second attempt would be 1.5–2.5 s).
    expect(calls[2].receivedAt.getTime() - calls[1].receivedAt.getTime()).toBeGreaterThanOrEqual(3_950);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([idempotencyKey({ assessmentId: 'asm-graduate-swe', email })]));
  }, 60_000);

  it('counts a 409 as delivered and stops; a 422 as a permanent failure with an alert and no retry loop', async () => {
    const exists = 'ezra.exists@example.com';
    const invalid = 'ivy.invalid@example.com';
    stack.stub.setResponder((call) => {
      const body = call.body as { email?: string };
      if (body.email === exists) return { status: 409, body: { error: 'already exists' } };
      if (body.email === invalid) return { status: 422, body: { error: 'assessment closed' } };
      return undefined;
    });
    const alreadyExistedBefore = await stack.stats('candidates_already_existed');
    stack.simulators.acme.moveNow({ Email_Address: exists, Job_Requisition_ID: 'R-10001' });
    stack.simulators.acme.moveNow({ Email_Address: invalid, Job_Requisition_ID: 'R-10007' });

    const alert = await stack.apps[0].waitForLog((l) => l.kind === 'CREATION_REJECTED');
    expect(alert).toMatchObject({ alert: true, accountId: 'acme-workday', assessmentId: 'asm-data-intern', emailHash: hashEmail(invalid) });
    expect(String(alert.msg)).toContain('HTTP 422');
    await stack.apps[0].waitForLog((l) => l.msg === 'candidate delivered' && l.emailHash === hashEmail(exists));
    stack.stub.setResponder(undefined);

    expect(await stack.stats('candidates_already_existed')).toBe(alreadyExistedBefore + 1);
    const callsFor = (email: string) => stack.stub.calls().filter((c) => (c.body as { email: string }).email === email);
    expect(callsFor(exists).map((c) => c.status)).toEqual([409]);
    expect(callsFor(invalid).map((c) => c.status)).toEqual([422]);
    const queue = new Queue(CREATE_QUEUE, { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.QUEUE_PREFIX });
    const job = await queue.getJob(idempotencyKey({ assessmentId: 'asm-data-intern', email: invalid }));
    expect([await job?.getState(), job?.attemptsMade]).toEqual(['failed', 1]);
    await queue.close();
    expect(JSON.stringify(stack.apps[0].logs)).not.toContain(invalid);
  }, 60_000);

  it('keeps creating candidates after the daemon refuses a checkpoint', async () => {
    for (const shardId of stack.kcl.shardIds) stack.kcl.checkpointErrorOnce(shardId, 'InvalidStateException');
    const move = (prefix: string) => {
      for (let i = 0; i < 10; i++) stack.simulators.acme.moveNow({ Email_Address: `${prefix}.${i}@example.com`, Job_Requisition_ID: 'R-10001' });
    };
    move('before.refusal');
    await stack.stub.waitForCreated(stack.stub.created().length + 10, 30_000);
    await processorLogs.waitFor((l) => l.msg === 'checkpoint refused; records after the last checkpoint may be replayed' && l.error === 'InvalidStateException');

    move('after.refusal');
    await stack.stub.waitForCreated(stack.stub.created().length + 10, 30_000);
    await stack.kcl.idle();
    expect(stack.stub.created().filter((c) => c.email.startsWith('after.refusal.'))).toHaveLength(10);
  }, 60_000);

  it('quarantines bad records with their reason, listable per account, alerting once, while the good ones flow', async () => {
    const good = 'gwen.good@example.com';
    stack.simulators.acme.moveNow({ Email_Address: 'not-an-email', Job_Requisition_ID: 'R-10001' });
    stack.simulators.acme.moveNow({ Email_Address: 'quinn.unmapped@example.com', Job_Requisition_ID: 'R-99999' });
    stack.simulators.acme.moveNow({ Email_Address: 'mo.moment@example.com', Job_Requisition_ID: 'R-10001', Moved_to_Step_Moment: '99999999999999999999' });
    stack.simulators.acme.moveNow({ Email_Address: good, Job_Requisition_ID: 'R-10001' });
    await createdEmail(good);
    // Let the overlapping re-polls read the same bad records again: they must not alert again.
    await stack.simulators.acme.waitForRequests(stack.simulators.acme.requests().length + 2, 30_000);

    const config = loadConfig(stack.env);
    const dynamodb = createDynamoDbClient(config.env, { credentials: stack.aws.credentials });
    const quarantined = await new QuarantineStore(dynamodb, config).list('acme-workday');
    dynamodb.destroy();
    expect(quarantined.map((q) => q.reason).sort()).toEqual(['RECORD.CAMPAIGN_UNMAPPED', 'RECORD.EMAIL_INVALID', 'RECORD.MOVED_AT_INVALID']);
    const alerts = stack.apps[0].logs.filter((l) => l.kind === 'RECORD_QUARANTINED');
    expect(alerts.map((a) => a.reason).sort()).toEqual(['RECORD.CAMPAIGN_UNMAPPED', 'RECORD.EMAIL_INVALID', 'RECORD.MOVED_AT_INVALID']);
    expect(JSON.stringify(stack.apps[0].logs)).not.toMatch(/quinn\.unmapped|mo\.moment/);
    expect(stack.stub.created().filter((c) => c.email === good)).toHaveLength(1);
  }, 60_000);

  it('pauses an account whose ATS rejects the credentials, with one alert and no tight retry loop, and resumes after the re-check', async () => {
    const globex = stack.simulators.globex;
    globex.setFailure(() => ({ status: 401, body: '{"error":"invalid token"}' }));
    const before = globex.requests().length;
    const alert = await stack.apps[0].waitForLog((l) => l.kind === 'ACCOUNT_FAILING' && l.accountId === 'globex-workday', 30_000);
    expect(alert).toMatchObject({ code: 'CONNECTOR.AUTH_REJECTED' });
    expect(String(alert.msg)).toContain('connector.auth.valueEnv');
    const rejectedAt = globex.requests().length;

    globex.setFailure(undefined);
    const email = 'after.reauth@example.com';
    globex.moveNow({ Email_Address: email, Job_Requisition_ID: 'G-200' });
    await createdEmail(email);

    const during = globex.requests().slice(before, rejectedAt);
    expect(during.filter((r) => r.status === 401)).toHaveLength(1);
    // While paused (4 s here, 15 min by default) polling every second would have asked again and again.
    const pausedGap = globex.requests().slice(rejectedAt).find((r) => r.status === 200)!.at.getTime() - during[during.length - 1].at.getTime();
    expect(pausedGap).toBeGreaterThanOrEqual(3_500);
    expect(stack.stub.created().filter((c) => c.email === email)).toHaveLength(1);
  }, 60_000);
});
