import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import type { FailureReply } from '@libs/ats-simulator';
import { nextLog, readCoverage, waitForCreatedEmail } from './e2e-helpers';

const ACME = 'acme-workday';

describe('hostile ATS responses: a clear error, a metric, the window not completed, then retried', () => {
  let stack: LocalStack;
  let n = 0;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: { [ACME]: { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200 } },
      env: { TICK_INTERVAL_MS: '250' },
    });
    await nextLog(stack.apps[0], (l) => l.msg === 'window polled' && l.accountId === ACME, 30_000);
  }, 120_000);
  afterAll(async () => stack?.stop(), 60_000);

  const recentPolls = () => stack.apps[0].logs.filter((l) => /window|split/.test(String(l.msg))).slice(-8).map((l) => [l.time, l.msg, l.accountId, l.code, l.attempt]);
  const created = (email: string) => waitForCreatedEmail(stack, email, () => `; recent polls: ${JSON.stringify(recentPolls())}`);

  it.each<[string, string, FailureReply]>([
    ['an HTML maintenance page with status 200', 'CONNECTOR.RESPONSE_NOT_JSON', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Down for maintenance</body></html>' }],
    ['HTML labelled as JSON', 'CONNECTOR.MALFORMED_JSON', { status: 200, headers: { 'content-type': 'application/json' }, body: '<html>Session expired</html>' }],
    ['a truncated body', 'CONNECTOR.MALFORMED_JSON', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Report_Entry":[{"Email_Address":"x@example.com"' }],
    ['an error object instead of the report', 'CONNECTOR.RECORDS_PATH_MISSING', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Error":"Report temporarily unavailable"}' }],
    ['a CSV body', 'CONNECTOR.RESPONSE_NOT_JSON', { status: 200, headers: { 'content-type': 'text/csv' }, body: 'Email_Address\nx@example.com\n' }],
    ['a 503', 'CONNECTOR.SERVER_ERROR', { status: 503, body: '' }],
  ])('%s: %s, and the candidate moved meanwhile is created once the ATS recovers', async (_, code, reply) => {
    const email = `hostile.${++n}@example.com`;
    const errorsBefore = await stack.stats(`poll_errors:${code}`);
    stack.simulators.acme.setFailure(() => reply);
    try {
      stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });
      const failure = await nextLog(stack.apps[0], (l) => l.msg === 'window poll failed' && l.code === code, 30_000);
      expect(failure).toMatchObject({ accountId: ACME, level: 'error' });
      expect(await stack.stats(`poll_errors:${code}`)).toBeGreaterThan(errorsBefore);
      // Not understood, so not completed: the watermark did not move over the failing window.
      expect((await readCoverage(stack, ACME))!.watermarkMs).toBeLessThan(Date.parse(String(failure.to)));
    } finally {
      // Even when an assertion failed: a failure left in place would fail every later case too.
      stack.simulators.acme.setFailure(undefined);
    }
    await created(email);
    expect(stack.stub.created().filter((c) => c.email === email)).toHaveLength(1);
  }, 60_000);

  it('reads a body that starts with a UTF-8 byte-order mark', async () => {
    const email = 'bom.reader@example.com';
    const entry = stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10007' });
    stack.simulators.acme.setFailure(() => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `\uFEFF${JSON.stringify({ Report_Entry: [entry] })}` }));
    await created(email);
    stack.simulators.acme.setFailure(undefined);
  }, 60_000);
});
