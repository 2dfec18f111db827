import { EventEmitter } from 'node:events';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createLocalKinesisClient } from '../local-aws-clients';
import { checkpointCovers, SHARD_END, type CheckpointErrorName } from './checkpoint-rules';
import type { KclDaemonEvents } from './kcl-daemon.events';
import type { KclDaemonOptions } from './kcl-daemon.options';
import { listShards } from './list-shards';
import { ShardWorker, type ShardWorkerSettings } from './shard-worker';
import { waitUntil } from './wait-until';

export type { KclDaemonEvents } from './kcl-daemon.events';
export type { KclDaemonOptions } from './kcl-daemon.options';
export { SHARD_END, type CheckpointErrorName } from './checkpoint-rules';

/**
 * Stands in for the Java KCL MultiLangDaemon: drives real record-processor processes over the same stdin/stdout
 * protocol, one per shard, keeps checkpoints in memory and offers fault tools and waits for tests.
 */
export class KclDaemon {
  /** Typed events: stderr, checkpoint, processRecordsDone, protocolViolation, processorStart, processorExit, workerError. */
  readonly events = new EventEmitter<KclDaemonEvents>();
  private readonly workers = new Map<string, ShardWorker>();
  private readonly runs: Promise<void>[] = [];
  private readonly checkpointStore = new Map<string, string>();
  private readonly violations: Array<{ shardId: string; detail: string }> = [];
  private readonly progressListeners = new Set<() => void>();
  private readonly kinesis: KinesisClient;
  private readonly settings: ShardWorkerSettings;
  private syncTimer?: NodeJS.Timeout;
  private isStopping = false;
  private stopped?: Promise<void>;
  private readonly killOnExit = () => this.workers.forEach((worker) => worker.forceKill());

  constructor(private readonly options: KclDaemonOptions) {
    this.kinesis = createLocalKinesisClient(options.kinesisEndpoint);
    this.settings = {
      streamName: options.streamName,
      processor: { command: options.command, args: options.args ?? [], env: { ...process.env, ...options.env }, cwd: options.cwd },
      initialPosition: options.initialPosition ?? 'TRIM_HORIZON',
      idleTimeBetweenReadsMs: options.idleTimeBetweenReadsMs ?? 200,
      maxRecords: options.maxRecords ?? 1000,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
    };
    this.events.on('protocolViolation', (violation) => this.violations.push(violation));
  }

  /** Checkpoints by shard id: a sequence number, or {@link SHARD_END}. */
  get checkpoints(): ReadonlyMap<string, string> {
    return this.checkpointStore;
  }

  get protocolViolations(): ReadonlyArray<{ shardId: string; detail: string }> {
    return this.violations;
  }

  get shardIds(): string[] {
    return [...this.workers.keys()];
  }

  /** Finds the shards, starts their processors and resolves once every shard that may start reads from Kinesis. */
  async start(): Promise<void> {
    process.once('exit', this.killOnExit);
    await this.syncShards();
    // A failed periodic sync is harmless: the next one lists the same shards again.
    this.syncTimer = setInterval(() => void this.syncShards().catch(() => undefined), this.options.shardSyncIntervalMs ?? 1_000).unref();
    const startable = [...this.workers.values()].filter((worker) => this.parentsFinished(worker));
    await waitUntil(this.progressListeners, () => startable.every((worker) => worker.isReady), this.options.startTimeoutMs ?? 30_000,
      () => `the record processors did not start reading. ${this.describe()}`);
  }

  /** Lists the shards and starts a worker for each new one; a child shard waits until its parents reached SHARD_END. */
  async syncShards(): Promise<void> {
    const initial = this.workers.size === 0;
    for (const shard of await listShards(this.kinesis, this.options.streamName)) {
      if (this.workers.has(shard.shardId) || this.isStopping) continue;
      // As in the KCL: at LATEST, shards already closed hold only old data; shards found later start at TRIM_HORIZON.
      if (initial && this.settings.initialPosition === 'LATEST' && shard.closed) continue;
      const initialPosition = initial ? this.settings.initialPosition : 'TRIM_HORIZON';
      this.launch(new ShardWorker(shard.shardId, shard.parentShardIds, { ...this.settings, initialPosition }, {
        kinesis: this.kinesis,
        checkpoints: this.checkpointStore,
        report: (event, payload) => (this.events as EventEmitter).emit(event, payload),
        progress: () => this.notifyProgress(),
      }));
    }
    this.notifyProgress();
  }

  /** Makes the next checkpoint request of the shard's processor fail with this exception (not recorded). */
  checkpointErrorOnce(shardId: string, error: CheckpointErrorName): void {
    this.worker(shardId).checkpointErrorOnce(error);
  }

  /** Sends leaseLost to the shard's processor; a new processor then takes over from the last checkpoint. */
  sendLeaseLost(shardId: string): Promise<void> {
    return this.worker(shardId).handOverLease();
  }

  /** Kills the shard's processor; like a new lease holder, the daemon starts another from the last checkpoint. */
  killProcessor(shardId: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.worker(shardId).kill(signal);
  }

  /** Resolves once the shard's checkpoint is at or past `sequenceNumber` (or SHARD_END). */
  waitForCheckpointAtLeast(shardId: string, sequenceNumber: string, timeoutMs = 20_000): Promise<void> {
    return waitUntil(this.progressListeners, () => checkpointCovers(this.checkpointStore.get(shardId), sequenceNumber), timeoutMs,
      () => `${shardId} was not checkpointed at ${sequenceNumber}. ${this.describe()}`);
  }

  /**
   * Resolves once every record put into the stream before this call was processed and checkpointed: each shard
   * has read to its end after the call, and its checkpoint covers the last record delivered (or is SHARD_END).
   */
  async idle(timeoutMs = 20_000): Promise<void> {
    const since = performance.now();
    await this.syncShards();
    await waitUntil(this.progressListeners, () => [...this.workers.values()].every((worker) => worker.finished ||
      ((worker.caughtUpSince ?? -1) >= since && checkpointCovers(this.checkpointStore.get(worker.shardId), worker.lastDelivered))),
    timeoutMs, () => `not every shard was read to its end and checkpointed. ${this.describe()}`);
  }

  /** Resolves with the first `event` payload that matches `predicate`. Subscribe before causing the event. */
  waitFor<K extends keyof KclDaemonEvents>(
    event: K, predicate: (payload: KclDaemonEvents[K][0]) => boolean = () => true, timeoutMs = 20_000,
  ): Promise<KclDaemonEvents[K][0]> {
    const emitter = this.events as EventEmitter;
    return new Promise((resolve, reject) => {
      const listener = (payload: KclDaemonEvents[K][0]) => {
        if (!predicate(payload)) return;
        cleanup();
        resolve(payload);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching ${String(event)} event within ${timeoutMs} ms. ${this.describe()}`));
      }, timeoutMs).unref();
      const cleanup = () => {
        clearTimeout(timer);
        emitter.off(event as string, listener);
      };
      emitter.on(event as string, listener);
    });
  }

  /** Sends shutdownRequested to every processor, waits for them to exit (SIGKILL after the deadline). Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.isStopping = true;
      clearInterval(this.syncTimer);
      this.workers.forEach((worker) => worker.stop());
      this.notifyProgress();
      const deadline = setTimeout(this.killOnExit, this.settings.shutdownTimeoutMs + 3_000);
      await Promise.allSettled(this.runs);
      clearTimeout(deadline);
      process.removeListener('exit', this.killOnExit);
      this.kinesis.destroy();
    })();
    return this.stopped;
  }

  private launch(worker: ShardWorker): void {
    this.workers.set(worker.shardId, worker);
    this.runs.push((async () => {
      await waitUntil(this.progressListeners, () => this.isStopping || this.parentsFinished(worker), undefined, () => '');
      await worker.run();
      // The children of a finished shard can start now; find them without waiting for the next periodic sync.
      if (worker.finished && !this.isStopping) await this.syncShards();
    })().catch((error: Error) => void this.events.emit('workerError', { shardId: worker.shardId, error })));
  }

  private parentsFinished(worker: ShardWorker): boolean {
    return worker.parentShardIds.every((parent) => !this.workers.has(parent) || this.checkpointStore.get(parent) === SHARD_END);
  }

  private worker(shardId: string): ShardWorker {
    const worker = this.workers.get(shardId);
    if (!worker) throw new Error(`Unknown shard ${shardId}; this daemon processes ${this.shardIds.join(', ') || 'no shard'}`);
    return worker;
  }

  private notifyProgress(): void {
    this.progressListeners.forEach((listener) => listener());
  }

  /** Each shard's state, for timeout messages. */
  private describe(): string {
    const shards = [...this.workers.values()].map((worker) =>
      `${worker.shardId}: checkpoint ${this.checkpointStore.get(worker.shardId) ?? 'none'}, last delivered ${worker.lastDelivered ?? 'none'}` +
      `${worker.finished ? ', finished' : ''}; stderr tail: ${worker.stderrTail.slice(-5).join(' | ') || '(empty)'}`);
    const violations = this.violations.map((violation) => `${violation.shardId}: ${violation.detail}`);
    return `Shards: ${shards.join('; ') || 'none'}. Protocol violations: ${violations.join('; ') || 'none'}.`;
  }
}

/** Creates a {@link KclDaemon} and resolves once it processes every shard; stops it again if starting fails. */
export async function startKclDaemon(options: KclDaemonOptions): Promise<KclDaemon> {
  const daemon = new KclDaemon(options);
  try {
    await daemon.start();
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}
