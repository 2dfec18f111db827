import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { APP_ENTRY } from '@libs/local-stack/repo-paths';
import { idempotencyKey } from '../../src/creation/idempotency-key';

describe('the operator api: metrics, and Bull Board behind authentication', () => {
  let stack: LocalStack;
  let base: string;
  let auth: string;
  let sink: Server;
  const reports: { headers: Record<string, unknown>; body: Record<string, string> }[] = [];
  const reported = new EventEmitter();
  let failNext = 0;
  let sinkAttempts = 0;

  beforeAll(async () => {
    // The ATS side's error endpoint: records what the bridge reports.
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        sinkAttempts++;
        if (failNext > 0) return void (failNext--, res.writeHead(503).end());
        reports.push({ headers: req.headers, body: JSON.parse(body) as Record<string, string> });
        reported.emit('report');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const errorSink = {
      type: 'http',
      url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/integration/errors`,
      auth: { header: 'X-Api-Key', valueEnv: 'ACME_ERROR_SINK_KEY' },
      bodyTemplate: { candidate: '{{externalCandidateId}}', requisition: '{{externalCampaignId}}', error: '{{reason}}: {{detail}}', source: 'ats-bridge' },
    };
    stack = await startLocalStack({
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200, errorSink } },
      env: { TICK_INTERVAL_MS: '250', ACME_ERROR_SINK_KEY: 'sink-secret' },
    });
    base = `http://127.0.0.1:${stack.apps[0].env.API_PORT}`;
    auth = `Basic ${Buffer.from(`operator:${stack.env.BULL_BOARD_PASSWORD}`).toString('base64')}`;
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => sink?.close(resolve));
  }, 60_000);

  const reportsReach = (n: number) =>
    new Promise<void>((resolve, reject) => {
      if (reports.length >= n) return resolve();
      const timer = setTimeout(() => reject(new Error(`only ${reports.length} of ${n} error reports arrived`)), 30_000);
      const check = () => reports.length >= n && (clearTimeout(timer), reported.off('report', check), resolve());
      reported.on('report', check);
    });

  it('answers 401 on /queues without credentials or with wrong ones, and 200 with them', async () => {
    expect((await fetch(`${base}/queues`)).status).toBe(401);
    expect((await fetch(`${base}/queues/api/queues`, { headers: { authorization: 'Basic b3BlcmF0b3I6d3Jvbmc=' } })).status).toBe(401);
    const ok = await fetch(`${base}/queues/api/queues`, { headers: { authorization: auth } });
    expect(ok.status).toBe(200);
    const { queues } = (await ok.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(['create', 'error-report', 'poll']);
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
    const reportsBefore = reports.length;
    stack.stub.setResponder((call) => ((call.body as { email?: string }).email === email ? { status: 422, body: { error: 'assessment closed' } } : undefined));
    stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: 'R-10001' });
    await stack.apps[0].waitForLog((l) => l.kind === 'CREATION_REJECTED', 30_000);
    await reportsReach(reportsBefore + 1);
    const moved = stack.simulators.acme.moved().find((c) => c.Email_Address === email)!;
    expect(reports[reportsBefore]).toMatchObject({
      headers: { 'x-api-key': 'sink-secret' },
      body: { candidate: moved.Candidate_ID, requisition: 'R-10001', error: expect.stringMatching(/^CREATION\.REJECTED: creation API rejected the candidate with HTTP 422/), source: 'ats-bridge' },
    });

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
    // Reported once: the retry and the overlapping re-polls of the same record added no report.
    await stack.simulators.acme.waitForRequests(stack.simulators.acme.requests().length + 2, 30_000);
    expect(reports.filter((r) => r.body.candidate === moved.Candidate_ID)).toHaveLength(1);
  }, 60_000);

  it('reports a record with an unmapped campaign to the error sink once, retrying the sink, however often it is re-polled', async () => {
    const before = reports.length;
    const attemptsBefore = sinkAttempts;
    failNext = 1;
    const moved = stack.simulators.acme.moveNow({ Email_Address: 'una.unmapped@example.com', Job_Requisition_ID: 'R-55555' });
    await reportsReach(before + 1);
    await stack.simulators.acme.waitForRequests(stack.simulators.acme.requests().length + 3, 30_000);
    expect(reports.slice(before)).toEqual([expect.objectContaining({ body: expect.objectContaining({ candidate: moved.Candidate_ID, requisition: 'R-55555', error: expect.stringContaining('RECORD.CAMPAIGN_UNMAPPED') }) })]);
    expect(sinkAttempts - attemptsBefore).toBe(2);
  }, 60_000);

  it('serves Prometheus metrics with a counter per alert kind', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/ats_bridge_alerts_total\{kind="CREATION_REJECTED"\} 1/);
    expect(text).toContain('ats_bridge_events_total');
  });
});
