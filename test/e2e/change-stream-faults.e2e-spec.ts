import { startLocalStack, type LocalStack } from '@libs/local-stack/start-local-stack';
import { ProcessorLogs } from '../support/processor-logs';

describe('an at-least-once change stream: duplicated, shuffled and replayed records', () => {
  let stack: LocalStack;
  let processorLogs: ProcessorLogs;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulators: { acme: { startPaused: true }, globex: { startPaused: true } },
      accountOverrides: { 'acme-workday': { pollIntervalMs: 1_000, overlapMs: 30_000, settleMs: 200 } },
      env: { TICK_INTERVAL_MS: '250' },
    });
    processorLogs = new ProcessorLogs(stack.kcl);
  }, 120_000);
  afterAll(async () => stack?.stop(), 60_000);

  it('creates every candidate once, with one key each, despite 20 % duplicated and shuffled records and a processor killed before checkpointing', async () => {
    stack.aws.changeCapture.setFaults({ duplicateRate: 0.2, shuffle: true, seed: 42 });
    let killed = 0;
    // Killed right after a batch's jobs are enqueued and before its checkpoint: the KCL replays the batch.
    stack.kcl.events.on('stderr', ({ shardId, line }: { shardId: string; line: string }) => {
      if (killed < 2 && line.includes('"msg":"candidate discovered"')) {
        killed++;
        void stack.kcl.killProcessor(shardId).catch(() => undefined);
      }
    });
    const emails = Array.from({ length: 60 }, (_, i) => `replayed.${i}@example.com`);
    for (const email of emails) stack.simulators.acme.moveNow({ Email_Address: email, Job_Requisition_ID: i(email) % 2 ? 'R-10001' : 'R-10007' });

    await stack.stub.waitForCreated(60, 60_000);
    await stack.kcl.idle(30_000);

    expect(killed).toBe(2);
    const discovered = processorLogs.matching((l) => l.msg === 'candidate discovered');
    // Duplicates and replays did reach the processor: more discoveries than candidates.
    expect(discovered.length).toBeGreaterThan(60);
    expect(stack.stub.created().map((c) => c.email).sort()).toEqual([...emails].sort());
    const keysByEmail = new Map<string, Set<string>>();
    for (const call of stack.stub.calls()) {
      const email = (call.body as { email: string }).email;
      keysByEmail.set(email, (keysByEmail.get(email) ?? new Set()).add(call.idempotencyKey!));
    }
    expect([...keysByEmail.values()].every((keys) => keys.size === 1)).toBe(true);
    expect(stack.stub.calls().filter((c) => c.status === 201)).toHaveLength(60);
  }, 120_000);
});

const i = (email: string) => Number(email.split('.')[1]);
