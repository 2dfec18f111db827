import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterBackoffMs } from '../ledger/backoff';
import type { ChangeRecordDispatcher, StreamRecord } from './change-record.dispatcher';

/** The checkpointer aws-kcl hands to processRecords, shardEnded and shutdownRequested. */
interface Checkpointer {
  checkpoint(sequenceNumber: string | null, callback: (err: string | null, sequenceNumber?: string) => void): void;
}
type Done = () => void;

/** Checkpoint errors the daemon says are worth retrying now; others are left to the next checkpoint. */
const RETRYABLE_CHECKPOINT_ERRORS = new Set(['ThrottlingException', 'KinesisClientLibDependencyException']);

/**
 * The record processor aws-kcl drives over the MultiLang protocol, one process per shard. Never lets an
 * exception escape (the Java daemon would stop every shard) and checkpoints a batch only after its events
 * were handled, i.e. its creation jobs are in Redis.
 */
export class KclRecordProcessor {
  private shardId = 'unknown';
  private leaseLostAt: number | undefined;
  /** The last record whose work is durable: the only sequence number this processor ever checkpoints. */
  private lastDispatched: string | undefined;

  constructor(
    private readonly dispatcher: ChangeRecordDispatcher,
    private readonly logger: Logger,
    /** A dispatch that hangs (Redis unreachable queues commands forever) counts as failed after this. */
    private readonly dispatchTimeoutMs = 15_000,
  ) {}

  initialize(input: { shardId: string }, done: Done): void {
    this.shardId = input.shardId;
    this.logger.info({ shardId: this.shardId }, 'stream processor initialised');
    done();
  }

  processRecords(input: { records: StreamRecord[]; checkpointer: Checkpointer }, done: Done): void {
    void this.handleBatch(input.records, input.checkpointer).finally(done);
  }

  leaseLost(_input: unknown, done: Done): void {
    // No checkpointer after a lost lease: another worker owns the shard and replays from its checkpoint.
    this.leaseLostAt = Date.now();
    this.logger.warn({ shardId: this.shardId }, 'lease lost; stopping without checkpoint');
    done();
  }

  shardEnded(input: { checkpointer: Checkpointer }, done: Done): void {
    void this.checkpoint(input.checkpointer, null).finally(done);
  }

  shutdownRequested(input: { checkpointer: Checkpointer }, done: Done): void {
    // Explicitly the last dispatched record: a bare checkpoint would mean "everything delivered".
    if (this.lastDispatched === undefined) return done();
    void this.checkpoint(input.checkpointer, this.lastDispatched).finally(done);
  }

  private async handleBatch(records: StreamRecord[], checkpointer: Checkpointer): Promise<void> {
    if (records.length === 0) return;
    for (let attempt = 0; this.leaseLostAt === undefined; attempt++) {
      try {
        await withTimeout(this.dispatcher.dispatch(records), this.dispatchTimeoutMs);
      } catch (err) {
        // Redis or a handler failed: retry the whole batch (handlers are idempotent) rather than checkpoint past it.
        const delay = fullJitterBackoffMs(Math.min(attempt, 8), 200, 30_000);
        this.logger.error({ shardId: this.shardId, attempt, retryInMs: delay, err }, 'change batch failed; retrying before checkpoint');
        await sleep(delay);
        continue;
      }
      this.lastDispatched = records[records.length - 1].sequenceNumber;
      await this.checkpoint(checkpointer, this.lastDispatched);
      return;
    }
  }

  private async checkpoint(checkpointer: Checkpointer, sequenceNumber: string | null): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const error = await new Promise<string | null>((resolve) => checkpointer.checkpoint(sequenceNumber, (err) => resolve(err ?? null)));
      if (!error) return;
      if (!RETRYABLE_CHECKPOINT_ERRORS.has(error)) {
        // Records keep being dispatched (their jobs are idempotent); the next batch checkpoints again.
        this.logger.warn({ shardId: this.shardId, error, sequenceNumber }, 'checkpoint refused; records after the last checkpoint may be replayed');
        return;
      }
      await sleep(fullJitterBackoffMs(attempt, 200, 10_000));
    }
    this.logger.error({ shardId: this.shardId, sequenceNumber }, 'checkpoint still throttled after 10 attempts; records after the last checkpoint will be replayed');
  }
}

/** Rejects after `ms`; the work itself goes on, which is harmless here because every handler is idempotent. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dispatch did not finish within ${ms} ms (is Redis reachable?)`)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
