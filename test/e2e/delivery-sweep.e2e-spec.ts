import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { createDynamoDbClient } from '../../src/aws/aws-clients';
import { loadConfig } from '../../src/config/load-config';
import { DeliveryStore } from '../../src/creation/delivery.store';
import { idempotencyKey } from '../../src/creation/idempotency-key';
import { startPrivateRedis, type PrivateRedis } from './e2e-helpers';

describe('deliveries survive the loss of everything in Redis', () => {
  let redis: PrivateRedis;
  let stack: LocalStack;
  let deliveries: DeliveryStore;

  beforeAll(async () => {
    // Its own redis-server: FLUSHALL must not touch anyone else's keys.
    redis = await startPrivateRedis();
    stack = await startLocalStack({
      redisUrl: redis.url,
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200 } },
      env: { TICK_INTERVAL_MS: '250', DELIVERY_SWEEP_INTERVAL_MS: '500', DELIVERY_PENDING_THRESHOLD_MS: '1500' },
    });
    const config = loadConfig(stack.env);
    deliveries = new DeliveryStore(createDynamoDbClient(config.env, { credentials: stack.aws.credentials }), config);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  }, 60_000);

  it('re-dispatches, through the sweep, candidates whose creation jobs were lost after their change records were checkpointed; none twice', async () => {
    stack.stub.setResponder(() => ({ status: 503 }));
    const emails = Array.from({ length: 10 }, (_, i) => `lost.job.${i}@example.com`);
    for (const email of emails) stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });
    const keys = emails.map((email) => idempotencyKey({ assessmentId: 'asm-graduate-swe', email }));

    await callsReached(stack, emails);
    await stack.kcl.idle(30_000);
    // Checkpointed means recorded: every delivery is pending in DynamoDB before its change record is checkpointed.
    expect(await Promise.all(keys.map((k) => deliveries.state(k)))).toEqual(keys.map(() => 'pending'));
    const callsBefore = stack.stub.calls().length;

    await redis.flushAll();
    stack.stub.setResponder(undefined);

    await stack.stub.waitForCreated(10, 30_000);
    await stack.apps[0].waitForLog((l) => l.msg === 'pending delivery had no job; dispatched again');
    await untilEvery(keys, async (k) => (await deliveries.state(k)) === 'delivered');
    expect(stack.stub.created().map((c) => c.email).sort()).toEqual([...emails].sort());
    const after = stack.stub.calls().slice(callsBefore);
    for (const email of emails) {
      const calls = after.filter((c) => (c.body as { email: string }).email === email);
      expect(calls.filter((c) => c.status === 201)).toHaveLength(1);
      expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    }
  }, 90_000);

  it('creates every candidate once when Redis is emptied at random moments while candidates flow', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const emails = Array.from({ length: 40 }, (_, i) => `flush.${i}@example.com`);
    const before = stack.stub.created().length;
    let flushes = 0;
    // After about every other checkpointed batch (seeded), FLUSHALL: whatever jobs are in Redis then are gone.
    stack.kcl.events.on('checkpoint', () => {
      if (flushes < 3 && random() < 0.5) {
        flushes++;
        void redis.flushAll();
      }
    });
    // Four groups, each in a later window, so the flushes fall between and inside batches.
    for (let group = 0; group < 4; group++) {
      for (const email of emails.slice(group * 10, group * 10 + 10)) stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10007' });
      await stack.simulators.acme.waitForRequests(stack.simulators.acme.requests().length + 1, 30_000);
    }
    await stack.stub.waitForCreated(before + emails.length, 60_000);
    expect(flushes).toBeGreaterThan(0);
    for (const email of emails) {
      const calls = stack.stub.calls().filter((c) => (c.body as { email: string }).email === email);
      expect([email, calls.filter((c) => c.status === 201).length, new Set(calls.map((c) => c.idempotencyKey)).size]).toEqual([email, 1, 1]);
    }
  }, 90_000);
});

/** Resolves once the stub has been called for every email (here: answered 503), from its call events. */
function callsReached(stack: LocalStack, emails: string[], timeoutMs = 30_000): Promise<void> {
  const called = () => emails.every((e) => stack.stub.calls().some((c) => (c.body as { email?: string }).email === e));
  return new Promise((resolve, reject) => {
    if (called()) return resolve();
    const timer = setTimeout(() => (stack.stub.events.off('call', check), reject(new Error('not every candidate reached the creation API'))), timeoutMs);
    const check = () => called() && (clearTimeout(timer), stack.stub.events.off('call', check), resolve());
    stack.stub.events.on('call', check);
  });
}

/** Re-checks the predicate for every key after each processed change; bounded, for DynamoDB state we cannot subscribe to. */
async function untilEvery(keys: string[], holds: (key: string) => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await Promise.all(keys.map(holds));
    if (results.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`${results.filter((r) => !r).length} of ${keys.length} deliveries never reached the expected state`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
