import { spawnSync } from 'node:child_process';
import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { APP_ENTRY } from '@libs/local-stack/repo-paths';
import { idempotencyKey } from '../../src/creation/idempotency-key';

describe('the operator api: metrics, and Bull Board behind authentication', () => {
  let stack: LocalStack;
  let base: string;
  let auth: string;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200 } },
      env: { TICK_INTERVAL_MS: '250' },
    });
    base = `http://127.0.0.1:${stack.apps[0].env.API_PORT}`;
    auth = `Basic ${Buffer.from(`operator:${stack.env.BULL_BOARD_PASSWORD}`).toString('base64')}`;
  }, 120_000);
  afterAll(async () => stack?.stop(), 60_000);

  it('answers 401 on /queues without credentials or with wrong ones, and 200 with them', async () => {
    expect((await fetch(`${base}/queues`)).status).toBe(401);
    expect((await fetch(`${base}/queues/api/queues`, { headers: { authorization: 'Basic b3BlcmF0b3I6d3Jvbmc=' } })).status).toBe(401);
    const ok = await fetch(`${base}/queues/api/queues`, { headers: { authorization: auth } });
    expect(ok.status).toBe(200);
    const { queues } = (await ok.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(['create', 'poll']);
  });

  it('refuses to start in production without board credentials, naming the settings', () => {
    const { BULL_BOARD_USER: _u, BULL_BOARD_PASSWORD_ENV: _p, ...env } = stack.env;
    const run = spawnSync(process.execPath, [APP_ENTRY], { env: { ...env, NODE_ENV: 'production', PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('BULL_BOARD_USER / BULL_BOARD_PASSWORD_ENV');
    expect(run.stderr).not.toContain(stack.env.BULL_BOARD_PASSWORD);
  });

  it('dead-letters a 422 and creates the candidate once it is retried through the board after the cause is fixed', async () => {
    const email = 'della.deadletter@example.com';
    stack.stub.setResponder((call) => ((call.body as { email?: string }).email === email ? { status: 422, body: { error: 'assessment closed' } } : undefined));
    stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });
    await stack.apps[0].waitForLog((l) => l.kind === 'CREATION_REJECTED', 30_000);

    const jobId = idempotencyKey({ assessmentId: 'asm-graduate-swe', email });
    const failed = (await (await fetch(`${base}/queues/api/queues?activeQueue=create&status=failed`, { headers: { authorization: auth } })).json()) as {
      queues: { name: string; jobs: { id: string; failedReason: string }[] }[];
    };
    expect(failed.queues.find((q) => q.name === 'create')!.jobs).toContainEqual(expect.objectContaining({ id: jobId, failedReason: expect.stringContaining('HTTP 422') }));

    stack.stub.setResponder(undefined);
    const retry = await fetch(`${base}/queues/api/queues/create/${jobId}/retry`, { method: 'PUT', headers: { authorization: auth } });
    expect(retry.status).toBe(204);
    await stack.stub.waitForCreated(stack.stub.created().length + 1, 30_000);
    expect(stack.stub.created().filter((c) => c.email === email)).toHaveLength(1);
  }, 60_000);

  it('serves Prometheus metrics with a counter per alert kind', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/ats_bridge_alerts_total\{kind="CREATION_REJECTED"\} 1/);
    expect(text).toContain('ats_bridge_events_total');
  });
});
